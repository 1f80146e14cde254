/*
 * csat.h
 *		Customer satisfaction (CSAT): the share of answers in the top two
 *		boxes of a 1..scale rating, as a mergeable csat_state.
 */
#ifndef MYCC_CSAT_H
#define MYCC_CSAT_H

#include "fmgr.h"

#include "counts.h"

#define MYCC_CSAT_MIN_SCALE 3
#define MYCC_CSAT_MAX_SCALE 10
#define MYCC_CSAT_DEFAULT_SCALE 5

/*
 * csat_state, an on-disk format (stored in rollup tables):
 *
 *	 int32 vl_len_		varlena header, 4-byte form when built here
 *	 uint8 version		MYCC_STATE_VERSION
 *	 uint8 flags		0; reserved
 *	 int16 scale		points of the rating (3..10); 0 while no answer
 *						has fixed it, then the total is 0 too
 *	 int64 satisfied	answers in the top two boxes, 0 <= satisfied <= total
 *	 int64 total		answers
 *
 * Text form "(satisfied,total,scale)", e.g. "(45,60,5)"; binary form the
 * version byte then the three numbers as int8.
 */
typedef struct CsatState
{
	int32		vl_len_;
	uint8		version;
	uint8		flags;
	int16		scale;
	int64		satisfied;
	int64		total;
} CsatState;

COUNTS_HEADER_CHECK(CsatState);

#define CSAT_STATE_SIZE			sizeof(CsatState)
#define PG_GETARG_CSAT_STATE(n)	csat_state_from_datum(PG_GETARG_DATUM(n))
#define PG_RETURN_CSAT_STATE(x)	PG_RETURN_POINTER(x)

extern CsatState *csat_state_from_datum(Datum datum);

#endif							/* MYCC_CSAT_H */
