/*
 * citus.h
 *		Where mycc runs on a Citus cluster: the guard of the functions that
 *		read tables mycc keeps on the coordinator (docs/scaling.md).
 */
#ifndef MYCC_CITUS_H
#define MYCC_CITUS_H

/*
 * Raises 55000 on a Citus worker, where mycc's copy of the named table of
 * schema mycc is empty: a function reading it there would answer as if it
 * had no rows.  Nothing elsewhere.
 */
extern void citus_require_coordinator(const char *relation);

#endif							/* MYCC_CITUS_H */
