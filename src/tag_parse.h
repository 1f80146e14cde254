/*
 * tag_parse.h
 *		Pure parsers of the tagset and tagquery text forms.  They depend on
 *		nothing but the C library and allocate nothing: the caller passes
 *		buffers sized from the input's length (tagset_parse_capacity, tagquery_parse_capacity), so they
 *		can be fuzzed standalone.  The backend wrappers (tagset.c,
 *		tagquery.c) turn a TagParseError into ereport.
 */
#ifndef MYCC_TAG_PARSE_H
#define MYCC_TAG_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Limits of the design: documented in docs/tags.md. */
#define MYCC_TAG_MAX_BYTES		255 /* bytes of one tag */
#define MYCC_TAGSET_MAX_TAGS	10000	/* tags of one set */
#define MYCC_TAGQUERY_MAX_ITEMS 10000	/* terms and operators of one query */
#define MYCC_TAGQUERY_MAX_DEPTH 64	/* nesting of parentheses and NOT */

/*
 * How deep the stored tree of a query can be (operators above a term).
 * Text nesting is counted in parentheses and NOT, but one pair of
 * parentheses can hold an OR of ANDs, two tree levels: "a | b & (c | d &
 * (...))", and the top level has its own OR and AND.  So a query accepted
 * by the parser has terms at most 2 * MYCC_TAGQUERY_MAX_DEPTH + 2 deep;
 * tagquery_items_valid allows exactly that.
 */
#define MYCC_TAGQUERY_MAX_TREE_DEPTH (2 * MYCC_TAGQUERY_MAX_DEPTH + 2)

typedef enum TagParseStatus
{
	TAG_PARSE_OK = 0,
	TAG_PARSE_SYNTAX,			/* 22P02 (tagset) or 42601 (tagquery) */
	TAG_PARSE_BAD_UTF8,			/* 22021 */
	TAG_PARSE_TAG_TOO_LONG,		/* 54000 */
	TAG_PARSE_TOO_MANY,			/* 54000: tags or query items */
	TAG_PARSE_TOO_DEEP			/* 54001 */
} TagParseStatus;

/* What went wrong and where (a byte offset into the input). */
typedef struct TagParseError
{
	TagParseStatus status;
	size_t		position;
	const char *message;		/* static English text, for errdetail */
} TagParseError;

/* One tag: len bytes at offset in a byte buffer. */
typedef struct TagRef
{
	uint32_t	offset;
	uint32_t	len;
} TagRef;

/* Kinds of query item, as stored (an on-disk format: never renumber). */
typedef enum TagQueryItemType
{
	TQ_TAG = 1,					/* the set has this tag */
	TQ_PREFIX = 2,				/* the set has a tag starting with this */
	TQ_NOT = 3,					/* one operand follows */
	TQ_AND = 4,					/* nargs operands follow */
	TQ_OR = 5					/* nargs operands follow */
} TagQueryItemType;

/*
 * One item of a query in prefix (Polish) order: an operator is followed by
 * its operands, each a whole subtree.  AND and OR are n-ary (a & b & c is
 * one AND of three), so the depth of the tree is the nesting of the text,
 * bounded by MYCC_TAGQUERY_MAX_DEPTH.  12 bytes, stored on disk.
 */
typedef struct TagQueryItem
{
	uint8_t		type;			/* TagQueryItemType */
	uint8_t		reserved;		/* 0 */
	uint16_t	nargs;			/* operands: 1 for NOT, >= 2 for AND/OR, 0
								 * for terms */
	uint32_t	offset;			/* terms: first byte of the tag in the byte
								 * area; operators: 0 */
	uint32_t	end;			/* terms: tag length in bytes; operators:
								 * index of the item after the subtree */
} TagQueryItem;


/* True when a tag must be quoted in text output (tagquery: also and/or/not). */
extern bool tag_needs_quotes(const char *tag, size_t len, bool in_query);

/*
 * Entries the caller allocates for parsing an input of len bytes: tags of
 * a tagset text (before de-duplication) or items of a query.  Tag bytes
 * never need more than len bytes.
 */
extern size_t tagset_parse_capacity(size_t len);
extern size_t tagquery_parse_capacity(size_t len);

/* Scratch space tagquery_parse needs for max_items items. */
extern size_t tagquery_work_bytes(size_t max_items);

/*
 * Parses "{a, b, "c d"}" into tags (folded, unescaped, UTF-8 checked) in
 * bytes and refs, then sorts and de-duplicates them.  refs has room for
 * max_tags = tagset_parse_capacity(len) entries and bytes for len bytes.
 * On success *ntags (at most MYCC_TAGSET_MAX_TAGS) and *nbytes are set.
 */
extern bool tagset_parse(const char *in, size_t len, char *bytes,
						 TagRef *refs, size_t max_tags, size_t *ntags,
						 size_t *nbytes, TagParseError *err);

/*
 * Checks one bare tag (the argument of ?, -, tagset_agg): non-empty, at
 * most MYCC_TAG_MAX_BYTES, valid UTF-8; folds ASCII letters into out (len
 * bytes).  No quoting: every character is part of the tag.
 */
extern bool tag_normalize(const char *in, size_t len, char *out,
						  TagParseError *err);

/* Sorts refs by tag (bytewise, shorter first) and drops duplicates. */
extern size_t tag_refs_sort_unique(const char *bytes, TagRef *refs, size_t n);

/* Bytewise order of two tags, shorter first on a common prefix. */
extern int	tag_compare(const char *a, size_t alen, const char *b, size_t blen);

/*
 * A tag's hash: FNV-1a over its bytes, then MurmurHash3's finaliser.  It
 * is part of the stored tagset (its signature, see tags.h), so it must
 * never change: it depends on nothing but the bytes (not the platform's
 * byte order, not PostgreSQL's hash functions).
 */
extern uint32_t tag_stable_hash(const char *tag, size_t len);

/*
 * The bits a tag sets in a 64-bit set signature: two bits chosen by its
 * hash (they may coincide).  A set whose signature lacks one of them does
 * not hold the tag.
 */
static inline uint64_t
tag_signature_bits(uint32_t hash)
{
	return ((uint64_t) 1 << (hash & 63)) | ((uint64_t) 1 << ((hash >> 6) & 63));
}

/* A tag's one-byte fingerprint: hash bits the signature does not use. */
static inline uint8_t
tag_fingerprint(uint32_t hash)
{
	return (uint8_t) (hash >> 24);
}

/* True when the bytes are valid UTF-8 (no NUL, no overlong forms). */
extern bool tag_utf8_valid(const char *s, size_t len);

/*
 * Parses a tag query into items (prefix order) and tag bytes.  items has
 * room for max_items = tagquery_parse_capacity(len) entries, bytes for len
 * bytes, and work for tagquery_work_bytes(max_items) bytes.
 */
extern bool tagquery_parse(const char *in, size_t len, TagQueryItem *items,
						   size_t max_items, char *bytes, void *work,
						   size_t *nitems, size_t *nbytes, TagParseError *err);

/*
 * Checks the structure of stored items (types, operand counts, subtree
 * ends, tag offsets within nbytes, depth): what recv and every read of a
 * stored query rely on.  Returns false on the first inconsistency.
 */
extern bool tagquery_items_valid(const TagQueryItem *items, size_t nitems,
								 size_t nbytes);

#endif							/* MYCC_TAG_PARSE_H */
