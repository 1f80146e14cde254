/*
 * mycc.h
 *		Declarations shared by every mycc capability.
 */
#ifndef MYCC_H
#define MYCC_H

#include "fmgr.h"
#include "lib/stringinfo.h"

/*
 * The oldest PostgreSQL mycc builds for: the one it is tested on
 * (docs/operations.md, "Supported PostgreSQL versions").  The install
 * script needs 14 (SQL-standard function bodies); the C is written for
 * 15's API.  META.json's prereqs and debian/pgversions say the same (the
 * meta_json static check).
 */
#if PG_VERSION_NUM < 150000
#error "mycc requires PostgreSQL 15 (see docs/operations.md, Supported PostgreSQL versions)"
#endif

#ifndef MYCC_VERSION
#error "MYCC_VERSION must be defined by the Makefile (from mycc.control)"
#endif

/* Version byte of every mycc counting state (nps_state, csat_state). */
#define MYCC_STATE_VERSION 1

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

/* An interval of whole seconds (for GUCs kept in seconds). */
extern Datum mycc_seconds_interval(int seconds);

#endif							/* MYCC_H */
