/*
 * mycc.c
 *		Module entry point and helpers shared by several capabilities.
 */
#include "postgres.h"

#include <math.h>

#include "commands/trigger.h"
#include "libpq/pqformat.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/guc.h"
#include "utils/timestamp.h"

#include "bi.h"
#include "identity.h"
#include "mycc.h"
#include "parse.h"
#include "stats.h"
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

/* z value of a two-sided confidence level; rejects levels outside (0, 1). */
double
mycc_confidence_z(double confidence)
{
	double		z;

	if (!(confidence > 0.0 && confidence < 1.0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("confidence level %g is out of range", confidence),
				 errdetail("A confidence level is strictly between 0 and 1, such as 0.95.")));
	z = stats_two_sided_z(confidence);
	/* Every level in (0, 1) has a finite z; never let a NaN through. */
	if (!isfinite(z))
		elog(ERROR, "no z value for confidence level %.17g", confidence);
	return z;
}

/* Argument 0 to update in place under an aggregate, else a copy of it. */
void *
mycc_transition_state(FunctionCallInfo fcinfo, void *detoasted)
{
	if (!AggCheckCallContext(fcinfo, NULL) &&
		detoasted == DatumGetPointer(PG_GETARG_DATUM(0)))
	{
		void	   *copy = palloc(VARSIZE(detoasted));

		memcpy(copy, detoasted, VARSIZE(detoasted));
		return copy;
	}
	return detoasted;
}

/* Parses "(a,b,...)" into values, or reports 22P02 / 22003. */
void
mycc_parse_counts(const char *text, int64 *values, int nvalues,
				  const char *type_name, const char *detail)
{
	int64_t		parsed[8];

	Assert(nvalues <= lengthof(parsed));
	switch (parse_count_tuple(text, parsed, nvalues))
	{
		case PARSE_OK:
			break;
		case PARSE_SYNTAX:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid input syntax for type %s: \"%s\"", type_name, text),
					 errdetail("%s", detail)));
			break;
		case PARSE_RANGE:
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("value \"%s\" is out of range for type %s", text, type_name),
					 errdetail("%s", detail)));
			break;
	}
	for (int i = 0; i < nvalues; i++)
		values[i] = parsed[i];
}

/* Reads a version byte and nvalues int8; the message must hold exactly that. */
uint8
mycc_recv_counts(StringInfo buf, int64 *values, int nvalues,
				 const char *type_name)
{
	int			expected = 1 + nvalues * (int) sizeof(int64);
	uint8		version;

	if (buf->len - buf->cursor != expected)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary %s: %d bytes, expected %d",
						type_name, buf->len - buf->cursor, expected)));
	version = pq_getmsgbyte(buf);
	for (int i = 0; i < nvalues; i++)
		values[i] = pq_getmsgint64(buf);
	return version;
}

/* Writes a version byte and nvalues int8. */
bytea *
mycc_send_counts(uint8 version, const int64 *values, int nvalues)
{
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, version);
	for (int i = 0; i < nvalues; i++)
		pq_sendint64(&buf, values[i]);
	return pq_endtypsend(&buf);
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
