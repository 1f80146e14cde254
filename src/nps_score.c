/*
 * nps_score.c
 *		The nps_score type: one 0-10 answer, one byte, passed by value.
 *		Text and binary I/O, casts, comparison and hashing, nps_class().
 */
#include "postgres.h"

#include "access/hash.h"
#include "catalog/pg_enum.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/numeric.h"
#include "utils/syscache.h"

#include "mycc.h"
#include "nps.h"
#include "parse.h"

#define NPS_SCORE_DETAIL "An NPS answer is an integer from 0 to 10."

/* Reports text that is not an answer: 22P02, or 22003 outside 0..10. */
static pg_attribute_noreturn() void
nps_score_input_error(ParseResult result, const char *text)
{
	mycc_input_error(result, "nps_score", text, NPS_SCORE_DETAIL);
}

/* Rejects an integer outside 0..10 with 22003, naming the value. */
int
nps_score_check(int64 value)
{
	if (value < MYCC_NPS_MIN || value > MYCC_NPS_MAX)
		nps_score_input_error(PARSE_RANGE, psprintf(INT64_FORMAT, value));
	return (int) value;
}

PG_FUNCTION_INFO_V1(mycc_nps_score_in);
/* Text input: an integer 0..10, surrounding white space allowed. */
Datum
mycc_nps_score_in(PG_FUNCTION_ARGS)
{
	char	   *text = PG_GETARG_CSTRING(0);
	int			score = 0;
	ParseResult result = parse_bounded_int(text, MYCC_NPS_MIN, MYCC_NPS_MAX, &score);

	if (result != PARSE_OK)
		nps_score_input_error(result, text);
	PG_RETURN_NPS_SCORE(score);
}

PG_FUNCTION_INFO_V1(mycc_nps_score_out);
/* Text output: the decimal number. */
Datum
mycc_nps_score_out(PG_FUNCTION_ARGS)
{
	PG_RETURN_CSTRING(psprintf("%d", PG_GETARG_NPS_SCORE(0)));
}

PG_FUNCTION_INFO_V1(mycc_nps_score_recv);
/* Binary input: one byte, 0..10. */
Datum
mycc_nps_score_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);

	int			score;

	if (buf->cursor >= buf->len)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("insufficient data left in message for type nps_score")));
	score = pq_getmsgbyte(buf);
	if (score > MYCC_NPS_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary nps_score: byte %d", score),
				 errdetail(NPS_SCORE_DETAIL)));
	PG_RETURN_NPS_SCORE(score);
}

PG_FUNCTION_INFO_V1(mycc_nps_score_send);
/* Binary output: one byte. */
Datum
mycc_nps_score_send(PG_FUNCTION_ARGS)
{
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, (uint8) PG_GETARG_NPS_SCORE(0));
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

PG_FUNCTION_INFO_V1(mycc_nps_score_from_int2);
/* Cast smallint to nps_score, range-checked. */
Datum
mycc_nps_score_from_int2(PG_FUNCTION_ARGS)
{
	PG_RETURN_NPS_SCORE(nps_score_check(PG_GETARG_INT16(0)));
}

PG_FUNCTION_INFO_V1(mycc_nps_score_from_int4);
/* Cast integer to nps_score, range-checked. */
Datum
mycc_nps_score_from_int4(PG_FUNCTION_ARGS)
{
	PG_RETURN_NPS_SCORE(nps_score_check(PG_GETARG_INT32(0)));
}

PG_FUNCTION_INFO_V1(mycc_nps_score_from_int8);
/* Cast bigint to nps_score, range-checked. */
Datum
mycc_nps_score_from_int8(PG_FUNCTION_ARGS)
{
	PG_RETURN_NPS_SCORE(nps_score_check(PG_GETARG_INT64(0)));
}

PG_FUNCTION_INFO_V1(mycc_nps_score_from_numeric);
/* Cast numeric to nps_score: it must be integral (22P02) and in range. */
Datum
mycc_nps_score_from_numeric(PG_FUNCTION_ARGS)
{
	Datum		num = PG_GETARG_DATUM(0);
	char	   *shown = DatumGetCString(DirectFunctionCall1(numeric_out, num));
	Datum		truncated;
	double		value;

	if (numeric_is_nan(DatumGetNumeric(num)))
		nps_score_input_error(PARSE_SYNTAX, shown);
	truncated = DirectFunctionCall2(numeric_trunc, num, Int32GetDatum(0));
	if (!DatumGetBool(DirectFunctionCall2(numeric_eq, num, truncated)))
		nps_score_input_error(PARSE_SYNTAX, shown);
	/* Integral values in and near 0..10 are exact in a double. */
	value = DatumGetFloat8(DirectFunctionCall1(numeric_float8_no_overflow, truncated));
	if (!(value >= MYCC_NPS_MIN && value <= MYCC_NPS_MAX))
		nps_score_input_error(PARSE_RANGE, shown);
	PG_RETURN_NPS_SCORE((int) value);
}

PG_FUNCTION_INFO_V1(mycc_nps_score_to_int4);
/* Cast nps_score to integer (implicit). */
Datum
mycc_nps_score_to_int4(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(PG_GETARG_NPS_SCORE(0));
}

/* Comparison operators and the btree support function. */
#define NPS_SCORE_COMPARISON(name, op) \
PG_FUNCTION_INFO_V1(mycc_nps_score_##name); \
Datum \
mycc_nps_score_##name(PG_FUNCTION_ARGS) \
{ \
	PG_RETURN_BOOL(PG_GETARG_NPS_SCORE(0) op PG_GETARG_NPS_SCORE(1)); \
}

NPS_SCORE_COMPARISON(eq, ==)
NPS_SCORE_COMPARISON(ne, !=)
NPS_SCORE_COMPARISON(lt, <)
NPS_SCORE_COMPARISON(le, <=)
NPS_SCORE_COMPARISON(gt, >)
NPS_SCORE_COMPARISON(ge, >=)

PG_FUNCTION_INFO_V1(mycc_nps_score_cmp);
/* btree support: -1, 0 or 1. */
Datum
mycc_nps_score_cmp(PG_FUNCTION_ARGS)
{
	int			a = PG_GETARG_NPS_SCORE(0);
	int			b = PG_GETARG_NPS_SCORE(1);

	PG_RETURN_INT32((a > b) - (a < b));
}

PG_FUNCTION_INFO_V1(mycc_nps_score_hash);
/* hash support: the same hash as the integer value. */
Datum
mycc_nps_score_hash(PG_FUNCTION_ARGS)
{
	return hash_uint32((uint32) PG_GETARG_NPS_SCORE(0));
}

PG_FUNCTION_INFO_V1(mycc_nps_score_hash_extended);
/* Extended (seeded 64-bit) hash support, for hash partitioning. */
Datum
mycc_nps_score_hash_extended(PG_FUNCTION_ARGS)
{
	return hash_uint32_extended((uint32) PG_GETARG_NPS_SCORE(0),
								PG_GETARG_INT64(1));
}

/*
 * Looks up the pg_enum OIDs of the nps_class labels (the return type of the
 * calling function), in NpsClass order.
 */
static Oid *
nps_class_label_oids(FmgrInfo *flinfo)
{
	static const char *const labels[NPS_NCLASSES] = {"detractor", "passive", "promoter"};
	Oid			enum_type = get_func_rettype(flinfo->fn_oid);
	Oid		   *oids = MemoryContextAlloc(flinfo->fn_mcxt, sizeof(Oid) * NPS_NCLASSES);

	for (int i = 0; i < NPS_NCLASSES; i++)
	{
		oids[i] = GetSysCacheOid2(ENUMTYPOIDNAME, Anum_pg_enum_oid,
								  ObjectIdGetDatum(enum_type),
								  CStringGetDatum(labels[i]));
		if (!OidIsValid(oids[i]))
			elog(ERROR, "enum label \"%s\" of type %u not found", labels[i], enum_type);
	}
	return oids;
}

/* The nps_class enum value of a valid score. */
static Datum
nps_class_datum(FunctionCallInfo fcinfo, int score)
{
	Oid		   *labels = (Oid *) fcinfo->flinfo->fn_extra;

	if (labels == NULL)
	{
		labels = nps_class_label_oids(fcinfo->flinfo);
		fcinfo->flinfo->fn_extra = labels;
	}
	return ObjectIdGetDatum(labels[nps_class_of(score)]);
}

PG_FUNCTION_INFO_V1(mycc_nps_class);
/* nps_class(score): detractor (0-6), passive (7-8) or promoter (9-10). */
Datum
mycc_nps_class(PG_FUNCTION_ARGS)
{
	return nps_class_datum(fcinfo, PG_GETARG_NPS_SCORE(0));
}

PG_FUNCTION_INFO_V1(mycc_nps_class_int4);
/* nps_class(integer): the same for an integer answer, range-checked. */
Datum
mycc_nps_class_int4(PG_FUNCTION_ARGS)
{
	return nps_class_datum(fcinfo, nps_score_check(PG_GETARG_INT32(0)));
}
