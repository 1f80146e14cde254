/*
 * nps.h
 *		Net Promoter Score: the nps_score answer type, the mergeable
 *		nps_state aggregate state, and their statistics.
 */
#ifndef MYCC_NPS_H
#define MYCC_NPS_H

#include "fmgr.h"

#include "counts.h"

/*
 * nps_score: one answer to "how likely are you to recommend us", 0 to 10,
 * stored in one byte and passed by value.
 */
#define MYCC_NPS_MIN 0
#define MYCC_NPS_MAX 10

#define DatumGetNpsScore(X)		((int) DatumGetUInt8(X))
#define NpsScoreGetDatum(X)		UInt8GetDatum((uint8) (X))
#define PG_GETARG_NPS_SCORE(n)	DatumGetNpsScore(PG_GETARG_DATUM(n))
#define PG_RETURN_NPS_SCORE(x)	return NpsScoreGetDatum(x)

/* The three classes of an answer, in the order of the nps_class enum. */
typedef enum NpsClass
{
	NPS_DETRACTOR = 0,			/* 0 to 6 */
	NPS_PASSIVE = 1,			/* 7 and 8 */
	NPS_PROMOTER = 2,			/* 9 and 10 */
	NPS_NCLASSES = 3
} NpsClass;

/* The class of a valid score (branch-free: the aggregates' inner loop). */
static inline NpsClass
nps_class_of(int score)
{
	return (NpsClass) ((score >= 7) + (score >= 9));
}

/* Rejects an integer outside 0..10 with 22003, naming the value. */
extern int	nps_score_check(int64 value);

/*
 * nps_state: the counts of promoters, passives and detractors, an on-disk
 * format (stored in rollup tables):
 *
 *	 int32 vl_len_		varlena header, always 4-byte form when built here
 *	 uint8 version		MYCC_STATE_VERSION
 *	 uint8 flags		0; reserved for future use
 *	 uint16 reserved	0; the counts start at byte 8, aligned
 *	 int64 count[3]		answers per NpsClass, each >= 0, their sum <= INT64_MAX
 *
 * Text form "(promoters,passives,detractors)", e.g. "(200,120,80)"; binary
 * form the version byte then the three counts as int8.
 */
typedef struct NpsState
{
	int32		vl_len_;
	uint8		version;
	uint8		flags;
	uint16		reserved;
	int64		count[NPS_NCLASSES];
} NpsState;

COUNTS_HEADER_CHECK(NpsState);

#define NPS_STATE_SIZE			sizeof(NpsState)
#define PG_GETARG_NPS_STATE(n)	nps_state_from_datum(PG_GETARG_DATUM(n))
#define PG_RETURN_NPS_STATE(x)	PG_RETURN_POINTER(x)

extern NpsState *nps_state_from_datum(Datum datum);
extern int64 nps_state_total(const NpsState *state);

/*
 * Shares of an nps_state (fractions of 1) and the variance of its NPS in
 * share units: var = (p + d - (p - d)^2) / n.
 */
typedef struct NpsSummary
{
	int64		n;
	double		promoter_share;
	double		detractor_share;
	double		nps;			/* 100 * (p - d) */
	double		variance;		/* of (p - d), share units */
} NpsSummary;

extern NpsSummary nps_summarize(const NpsState *state);

#endif							/* MYCC_NPS_H */
