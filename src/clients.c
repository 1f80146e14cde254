/*
 * clients.c
 *		Tag sets as arrays and JSON, for client libraries that decode
 *		PostgreSQL's built-in types only (src/sql/clients.sql,
 *		docs/clients.md).  C, not SQL: to_jsonb(row) and row_to_json call
 *		a type's cast to json through the function manager for every value,
 *		which would plan a SQL function's body again each time.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/json.h"
#include "utils/jsonb.h"

#include "tags.h"

PG_FUNCTION_INFO_V1(mycc_tag_array);
/* tag_array(tagset) -> text[]: the tags, in the set's order. */
Datum
mycc_tag_array(PG_FUNCTION_ARGS)
{
	TagSet	   *ts = PG_GETARG_TAGSET(0);
	Datum	   *elems;

	if (ts->ntags == 0)
		PG_RETURN_ARRAYTYPE_P(construct_empty_array(TEXTOID));
	elems = palloc(sizeof(Datum) * ts->ntags);
	for (int i = 0; i < ts->ntags; i++)
		elems[i] = PointerGetDatum(cstring_to_text_with_len(TAGSET_TAG(ts, i), TAGSET_TAG_LEN(ts, i)));
	PG_RETURN_ARRAYTYPE_P(construct_array(elems, ts->ntags, TEXTOID, -1, false, TYPALIGN_INT));
}

PG_FUNCTION_INFO_V1(mycc_tagset_json);
/* tagset_json(tagset) -> json: an array of strings, as to_json(text[]) writes it. */
Datum
mycc_tagset_json(PG_FUNCTION_ARGS)
{
	TagSet	   *ts = PG_GETARG_TAGSET(0);
	StringInfoData buf;

	initStringInfo(&buf);
	appendStringInfoChar(&buf, '[');
	for (int i = 0; i < ts->ntags; i++)
	{
		char	   *tag = pnstrdup(TAGSET_TAG(ts, i), TAGSET_TAG_LEN(ts, i));

		if (i > 0)
			appendStringInfoChar(&buf, ',');
		escape_json(&buf, tag);
		pfree(tag);
	}
	appendStringInfoChar(&buf, ']');
	PG_RETURN_TEXT_P(cstring_to_text_with_len(buf.data, buf.len));
}

PG_FUNCTION_INFO_V1(mycc_tagset_jsonb);
/* tagset_jsonb(tagset) -> jsonb: an array of strings. */
Datum
mycc_tagset_jsonb(PG_FUNCTION_ARGS)
{
	TagSet	   *ts = PG_GETARG_TAGSET(0);
	JsonbParseState *state = NULL;
	JsonbValue *array;

	pushJsonbValue(&state, WJB_BEGIN_ARRAY, NULL);
	for (int i = 0; i < ts->ntags; i++)
	{
		JsonbValue	tag;

		tag.type = jbvString;
		tag.val.string.val = TAGSET_TAG(ts, i);
		tag.val.string.len = TAGSET_TAG_LEN(ts, i);
		pushJsonbValue(&state, WJB_ELEM, &tag);
	}
	array = pushJsonbValue(&state, WJB_END_ARRAY, NULL);
	PG_RETURN_JSONB_P(JsonbValueToJsonb(array));
}
