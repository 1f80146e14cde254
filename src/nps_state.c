/*
 * nps_state.c
 *		The nps_state type (counts of promoters, passives and detractors)
 *		and the transition, inverse and combine functions of the NPS
 *		aggregates.
 *
 * Every aggregate here uses nps_state itself as its transition type (not
 * internal), so that parallel workers and Citus workers ship it as an
 * ordinary datum and rollup tables store it.  Called as an aggregate, a
 * transition function updates its first argument in place (the executor
 * owns it in the aggregate context); called as a plain function it works on
 * a copy, so a SQL caller's value is never changed.
 */
#include "postgres.h"

#include "common/int.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"

#include "mycc.h"
#include "nps.h"

#define NPS_STATE_DETAIL \
	"An nps_state is written (promoters,passives,detractors), three non-negative integers."

static const char *const nps_class_names[NPS_NCLASSES] = {"detractor", "passive", "promoter"};

/* Text-form position of each class: promoters, passives, detractors. */
static const NpsClass nps_text_order[NPS_NCLASSES] = {NPS_PROMOTER, NPS_PASSIVE, NPS_DETRACTOR};

/* A new, empty state in the current memory context. */
static NpsState *
nps_state_new(void)
{
	return mycc_state_new(NPS_STATE_SIZE);
}

/* Sum of the counts, or -1 when it exceeds INT64_MAX. */
static int64
nps_counts_total(const int64 *count)
{
	int64		total = 0;

	for (int i = 0; i < NPS_NCLASSES; i++)
		if (count[i] < 0 || pg_add_s64_overflow(total, count[i], &total))
			return -1;
	return total;
}

/* Number of answers in a valid state. */
int64
nps_state_total(const NpsState *state)
{
	return nps_counts_total(state->count);
}

/* How a state breaks the rules of nps.h, or NULL when it keeps them. */
static const char *
nps_state_fault(const NpsState *state)
{
	const char *fault = mycc_state_header_fault(state, NPS_STATE_SIZE);

	if (fault != NULL)
		return fault;
	if (state->reserved != 0)
		return "The reserved bytes are not 0.";
	if (nps_counts_total(state->count) < 0)
		return psprintf("A count is negative, or the counts add up to more than " INT64_FORMAT ".",
						PG_INT64_MAX);
	return NULL;
}

/*
 * Detoasts and validates a stored nps_state: any header or count that this
 * version would not have written is damaged data (XX001).
 */
NpsState *
nps_state_from_datum(Datum datum)
{
	NpsState   *state = (NpsState *) PG_DETOAST_DATUM(datum);

	mycc_state_check(nps_state_fault(state), "nps_state", false);
	return state;
}

/*
 * The transition state to update.  Inside an aggregate the state is one this
 * module built (from the validated initial condition or an earlier call), so
 * it is used as it is: no detoasting, no validation, no copy, which keeps
 * mycc.nps close to a bare count(*).  Called directly, the argument is
 * validated and copied (see mycc_transition_state).
 */
static inline NpsState *
nps_state_for_update(FunctionCallInfo fcinfo)
{
	struct varlena *arg = (struct varlena *) PG_GETARG_POINTER(0);

	/* The size check guards aggregates users declare over our functions. */
	if (AggCheckCallContext(fcinfo, NULL) &&
		VARATT_IS_4B_U(arg) && VARSIZE(arg) == NPS_STATE_SIZE)
		return (NpsState *) arg;
	return mycc_transition_state(fcinfo, PG_GETARG_NPS_STATE(0));
}

/* Reports a state that would count more answers than an int8 holds. */
static pg_attribute_noreturn() void
nps_state_overflow(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("nps_state count out of range"),
			 errdetail("An nps_state counts at most " INT64_FORMAT " answers.",
					   PG_INT64_MAX)));
}

/* Adds delta (1 or -1) answers of one class. */
static inline void
nps_state_count(NpsState *state, NpsClass class, int delta)
{
	/* A valid state's counts are >= 0 and add up without overflow. */
	StaticAssertStmt(NPS_NCLASSES == 3, "the sum below names every class");
	if (unlikely(delta > 0 &&
				 state->count[0] + state->count[1] + state->count[2] == PG_INT64_MAX))
		nps_state_overflow();
	if (delta < 0 && state->count[class] == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot remove a %s from an nps_state that has none",
						nps_class_names[class])));
	state->count[class] += delta;
}

/* Adds (sign 1) or subtracts (sign -1) the counts of another state. */
static void
nps_state_combine(NpsState *state, const NpsState *other, int sign)
{
	for (int i = 0; i < NPS_NCLASSES; i++)
	{
		if (sign < 0 && other->count[i] > state->count[i])
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("cannot remove " INT64_FORMAT " %ss from an nps_state that has " INT64_FORMAT,
							other->count[i], nps_class_names[i], state->count[i])));
		if (pg_add_s64_overflow(state->count[i], sign * other->count[i],
								&state->count[i]))
			nps_state_overflow();
	}
	if (nps_state_total(state) < 0)
		nps_state_overflow();
}

PG_FUNCTION_INFO_V1(mycc_nps_state_in);
/* Text input: "(promoters,passives,detractors)". */
Datum
mycc_nps_state_in(PG_FUNCTION_ARGS)
{
	char	   *text = PG_GETARG_CSTRING(0);
	int64		values[NPS_NCLASSES];
	NpsState   *state = nps_state_new();

	mycc_parse_counts(text, values, NPS_NCLASSES, "nps_state", NPS_STATE_DETAIL);
	for (int i = 0; i < NPS_NCLASSES; i++)
		state->count[nps_text_order[i]] = values[i];
	if (nps_state_total(state) < 0)
		mycc_input_error(PARSE_RANGE, "nps_state", text,
						 psprintf("The three counts add up to more than " INT64_FORMAT ".",
								  PG_INT64_MAX));
	PG_RETURN_NPS_STATE(state);
}

PG_FUNCTION_INFO_V1(mycc_nps_state_out);
/* Text output: "(promoters,passives,detractors)". */
Datum
mycc_nps_state_out(PG_FUNCTION_ARGS)
{
	NpsState   *state = PG_GETARG_NPS_STATE(0);

	PG_RETURN_CSTRING(psprintf("(" INT64_FORMAT "," INT64_FORMAT "," INT64_FORMAT ")",
							   state->count[NPS_PROMOTER],
							   state->count[NPS_PASSIVE],
							   state->count[NPS_DETRACTOR]));
}

PG_FUNCTION_INFO_V1(mycc_nps_state_recv);
/* Binary input: version byte, then promoters, passives, detractors as int8. */
Datum
mycc_nps_state_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int64		values[NPS_NCLASSES];
	NpsState   *state = nps_state_new();

	state->version = mycc_recv_counts(buf, values, NPS_NCLASSES, "nps_state");
	for (int i = 0; i < NPS_NCLASSES; i++)
		state->count[nps_text_order[i]] = values[i];
	mycc_state_check(nps_state_fault(state), "nps_state", true);
	PG_RETURN_NPS_STATE(state);
}

PG_FUNCTION_INFO_V1(mycc_nps_state_send);
/* Binary output: version byte, then promoters, passives, detractors. */
Datum
mycc_nps_state_send(PG_FUNCTION_ARGS)
{
	NpsState   *state = PG_GETARG_NPS_STATE(0);
	int64		values[NPS_NCLASSES];

	for (int i = 0; i < NPS_NCLASSES; i++)
		values[i] = state->count[nps_text_order[i]];
	PG_RETURN_BYTEA_P(mycc_send_counts(state->version, values, NPS_NCLASSES));
}

PG_FUNCTION_INFO_V1(mycc_nps_state_make);
/* nps_state(promoters, passives, detractors): a state from counts. */
Datum
mycc_nps_state_make(PG_FUNCTION_ARGS)
{
	NpsState   *state = nps_state_new();

	state->count[NPS_PROMOTER] = PG_GETARG_INT64(0);
	state->count[NPS_PASSIVE] = PG_GETARG_INT64(1);
	state->count[NPS_DETRACTOR] = PG_GETARG_INT64(2);
	for (int i = 0; i < NPS_NCLASSES; i++)
		if (state->count[i] < 0)
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("number of %ss must not be negative", nps_class_names[i])));
	if (nps_state_total(state) < 0)
		nps_state_overflow();
	PG_RETURN_NPS_STATE(state);
}

PG_FUNCTION_INFO_V1(mycc_nps_accum);
/* Transition: count one answer (nps_score). */
Datum
mycc_nps_accum(PG_FUNCTION_ARGS)
{
	NpsState   *state = nps_state_for_update(fcinfo);

	nps_state_count(state, nps_class_of(PG_GETARG_NPS_SCORE(1)), 1);
	PG_RETURN_NPS_STATE(state);
}

PG_FUNCTION_INFO_V1(mycc_nps_accum_int4);
/* Transition: count one answer given as an integer, range-checked. */
Datum
mycc_nps_accum_int4(PG_FUNCTION_ARGS)
{
	int			score = nps_score_check(PG_GETARG_INT32(1));
	NpsState   *state = nps_state_for_update(fcinfo);

	nps_state_count(state, nps_class_of(score), 1);
	PG_RETURN_NPS_STATE(state);
}

PG_FUNCTION_INFO_V1(mycc_nps_deaccum);
/* Inverse transition (moving window): uncount one answer. */
Datum
mycc_nps_deaccum(PG_FUNCTION_ARGS)
{
	NpsState   *state = nps_state_for_update(fcinfo);

	nps_state_count(state, nps_class_of(PG_GETARG_NPS_SCORE(1)), -1);
	PG_RETURN_NPS_STATE(state);
}

PG_FUNCTION_INFO_V1(mycc_nps_deaccum_int4);
/* Inverse transition (moving window): uncount one integer answer. */
Datum
mycc_nps_deaccum_int4(PG_FUNCTION_ARGS)
{
	int			score = nps_score_check(PG_GETARG_INT32(1));
	NpsState   *state = nps_state_for_update(fcinfo);

	nps_state_count(state, nps_class_of(score), -1);
	PG_RETURN_NPS_STATE(state);
}

PG_FUNCTION_INFO_V1(mycc_nps_combine);
/* Combine: the sum of two states (also the + operator). */
Datum
mycc_nps_combine(PG_FUNCTION_ARGS)
{
	NpsState   *state = nps_state_for_update(fcinfo);

	nps_state_combine(state, PG_GETARG_NPS_STATE(1), 1);
	PG_RETURN_NPS_STATE(state);
}

PG_FUNCTION_INFO_V1(mycc_nps_uncombine);
/* Inverse of combine (moving nps_merge): subtract a state's counts. */
Datum
mycc_nps_uncombine(PG_FUNCTION_ARGS)
{
	NpsState   *state = nps_state_for_update(fcinfo);

	nps_state_combine(state, PG_GETARG_NPS_STATE(1), -1);
	PG_RETURN_NPS_STATE(state);
}

/* Count accessors. */
#define NPS_STATE_COUNT_ACCESSOR(name, expr) \
PG_FUNCTION_INFO_V1(mycc_nps_##name); \
Datum \
mycc_nps_##name(PG_FUNCTION_ARGS) \
{ \
	NpsState   *state = PG_GETARG_NPS_STATE(0); \
	PG_RETURN_INT64(expr); \
}

NPS_STATE_COUNT_ACCESSOR(promoters, state->count[NPS_PROMOTER])
NPS_STATE_COUNT_ACCESSOR(passives, state->count[NPS_PASSIVE])
NPS_STATE_COUNT_ACCESSOR(detractors, state->count[NPS_DETRACTOR])
NPS_STATE_COUNT_ACCESSOR(count, nps_state_total(state))
