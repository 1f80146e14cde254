/*
 * cache.c
 *		One relcache callback for every per-backend cache of mycc.
 *
 * PostgreSQL gives a backend ten relcache callback slots (15's
 * MAX_RELCACHE_CALLBACKS), shared by every loaded library; running out is
 * FATAL.  Citus takes five, so mycc registers exactly one, which passes
 * each invalidation on to the caches registered here (the tier cache, the
 * treatment and routing rule caches).
 */
#include "postgres.h"

#include "utils/inval.h"

#include "cache.h"

#define MYCC_MAX_CACHES 8

typedef struct CacheEntry
{
	CacheInvalidateFunc invalidate;
	Datum		arg;
} CacheEntry;

/* Filled by _PG_init and never changed after: no per-call state. */
static CacheEntry caches[MYCC_MAX_CACHES];
static int	ncaches = 0;

/* The one relcache callback: every cache sees every invalidation. */
static void
cache_relcache_callback(Datum arg, Oid relid)
{
	for (int i = 0; i < ncaches; i++)
		caches[i].invalidate(caches[i].arg, relid);
}

void
cache_register(CacheInvalidateFunc invalidate, Datum arg)
{
	if (ncaches == MYCC_MAX_CACHES)
		elog(ERROR, "too many mycc caches");
	if (ncaches == 0)
		CacheRegisterRelcacheCallback(cache_relcache_callback, (Datum) 0);
	caches[ncaches].invalidate = invalidate;
	caches[ncaches].arg = arg;
	ncaches++;
}
