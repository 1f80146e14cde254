/*
 * tagset_gin.c
 *		The GIN operator class of tagset (the default one).
 *
 * Keys are the tags themselves, stored as text and ordered bytewise
 * (support function 1 is pg_catalog.bttext_pattern_cmp, which is memcmp
 * then length: the order of tags in a tagset).  This key encoding is an
 * on-disk format: a tag's key is exactly its stored bytes.
 *
 * Strategies, their search modes and whether a match needs a recheck:
 *
 *	 1 &&  keys: the query's tags.  Any key present is a match; exact.  An
 *		   empty query has no keys and matches nothing.
 *	 2 @>  keys: the query's tags.  All present is a match; exact.  An empty
 *		   query matches every row: GIN_SEARCH_MODE_ALL.
 *	 3 <@  keys: the query's tags, plus empty sets (INCLUDE_EMPTY).  The
 *		   index cannot see a row's other tags: always recheck.
 *	 4 =   as <@ for the candidates (rows with all the keys, or empty rows
 *		   for an empty query); the row may have more tags: recheck.
 *	 5 @@  keys: every term of the query, in item order; a prefix term is a
 *		   partial-match key (comparePartial).  A key's check flag is exact
 *		   for tags and for prefixes alike (the key is the tag's bytes, not a
 *		   hash), so the query's value over the flags is the row's answer: no
 *		   recheck.  A query of at most GIN_TRUTH_KEYS keys (most queries) is
 *		   decided by its truth table, which extractQuery fills with the one
 *		   evaluator, one bit per combination of keys present: a row costs a
 *		   shift and a mask, and an unknown key of triConsistent (GIN_MAYBE)
 *		   is answered exactly, over both of its values.  A larger query is
 *		   the verdict of @> or && over its keys when it is a term or an AND
 *		   or OR of terms only, and the evaluator's otherwise, each term's
 *		   truth being its key's flag.  A query true of a set with none of
 *		   its terms ("!a", "a | !b") could match rows holding no key at all,
 *		   so it uses GIN_SEARCH_MODE_ALL, where consistent sees every row.
 */
#include "postgres.h"

#include "access/gin.h"
#include "access/stratnum.h"
#include "utils/builtins.h"

#include "tags.h"

#define TAGSET_OVERLAP_STRATEGY		1
#define TAGSET_CONTAINS_STRATEGY	2
#define TAGSET_CONTAINED_STRATEGY	3
#define TAGSET_EQUAL_STRATEGY		4
#define TAGSET_MATCH_STRATEGY		5

/* One key per tag of a set. */
static Datum *
tagset_keys(const TagSet *ts, int32 *nkeys)
{
	Datum	   *keys = palloc(sizeof(Datum) * Max(ts->ntags, 1));

	for (int i = 0; i < ts->ntags; i++)
		keys[i] = PointerGetDatum(cstring_to_text_with_len(TAGSET_TAG(ts, i),
														   TAGSET_TAG_LEN(ts, i)));
	*nkeys = ts->ntags;
	return keys;
}

PG_FUNCTION_INFO_V1(mycc_tagset_gin_extract_value);
/* extractValue: the tags of an indexed set. */
Datum
mycc_tagset_gin_extract_value(PG_FUNCTION_ARGS)
{
	TagSet	   *ts = PG_GETARG_TAGSET(0);
	int32	   *nkeys = (int32 *) PG_GETARG_POINTER(1);

	PG_RETURN_POINTER(tagset_keys(ts, nkeys));
}

/* Queries of at most this many keys carry a truth table (2^6 bits). */
#define GIN_TRUTH_KEYS 6

/*
 * What consistent needs of a @@ query, made once by extractQuery and passed
 * as the first key's extra_data: the checked query itself (so consistent
 * does not detoast and check it for every candidate row), the map from
 * item number to key number, and either the truth table (bit m is the
 * query's value when key k is present exactly when bit k of m is set) or,
 * for a larger query, the strategy whose verdict is the query's: @> (all
 * keys) for one term or an AND of terms, && (any key) for an OR of terms,
 * which need no evaluator; @@ for any other query.
 */
typedef struct GinQueryPlan
{
	TagQuery   *query;
	bool		has_truth;
	uint64		truth;
	StrategyNumber verdict_as;
	int			key_of_item[FLEXIBLE_ARRAY_MEMBER];
} GinQueryPlan;

/* The strategy whose verdict is the query's (see GinQueryPlan). */
static StrategyNumber
tagquery_verdict_as(const TagQuery *q)
{
	for (int i = 1; i < q->nitems; i++)
		if (!tagquery_item_is_term(&q->items[i]))
			return TAGSET_MATCH_STRATEGY;
	switch (q->items[0].type)
	{
		case TQ_OR:
			return TAGSET_OVERLAP_STRATEGY;
		case TQ_NOT:
			return TAGSET_MATCH_STRATEGY;
		default:
			return TAGSET_CONTAINS_STRATEGY;	/* a term, an AND of terms */
	}
}

/*
 * The keys' check flags as consistent (bool) or triConsistent (ternary)
 * receives them, read as 1 (present), 0 (absent) or 0.5 (GIN_MAYBE).
 */
typedef struct GinKeys
{
	const bool *check;
	const GinTernaryValue *tri;
	const int  *key_of_item;	/* @@ only */
} GinKeys;

static double
key_value(const GinKeys *keys, int k)
{
	if (keys->tri == NULL)
		return keys->check[k] ? 1.0 : 0.0;
	return keys->tri[k] == GIN_TRUE ? 1.0 : (keys->tri[k] == GIN_MAYBE ? 0.5 : 0.0);
}

/* Term value from the index: its key's value. */
static double
term_checked(void *arg, const TagQuery *q, int i)
{
	const GinKeys *keys = arg;

	return key_value(keys, keys->key_of_item[i]);
}

/* The truth table of a plan's query over its nkeys (<= GIN_TRUTH_KEYS) keys. */
static uint64
tagquery_truth_table(const GinQueryPlan *plan, int nkeys)
{
	bool		check[GIN_TRUTH_KEYS];
	GinKeys		keys = {check, NULL, plan->key_of_item};
	uint64		truth = 0;

	for (uint32 m = 0; m < (UINT64CONST(1) << nkeys); m++)
	{
		for (int k = 0; k < nkeys; k++)
			check[k] = (m >> k) & 1;
		if (tagquery_eval(plan->query, TAG_EVAL_LOGIC, term_checked, &keys) > 0.5)
			truth |= UINT64CONST(1) << m;
	}
	return truth;
}

/* Keys of a tag query: one per term, in item order. */
static Datum *
tagquery_keys(TagQuery *q, int32 *nkeys, bool **pmatch,
			  Pointer **extra_data)
{
	Datum	   *keys = palloc(sizeof(Datum) * q->nitems);
	GinQueryPlan *plan = palloc(offsetof(GinQueryPlan, key_of_item) +
								sizeof(int) * q->nitems);
	int		   *key_of_item = plan->key_of_item;
	int			n = 0;

	*pmatch = palloc0(sizeof(bool) * q->nitems);
	for (int i = 0; i < q->nitems; i++)
	{
		key_of_item[i] = -1;
		if (!tagquery_item_is_term(&q->items[i]))
			continue;
		keys[n] = PointerGetDatum(cstring_to_text_with_len(TAGQUERY_TERM(q, i),
														   TAGQUERY_TERM_LEN(q, i)));
		(*pmatch)[n] = q->items[i].type == TQ_PREFIX;
		key_of_item[i] = n++;
	}
	plan->query = q;
	plan->verdict_as = tagquery_verdict_as(q);
	plan->has_truth = n <= GIN_TRUTH_KEYS;
	if (plan->has_truth)
		plan->truth = tagquery_truth_table(plan, n);
	*extra_data = palloc0(sizeof(Pointer) * Max(n, 1));
	(*extra_data)[0] = (Pointer) plan;
	*nkeys = n;
	return keys;
}

PG_FUNCTION_INFO_V1(mycc_tagset_gin_extract_query);
/* extractQuery: keys and search mode per strategy (see the file header). */
Datum
mycc_tagset_gin_extract_query(PG_FUNCTION_ARGS)
{
	int32	   *nkeys = (int32 *) PG_GETARG_POINTER(1);
	StrategyNumber strategy = PG_GETARG_UINT16(2);
	bool	  **pmatch = (bool **) PG_GETARG_POINTER(3);
	Pointer   **extra_data = (Pointer **) PG_GETARG_POINTER(4);
	int32	   *search_mode = (int32 *) PG_GETARG_POINTER(6);
	Datum	   *keys;

	if (strategy == TAGSET_MATCH_STRATEGY)
	{
		TagQuery   *q = PG_GETARG_TAGQUERY(0);

		keys = tagquery_keys(q, nkeys, pmatch, extra_data);
		if (tagquery_matches_empty(q))
			*search_mode = GIN_SEARCH_MODE_ALL;
		PG_RETURN_POINTER(keys);
	}
	keys = tagset_keys(PG_GETARG_TAGSET(0), nkeys);
	switch (strategy)
	{
		case TAGSET_OVERLAP_STRATEGY:
			break;				/* no keys: no match */
		case TAGSET_CONTAINS_STRATEGY:
			if (*nkeys == 0)
				*search_mode = GIN_SEARCH_MODE_ALL;
			break;
		case TAGSET_CONTAINED_STRATEGY:
			*search_mode = GIN_SEARCH_MODE_INCLUDE_EMPTY;
			break;
		case TAGSET_EQUAL_STRATEGY:
			if (*nkeys == 0)
				*search_mode = GIN_SEARCH_MODE_INCLUDE_EMPTY;
			break;
		default:
			elog(ERROR, "tagset_ops: unknown strategy %d", strategy);
	}
	PG_RETURN_POINTER(keys);
}

/* The truth table of a scan key, or NULL (not @@, or a larger query). */
static inline const GinQueryPlan *
truth_plan(StrategyNumber strategy, Pointer *extra_data)
{
	const GinQueryPlan *plan;

	if (strategy != TAGSET_MATCH_STRATEGY)
		return NULL;
	plan = (const GinQueryPlan *) extra_data[0];
	return plan->has_truth ? plan : NULL;
}

/*
 * A query's value from its truth table, given the keys present and the
 * unknown ones (GIN_MAYBE, as bits): the bit of the keys present when none
 * is unknown; otherwise true or false when every combination of the
 * unknown keys' values gives it, maybe if not.
 */
static GinTernaryValue
truth_value(uint64 truth, uint32 present, uint32 unknown)
{
	uint32		s = unknown;
	bool		any = false;
	bool		all = true;

	if (unknown == 0)
		return (truth >> present) & 1 ? GIN_TRUE : GIN_FALSE;
	/* Every subset s of the unknown keys, the empty one last. */
	for (;;)
	{
		bool		value = (truth >> (present | s)) & 1;

		any |= value;
		all &= value;
		if (s == 0)
			break;
		s = (s - 1) & unknown;
	}
	return all ? GIN_TRUE : (any ? GIN_MAYBE : GIN_FALSE);
}

/*
 * Whether a row with these keys matches: 1, 0, or 0.5 (unknown, only with
 * GIN_MAYBE keys), and whether a match still needs the heap row (see the
 * file header).  Shared by consistent and triConsistent, for every scan
 * key but those with a truth table, which they read themselves.
 */
static double
gin_verdict(StrategyNumber strategy, GinKeys *keys, int32 nkeys,
			Pointer *extra_data, bool *recheck)
{
	double		min = 1.0;
	double		max = 0.0;

	*recheck = false;
	if (strategy == TAGSET_MATCH_STRATEGY)
	{
		const GinQueryPlan *plan = (const GinQueryPlan *) extra_data[0];

		strategy = plan->verdict_as;
		if (strategy == TAGSET_MATCH_STRATEGY)
		{
			keys->key_of_item = plan->key_of_item;
			return tagquery_eval(plan->query, TAG_EVAL_LOGIC, term_checked, keys);
		}
	}
	for (int k = 0; k < nkeys; k++)
	{
		min = Min(min, key_value(keys, k));
		max = Max(max, key_value(keys, k));
	}
	switch (strategy)
	{
		case TAGSET_OVERLAP_STRATEGY:
			return max;
		case TAGSET_CONTAINS_STRATEGY:
			return min;
		case TAGSET_CONTAINED_STRATEGY:
			*recheck = true;
			return 1.0;
		case TAGSET_EQUAL_STRATEGY:
			*recheck = true;
			return min;
	}
	elog(ERROR, "tagset_ops: unknown strategy %d", strategy);
	return 0.0;					/* keep compiler quiet */
}

PG_FUNCTION_INFO_V1(mycc_tagset_gin_consistent);
/* consistent: whether a row with these keys matches. */
Datum
mycc_tagset_gin_consistent(PG_FUNCTION_ARGS)
{
	bool	   *check = (bool *) PG_GETARG_POINTER(0);
	StrategyNumber strategy = PG_GETARG_UINT16(1);
	int32		nkeys = PG_GETARG_INT32(3);
	Pointer    *extra_data = (Pointer *) PG_GETARG_POINTER(4);
	bool	   *recheck = (bool *) PG_GETARG_POINTER(5);
	const GinQueryPlan *plan = truth_plan(strategy, extra_data);
	GinKeys		keys = {check, NULL, NULL};

	if (plan != NULL)
	{
		uint32		present = 0;

		for (int k = 0; k < nkeys; k++)
			present |= (uint32) check[k] << k;
		*recheck = false;
		PG_RETURN_BOOL(truth_value(plan->truth, present, 0) == GIN_TRUE);
	}
	PG_RETURN_BOOL(gin_verdict(strategy, &keys, nkeys, extra_data, recheck) > 0.0);
}

PG_FUNCTION_INFO_V1(mycc_tagset_gin_tri_consistent);
/*
 * triConsistent: the same verdict with unknown keys.  It lets GIN see
 * which keys a match needs (vip in "vip & !complainer") and fetch the
 * others only for rows that have those, instead of every row with any key.
 */
Datum
mycc_tagset_gin_tri_consistent(PG_FUNCTION_ARGS)
{
	GinTernaryValue *check = (GinTernaryValue *) PG_GETARG_POINTER(0);
	StrategyNumber strategy = PG_GETARG_UINT16(1);
	int32		nkeys = PG_GETARG_INT32(3);
	Pointer    *extra_data = (Pointer *) PG_GETARG_POINTER(4);
	const GinQueryPlan *plan = truth_plan(strategy, extra_data);
	GinKeys		keys = {NULL, check, NULL};
	bool		recheck;
	double		verdict;

	if (plan != NULL)
	{
		uint32		present = 0;
		uint32		unknown = 0;

		for (int k = 0; k < nkeys; k++)
		{
			present |= (uint32) (check[k] == GIN_TRUE) << k;
			unknown |= (uint32) (check[k] == GIN_MAYBE) << k;
		}
		PG_RETURN_GIN_TERNARY_VALUE(truth_value(plan->truth, present, unknown));
	}
	verdict = gin_verdict(strategy, &keys, nkeys, extra_data, &recheck);
	if (verdict == 0.0)
		PG_RETURN_GIN_TERNARY_VALUE(GIN_FALSE);
	if (verdict == 1.0 && !recheck)
		PG_RETURN_GIN_TERNARY_VALUE(GIN_TRUE);
	PG_RETURN_GIN_TERNARY_VALUE(GIN_MAYBE);
}

PG_FUNCTION_INFO_V1(mycc_tagset_gin_compare_partial);
/*
 * comparePartial for prefix terms: the scan starts at the prefix and walks
 * keys in order; keys starting with it match (0), the first that does not
 * ends the scan (1), since every later key sorts after the prefix range.
 */
Datum
mycc_tagset_gin_compare_partial(PG_FUNCTION_ARGS)
{
	text	   *prefix = PG_GETARG_TEXT_PP(0);
	text	   *key = PG_GETARG_TEXT_PP(1);
	Size		plen = VARSIZE_ANY_EXHDR(prefix);

	if (VARSIZE_ANY_EXHDR(key) >= plen &&
		memcmp(VARDATA_ANY(key), VARDATA_ANY(prefix), plen) == 0)
		PG_RETURN_INT32(0);
	PG_RETURN_INT32(1);
}
