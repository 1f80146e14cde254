/*
 * identity.c
 *		Backend side of identifier normalisation (identity_parse.c does the
 *		work) and the GUCs of the identity capability.
 */
#include "postgres.h"

#include <limits.h>

#include "common/hashfn.h"
#include "common/unicode_norm.h"
#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/timestamp.h"

#include "identity.h"
#include "identity_parse.h"
#include "mycc.h"
#include "phone.h"

/*
 * GUC variables (SQL reads mycc.identity_max_per_customer by name).
 * mycc.default_country_code is deprecated: when set (not empty) it wins
 * over mycc.default_region, as the main region of its calling code.
 */
static char *default_region = NULL;
static char *default_country_code = NULL;
static int	conversation_gap = 7200;
static int	identity_max_per_customer = 100;

/* Values longer than this are cut (with "...") in error messages. */
#define IDENTITY_ERROR_SHOWN 64

/*
 * The phone numbers this backend normalised lately.  libphonenumber's
 * parsing costs about 25 microseconds, and resolve and link normalise a
 * number twice (the input, then the normal form inside lookup).  A
 * direct-mapped table keyed by the region and the input as written (its
 * bytes, before NFKC); only accepted numbers are kept, and an entry is
 * written whole after the library answered, so an error or a nested call
 * never finds one half-written.  The library's answers never change in a
 * process.
 */
#define PHONE_CACHE_SIZE 512
#define PHONE_CACHE_INPUT 48
#define PHONE_CACHE_NORMAL 32

typedef struct PhoneCacheEntry
{
	uint8		input_len;		/* 0: empty slot */
	char		region[3];
	char		input[PHONE_CACHE_INPUT];
	char		normal[PHONE_CACHE_NORMAL];
} PhoneCacheEntry;

static PhoneCacheEntry phone_cache[PHONE_CACHE_SIZE];

/*
 * The region a phone-number region argument names: "" for none, an ISO
 * 3166 code libphonenumber knows (any case: "cn"), or, deprecated, a
 * country calling code ("86") for its main region.  out holds 3 bytes.
 */
static bool
region_of(const char *text, char out[3])
{
	if (text[0] == '\0')
	{
		out[0] = '\0';
		return true;
	}
	if (identity_valid_country_code(text))
		return mycc_phone_region_of_code(text, out);
	if (strlen(text) != 2)
		return false;
	out[0] = pg_ascii_toupper((unsigned char) text[0]);
	out[1] = pg_ascii_toupper((unsigned char) text[1]);
	out[2] = '\0';
	return mycc_phone_region_known(out);
}

/*
 * GUC check hook of mycc.default_region: "" or a known region, upper-cased.
 * The boot value (CN) is known, and is not looked up: the lookup starts
 * libphonenumber (its metadata read, its patterns compiled: 20-30 ms),
 * which _PG_init would otherwise do in every backend that loads mycc,
 * whether it reads a phone number or not (a first next_contact of each
 * connection paid it; issue 14).
 */
static bool
check_region(char **newval, void **extra, GucSource source)
{
	char		region[3];

	if (*newval == NULL || source == PGC_S_DEFAULT)
		return true;
	if (identity_valid_country_code(*newval) || !region_of(*newval, region))
	{
		GUC_check_errdetail("A region is an ISO 3166 code such as CN, US or GB, or empty for none.");
		return false;
	}
	strcpy(*newval, region);
	return true;
}

/* GUC check hook of mycc.default_country_code: "" or a calling code with a region. */
static bool
check_country_code(char **newval, void **extra, GucSource source)
{
	char		region[3];

	if (*newval != NULL && (*newval)[0] != '\0' &&
		(!identity_valid_country_code(*newval) || !region_of(*newval, region)))
	{
		GUC_check_errdetail("A country calling code is 1 to 3 digits without \"+\", such as 86 or 1, or empty to use mycc.default_region.");
		return false;
	}
	return true;
}

/* Defines the GUCs; called once from _PG_init. */
void
IdentityInit(void)
{
	DefineCustomStringVariable("mycc.default_region",
							   "Region (ISO 3166 code) of phone numbers written without a country code.",
							   "CN, US, GB, ...; empty means such numbers are refused.",
							   &default_region,
							   "CN",
							   PGC_USERSET, 0,
							   check_region, NULL, NULL);
	DefineCustomStringVariable("mycc.default_country_code",
							   "Deprecated: the calling code whose main region national phone numbers get.",
							   "Digits without \"+\" (86, 1, 44): when set, it wins over mycc.default_region; empty (the default) leaves mycc.default_region in force.",
							   &default_country_code,
							   "",
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

/*
 * The value as shown in an error: cut at a character boundary if long;
 * control characters (C0, DEL, C1) print as "?" (the message is one line).
 */
static char *
shown_value(const char *value, int len)
{
	int			cut = len;
	StringInfoData shown;

	if (len > IDENTITY_ERROR_SHOWN)
		cut = pg_mbcliplen(value, len, IDENTITY_ERROR_SHOWN);
	initStringInfo(&shown);
	for (int i = 0; i < cut; i++)
	{
		unsigned char c = (unsigned char) value[i];

		if (c == 0xc2 && i + 1 < cut && (unsigned char) value[i + 1] <= 0x9f)
			i++, c = 0x7f;
		appendStringInfoChar(&shown, (c < 0x20 || c == 0x7f) ? '?' : (char) c);
	}
	if (cut < len)
		appendStringInfoString(&shown, "...");
	return shown.data;
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

/*
 * value (len bytes) in Unicode normalisation form NFKC, so that full-width
 * digits and signs (１３８, ＋８６) and compatibility spaces read as ASCII;
 * unchanged when it is ASCII or the database is not UTF-8.
 */
static char *
nfkc(const char *value, int *len)
{
	pg_wchar   *wide;
	pg_wchar   *folded;
	StringInfoData out;
	int			n = *len;
	bool		ascii = true;

	for (int i = 0; i < n && ascii; i++)
		ascii = !IS_HIGHBIT_SET(value[i]);
	if (ascii || GetDatabaseEncoding() != PG_UTF8)
		return (char *) value;
	wide = palloc((n + 1) * sizeof(pg_wchar));
	pg_mb2wchar_with_len(value, wide, n);
	folded = unicode_normalize(UNICODE_NFKC, wide);
	if (folded == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_OUT_OF_MEMORY),
				 errmsg("out of memory")));
	initStringInfo(&out);
	for (pg_wchar *c = folded; *c; c++)
	{
		unsigned char buf[4];

		unicode_to_utf8(*c, buf);
		appendBinaryStringInfo(&out, (char *) buf, pg_utf_mblen(buf));
	}
	*len = out.len;
	return out.data;
}

/* The cache slot of a phone number written so in a region, or NULL if it is too long. */
static PhoneCacheEntry *
phone_cache_slot(const char *value, int len, const char *region)
{
	uint32		hash;

	if (len == 0 || len > PHONE_CACHE_INPUT)
		return NULL;
	hash = hash_combine(hash_bytes((const unsigned char *) value, len),
						hash_bytes((const unsigned char *) region, strlen(region)));
	return &phone_cache[hash % PHONE_CACHE_SIZE];
}

/* The cached normal form of a phone number into out, if there is one. */
static bool
phone_cache_get(const char *value, int len, const char *region, char *out)
{
	PhoneCacheEntry *e = phone_cache_slot(value, len, region);

	if (e == NULL || e->input_len != len || strcmp(e->region, region) != 0 ||
		memcmp(e->input, value, len) != 0)
		return false;
	strcpy(out, e->normal);
	return true;
}

/* Remembers the normal form of a phone number (if both fit). */
static void
phone_cache_put(const char *value, int len, const char *region, const char *normal)
{
	PhoneCacheEntry *e = phone_cache_slot(value, len, region);

	if (e == NULL || strlen(normal) >= PHONE_CACHE_NORMAL)
		return;
	e->input_len = 0;
	strlcpy(e->region, region, sizeof(e->region));
	memcpy(e->input, value, len);
	strcpy(e->normal, normal);
	e->input_len = (uint8) len;
}

/*
 * Normalises value (len bytes) of a kind, NFKC first where the kind wants
 * it; a library's failure (out of memory) is an internal error.  Phone
 * numbers go through the cache: a number accepted is remembered as
 * written and as its normal form (which is its own normal form).
 */
static IdentityResult
normalize_value(IdentityKind kind, const char *value, int len, const char *region,
				char *out)
{
	const char *input = value;
	int			input_len = len;
	IdentityResult result;

	if (kind == IDENTITY_PHONE && phone_cache_get(value, len, region, out))
		return IDENTITY_OK;
	if (len <= MYCC_IDENTITY_MAX_INPUT && identity_kind_folds_width(kind))
		input = nfkc(value, &input_len);
	result = identity_normalize(kind, input, input_len, region, out);
	if (result == IDENTITY_FAILED)
		elog(ERROR, "could not normalise %s identifier \"%s\": %s",
			 identity_kind_name(kind), shown_value(value, len),
			 identity_result_detail(kind, result));
	if (result == IDENTITY_OK && kind == IDENTITY_PHONE)
	{
		phone_cache_put(value, len, region, out);
		phone_cache_put(out, strlen(out), region, out);
	}
	return result;
}

/* Normalises or reports 22023 naming the kind and the value. */
static text *
normalize_or_error(text *kind_text, text *value_text, const char *region)
{
	IdentityKind kind = kind_of_text(kind_text);
	const char *value = VARDATA_ANY(value_text);
	int			len = VARSIZE_ANY_EXHDR(value_text);
	char		out[MYCC_IDENTITY_MAX_VALUE + 1];
	IdentityResult result = normalize_value(kind, value, len, region, out);

	if (result != IDENTITY_OK)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid %s identifier: \"%s\"",
						identity_kind_name(kind), shown_value(value, len)),
				 errdetail("%s", identity_result_detail(kind, result))));
	return cstring_to_text(out);
}

/* The region of national phone numbers the settings give. */
static void
settings_region(char out[3])
{
	if (default_country_code != NULL && default_country_code[0] != '\0' &&
		region_of(default_country_code, out))
		return;
	strlcpy(out, default_region ? default_region : "", 3);
}

PG_FUNCTION_INFO_V1(mycc_normalize_identity);
/* normalize_identity(kind, value): with mycc.default_region. */
Datum
mycc_normalize_identity(PG_FUNCTION_ARGS)
{
	char		region[3];

	settings_region(region);
	PG_RETURN_TEXT_P(normalize_or_error(PG_GETARG_TEXT_PP(0),
										PG_GETARG_TEXT_PP(1), region));
}

PG_FUNCTION_INFO_V1(mycc_normalize_identity_cc);
/* normalize_identity(kind, value, region): no GUC, so immutable. */
Datum
mycc_normalize_identity_cc(PG_FUNCTION_ARGS)
{
	char	   *arg = text_to_cstring(PG_GETARG_TEXT_PP(2));
	char		region[3];

	if (!region_of(arg, region))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid phone region: \"%s\"", shown_value(arg, strlen(arg))),
				 errdetail("A region is an ISO 3166 code such as CN, US or GB, a country calling code such as 86 (deprecated), or empty for none.")));
	PG_RETURN_TEXT_P(normalize_or_error(PG_GETARG_TEXT_PP(0),
										PG_GETARG_TEXT_PP(1), region));
}

PG_FUNCTION_INFO_V1(mycc_conversation_gap);
/* The mycc.conversation_gap setting as an interval. */
Datum
mycc_conversation_gap(PG_FUNCTION_ARGS)
{
	return mycc_seconds_interval(conversation_gap);
}

/*
 * A phone number as 0.2.0 stored a national number: "+", the default
 * calling code and the digits as written ("86 13800138000" became
 * "+868613800138000").  The digits after the region's calling code, read
 * as a national number of the region, give its normal form, if any.
 */
static IdentityResult
normalize_legacy_phone(const char *value, int len, const char *region, char *out)
{
	char		code[16];
	int			code_len;
	int			calling_code = region[0] ? mycc_phone_code_of_region(region) : 0;

	if (calling_code == 0)
		return IDENTITY_NO_COUNTRY;
	code_len = snprintf(code, sizeof(code), "+%d", calling_code);
	if (len <= code_len || memcmp(value, code, code_len) != 0)
		return IDENTITY_BAD_FORM;
	return normalize_value(IDENTITY_PHONE, value + code_len, len - code_len, region, out);
}

PG_FUNCTION_INFO_V1(mycc_renormalize_identity);
/*
 * renormalize_identity(kind, value): the normal form today of a value
 * stored under earlier rules, or NULL when it has none (never 22023 for
 * the value; an unknown kind is still 22023).
 */
Datum
mycc_renormalize_identity(PG_FUNCTION_ARGS)
{
	IdentityKind kind = kind_of_text(PG_GETARG_TEXT_PP(0));
	text	   *value_text = PG_GETARG_TEXT_PP(1);
	const char *value = VARDATA_ANY(value_text);
	int			len = VARSIZE_ANY_EXHDR(value_text);
	char		region[3];
	char		out[MYCC_IDENTITY_MAX_VALUE + 1];
	IdentityResult result;

	settings_region(region);
	result = normalize_value(kind, value, len, region, out);
	if (result != IDENTITY_OK && kind == IDENTITY_PHONE)
		result = normalize_legacy_phone(value, len, region, out);
	if (result != IDENTITY_OK)
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text(out));
}
