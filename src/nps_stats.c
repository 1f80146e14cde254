/*
 * nps_stats.c
 *		Statistics on an nps_state: the score, its standard error, margin of
 *		error and confidence interval, a two-sample comparison, and the
 *		sample size a margin needs.
 *
 * With p and d the promoter and detractor shares of n answers, NPS is
 * 100 (p - d); each answer is +1, 0 or -1, so the variance of the mean is
 *		var = (p + d - (p - d)^2) / n			(share units)
 * the standard error is 100 sqrt(var) points, and the margin of error at a
 * confidence level is z * se.  Two independent states compare with
 *		z = (nps_a - nps_b) / sqrt(var_a + var_b)	(share units)
 * and a two-sided p-value.
 */
#include "postgres.h"

#include <math.h>

#include "access/htup_details.h"
#include "funcapi.h"
#include "utils/builtins.h"

#include "nps.h"
#include "stats.h"

/* Shares and variance of a state with n > 0 answers. */
NpsSummary
nps_summarize(const NpsState *state)
{
	NpsSummary	s;
	double		n;

	s.n = nps_state_total(state);
	n = (double) s.n;
	s.promoter_share = state->count[NPS_PROMOTER] / n;
	s.detractor_share = state->count[NPS_DETRACTOR] / n;
	/* One rounding only, so that (200,120,80) is exactly 30. */
	s.nps = 100.0 * (double) (state->count[NPS_PROMOTER] -
							  state->count[NPS_DETRACTOR]) / n;
	s.variance = (s.promoter_share + s.detractor_share -
				  pow(s.promoter_share - s.detractor_share, 2)) / n;
	/* Rounding can leave a tiny negative variance for a unanimous state. */
	if (s.variance < 0.0)
		s.variance = 0.0;
	return s;
}

/* Forms a record of float8 columns of the function's declared row type. */
static Datum
float8_record(FunctionCallInfo fcinfo, const double *values, const bool *nulls,
			  int ncolumns)
{
	TupleDesc	tupdesc;
	Datum		datums[3];

	Assert(ncolumns <= lengthof(datums));
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE ||
		tupdesc->natts != ncolumns)
		elog(ERROR, "return type must be a row type of %d columns", ncolumns);
	for (int i = 0; i < ncolumns; i++)
		datums[i] = Float8GetDatum(values[i]);
	return HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(tupdesc), datums,
											 (bool *) nulls));
}

PG_FUNCTION_INFO_V1(mycc_nps_score_of_state);
/* nps(state): 100 (promoters - detractors) / n; NULL for no answers. */
Datum
mycc_nps_score_of_state(PG_FUNCTION_ARGS)
{
	NpsState   *state = PG_GETARG_NPS_STATE(0);

	if (nps_state_total(state) == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(nps_summarize(state).nps);
}

PG_FUNCTION_INFO_V1(mycc_nps_stderr);
/* Standard error of the NPS, in points; NULL for no answers. */
Datum
mycc_nps_stderr(PG_FUNCTION_ARGS)
{
	NpsState   *state = PG_GETARG_NPS_STATE(0);

	if (nps_state_total(state) == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(100.0 * sqrt(nps_summarize(state).variance));
}

PG_FUNCTION_INFO_V1(mycc_nps_moe);
/* Margin of error in points at a confidence level; NULL for no answers. */
Datum
mycc_nps_moe(PG_FUNCTION_ARGS)
{
	NpsState   *state = PG_GETARG_NPS_STATE(0);
	double		z = mycc_confidence_z(PG_GETARG_FLOAT8(1));

	if (nps_state_total(state) == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(z * 100.0 * sqrt(nps_summarize(state).variance));
}

PG_FUNCTION_INFO_V1(mycc_nps_ci);
/* Confidence interval (low, high), clamped to [-100, 100]. */
Datum
mycc_nps_ci(PG_FUNCTION_ARGS)
{
	NpsState   *state = PG_GETARG_NPS_STATE(0);
	double		z = mycc_confidence_z(PG_GETARG_FLOAT8(1));
	NpsSummary	s;
	double		moe;
	double		bounds[2];
	bool		nulls[2] = {false, false};

	if (nps_state_total(state) == 0)
		PG_RETURN_NULL();
	s = nps_summarize(state);
	moe = z * 100.0 * sqrt(s.variance);
	bounds[0] = Max(s.nps - moe, -100.0);
	bounds[1] = Min(s.nps + moe, 100.0);
	PG_RETURN_DATUM(float8_record(fcinfo, bounds, nulls, 2));
}

PG_FUNCTION_INFO_V1(mycc_nps_compare);
/*
 * Two-sided test of a difference between two independent states:
 * (difference, z, p_value).  NULL when either state is empty; z and p_value
 * are NULL when both variances are zero (unanimous samples), where the test
 * is undefined.
 */
Datum
mycc_nps_compare(PG_FUNCTION_ARGS)
{
	NpsState   *a = PG_GETARG_NPS_STATE(0);
	NpsState   *b = PG_GETARG_NPS_STATE(1);
	NpsSummary	sa;
	NpsSummary	sb;
	double		se;
	double		values[3] = {0.0, 0.0, 0.0};
	bool		nulls[3] = {false, true, true};

	if (nps_state_total(a) == 0 || nps_state_total(b) == 0)
		PG_RETURN_NULL();
	sa = nps_summarize(a);
	sb = nps_summarize(b);
	se = sqrt(sa.variance + sb.variance);
	values[0] = sa.nps - sb.nps;
	if (se > 0.0)
	{
		values[1] = values[0] / 100.0 / se;
		values[2] = stats_two_sided_p(values[1]);
		nulls[1] = nulls[2] = false;
	}
	PG_RETURN_DATUM(float8_record(fcinfo, values, nulls, 3));
}

/* Rejects a share outside [0, 1]. */
static double
share_check(double share, const char *name)
{
	if (!(share >= 0.0 && share <= 1.0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s share %g is out of range", name, share),
				 errdetail("A share is a fraction from 0 to 1.")));
	return share;
}

PG_FUNCTION_INFO_V1(mycc_nps_sample_size);
/*
 * Answers needed for a margin of error (in points) at a confidence level,
 * for expected promoter and detractor shares p and d:
 *		n = ceil(var1 * (z / (margin / 100))^2),  var1 = p + d - (p - d)^2
 * The defaults p = d = 0.5 are the worst case (var1 = 1).
 */
Datum
mycc_nps_sample_size(PG_FUNCTION_ARGS)
{
	double		margin = PG_GETARG_FLOAT8(0);
	double		z = mycc_confidence_z(PG_GETARG_FLOAT8(1));
	double		p = share_check(PG_GETARG_FLOAT8(2), "promoter");
	double		d = share_check(PG_GETARG_FLOAT8(3), "detractor");
	double		n;

	if (!(margin > 0.0 && margin <= 200.0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("margin of error %g is out of range", margin),
				 errdetail("A margin of error is in NPS points, greater than 0 and at most 200.")));
	if (p + d > 1.0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("promoter share %g and detractor share %g add up to more than 1", p, d)));
	n = ceil((p + d - (p - d) * (p - d)) * pow(z * 100.0 / margin, 2));
	/* A variance of zero (all promoters, say) still needs one answer. */
	if (n < 1.0)
		n = 1.0;
	if (!(n <= PG_INT32_MAX))	/* NaN included: no cast of it to int */
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("sample size for a margin of %g points is out of range for type integer", margin)));
	PG_RETURN_INT32((int32) n);
}
