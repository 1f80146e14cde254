/*
 * tagset_selfuncs.c
 *		Statistics of tagset columns and the planner's row estimates for
 *		@>, <@, && and @@.
 *
 * ANALYZE: after the standard statistics of whole values (MCV and
 * histogram, used by = through eqsel), mycc_tagset_typanalyze's compute
 * function counts, over the sample, how many sets hold each tag, and
 * stores the most frequent ones (10 x the statistics target) in a
 * STATISTIC_KIND_MCELEM slot: values are the tags as text sorted bytewise,
 * numbers their frequencies among non-null sets, followed by the minimum
 * and the maximum of those frequencies and by the average number of tags
 * of a non-null set (statistics of mycc 0.1.0 lack the average).
 *
 * Estimates: a tag's frequency comes from that slot; a tag not in it is
 * rarer than every tag kept, and is given half the smallest kept
 * frequency; a prefix sums the kept tags it covers (at most 1).  @> is an
 * AND of its tags, && an OR, and @@ evaluates the query with tagquery_eval
 * over those frequencies (the independence assumption).  col <@ set holds
 * when the row has no tag outside the set: the product of (1 - frequency)
 * over the kept tags outside it, times the chance of no other tag outside
 * it, exp(-m), where m is what the average leaves for the tags not kept
 * (the Poisson approximation).  Without statistics every tag counts as
 * DEFAULT_TAG_FREQ, and <@ gets DEFAULT_OTHER_SEL.
 *
 * The estimator checks what it reads: the constant must be of the type the
 * operator declares on that side (a tagset, or a tagquery for @@), and the
 * statistics slot must hold text values with the expected numbers.
 */
#include "postgres.h"

#include <math.h>

#include "access/htup_details.h"
#include "catalog/namespace.h"
#include "catalog/pg_statistic.h"
#include "catalog/pg_type.h"
#include "commands/vacuum.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/selfuncs.h"
#include "utils/syscache.h"

#include "tags.h"

#define DEFAULT_TAG_FREQ	0.005
#define DEFAULT_OTHER_SEL	0.005	/* constants we cannot read; <@ without
										 * the average */

/* A tag counted during ANALYZE: the key points into a detoasted sample value. */
typedef struct TagCount
{
	TagKey		key;
	int			sets;			/* sample sets holding the tag */
} TagCount;

static int
tag_count_by_sets_desc(const void *a, const void *b)
{
	const TagCount *x = *(TagCount *const *) a;
	const TagCount *y = *(TagCount *const *) b;

	if (x->sets != y->sets)
		return (x->sets < y->sets) - (x->sets > y->sets);
	return tag_compare(x->key.tag, x->key.len, y->key.tag, y->key.len);
}

static int
tag_count_by_tag(const void *a, const void *b)
{
	const TagCount *x = *(TagCount *const *) a;
	const TagCount *y = *(TagCount *const *) b;

	return tag_compare(x->key.tag, x->key.len, y->key.tag, y->key.len);
}

/* Counts the sets holding each tag over the non-null sample values. */
static HTAB *
count_sample_tags(AnalyzeAttrFetchFunc fetchfunc, VacAttrStats *stats,
				  int samplerows, int *nonnull, double *occurrences)
{
	HTAB	   *counts = tag_hash_create("mycc tag counts", 1024, sizeof(TagCount));

	*nonnull = 0;
	*occurrences = 0;
	for (int row = 0; row < samplerows; row++)
	{
		bool		isnull;
		Datum		value = fetchfunc(stats, row, &isnull);
		TagSet	   *ts;

		vacuum_delay_point();
		if (isnull)
			continue;
		ts = tagset_from_datum(value);	/* kept: the keys point into it */
		(*nonnull)++;
		*occurrences += ts->ntags;
		for (int i = 0; i < ts->ntags; i++)
		{
			TagKey		key = {TAGSET_TAG(ts, i), (int) TAGSET_TAG_LEN(ts, i)};
			bool		found;
			TagCount   *entry = hash_search(counts, &key, HASH_ENTER, &found);

			entry->sets = found ? entry->sets + 1 : 1;
		}
	}
	return counts;
}

/* Stores the most frequent tags in a free MCELEM slot (see the header). */
static void
store_tag_frequencies(VacAttrStats *stats, HTAB *counts, int nonnull, double occurrences)
{
	int			slot = 0;
	int			ntags = hash_get_num_entries(counts);
	int			keep = Min(ntags, stats->attr->attstattarget * 10);
	TagCount  **entries;
	HASH_SEQ_STATUS seq;
	TagCount   *entry;
	MemoryContext old;
	int			n = 0;

	while (slot < STATISTIC_NUM_SLOTS && stats->stakind[slot] != 0)
		slot++;
	if (slot >= STATISTIC_NUM_SLOTS || keep <= 0 || nonnull == 0)
		return;
	entries = palloc(sizeof(TagCount *) * ntags);
	hash_seq_init(&seq, counts);
	while ((entry = hash_seq_search(&seq)) != NULL)
		entries[n++] = entry;
	qsort(entries, n, sizeof(TagCount *), tag_count_by_sets_desc);
	qsort(entries, keep, sizeof(TagCount *), tag_count_by_tag);

	old = MemoryContextSwitchTo(stats->anl_context);
	stats->stakind[slot] = STATISTIC_KIND_MCELEM;
	stats->staop[slot] = InvalidOid;
	stats->stacoll[slot] = InvalidOid;
	stats->statypid[slot] = TEXTOID;
	stats->statyplen[slot] = -1;
	stats->statypbyval[slot] = false;
	stats->statypalign[slot] = TYPALIGN_INT;
	stats->numvalues[slot] = keep;
	stats->stavalues[slot] = palloc(sizeof(Datum) * keep);
	stats->numnumbers[slot] = keep + 3;
	stats->stanumbers[slot] = palloc(sizeof(float4) * (keep + 3));
	stats->stanumbers[slot][keep] = 1.0;
	stats->stanumbers[slot][keep + 1] = 0.0;
	stats->stanumbers[slot][keep + 2] = (float4) (occurrences / nonnull);
	for (int i = 0; i < keep; i++)
	{
		float4		freq = (float4) entries[i]->sets / nonnull;

		stats->stavalues[slot][i] =
			PointerGetDatum(cstring_to_text_with_len(entries[i]->key.tag,
													 entries[i]->key.len));
		stats->stanumbers[slot][i] = freq;
		stats->stanumbers[slot][keep] = Min(stats->stanumbers[slot][keep], freq);
		stats->stanumbers[slot][keep + 1] = Max(stats->stanumbers[slot][keep + 1], freq);
	}
	MemoryContextSwitchTo(old);
}

/* What std_typanalyze set up, kept while compute_tagset_stats runs. */
typedef struct StdAnalyze
{
	AnalyzeAttrComputeStatsFunc compute;
	void	   *extra_data;
} StdAnalyze;

/* compute_stats: the standard statistics, then tag frequencies. */
static void
compute_tagset_stats(VacAttrStats *stats, AnalyzeAttrFetchFunc fetchfunc,
					 int samplerows, double totalrows)
{
	StdAnalyze *std = (StdAnalyze *) stats->extra_data;
	HTAB	   *counts;
	int			nonnull;
	double		occurrences;

	stats->extra_data = std->extra_data;
	std->compute(stats, fetchfunc, samplerows, totalrows);
	stats->extra_data = std;
	if (!stats->stats_valid)
		return;
	counts = count_sample_tags(fetchfunc, stats, samplerows, &nonnull, &occurrences);
	store_tag_frequencies(stats, counts, nonnull, occurrences);
	hash_destroy(counts);
}

PG_FUNCTION_INFO_V1(mycc_tagset_typanalyze);
/* typanalyze of tagset. */
Datum
mycc_tagset_typanalyze(PG_FUNCTION_ARGS)
{
	VacAttrStats *stats = (VacAttrStats *) PG_GETARG_POINTER(0);
	StdAnalyze *std;

	if (!std_typanalyze(stats))
		PG_RETURN_BOOL(false);
	std = MemoryContextAlloc(stats->anl_context, sizeof(StdAnalyze));
	std->compute = stats->compute_stats;
	std->extra_data = stats->extra_data;
	stats->extra_data = std;
	stats->compute_stats = compute_tagset_stats;
	PG_RETURN_BOOL(true);
}

/* Tag frequencies of a column, as read from its statistics. */
typedef struct TagFrequencies
{
	AttStatsSlot slot;
	bool		valid;
	double		unseen;			/* frequency of a tag not in the slot */
	double		average;		/* tags of a non-null set; < 0: unknown */
} TagFrequencies;

/* Reads the MCELEM slot, checking its value type and shape. */
static void
tag_frequencies_load(TagFrequencies *f, VariableStatData *vardata)
{
	f->valid = false;
	f->unseen = DEFAULT_TAG_FREQ;
	f->average = -1.0;
	if (!HeapTupleIsValid(vardata->statsTuple) ||
		!get_attstatsslot(&f->slot, vardata->statsTuple, STATISTIC_KIND_MCELEM,
						  InvalidOid, ATTSTATSSLOT_VALUES | ATTSTATSSLOT_NUMBERS))
		return;
	if (f->slot.valuetype != TEXTOID ||
		(f->slot.nnumbers != f->slot.nvalues + 2 && f->slot.nnumbers != f->slot.nvalues + 3))
	{
		free_attstatsslot(&f->slot);
		return;
	}
	f->valid = true;
	f->unseen = Min(DEFAULT_TAG_FREQ, f->slot.numbers[f->slot.nvalues] / 2.0);
	if (f->slot.nnumbers == f->slot.nvalues + 3)
		f->average = f->slot.numbers[f->slot.nvalues + 2];
}

/* First slot value >= tag (binary search over the sorted values). */
static int
tag_frequencies_lower_bound(const TagFrequencies *f, const char *tag, int len)
{
	int			lo = 0;
	int			hi = f->slot.nvalues;

	while (lo < hi)
	{
		int			mid = lo + (hi - lo) / 2;
		text	   *value = DatumGetTextPP(f->slot.values[mid]);

		if (tag_compare(VARDATA_ANY(value), VARSIZE_ANY_EXHDR(value), tag, len) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Whether the statistics kept the tag. */
static bool
tag_kept(const TagFrequencies *f, const char *tag, int len)
{
	int			i = tag_frequencies_lower_bound(f, tag, len);
	text	   *value;

	if (i == f->slot.nvalues)
		return false;
	value = DatumGetTextPP(f->slot.values[i]);
	return tag_compare(VARDATA_ANY(value), VARSIZE_ANY_EXHDR(value), tag, len) == 0;
}

/* Estimated share of sets holding the tag, or (prefix) a tag starting so. */
static double
tag_frequency(const TagFrequencies *f, const char *tag, int len, bool prefix)
{
	double		sum = 0.0;

	if (!f->valid)
		return DEFAULT_TAG_FREQ;
	for (int i = tag_frequencies_lower_bound(f, tag, len); i < f->slot.nvalues; i++)
	{
		text	   *value = DatumGetTextPP(f->slot.values[i]);
		int			vlen = VARSIZE_ANY_EXHDR(value);

		if (vlen < len || memcmp(VARDATA_ANY(value), tag, len) != 0)
			break;
		if (!prefix)
			return vlen == len ? f->slot.numbers[i] : f->unseen;
		sum += f->slot.numbers[i];
	}
	return prefix ? Min(1.0, sum + f->unseen) : f->unseen;
}

/* Term value for the estimator: the term's frequency. */
static double
term_frequency(void *arg, const TagQuery *q, int i)
{
	return tag_frequency(arg, TAGQUERY_TERM(q, i), TAGQUERY_TERM_LEN(q, i),
						 q->items[i].type == TQ_PREFIX);
}

/* Selectivity of col @> set (AND of tags) or col && set (OR of tags). */
static double
tagset_sel(const TagFrequencies *f, const TagSet *ts, bool all)
{
	double		acc = 1.0;

	for (int i = 0; i < ts->ntags; i++)
	{
		double		freq = tag_frequency(f, TAGSET_TAG(ts, i), TAGSET_TAG_LEN(ts, i), false);

		acc *= all ? freq : 1.0 - freq;
	}
	return all ? acc : 1.0 - acc;
}

/* Selectivity of col <@ set: no tag of the row outside the set. */
static double
tagset_contained_sel(const TagFrequencies *f, const TagSet *ts)
{
	double		outside = 1.0;	/* no kept tag outside the set */
	double		rest;			/* tags a row has beyond the kept ones */

	if (!f->valid || f->average < 0)
		return DEFAULT_OTHER_SEL;
	rest = f->average;
	for (int i = 0; i < f->slot.nvalues; i++)
	{
		text	   *value = DatumGetTextPP(f->slot.values[i]);

		rest -= f->slot.numbers[i];
		if (tagset_find(ts, VARDATA_ANY(value), VARSIZE_ANY_EXHDR(value)) < 0)
			outside *= 1.0 - f->slot.numbers[i];
	}
	/* The set's tags that were not kept are rare ones a row may have. */
	for (int i = 0; i < ts->ntags; i++)
		if (!tag_kept(f, TAGSET_TAG(ts, i), TAGSET_TAG_LEN(ts, i)))
			rest -= f->unseen;
	return outside * exp(-Max(rest, 0.0));
}

/* The OID of mycc.tagset or mycc.tagquery (the estimator checks its operands). */
static Oid
mycc_type_oid(const char *name)
{
	Oid			nsp = get_namespace_oid("mycc", true);

	return OidIsValid(nsp) ?
		GetSysCacheOid2(TYPENAMENSP, Anum_pg_type_oid,
						CStringGetDatum(name), ObjectIdGetDatum(nsp)) :
		InvalidOid;
}

PG_FUNCTION_INFO_V1(mycc_tagset_sel);
/* Restriction estimator of @>, &&, <@ and @@ (both argument orders). */
Datum
mycc_tagset_sel(PG_FUNCTION_ARGS)
{
	PlannerInfo *root = (PlannerInfo *) PG_GETARG_POINTER(0);
	Oid			operator = PG_GETARG_OID(1);
	List	   *args = (List *) PG_GETARG_POINTER(2);
	int			varRelid = PG_GETARG_INT32(3);
	VariableStatData vardata;
	Node	   *other;
	bool		varonleft;
	Oid			lefttype;
	Oid			righttype;
	Const	   *constant;
	char	   *name = get_opname(operator);
	TagFrequencies freqs;
	double		sel = DEFAULT_OTHER_SEL;
	Oid			tagset_oid = mycc_type_oid("tagset");
	Oid			tagquery_oid = mycc_type_oid("tagquery");

	if (!get_restriction_variable(root, args, varRelid, &vardata, &other, &varonleft))
		PG_RETURN_FLOAT8(DEFAULT_OTHER_SEL);
	op_input_types(operator, &lefttype, &righttype);

	/*
	 * The constant is read as a tagquery for @@ and as a tagset otherwise,
	 * so it must be one: an operator of someone else's may name this
	 * estimator whatever its argument types (tagset @@ bigint), and reading
	 * a bigint as a tagquery would dereference it.
	 */
	if (!IsA(other, Const) || vardata.vartype != tagset_oid || name == NULL ||
		((Const *) other)->consttype != (varonleft ? righttype : lefttype) ||
		((Const *) other)->consttype != (strcmp(name, "@@") == 0 ? tagquery_oid : tagset_oid))
	{
		ReleaseVariableStats(vardata);
		PG_RETURN_FLOAT8(DEFAULT_OTHER_SEL);
	}
	constant = (Const *) other;
	if (constant->constisnull)
	{
		ReleaseVariableStats(vardata);
		PG_RETURN_FLOAT8(0.0);
	}
	tag_frequencies_load(&freqs, &vardata);
	if (strcmp(name, "@@") == 0)
		sel = tagquery_eval(tagquery_from_datum(constant->constvalue), TAG_EVAL_PROBABILITY,
							term_frequency, &freqs);
	else if (constant->consttype == tagset_oid &&
			 strcmp(name, varonleft ? "@>" : "<@") == 0)
		sel = tagset_sel(&freqs, tagset_from_datum(constant->constvalue), true);
	else if (constant->consttype == tagset_oid && strcmp(name, "&&") == 0)
		sel = tagset_sel(&freqs, tagset_from_datum(constant->constvalue), false);
	else if (constant->consttype == tagset_oid &&
			 strcmp(name, varonleft ? "<@" : "@>") == 0)
		sel = tagset_contained_sel(&freqs, tagset_from_datum(constant->constvalue));
	if (freqs.valid)
	{
		free_attstatsslot(&freqs.slot);
		if (HeapTupleIsValid(vardata.statsTuple))
			sel *= 1.0 - ((Form_pg_statistic) GETSTRUCT(vardata.statsTuple))->stanullfrac;
	}
	ReleaseVariableStats(vardata);
	CLAMP_PROBABILITY(sel);
	PG_RETURN_FLOAT8(sel);
}
