/*
 * mycc.h
 *		What is shared by more than one capability and is not a counting
 *		state (counts.h): the supported PostgreSQL version and the interval
 *		of a GUC kept in seconds.
 */
#ifndef MYCC_H
#define MYCC_H

#include "fmgr.h"

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

/* An interval of whole seconds (for GUCs kept in seconds). */
extern Datum mycc_seconds_interval(int seconds);

#endif							/* MYCC_H */
