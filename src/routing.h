/*
 * routing.h
 *		Routing contacts to queues (routing.c); the rest is SQL in
 *		src/sql/routing.sql.
 */
#ifndef MYCC_ROUTING_H
#define MYCC_ROUTING_H

/* Registers the invalidation of the routing rule cache (_PG_init). */
extern void RoutingInit(void);

#endif							/* MYCC_ROUTING_H */
