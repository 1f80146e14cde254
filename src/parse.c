/*
 * parse.c
 *		Pure text parsers behind mycc's input functions (see parse.h).
 */
#include <stddef.h>

#include "parse.h"

/* White space as isspace() in the C locale, without locale dependence. */
static bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
		c == '\v';
}

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static const char *
skip_spaces(const char *p)
{
	while (is_space(*p))
		p++;
	return p;
}

/*
 * Reads the decimal digits at *p into *value, advancing *p past them.
 * Returns PARSE_SYNTAX when there is no digit and PARSE_RANGE when the
 * number exceeds INT64_MAX (all the digits are still consumed).
 */
static ParseResult
read_digits(const char **p, int64_t *value)
{
	const char *s = *p;
	int64_t		v = 0;
	bool		overflow = false;

	if (!is_digit(*s))
		return PARSE_SYNTAX;
	for (; is_digit(*s); s++)
	{
		int			digit = *s - '0';

		if (v > (INT64_MAX - digit) / 10)
			overflow = true;
		else
			v = v * 10 + digit;
	}
	*p = s;
	*value = v;
	return overflow ? PARSE_RANGE : PARSE_OK;
}

/* An optionally signed integer in [min, max] surrounded by white space. */
ParseResult
parse_bounded_int(const char *text, int min, int max, int *value)
{
	const char *p = skip_spaces(text);
	bool		negative = false;
	int64_t		magnitude;
	ParseResult result;

	if (*p == '+' || *p == '-')
		negative = (*p++ == '-');
	result = read_digits(&p, &magnitude);
	if (result == PARSE_SYNTAX)
		return PARSE_SYNTAX;
	if (*skip_spaces(p) != '\0')
		return PARSE_SYNTAX;
	if (result == PARSE_RANGE)
		return PARSE_RANGE;
	if (negative)
		magnitude = -magnitude;
	if (magnitude < min || magnitude > max)
		return PARSE_RANGE;
	*value = (int) magnitude;
	return PARSE_OK;
}

/* "(a, b, ...)": exactly nvalues non-negative integers. */
ParseResult
parse_count_tuple(const char *text, int64_t *values, int nvalues)
{
	const char *p = skip_spaces(text);
	bool		out_of_range = false;

	if (*p++ != '(')
		return PARSE_SYNTAX;
	for (int i = 0; i < nvalues; i++)
	{
		ParseResult result;

		p = skip_spaces(p);
		if (*p == '-' && is_digit(p[1]))
		{
			out_of_range = true;
			p++;
		}
		result = read_digits(&p, &values[i]);
		if (result == PARSE_SYNTAX)
			return PARSE_SYNTAX;
		if (result == PARSE_RANGE)
			out_of_range = true;
		p = skip_spaces(p);
		if (*p++ != (i == nvalues - 1 ? ')' : ','))
			return PARSE_SYNTAX;
	}
	if (*skip_spaces(p) != '\0')
		return PARSE_SYNTAX;
	return out_of_range ? PARSE_RANGE : PARSE_OK;
}
