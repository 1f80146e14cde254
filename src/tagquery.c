/*
 * tagquery.c
 *		The tagquery type (a Boolean rule over tags), its I/O, the one
 *		evaluator and the @@ operators.
 */
#include "postgres.h"

#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

#include "tags.h"

/* Reports a damaged stored or received query (code 22P03 or XX001). */
static pg_attribute_noreturn() void
tagquery_invalid(int code)
{
	ereport(ERROR,
			(errcode(code),
			 errmsg("invalid tagquery value"),
			 errdetail("The items of the query are not consistent.")));
}

/* Checks header, size and item structure of a query value. */
static void
tagquery_check(const TagQuery *q, int code)
{
	Size		size = VARSIZE(q);

	if (size < TAGQUERY_HEADER_SIZE || q->version != MYCC_TAGQUERY_VERSION ||
		q->flags != 0 || q->reserved != 0 || q->nitems < 1 ||
		q->nitems > MYCC_TAGQUERY_MAX_ITEMS ||
		size < TAGQUERY_HEADER_SIZE + sizeof(TagQueryItem) * q->nitems ||
		!tagquery_items_valid(q->items, q->nitems, TAGQUERY_NBYTES(q)))
		tagquery_invalid(code);
}

/* Detoasts a stored query and checks its structure. */
TagQuery *
tagquery_from_datum(Datum datum)
{
	TagQuery   *q = (TagQuery *) PG_DETOAST_DATUM(datum);

	tagquery_check(q, ERRCODE_DATA_CORRUPTED);
	return q;
}

/* A query value from parsed items and bytes. */
static TagQuery *
tagquery_build(const TagQueryItem *items, size_t nitems, const char *bytes,
			   size_t nbytes)
{
	Size		size = TAGQUERY_HEADER_SIZE + sizeof(TagQueryItem) * nitems + nbytes;
	TagQuery   *q = palloc0(size);

	SET_VARSIZE(q, size);
	q->version = MYCC_TAGQUERY_VERSION;
	q->nitems = (int32) nitems;
	memcpy(q->items, items, sizeof(TagQueryItem) * nitems);
	memcpy(TAGQUERY_BYTES(q), bytes, nbytes);
	return q;
}

/* Parses query text, or reports 42601 / 54000 / 54001 / 22021. */
static TagQuery *
tagquery_parse_text(const char *input, size_t len)
{
	size_t		capacity = tagquery_parse_capacity(len);
	TagQueryItem *items = palloc(sizeof(TagQueryItem) * capacity);
	void	   *work = palloc(tagquery_work_bytes(capacity));
	char	   *bytes;
	size_t		nitems;
	size_t		nbytes;
	TagParseError err;

	if (len > MaxAllocSize - 1)
		len = MaxAllocSize - 1; /* the parser rejects such a length anyway */
	bytes = palloc(len + 1);
	if (!tagquery_parse(input, len, items, capacity, bytes, work, &nitems,
						&nbytes, &err))
		tagset_report_parse_error(&err, "tagquery", input, ERRCODE_SYNTAX_ERROR);
	return tagquery_build(items, nitems, bytes, nbytes);
}

PG_FUNCTION_INFO_V1(mycc_tagquery_in);
/* Text input: "vip & !complainer", "(region:* | new) AND NOT churned". */
Datum
mycc_tagquery_in(PG_FUNCTION_ARGS)
{
	char	   *input = PG_GETARG_CSTRING(0);

	PG_RETURN_TAGQUERY(tagquery_parse_text(input, strlen(input)));
}

/*
 * Appends the subtree at item i in canonical form: n-ary operators joined
 * by " & " and " | ", NOT as "!", parentheses only where precedence needs
 * them (an OR inside an AND, an AND or OR under NOT).  Returns the next
 * item.  The depth is bounded by tagquery_check.
 */
static int
tagquery_append(StringInfo buf, const TagQuery *q, int i)
{
	const TagQueryItem *item = &q->items[i];
	int			next = i + 1;

	check_stack_depth();
	switch (item->type)
	{
		case TQ_TAG:
		case TQ_PREFIX:
			tag_append_text(buf, TAGQUERY_TERM(q, i), TAGQUERY_TERM_LEN(q, i), true);
			if (item->type == TQ_PREFIX)
				appendStringInfoChar(buf, '*');
			return next;
		default:
			break;
	}
	for (int k = 0; k < item->nargs; k++)
	{
		uint8		child = q->items[next].type;
		bool		parens = (item->type == TQ_NOT && (child == TQ_AND || child == TQ_OR)) ||
			(item->type == TQ_AND && child == TQ_OR);

		if (item->type == TQ_NOT)
			appendStringInfoChar(buf, '!');
		else if (k > 0)
			appendStringInfoString(buf, item->type == TQ_AND ? " & " : " | ");
		if (parens)
			appendStringInfoChar(buf, '(');
		next = tagquery_append(buf, q, next);
		if (parens)
			appendStringInfoChar(buf, ')');
	}
	return next;
}

PG_FUNCTION_INFO_V1(mycc_tagquery_out);
/* Text output, canonical (see tagquery_append). */
Datum
mycc_tagquery_out(PG_FUNCTION_ARGS)
{
	TagQuery   *q = PG_GETARG_TAGQUERY(0);
	StringInfoData buf;

	initStringInfo(&buf);
	tagquery_append(&buf, q, 0);
	PG_RETURN_CSTRING(buf.data);
}

PG_FUNCTION_INFO_V1(mycc_tagquery_recv);
/*
 * Binary input: the canonical text form, version byte first.  Parsing the
 * text again means recv accepts exactly what text input accepts.
 */
Datum
mycc_tagquery_recv(PG_FUNCTION_ARGS)
{
	StringInfo	msg = (StringInfo) PG_GETARG_POINTER(0);
	int			version;
	int			len;
	char	   *text;

	/* 22P03, not the protocol violation (08P01) of pq_getmsgbyte. */
	if (msg->cursor >= msg->len)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary tagquery"),
				 errdetail("The value has no version byte.")));
	version = pq_getmsgbyte(msg);
	if (version != MYCC_TAGQUERY_VERSION)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary tagquery"),
				 errdetail("The version byte is %d, not %d.", version,
						   MYCC_TAGQUERY_VERSION)));
	text = pq_getmsgtext(msg, msg->len - msg->cursor, &len);
	PG_RETURN_TAGQUERY(tagquery_parse_text(text, len));
}

PG_FUNCTION_INFO_V1(mycc_tagquery_send);
/* Binary output: version byte, then the canonical text. */
Datum
mycc_tagquery_send(PG_FUNCTION_ARGS)
{
	TagQuery   *q = PG_GETARG_TAGQUERY(0);
	StringInfoData text;
	StringInfoData buf;

	initStringInfo(&text);
	tagquery_append(&text, q, 0);
	pq_begintypsend(&buf);
	pq_sendbyte(&buf, MYCC_TAGQUERY_VERSION);
	pq_sendtext(&buf, text.data, text.len);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* Evaluates the subtree at item i (see tagquery_eval in tags.h). */
static double
eval_item(const TagQuery *q, int i, TagEvalMode mode, TagTermValue term, void *arg)
{
	const TagQueryItem *item = &q->items[i];
	bool		product = (mode == TAG_EVAL_PROBABILITY);
	int			child = i + 1;
	double		acc;

	if (tagquery_item_is_term(item))
		return term(arg, q, i);
	check_stack_depth();
	switch (item->type)
	{
		case TQ_TAG:
		case TQ_PREFIX:
			break;				/* handled above */
		case TQ_NOT:
			return 1.0 - eval_item(q, child, mode, term, arg);
		case TQ_AND:
			acc = 1.0;
			for (int k = 0; k < item->nargs && acc > 0.0; k++)
			{
				double		v = eval_item(q, child, mode, term, arg);

				acc = product ? acc * v : Min(acc, v);
				child = tagquery_next(q, child);
			}
			return acc;
		case TQ_OR:
			acc = 0.0;
			for (int k = 0; k < item->nargs && acc < 1.0; k++)
			{
				double		v = eval_item(q, child, mode, term, arg);

				acc = product ? 1.0 - (1.0 - acc) * (1.0 - v) : Max(acc, v);
				child = tagquery_next(q, child);
			}
			return acc;
	}
	elog(ERROR, "unknown tagquery item type %d", item->type);
	return 0.0;					/* keep compiler quiet */
}

double
tagquery_eval(const TagQuery *query, TagEvalMode mode, TagTermValue term, void *arg)
{
	return eval_item(query, 0, mode, term, arg);
}

/* Term value against a set: 1 when present. */
static double
term_in_set(void *arg, const TagQuery *q, int i)
{
	const TagSet *ts = arg;

	if (q->items[i].type == TQ_PREFIX)
		return tagset_has_prefix(ts, TAGQUERY_TERM(q, i), TAGQUERY_TERM_LEN(q, i));
	return tagset_find(ts, TAGQUERY_TERM(q, i), TAGQUERY_TERM_LEN(q, i)) >= 0;
}

bool
tagquery_matches(const TagQuery *query, const TagSet *ts)
{
	return tagquery_eval(query, TAG_EVAL_LOGIC, term_in_set, (void *) ts) > 0.5;
}

/* Term value for a set with no tags. */
static double
term_absent(void *arg, const TagQuery *q, int i)
{
	return 0.0;
}

bool
tagquery_matches_empty(const TagQuery *query)
{
	return tagquery_eval(query, TAG_EVAL_LOGIC, term_absent, NULL) > 0.5;
}

/*
 * A query prepared for matching stored sets: the checked query and, per
 * tag term, the signature bits and the fingerprint of its tag (0 for
 * other items).
 */
typedef struct TagMatchTerm
{
	uint64		bits;
	uint8		fingerprint;
} TagMatchTerm;

typedef struct TagMatchPlan
{
	TagQuery   *query;
	TagMatchTerm terms[FLEXIBLE_ARRAY_MEMBER];
} TagMatchPlan;

/* The plan of a checked query, allocated in context. */
static TagMatchPlan *
tag_match_plan(const TagQuery *q, MemoryContext context)
{
	TagMatchPlan *plan = MemoryContextAllocZero(context, offsetof(TagMatchPlan, terms) +
												sizeof(TagMatchTerm) * q->nitems);

	plan->query = MemoryContextAlloc(context, VARSIZE(q));
	memcpy(plan->query, q, VARSIZE(q));
	for (int i = 0; i < q->nitems; i++)
	{
		uint32		hash;

		if (q->items[i].type != TQ_TAG)
			continue;
		hash = tag_stable_hash(TAGQUERY_TERM(q, i), TAGQUERY_TERM_LEN(q, i));
		plan->terms[i].bits = tag_signature_bits(hash);
		plan->terms[i].fingerprint = tag_fingerprint(hash);
	}
	return plan;
}

/*
 * The plan of query argument argno.  When the argument cannot change
 * during the statement (a constant or an external parameter, the usual
 * WHERE tags @@ '...'), it is made once and kept in fn_extra.
 */
static const TagMatchPlan *
tag_match_plan_arg(FunctionCallInfo fcinfo, int argno)
{
	FmgrInfo   *flinfo = fcinfo->flinfo;
	TagMatchPlan *plan;

	if (flinfo->fn_extra != NULL)
		return (const TagMatchPlan *) flinfo->fn_extra;
	if (!get_fn_expr_arg_stable(flinfo, argno))
		return tag_match_plan(PG_GETARG_TAGQUERY(argno), CurrentMemoryContext);
	plan = tag_match_plan(PG_GETARG_TAGQUERY(argno), flinfo->fn_mcxt);
	flinfo->fn_extra = plan;
	return plan;
}

/*
 * A stored set as @@ reads it: in place (tagset_peek) when it can, so that
 * a tag term costs a test of the signature and, if that does not rule the
 * tag out, a scan of the fingerprints; a prefix term, or a set that cannot
 * be read in place (compressed, out of line, version 1), reads the whole
 * set with tagset_from_datum, once.
 */
typedef struct SetProbe
{
	const TagMatchPlan *plan;
	Datum		datum;
	bool		peeked;
	TagSetPeek	peek;
	TagSet	   *ts;				/* NULL until read */
} SetProbe;

static double
term_in_probe(void *arg, const TagQuery *q, int i)
{
	SetProbe   *probe = arg;
	const TagMatchTerm *term = &probe->plan->terms[i];

	if ((probe->peek.signature & term->bits) != term->bits)
		return 0.0;
	if (probe->peeked && q->items[i].type == TQ_TAG)
		return tagset_peek_has(&probe->peek, TAGQUERY_TERM(q, i), TAGQUERY_TERM_LEN(q, i),
							   term->fingerprint);
	if (probe->ts == NULL)
		probe->ts = tagset_from_datum(probe->datum);
	return term_in_set(probe->ts, q, i);
}

/* Whether the stored set (a datum of type tagset) satisfies the plan's query. */
static bool
tag_match_datum(const TagMatchPlan *plan, Datum datum)
{
	SetProbe	probe = {plan, datum, false};

	probe.peeked = tagset_peek(datum, &probe.peek);
	if (!probe.peeked)
	{
		probe.ts = tagset_from_datum(datum);
		probe.peek.signature = tagset_signature_value(probe.ts->signature);
	}
	return tagquery_eval(plan->query, TAG_EVAL_LOGIC, term_in_probe, &probe) > 0.5;
}

PG_FUNCTION_INFO_V1(mycc_tagset_matches);
/* tagset @@ tagquery */
Datum
mycc_tagset_matches(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(tag_match_datum(tag_match_plan_arg(fcinfo, 1), PG_GETARG_DATUM(0)));
}

PG_FUNCTION_INFO_V1(mycc_tagquery_matched);
/* tagquery @@ tagset (the commuted form) */
Datum
mycc_tagquery_matched(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(tag_match_datum(tag_match_plan_arg(fcinfo, 0), PG_GETARG_DATUM(1)));
}
