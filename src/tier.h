/*
 * tier.h
 *		Customer tiers: the customer_tier type, the per-backend cache of the
 *		mycc.tier policy table, and value-based tiering.
 */
#ifndef MYCC_TIER_H
#define MYCC_TIER_H

#include "fmgr.h"

/*
 * customer_tier stores the tier's id (mycc.tier.id, a positive smallint)
 * in two bytes, passed by value.  The id never changes and neither does the
 * tier's rank, so a stored value keeps its place in every index; names and
 * aliases may change freely.
 */
#define DatumGetCustomerTier(X)		((int16) DatumGetInt16(X))
#define CustomerTierGetDatum(X)		Int16GetDatum(X)
#define PG_GETARG_CUSTOMER_TIER(n)	DatumGetCustomerTier(PG_GETARG_DATUM(n))
#define PG_RETURN_CUSTOMER_TIER(x)	return CustomerTierGetDatum(x)

/*
 * One row of mycc.tier, as cached by a backend; or a tombstone of
 * mycc.tier_retired (a deleted tier), of which only id, rank and name are
 * set: indexes may still hold its id, so it keeps its place in the order.
 */
typedef struct TierEntry
{
	int16		id;
	bool		retired;		/* a tombstone, not a live tier */
	double		rank;			/* order: higher is more valuable */
	char	   *name;
	int			nkeys;			/* name and aliases, trimmed, ASCII folded */
	char	  **keys;
	Oid			service_mode;	/* pg_enum OID of mycc.service_mode */
	int32		queue_priority;
	Datum		min_value;		/* numeric, detoasted, in the cache's context */
	double		revenue_share;	/* NaN when NULL */
	bool		seeded;			/* an unchanged row the extension installed */
} TierEntry;

/*
 * The cached live tiers, tiers[0 .. ntiers - 1], in descending rank order.
 * The tombstones of mycc.tier_retired follow them in the same array, not
 * counted in ntiers: only tier_or_retired_of_value() returns them.
 */
typedef struct TierList
{
	int			ntiers;
	TierEntry  *tiers;
} TierList;

extern void TierInit(void);
extern const TierList *tier_list(void);
extern const TierEntry *tier_of_value(int16 id);

#endif							/* MYCC_TIER_H */
