/*
 * identity.c
 *		Backend side of identifier normalisation (identity_parse.c does the
 *		work) and the GUCs of the identity capability.
 */
#include "postgres.h"

#include <limits.h>

#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/timestamp.h"

#include "identity.h"
#include "identity_parse.h"

/* GUC variables (SQL reads mycc.identity_max_per_customer by name). */
static char *default_country_code = NULL;
static int	conversation_gap = 7200;
static int	identity_max_per_customer = 100;

/* Values longer than this are cut (with "...") in error messages. */
#define IDENTITY_ERROR_SHOWN 64

/* GUC check hook: "" or 1-3 digits without a leading zero. */
static bool
check_country_code(char **newval, void **extra, GucSource source)
{
	if (*newval != NULL && !identity_valid_country_code(*newval))
	{
		GUC_check_errdetail("A country calling code is 1 to 3 digits without \"+\", such as 86 or 1, or empty for none.");
		return false;
	}
	return true;
}

/* Defines the GUCs; called once from _PG_init. */
void
IdentityInit(void)
{
	DefineCustomStringVariable("mycc.default_country_code",
							   "Country calling code given to national phone numbers.",
							   "Digits without \"+\" (86, 1, 44); empty means national numbers are rejected, except mainland China mobile numbers.",
							   &default_country_code,
							   "86",
							   PGC_USERSET, 0,
							   check_country_code, NULL, NULL);
	DefineCustomIntVariable("mycc.conversation_gap",
							"Idle time after which a customer's next contact starts a new conversation.",
							"Used by the mycc.conversation view and mycc.timeline.",
							&conversation_gap,
							7200, 1, INT_MAX,
							PGC_USERSET, GUC_UNIT_S,
							NULL, NULL, NULL);
	DefineCustomIntVariable("mycc.identity_max_per_customer",
							"Most identifiers mycc.link lets one customer have (the size breaker).",
							"A link that would give a customer more identifiers is refused and logged in mycc.identity_conflict.",
							&identity_max_per_customer,
							100, 1, 1000000,
							PGC_USERSET, 0,
							NULL, NULL, NULL);
}

/* The value as shown in an error: cut at a character boundary if long. */
static char *
shown_value(const char *value, int len)
{
	int			cut = len;
	char	   *shown;

	if (len > IDENTITY_ERROR_SHOWN)
		cut = pg_mbcliplen(value, len, IDENTITY_ERROR_SHOWN);
	shown = pnstrdup(value, cut);
	/* Control characters print as "?" (the message is one line). */
	for (char *p = shown; *p; p++)
		if ((unsigned char) *p < 0x20 || *p == 0x7f)
			*p = '?';
	return cut < len ? psprintf("%s...", shown) : shown;
}

/* The kind named by text, or 22023 listing the kinds. */
static IdentityKind
kind_of_text(text *kind_text)
{
	IdentityKind kind;
	const char *name = VARDATA_ANY(kind_text);
	int			len = VARSIZE_ANY_EXHDR(kind_text);

	if (!identity_kind_from_name(name, len, &kind))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown identifier kind \"%s\"", shown_value(name, len)),
				 errdetail("%s", identity_result_detail(IDENTITY_NKINDS, IDENTITY_UNKNOWN_KIND))));
	return kind;
}

/* Normalises or reports 22023 naming the kind and the value. */
static text *
normalize_or_error(text *kind_text, text *value_text, const char *country_code)
{
	IdentityKind kind = kind_of_text(kind_text);
	const char *value = VARDATA_ANY(value_text);
	int			len = VARSIZE_ANY_EXHDR(value_text);
	char		out[MYCC_IDENTITY_MAX_VALUE + 1];
	IdentityResult result;

	result = identity_normalize(kind, value, len, country_code, out);
	if (result != IDENTITY_OK)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid %s identifier: \"%s\"",
						identity_kind_name(kind), shown_value(value, len)),
				 errdetail("%s", identity_result_detail(kind, result))));
	return cstring_to_text(out);
}

PG_FUNCTION_INFO_V1(mycc_normalize_identity);
/* normalize_identity(kind, value): with mycc.default_country_code. */
Datum
mycc_normalize_identity(PG_FUNCTION_ARGS)
{
	PG_RETURN_TEXT_P(normalize_or_error(PG_GETARG_TEXT_PP(0),
										PG_GETARG_TEXT_PP(1),
										default_country_code ? default_country_code : ""));
}

PG_FUNCTION_INFO_V1(mycc_normalize_identity_cc);
/* normalize_identity(kind, value, country_code): no GUC, so immutable. */
Datum
mycc_normalize_identity_cc(PG_FUNCTION_ARGS)
{
	char	   *cc = text_to_cstring(PG_GETARG_TEXT_PP(2));

	if (!identity_valid_country_code(cc))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid country calling code: \"%s\"", shown_value(cc, strlen(cc))),
				 errdetail("A country calling code is 1 to 3 digits without \"+\", such as 86 or 1, or empty for none.")));
	PG_RETURN_TEXT_P(normalize_or_error(PG_GETARG_TEXT_PP(0),
										PG_GETARG_TEXT_PP(1), cc));
}

PG_FUNCTION_INFO_V1(mycc_conversation_gap);
/* The mycc.conversation_gap setting as an interval. */
Datum
mycc_conversation_gap(PG_FUNCTION_ARGS)
{
	Interval   *result = palloc0(sizeof(Interval));

	result->time = (int64) conversation_gap * USECS_PER_SEC;
	PG_RETURN_INTERVAL_P(result);
}
