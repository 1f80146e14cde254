/*
 * bi.h
 *		The business time zone of the BI views (bi.c); the views are SQL in
 *		src/sql/survey.sql, customer.sql, identity.sql and routing.sql.
 */
#ifndef MYCC_BI_H
#define MYCC_BI_H

/* Defines the mycc.time_zone GUC (_PG_init). */
extern void BiInit(void);

#endif							/* MYCC_BI_H */
