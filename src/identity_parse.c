/*
 * identity_parse.c
 *		Normalisation of customer identifiers (see identity_parse.h).
 *
 * No locale: case folding of e-mail local parts is ASCII; white space and
 * control characters are Unicode's (the input is UTF-8, which the server
 * has validated; a byte sequence that is not UTF-8 is no white space).
 * Phone numbers are libphonenumber's (phone.h), e-mail domains libidn2's
 * (IDNA 2008 with UTS #46 mapping).
 */
#include <stdint.h>
#include <string.h>

#include <idn2.h>

#include "identity_parse.h"
#include "phone.h"

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

/* An ASCII digit. */
static bool
is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

/* ASCII letters folded to lower case; other bytes unchanged. */
static unsigned char
ascii_lower(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') ? (unsigned char) (c + ('a' - 'A')) : c;
}

/*
 * The code point of the UTF-8 sequence at s (n bytes left) into *cp, and
 * its length; 0 when the bytes are no well-formed sequence.
 */
static size_t
utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	size_t		len;
	uint32_t	c;

	if (s[0] < 0x80)
		len = 1, c = s[0];
	else if ((s[0] & 0xe0) == 0xc0)
		len = 2, c = s[0] & 0x1f;
	else if ((s[0] & 0xf0) == 0xe0)
		len = 3, c = s[0] & 0x0f;
	else if ((s[0] & 0xf8) == 0xf0)
		len = 4, c = s[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++)
	{
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	*cp = c;
	return len;
}

/*
 * Unicode white space (the White_Space property: ASCII's, NEL, NBSP, the
 * ogham space, U+2000..U+200A, the line and paragraph separators, the
 * narrow NBSP, the mathematical space, the ideographic space U+3000), and
 * the invisible zero-width space and byte-order mark that copying from
 * web pages and spreadsheets leaves around identifiers.
 */
static bool
is_unicode_space(uint32_t c)
{
	return (c >= 0x09 && c <= 0x0d) || c == 0x20 || c == 0x85 || c == 0xa0 ||
		c == 0x1680 || (c >= 0x2000 && c <= 0x200b) || c == 0x2028 ||
		c == 0x2029 || c == 0x202f || c == 0x205f || c == 0x3000 ||
		c == 0xfeff;
}

/* The length of the white space character at s (n bytes left), or 0. */
static size_t
space_at(const char *s, size_t n)
{
	uint32_t	cp;
	size_t		len = utf8_decode((const unsigned char *) s, n, &cp);

	return (len > 0 && is_unicode_space(cp)) ? len : 0;
}

/* The length of the white space character ending at s + n, or 0. */
static size_t
space_before(const char *s, size_t n)
{
	/* A character has at most 4 bytes: try each start. */
	for (size_t len = 1; len <= 4 && len <= n; len++)
	{
		if (space_at(s + n - len, len) == len)
			return len;
	}
	return 0;
}

/* Narrows [*start, *start + *len) to exclude surrounding white space. */
static void
trim(const char **start, size_t *len)
{
	const char *s = *start;
	size_t		n = *len;
	size_t		k;

	while (n > 0 && (k = space_at(s, n)) > 0)
		s += k, n -= k;
	while (n > 0 && (k = space_before(s, n)) > 0)
		n -= k;
	*start = s;
	*len = n;
}

/* Is there a control character: C0, DEL, or C1 (U+0080..U+009F)? */
static bool
has_control(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
	{
		unsigned char c = (unsigned char) s[i];

		if (c < 0x20 || c == 0x7f)
			return true;
		/* C1 in UTF-8: 0xc2 then 0x80..0x9f. */
		if (c == 0xc2 && i + 1 < n && (unsigned char) s[i + 1] >= 0x80 &&
			(unsigned char) s[i + 1] <= 0x9f)
			return true;
	}
	return false;
}

/* A calling code: 1-3 digits without a leading zero. */
bool
identity_valid_country_code(const char *text)
{
	size_t		n = strlen(text);

	if (n == 0 || n > 3 || text[0] == '0')
		return false;
	for (size_t i = 0; i < n; i++)
		if (!is_digit((unsigned char) text[i]))
			return false;
	return true;
}

/* Phone and QQ numbers are digits: full-width forms fold to ASCII (NFKC). */
bool
identity_kind_folds_width(IdentityKind kind)
{
	return kind == IDENTITY_PHONE || kind == IDENTITY_QQ;
}

/*
 * The words that introduce a phone extension, lower case, longest first:
 * RFC 3966's (and mycc's normal form's) ";ext=", English abbreviations,
 * "#", and the Chinese 分机号 / 分机 / 转 ("extension", "transfer to").
 */
static const char *const extension_marks[] = {
	MYCC_PHONE_EXTENSION_MARK, "extension", "ext.", "ext", "x", "#",
	"\xe5\x88\x86\xe6\x9c\xba\xe5\x8f\xb7", "\xe5\x88\x86\xe6\x9c\xba",
	"\xe8\xbd\xac",
};

/* Does s (n bytes) start with mark, ASCII case ignored? */
static bool
starts_with_mark(const char *s, size_t n, const char *mark)
{
	size_t		len = strlen(mark);

	if (len > n)
		return false;
	for (size_t i = 0; i < len; i++)
		if (ascii_lower((unsigned char) s[i]) != (unsigned char) mark[i])
			return false;
	return true;
}

/* The length of the extension mark at s (n bytes left), or 0. */
static size_t
extension_mark_at(const char *s, size_t n)
{
	for (size_t m = 0; m < sizeof(extension_marks) / sizeof(extension_marks[0]); m++)
		if (starts_with_mark(s, n, extension_marks[m]))
			return strlen(extension_marks[m]);
	return 0;
}

/* A character of the number part of a phone number. */
static bool
phone_char(unsigned char c)
{
	return is_digit(c) || strchr("+ -.()/", c) != NULL;
}

/*
 * Splits a phone number at its extension: *n becomes the number part's
 * length, and [*ext, *ext + *ext_len) the extension's digits (0 digits:
 * none).  The number part has digits, one "+" before every digit, and
 * spaces, dashes, dots, slashes and brackets; an extension is a mark
 * (extension_marks), optional spaces, ":" or "=", and 1 to 10 digits.
 */
static IdentityResult
split_extension(const char *s, size_t *n, const char **ext, size_t *ext_len)
{
	size_t		i = 0;
	size_t		mark;
	bool		digits = false;
	bool		plus = false;

	*ext_len = 0;
	for (; i < *n && phone_char((unsigned char) s[i]); i++)
	{
		if (s[i] == '+' && (plus || digits))
			return IDENTITY_BAD_CHARACTER;
		plus |= s[i] == '+';
		digits |= is_digit((unsigned char) s[i]);
	}
	if (i == *n)
		return IDENTITY_OK;
	mark = extension_mark_at(s + i, *n - i);
	if (mark == 0 || !digits)
		return IDENTITY_BAD_CHARACTER;
	*ext = s + i + mark;
	*ext_len = *n - i - mark;
	*n = i;
	while (*ext_len > 0 && strchr(" :=", **ext) != NULL)
		(*ext)++, (*ext_len)--;
	if (*ext_len == 0)
		return IDENTITY_BAD_CHARACTER;
	for (size_t k = 0; k < *ext_len; k++)
		if (!is_digit((unsigned char) (*ext)[k]))
			return IDENTITY_BAD_CHARACTER;
	return *ext_len > MYCC_PHONE_EXTENSION_MAX ? IDENTITY_BAD_LENGTH : IDENTITY_OK;
}

/* The result of a libphonenumber verdict. */
static IdentityResult
phone_result(PhoneVerdict verdict)
{
	switch (verdict)
	{
		case PHONE_VALID:
			return IDENTITY_OK;
		case PHONE_NO_COUNTRY:
			return IDENTITY_NO_COUNTRY;
		case PHONE_BAD_COUNTRY:
			return IDENTITY_BAD_COUNTRY;
		case PHONE_TOO_SHORT:
		case PHONE_TOO_LONG:
			return IDENTITY_BAD_LENGTH;
		case PHONE_SERVICE:
			return IDENTITY_SERVICE_NUMBER;
		case PHONE_POSSIBLE:
			return IDENTITY_NOT_VALID;
		case PHONE_NOT_A_NUMBER:
		case PHONE_INVALID:
			return IDENTITY_BAD_FORM;
		case PHONE_FAILED:
			break;
	}
	return IDENTITY_FAILED;
}

/* libphonenumber's E.164 form of number (n bytes) into out. */
static PhoneVerdict
phone_e164(const char *number, size_t n, const char *region, char *out)
{
	char		buf[MYCC_IDENTITY_MAX_INPUT + 1];

	memcpy(buf, number, n);
	buf[n] = '\0';
	return mycc_phone_e164(buf, region, out, MYCC_IDENTITY_MAX_VALUE + 1);
}

/*
 * Is the number valid without a last "-digits" group, the way extensions
 * are often glued on (010-87654321-123)?
 */
static bool
valid_without_last_group(const char *s, size_t n, const char *region)
{
	char		out[MYCC_IDENTITY_MAX_VALUE + 1];
	size_t		end = n;

	while (end > 0 && is_digit((unsigned char) s[end - 1]))
		end--;
	if (end == n || end < 2 || s[end - 1] != '-')
		return false;
	return phone_e164(s, end - 1, region, out) == PHONE_VALID;
}

/*
 * A phone number: what libphonenumber calls a valid number, in E.164
 * ("+8613800138000"), with its extension, if any, after ";ext=".  A short
 * or service number, a possible but not valid number, and letters in the
 * number are refused (docs/identity.md states the policy).
 */
static IdentityResult
normalize_phone(const char *s, size_t n, const char *region, char *out)
{
	const char *ext = NULL;
	size_t		ext_len;
	IdentityResult result = split_extension(s, &n, &ext, &ext_len);
	PhoneVerdict verdict;
	size_t		len;

	if (result != IDENTITY_OK)
		return result;
	verdict = phone_e164(s, n, region, out);
	if (verdict != PHONE_VALID)
	{
		if (ext_len == 0 && verdict != PHONE_FAILED &&
			valid_without_last_group(s, n, region))
			return IDENTITY_GLUED_EXTENSION;
		return phone_result(verdict);
	}
	len = strlen(out);
	if (ext_len > 0)
	{
		if (len + strlen(MYCC_PHONE_EXTENSION_MARK) + ext_len > MYCC_IDENTITY_MAX_VALUE)
			return IDENTITY_TOO_LONG;
		memcpy(out + len, MYCC_PHONE_EXTENSION_MARK, strlen(MYCC_PHONE_EXTENSION_MARK));
		len += strlen(MYCC_PHONE_EXTENSION_MARK);
		memcpy(out + len, ext, ext_len);
		out[len + ext_len] = '\0';
	}
	return IDENTITY_OK;
}

/* A character allowed unquoted in an e-mail local part (or a UTF-8 byte). */
static bool
email_local_char(unsigned char c)
{
	if (c >= 0x80)
		return true;
	if (c <= ' ')
		return false;
	return strchr("\"(),:;<>[]\\@", c) == NULL;
}

/* An ASCII letter, digit or hyphen (what a domain label has). */
static bool
ldh_char(unsigned char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
}

/*
 * The ASCII form of a domain: its ASCII characters must be letters,
 * digits, hyphens and dots; libidn2 then maps it (UTS #46: Unicode case
 * folding and width folding, 。 and ． as dots) and converts its labels to
 * punycode (IDNA 2008), all lower case.
 */
static IdentityResult
domain_to_ascii(const char *s, size_t n, char *out, size_t outsize)
{
	char		buf[MYCC_IDENTITY_MAX_INPUT + 1];
	char	   *ascii = NULL;
	int			rc;
	size_t		len;

	for (size_t i = 0; i < n; i++)
	{
		unsigned char c = (unsigned char) s[i];

		if (c < 0x80 && !ldh_char(c) && c != '.')
			return IDENTITY_BAD_CHARACTER;
	}
	memcpy(buf, s, n);
	buf[n] = '\0';
	rc = idn2_to_ascii_8z(buf, &ascii, IDN2_NONTRANSITIONAL);
	if (rc == IDN2_MALLOC)
		return IDENTITY_FAILED;
	if (rc != IDN2_OK)
	{
		idn2_free(ascii);
		return IDENTITY_BAD_DOMAIN;
	}
	len = strlen(ascii);
	if (len >= outsize)
	{
		idn2_free(ascii);
		return IDENTITY_TOO_LONG;
	}
	memcpy(out, ascii, len + 1);
	idn2_free(ascii);
	return IDENTITY_OK;
}

/*
 * A domain in ASCII form: at least two dot-separated labels of letters,
 * digits and hyphens, none empty, longer than 63 bytes, or starting or
 * ending with a hyphen.
 */
static IdentityResult
check_domain(const char *d)
{
	size_t		label_len = 0;
	int			labels = 1;

	for (size_t i = 0; d[i] != '\0'; i++)
	{
		if (d[i] == '.')
		{
			if (label_len == 0 || d[i - 1] == '-')
				return IDENTITY_BAD_FORM;
			labels++;
			label_len = 0;
			continue;
		}
		if (!ldh_char((unsigned char) d[i]))
			return IDENTITY_BAD_CHARACTER;
		if (d[i] == '-' && label_len == 0)
			return IDENTITY_BAD_FORM;
		if (++label_len > EMAIL_LABEL_MAX)
			return IDENTITY_BAD_FORM;
	}
	if (labels < 2 || label_len == 0 || d[strlen(d) - 1] == '-')
		return IDENTITY_BAD_FORM;
	return IDENTITY_OK;
}

/*
 * An e-mail address: one "@", a non-empty local part of at most 64 bytes
 * (ASCII lower-cased), and a domain in its ASCII (IDNA) form that
 * check_domain accepts; at most 254 bytes in all.
 */
static IdentityResult
normalize_email(const char *s, size_t n, char *out)
{
	const char *at = memchr(s, '@', n);
	size_t		local_len;
	IdentityResult result;

	if (at == NULL || memchr(at + 1, '@', n - (size_t) (at - s) - 1) != NULL)
		return IDENTITY_BAD_FORM;
	local_len = (size_t) (at - s);
	if (local_len == 0 || local_len > EMAIL_LOCAL_MAX || local_len + 1 == n)
		return IDENTITY_BAD_FORM;
	for (size_t i = 0; i < local_len; i++)
	{
		if (!email_local_char((unsigned char) s[i]))
			return IDENTITY_BAD_CHARACTER;
		out[i] = (char) ascii_lower((unsigned char) s[i]);
	}
	out[local_len] = '@';
	result = domain_to_ascii(at + 1, n - local_len - 1, out + local_len + 1,
							 MYCC_IDENTITY_MAX_VALUE - local_len);
	if (result == IDENTITY_OK)
		result = check_domain(out + local_len + 1);
	if (result == IDENTITY_OK && strlen(out) > EMAIL_MAX)
		result = IDENTITY_TOO_LONG;
	return result;
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

/* Any other id: at most 255 bytes, case kept. */
static IdentityResult
normalize_opaque(const char *s, size_t n, char *out)
{
	if (n > MYCC_IDENTITY_MAX_VALUE)
		return IDENTITY_TOO_LONG;
	memcpy(out, s, n);
	out[n] = '\0';
	return IDENTITY_OK;
}

/*
 * Checks the input's size, trims its Unicode white space, refuses control
 * characters in what is left, and normalises it by kind.
 */
IdentityResult
identity_normalize(IdentityKind kind, const char *value, size_t len,
				   const char *region, char *out)
{
	if (len > MYCC_IDENTITY_MAX_INPUT)
		return IDENTITY_TOO_LONG;
	trim(&value, &len);
	if (len == 0)
		return IDENTITY_EMPTY;
	if (has_control(value, len))
		return IDENTITY_CONTROL;
	switch (kind)
	{
		case IDENTITY_PHONE:
			return normalize_phone(value, len, region, out);
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
					return "A phone number has at most 15 digits after the country code's \"+\", and an extension at most 10.";
				case IDENTITY_EMAIL:
					return "An e-mail address has at most 254 bytes.";
				case IDENTITY_QQ:
					return "A QQ number has 5 to 11 digits and does not start with 0.";
				default:
					return "An identifier has at most 255 bytes.";
			}
		case IDENTITY_EMPTY:
			return "The value is empty or only white space.";
		case IDENTITY_CONTROL:
			return "An identifier has no control characters (U+0000 to U+001F, U+007F to U+009F) inside.";
		case IDENTITY_BAD_CHARACTER:
			switch (kind)
			{
				case IDENTITY_PHONE:
					return "A phone number has digits, one leading \"+\", spaces, dashes, dots, slashes or brackets, and optionally an extension such as \"ext. 12\".";
				case IDENTITY_EMAIL:
					return "An e-mail address has no spaces, and its domain has letters, digits, hyphens and dots.";
				case IDENTITY_QQ:
					return "A QQ number has only digits.";
				default:
					return "The value has a character its kind does not allow.";
			}
		case IDENTITY_BAD_LENGTH:
			return kind == IDENTITY_QQ ?
				"A QQ number has 5 to 11 digits and does not start with 0." :
				"The number has too few or too many digits for a phone number of its country.";
		case IDENTITY_NO_COUNTRY:
			return "A national phone number needs a region: write it with \"+\" and its country code, or set mycc.default_region.";
		case IDENTITY_BAD_FORM:
			return kind == IDENTITY_EMAIL ?
				"An e-mail address has one \"@\", a local part of at most 64 bytes and a dotted domain." :
				"libphonenumber finds no valid phone number in it.";
		case IDENTITY_BAD_DOMAIN:
			return "The domain is not a valid internationalised domain name (IDNA 2008).";
		case IDENTITY_BAD_COUNTRY:
			return "No country has this calling code.";
		case IDENTITY_SERVICE_NUMBER:
			return "It is a short or service number (a company's hotline, not a person's phone); mycc does not take it as a customer's identifier.";
		case IDENTITY_NOT_VALID:
			return "It has a possible length, but no number range of its country matches it (libphonenumber: possible, not valid).";
		case IDENTITY_GLUED_EXTENSION:
			return "Its last group looks like an extension: write it after \"ext.\", as in \"010-87654321 ext. 123\".";
		case IDENTITY_FAILED:
			return "The normalisation library failed.";
	}
	return "";
}
