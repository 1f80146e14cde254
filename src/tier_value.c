/*
 * tier_value.c
 *		Tiering by value: tier_for_value() (thresholds on lifetime value) and
 *		the window function pareto_tier() (place on the cumulative revenue
 *		curve), and the policy accessors service_mode() and tier_priority().
 */
#include "postgres.h"

#include <math.h>

#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
#include "utils/numeric.h"
#include "windowapi.h"

#include "tier.h"

/* The cached tiers; 42704 when mycc.tier is empty. */
static const TierList *
tier_list_nonempty(void)
{
	const TierList *list = tier_list();

	if (list->ntiers == 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("mycc.tier has no tiers")));
	return list;
}

PG_FUNCTION_INFO_V1(mycc_tier_for_value);
/*
 * tier_for_value(value): the highest-ranked tier whose min_value the value
 * reaches; a value below every threshold gets the lowest tier.
 */
Datum
mycc_tier_for_value(PG_FUNCTION_ARGS)
{
	/* Detoasted once here, not by numeric_cmp for every tier. */
	Datum		value = NumericGetDatum(PG_GETARG_NUMERIC(0));
	const TierList *list = tier_list_nonempty();

	if (numeric_is_nan(DatumGetNumeric(value)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot choose a tier for a NaN value")));
	for (int i = 0; i < list->ntiers; i++)
		if (DatumGetInt32(DirectFunctionCall2(numeric_cmp, value,
											  list->tiers[i].min_value)) >= 0)
			PG_RETURN_CUSTOMER_TIER(list->tiers[i].id);
	PG_RETURN_CUSTOMER_TIER(list->tiers[list->ntiers - 1].id);
}

PG_FUNCTION_INFO_V1(mycc_service_mode);
/* service_mode(t): how the tier is served (dedicated, instant, ...). */
Datum
mycc_service_mode(PG_FUNCTION_ARGS)
{
	PG_RETURN_OID(tier_of_value(PG_GETARG_CUSTOMER_TIER(0))->service_mode);
}

PG_FUNCTION_INFO_V1(mycc_tier_priority);
/* tier_priority(t): the tier's queue priority. */
Datum
mycc_tier_priority(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(tier_of_value(PG_GETARG_CUSTOMER_TIER(0))->queue_priority);
}

/* pareto_tier's state for one partition. */
typedef struct ParetoState
{
	bool		started;
	double		total;			/* sum of the partition's positive values */
	double		cumulative;		/* sum of the positive values seen so far */
	double		group_start;	/* cumulative before the current tie group */
	double		last_value;		/* previous non-NULL value */
	bool		seen_value;
	double	   *values;			/* every row's value as float8, by position;
								 * NULL if the partition is too large */
	int64		nvalues;
} ParetoState;

/* A numeric value as float8 (through its text form: the costly part of a row). */
static inline double
pareto_float8(Datum value)
{
	return DatumGetFloat8(DirectFunctionCall1(numeric_float8_no_overflow, value));
}

/*
 * First pass over the partition: the sum of its positive values.  The
 * converted values are kept for the second pass (the calls for each row)
 * when they fit in work_mem, so that each value is converted once; they
 * live in the partition's memory context, reset with the partition.
 */
static void
pareto_partition_scan(WindowObject winobj, ParetoState *state)
{
	int64		rows = WinGetPartitionRowCount(winobj);
	double		total = 0.0;

	state->values = NULL;
	state->nvalues = 0;
	if (rows > 0 && rows <= (int64) work_mem * 1024 / (int64) sizeof(double))
	{
		state->values = MemoryContextAllocHuge(GetMemoryChunkContext(state),
											   rows * sizeof(double));
		state->nvalues = rows;
	}
	for (int64 pos = 0; pos < rows; pos++)
	{
		bool		isnull;
		bool		isout;
		Datum		value = WinGetFuncArgInPartition(winobj, 0, pos, WINDOW_SEEK_HEAD,
													 false, &isnull, &isout);
		double		v;

		if (isout)
			elog(ERROR, "pareto_tier: row %lld of %lld is outside the partition",
				 (long long) pos, (long long) rows);
		CHECK_FOR_INTERRUPTS();
		v = isnull ? 0.0 : pareto_float8(value);
		if (state->values != NULL)
			state->values[pos] = v;
		if (v > 0.0)
			total += v;
	}
	state->total = total;
}

/*
 * The tier for a customer whose better-paying customers (ties excluded)
 * bring the share `before` of revenue: the first tier, in rank order, whose
 * revenue_share cut-off is above it; zero value or no such tier: the lowest.
 */
static int16
pareto_tier_for_share(const TierList *list, double value, double before)
{
	if (value > 0.0)
		for (int i = 0; i < list->ntiers; i++)
			if (!isnan(list->tiers[i].revenue_share) &&
				before < list->tiers[i].revenue_share)
				return list->tiers[i].id;
	return list->tiers[list->ntiers - 1].id;
}

PG_FUNCTION_INFO_V1(mycc_pareto_tier);
/*
 * pareto_tier(value) OVER (ORDER BY value DESC): the tier by the customer's
 * place on the cumulative revenue curve.  Customers with equal values get
 * the same tier; NULL values get NULL.
 */
Datum
mycc_pareto_tier(PG_FUNCTION_ARGS)
{
	WindowObject winobj = PG_WINDOW_OBJECT();
	ParetoState *state = WinGetPartitionLocalMemory(winobj, sizeof(ParetoState));
	const TierList *list = tier_list_nonempty();
	bool		isnull;
	Datum		datum = WinGetFuncArgCurrent(winobj, 0, &isnull);
	double		value;

	int64		pos = WinGetCurrentPosition(winobj);

	if (!state->started)
	{
		pareto_partition_scan(winobj, state);
		state->started = true;
	}
	/* An infinite total would make every share 0 or NaN: a wrong tier. */
	if (isinf(state->total))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("sum of the values is out of range for pareto_tier()"),
				 errdetail("The positive values of a partition, added as double precision, must be finite and total less than about 1.8e308.")));
	if (isnull)
		PG_RETURN_NULL();
	value = pos < state->nvalues ? state->values[pos] : pareto_float8(datum);
	if (isnan(value))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot choose a tier for a NaN value")));
	if (state->seen_value && value > state->last_value)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("pareto_tier() needs its values in descending order"),
				 errhint("Call it as mycc.pareto_tier(value) OVER (ORDER BY value DESC).")));
	if (!state->seen_value || value != state->last_value)
		state->group_start = state->cumulative;
	state->seen_value = true;
	state->last_value = value;
	if (value > 0.0)
		state->cumulative += value;
	PG_RETURN_CUSTOMER_TIER(pareto_tier_for_share(list, value,
												  state->total > 0.0 ? state->group_start / state->total : 0.0));
}
