/*
 * identity_parse.h
 *		Normalisation of customer identifiers (phone numbers, e-mail
 *		addresses, QQ numbers, platform ids), without backend dependencies,
 *		so it can be fuzzed standalone.  Phone numbers go through
 *		libphonenumber behind phone.h, e-mail domains through libidn2: plain
 *		C interfaces that the fuzz harness links too.  The backend wrapper
 *		(identity.c) NFKC-normalises phone and QQ input first and turns an
 *		IdentityResult into ereport.
 */
#ifndef MYCC_IDENTITY_PARSE_H
#define MYCC_IDENTITY_PARSE_H

#include <stdbool.h>
#include <stddef.h>

/* Longest input accepted, in bytes: checked before any other work. */
#define MYCC_IDENTITY_MAX_INPUT 1024
/* Longest normalised value, in bytes (also the output buffer's size less 1). */
#define MYCC_IDENTITY_MAX_VALUE 255
/* Longest phone extension, in digits. */
#define MYCC_PHONE_EXTENSION_MAX 10
/* A phone number's extension is kept after this, as in RFC 3966. */
#define MYCC_PHONE_EXTENSION_MARK ";ext="

/* The kinds of identifier mycc knows; the names are the SQL spellings. */
typedef enum IdentityKind
{
	IDENTITY_PHONE,
	IDENTITY_EMAIL,
	IDENTITY_QQ,
	IDENTITY_WECHAT,			/* a WeChat openid (one per official account) */
	IDENTITY_WECHAT_UNIONID,	/* a WeChat unionid (one per person) */
	IDENTITY_WEIBO,
	IDENTITY_APP,				/* our app's user id */
	IDENTITY_IN_GAME,			/* a game account / role id */
	IDENTITY_WEB,				/* a web account or login */
	IDENTITY_STORE,				/* a store membership card */
	IDENTITY_NKINDS
} IdentityKind;

typedef enum IdentityResult
{
	IDENTITY_OK = 0,
	IDENTITY_UNKNOWN_KIND,		/* kind is not one of the names above */
	IDENTITY_TOO_LONG,			/* input or result over the limits */
	IDENTITY_EMPTY,				/* nothing but white space */
	IDENTITY_CONTROL,			/* a control character (C0, DEL or C1) */
	IDENTITY_BAD_CHARACTER,		/* a character the kind does not allow */
	IDENTITY_BAD_LENGTH,		/* too few or too many digits */
	IDENTITY_NO_COUNTRY,		/* a national phone number and no default
								 * region */
	IDENTITY_BAD_FORM,			/* e-mail without one @ or a dotted domain */
	IDENTITY_BAD_DOMAIN,		/* IDNA refuses the e-mail domain */
	IDENTITY_BAD_COUNTRY,		/* "+" and a calling code no country has */
	IDENTITY_SERVICE_NUMBER,	/* a short or service phone number */
	IDENTITY_NOT_VALID,			/* a possible but not a valid phone number */
	IDENTITY_GLUED_EXTENSION,	/* invalid, but valid without its last
								 * "-digits" group (an extension) */
	IDENTITY_FAILED				/* a library failed (out of memory) */
} IdentityResult;

/* The SQL name of a kind. */
extern const char *identity_kind_name(IdentityKind kind);

/* Looks a kind up by its exact (lower-case) name. */
extern bool identity_kind_from_name(const char *name, size_t len,
									IdentityKind *kind);

/*
 * Normalises value (len bytes, not necessarily NUL-terminated) as an
 * identifier of the kind into out, which holds MYCC_IDENTITY_MAX_VALUE + 1
 * bytes, NUL-terminated on success.  region is the ISO 3166 region of
 * national phone numbers ("CN"), or "" for none.
 */
extern IdentityResult identity_normalize(IdentityKind kind, const char *value,
										 size_t len, const char *region,
										 char *out);

/* A sentence explaining a result for a kind, for errdetail. */
extern const char *identity_result_detail(IdentityKind kind,
										  IdentityResult result);

/* Is text a country calling code: 1-3 digits, no leading 0. */
extern bool identity_valid_country_code(const char *text);

/* Does the kind's input go through NFKC before identity_normalize? */
extern bool identity_kind_folds_width(IdentityKind kind);

#endif							/* MYCC_IDENTITY_PARSE_H */
