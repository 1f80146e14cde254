/*
 * phone.h
 *		The phone-number interface of identifier normalisation: plain C
 *		entry points into Google's libphonenumber, implemented in phone.cpp.
 *		No backend dependency (identity_parse.c and the fuzz harness call
 *		it); no C++ exception ever leaves these functions.
 */
#ifndef MYCC_PHONE_H
#define MYCC_PHONE_H

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C"
{
#endif

/* What libphonenumber says of a number. */
typedef enum PhoneVerdict
{
	PHONE_VALID = 0,			/* a valid number: out holds its E.164 form */
	PHONE_NOT_A_NUMBER,			/* no phone number in the text */
	PHONE_NO_COUNTRY,			/* no "+" or country code, and no region */
	PHONE_BAD_COUNTRY,			/* "+" and a calling code no country has */
	PHONE_TOO_SHORT,			/* too few digits for any number */
	PHONE_TOO_LONG,				/* too many digits for any number */
	PHONE_SERVICE,				/* a short or service number (10086, 95588) */
	PHONE_POSSIBLE,				/* a possible length, but no valid number */
	PHONE_INVALID,				/* neither possible nor valid */
	PHONE_FAILED				/* the library failed (out of memory) */
} PhoneVerdict;

/*
 * Parses number (NUL-terminated, ASCII digits and separators) with region
 * (an ISO 3166 code such as "CN", or "" for none) for national numbers;
 * on PHONE_VALID writes its E.164 form ("+8613800138000") into out, which
 * holds outsize bytes.
 */
extern PhoneVerdict mycc_phone_e164(const char *number, const char *region,
									char *out, size_t outsize);

/* Is region a region libphonenumber has numbers for ("CN", "US")? */
extern bool mycc_phone_region_known(const char *region);

/* The country calling code of a region ("CN" -> 86), or 0 for none. */
extern int	mycc_phone_code_of_region(const char *region);

/*
 * The main region of a country calling code ("86" -> "CN", "1" -> "US",
 * "44" -> "GB") into out (3 bytes); false for a code no region has.
 */
extern bool mycc_phone_region_of_code(const char *code, char out[3]);

#ifdef __cplusplus
}
#endif

#endif							/* MYCC_PHONE_H */
