/*
 * bi.c
 *		The business time zone: where the BI views cut their days.
 *
 * A contact center's day is its own, whatever the time zone of the session
 * that reads its views (a BI tool connected in UTC must still see a
 * Shanghai center's days cut at midnight in Shanghai).  mycc.time_zone
 * names that zone.  Set to empty (its default), it becomes the TimeZone
 * the session started with (the server's, the database's or the role's
 * setting, or what the client sent when it connected): the check hook
 * writes that zone in, so that a later SET TimeZone does not move it and
 * SHOW tells which zone is in force.
 *
 * Parallel workers: a worker gets the leader's settings, but only those
 * not at their built-in default, and its own TimeZone reset value is not
 * the leader's.  So the zone written in from the default is given the
 * source "dynamic default", which the leader passes on to its workers:
 * business_day() is PARALLEL SAFE.  (With mycc in shared_preload_libraries
 * the default is fixed in the postmaster: the server's TimeZone.)
 */
#include "postgres.h"

#include "access/xact.h"
#include "fmgr.h"
#include "pgtime.h"
#include "utils/builtins.h"
#include "utils/guc.h"

#include "bi.h"

static char *business_time_zone = NULL;

/*
 * A time zone name the server knows (IANA name, UTC, or a POSIX rule);
 * empty becomes the TimeZone the session started with.
 */
static bool
check_time_zone(char **newval, void **extra, GucSource source)
{
	if (*newval == NULL || (*newval)[0] == '\0')
	{
		/* A replaced value is malloc'd: GUC memory (guc_strdup from 16). */
#if PG_VERSION_NUM >= 160000
		char	   *zone = guc_strdup(LOG, GetConfigOptionResetString("TimeZone"));

		if (zone == NULL)
			return false;
		guc_free(*newval);
#else
		char	   *zone = strdup(GetConfigOptionResetString("TimeZone"));

		if (zone == NULL)
		{
			GUC_check_errcode(ERRCODE_OUT_OF_MEMORY);
			return false;
		}
		free(*newval);
#endif
		*newval = zone;
		return true;
	}
	if (pg_tzset(*newval) == NULL)
	{
		GUC_check_errcode(ERRCODE_INVALID_PARAMETER_VALUE);
		GUC_check_errdetail("A time zone is a name of the time zone database, such as Asia/Shanghai or UTC (see pg_timezone_names), or empty for the TimeZone the session started with.");
		return false;
	}
	return true;
}

/*
 * Passes the zone the default became on to parallel workers (see the head
 * comment): gives it the source "dynamic default", once.  A setting of
 * the database, the role or the session outranks that source and is kept.
 * Not in parallel mode, where settings cannot change (a library loaded
 * during a parallel query): the next call outside one does it.
 */
static void
pin_default_zone(void)
{
	static bool pinned = false;

	if (pinned || IsInParallelMode())
		return;
	SetConfigOption("mycc.time_zone", "", PGC_USERSET, PGC_S_DYNAMIC_DEFAULT);
	pinned = true;
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
	pin_default_zone();
}

PG_FUNCTION_INFO_V1(mycc_time_zone);
/* The business time zone (mycc.time_zone, never empty once set up). */
Datum
mycc_time_zone(PG_FUNCTION_ARGS)
{
	pin_default_zone();
	PG_RETURN_TEXT_P(cstring_to_text(business_time_zone));
}
