/*
 * fuzz_count_tuple.c
 *		libFuzzer harness for parse_count_tuple() (src/parse.c), the parser
 *		behind the text input of nps_state and csat_state.
 *
 * Input: one byte choosing how many values the tuple has (1 to 8, as the
 * backend's buffer allows), then the text (up to its first NUL).  Besides
 * the sanitizers: an accepted tuple has only non-negative values, and
 * printing them back and parsing again gives the same values.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

#define MAX_VALUES 8

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* One input: tuple size, text; abort() if an accepted tuple does not round-trip. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int			nvalues;
	char	   *text;
	int64_t    *values;
	int64_t		again[MAX_VALUES];
	char		printed[MAX_VALUES * 21 + 3];
	size_t		len = 0;

	if (size < 1)
		return 0;
	nvalues = 1 + data[0] % MAX_VALUES;
	text = malloc(size);
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';
	/* Exactly nvalues slots, so that a write past them is caught. */
	values = malloc(sizeof(int64_t) * nvalues);

	if (parse_count_tuple(text, values, nvalues) == PARSE_OK)
	{
		printed[len++] = '(';
		for (int i = 0; i < nvalues; i++)
		{
			if (values[i] < 0)
				abort();
			len += snprintf(printed + len, sizeof(printed) - len, "%s%" PRId64,
							i > 0 ? "," : "", values[i]);
		}
		printed[len++] = ')';
		printed[len] = '\0';
		if (parse_count_tuple(printed, again, nvalues) != PARSE_OK ||
			memcmp(values, again, sizeof(int64_t) * nvalues) != 0)
			abort();
	}
	free(values);
	free(text);
	return 0;
}
