/*
 * fuzz_tagset.c
 *		libFuzzer harness for tagset_parse() (src/tag_parse.c), the parser
 *		behind tagset's text input.
 *
 * Input: the text (any bytes, NULs included: the parser takes a length).
 * The buffers are exactly the sizes the backend allocates
 * (tagset_parse_capacity, one byte of tag space per input byte), each its
 * own allocation, so that AddressSanitizer catches any access past them.
 * Besides the sanitizers, an accepted set must be what the type promises:
 * at most MYCC_TAGSET_MAX_TAGS tags, each 1 to 255 bytes of valid UTF-8
 * (checked by a decoder written here, not by tag_utf8_valid) with no
 * upper-case ASCII letter, strictly increasing bytewise (shorter first),
 * inside the bytes the parser reports; and printing it the way tagset_out
 * does and parsing that again gives the same tags.  A refusal must carry a
 * known status, a position within the input and a message.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "reference.h"
#include "tag_parse.h"


/* Bytewise order, shorter first on a common prefix (the reference). */
static int
order(const char *a, size_t alen, const char *b, size_t blen)
{
	int			c = memcmp(a, b, alen < blen ? alen : blen);

	return c != 0 ? c : (alen > blen) - (alen < blen);
}

/* Parsed tags, in their own exact-size buffers. */
typedef struct Parsed
{
	bool		ok;
	TagParseError err;
	char	   *bytes;
	TagRef	   *refs;
	size_t		ntags;
	size_t		nbytes;
} Parsed;

static Parsed
parse(const char *text, size_t len)
{
	Parsed		p;
	size_t		capacity = tagset_parse_capacity(len);

	memset(&p, 0, sizeof(p));
	p.bytes = malloc(len);
	p.refs = malloc(sizeof(TagRef) * capacity);
	p.ok = tagset_parse(text, len, p.bytes, p.refs, capacity, &p.ntags,
						&p.nbytes, &p.err);
	return p;
}

/* Prints the tags as tagset_out does (tagset.c, tag_append_text). */
static char *
print(const Parsed *p, size_t *outlen)
{
	/* Each byte escaped at worst, plus quotes, ", " and braces. */
	char	   *out = malloc(2 * p->nbytes + 4 * p->ntags + 2);
	size_t		n = 0;

	out[n++] = '{';
	for (size_t i = 0; i < p->ntags; i++)
	{
		const char *tag = p->bytes + p->refs[i].offset;
		size_t		len = p->refs[i].len;

		if (i > 0)
		{
			out[n++] = ',';
			out[n++] = ' ';
		}
		if (!tag_needs_quotes(tag, len, false))
		{
			memcpy(out + n, tag, len);
			n += len;
			continue;
		}
		out[n++] = '"';
		for (size_t k = 0; k < len; k++)
		{
			if (tag[k] == '"' || tag[k] == '\\')
				out[n++] = '\\';
			out[n++] = tag[k];
		}
		out[n++] = '"';
	}
	out[n++] = '}';
	*outlen = n;
	return out;
}

static void
release(Parsed *p)
{
	free(p->bytes);
	free(p->refs);
}

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* One input: parse, then abort() on any broken promise (see the header). */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *text = malloc(size);
	Parsed		p;

	memcpy(text, data, size);
	p = parse(text, size);
	if (!p.ok)
	{
		if (p.err.status < TAG_PARSE_SYNTAX || p.err.status > TAG_PARSE_TOO_DEEP ||
			p.err.status == TAG_PARSE_TOO_DEEP || p.err.position > size ||
			p.err.message == NULL)
			abort();
	}
	else
	{
		char	   *printed;
		size_t		plen;
		Parsed		again;

		if (p.ntags > MYCC_TAGSET_MAX_TAGS || p.nbytes > size)
			abort();
		for (size_t i = 0; i < p.ntags; i++)
		{
			const TagRef *r = &p.refs[i];
			const char *tag = p.bytes + r->offset;

			if (r->len < 1 || r->len > MYCC_TAG_MAX_BYTES ||
				r->offset > p.nbytes || r->len > p.nbytes - r->offset ||
				!utf8_ok((const unsigned char *) tag, r->len))
				abort();
			for (size_t k = 0; k < r->len; k++)
				if (tag[k] >= 'A' && tag[k] <= 'Z')
					abort();
			if (i > 0 && order(p.bytes + p.refs[i - 1].offset, p.refs[i - 1].len,
							   tag, r->len) >= 0)
				abort();
		}
		printed = print(&p, &plen);
		again = parse(printed, plen);
		if (!again.ok || again.ntags != p.ntags)
			abort();
		for (size_t i = 0; i < p.ntags; i++)
			if (order(p.bytes + p.refs[i].offset, p.refs[i].len,
					  again.bytes + again.refs[i].offset, again.refs[i].len) != 0)
				abort();
		release(&again);
		free(printed);
	}
	release(&p);
	free(text);
	return 0;
}
