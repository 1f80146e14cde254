/*
 * tagset.c
 *		The tagset type: I/O, set operators, comparison, hashing, the
 *		constructor from text[], tags(), and the aggregates tagset_agg and
 *		tag_union (whose state is a tagset: real, mergeable, parallel; in
 *		memory an expanded object, see ExpandedTagSet).
 */
#include "postgres.h"

#include "access/hash.h"
#include "common/hashfn.h"
#include "catalog/pg_type.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/expandeddatum.h"
#include "utils/memutils.h"

#include "tags.h"

/* Tags given by pointer and length, in the order a set stores them. */
typedef struct TagList
{
	const char **tag;
	uint32	   *len;
	int			n;
} TagList;

static void
tag_list_init(TagList *list, int capacity)
{
	list->tag = palloc(sizeof(char *) * Max(capacity, 1));
	list->len = palloc(sizeof(uint32) * Max(capacity, 1));
	list->n = 0;
}

static void
tag_list_add(TagList *list, const char *tag, uint32 len)
{
	list->tag[list->n] = tag;
	list->len[list->n] = len;
	list->n++;
}

/* Reports more tags than a set holds (54000). */
static void
tagset_check_count(int64 ntags)
{
	if (ntags > MYCC_TAGSET_MAX_TAGS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("tagset would have " INT64_FORMAT " tags", ntags),
				 errdetail("A tagset holds at most %d tags.", MYCC_TAGSET_MAX_TAGS)));
}

/* Stores the signature and the fingerprints of the set's tags (see tags.h). */
static void
tagset_sign(TagSet *ts)
{
	uint64		signature = 0;

	for (int i = 0; i < ts->ntags; i++)
	{
		uint32		hash = tag_stable_hash(TAGSET_TAG(ts, i), TAGSET_TAG_LEN(ts, i));

		signature |= tag_signature_bits(hash);
		TAGSET_FINGERPRINTS(ts)[i] = tag_fingerprint(hash);
	}
	ts->signature[0] = (uint32) signature;
	ts->signature[1] = (uint32) (signature >> 32);
}

/* A new tagset of the listed tags, which must be sorted and distinct. */
static TagSet *
tagset_from_list(const TagList *list)
{
	Size		nbytes = 0;
	TagSet	   *ts;
	char	   *p;

	tagset_check_count(list->n);
	for (int i = 0; i < list->n; i++)
		nbytes += list->len[i];
	ts = palloc0(TAGSET_SIZE(list->n, nbytes));
	SET_VARSIZE(ts, TAGSET_SIZE(list->n, nbytes));
	ts->version = MYCC_TAGSET_VERSION;
	ts->ntags = (uint16) list->n;
	p = TAGSET_BYTES(ts);
	for (int i = 0; i < list->n; i++)
	{
		memcpy(p, list->tag[i], list->len[i]);
		p += list->len[i];
		ts->ends[i] = (uint32) (p - TAGSET_BYTES(ts));
	}
	tagset_sign(ts);
	return ts;
}

/* A new tagset from parsed tags (sorted, distinct refs into bytes). */
static TagSet *
tagset_build(const char *bytes, const TagRef *refs, int ntags)
{
	TagList		list;

	tag_list_init(&list, ntags);
	for (int i = 0; i < ntags; i++)
		tag_list_add(&list, bytes + refs[i].offset, refs[i].len);
	return tagset_from_list(&list);
}

/* Reports a damaged stored value. */
static pg_attribute_noreturn() void
tagset_corrupt(const char *what)
{
	ereport(ERROR,
			(errcode(ERRCODE_DATA_CORRUPTED),
			 errmsg("invalid tagset value"),
			 errdetail("%s", what)));
}

/* mycc 0.2.0's stored form: version 1, no signature (see tags.h). */
typedef struct TagSetV1
{
	int32		vl_len_;
	uint8		version;
	uint8		flags;
	uint16		ntags;
	uint32		ends[FLEXIBLE_ARRAY_MEMBER];
} TagSetV1;

/*
 * Checks the ends of the ntags tags of a value of size bytes whose ends[]
 * starts header_size bytes in and whose byte area starts after overhead
 * bytes a tag: every tag lies within the value and has 1 to 255 bytes,
 * and the byte area ends with the value.
 */
static void
tagset_check_tags(Size size, Size header_size, Size overhead, int ntags,
				  const uint32 *ends)
{
	uint32		prev = 0;

	if (size < header_size + overhead * ntags)
		tagset_corrupt("The size does not match the tags.");
	for (int i = 0; i < ntags; i++)
	{
		if (ends[i] <= prev || ends[i] - prev > MYCC_TAG_MAX_BYTES)
			tagset_corrupt("A tag is empty or longer than 255 bytes.");
		prev = ends[i];
	}
	if (size != header_size + overhead * ntags + prev)
		tagset_corrupt("The size does not match the tags.");
}

/* The version 2 value of a checked version 1 value. */
static TagSet *
tagset_from_v1(const TagSetV1 *old)
{
	const char *bytes = (const char *) &old->ends[old->ntags];
	TagList		list;

	tag_list_init(&list, old->ntags);
	for (int i = 0; i < old->ntags; i++)
	{
		uint32		start = i == 0 ? 0 : old->ends[i - 1];

		tag_list_add(&list, bytes + start, old->ends[i] - start);
	}
	return tagset_from_list(&list);
}

/*
 * Detoasts a stored tagset and checks its structure: header, size, and
 * that every tag lies within the value and has 1 to 255 bytes.  A version
 * 1 value (mycc 0.2.0) comes back as version 2.
 */
TagSet *
tagset_from_datum(Datum datum)
{
	TagSet	   *ts = (TagSet *) PG_DETOAST_DATUM(datum);
	Size		size = VARSIZE(ts);

	if (size < offsetof(TagSetV1, ends) || ts->flags != 0 ||
		ts->ntags > MYCC_TAGSET_MAX_TAGS ||
		(ts->version != 1 && ts->version != MYCC_TAGSET_VERSION) ||
		(ts->version == MYCC_TAGSET_VERSION && size < TAGSET_HEADER_SIZE))
		tagset_corrupt("The header is not one this version of mycc reads.");
	if (ts->version == 1)
	{
		const TagSetV1 *old = (const TagSetV1 *) ts;

		tagset_check_tags(size, offsetof(TagSetV1, ends), sizeof(uint32), old->ntags,
						  old->ends);
		return tagset_from_v1(old);
	}
	tagset_check_tags(size, TAGSET_HEADER_SIZE, TAGSET_TAG_OVERHEAD, ts->ntags, ts->ends);
	return ts;
}

#if defined(__GNUC__) || defined(__clang__)
#define tagset_prefetch(p)	__builtin_prefetch(p)
#else
#define tagset_prefetch(p)	((void) (p))
#endif

/*
 * Reads a stored tagset in place (no detoasting, no copy of a short value):
 * false when the value is compressed or out of line, or its header is not
 * version 2's or does not fit the value, and the caller must read it with
 * tagset_from_datum, which converts or reports it.  Only the header is
 * checked; tagset_peek_has checks each tag it reads.
 */
bool
tagset_peek(Datum datum, TagSetPeek *peek)
{
	struct varlena *value = (struct varlena *) DatumGetPointer(datum);
	const char *data = VARDATA_ANY(value);
	Size		size = VARSIZE_ANY_EXHDR(value);
	uint16		ntags;
	uint32		words[2];

	if (VARATT_IS_EXTERNAL(value) || VARATT_IS_COMPRESSED(value) ||
		size < TAGSET_HEADER_SIZE - VARHDRSZ ||
		data[offsetof(TagSet, version) - VARHDRSZ] != MYCC_TAGSET_VERSION ||
		data[offsetof(TagSet, flags) - VARHDRSZ] != 0)
		return false;
	memcpy(&ntags, data + offsetof(TagSet, ntags) - VARHDRSZ, sizeof(ntags));
	if (ntags > MYCC_TAGSET_MAX_TAGS ||
		size < TAGSET_SIZE(ntags, 0) - VARHDRSZ)
		return false;
	memcpy(words, data + offsetof(TagSet, signature) - VARHDRSZ, sizeof(words));
	peek->signature = tagset_signature_value(words);
	peek->ntags = ntags;
	peek->ends = data + TAGSET_HEADER_SIZE - VARHDRSZ;
	peek->fingerprints = (const uint8 *) peek->ends + sizeof(uint32) * ntags;
	peek->bytes = (const char *) peek->fingerprints + ntags;
	peek->nbytes = size - (TAGSET_SIZE(ntags, 0) - VARHDRSZ);
	/* Its tags are read next, from lines a sequential scan has not touched yet. */
	for (Size off = 0; off < size; off += 64)	/* bytes in a line on x86 and ARM */
		tagset_prefetch(data + off);
	return true;
}

/* End of tag i of a peeked set (0 before the first tag). */
static uint32
tagset_peek_end(const TagSetPeek *peek, int i)
{
	uint32		end;

	if (i < 0)
		return 0;
	memcpy(&end, peek->ends + sizeof(uint32) * i, sizeof(end));
	return end;
}

/*
 * Whether a peeked set has the tag whose fingerprint is given: the tags
 * with that fingerprint are compared.  Each is checked as tagset_from_datum
 * checks every tag (within the value, 1 to 255 bytes).
 */
bool
tagset_peek_has(const TagSetPeek *peek, const char *tag, int len, uint8 fingerprint)
{
	for (int i = 0; i < peek->ntags; i++)
	{
		uint32		start;
		uint32		end;

		if (peek->fingerprints[i] != fingerprint)
			continue;
		start = tagset_peek_end(peek, i - 1);
		end = tagset_peek_end(peek, i);
		if (end <= start || end - start > MYCC_TAG_MAX_BYTES)
			tagset_corrupt("A tag is empty or longer than 255 bytes.");
		if (end > peek->nbytes)
			tagset_corrupt("The size does not match the tags.");
		if (end - start == (uint32) len && memcmp(peek->bytes + start, tag, len) == 0)
			return true;
	}
	return false;
}

/* Turns a parser error into ereport; syntax_code for TAG_PARSE_SYNTAX. */
void
tagset_report_parse_error(const TagParseError *err, const char *type_name,
						  const char *input, int syntax_code)
{
	int			code;
	size_t		len;
	int			shown;

	switch (err->status)
	{
		case TAG_PARSE_SYNTAX:
			code = syntax_code;
			break;
		case TAG_PARSE_BAD_UTF8:
			code = ERRCODE_CHARACTER_NOT_IN_REPERTOIRE;
			break;
		case TAG_PARSE_TOO_DEEP:
			code = ERRCODE_STATEMENT_TOO_COMPLEX;
			break;
		default:
			code = ERRCODE_PROGRAM_LIMIT_EXCEEDED;
			break;
	}
	/*
	 * At most 100 bytes of the input, cut between characters: a message
	 * that is not valid in the server encoding fails the conversion to the
	 * client's, which then gets that error instead of this one.
	 */
	len = strlen(input);
	shown = len > 100 ? pg_mbcliplen(input, (int) Min(len, 1000), 100) : (int) len;
	ereport(ERROR,
			(errcode(code),
			 errmsg("invalid input syntax for type %s: \"%.*s%s\"", type_name,
					shown, input, (size_t) shown < len ? "..." : ""),
			 errdetail("%s At byte %zu.", err->message, err->position + 1)));
}

/* Position of tag in the set, or -1 (binary search). */
int
tagset_find(const TagSet *ts, const char *tag, int len)
{
	int			lo = 0;
	int			hi = ts->ntags - 1;

	while (lo <= hi)
	{
		int			mid = lo + (hi - lo) / 2;
		int			c = tag_compare(TAGSET_TAG(ts, mid), TAGSET_TAG_LEN(ts, mid),
									tag, len);

		if (c == 0)
			return mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

/* Whether some tag starts with prefix: the first tag >= prefix tells. */
bool
tagset_has_prefix(const TagSet *ts, const char *prefix, int len)
{
	int			lo = 0;
	int			hi = ts->ntags;

	while (lo < hi)
	{
		int			mid = lo + (hi - lo) / 2;

		if (tag_compare(TAGSET_TAG(ts, mid), TAGSET_TAG_LEN(ts, mid), prefix, len) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < ts->ntags && TAGSET_TAG_LEN(ts, lo) >= (uint32) len &&
		memcmp(TAGSET_TAG(ts, lo), prefix, len) == 0;
}

/* Appends a tag to buf, quoted when it must be. */
void
tag_append_text(StringInfo buf, const char *tag, int len, bool in_query)
{
	if (!tag_needs_quotes(tag, len, in_query))
	{
		appendBinaryStringInfo(buf, tag, len);
		return;
	}
	appendStringInfoChar(buf, '"');
	for (int i = 0; i < len; i++)
	{
		if (tag[i] == '"' || tag[i] == '\\')
			appendStringInfoChar(buf, '\\');
		appendStringInfoChar(buf, tag[i]);
	}
	appendStringInfoChar(buf, '"');
}

PG_FUNCTION_INFO_V1(mycc_tagset_in);
/* Text input: "{vip, new, "sale 2024", 90后}". */
Datum
mycc_tagset_in(PG_FUNCTION_ARGS)
{
	char	   *input = PG_GETARG_CSTRING(0);
	size_t		len = strlen(input);
	size_t		capacity = tagset_parse_capacity(len);
	char	   *bytes = palloc(len + 1);
	TagRef	   *refs;
	size_t		ntags;
	size_t		nbytes;
	TagParseError err;

	if (capacity > MaxAllocSize / sizeof(TagRef))
		capacity = MaxAllocSize / sizeof(TagRef);
	refs = palloc(sizeof(TagRef) * capacity);
	if (!tagset_parse(input, len, bytes, refs, capacity, &ntags, &nbytes, &err))
		tagset_report_parse_error(&err, "tagset", input,
								  ERRCODE_INVALID_TEXT_REPRESENTATION);
	PG_RETURN_TAGSET(tagset_build(bytes, refs, (int) ntags));
}

PG_FUNCTION_INFO_V1(mycc_tagset_out);
/* Text output: tags in stored order, quoted where needed. */
Datum
mycc_tagset_out(PG_FUNCTION_ARGS)
{
	TagSet	   *ts = PG_GETARG_TAGSET(0);
	StringInfoData buf;

	initStringInfo(&buf);
	appendStringInfoChar(&buf, '{');
	for (int i = 0; i < ts->ntags; i++)
	{
		if (i > 0)
			appendStringInfoString(&buf, ", ");
		tag_append_text(&buf, TAGSET_TAG(ts, i), TAGSET_TAG_LEN(ts, i), false);
	}
	appendStringInfoChar(&buf, '}');
	PG_RETURN_CSTRING(buf.data);
}

/* Reports bad binary input (22P03). */
static pg_attribute_noreturn() void
tagset_bad_binary(const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
			 errmsg("invalid binary tagset"),
			 errdetail("%s", detail)));
}

PG_FUNCTION_INFO_V1(mycc_tagset_recv);
/*
 * Binary input: version byte, int4 count, then each tag as int4 length and
 * text.  Only the canonical form is accepted: valid, folded tags in
 * strictly increasing order.  The sizes are checked before each read, so
 * that a value shorter or longer than its content says is 22P03 like any
 * other bad value, not the protocol violation (08P01) pq_getmsg* reports.
 */
Datum
mycc_tagset_recv(PG_FUNCTION_ARGS)
{
	StringInfo	msg = (StringInfo) PG_GETARG_POINTER(0);
	int			version;
	int			ntags;
	TagList		list;

	if (msg->len - msg->cursor < 5)
		tagset_bad_binary("The value is shorter than a version byte and a tag count.");
	version = pq_getmsgbyte(msg);
	ntags = pq_getmsgint(msg, 4);
	if (version != MYCC_TAGSET_WIRE_VERSION)
		tagset_bad_binary("The version byte is not 1.");
	if (ntags < 0 || ntags > MYCC_TAGSET_MAX_TAGS)
		tagset_bad_binary("The tag count is negative or above 10000.");
	tag_list_init(&list, ntags);
	for (int i = 0; i < ntags; i++)
	{
		int			rawlen;
		int			len;
		char	   *tag;
		char	   *folded;
		TagParseError err;

		if (msg->len - msg->cursor < 4)
			tagset_bad_binary("The value ends before the length of a tag.");
		rawlen = pq_getmsgint(msg, 4);
		if (rawlen < 0 || rawlen > msg->len - msg->cursor)
			tagset_bad_binary("A tag length is negative or beyond the message.");
		tag = pq_getmsgtext(msg, rawlen, &len);
		folded = palloc(len + 1);
		if (!tag_normalize(tag, len, folded, &err) || memcmp(tag, folded, len) != 0)
			tagset_bad_binary("A tag is empty, too long, not UTF-8 or not in lower case.");
		if (i > 0 && tag_compare(list.tag[i - 1], list.len[i - 1], tag, len) >= 0)
			tagset_bad_binary("The tags are not in strictly increasing order.");
		tag_list_add(&list, tag, len);
	}
	if (msg->cursor != msg->len)
		tagset_bad_binary("There are bytes after the last tag.");
	PG_RETURN_TAGSET(tagset_from_list(&list));
}

PG_FUNCTION_INFO_V1(mycc_tagset_send);
/* Binary output (see mycc_tagset_recv). */
Datum
mycc_tagset_send(PG_FUNCTION_ARGS)
{
	TagSet	   *ts = PG_GETARG_TAGSET(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, MYCC_TAGSET_WIRE_VERSION);
	pq_sendint32(&buf, ts->ntags);
	for (int i = 0; i < ts->ntags; i++)
	{
		StringInfoData tag;

		initStringInfo(&tag);
		pq_sendcountedtext(&tag, TAGSET_TAG(ts, i), TAGSET_TAG_LEN(ts, i), false);
		appendBinaryStringInfo(&buf, tag.data, tag.len);
		pfree(tag.data);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* Normalises a text argument into a tag (22P02 / 54000 / 22021). */
static char *
tag_from_text(text *t, int *len)
{
	char	   *raw = text_to_cstring(t);
	char	   *tag = palloc(VARSIZE_ANY_EXHDR(t) + 1);
	TagParseError err;

	*len = VARSIZE_ANY_EXHDR(t);
	if (!tag_normalize(raw, *len, tag, &err))
		tagset_report_parse_error(&err, "tag", raw,
								  ERRCODE_INVALID_TEXT_REPRESENTATION);
	return tag;
}

PG_FUNCTION_INFO_V1(mycc_tagset_from_array);
/* tagset(text[]): each element one tag, as written (no quoting). */
Datum
mycc_tagset_from_array(PG_FUNCTION_ARGS)
{
	ArrayType  *array = PG_GETARG_ARRAYTYPE_P(0);
	Datum	   *elems;
	bool	   *nulls;
	int			n;
	TagRef	   *refs;
	StringInfoData bytes;

	deconstruct_array(array, TEXTOID, -1, false, TYPALIGN_INT, &elems, &nulls, &n);
	refs = palloc(sizeof(TagRef) * Max(n, 1));
	initStringInfo(&bytes);
	for (int i = 0; i < n; i++)
	{
		int			len;
		char	   *tag;

		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("a tag cannot be null"),
					 errdetail("Element %d of the array is null.", i + 1)));
		tag = tag_from_text(DatumGetTextPP(elems[i]), &len);
		refs[i].offset = bytes.len;
		refs[i].len = len;
		appendBinaryStringInfo(&bytes, tag, len);
	}
	n = (int) tag_refs_sort_unique(bytes.data, refs, n);
	PG_RETURN_TAGSET(tagset_build(bytes.data, refs, n));
}

PG_FUNCTION_INFO_V1(mycc_tagset_tags);
/* tags(tagset): one row per tag, in the set's order. */
Datum
mycc_tagset_tags(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	TagSet	   *ts = PG_GETARG_TAGSET(0);

	InitMaterializedSRF(fcinfo, MAT_SRF_USE_EXPECTED_DESC);
	for (int i = 0; i < ts->ntags; i++)
	{
		Datum		value = PointerGetDatum(cstring_to_text_with_len(TAGSET_TAG(ts, i),
																	 TAGSET_TAG_LEN(ts, i)));
		bool		isnull = false;

		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, &value, &isnull);
	}
	return (Datum) 0;
}

/* How a merge of two sets decides which tags to keep. */
typedef enum TagMerge
{
	TAG_UNION,
	TAG_INTERSECT,
	TAG_MINUS
} TagMerge;

/* The union, intersection or difference of two sets (a sorted merge). */
static TagSet *
tagset_merge(const TagSet *a, const TagSet *b, TagMerge op)
{
	TagList		out;
	int			i = 0;
	int			j = 0;

	tag_list_init(&out, a->ntags + b->ntags);
	while (i < a->ntags || j < b->ntags)
	{
		int			c;

		if (i >= a->ntags)
			c = 1;
		else if (j >= b->ntags)
			c = -1;
		else
			c = tag_compare(TAGSET_TAG(a, i), TAGSET_TAG_LEN(a, i),
							TAGSET_TAG(b, j), TAGSET_TAG_LEN(b, j));
		if (c < 0 && op != TAG_INTERSECT)
			tag_list_add(&out, TAGSET_TAG(a, i), TAGSET_TAG_LEN(a, i));
		else if (c > 0 && op == TAG_UNION)
			tag_list_add(&out, TAGSET_TAG(b, j), TAGSET_TAG_LEN(b, j));
		else if (c == 0 && op != TAG_MINUS)
			tag_list_add(&out, TAGSET_TAG(a, i), TAGSET_TAG_LEN(a, i));
		if (c <= 0)
			i++;
		if (c >= 0)
			j++;
	}
	return tagset_from_list(&out);
}

/* Whether every tag of b is in a (a sorted merge). */
bool
tagset_contains(const TagSet *a, const TagSet *b)
{
	int			i = 0;

	for (int j = 0; j < b->ntags; j++)
	{
		int			c = -1;

		while (i < a->ntags &&
			   (c = tag_compare(TAGSET_TAG(a, i), TAGSET_TAG_LEN(a, i),
								TAGSET_TAG(b, j), TAGSET_TAG_LEN(b, j))) < 0)
			i++;
		if (i >= a->ntags || c != 0)
			return false;
	}
	return true;
}

/* Whether a and b share a tag. */
static bool
tagset_overlaps(const TagSet *a, const TagSet *b)
{
	int			i = 0;
	int			j = 0;

	while (i < a->ntags && j < b->ntags)
	{
		int			c = tag_compare(TAGSET_TAG(a, i), TAGSET_TAG_LEN(a, i),
									TAGSET_TAG(b, j), TAGSET_TAG_LEN(b, j));

		if (c == 0)
			return true;
		if (c < 0)
			i++;
		else
			j++;
	}
	return false;
}

/* Btree order: tag by tag, a set before the longer sets it starts. */
static int
tagset_cmp_internal(const TagSet *a, const TagSet *b)
{
	int			n = Min(a->ntags, b->ntags);

	for (int i = 0; i < n; i++)
	{
		int			c = tag_compare(TAGSET_TAG(a, i), TAGSET_TAG_LEN(a, i),
									TAGSET_TAG(b, i), TAGSET_TAG_LEN(b, i));

		if (c != 0)
			return c;
	}
	return (a->ntags > b->ntags) - (a->ntags < b->ntags);
}

#define TAGSET_PREDICATE(sqlname, expr) \
PG_FUNCTION_INFO_V1(mycc_tagset_##sqlname); \
Datum \
mycc_tagset_##sqlname(PG_FUNCTION_ARGS) \
{ \
	TagSet	   *a = PG_GETARG_TAGSET(0); \
	TagSet	   *b = PG_GETARG_TAGSET(1); \
	PG_RETURN_BOOL(expr); \
}

TAGSET_PREDICATE(contains, tagset_contains(a, b))
TAGSET_PREDICATE(contained, tagset_contains(b, a))
TAGSET_PREDICATE(overlap, tagset_overlaps(a, b))
TAGSET_PREDICATE(eq, tagset_cmp_internal(a, b) == 0)
TAGSET_PREDICATE(ne, tagset_cmp_internal(a, b) != 0)
TAGSET_PREDICATE(lt, tagset_cmp_internal(a, b) < 0)
TAGSET_PREDICATE(le, tagset_cmp_internal(a, b) <= 0)
TAGSET_PREDICATE(gt, tagset_cmp_internal(a, b) > 0)
TAGSET_PREDICATE(ge, tagset_cmp_internal(a, b) >= 0)

PG_FUNCTION_INFO_V1(mycc_tagset_cmp);
/* Btree support: -1, 0 or 1. */
Datum
mycc_tagset_cmp(PG_FUNCTION_ARGS)
{
	int			c = tagset_cmp_internal(PG_GETARG_TAGSET(0), PG_GETARG_TAGSET(1));

	PG_RETURN_INT32((c > 0) - (c < 0));
}

/*
 * The bytes the hash functions hash: version 1's from ntags on (ntags,
 * ends, tags), so that a set hashes as it did in mycc 0.2.0.
 */
static unsigned char *
tagset_hash_image(const TagSet *ts, int *len)
{
	Size		nends = sizeof(uint32) * ts->ntags;
	Size		nbytes = ts->ntags == 0 ? 0 : ts->ends[ts->ntags - 1];
	unsigned char *image = palloc(sizeof(uint16) + nends + nbytes);

	memcpy(image, &ts->ntags, sizeof(uint16));
	memcpy(image + sizeof(uint16), ts->ends, nends);
	memcpy(image + sizeof(uint16) + nends, TAGSET_BYTES(ts), nbytes);
	*len = (int) (sizeof(uint16) + nends + nbytes);
	return image;
}

PG_FUNCTION_INFO_V1(mycc_tagset_hash);
/* Hash support: equal sets have equal stored bytes. */
Datum
mycc_tagset_hash(PG_FUNCTION_ARGS)
{
	int			len;
	unsigned char *image = tagset_hash_image(PG_GETARG_TAGSET(0), &len);

	return hash_any(image, len);
}

PG_FUNCTION_INFO_V1(mycc_tagset_hash_extended);
/* Extended hash support, seeded. */
Datum
mycc_tagset_hash_extended(PG_FUNCTION_ARGS)
{
	int			len;
	unsigned char *image = tagset_hash_image(PG_GETARG_TAGSET(0), &len);

	return hash_any_extended(image, len, PG_GETARG_INT64(1));
}

PG_FUNCTION_INFO_V1(mycc_tagset_has);
/* tagset ? text: whether the set has the tag. */
Datum
mycc_tagset_has(PG_FUNCTION_ARGS)
{
	TagSet	   *ts = PG_GETARG_TAGSET(0);
	int			len;
	char	   *tag = tag_from_text(PG_GETARG_TEXT_PP(1), &len);

	PG_RETURN_BOOL(tagset_find(ts, tag, len) >= 0);
}

#define TAGSET_SETOP(sqlname, op) \
PG_FUNCTION_INFO_V1(mycc_tagset_##sqlname); \
Datum \
mycc_tagset_##sqlname(PG_FUNCTION_ARGS) \
{ \
	PG_RETURN_TAGSET(tagset_merge(PG_GETARG_TAGSET(0), PG_GETARG_TAGSET(1), op)); \
}

TAGSET_SETOP(union, TAG_UNION)
TAGSET_SETOP(intersect, TAG_INTERSECT)
TAGSET_SETOP(minus, TAG_MINUS)

/* A one-tag set of a text argument. */
static TagSet *
tagset_of_text(text *t)
{
	int			len;
	char	   *tag = tag_from_text(t, &len);
	TagRef		ref = {0, (uint32) len};

	return tagset_build(tag, &ref, 1);
}

PG_FUNCTION_INFO_V1(mycc_tagset_add_tag);
/* tagset || text: the set with one more tag. */
Datum
mycc_tagset_add_tag(PG_FUNCTION_ARGS)
{
	PG_RETURN_TAGSET(tagset_merge(PG_GETARG_TAGSET(0),
								  tagset_of_text(PG_GETARG_TEXT_PP(1)), TAG_UNION));
}

PG_FUNCTION_INFO_V1(mycc_tagset_minus_tag);
/* tagset - text: the set without one tag. */
Datum
mycc_tagset_minus_tag(PG_FUNCTION_ARGS)
{
	PG_RETURN_TAGSET(tagset_merge(PG_GETARG_TAGSET(0),
								  tagset_of_text(PG_GETARG_TEXT_PP(1)), TAG_MINUS));
}

PG_FUNCTION_INFO_V1(mycc_tagset_count);
/* # tagset: the number of tags. */
Datum
mycc_tagset_count(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(PG_GETARG_TAGSET(0)->ntags);
}

/*
 * The aggregates' state in memory: an expanded tagset.
 *
 * Under a plain aggregate (AggCheckCallContext says AGG_CONTEXT_AGGREGATE)
 * the transition functions keep each group's state as an expanded object
 * (utils/expandeddatum.h) in a memory context of its own, a child of the
 * aggregate context, and return its read/write pointer: the executor then
 * keeps the object as the state (it adopts a read/write expanded object
 * whose context is a child of the aggregate context, instead of copying
 * the value) and passes it back on the next row, which updates it in
 * place.  A row that brings a new tag costs a hash probe and an append,
 * not a copy of the group's whole set, as a flat state did.
 *
 * The object holds the tags in insertion order in one growing byte area,
 * refs[] locating each, and an open-addressing hash table (linear probing,
 * at most half full) of indexes into refs[], so that the test of an
 * incoming tag is one hash and usually one comparison, and a new tag is
 * an append (the arrays double, so the copies are amortised O(1) a tag).
 * The set order is needed only when the state is flattened:
 * tag_refs_sort_unique then sorts refs[] in place, once (the object
 * remembers that it is sorted until a tag is added).  A sorted array with
 * binary search would make each new tag an O(n) insertion, and the flat
 * state made it an O(n) copy: quadratic per group.
 *
 * Flattening (whenever the executor or a function needs the value: the
 * result, a parallel worker's partial state, PG_DETOAST_DATUM in any
 * tagset function) writes exactly what tagset_from_list writes for the
 * same tags, so the bytes are those of the flat code.  The count limit is
 * checked after each row's tags are added, with the same error as
 * tagset_merge (54000, the size of the union).
 *
 * Small states stay flat (see tagset_agg_state).  Window aggregates and
 * direct calls of the transition functions keep the flat path
 * (tagset_state below): a window may read the state between rows, and a
 * SQL caller's argument must not change.
 */

/* A flat aggregate state is expanded when it may reach this many tags. */
#define TAGSET_EXPAND_MIN_TAGS	64

typedef struct ExpandedTagSet
{
	ExpandedObjectHeader hdr;
	char	   *bytes;			/* the tags, end to end, in insertion order */
	Size		nbytes;			/* bytes used */
	Size		maxbytes;		/* bytes allocated */
	TagRef	   *refs;			/* tag i is refs[i] in bytes */
	int			ntags;
	int			maxtags;		/* entries allocated in refs */
	uint32	   *slots;			/* 0: empty; i + 1: refs[i] */
	uint32		nslots;			/* a power of 2, at least 2 * ntags */
	bool		sorted;			/* refs[] is in set order */
} ExpandedTagSet;

static Size ets_get_flat_size(ExpandedObjectHeader *eohptr);
static void ets_flatten_into(ExpandedObjectHeader *eohptr, void *result,
							 Size allocated_size);

static const ExpandedObjectMethods ets_methods =
{
	ets_get_flat_size,
	ets_flatten_into
};

/* The slot of tag in the hash table: where it is, or the empty slot to put it. */
static uint32
ets_slot(const ExpandedTagSet *ets, const char *tag, uint32 len)
{
	uint32		mask = ets->nslots - 1;
	uint32		i = hash_bytes((const unsigned char *) tag, (int) len) & mask;

	while (ets->slots[i] != 0)
	{
		const TagRef *ref = &ets->refs[ets->slots[i] - 1];

		if (ref->len == len && memcmp(ets->bytes + ref->offset, tag, len) == 0)
			break;
		i = (i + 1) & mask;
	}
	return i;
}

/* Rebuilds the hash table with nslots slots (after growth or a sort). */
static void
ets_rehash(ExpandedTagSet *ets, uint32 nslots)
{
	if (ets->slots == NULL || nslots != ets->nslots)
	{
		if (ets->slots != NULL)
			pfree(ets->slots);
		ets->slots = MemoryContextAllocZero(ets->hdr.eoh_context,
											sizeof(uint32) * nslots);
		ets->nslots = nslots;
	}
	else
		memset(ets->slots, 0, sizeof(uint32) * nslots);
	for (int i = 0; i < ets->ntags; i++)
		ets->slots[ets_slot(ets, ets->bytes + ets->refs[i].offset,
							ets->refs[i].len)] = (uint32) i + 1;
}

/* Adds a tag (1 to 255 bytes) unless the set has it. */
static void
ets_add(ExpandedTagSet *ets, const char *tag, uint32 len)
{
	uint32		slot = ets_slot(ets, tag, len);
	TagRef	   *ref;

	if (ets->slots[slot] != 0)
		return;
	if (ets->ntags == ets->maxtags)
	{
		ets->maxtags *= 2;
		ets->refs = repalloc(ets->refs, sizeof(TagRef) * ets->maxtags);
	}
	if (ets->nbytes + len > ets->maxbytes)
	{
		ets->maxbytes = Max(ets->maxbytes * 2, ets->nbytes + len);
		ets->bytes = repalloc(ets->bytes, ets->maxbytes);
	}
	/* Still in order when the new tag comes after the last one. */
	if (ets->sorted && ets->ntags > 0)
	{
		const TagRef *last = &ets->refs[ets->ntags - 1];

		ets->sorted = tag_compare(ets->bytes + last->offset, last->len, tag, len) < 0;
	}
	memcpy(ets->bytes + ets->nbytes, tag, len);
	ref = &ets->refs[ets->ntags];
	ref->offset = (uint32) ets->nbytes;
	ref->len = len;
	ets->nbytes += len;
	ets->ntags++;
	ets->slots[slot] = (uint32) ets->ntags;
	if ((uint32) ets->ntags * 2 > ets->nslots)
		ets_rehash(ets, ets->nslots * 2);
}

/*
 * A new expanded set holding the tags of ts, in a new child context of
 * parent.  Adding them one by one also drops any duplicate a damaged
 * value might hold.
 */
static ExpandedTagSet *
ets_from_flat(const TagSet *ts, MemoryContext parent)
{
	MemoryContext context = AllocSetContextCreate(parent, "expanded tagset",
												  ALLOCSET_SMALL_SIZES);
	ExpandedTagSet *ets = MemoryContextAllocZero(context, sizeof(ExpandedTagSet));
	Size		nbytes = ts->ntags == 0 ? 0 : ts->ends[ts->ntags - 1];

	EOH_init_header(&ets->hdr, &ets_methods, context);
	ets->maxtags = Max(16, ts->ntags);
	ets->refs = MemoryContextAlloc(context, sizeof(TagRef) * ets->maxtags);
	ets->maxbytes = Max(256, nbytes);
	ets->bytes = MemoryContextAlloc(context, ets->maxbytes);
	ets->sorted = true;
	ets_rehash(ets, pg_nextpower2_32((uint32) ets->maxtags * 2));
	for (int i = 0; i < ts->ntags; i++)
		ets_add(ets, TAGSET_TAG(ts, i), TAGSET_TAG_LEN(ts, i));
	return ets;
}

/* Puts refs[] in set order (once; the hash table follows the new indexes). */
static void
ets_sort(ExpandedTagSet *ets)
{
	size_t		n;

	if (ets->sorted)
		return;
	n = tag_refs_sort_unique(ets->bytes, ets->refs, ets->ntags);
	if (n != (size_t) ets->ntags)
		elog(ERROR, "expanded tagset holds a tag twice");
	ets_rehash(ets, ets->nslots);
	ets->sorted = true;
}

/* EOM_get_flat_size: the size of the tagset (the order does not change it). */
static Size
ets_get_flat_size(ExpandedObjectHeader *eohptr)
{
	ExpandedTagSet *ets = (ExpandedTagSet *) eohptr;

	Assert(ets->hdr.eoh_methods == &ets_methods);
	tagset_check_count(ets->ntags);
	return TAGSET_SIZE(ets->ntags, ets->nbytes);
}

/* EOM_flatten_into: the tagset, byte for byte what tagset_from_list builds. */
static void
ets_flatten_into(ExpandedObjectHeader *eohptr, void *result, Size allocated_size)
{
	ExpandedTagSet *ets = (ExpandedTagSet *) eohptr;
	TagSet	   *ts = (TagSet *) result;
	char	   *p;

	Assert(allocated_size == ets_get_flat_size(eohptr));
	ets_sort(ets);
	memset(ts, 0, allocated_size);
	SET_VARSIZE(ts, allocated_size);
	ts->version = MYCC_TAGSET_VERSION;
	ts->ntags = (uint16) ets->ntags;
	p = TAGSET_BYTES(ts);
	for (int i = 0; i < ets->ntags; i++)
	{
		memcpy(p, ets->bytes + ets->refs[i].offset, ets->refs[i].len);
		p += ets->refs[i].len;
		ts->ends[i] = (uint32) (p - TAGSET_BYTES(ts));
	}
	tagset_sign(ts);
}

/*
 * The flat state to merge into (window aggregates, direct calls, small
 * states).  Inside an aggregate the state is one this module built and is
 * used as it is; the new state is a new value only when a tag is new.  A
 * direct call's argument is only read: a new tag makes a new value.
 */
static TagSet *
tagset_state(FunctionCallInfo fcinfo)
{
	struct varlena *arg = (struct varlena *) PG_GETARG_POINTER(0);

	if (AggCheckCallContext(fcinfo, NULL) && VARATT_IS_4B_U(arg))
		return (TagSet *) arg;
	return PG_GETARG_TAGSET(0);
}

/*
 * The state of a transition that adds nmore tags (at most): the expanded
 * state of a plain aggregate, or NULL and *flat.  Argument 0 is used as it
 * is when it is the expanded state this module returned for the group; a
 * flat state (the INITCOND '{}' on a group's first row) is expanded once
 * it may reach TAGSET_EXPAND_MIN_TAGS: until then it stays flat, as small
 * as a tagset, since a copy of a small set per new tag costs little while
 * an expanded object costs about a kilobyte, which a query grouping
 * millions of customers by id would pay per group.  Window aggregates and
 * direct calls always get *flat.
 */
static ExpandedTagSet *
tagset_agg_state(FunctionCallInfo fcinfo, int nmore, TagSet **flat)
{
	MemoryContext aggcontext;
	bool		plain = AggCheckCallContext(fcinfo, &aggcontext) == AGG_CONTEXT_AGGREGATE;
	Datum		state = PG_GETARG_DATUM(0);

	if (plain && VARATT_IS_EXTERNAL_EXPANDED_RW(DatumGetPointer(state)))
	{
		ExpandedObjectHeader *eoh = DatumGetEOHP(state);

		if (eoh->eoh_methods == &ets_methods &&
			MemoryContextGetParent(eoh->eoh_context) == aggcontext)
			return (ExpandedTagSet *) eoh;
	}
	*flat = tagset_state(fcinfo);
	if (plain && (*flat)->ntags + nmore >= TAGSET_EXPAND_MIN_TAGS)
		return ets_from_flat(*flat, aggcontext);
	return NULL;
}

/* The state with the tags of more added (the state itself if none is new). */
static TagSet *
tagset_state_add(TagSet *state, const TagSet *more)
{
	for (int i = 0; i < more->ntags; i++)
		if (tagset_find(state, TAGSET_TAG(more, i), TAGSET_TAG_LEN(more, i)) < 0)
			return tagset_merge(state, more, TAG_UNION);
	return state;
}

PG_FUNCTION_INFO_V1(mycc_tagset_agg_accum);
/* Transition of tagset_agg(text). */
Datum
mycc_tagset_agg_accum(PG_FUNCTION_ARGS)
{
	TagSet	   *flat;
	ExpandedTagSet *ets = tagset_agg_state(fcinfo, 1, &flat);
	int			len;
	char	   *tag;

	if (ets == NULL)
		PG_RETURN_TAGSET(tagset_state_add(flat, tagset_of_text(PG_GETARG_TEXT_PP(1))));
	tag = tag_from_text(PG_GETARG_TEXT_PP(1), &len);
	ets_add(ets, tag, (uint32) len);
	tagset_check_count(ets->ntags);
	PG_RETURN_DATUM(EOHPGetRWDatum(&ets->hdr));
}

PG_FUNCTION_INFO_V1(mycc_tag_union_accum);
/* Transition and combine function of tag_union(tagset) and tagset_agg. */
Datum
mycc_tag_union_accum(PG_FUNCTION_ARGS)
{
	TagSet	   *more = PG_GETARG_TAGSET(1);
	TagSet	   *flat;
	ExpandedTagSet *ets = tagset_agg_state(fcinfo, more->ntags, &flat);

	if (ets == NULL)
		PG_RETURN_TAGSET(tagset_state_add(flat, more));
	for (int i = 0; i < more->ntags; i++)
		ets_add(ets, TAGSET_TAG(more, i), TAGSET_TAG_LEN(more, i));
	tagset_check_count(ets->ntags);
	PG_RETURN_DATUM(EOHPGetRWDatum(&ets->hdr));
}

/* dynahash support for TagKey: the tag's bytes. */
static uint32
tag_key_hash(const void *key, Size keysize)
{
	const TagKey *k = key;

	return hash_bytes((const unsigned char *) k->tag, k->len);
}

static int
tag_key_match(const void *a, const void *b, Size keysize)
{
	const TagKey *x = a;
	const TagKey *y = b;

	return x->len == y->len ? memcmp(x->tag, y->tag, x->len) : 1;
}

HTAB *
tag_hash_create(const char *name, long nelem, Size entrysize)
{
	HASHCTL		ctl;

	ctl.keysize = sizeof(TagKey);
	ctl.entrysize = entrysize;
	ctl.hash = tag_key_hash;
	ctl.match = tag_key_match;
	ctl.hcxt = CurrentMemoryContext;
	return hash_create(name, nelem, &ctl,
					   HASH_ELEM | HASH_FUNCTION | HASH_COMPARE | HASH_CONTEXT);
}
