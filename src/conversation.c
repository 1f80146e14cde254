/*
 * conversation.c
 *		mycc.session_id(ts, gap [, case_ref]): a window function numbering a
 *		customer's conversations, and mycc.identity_kinds().
 *
 * Over a partition ordered by ts, the first row is conversation 1, and a
 * row starts the next conversation when it comes more than gap after the
 * previous row, unless its case reference (non-null) is one that a row of
 * the current conversation already carried: contacts about one case stay
 * in one conversation whatever the gap.  A NULL ts (on either side) never
 * starts one.  "More than gap" compares as PostgreSQL compares the interval
 * ts - lag(ts) with gap (a day is 24 hours, a month 30 days), so without
 * case references the function equals the lag() + running sum()
 * formulation.
 *
 * Memory: the previous row's ts lives in the partition-local state; the
 * case references of the current conversation are copied into a hash set
 * in a memory context of the call site (fn_extra), reset when a
 * conversation or a partition starts, so memory is bounded by the distinct
 * references of one conversation.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "common/int.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
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

/*
 * The case references of the current conversation: open addressing on a
 * 32-bit hash, each slot a copy of the reference (NULL when empty).
 */
typedef struct CaseSet
{
	MemoryContext context;		/* holds the table and the copies */
	uint32		nslots;			/* a power of two, 0 before first use */
	uint32		count;
	uint32	   *hashes;
	text	  **refs;
} CaseSet;

/* Empties the set (a new conversation or partition). */
static void
case_set_reset(CaseSet *set)
{
	if (set->nslots > 0)
		MemoryContextReset(set->context);
	set->nslots = 0;
	set->count = 0;
}

/* The slot of ref (hash h) in the set: where it is, or the empty slot it would take. */
static uint32
case_set_slot(const CaseSet *set, const char *data, int len, uint32 h)
{
	uint32		i = h & (set->nslots - 1);

	while (set->refs[i] != NULL)
	{
		if (set->hashes[i] == h && (int) VARSIZE_ANY_EXHDR(set->refs[i]) == len &&
			memcmp(VARDATA_ANY(set->refs[i]), data, len) == 0)
			break;
		i = (i + 1) & (set->nslots - 1);
	}
	return i;
}

/* Doubles the table (or makes the first one), keeping the entries. */
static void
case_set_grow(CaseSet *set)
{
	uint32		old_nslots = set->nslots;
	uint32	   *old_hashes = set->hashes;
	text	  **old_refs = set->refs;

	set->nslots = old_nslots == 0 ? 16 : old_nslots * 2;
	set->hashes = MemoryContextAllocHuge(set->context, sizeof(uint32) * (Size) set->nslots);
	set->refs = MemoryContextAllocHuge(set->context, sizeof(text *) * (Size) set->nslots);
	memset(set->refs, 0, sizeof(text *) * (Size) set->nslots);
	for (uint32 i = 0; i < old_nslots; i++)
	{
		if (old_refs[i] != NULL)
		{
			uint32		j = case_set_slot(set, VARDATA_ANY(old_refs[i]),
										  VARSIZE_ANY_EXHDR(old_refs[i]), old_hashes[i]);

			set->hashes[j] = old_hashes[i];
			set->refs[j] = old_refs[i];
		}
	}
	if (old_nslots > 0)
	{
		pfree(old_hashes);
		pfree(old_refs);
	}
}

/* Adds ref to the set; returns true if it was there already. */
static bool
case_set_add(CaseSet *set, text *ref)
{
	const char *data = VARDATA_ANY(ref);
	int			len = VARSIZE_ANY_EXHDR(ref);
	uint32		h = hash_bytes((const unsigned char *) data, len);
	uint32		i;

	if (set->nslots > 0)
	{
		i = case_set_slot(set, data, len, h);
		if (set->refs[i] != NULL)
			return true;
	}
	if (set->nslots == 0 || (set->count + 1) * 2 > set->nslots)
		case_set_grow(set);
	i = case_set_slot(set, data, len, h);
	set->hashes[i] = h;
	set->refs[i] = (text *) MemoryContextAlloc(set->context, VARSIZE_ANY(ref));
	memcpy(set->refs[i], ref, VARSIZE_ANY(ref));
	set->count++;
	return false;
}

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

PG_FUNCTION_INFO_V1(mycc_session_id);
/* session_id(ts, gap [, case_ref]) OVER (PARTITION BY customer ORDER BY ts). */
Datum
mycc_session_id(PG_FUNCTION_ARGS)
{
	WindowObject winobj = PG_WINDOW_OBJECT();
	SessionState *state;
	CaseSet    *cases = NULL;
	int64		pos = WinGetCurrentPosition(winobj);
	bool		ts_null,
				gap_null,
				case_null = true;
	Datum		ts = WinGetFuncArgCurrent(winobj, 0, &ts_null);
	Datum		gap = WinGetFuncArgCurrent(winobj, 1, &gap_null);
	text	   *case_ref = NULL;
	int64		gap_usecs;
	bool		known_case = false;

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

	if (PG_NARGS() > 2)
	{
		Datum		value = WinGetFuncArgCurrent(winobj, 2, &case_null);

		if (!case_null)
			case_ref = DatumGetTextPP(value);
		cases = (CaseSet *) fcinfo->flinfo->fn_extra;
		if (cases == NULL)
		{
			cases = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(CaseSet));
			cases->context = AllocSetContextCreate(fcinfo->flinfo->fn_mcxt,
												   "mycc session_id case references",
												   ALLOCSET_SMALL_SIZES);
			fcinfo->flinfo->fn_extra = cases;
		}
	}

	state = (SessionState *) WinGetPartitionLocalMemory(winobj, sizeof(SessionState));
	if (pos == 0)
	{
		state->conversation = 1;
		if (cases != NULL)
			case_set_reset(cases);
	}
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
		if (starts && case_ref != NULL)
		{
			/* A case of this conversation carries on: add-and-test in one step. */
			known_case = case_set_add(cases, case_ref);
			starts = !known_case;
		}
		if (starts)
		{
			state->conversation++;
			if (cases != NULL)
				case_set_reset(cases);
			known_case = false;
		}
		/* No earlier row is read again: let the tuplestore drop them. */
		WinSetMarkPosition(winobj, pos);
	}
	if (case_ref != NULL && !known_case)
		(void) case_set_add(cases, case_ref);
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
