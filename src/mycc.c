/*
 * mycc.c
 *		Module entry point (_PG_init), and what more than one capability
 *		uses: the policy tables' invalidation trigger, the errors of refused
 *		text input, and the interval of a GUC kept in seconds.
 */
#include "postgres.h"

#include "commands/trigger.h"
#include "utils/guc.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/timestamp.h"

#include "bi.h"
#include "identity.h"
#include "mycc.h"
#include "routing.h"
#include "tags.h"
#include "tier.h"

PG_MODULE_MAGIC;

void		_PG_init(void);

/* Runs once per backend when the library is loaded. */
void
_PG_init(void)
{
	TierInit();
	TagRulesInit();
	IdentityInit();
	RoutingInit();
	BiInit();
	MarkGUCPrefixReserved("mycc");
}

PG_FUNCTION_INFO_V1(mycc_policy_invalidate);
/*
 * Statement trigger on a policy table whose rows a backend caches (tiers,
 * rules; SQL functions tier_invalidate and policy_invalidate): sends a
 * relcache invalidation for the table, which reaches this backend at its
 * next command and the others at their next transaction, where the
 * cache's relcache callback marks it stale.
 */
Datum
mycc_policy_invalidate(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;

	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("mycc.%s() must be called as a trigger",
						get_func_name(fcinfo->flinfo->fn_oid))));
	CacheInvalidateRelcacheByRelid(RelationGetRelid(trigdata->tg_relation));
	return PointerGetDatum(NULL);
}

/* An interval of whole seconds (for GUCs kept in seconds). */
Datum
mycc_seconds_interval(int seconds)
{
	Interval   *result = palloc0(sizeof(Interval));

	result->time = (int64) seconds * USECS_PER_SEC;
	return IntervalPGetDatum(result);
}

/* 22P02 or 22003 for text input a parser refused. */
void
mycc_input_error(ParseResult result, const char *type_name, const char *text,
				 const char *detail)
{
	bool		syntax = (result == PARSE_SYNTAX);

	Assert(result != PARSE_OK);
	ereport(ERROR,
			(errcode(syntax ? ERRCODE_INVALID_TEXT_REPRESENTATION :
					 ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 syntax ?
			 errmsg("invalid input syntax for type %s: \"%s\"", type_name, text) :
			 errmsg("value \"%s\" is out of range for type %s", text, type_name),
			 errdetail("%s", detail)));
	pg_unreachable();
}
