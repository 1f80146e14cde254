/*
 * routing.h
 *		Routing contacts to queues (routing.c), agents taking and finishing
 *		them (assignment.c); the rest is SQL in src/sql/routing.sql.
 */
#ifndef MYCC_ROUTING_H
#define MYCC_ROUTING_H

/* Registers the invalidation of the routing rule cache (_PG_init). */
extern void RoutingInit(void);

/* The GUC mycc.account_manager_hold, in seconds. */
extern int	routing_account_manager_hold(void);

#endif							/* MYCC_ROUTING_H */
