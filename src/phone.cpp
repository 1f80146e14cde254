/*
 * phone.cpp
 *		The C entry points of phone.h over Google's libphonenumber.
 *
 * Every entry point catches every C++ exception and turns it into a
 * result: nothing C++ crosses into the server, and nothing here calls
 * PostgreSQL (no ereport, no palloc), so a longjmp never skips a C++
 * destructor.  The library's objects are built on first use and never
 * change afterwards, so nested or failed calls share nothing mutable.
 */
#include <cstdlib>
#include <cstring>
#include <string>

#include <phonenumbers/phonenumber.pb.h>
#include <phonenumbers/phonenumberutil.h>
#include <phonenumbers/shortnumberinfo.h>

#include "phone.h"

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;
using i18n::phonenumbers::ShortNumberInfo;

/* The short-number metadata, loaded once (a C++ static: thread-safe). */
static const ShortNumberInfo &
short_numbers()
{
	static const ShortNumberInfo info;

	return info;
}

/* The verdict on a number that parsed but is not valid. */
static PhoneVerdict
not_valid_verdict(const PhoneNumberUtil &util, const PhoneNumber &number)
{
	if (short_numbers().IsValidShortNumber(number))
		return PHONE_SERVICE;
	switch (util.IsPossibleNumberWithReason(number))
	{
		case PhoneNumberUtil::IS_POSSIBLE:
		case PhoneNumberUtil::IS_POSSIBLE_LOCAL_ONLY:
			return PHONE_POSSIBLE;
		case PhoneNumberUtil::INVALID_COUNTRY_CODE:
			return PHONE_BAD_COUNTRY;
		case PhoneNumberUtil::TOO_SHORT:
			return PHONE_TOO_SHORT;
		case PhoneNumberUtil::TOO_LONG:
			return PHONE_TOO_LONG;
		default:
			return PHONE_INVALID;
	}
}

/* The verdict of a parsing error. */
static PhoneVerdict
parse_error_verdict(PhoneNumberUtil::ErrorType error, bool have_region)
{
	switch (error)
	{
		case PhoneNumberUtil::INVALID_COUNTRY_CODE_ERROR:
			return have_region ? PHONE_BAD_COUNTRY : PHONE_NO_COUNTRY;
		case PhoneNumberUtil::TOO_SHORT_AFTER_IDD:
		case PhoneNumberUtil::TOO_SHORT_NSN:
			return PHONE_TOO_SHORT;
		case PhoneNumberUtil::TOO_LONG_NSN:
			return PHONE_TOO_LONG;
		default:
			return PHONE_NOT_A_NUMBER;
	}
}

extern "C" PhoneVerdict
mycc_phone_e164(const char *number, const char *region, char *out, size_t outsize)
{
	try
	{
		const PhoneNumberUtil &util = *PhoneNumberUtil::GetInstance();
		bool		have_region = region[0] != '\0';
		PhoneNumber parsed;
		PhoneNumberUtil::ErrorType error;
		std::string e164;

		error = util.Parse(number, have_region ? region : "ZZ", &parsed);
		if (error != PhoneNumberUtil::NO_PARSING_ERROR)
			return parse_error_verdict(error, have_region);
		/* The caller takes extensions off; one seen here is not ours. */
		if (parsed.has_extension())
			return PHONE_NOT_A_NUMBER;
		if (!util.IsValidNumber(parsed))
			return not_valid_verdict(util, parsed);
		util.Format(parsed, PhoneNumberUtil::E164, &e164);
		if (e164.size() >= outsize)
			return PHONE_TOO_LONG;
		memcpy(out, e164.c_str(), e164.size() + 1);
		return PHONE_VALID;
	}
	catch (...)
	{
		return PHONE_FAILED;
	}
}

extern "C" int
mycc_phone_code_of_region(const char *region)
{
	try
	{
		return PhoneNumberUtil::GetInstance()->GetCountryCodeForRegion(region);
	}
	catch (...)
	{
		return 0;
	}
}

extern "C" bool
mycc_phone_region_known(const char *region)
{
	return mycc_phone_code_of_region(region) != 0;
}

extern "C" bool
mycc_phone_region_of_code(const char *code, char out[3])
{
	try
	{
		std::string region;
		size_t		n = strlen(code);

		if (n == 0 || n > 3 || strspn(code, "0123456789") != n)
			return false;
		PhoneNumberUtil::GetInstance()->GetRegionCodeForCountryCode(atoi(code), &region);
		if (region.size() != 2 || region == "ZZ")
			return false;
		memcpy(out, region.c_str(), 3);
		return true;
	}
	catch (...)
	{
		return false;
	}
}
