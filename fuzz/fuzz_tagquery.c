/*
 * fuzz_tagquery.c
 *		libFuzzer harness for tagquery_parse() and tagquery_items_valid()
 *		(src/tag_parse.c), the parser behind tagquery's text input and
 *		binary receive, and the check every read of a stored query relies on.
 *
 * Input: a first byte choosing the mode, then the payload.
 *
 *	 even: the payload is query text.  The buffers are exactly the sizes
 *		   the backend allocates (tagquery_parse_capacity items, as many
 *		   nodes in tagquery_work_bytes, one byte of tag space per input
 *		   byte), each its own allocation, so that AddressSanitizer catches
 *		   any access past them.  An accepted query must pass
 *		   tagquery_items_valid, hold 1 to MYCC_TAGQUERY_MAX_ITEMS items
 *		   whose tags are 1 to 255 bytes of folded, valid UTF-8, and print
 *		   (as tagquery_out does) to a text that parses to the same items
 *		   and bytes.  A refusal must carry a known status, a position
 *		   within the input and a message.
 *	 odd:  the payload is stored items (12 bytes each; the byte area's
 *		   size in the first two bytes), as a damaged value on disk would
 *		   be.  When tagquery_items_valid accepts them, walking them as the
 *		   evaluator and the output function do (an operator's operands
 *		   follow it, the next subtree starts at its end) must stay inside
 *		   the items and every term inside the bytes.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "reference.h"
#include "tag_parse.h"

/* A query in exact-size buffers. */
typedef struct Parsed
{
	bool		ok;
	TagParseError err;
	TagQueryItem *items;
	char	   *bytes;
	size_t		nitems;
	size_t		nbytes;
} Parsed;

static Parsed
parse(const char *text, size_t len)
{
	Parsed		p;
	size_t		capacity = tagquery_parse_capacity(len);
	void	   *work = malloc(tagquery_work_bytes(capacity));

	memset(&p, 0, sizeof(p));
	p.items = malloc(sizeof(TagQueryItem) * capacity);
	p.bytes = malloc(len);
	p.ok = tagquery_parse(text, len, p.items, capacity, p.bytes, work,
						  &p.nitems, &p.nbytes, &p.err);
	free(work);
	return p;
}

/* A growable output buffer. */
typedef struct Out
{
	char	   *data;
	size_t		len;
	size_t		cap;
} Out;

static void
put(Out *o, const char *s, size_t n)
{
	if (o->len + n > o->cap)
	{
		o->cap = 2 * (o->len + n) + 16;
		o->data = realloc(o->data, o->cap);
	}
	memcpy(o->data + o->len, s, n);
	o->len += n;
}

/* A tag as the output quotes it (tagset.c, tag_append_text, in a query). */
static void
put_tag(Out *o, const char *tag, size_t len)
{
	if (!tag_needs_quotes(tag, len, true))
	{
		put(o, tag, len);
		return;
	}
	put(o, "\"", 1);
	for (size_t k = 0; k < len; k++)
	{
		if (tag[k] == '"' || tag[k] == '\\')
			put(o, "\\", 1);
		put(o, &tag[k], 1);
	}
	put(o, "\"", 1);
}

/* The subtree at item i as tagquery_out prints it (tagquery.c); next item. */
static size_t
print(Out *o, const Parsed *p, size_t i)
{
	const TagQueryItem *item = &p->items[i];
	size_t		next = i + 1;

	if (item->type == TQ_TAG || item->type == TQ_PREFIX)
	{
		put_tag(o, p->bytes + item->offset, item->end);
		if (item->type == TQ_PREFIX)
			put(o, "*", 1);
		return next;
	}
	for (unsigned k = 0; k < item->nargs; k++)
	{
		uint8_t		child = p->items[next].type;
		bool		parens = (item->type == TQ_NOT && (child == TQ_AND || child == TQ_OR)) ||
			(item->type == TQ_AND && child == TQ_OR);

		if (item->type == TQ_NOT)
			put(o, "!", 1);
		else if (k > 0)
			put(o, item->type == TQ_AND ? " & " : " | ", 3);
		if (parens)
			put(o, "(", 1);
		next = print(o, p, next);
		if (parens)
			put(o, ")", 1);
	}
	return next;
}

/* Same items (and the same tags at their offsets). */
static bool
same(const Parsed *a, const Parsed *b)
{
	if (a->nitems != b->nitems || a->nbytes != b->nbytes)
		return false;
	for (size_t i = 0; i < a->nitems; i++)
	{
		const TagQueryItem *x = &a->items[i];
		const TagQueryItem *y = &b->items[i];

		if (x->type != y->type || x->nargs != y->nargs || x->end != y->end ||
			x->reserved != y->reserved || x->offset != y->offset)
			return false;
		if ((x->type == TQ_TAG || x->type == TQ_PREFIX) &&
			memcmp(a->bytes + x->offset, b->bytes + y->offset, x->end) != 0)
			return false;
	}
	return true;
}


static void
text_mode(const uint8_t *data, size_t size)
{
	char	   *text = malloc(size);
	Parsed		p;

	memcpy(text, data, size);
	p = parse(text, size);
	if (!p.ok)
	{
		if (p.err.status < TAG_PARSE_SYNTAX || p.err.status > TAG_PARSE_TOO_DEEP ||
			p.err.position > size || p.err.message == NULL)
			abort();
	}
	else
	{
		Out			o = {NULL, 0, 0};
		Parsed		again;

		if (p.nitems < 1 || p.nitems > MYCC_TAGQUERY_MAX_ITEMS || p.nbytes > size ||
			!tagquery_items_valid(p.items, p.nitems, p.nbytes))
			abort();
		for (size_t i = 0; i < p.nitems; i++)
		{
			const TagQueryItem *item = &p.items[i];

			if (item->type != TQ_TAG && item->type != TQ_PREFIX)
				continue;
			if (!utf8_ok((const unsigned char *) p.bytes + item->offset, item->end))
				abort();
			for (size_t k = 0; k < item->end; k++)
				if (p.bytes[item->offset + k] >= 'A' && p.bytes[item->offset + k] <= 'Z')
					abort();
		}
		if (print(&o, &p, 0) != p.nitems)
			abort();
		again = parse(o.data, o.len);
		if (!again.ok || !same(&p, &again))
			abort();
		free(again.items);
		free(again.bytes);
		free(o.data);
	}
	free(p.items);
	free(p.bytes);
	free(text);
}

/* Walks the subtree at i as the evaluator does; returns the next item. */
static size_t
walk(const TagQueryItem *items, size_t nitems, size_t nbytes, size_t i,
	 int depth)
{
	const TagQueryItem *item;
	size_t		child = i + 1;

	if (i >= nitems || depth > MYCC_TAGQUERY_MAX_TREE_DEPTH)
		abort();
	item = &items[i];
	if (item->type == TQ_TAG || item->type == TQ_PREFIX)
	{
		if ((size_t) item->offset + item->end > nbytes || item->end == 0)
			abort();
		return i + 1;
	}
	for (unsigned k = 0; k < item->nargs; k++)
	{
		size_t		next = walk(items, nitems, nbytes, child, depth + 1);
		size_t		jump = (items[child].type == TQ_TAG || items[child].type == TQ_PREFIX) ?
			child + 1 : items[child].end;

		if (next != jump)
			abort();
		child = jump;
	}
	if (child != item->end)
		abort();
	return child;
}

static void
items_mode(const uint8_t *data, size_t size)
{
	size_t		nbytes;
	size_t		nitems;
	TagQueryItem *items;

	if (size < 2)
		return;
	nbytes = data[0] | (size_t) data[1] << 8;
	nitems = (size - 2) / sizeof(TagQueryItem);
	items = malloc(sizeof(TagQueryItem) * (nitems ? nitems : 1));
	memcpy(items, data + 2, sizeof(TagQueryItem) * nitems);
	if (tagquery_items_valid(items, nitems, nbytes) &&
		walk(items, nitems, nbytes, 0, 0) != nitems)
		abort();
	free(items);
}

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* One input: the mode byte, then text or stored items (see the header). */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	if (data[0] % 2 == 0)
		text_mode(data + 1, size - 1);
	else
		items_mode(data + 1, size - 1);
	return 0;
}
