/*
 * counts.h
 *		What the counting states share (nps_state, csat_state): a version
 *		byte, text and binary forms of a few counts, the transition-state
 *		rule of their aggregates, and the z value of a confidence level for
 *		their statistics.
 */
#ifndef MYCC_COUNTS_H
#define MYCC_COUNTS_H

#include "fmgr.h"
#include "lib/stringinfo.h"

/* Version byte of every mycc counting state (nps_state, csat_state). */
#define MYCC_STATE_VERSION 1

/*
 * The first bytes of every counting state (nps.h, csat.h): the varlena
 * header, the version byte, a flags byte that is 0.
 */
typedef struct CountsHeader
{
	int32		vl_len_;
	uint8		version;
	uint8		flags;
} CountsHeader;

/* Checks at compile time that a state struct begins as a CountsHeader. */
#define COUNTS_HEADER_CHECK(type) \
	StaticAssertDecl(offsetof(type, version) == offsetof(CountsHeader, version) && \
					 offsetof(type, flags) == offsetof(CountsHeader, flags), \
					 #type " begins as a CountsHeader")

/* A new state of size bytes, zeroed, of this version. */
extern void *mycc_state_new(Size size);

/*
 * Why a value is not a state of size bytes that this build writes (its size,
 * version or flags), or NULL when its header is right.
 */
extern const char *mycc_state_header_fault(const void *state, Size size);

/*
 * Reports a state that breaks its rules (fault says how; nothing when NULL):
 * a stored value is damaged data, XX001 like PostgreSQL's own; a value from
 * binary input (received) is bad input, 22P03.
 */
extern void mycc_state_check(const char *fault, const char *type_name,
							 bool received);

/*
 * The standard normal z value of a two-sided confidence level (1.96 for
 * 0.95), after checking that the level is strictly between 0 and 1 (22023).
 */
extern double mycc_confidence_z(double confidence);

/*
 * The transition state an aggregate support function may update: argument
 * 0 itself (already detoasted) when called by an aggregate, which owns it,
 * otherwise a private copy so that a SQL caller's value never changes.
 */
extern void *mycc_transition_state(FunctionCallInfo fcinfo, void *detoasted);

/*
 * Text form of a counting state, "(a,b,...)": parses nvalues non-negative
 * integers or reports 22P02 / 22003 naming the type, with detail.
 */
extern void mycc_parse_counts(const char *text, int64 *values, int nvalues,
							  const char *type_name, const char *detail);

/*
 * Binary form of a counting state: a version byte, then nvalues int8.
 * Receiving checks the message length (22P03) and returns the version.
 */
extern uint8 mycc_recv_counts(StringInfo buf, int64 *values, int nvalues,
							  const char *type_name);
extern bytea *mycc_send_counts(uint8 version, const int64 *values, int nvalues);

#endif							/* MYCC_COUNTS_H */
