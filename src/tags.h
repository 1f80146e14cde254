/*
 * tags.h
 *		Tags: the tagset type, the tagquery type, their one evaluator, the
 *		GIN operator class, statistics, and the rule matcher that finds the
 *		rules (tag queries) a set satisfies without testing every rule.
 */
#ifndef MYCC_TAGS_H
#define MYCC_TAGS_H

#include "fmgr.h"
#include "lib/stringinfo.h"
#include "utils/hsearch.h"

#include "tag_parse.h"

#define MYCC_TAGSET_VERSION		2	/* stored form (1: 0.2.0's, still read) */
#define MYCC_TAGSET_WIRE_VERSION	1	/* binary send/recv form */
#define MYCC_TAGQUERY_VERSION	1

/*
 * tagset, an on-disk format (version 2):
 *
 *	 int32 vl_len_		varlena header
 *	 uint8 version		MYCC_TAGSET_VERSION
 *	 uint8 flags		0
 *	 uint16 ntags		0 .. MYCC_TAGSET_MAX_TAGS
 *	 uint32 signature[2]	64 bits (bit b is bit b % 32 of word b / 32):
 *						the OR of tag_signature_bits(tag_stable_hash(tag)) over
 *						the tags, a function of the tags alone
 *	 uint32 ends[ntags]	end of tag i in the byte area (tag i starts at
 *						ends[i - 1], tag 0 at 0)
 *	 uint8 fingerprints[ntags]	tag_fingerprint(tag_stable_hash(tag i))
 *	 char bytes[]		the tags, UTF-8, ASCII letters lower case, sorted
 *						bytewise (shorter first), no duplicates, no
 *						separators; the area ends with the value
 *
 * Version 1 (mycc 0.2.0) is the same without the signature and the
 * fingerprints (ends[] right after ntags, the tags right after ends[]).  tagset_from_datum converts a version 1 value into version
 * 2 as it reads it, so every function sees version 2; what is built is
 * version 2.
 *
 * Equal sets have equal bytes, so equality and the btree order work on
 * the stored form; the hash is that of version 1's bytes from ntags on
 * (tagset_hash_image), so hash indexes and hash partitions made by 0.2.0
 * stay valid.  Every read checks the structure (sizes and ends), so a
 * damaged value is an error, never a read out of bounds; text input and
 * recv also check the order and UTF-8.  The one read that looks at less is
 * tagset @@ tagquery's (tagset_peek, tagset_peek_has): it reads a value in
 * place, without detoasting or copying it, and checks the header and each
 * tag it compares; when the signature rules out the query's tags, no tag
 * is read at all, and a tag the query names is found by its fingerprint
 * (one byte), then compared.
 */
typedef struct TagSet
{
	int32		vl_len_;
	uint8		version;
	uint8		flags;
	uint16		ntags;
	uint32		signature[2];
	uint32		ends[FLEXIBLE_ARRAY_MEMBER];
} TagSet;

#define TAGSET_HEADER_SIZE			offsetof(TagSet, ends)
#define TAGSET_TAG_OVERHEAD			(sizeof(uint32) + sizeof(uint8))	/* end, fingerprint */
#define TAGSET_SIZE(ntags, nbytes)	(TAGSET_HEADER_SIZE + TAGSET_TAG_OVERHEAD * (ntags) + (nbytes))
#define TAGSET_FINGERPRINTS(ts)		((uint8 *) &(ts)->ends[(ts)->ntags])
#define TAGSET_BYTES(ts)			((char *) TAGSET_FINGERPRINTS(ts) + (ts)->ntags)
#define TAGSET_TAG(ts, i)			(TAGSET_BYTES(ts) + ((i) == 0 ? 0 : (ts)->ends[(i) - 1]))
#define TAGSET_TAG_LEN(ts, i)		((ts)->ends[i] - ((i) == 0 ? 0 : (ts)->ends[(i) - 1]))
#define PG_GETARG_TAGSET(n)			tagset_from_datum(PG_GETARG_DATUM(n))
#define PG_RETURN_TAGSET(x)			PG_RETURN_POINTER(x)

/*
 * tagquery, an on-disk format:
 *
 *	 int32 vl_len_		varlena header
 *	 uint8 version		MYCC_TAGQUERY_VERSION
 *	 uint8 flags		0
 *	 uint16 reserved	0
 *	 int32 nitems		1 .. MYCC_TAGQUERY_MAX_ITEMS
 *	 TagQueryItem items[nitems]	the query in prefix order (tag_parse.h)
 *	 char bytes[]		the terms' tags, as in a tagset
 */
typedef struct TagQuery
{
	int32		vl_len_;
	uint8		version;
	uint8		flags;
	uint16		reserved;
	int32		nitems;
	TagQueryItem items[FLEXIBLE_ARRAY_MEMBER];
} TagQuery;

#define TAGQUERY_HEADER_SIZE		offsetof(TagQuery, items)
#define TAGQUERY_BYTES(q)			((char *) &(q)->items[(q)->nitems])
#define TAGQUERY_NBYTES(q)			(VARSIZE(q) - TAGQUERY_HEADER_SIZE - (q)->nitems * sizeof(TagQueryItem))
#define PG_GETARG_TAGQUERY(n)		tagquery_from_datum(PG_GETARG_DATUM(n))
#define PG_RETURN_TAGQUERY(x)		PG_RETURN_POINTER(x)

/* tagset.c */
extern TagSet *tagset_from_datum(Datum datum);

/*
 * A stored tagset read in place (see tagset_peek): its signature and where
 * its ends, fingerprints and tags are, unaligned and not yet checked.
 */
typedef struct TagSetPeek
{
	uint64		signature;
	int			ntags;
	const char *ends;			/* ntags uint32, possibly unaligned */
	const uint8 *fingerprints;
	const char *bytes;
	Size		nbytes;			/* bytes after the fingerprints */
} TagSetPeek;

extern bool tagset_peek(Datum datum, TagSetPeek *peek);
extern bool tagset_peek_has(const TagSetPeek *peek, const char *tag, int len,
							uint8 fingerprint);

/* A signature as stored (two words) and back. */
static inline uint64
tagset_signature_value(const uint32 words[2])
{
	return (uint64) words[0] | ((uint64) words[1] << 32);
}
extern int	tagset_find(const TagSet *ts, const char *tag, int len);
extern bool tagset_contains(const TagSet *a, const TagSet *b);
extern bool tagset_has_prefix(const TagSet *ts, const char *prefix, int len);
extern void tag_append_text(StringInfo buf, const char *tag, int len,
							bool in_query);
extern void tagset_report_parse_error(const TagParseError *err,
									  const char *type_name, const char *input,
									  int syntax_code);

/*
 * A tag by pointer and length (into a set or a query that outlives the
 * table), the key of the hash tables of tags: entries start with a TagKey.
 */
typedef struct TagKey
{
	const char *tag;
	int			len;
} TagKey;

/* A hash table of entries of entrysize bytes keyed by TagKey, in the current context. */
extern HTAB *tag_hash_create(const char *name, long nelem, Size entrysize);

/* tagquery.c */
extern TagQuery *tagquery_from_datum(Datum datum);

/* True for a term item (a tag or a prefix). */
static inline bool
tagquery_item_is_term(const TagQueryItem *item)
{
	return item->type == TQ_TAG || item->type == TQ_PREFIX;
}

/* Index of the item after the subtree at item i. */
static inline int
tagquery_next(const TagQuery *q, int i)
{
	return tagquery_item_is_term(&q->items[i]) ? i + 1 : (int) q->items[i].end;
}

/* The tag of a term item. */
#define TAGQUERY_TERM(q, i)		(TAGQUERY_BYTES(q) + (q)->items[i].offset)
#define TAGQUERY_TERM_LEN(q, i)	((int) (q)->items[i].end)

/*
 * The one evaluator of a query, shared by @@, GIN consistent and
 * triConsistent, the selectivity estimator and the rule matcher.  term()
 * gives each term's value in [0, 1]; NOT is 1 - x in both modes.
 *
 *	 TAG_EVAL_LOGIC:		AND = min, OR = max.  On 0 and 1 this is Boolean
 *							logic; with 0.5 for "unknown" it is Kleene's
 *							three-valued logic (GIN triConsistent), exactly.
 *	 TAG_EVAL_PROBABILITY:	AND = product, OR = 1 - product of (1 - x): the
 *							estimate for independent terms of probability x.
 *
 * AND stops at a 0 and OR at a 1 (right in both modes).
 */
typedef enum TagEvalMode
{
	TAG_EVAL_LOGIC,
	TAG_EVAL_PROBABILITY
} TagEvalMode;

typedef double (*TagTermValue) (void *arg, const TagQuery *query, int item);
extern double tagquery_eval(const TagQuery *query, TagEvalMode mode,
							TagTermValue term, void *arg);

/* Whether a set satisfies a query. */
extern bool tagquery_matches(const TagQuery *query, const TagSet *ts);

/* Whether the query is true of a set with none of its terms (e.g. "!a"). */
extern bool tagquery_matches_empty(const TagQuery *query);

/* tag_rules.c: the reverse index of rules (see there). */
typedef struct TagRuleIndex TagRuleIndex;


/*
 * Rule numbers (0-based, ascending) whose query the set satisfies, tested
 * only among candidates, at most limit of them (0: all); returns the count
 * written to matches (room for nrules).  *tested reports how many rules
 * were evaluated.
 */
extern int	tag_rules_match(const TagRuleIndex *index, const TagSet *ts,
							int *matches, int limit, int *tested);

/* The rows of a rule table, in priority order, and their index. */
typedef struct RuleSet
{
	int			nrules;
	int64	   *ids;			/* column 1 of each rule */
	Datum	   *payload;		/* column 3 (treatment, queue), copied */
	TagRuleIndex *index;		/* over column 2, the condition */
	bool		has_fallback;	/* fallback_query returned a row */
	int64		fallback;
} RuleSet;

/*
 * A per-backend cache of a rule table in schema mycc, read by query
 * (SELECT id, condition, payload ... ORDER BY priority DESC, id) and
 * dropped when the table, or the other table it depends on, changes (each
 * needs the mycc.policy_invalidate statement trigger).  fallback_query, if
 * set, returns at most one bigint read with the rules (routing's default
 * queue).  Declare one static RuleCache per table and register it from
 * _PG_init.
 */
typedef struct RuleCache
{
	const char *relnames[2];	/* the rule table; another one or NULL */
	const char *query;
	const char *fallback_query;
	Oid			relids[2];
	uint64		generation;
	MemoryContext context;
	RuleSet    *rules;			/* NULL when stale */
} RuleCache;

extern void rule_cache_register(RuleCache *cache);
extern RuleSet *rule_cache_get(RuleCache *cache);

/* Registers the cache invalidation of mycc.treatment_rule (_PG_init). */
extern void TagRulesInit(void);

#endif							/* MYCC_TAGS_H */
