/*
 * conversation.c
 *		mycc.session_id(ts, gap [, case_ref]): a window function numbering a
 *		customer's conversations, and mycc.identity_kinds().
 *
 * Over a partition ordered by ts, the first row is conversation 1, and a
 * row starts the next conversation when it comes more than gap after the
 * previous row, unless both carry the same (non-null) case reference.  A
 * NULL ts (on either side) never starts one.  "More than gap" compares as
 * PostgreSQL compares the interval ts - lag(ts) with gap (a day is 24
 * hours, a month 30 days), so the function equals the lag() + running
 * sum() formulation; only the previous row is ever read.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "common/int.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"
#include "windowapi.h"

#include "identity.h"
#include "identity_parse.h"

/* Per-partition state of session_id. */
typedef struct SessionState
{
	int64		conversation;	/* number of the current conversation */
	bool		prev_valid;		/* the previous row's ts was not NULL */
	TimestampTz prev_ts;		/* the previous row's ts */
} SessionState;

/* An interval's length in microseconds as interval comparison counts it, saturating. */
static int64
interval_microseconds(const Interval *span)
{
	int64		days;
	int64		usecs;

	if (pg_mul_s64_overflow((int64) span->month, 30, &days) ||
		pg_add_s64_overflow(days, (int64) span->day, &days) ||
		pg_mul_s64_overflow(days, USECS_PER_DAY, &usecs) ||
		pg_add_s64_overflow(usecs, span->time, &usecs))
		return (span->month > 0 || span->day > 0) ? PG_INT64_MAX : PG_INT64_MIN;
	return usecs;
}

/* Are two text datums byte-for-byte equal? */
static bool
text_datums_equal(Datum a, Datum b)
{
	text	   *ta = DatumGetTextPP(a);
	text	   *tb = DatumGetTextPP(b);

	return VARSIZE_ANY_EXHDR(ta) == VARSIZE_ANY_EXHDR(tb) &&
		memcmp(VARDATA_ANY(ta), VARDATA_ANY(tb), VARSIZE_ANY_EXHDR(ta)) == 0;
}

PG_FUNCTION_INFO_V1(mycc_session_id);
/* session_id(ts, gap [, case_ref]) OVER (PARTITION BY customer ORDER BY ts). */
Datum
mycc_session_id(PG_FUNCTION_ARGS)
{
	WindowObject winobj = PG_WINDOW_OBJECT();
	SessionState *state;
	int64		pos = WinGetCurrentPosition(winobj);
	bool		ts_null,
				gap_null;
	Datum		ts = WinGetFuncArgCurrent(winobj, 0, &ts_null);
	Datum		gap = WinGetFuncArgCurrent(winobj, 1, &gap_null);
	int64		gap_usecs;

	if (gap_null)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("conversation gap must not be null")));
	gap_usecs = interval_microseconds(DatumGetIntervalP(gap));
	if (gap_usecs < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("conversation gap must not be negative"),
				 errdetail("The gap is the idle time after which a new conversation starts, such as 2 hours.")));

	state = (SessionState *) WinGetPartitionLocalMemory(winobj, sizeof(SessionState));
	if (pos == 0)
		state->conversation = 1;
	else
	{
		bool		starts = false;

		if (!ts_null && state->prev_valid)
		{
			int64		idle;

			if (pg_sub_s64_overflow(DatumGetTimestampTz(ts), state->prev_ts, &idle))
				idle = DatumGetTimestampTz(ts) > state->prev_ts ? PG_INT64_MAX : PG_INT64_MIN;
			starts = idle > gap_usecs;
		}
		if (starts && PG_NARGS() > 2)
		{
			bool		case_null,
						prev_null,
						isout;
			Datum		case_ref = WinGetFuncArgCurrent(winobj, 2, &case_null);

			if (!case_null)
			{
				Datum		prev_case = WinGetFuncArgInPartition(winobj, 2, -1,
																 WINDOW_SEEK_CURRENT,
																 false, &prev_null, &isout);

				if (!prev_null && !isout && text_datums_equal(case_ref, prev_case))
					starts = false;
			}
		}
		if (starts)
			state->conversation++;
		/* Only the previous row is read again: let the tuplestore drop older rows. */
		WinSetMarkPosition(winobj, pos - 1);
	}
	state->prev_valid = !ts_null;
	if (!ts_null)
		state->prev_ts = DatumGetTimestampTz(ts);
	PG_RETURN_INT64(state->conversation);
}

PG_FUNCTION_INFO_V1(mycc_identity_kinds);
/* identity_kinds() -> text[]: the identifier kinds normalize_identity knows. */
Datum
mycc_identity_kinds(PG_FUNCTION_ARGS)
{
	Datum		names[IDENTITY_NKINDS];

	for (int k = 0; k < IDENTITY_NKINDS; k++)
		names[k] = CStringGetTextDatum(identity_kind_name((IdentityKind) k));
	PG_RETURN_ARRAYTYPE_P(construct_array(names, IDENTITY_NKINDS, TEXTOID, -1, false, TYPALIGN_INT));
}
