/*
 * counts.c
 *		Helpers shared by the counting states nps_state and csat_state
 *		(counts.h): their text and binary forms, their aggregates'
 *		transition state, and the z value of a confidence level.
 */
#include "postgres.h"

#include <math.h>

#include "libpq/pqformat.h"

#include "counts.h"
#include "mycc.h"
#include "parse.h"
#include "stats.h"

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
	ParseResult result;

	Assert(nvalues <= lengthof(parsed));
	result = parse_count_tuple(text, parsed, nvalues);
	if (result != PARSE_OK)
		mycc_input_error(result, type_name, text, detail);
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

/* A new state of size bytes, zeroed, of this version. */
void *
mycc_state_new(Size size)
{
	CountsHeader *state = palloc0(size);

	SET_VARSIZE(state, size);
	state->version = MYCC_STATE_VERSION;
	return state;
}

/* Why the header of a state of size bytes is wrong, or NULL. */
const char *
mycc_state_header_fault(const void *state, Size size)
{
	const CountsHeader *header = state;

	if (VARSIZE(header) != size)
		return psprintf("The value has size %u; this build of mycc reads size %u.",
						(unsigned) VARSIZE(header), (unsigned) size);
	if (header->version != MYCC_STATE_VERSION || header->flags != 0)
		return psprintf("The value has version %u and flags %u; this build of mycc reads version %u, flags 0.",
						(unsigned) header->version, (unsigned) header->flags,
						(unsigned) MYCC_STATE_VERSION);
	return NULL;
}

/* Reports fault: XX001 for a stored state, 22P03 for a received one. */
void
mycc_state_check(const char *fault, const char *type_name, bool received)
{
	if (fault == NULL)
		return;
	if (received)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary %s", type_name),
				 errdetail_internal("%s", fault)));
	ereport(ERROR,
			(errcode(ERRCODE_DATA_CORRUPTED),
			 errmsg("invalid %s value", type_name),
			 errdetail_internal("%s", fault)));
}
