/*
 * claim.h
 *		What next_contact (assignment.c) reads and locks to claim a contact,
 *		and the direct way of doing it (claim.c): index and heap access
 *		without the executor.
 */
#ifndef MYCC_CLAIM_H
#define MYCC_CLAIM_H

#include "datatype/timestamp.h"

/* One contact a claim may give, with its effective priority now. */
typedef struct Claim
{
	int64		customer_id;
	int64		id;
	double		priority;		/* effective priority */
	TimestampTz enqueued_at;
} Claim;

/* A queue the agent covers and the bound of what it can give. */
typedef struct QueueHead
{
	int64		queue_id;
	double		bound;			/* effective priority of its first contact */
	double		target_seconds; /* target_answer in seconds */
	double		aging_weight;
} QueueHead;

/* What the agent's row says once it is locked. */
typedef struct AgentState
{
	char	   *status;			/* its agent_status label */
	bool		full;			/* active_contacts >= capacity */
	bool		manages;		/* some unmerged customer has it as manager */
} AgentState;

/*
 * Effective priority (mycc.effective_priority): base + waited / target *
 * weight; no wait ages nothing, nor does an unknown or infinite arrival.
 */
extern double claim_effective_priority(double base, TimestampTz enqueued_at,
									   TimestampTz now, double target_seconds,
									   double weight);

/* Sorts queue heads best bound first. */
extern void claim_sort_heads(QueueHead *heads, int n);

/* The tables and indexes of a direct claim, opened; see claim.c. */
typedef struct DirectClaim DirectClaim;

/*
 * Opens what a direct claim reads, or returns NULL when the claim must go
 * through SQL instead: row-level security applies to the caller on one of
 * the tables, the caller lacks a right the SQL would check, or the tables
 * are not as mycc made them.
 */
extern DirectClaim *direct_claim_begin(void);

/* Locks the agent and reads its state; false if it does not exist. */
extern bool direct_claim_lock_agent(DirectClaim *dc, int64 agent_id, AgentState *agent);

/* The queues the locked agent covers that have a waiting contact. */
extern int	direct_claim_heads(DirectClaim *dc, TimestampTz now, QueueHead **heads);

/*
 * Takes (locks) the first waiting contact of a queue that no other agent
 * holds and that is not held for an account manager after hold_until.
 */
extern bool direct_claim_take_head(DirectClaim *dc, const QueueHead *queue, TimestampTz now,
								   TimestampTz hold_until, Claim *claim);

/* Closes the scans; the row and table locks stay until the transaction ends. */
extern void direct_claim_end(DirectClaim *dc);

#endif							/* MYCC_CLAIM_H */
