/*
 * tag_rules.c
 *		Reverse matching: which of many rules (tag queries) a set satisfies,
 *		testing only candidate rules; and mycc.treatments(), its use over
 *		mycc.treatment_rule.  The routing rules reuse the same index.
 *
 * Anchors.  For each rule the index keeps anchor terms: a set of tags and
 * prefixes such that any set satisfying the rule holds at least one of
 * them.  A tag or prefix term is its own anchor; an AND needs all its
 * operands, so the anchors of one operand suffice: the cheapest one, where
 * an anchor costs the number of rules that name its tag (a tag many rules
 * name, like vip, is likely common among customers too, and rules piled on
 * one anchor are all tested whenever it is present);
 * an OR needs one operand, so the union of its operands' anchors; NOT
 * gives none.  A rule without anchors ("!complainer") is always a
 * candidate.  A call looks each tag of the set up in a hash table of
 * anchor tags, checks each anchor prefix against the set by binary search,
 * adds the always-candidates, and evaluates just those rules, in rule
 * order.  With thousands of rules over a large vocabulary a set meets a
 * handful of candidates.
 *
 * Rule tables (mycc.treatment_rule, mycc.routing_rule) are read into a
 * per-backend RuleCache each (its own memory context under
 * CacheMemoryContext), ordered by priority (descending) then id, and thrown
 * away when the table changes: its statement trigger sends a relcache
 * invalidation (mycc_policy_invalidate) that the callback registered by
 * rule_cache_register() receives.  A reload that an invalidation overtakes
 * is read again; reloads read the latest committed rules, whatever the
 * transaction's snapshot.
 */
#include "postgres.h"

#include "catalog/namespace.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"

#include "cache.h"
#include "citus.h"
#include "tags.h"

/* An anchor: a term item of one rule's query. */
typedef struct TagAnchor
{
	int			rule;
	int			item;
} TagAnchor;

/* Hash entry: an anchor tag and the rules anchored on it. */
typedef struct AnchorEntry
{
	TagKey		key;
	int			nrules;
	int			capacity;
	int		   *rules;
} AnchorEntry;

struct TagRuleIndex
{
	int			nrules;
	TagQuery  **queries;
	HTAB	   *exact;			/* anchor tag -> rules */
	TagAnchor  *prefixes;		/* prefix anchors */
	int			nprefixes;
	int		   *always;			/* rules without anchors */
	int			nalways;
};

/* A hash table of AnchorEntry in the current memory context. */
static HTAB *
anchor_table(const char *name, int nrules)
{
	return tag_hash_create(name, Max(nrules, 16), sizeof(AnchorEntry));
}

/* Looks a tag up in a table of AnchorEntry, adding it when add is true. */
static AnchorEntry *
anchor_entry(HTAB *table, const TagQuery *q, int item, bool add)
{
	AnchorEntry probe;
	AnchorEntry *entry;
	bool		found;

	probe.key.tag = TAGQUERY_TERM(q, item);
	probe.key.len = TAGQUERY_TERM_LEN(q, item);
	entry = hash_search(table, &probe, add ? HASH_ENTER : HASH_FIND, &found);
	if (add && !found)
	{
		entry->nrules = 0;
		entry->capacity = 0;
		entry->rules = NULL;
	}
	return entry;
}

/* Cost of anchoring on the given term items: the rules naming each. */
static int64
anchors_cost(HTAB *popularity, const TagQuery *q, const int *items, int n)
{
	int64		cost = 0;

	for (int k = 0; k < n; k++)
		cost += anchor_entry(popularity, q, items[k], false)->nrules;
	return cost;
}

/*
 * Anchor items of the subtree at item i, appended to out (room for every
 * item).  Returns false when the subtree has none (see the file header).
 */
static bool
collect_anchors(HTAB *popularity, const TagQuery *q, int i, int *out, int *nout)
{
	const TagQueryItem *item = &q->items[i];
	int			child = i + 1;
	int			start = *nout;
	int			best = -1;
	int64		best_cost = PG_INT64_MAX;

	check_stack_depth();
	if (tagquery_item_is_term(item))
	{
		out[(*nout)++] = i;
		return true;
	}
	if (item->type == TQ_NOT)
		return false;
	for (int k = 0; k < item->nargs; k++, child = tagquery_next(q, child))
	{
		int			before = *nout;
		bool		has = collect_anchors(popularity, q, child, out, nout);

		if (item->type == TQ_OR && !has)
		{
			*nout = start;
			return false;
		}
		if (item->type == TQ_AND)
		{
			int64		cost = has ? anchors_cost(popularity, q, out + before, *nout - before) : 0;

			*nout = before;		/* keep only the best operand's, below */
			if (has && cost < best_cost)
			{
				best = child;
				best_cost = cost;
			}
		}
	}
	if (item->type == TQ_AND)
		return best >= 0 && collect_anchors(popularity, q, best, out, nout);
	return true;
}

/* Counts, for every tag, the rules whose query names it. */
static HTAB *
count_popularity(TagQuery **queries, int nrules)
{
	HTAB	   *popularity = anchor_table("mycc rule tag popularity", nrules);

	for (int r = 0; r < nrules; r++)
	{
		const TagQuery *q = queries[r];

		for (int i = 0; i < q->nitems; i++)
			if (tagquery_item_is_term(&q->items[i]))
				anchor_entry(popularity, q, i, true)->nrules++;
	}
	return popularity;
}

/* Registers rule r under one anchor tag. */
static void
index_exact_anchor(TagRuleIndex *index, const TagQuery *q, int item, int r)
{
	AnchorEntry *entry = anchor_entry(index->exact, q, item, true);

	if (entry->nrules > 0 && entry->rules[entry->nrules - 1] == r)
		return;					/* a rule naming a tag twice */
	if (entry->nrules == entry->capacity)
	{
		entry->capacity = Max(4, entry->capacity * 2);
		entry->rules = entry->rules == NULL ?
			palloc(sizeof(int) * entry->capacity) :
			repalloc(entry->rules, sizeof(int) * entry->capacity);
	}
	entry->rules[entry->nrules++] = r;
}

static TagRuleIndex *
tag_rules_build(TagQuery **queries, int nrules)
{
	TagRuleIndex *index = palloc0(sizeof(TagRuleIndex));
	HTAB	   *popularity = count_popularity(queries, nrules);
	int			nprefix_capacity = 16;

	index->exact = anchor_table("mycc rule anchors", nrules);
	index->nrules = nrules;
	index->queries = queries;
	index->always = palloc(sizeof(int) * Max(nrules, 1));
	index->prefixes = palloc(sizeof(TagAnchor) * nprefix_capacity);
	for (int r = 0; r < nrules; r++)
	{
		const TagQuery *q = queries[r];
		int		   *anchors = palloc(sizeof(int) * q->nitems);
		int			nanchors = 0;

		CHECK_FOR_INTERRUPTS();
		if (!collect_anchors(popularity, q, 0, anchors, &nanchors))
			index->always[index->nalways++] = r;
		for (int a = 0; a < nanchors; a++)
		{
			if (q->items[anchors[a]].type == TQ_TAG)
			{
				index_exact_anchor(index, q, anchors[a], r);
				continue;
			}
			if (index->nprefixes == nprefix_capacity)
				index->prefixes = repalloc(index->prefixes,
										   sizeof(TagAnchor) * (nprefix_capacity *= 2));
			index->prefixes[index->nprefixes].rule = r;
			index->prefixes[index->nprefixes++].item = anchors[a];
		}
		pfree(anchors);
	}
	hash_destroy(popularity);
	return index;
}

/* A growable list of candidate rule numbers. */
typedef struct Candidates
{
	int		   *rules;
	int			n;
	int			capacity;
} Candidates;

static void
candidates_add(Candidates *c, const int *rules, int n)
{
	if (c->n + n > c->capacity)
	{
		c->capacity = Max(c->capacity * 2, c->n + n);
		c->rules = repalloc(c->rules, sizeof(int) * c->capacity);
	}
	memcpy(c->rules + c->n, rules, sizeof(int) * n);
	c->n += n;
}

static int
int_cmp(const void *a, const void *b)
{
	int			x = *(const int *) a;
	int			y = *(const int *) b;

	return (x > y) - (x < y);
}

int
tag_rules_match(const TagRuleIndex *index, const TagSet *ts, int *matches,
				int limit, int *tested)
{
	Candidates	c;
	int			nmatches = 0;

	c.capacity = 16;
	c.n = 0;
	c.rules = palloc(sizeof(int) * c.capacity);
	for (int i = 0; i < ts->ntags; i++)
	{
		AnchorEntry probe;
		AnchorEntry *entry;

		probe.key.tag = TAGSET_TAG(ts, i);
		probe.key.len = TAGSET_TAG_LEN(ts, i);
		entry = hash_search(index->exact, &probe, HASH_FIND, NULL);
		if (entry != NULL)
			candidates_add(&c, entry->rules, entry->nrules);
	}
	for (int p = 0; p < index->nprefixes; p++)
	{
		const TagAnchor *a = &index->prefixes[p];
		const TagQuery *q = index->queries[a->rule];

		if (tagset_has_prefix(ts, TAGQUERY_TERM(q, a->item), TAGQUERY_TERM_LEN(q, a->item)))
			candidates_add(&c, &a->rule, 1);
	}
	candidates_add(&c, index->always, index->nalways);

	/* In rule order, each once: the order of priority. */
	qsort(c.rules, c.n, sizeof(int), int_cmp);
	*tested = 0;
	for (int k = 0; k < c.n; k++)
	{
		int			r = c.rules[k];

		if (k > 0 && r == c.rules[k - 1])
			continue;
		(*tested)++;
		if (tagquery_matches(index->queries[r], ts))
		{
			matches[nmatches++] = r;
			if (nmatches == limit)
				break;
		}
	}
	pfree(c.rules);
	return nmatches;
}

/* --- cached rule tables --- */

/* Relcache callback: a change to the cache's table stales it. */
static void
rule_cache_callback(Datum arg, Oid relid)
{
	RuleCache  *cache = (RuleCache *) DatumGetPointer(arg);

	if (!OidIsValid(relid) || relid == cache->relids[0] || relid == cache->relids[1])
	{
		cache->rules = NULL;
		cache->generation++;
	}
}

/* Registers a rule cache's invalidation; from _PG_init only. */
void
rule_cache_register(RuleCache *cache)
{
	cache_register(rule_cache_callback, PointerGetDatum(cache));
}

/* Reads the cache's rules (its query) into the current context. */
static RuleSet *
rule_cache_read(const RuleCache *cache)
{
	RuleSet    *set = palloc0(sizeof(RuleSet));
	TagQuery  **queries;
	MemoryContext context = CurrentMemoryContext;
	TupleDesc	desc;

	SPI_connect();

	/*
	 * Read with the latest snapshot, not the transaction's: the cache
	 * outlives the transaction, and a repeatable read transaction that
	 * reloads it after a change would otherwise keep rules its old snapshot
	 * sees until the next change (specs/routing_cache.spec).  A parallel
	 * worker cannot take a new snapshot: it reads with the query's, and its
	 * cache dies with it.
	 */
	PushActiveSnapshot(IsInParallelMode() ? GetActiveSnapshot() : GetLatestSnapshot());
	if (cache->fallback_query != NULL)
	{
		bool		isnull = true;

		if (SPI_execute(cache->fallback_query, true, 2) != SPI_OK_SELECT || SPI_processed > 1)
			elog(ERROR, "could not read the fallback of mycc.%s", cache->relnames[0]);
		if (SPI_processed == 1)
			set->fallback = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0],
														SPI_tuptable->tupdesc, 1, &isnull));
		set->has_fallback = !isnull;
	}
	if (SPI_execute(cache->query, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read mycc.%s", cache->relnames[0]);
	PopActiveSnapshot();
	MemoryContextSwitchTo(context);
	desc = SPI_tuptable->tupdesc;
	set->nrules = (int) SPI_processed;
	set->ids = palloc(sizeof(int64) * Max(set->nrules, 1));
	set->payload = palloc(sizeof(Datum) * Max(set->nrules, 1));
	queries = palloc(sizeof(TagQuery *) * Max(set->nrules, 1));
	for (int r = 0; r < set->nrules; r++)
	{
		HeapTuple	row = SPI_tuptable->vals[r];
		Form_pg_attribute payload_attr = TupleDescAttr(desc, 2);
		bool		isnull[3];
		Datum		id = SPI_getbinval(row, desc, 1, &isnull[0]);
		Datum		condition = SPI_getbinval(row, desc, 2, &isnull[1]);
		Datum		payload = SPI_getbinval(row, desc, 3, &isnull[2]);

		if (isnull[0] || isnull[1] || isnull[2])
			elog(ERROR, "null id, condition or payload in mycc.%s", cache->relnames[0]);
		set->ids[r] = DatumGetInt64(id);
		queries[r] = tagquery_from_datum(condition);
		if ((Pointer) queries[r] == DatumGetPointer(condition))
			queries[r] = (TagQuery *) PG_DETOAST_DATUM_COPY(condition);
		set->payload[r] = datumCopy(payload, payload_attr->attbyval, payload_attr->attlen);
	}
	SPI_finish();
	set->index = tag_rules_build(queries, set->nrules);
	return set;
}

/*
 * The cache holds what its query read, so using it is reading the tables:
 * every call checks that the current user may SELECT them, as the query
 * did for whoever loaded the cache.  Without this, a role could read rules
 * it has no right to once another role (a superuser before SET ROLE, a
 * SECURITY DEFINER function) had loaded them in the same backend, and the
 * same call would fail or succeed depending on what ran before it.
 */
static void
rule_cache_check_rights(const RuleCache *cache)
{
	for (size_t k = 0; k < lengthof(cache->relids); k++)
	{
		Oid			relid = cache->relids[k];

		if (OidIsValid(relid) &&
			pg_class_aclcheck(relid, GetUserId(), ACL_SELECT) != ACLCHECK_OK)
			aclcheck_error(ACLCHECK_NO_PRIV, OBJECT_TABLE, get_rel_name(relid));
	}
}

RuleSet *
rule_cache_get(RuleCache *cache)
{
	RuleSet    *set;

	citus_require_coordinator(cache->relnames[0]);
	while (cache->rules == NULL)
	{
		uint64		generation = cache->generation;
		Oid			nsp = get_namespace_oid("mycc", false);
		MemoryContext context;
		MemoryContext old;

		for (size_t k = 0; k < lengthof(cache->relnames); k++)
			cache->relids[k] = cache->relnames[k] == NULL ? InvalidOid :
				get_relname_relid(cache->relnames[k], nsp);
		context = AllocSetContextCreate(CurrentMemoryContext, "mycc rule cache",
										ALLOCSET_DEFAULT_SIZES);
		old = MemoryContextSwitchTo(context);
		set = rule_cache_read(cache);
		MemoryContextSwitchTo(old);
		if (generation != cache->generation)
		{
			MemoryContextDelete(context);	/* changed while reading */
			continue;
		}
		MemoryContextSetParent(context, CacheMemoryContext);
		if (cache->context != NULL)
			MemoryContextDelete(cache->context);
		cache->context = context;
		cache->rules = set;
	}
	set = cache->rules;
	/*
	 * The rights check may take a lock, and so accept invalidations: one
	 * for the rules' tables, or a full reset (frequent on a Citus
	 * coordinator), makes cache->rules NULL again here.  The set read stays
	 * valid: an invalidation only unhooks it, and its context is deleted at
	 * the next reload, which no caller runs while it uses the set.
	 */
	rule_cache_check_rights(cache);
	return set;
}

/* --- mycc.treatment_rule and mycc.treatments() --- */

static RuleCache treatment_cache = {
	.relnames = {"treatment_rule", NULL},
	.query = "SELECT id, condition, treatment FROM mycc.treatment_rule"
	" WHERE enabled ORDER BY priority DESC, id"
};

/* Registers the invalidation callback; called once from _PG_init. */
void
TagRulesInit(void)
{
	rule_cache_register(&treatment_cache);
}

PG_FUNCTION_INFO_V1(mycc_treatments);
/* treatments(tagset): (treatment, rule) of every matching rule, in order. */
Datum
mycc_treatments(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	TagSet	   *ts = PG_GETARG_TAGSET(0);
	RuleSet    *rules;
	int		   *matches;
	int			nmatches;
	int			tested;

	InitMaterializedSRF(fcinfo, MAT_SRF_USE_EXPECTED_DESC);
	rules = rule_cache_get(&treatment_cache);
	matches = palloc(sizeof(int) * Max(rules->nrules, 1));
	nmatches = tag_rules_match(rules->index, ts, matches, 0, &tested);
	for (int m = 0; m < nmatches; m++)
	{
		Datum		values[2];
		bool		nulls[2] = {false, false};

		values[0] = rules->payload[matches[m]];
		values[1] = Int64GetDatum(rules->ids[matches[m]]);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

PG_FUNCTION_INFO_V1(mycc_treatment_candidates);
/*
 * treatment_candidates(tagset): how many enabled rules exist and how many
 * one call of treatments() would test: the reverse index made visible.
 */
Datum
mycc_treatment_candidates(PG_FUNCTION_ARGS)
{
	TagSet	   *ts = PG_GETARG_TAGSET(0);
	RuleSet    *rules = rule_cache_get(&treatment_cache);
	int		   *matches = palloc(sizeof(int) * Max(rules->nrules, 1));
	int			tested;
	TupleDesc	desc;
	Datum		values[3];
	bool		nulls[3] = {false, false, false};

	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "treatment_candidates must return a record");
	values[2] = Int32GetDatum(tag_rules_match(rules->index, ts, matches, 0, &tested));
	values[0] = Int32GetDatum(rules->nrules);
	values[1] = Int32GetDatum(tested);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(desc), values, nulls)));
}
