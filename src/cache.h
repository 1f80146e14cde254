/*
 * cache.h
 *		Per-backend caches of mycc's policy tables, invalidated through one
 *		relcache callback for all of them.
 */
#ifndef MYCC_CACHE_H
#define MYCC_CACHE_H

/*
 * Called with the relid of every relcache invalidation (InvalidOid for a
 * full reset): a cache marks itself stale when relid is one of its tables.
 */
typedef void (*CacheInvalidateFunc) (Datum arg, Oid relid);

/*
 * Registers a cache's invalidation function, from _PG_init only.  A backend
 * has room for ten relcache callbacks in all, shared with every other
 * library (Citus takes five): mycc registers one, whatever its caches.
 */
extern void cache_register(CacheInvalidateFunc invalidate, Datum arg);

#endif							/* MYCC_CACHE_H */
