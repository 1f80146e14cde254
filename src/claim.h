/*
 * claim.h
 *		What next_contact (assignment.c) reads and locks to claim a contact,
 *		and the direct way of doing it (claim.c): index and heap access
 *		without the executor.
 */
#ifndef MYCC_CLAIM_H
#define MYCC_CLAIM_H

#include "datatype/timestamp.h"
#include "storage/itemptr.h"

/* One contact a claim may give, with its effective priority now. */
typedef struct Claim
{
	int64		customer_id;
	int64		id;
	double		priority;		/* effective priority */
	TimestampTz enqueued_at;
	ItemPointerData tid;		/* its row, when taken directly */
} Claim;

/* A queue the agent covers and the bound of what it can give. */
typedef struct QueueHead
{
	int64		queue_id;
	double		bound;			/* effective priority of its first contact */
	double		target_seconds; /* target_answer in seconds */
	double		aging_weight;
	ItemPointerData head;		/* its first contact's row, when read directly */
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

/* Registers the invalidation of the tables' layout (_PG_init). */
extern void ClaimInit(void);

/* The tables and indexes of a direct claim, opened; see claim.c. */
typedef struct DirectClaim DirectClaim;

/* What the direct way is opened for: next_contact or finish. */
typedef enum DirectUse
{
	DIRECT_CLAIM,
	DIRECT_FINISH
} DirectUse;

/*
 * Opens what a direct claim or finish reads and writes, or returns NULL
 * when it must go through SQL instead: row-level security applies to the
 * caller on one of the tables, the caller lacks a right the SQL would
 * check, a statement trigger waits for the UPDATE, or the tables are not
 * as mycc made them.
 */
extern DirectClaim *direct_claim_begin(DirectUse use);

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

/* Gives the taken contact to the agent (locked) and counts it. */
extern void direct_assign(DirectClaim *dc, const Claim *claim, int64 agent_id, TimestampTz now);

/* What one round of a direct finish found. */
#define DIRECT_FINISH_DONE			0	/* closed, the agent's place freed */
#define DIRECT_FINISH_MISSING		1	/* no contact with that id */
#define DIRECT_FINISH_UNASSIGNED	2	/* had no agent when read; now *status */
#define DIRECT_FINISH_OTHER			3	/* not its agent's to close; now *status */
#define DIRECT_FINISH_NOT_UNIQUE	4	/* contacts of several customers have the id */

/*
 * One round of finish(contact_id, outcome): frees a place of the agent the
 * contact has, then closes the contact if it is still assigned to it.
 */
extern int	direct_finish_round(DirectClaim *dc, int64 contact_id, Datum outcome,
								bool outcome_null, TimestampTz now, char **status);

/*
 * Fires the AFTER triggers of the updates, closes the scans; the row and
 * table locks stay until the transaction ends.
 */
extern void direct_claim_end(DirectClaim *dc);

#endif							/* MYCC_CLAIM_H */
