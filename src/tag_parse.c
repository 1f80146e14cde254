/*
 * tag_parse.c
 *		Pure parsers of the tagset and tagquery text forms (see tag_parse.h).
 *
 * A tag is written bare when every byte is an ASCII letter or digit, one of
 * "_-:./", or part of a non-ASCII character; otherwise in double quotes,
 * where a backslash makes the next character literal.  ASCII letters fold
 * to lower case, quoted or not.  The tag must be valid UTF-8, non-empty and
 * at most MYCC_TAG_MAX_BYTES long.
 *
 * The query grammar, loosest first (words are case-insensitive):
 *
 *	 or		:= and { ("|" | OR) and }
 *	 and	:= not { ("&" | AND) not }
 *	 not	:= ("!" | NOT) not | primary
 *	 primary:= "(" or ")" | tag ["*"]
 *
 * The parser builds a tree in caller-provided nodes, merging chains of the
 * same operator into one n-ary node (also through parentheses), then writes
 * it out in prefix order.  Parentheses and NOT count towards the depth
 * limit, which bounds the recursive descent (a few calls per level) and the
 * tree the writer walks (MYCC_TAGQUERY_MAX_TREE_DEPTH, see tag_parse.h).
 */
#include <stdlib.h>
#include <string.h>

#include "tag_parse.h"

/* The longest text input accepted, before any allocation sized from it. */
#define TAG_TEXT_MAX_INPUT	(64 * 1024 * 1024)

static bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
		c == '\v';
}

/* Bytes allowed in a bare tag. */
static bool
tag_char_is_plain(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		(c >= '0' && c <= '9') || c == '_' || c == '-' || c == ':' ||
		c == '.' || c == '/' || c >= 0x80;
}

/* True for the operator words of the query language (already folded). */
static bool
is_operator_word(const char *s, size_t len)
{
	return (len == 3 && memcmp(s, "and", 3) == 0) ||
		(len == 2 && memcmp(s, "or", 2) == 0) ||
		(len == 3 && memcmp(s, "not", 3) == 0);
}

/* True when output must quote the tag. */
bool
tag_needs_quotes(const char *tag, size_t len, bool in_query)
{
	for (size_t i = 0; i < len; i++)
		if (!tag_char_is_plain((unsigned char) tag[i]))
			return true;
	return in_query && is_operator_word(tag, len);
}

/* Validates UTF-8: no NUL, no overlong forms, no surrogates, <= U+10FFFF. */
bool
tag_utf8_valid(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *) str;
	size_t		i = 0;

	while (i < len)
	{
		unsigned char c = s[i];
		size_t		n;
		uint32_t	cp;

		if (c == 0)
			return false;
		if (c < 0x80)
		{
			i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF)
			n = 2, cp = c & 0x1F;
		else if (c >= 0xE0 && c <= 0xEF)
			n = 3, cp = c & 0x0F;
		else if (c >= 0xF0 && c <= 0xF4)
			n = 4, cp = c & 0x07;
		else
			return false;
		if (len - i < n)
			return false;
		for (size_t k = 1; k < n; k++)
		{
			if ((s[i + k] & 0xC0) != 0x80)
				return false;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
			cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return false;
		i += n;
	}
	return true;
}

/* Bytewise order, shorter first on a common prefix. */
int
tag_compare(const char *a, size_t alen, const char *b, size_t blen)
{
	int			c = memcmp(a, b, alen < blen ? alen : blen);

	if (c != 0)
		return c;
	return (alen > blen) - (alen < blen);
}

uint32_t
tag_stable_hash(const char *tag, size_t len)
{
	uint32_t	h = 2166136261u;

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char) tag[i]) * 16777619u;
	h ^= h >> 16;
	h *= 0x85ebca6bu;
	h ^= h >> 13;
	h *= 0xc2b2ae35u;
	h ^= h >> 16;
	return h;
}

static bool
fail(TagParseError *err, TagParseStatus status, size_t position,
	 const char *message)
{
	err->status = status;
	err->position = position;
	err->message = message;
	return false;
}

/* Checks a tag written to out[0..len) and folds its ASCII letters. */
static bool
finish_tag(char *out, size_t len, size_t position, TagParseError *err)
{
	if (len == 0)
		return fail(err, TAG_PARSE_SYNTAX, position, "A tag cannot be empty.");
	if (len > MYCC_TAG_MAX_BYTES)
		return fail(err, TAG_PARSE_TAG_TOO_LONG, position,
					"A tag is at most 255 bytes long.");
	if (!tag_utf8_valid(out, len))
		return fail(err, TAG_PARSE_BAD_UTF8, position,
					"A tag must be valid UTF-8.");
	for (size_t i = 0; i < len; i++)
		if (out[i] >= 'A' && out[i] <= 'Z')
			out[i] += 'a' - 'A';
	return true;
}

/*
 * Reads one tag at in[*pos], bare or quoted, into out (which has room for
 * the rest of the input); advances *pos and sets *outlen.  Only the first
 * MYCC_TAG_MAX_BYTES + 1 bytes are kept, enough to report a long tag.
 */
static bool
read_tag(const char *in, size_t len, size_t *pos, char *out, size_t *outlen,
		 TagParseError *err)
{
	size_t		start = *pos;
	size_t		i = start;
	size_t		n = 0;

	if (i < len && in[i] == '"')
	{
		for (i++;; i++)
		{
			if (i >= len)
				return fail(err, TAG_PARSE_SYNTAX, start,
							"A quoted tag is not closed.");
			if (in[i] == '"')
				break;
			if (in[i] == '\\' && ++i >= len)
				return fail(err, TAG_PARSE_SYNTAX, start,
							"A quoted tag is not closed.");
			if (n <= MYCC_TAG_MAX_BYTES)
				out[n] = in[i];
			n++;
		}
		i++;					/* the closing quote */
	}
	else
	{
		for (; i < len && tag_char_is_plain((unsigned char) in[i]); i++)
		{
			if (n <= MYCC_TAG_MAX_BYTES)
				out[n] = in[i];
			n++;
		}
		if (n == 0)
			return fail(err, TAG_PARSE_SYNTAX, start,
						"Expected a tag: letters, digits, _ - : . / or a quoted string.");
	}
	*pos = i;
	*outlen = n;
	if (n > MYCC_TAG_MAX_BYTES)
		return fail(err, TAG_PARSE_TAG_TOO_LONG, start,
					"A tag is at most 255 bytes long.");
	return finish_tag(out, n, start, err);
}

bool
tag_normalize(const char *in, size_t len, char *out, TagParseError *err)
{
	memcpy(out, in, len);
	return finish_tag(out, len, 0, err);
}

static size_t
skip_spaces(const char *in, size_t len, size_t pos)
{
	while (pos < len && is_space(in[pos]))
		pos++;
	return pos;
}

size_t
tagset_parse_capacity(size_t len)
{
	return len / 2 + 1;
}

/* Context of qsort's comparator: the byte buffer the refs point into. */
static const char *sort_bytes;

static int
ref_compare(const void *a, const void *b)
{
	const TagRef *x = a;
	const TagRef *y = b;

	return tag_compare(sort_bytes + x->offset, x->len,
					   sort_bytes + y->offset, y->len);
}

size_t
tag_refs_sort_unique(const char *bytes, TagRef *refs, size_t n)
{
	size_t		kept = 0;

	sort_bytes = bytes;
	qsort(refs, n, sizeof(TagRef), ref_compare);
	for (size_t i = 0; i < n; i++)
		if (kept == 0 || ref_compare(&refs[kept - 1], &refs[i]) != 0)
			refs[kept++] = refs[i];
	return kept;
}

bool
tagset_parse(const char *in, size_t len, char *bytes, TagRef *refs,
			 size_t max_tags, size_t *ntags, size_t *nbytes,
			 TagParseError *err)
{
	size_t		pos = skip_spaces(in, len, 0);
	size_t		n = 0;
	size_t		used = 0;

	if (len > TAG_TEXT_MAX_INPUT)
		return fail(err, TAG_PARSE_TOO_MANY, 0, "The text is longer than 64 MB.");
	if (pos >= len || in[pos] != '{')
		return fail(err, TAG_PARSE_SYNTAX, pos, "A tagset starts with \"{\".");
	pos = skip_spaces(in, len, pos + 1);
	if (pos < len && in[pos] == '}')
		pos++;
	else
	{
		for (;;)
		{
			size_t		taglen;

			if (n >= max_tags)
				return fail(err, TAG_PARSE_TOO_MANY, pos, "Too many tags.");
			if (!read_tag(in, len, &pos, bytes + used, &taglen, err))
				return false;
			refs[n].offset = (uint32_t) used;
			refs[n].len = (uint32_t) taglen;
			used += taglen;
			n++;
			pos = skip_spaces(in, len, pos);
			if (pos < len && in[pos] == ',')
				pos = skip_spaces(in, len, pos + 1);
			else if (pos < len && in[pos] == '}')
			{
				pos++;
				break;
			}
			else
				return fail(err, TAG_PARSE_SYNTAX, pos,
							"Expected \",\" or \"}\" after a tag.");
		}
	}
	if (skip_spaces(in, len, pos) != len)
		return fail(err, TAG_PARSE_SYNTAX, pos, "Unexpected text after \"}\".");
	n = tag_refs_sort_unique(bytes, refs, n);
	if (n > MYCC_TAGSET_MAX_TAGS)
		return fail(err, TAG_PARSE_TOO_MANY, 0,
					"A tagset holds at most 10000 tags.");
	*ntags = n;
	*nbytes = used;
	return true;
}

/* --- tag queries --- */

/* A node of the parse tree; children form a singly linked list. */
typedef struct TagQueryNode
{
	uint8_t		type;
	uint16_t	nargs;
	uint32_t	offset;			/* terms: tag bytes */
	uint32_t	len;
	int32_t		first;			/* operators: first and last operand */
	int32_t		last;
	int32_t		next;			/* next operand of the parent */
} TagQueryNode;

typedef enum TokenType
{
	TOK_END,
	TOK_TAG,
	TOK_PREFIX,
	TOK_AND,
	TOK_OR,
	TOK_NOT,
	TOK_OPEN,
	TOK_CLOSE
} TokenType;

typedef struct QueryParser
{
	const char *in;
	size_t		len;
	size_t		pos;			/* after the current token */
	TokenType	token;
	size_t		token_pos;		/* where the current token starts */
	uint32_t	tag_offset;		/* TOK_TAG / TOK_PREFIX: its bytes */
	uint32_t	tag_len;
	TagQueryNode *nodes;
	size_t		nnodes;
	size_t		merged;			/* nodes spliced into their parent */
	size_t		over_pos;		/* token that last took the stored items
								 * past the limit */
	size_t		max_nodes;
	char	   *bytes;
	size_t		nbytes;
	int			depth;
	TagParseError *err;
} QueryParser;

size_t
tagquery_parse_capacity(size_t len)
{
	size_t		n = len + 1;

	/*
	 * Nodes merged into their parent (a & (b & c)) stay allocated but are
	 * not stored.  Only AND and OR nodes merge, and each has two or more
	 * operands, so they are fewer than the terms: a query of n stored items
	 * needs at most 2n - 1 nodes, and running out of twice the item limit
	 * means the query is over it.
	 */
	return n < 2 * (MYCC_TAGQUERY_MAX_ITEMS + 1) ? n : 2 * (MYCC_TAGQUERY_MAX_ITEMS + 1);
}

size_t
tagquery_work_bytes(size_t max_items)
{
	return max_items * sizeof(TagQueryNode);
}

/* Reads the next token into p->token. */
static bool
next_token(QueryParser *p)
{
	size_t		pos = skip_spaces(p->in, p->len, p->pos);
	char		c = pos < p->len ? p->in[pos] : '\0';
	size_t		taglen;

	p->token_pos = pos;
	if (pos >= p->len)
	{
		p->token = TOK_END;
		p->pos = pos;
		return true;
	}
	p->pos = pos + 1;
	switch (c)
	{
		case '&':
			p->token = TOK_AND;
			return true;
		case '|':
			p->token = TOK_OR;
			return true;
		case '!':
			p->token = TOK_NOT;
			return true;
		case '(':
			p->token = TOK_OPEN;
			return true;
		case ')':
			p->token = TOK_CLOSE;
			return true;
	}
	if (c != '"' && !tag_char_is_plain((unsigned char) c))
		return fail(p->err, TAG_PARSE_SYNTAX, pos,
					"Expected a tag, an operator (& | !) or a parenthesis.");
	p->pos = pos;
	if (!read_tag(p->in, p->len, &p->pos, p->bytes + p->nbytes, &taglen, p->err))
		return false;
	p->tag_offset = (uint32_t) p->nbytes;
	p->tag_len = (uint32_t) taglen;
	p->token = TOK_TAG;
	if (p->pos < p->len && p->in[p->pos] == '*')
	{
		p->pos++;
		p->token = TOK_PREFIX;
	}
	else if (c != '"' && is_operator_word(p->bytes + p->nbytes, taglen))
	{
		const char *w = p->bytes + p->nbytes;

		p->token = w[0] == 'a' ? TOK_AND : (w[0] == 'o' ? TOK_OR : TOK_NOT);
		return true;
	}
	p->nbytes += taglen;
	return true;
}

/*
 * A new node, or -1 with TOO_MANY reported when the nodes run out.
 *
 * The item limit itself is checked once the query is parsed: a group in
 * parentheses that merges into its parent ("... | (x | y)") is counted
 * until it merges, which can be after its last term, so counting here
 * refused a query of exactly the limit spelt with such a group at the end,
 * and took it with the group at the start.  Here we only note where the
 * stored items last went past the limit, for the error.
 */
static int32_t
new_node(QueryParser *p, uint8_t type)
{
	TagQueryNode *node;

	if (p->nnodes >= p->max_nodes)
	{
		fail(p->err, TAG_PARSE_TOO_MANY, p->token_pos,
			 "A tag query has at most 10000 terms and operators.");
		return -1;
	}
	if (p->nnodes - p->merged == MYCC_TAGQUERY_MAX_ITEMS)
		p->over_pos = p->token_pos;
	node = &p->nodes[p->nnodes];
	memset(node, 0, sizeof(*node));
	node->type = type;
	node->first = node->last = node->next = -1;
	return (int32_t) p->nnodes++;
}

/* Appends child to parent's operands, splicing a same-type child's own. */
static bool
add_operand(QueryParser *p, int32_t parent, int32_t child)
{
	TagQueryNode *par = &p->nodes[parent];
	TagQueryNode *ch = &p->nodes[child];
	int32_t		first = child;
	int32_t		last = child;
	unsigned	count = 1;

	if (ch->type == par->type && par->type != TQ_NOT)
	{
		first = ch->first;
		last = ch->last;
		count = ch->nargs;
		p->merged++;
	}
	if (par->nargs + count > UINT16_MAX)
		return fail(p->err, TAG_PARSE_TOO_MANY, p->token_pos,
					"An operator has at most 65535 operands.");
	if (par->last < 0)
		par->first = first;
	else
		p->nodes[par->last].next = first;
	par->last = last;
	par->nargs += count;
	return true;
}

static int32_t parse_or(QueryParser *p);

/* primary := "(" or ")" | tag ["*"] */
static int32_t
parse_primary(QueryParser *p)
{
	int32_t		node;

	if (p->token == TOK_OPEN)
	{
		if (++p->depth > MYCC_TAGQUERY_MAX_DEPTH)
			return fail(p->err, TAG_PARSE_TOO_DEEP, p->token_pos,
						"Parentheses and NOT nest at most 64 deep."), -1;
		if (!next_token(p) || (node = parse_or(p)) < 0)
			return -1;
		if (p->token != TOK_CLOSE)
			return fail(p->err, TAG_PARSE_SYNTAX, p->token_pos,
						"Expected \")\"."), -1;
		p->depth--;
		return next_token(p) ? node : -1;
	}
	if (p->token != TOK_TAG && p->token != TOK_PREFIX)
		return fail(p->err, TAG_PARSE_SYNTAX, p->token_pos,
					p->token == TOK_END ? "The query ends where a tag was expected." :
					"Expected a tag, \"!\" or \"(\"."), -1;
	if ((node = new_node(p, p->token == TOK_TAG ? TQ_TAG : TQ_PREFIX)) < 0)
		return -1;
	p->nodes[node].offset = p->tag_offset;
	p->nodes[node].len = p->tag_len;
	return next_token(p) ? node : -1;
}

/* not := ("!" | NOT) not | primary */
static int32_t
parse_not(QueryParser *p)
{
	int32_t		node;
	int32_t		operand;

	if (p->token != TOK_NOT)
		return parse_primary(p);
	if (++p->depth > MYCC_TAGQUERY_MAX_DEPTH)
		return fail(p->err, TAG_PARSE_TOO_DEEP, p->token_pos,
					"Parentheses and NOT nest at most 64 deep."), -1;
	if ((node = new_node(p, TQ_NOT)) < 0 || !next_token(p) ||
		(operand = parse_not(p)) < 0 || !add_operand(p, node, operand))
		return -1;
	p->depth--;
	return node;
}

/* One n-ary level: operand { op operand }, for AND and for OR. */
static int32_t
parse_chain(QueryParser *p, TokenType op, uint8_t type,
			int32_t (*operand) (QueryParser *))
{
	int32_t		first = operand(p);
	int32_t		node;
	int32_t		next;

	if (first < 0 || p->token != op)
		return first;
	if ((node = new_node(p, type)) < 0 || !add_operand(p, node, first))
		return -1;
	while (p->token == op)
	{
		if (!next_token(p) || (next = operand(p)) < 0 ||
			!add_operand(p, node, next))
			return -1;
	}
	return node;
}

static int32_t
parse_and(QueryParser *p)
{
	return parse_chain(p, TOK_AND, TQ_AND, parse_not);
}

static int32_t
parse_or(QueryParser *p)
{
	return parse_chain(p, TOK_OR, TQ_OR, parse_and);
}

/* Writes the subtree of node in prefix order from items[*n]. */
static void
emit(const TagQueryNode *nodes, int32_t node, TagQueryItem *items, size_t *n)
{
	const TagQueryNode *src = &nodes[node];
	TagQueryItem *item = &items[(*n)++];

	memset(item, 0, sizeof(*item));
	item->type = src->type;
	item->nargs = src->nargs;
	if (src->type == TQ_TAG || src->type == TQ_PREFIX)
	{
		item->offset = src->offset;
		item->end = src->len;
		return;
	}
	for (int32_t child = src->first; child >= 0; child = nodes[child].next)
		emit(nodes, child, items, n);
	item->end = (uint32_t) *n;
}

bool
tagquery_parse(const char *in, size_t len, TagQueryItem *items,
			   size_t max_items, char *bytes, void *work, size_t *nitems,
			   size_t *nbytes, TagParseError *err)
{
	QueryParser p;
	int32_t		root;

	memset(&p, 0, sizeof(p));
	p.in = in;
	p.len = len;
	p.nodes = work;
	p.max_nodes = max_items;
	p.bytes = bytes;
	p.err = err;
	if (len > TAG_TEXT_MAX_INPUT)
		return fail(err, TAG_PARSE_TOO_MANY, 0, "The text is longer than 64 MB.");
	if (!next_token(&p))
		return false;
	if (p.token == TOK_END)
		return fail(err, TAG_PARSE_SYNTAX, 0, "The query is empty.");
	if ((root = parse_or(&p)) < 0)
		return false;
	if (p.nnodes - p.merged > MYCC_TAGQUERY_MAX_ITEMS)
		return fail(err, TAG_PARSE_TOO_MANY, p.over_pos,
					"A tag query has at most 10000 terms and operators.");
	if (p.token != TOK_END)
		return fail(err, TAG_PARSE_SYNTAX, p.token_pos,
					p.token == TOK_CLOSE ? "Unbalanced \")\"." :
					"Expected an operator (& or |) between terms.");
	*nitems = 0;
	emit(p.nodes, root, items, nitems);
	*nbytes = p.nbytes;
	return true;
}

/* Checks the subtree at items[*i] (see tagquery_items_valid). */
static bool
subtree_valid(const TagQueryItem *items, size_t nitems, size_t nbytes,
			  size_t *i, int depth)
{
	const TagQueryItem *item;
	size_t		start = *i;

	if (start >= nitems || depth > MYCC_TAGQUERY_MAX_TREE_DEPTH)
		return false;
	item = &items[start];
	(*i)++;
	if (item->reserved != 0)
		return false;
	switch (item->type)
	{
		case TQ_TAG:
		case TQ_PREFIX:
			return item->nargs == 0 && item->end >= 1 &&
				item->end <= MYCC_TAG_MAX_BYTES && item->offset <= nbytes &&
				item->end <= nbytes - item->offset;
		case TQ_NOT:
		case TQ_AND:
		case TQ_OR:
			if (item->type == TQ_NOT ? item->nargs != 1 : item->nargs < 2)
				return false;
			for (unsigned k = 0; k < item->nargs; k++)
				if (!subtree_valid(items, nitems, nbytes, i, depth + 1))
					return false;
			return item->offset == 0 && item->end == *i;
		default:
			return false;
	}
}

bool
tagquery_items_valid(const TagQueryItem *items, size_t nitems, size_t nbytes)
{
	size_t		i = 0;

	if (nitems == 0 || nitems > MYCC_TAGQUERY_MAX_ITEMS)
		return false;
	return subtree_valid(items, nitems, nbytes, &i, 0) && i == nitems;
}
