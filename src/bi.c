/*
 * bi.c
 *		The business time zone: where the BI views cut their days.
 *
 * A contact center's day is its own, whatever the time zone of the
 * session that reads its views (a BI tool connected in UTC must still see
 * a Shanghai center's days cut at midnight in Shanghai).  mycc.time_zone
 * names that zone; empty (the default) means the TimeZone the session
 * started with: the server's, the database's or the role's setting, or
 * what the client sent when it connected, but never a later SET TimeZone.
 * mycc.business_day() (SQL) turns a time into the day of that zone.
 */
#include "postgres.h"

#include "fmgr.h"
#include "pgtime.h"
#include "utils/builtins.h"
#include "utils/guc.h"

#include "bi.h"

static char *business_time_zone = NULL;

/* A time zone name the server knows (IANA name, UTC, or a POSIX rule), or empty. */
static bool
check_time_zone(char **newval, void **extra, GucSource source)
{
	if (*newval == NULL || (*newval)[0] == '\0')
		return true;
	if (pg_tzset(*newval) == NULL)
	{
		GUC_check_errcode(ERRCODE_INVALID_PARAMETER_VALUE);
		GUC_check_errdetail("A time zone is a name of the time zone database, such as Asia/Shanghai or UTC (see pg_timezone_names), or empty for the TimeZone the session started with.");
		return false;
	}
	return true;
}

/* Defines the GUC; called once from _PG_init. */
void
BiInit(void)
{
	DefineCustomStringVariable("mycc.time_zone",
							   "Time zone of the business day in mycc's daily BI views.",
							   "A time zone name such as Asia/Shanghai; empty means the TimeZone the session started with (not changed by SET TimeZone).",
							   &business_time_zone,
							   "",
							   PGC_USERSET, 0,
							   check_time_zone, NULL, NULL);
}

PG_FUNCTION_INFO_V1(mycc_time_zone);
/* The business time zone: mycc.time_zone, or the session's starting TimeZone. */
Datum
mycc_time_zone(PG_FUNCTION_ARGS)
{
	if (business_time_zone != NULL && business_time_zone[0] != '\0')
		PG_RETURN_TEXT_P(cstring_to_text(business_time_zone));
	PG_RETURN_TEXT_P(cstring_to_text(GetConfigOptionResetString("TimeZone")));
}
