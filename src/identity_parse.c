/*
 * identity_parse.c
 *		Normalisation of customer identifiers (see identity_parse.h).
 *
 * Only the C library is used, and no locale: case folding and character
 * classes are ASCII; bytes from 0x80 up (UTF-8 sequences, which the server
 * has already validated) pass through unchanged where a kind allows them.
 */
#include <string.h>

#include "identity_parse.h"

static const char *const kind_names[IDENTITY_NKINDS] = {
	[IDENTITY_PHONE] = "phone",
	[IDENTITY_EMAIL] = "email",
	[IDENTITY_QQ] = "qq",
	[IDENTITY_WECHAT] = "wechat",
	[IDENTITY_WECHAT_UNIONID] = "wechat_unionid",
	[IDENTITY_WEIBO] = "weibo",
	[IDENTITY_APP] = "app",
	[IDENTITY_IN_GAME] = "in_game",
	[IDENTITY_WEB] = "web",
	[IDENTITY_STORE] = "store",
};

/* Longest E.164 number (digits after +) and the shortest we accept. */
#define E164_MAX_DIGITS 15
#define E164_MIN_DIGITS 7

/* Longest e-mail address and local part (RFC 5321) and domain label. */
#define EMAIL_MAX 254
#define EMAIL_LOCAL_MAX 64
#define EMAIL_LABEL_MAX 63

/* The SQL name of a kind. */
const char *
identity_kind_name(IdentityKind kind)
{
	return (kind >= 0 && kind < IDENTITY_NKINDS) ? kind_names[kind] : "?";
}

/* Every kind's name, for messages. */
const char *
identity_kind_list(void)
{
	return "phone, email, qq, wechat, wechat_unionid, weibo, app, in_game, web, store";
}

/* The kind with this exact name, if any. */
bool
identity_kind_from_name(const char *name, size_t len, IdentityKind *kind)
{
	for (int k = 0; k < IDENTITY_NKINDS; k++)
	{
		if (strlen(kind_names[k]) == len && memcmp(kind_names[k], name, len) == 0)
		{
			*kind = (IdentityKind) k;
			return true;
		}
	}
	return false;
}

/* White space as isspace() in the C locale. */
static bool
is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
		c == '\v';
}

/* An ASCII digit. */
static bool
is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

/* A C0 control character or DEL (white space aside, which trimming handles). */
static bool
is_control(unsigned char c)
{
	return c < 0x20 || c == 0x7f;
}

/* ASCII letters folded to lower case; other bytes unchanged. */
static unsigned char
ascii_lower(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') ? (unsigned char) (c + ('a' - 'A')) : c;
}

/* Narrows [*start, *start + *len) to exclude surrounding white space. */
static void
trim(const char **start, size_t *len)
{
	const char *s = *start;
	size_t		n = *len;

	while (n > 0 && is_space((unsigned char) *s))
		s++, n--;
	while (n > 0 && is_space((unsigned char) s[n - 1]))
		n--;
	*start = s;
	*len = n;
}

/* A calling code: "" or 1-3 digits without a leading zero. */
bool
identity_valid_country_code(const char *text)
{
	size_t		n = strlen(text);

	if (n == 0)
		return true;
	if (n > 3 || text[0] == '0')
		return false;
	for (size_t i = 0; i < n; i++)
		if (!is_digit((unsigned char) text[i]))
			return false;
	return true;
}

/*
 * A phone number to E.164: "+" and 7-15 digits, the first not 0.  Spaces,
 * tabs, dashes, dots and brackets are dropped, and so is a "(0)" after the
 * country code; a leading "+" or "00" marks an international number.  A national number gets the default country
 * code, except that an 11-digit mainland China mobile number (1, then 3-9)
 * gets +86 when the default is 86 or unset; with another default, one
 * leading trunk 0 is dropped before the code is prefixed.
 */
static IdentityResult
normalize_phone(const char *s, size_t n, const char *cc, char *out)
{
	char		digits[E164_MAX_DIGITS + 4];
	size_t		ndigits = 0;
	bool		plus = false;
	const char *d;
	size_t		dn;
	size_t		cclen = strlen(cc);

	for (size_t i = 0; i < n; i++)
	{
		unsigned char c = (unsigned char) s[i];

		/* One "+", before every digit: "+86 ...", "(+86) ...". */
		if (c == '+' && !plus && ndigits == 0)
			plus = true;
		/* "+44 (0)20 ...": the trunk 0 in brackets is not dialled from abroad. */
		else if (c == '(' && plus && ndigits > 0 && i + 2 < n &&
				 s[i + 1] == '0' && s[i + 2] == ')')
			i += 2;
		else if (is_digit(c))
		{
			/* Room for a "00" prefix and a trunk 0 beyond the longest number. */
			if (ndigits >= sizeof(digits))
				return IDENTITY_BAD_LENGTH;
			digits[ndigits++] = (char) c;
		}
		else if (!(c == ' ' || c == '\t' || c == '-' || c == '.' || c == '(' || c == ')'))
			return IDENTITY_BAD_CHARACTER;
	}
	if (ndigits == 0)
		return IDENTITY_BAD_LENGTH;

	out[0] = '+';
	if (plus || (ndigits >= 2 && digits[0] == '0' && digits[1] == '0'))
	{
		d = plus ? digits : digits + 2;
		dn = plus ? ndigits : ndigits - 2;
		if (dn > E164_MAX_DIGITS)
			return IDENTITY_BAD_LENGTH;
		memcpy(out + 1, d, dn);
	}
	else if ((cclen == 0 || strcmp(cc, "86") == 0) && ndigits == 11 &&
			 digits[0] == '1' && digits[1] >= '3' && digits[1] <= '9')
	{
		memcpy(out + 1, "86", 2);
		memcpy(out + 3, digits, ndigits);
		dn = 2 + ndigits;
	}
	else
	{
		if (cclen == 0)
			return IDENTITY_NO_COUNTRY;
		d = digits;
		dn = ndigits;
		if (d[0] == '0')
			d++, dn--;
		if (dn == 0 || cclen + dn > E164_MAX_DIGITS)
			return IDENTITY_BAD_LENGTH;
		memcpy(out + 1, cc, cclen);
		memcpy(out + 1 + cclen, d, dn);
		dn += cclen;
	}
	if (dn < E164_MIN_DIGITS || dn > E164_MAX_DIGITS)
		return IDENTITY_BAD_LENGTH;
	if (out[1] == '0')
		return IDENTITY_BAD_FORM;
	out[1 + dn] = '\0';
	return IDENTITY_OK;
}

/* A character allowed unquoted in an e-mail local part (or a UTF-8 byte). */
static bool
email_local_char(unsigned char c)
{
	if (c >= 0x80)
		return true;
	if (is_control(c) || c == ' ')
		return false;
	return strchr("\"(),:;<>[]\\@", c) == NULL;
}

/*
 * An e-mail address: lower-cased, one "@", a non-empty local part of at most
 * 64 bytes, and a domain of at least two dot-separated labels of letters,
 * digits and hyphens (or UTF-8), none empty, none starting or ending with a
 * hyphen.
 */
static IdentityResult
normalize_email(const char *s, size_t n, char *out)
{
	const char *at = NULL;
	size_t		local_len;
	size_t		label_len = 0;
	int			labels = 1;

	if (n > EMAIL_MAX)
		return IDENTITY_TOO_LONG;
	for (size_t i = 0; i < n; i++)
	{
		if (s[i] == '@')
		{
			if (at != NULL)
				return IDENTITY_BAD_FORM;
			at = s + i;
		}
	}
	if (at == NULL)
		return IDENTITY_BAD_FORM;
	local_len = (size_t) (at - s);
	if (local_len == 0 || local_len > EMAIL_LOCAL_MAX)
		return IDENTITY_BAD_FORM;
	for (size_t i = 0; i < local_len; i++)
	{
		if (!email_local_char((unsigned char) s[i]))
			return IDENTITY_BAD_CHARACTER;
	}
	for (size_t i = local_len + 1; i < n; i++)
	{
		unsigned char c = ascii_lower((unsigned char) s[i]);

		if (c == '.')
		{
			if (label_len == 0 || s[i - 1] == '-')
				return IDENTITY_BAD_FORM;
			labels++;
			label_len = 0;
			continue;
		}
		if (!(c >= 0x80 || is_digit(c) || (c >= 'a' && c <= 'z') || c == '-'))
			return IDENTITY_BAD_CHARACTER;
		if (c == '-' && label_len == 0)
			return IDENTITY_BAD_FORM;
		if (++label_len > EMAIL_LABEL_MAX)
			return IDENTITY_BAD_FORM;
	}
	if (labels < 2 || label_len == 0 || s[n - 1] == '-')
		return IDENTITY_BAD_FORM;
	for (size_t i = 0; i < n; i++)
		out[i] = (char) ascii_lower((unsigned char) s[i]);
	out[n] = '\0';
	return IDENTITY_OK;
}

/* A QQ number: 5 to 11 digits, the first not 0. */
static IdentityResult
normalize_qq(const char *s, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		if (!is_digit((unsigned char) s[i]))
			return IDENTITY_BAD_CHARACTER;
	if (n < 5 || n > 11 || s[0] == '0')
		return IDENTITY_BAD_LENGTH;
	memcpy(out, s, n);
	out[n] = '\0';
	return IDENTITY_OK;
}

/* Any other id: trimmed, at most 255 bytes, no control characters; case kept. */
static IdentityResult
normalize_opaque(const char *s, size_t n, char *out)
{
	if (n > MYCC_IDENTITY_MAX_VALUE)
		return IDENTITY_TOO_LONG;
	for (size_t i = 0; i < n; i++)
		if (is_control((unsigned char) s[i]))
			return IDENTITY_BAD_CHARACTER;
	memcpy(out, s, n);
	out[n] = '\0';
	return IDENTITY_OK;
}

/* Checks the input's size, trims it and normalises it by kind. */
IdentityResult
identity_normalize(IdentityKind kind, const char *value, size_t len,
				   const char *country_code, char *out)
{
	if (len > MYCC_IDENTITY_MAX_INPUT)
		return IDENTITY_TOO_LONG;
	trim(&value, &len);
	if (len == 0)
		return IDENTITY_EMPTY;
	switch (kind)
	{
		case IDENTITY_PHONE:
			return normalize_phone(value, len, country_code, out);
		case IDENTITY_EMAIL:
			return normalize_email(value, len, out);
		case IDENTITY_QQ:
			return normalize_qq(value, len, out);
		case IDENTITY_WECHAT:
		case IDENTITY_WECHAT_UNIONID:
		case IDENTITY_WEIBO:
		case IDENTITY_APP:
		case IDENTITY_IN_GAME:
		case IDENTITY_WEB:
		case IDENTITY_STORE:
			return normalize_opaque(value, len, out);
		case IDENTITY_NKINDS:
			break;
	}
	return IDENTITY_UNKNOWN_KIND;
}

/* The errdetail sentence of a result for a kind. */
const char *
identity_result_detail(IdentityKind kind, IdentityResult result)
{
	switch (result)
	{
		case IDENTITY_OK:
			return "";
		case IDENTITY_UNKNOWN_KIND:
			return "The identifier kinds are phone, email, qq, wechat, wechat_unionid, weibo, app, in_game, web and store.";
		case IDENTITY_TOO_LONG:
			switch (kind)
			{
				case IDENTITY_PHONE:
					return "An international phone number has 7 to 15 digits after the country code's \"+\".";
				case IDENTITY_EMAIL:
					return "An e-mail address has at most 254 bytes.";
				case IDENTITY_QQ:
					return "A QQ number has 5 to 11 digits and does not start with 0.";
				default:
					return "An identifier has at most 255 bytes.";
			}
		case IDENTITY_EMPTY:
			return "The value is empty or only white space.";
		case IDENTITY_BAD_CHARACTER:
			switch (kind)
			{
				case IDENTITY_PHONE:
					return "A phone number has digits, an optional leading \"+\", and spaces, dashes, dots or brackets.";
				case IDENTITY_EMAIL:
					return "An e-mail address has no spaces or control characters, and its domain has letters, digits, hyphens and dots.";
				case IDENTITY_QQ:
					return "A QQ number has only digits.";
				default:
					return "An identifier has no control characters.";
			}
		case IDENTITY_BAD_LENGTH:
			return kind == IDENTITY_QQ ?
				"A QQ number has 5 to 11 digits and does not start with 0." :
				"An international phone number has 7 to 15 digits after the country code's \"+\".";
		case IDENTITY_NO_COUNTRY:
			return "A national phone number needs a country code: write it with \"+\" or set mycc.default_country_code.";
		case IDENTITY_BAD_FORM:
			return kind == IDENTITY_EMAIL ?
				"An e-mail address has one \"@\", a local part of at most 64 bytes and a dotted domain." :
				"A country calling code does not start with 0.";
	}
	return "";
}
