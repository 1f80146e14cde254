/*
 * parse.h
 *		Pure text parsers behind mycc's input functions.  They depend on
 *		nothing but the C library, so they can be fuzzed standalone; each
 *		returns a ParseResult that the backend wrapper turns into ereport.
 */
#ifndef MYCC_PARSE_H
#define MYCC_PARSE_H

#include <stdbool.h>
#include <stdint.h>

typedef enum ParseResult
{
	PARSE_OK = 0,
	PARSE_SYNTAX,				/* not of the expected form: 22P02 */
	PARSE_RANGE					/* well formed, but a number is out of range:
								 * 22003 */
} ParseResult;

/*
 * An integer between min and max, with optional surrounding white space and
 * an optional sign, as int4in accepts it ("7", " +7 ", "007").
 */
extern ParseResult parse_bounded_int(const char *text, int min, int max,
									 int *value);

/*
 * A parenthesised list of exactly nvalues non-negative decimal integers,
 * "(12, 0, 7)", with optional white space around every element.  A negative
 * or overlarge element is PARSE_RANGE.
 */
extern ParseResult parse_count_tuple(const char *text, int64_t *values,
									 int nvalues);

#endif							/* MYCC_PARSE_H */
