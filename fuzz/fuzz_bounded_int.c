/*
 * fuzz_bounded_int.c
 *		libFuzzer harness for parse_bounded_int() (src/parse.c), the parser
 *		behind nps_score's text input.
 *
 * Input: 8 bytes choosing the bounds (two int32, ordered), then the text
 * (up to its first NUL).  Besides the sanitizers, the result is checked
 * against a reference built on strtoll(): the same verdict, and on
 * success the same value, within the bounds.
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

/* The reference: [space][sign]digits[space], then strtoll() for the value. */
static ParseResult
reference(const char *text, int min, int max, long long *value)
{
	const char *p = text;
	const char *digits;

	while (*p == ' ' || (*p >= '\t' && *p <= '\r'))
		p++;
	if (*p == '+' || *p == '-')
		p++;
	digits = p;
	while (*p >= '0' && *p <= '9')
		p++;
	if (p == digits)
		return PARSE_SYNTAX;
	while (*p == ' ' || (*p >= '\t' && *p <= '\r'))
		p++;
	if (*p != '\0')
		return PARSE_SYNTAX;
	errno = 0;
	*value = strtoll(text, NULL, 10);
	if (errno == ERANGE || *value < min || *value > max)
		return PARSE_RANGE;
	return PARSE_OK;
}

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* One input: bounds, text; abort() on any disagreement with the reference. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int32_t		bounds[2];
	int			min;
	int			max;
	char	   *text;
	int			value = INT_MIN;
	long long	expected = 0;
	ParseResult result;

	if (size < sizeof(bounds))
		return 0;
	memcpy(bounds, data, sizeof(bounds));
	min = bounds[0] < bounds[1] ? bounds[0] : bounds[1];
	max = bounds[0] < bounds[1] ? bounds[1] : bounds[0];
	/* An exact-size copy, so that any read past the NUL is caught. */
	text = malloc(size - sizeof(bounds) + 1);
	memcpy(text, data + sizeof(bounds), size - sizeof(bounds));
	text[size - sizeof(bounds)] = '\0';

	result = parse_bounded_int(text, min, max, &value);
	if (result != reference(text, min, max, &expected))
		abort();
	if (result == PARSE_OK && (value != expected || value < min || value > max))
		abort();
	free(text);
	return 0;
}
