/*
 * mycc.h
 *		What is shared by more than one capability and is not a counting
 *		state (counts.h): the supported PostgreSQL version, the errors of
 *		text input refused by a parser of parse.h, and the interval of a GUC
 *		kept in seconds.
 */
#ifndef MYCC_H
#define MYCC_H

#include "fmgr.h"

#include "parse.h"

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

/*
 * Reports text input of type_name that a parser refused (result is not
 * PARSE_OK): 22P02 for PARSE_SYNTAX, 22003 for PARSE_RANGE, naming the
 * type and the text, with detail.
 */
extern pg_attribute_noreturn() void mycc_input_error(ParseResult result,
													 const char *type_name,
													 const char *text,
													 const char *detail);

/* An interval of whole seconds (for GUCs kept in seconds). */
extern Datum mycc_seconds_interval(int seconds);

#endif							/* MYCC_H */
