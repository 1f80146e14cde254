/*
 * csat.c
 *		The csat_state type and the CSAT aggregates' support functions.
 *
 * Like nps_state, csat_state is a real (not internal) transition type, so
 * parallel and Citus workers ship it and rollup tables store it; transition
 * functions update it in place only when an aggregate owns it.  A state
 * remembers the rating scale of its answers: mixing scales in one
 * aggregate, or merging states of different scales, is an error.
 */
#include "postgres.h"

#include <math.h>

#include "common/int.h"
#include "utils/builtins.h"

#include "csat.h"
#include "mycc.h"

#define CSAT_STATE_DETAIL \
	"A csat_state is written (satisfied,total,scale): 0 <= satisfied <= total, scale from 3 to 10, or 0 with no answers."

/* A new, empty state (no scale yet) in the current memory context. */
static CsatState *
csat_state_new(void)
{
	return mycc_state_new(CSAT_STATE_SIZE);
}

/* True when scale is a supported number of rating points. */
static bool
csat_scale_valid(int64 scale)
{
	return scale >= MYCC_CSAT_MIN_SCALE && scale <= MYCC_CSAT_MAX_SCALE;
}

/* True when the numbers obey the invariants of csat.h. */
static bool
csat_counts_valid(int64 satisfied, int64 total, int64 scale)
{
	return satisfied >= 0 && satisfied <= total &&
		(scale == 0 ? total == 0 : csat_scale_valid(scale));
}

/* How a state breaks the rules of csat.h, or NULL when it keeps them. */
static const char *
csat_state_fault(const CsatState *state)
{
	const char *fault = mycc_state_header_fault(state, CSAT_STATE_SIZE);

	if (fault == NULL &&
		!csat_counts_valid(state->satisfied, state->total, state->scale))
		fault = CSAT_STATE_DETAIL;
	return fault;
}

/* Detoasts and validates a stored csat_state (damaged: XX001). */
CsatState *
csat_state_from_datum(Datum datum)
{
	CsatState  *state = (CsatState *) PG_DETOAST_DATUM(datum);

	mycc_state_check(csat_state_fault(state), "csat_state", false);
	return state;
}

/* Rejects a rating scale mycc does not support (22023). */
static int
csat_scale_check(int32 scale)
{
	if (!csat_scale_valid(scale))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("CSAT scale %d is out of range", scale),
				 errdetail("A CSAT rating has from %d to %d points.",
						   MYCC_CSAT_MIN_SCALE, MYCC_CSAT_MAX_SCALE)));
	return scale;
}

/* Fixes the state's scale, or rejects a different one (22023). */
static void
csat_state_set_scale(CsatState *state, int scale)
{
	if (state->scale == 0)
		state->scale = scale;
	else if (state->scale != scale)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot mix CSAT scales %d and %d", state->scale, scale),
				 errdetail("Answers on different rating scales are not comparable; aggregate them separately.")));
}

/*
 * Adds (delta 1) or removes (delta -1) one answer of argument 1 on the
 * scale of argument 2 (default 5), returning the updated state.
 */
static CsatState *
csat_state_answer(FunctionCallInfo fcinfo, int delta)
{
	int			scale = csat_scale_check(PG_NARGS() > 2 ? PG_GETARG_INT32(2)
										 : MYCC_CSAT_DEFAULT_SCALE);
	int32		score = PG_GETARG_INT32(1);
	bool		satisfied;
	CsatState  *state;

	if (score < 1 || score > scale)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("CSAT answer %d is out of range for a %d-point scale", score, scale),
				 errdetail("A CSAT answer is an integer from 1 to the scale.")));
	satisfied = score >= scale - 1;
	state = mycc_transition_state(fcinfo, PG_GETARG_CSAT_STATE(0));
	csat_state_set_scale(state, scale);
	if (delta < 0 && (satisfied ? state->satisfied
					  : state->total - state->satisfied) == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot remove an answer %d from a csat_state that has none", score)));
	if (delta > 0 && state->total == PG_INT64_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("csat_state count out of range")));
	state->total += delta;
	if (satisfied)
		state->satisfied += delta;
	return state;
}

/* Adds (sign 1) or subtracts (sign -1) another state of the same scale. */
static CsatState *
csat_state_combine(FunctionCallInfo fcinfo, int sign)
{
	CsatState  *state = mycc_transition_state(fcinfo, PG_GETARG_CSAT_STATE(0));
	CsatState  *other = PG_GETARG_CSAT_STATE(1);

	if (other->scale != 0)
		csat_state_set_scale(state, other->scale);
	if (sign < 0 && (other->satisfied > state->satisfied ||
					 other->total - other->satisfied >
					 state->total - state->satisfied))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot remove more CSAT answers than a csat_state has")));
	if (pg_add_s64_overflow(state->total, sign * other->total, &state->total))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("csat_state count out of range")));
	state->satisfied += sign * other->satisfied;
	return state;
}

PG_FUNCTION_INFO_V1(mycc_csat_state_in);
/* Text input: "(satisfied,total,scale)". */
Datum
mycc_csat_state_in(PG_FUNCTION_ARGS)
{
	char	   *text = PG_GETARG_CSTRING(0);
	int64		values[3];
	CsatState  *state = csat_state_new();

	mycc_parse_counts(text, values, 3, "csat_state", CSAT_STATE_DETAIL);
	if (!csat_counts_valid(values[0], values[1], values[2]))
		mycc_input_error(PARSE_RANGE, "csat_state", text, CSAT_STATE_DETAIL);
	state->satisfied = values[0];
	state->total = values[1];
	state->scale = (int16) values[2];
	PG_RETURN_CSAT_STATE(state);
}

PG_FUNCTION_INFO_V1(mycc_csat_state_out);
/* Text output: "(satisfied,total,scale)". */
Datum
mycc_csat_state_out(PG_FUNCTION_ARGS)
{
	CsatState  *state = PG_GETARG_CSAT_STATE(0);

	PG_RETURN_CSTRING(psprintf("(" INT64_FORMAT "," INT64_FORMAT ",%d)",
							   state->satisfied, state->total, state->scale));
}

PG_FUNCTION_INFO_V1(mycc_csat_state_recv);
/* Binary input: version byte, then satisfied, total, scale as int8. */
Datum
mycc_csat_state_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int64		values[3];
	CsatState  *state = csat_state_new();

	state->version = mycc_recv_counts(buf, values, 3, "csat_state");
	if (values[2] < 0 || values[2] > MYCC_CSAT_MAX_SCALE)
		values[2] = -1;			/* caught below without truncating to int16 */
	state->satisfied = values[0];
	state->total = values[1];
	state->scale = (int16) values[2];
	mycc_state_check(csat_state_fault(state), "csat_state", true);
	PG_RETURN_CSAT_STATE(state);
}

PG_FUNCTION_INFO_V1(mycc_csat_state_send);
/* Binary output: version byte, then satisfied, total, scale. */
Datum
mycc_csat_state_send(PG_FUNCTION_ARGS)
{
	CsatState  *state = PG_GETARG_CSAT_STATE(0);
	int64		values[3] = {state->satisfied, state->total, state->scale};

	PG_RETURN_BYTEA_P(mycc_send_counts(state->version, values, 3));
}

PG_FUNCTION_INFO_V1(mycc_csat_state_make);
/* csat_state(satisfied, total, scale): a state from counts. */
Datum
mycc_csat_state_make(PG_FUNCTION_ARGS)
{
	CsatState  *state = csat_state_new();
	int64		satisfied = PG_GETARG_INT64(0);
	int64		total = PG_GETARG_INT64(1);

	state->scale = csat_scale_check(PG_GETARG_INT32(2));
	if (satisfied < 0 || satisfied > total)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("satisfied answers " INT64_FORMAT " out of range for a total of " INT64_FORMAT,
						satisfied, total),
				 errdetail("Satisfied answers are between 0 and the total.")));
	state->satisfied = satisfied;
	state->total = total;
	PG_RETURN_CSAT_STATE(state);
}

PG_FUNCTION_INFO_V1(mycc_csat_accum);
/* Transition: count one answer (score [, scale]). */
Datum
mycc_csat_accum(PG_FUNCTION_ARGS)
{
	PG_RETURN_CSAT_STATE(csat_state_answer(fcinfo, 1));
}

PG_FUNCTION_INFO_V1(mycc_csat_deaccum);
/* Inverse transition (moving window): uncount one answer. */
Datum
mycc_csat_deaccum(PG_FUNCTION_ARGS)
{
	PG_RETURN_CSAT_STATE(csat_state_answer(fcinfo, -1));
}

PG_FUNCTION_INFO_V1(mycc_csat_combine);
/* Combine: the sum of two states of one scale (also the + operator). */
Datum
mycc_csat_combine(PG_FUNCTION_ARGS)
{
	PG_RETURN_CSAT_STATE(csat_state_combine(fcinfo, 1));
}

PG_FUNCTION_INFO_V1(mycc_csat_uncombine);
/* Inverse of combine (moving csat_merge). */
Datum
mycc_csat_uncombine(PG_FUNCTION_ARGS)
{
	PG_RETURN_CSAT_STATE(csat_state_combine(fcinfo, -1));
}

PG_FUNCTION_INFO_V1(mycc_csat_of_state);
/* csat(state): percentage of answers in the top two boxes; NULL if none. */
Datum
mycc_csat_of_state(PG_FUNCTION_ARGS)
{
	CsatState  *state = PG_GETARG_CSAT_STATE(0);

	if (state->total == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(100.0 * state->satisfied / state->total);
}

PG_FUNCTION_INFO_V1(mycc_csat_moe);
/* Margin of error in points: z * 100 * sqrt(s (1 - s) / n). */
Datum
mycc_csat_moe(PG_FUNCTION_ARGS)
{
	CsatState  *state = PG_GETARG_CSAT_STATE(0);
	double		z = mycc_confidence_z(PG_GETARG_FLOAT8(1));
	double		share;

	if (state->total == 0)
		PG_RETURN_NULL();
	share = (double) state->satisfied / state->total;
	PG_RETURN_FLOAT8(z * 100.0 * sqrt(share * (1.0 - share) / state->total));
}

/* Accessors. */
#define CSAT_STATE_ACCESSOR(name, expr) \
PG_FUNCTION_INFO_V1(mycc_csat_##name); \
Datum \
mycc_csat_##name(PG_FUNCTION_ARGS) \
{ \
	CsatState  *state = PG_GETARG_CSAT_STATE(0); \
	expr; \
}

CSAT_STATE_ACCESSOR(satisfied, PG_RETURN_INT64(state->satisfied))
CSAT_STATE_ACCESSOR(count, PG_RETURN_INT64(state->total))
CSAT_STATE_ACCESSOR(scale, if (state->scale == 0) PG_RETURN_NULL(); PG_RETURN_INT32(state->scale))
