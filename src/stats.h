/*
 * stats.h
 *		Pure numerical helpers (standard normal distribution); no backend
 *		dependency, so they can be tested and fuzzed standalone.
 */
#ifndef MYCC_STATS_H
#define MYCC_STATS_H



/* z such that P(-z <= Z <= z) = confidence, for 0 < confidence < 1. */
extern double stats_two_sided_z(double confidence);

/* Two-sided p-value of a z statistic: P(|Z| >= |z|). */
extern double stats_two_sided_p(double z);

#endif							/* MYCC_STATS_H */
