/*
 * assignment.c
 *		mycc.next_contact(agent) and mycc.finish(contact, outcome): agents
 *		take waiting contacts and close them (docs/routing.md).
 *
 * Both run a few prepared statements through SPI (prepared once per
 * backend with generic plans, kept; the plan cache re-plans them after
 * DDL).  Every name in
 * them is schema-qualified and every operator written OPERATOR(...), so
 * the caller's search_path cannot change what they run; they run with the
 * caller's rights, so the roles of src/sql/roles.sql decide who may call.
 *
 * Claiming, and why it locks so few rows.  A queue's waiting contacts are
 * read from contact_queued_idx in queue_key order, which is the order of
 * effective priority at any moment (src/sql/routing.sql, queue_key).  So
 * the first waiting contact of a queue bounds what the queue can give: no
 * contact of that queue has a higher effective priority.  next_contact
 * reads these heads without locking them, in the statement that locks the
 * agent (PEEK), then visits the queues from
 * the highest bound down and in each takes the first contact that no
 * other agent holds (TAKE, FOR UPDATE SKIP LOCKED), until the best contact
 * taken beats the next queue's bound.  Usually the first queue's head is
 * free and one row is locked; the claim is the same contact the one-query
 * form "each queue's first free contact, then the best of them" gives,
 * which locked a row in every queue the agent covers.  Contacts taken but
 * not given stay locked until the transaction ends, as before.
 *
 * Lock order, in both functions: the agent's row, then contacts; so an
 * agent's claims and finishes serialise on the agent row and keep its
 * capacity, and never deadlock with each other.
 */
#include "postgres.h"

#include "access/xact.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"

#include "claim.h"
#include "routing.h"

/*
 * The waiting contacts of queue $1 an agent may take, best first: not held
 * for an account manager (the customer's, or its survivor's, when merged)
 * unless they arrived at or before $2 (now - mycc.account_manager_hold).
 * A customer that is gone (contacts have no foreign key) holds nothing.
 */
#define ELIGIBLE_IN_QUEUE \
	" FROM mycc.contact AS k" \
	" LEFT JOIN mycc.customer AS c ON c.id OPERATOR(pg_catalog.=) k.customer_id" \
	" LEFT JOIN mycc.customer AS root ON root.id OPERATOR(pg_catalog.=) c.root_id" \
	" WHERE k.queue_id OPERATOR(pg_catalog.=) q.id" \
	" AND k.status OPERATOR(pg_catalog.=) 'queued'::mycc.contact_status" \
	" AND (CASE WHEN c.root_id IS NULL THEN c.account_manager ELSE root.account_manager END IS NULL" \
	"  OR k.enqueued_at OPERATOR(pg_catalog.<=) $2)" \
	" ORDER BY k.queue_key, k.id LIMIT 1"

/*
 * The agent, locked (FOR NO KEY UPDATE, as the agent's update takes it: a
 * customer given this agent as account manager, whose foreign key check
 * locks the agent FOR KEY SHARE, does not wait for claims): whether it
 * exists, its status, whether it is full,
 * whether it is anyone's account manager; and, one row each, the queues
 * its skills cover that have a waiting contact, with their first one (the
 * PEEK of the file header).  Contacts held for an account manager count:
 * the bound stays a bound, and reading the customers of every queue's first
 * contact cost more than the rare extra TAKE.
 */
static const char *const lock_agent_sql =
"SELECT g.status::pg_catalog.text,"
" g.active_contacts OPERATOR(pg_catalog.>=) g.capacity,"
" EXISTS (SELECT FROM mycc.customer AS m WHERE m.account_manager OPERATOR(pg_catalog.=) g.id"
"  AND m.merged_into IS NULL),"
" h.id, h.priority, h.enqueued_at, h.target_seconds, h.aging_weight"
" FROM mycc.agent AS g"
" LEFT JOIN LATERAL (SELECT q.id, f.priority, f.enqueued_at,"
"  pg_catalog.date_part('epoch', q.target_answer) AS target_seconds, q.aging_weight"
"  FROM mycc.queue AS q"
"  CROSS JOIN LATERAL (SELECT k.priority, k.enqueued_at FROM mycc.contact AS k"
"   WHERE k.queue_id OPERATOR(pg_catalog.=) q.id"
"   AND k.status OPERATOR(pg_catalog.=) 'queued'::mycc.contact_status"
"   ORDER BY k.queue_key, k.id LIMIT 1) AS f"
"  WHERE q.required_skills OPERATOR(mycc.<@) g.skills) AS h ON true"
" WHERE g.id OPERATOR(pg_catalog.=) $1 FOR NO KEY UPDATE OF g";

/*
 * The best waiting contact of the agent's own account customers (and of
 * customers merged into them), whatever the queue, locked; found through
 * the customers (few, by customer_account_manager_idx).
 */
static const char *const take_own_sql =
"SELECT k.customer_id, k.id"
" FROM mycc.customer AS m"
" JOIN mycc.customer AS c ON COALESCE(c.root_id, c.id) OPERATOR(pg_catalog.=) m.id"
" JOIN mycc.contact AS k ON k.customer_id OPERATOR(pg_catalog.=) c.id"
" JOIN mycc.queue AS q ON q.id OPERATOR(pg_catalog.=) k.queue_id"
" WHERE m.account_manager OPERATOR(pg_catalog.=) $1 AND m.merged_into IS NULL"
" AND k.status OPERATOR(pg_catalog.=) 'queued'::mycc.contact_status"
" ORDER BY mycc.effective_priority(k.priority, k.enqueued_at, q.target_answer, q.aging_weight) DESC,"
" k.enqueued_at, k.id"
" LIMIT 1 FOR UPDATE OF k SKIP LOCKED";

/* The first eligible contact of queue $1 no other agent holds, locked: TAKE. */
static const char *const take_head_sql =
"SELECT k.customer_id, k.id, k.priority, k.enqueued_at"
" FROM (SELECT $1::pg_catalog.int8 AS id) AS q"
" CROSS JOIN LATERAL (SELECT k.customer_id, k.id, k.priority, k.enqueued_at" ELIGIBLE_IN_QUEUE
" FOR UPDATE OF k SKIP LOCKED) AS k";

/* Gives contact ($1, $2) to agent $3 and counts it. */
static const char *const assign_sql =
"WITH busy AS (UPDATE mycc.agent AS g"
" SET active_contacts = g.active_contacts OPERATOR(pg_catalog.+) 1, last_assigned_at = pg_catalog.now()"
" WHERE g.id OPERATOR(pg_catalog.=) $3)"
" UPDATE mycc.contact AS k"
" SET status = 'assigned'::mycc.contact_status, agent_id = $3, assigned_at = pg_catalog.now()"
" WHERE k.customer_id OPERATOR(pg_catalog.=) $1 AND k.id OPERATOR(pg_catalog.=) $2";

/* The contact with id $1 and its agent, unlocked. */
static const char *const find_contact_sql =
"SELECT c.customer_id, c.agent_id FROM mycc.contact AS c WHERE c.id OPERATOR(pg_catalog.=) $1 LIMIT 1";

/* Whether more than one contact has id $1 (they differ by customer). */
static const char *const count_contact_sql =
"SELECT pg_catalog.count(*) OPERATOR(pg_catalog.>) 1"
" FROM (SELECT FROM mycc.contact AS c WHERE c.id OPERATOR(pg_catalog.=) $1 LIMIT 2) AS c";

/*
 * Frees a place of the agent of the contact with id $1, read unlocked (so
 * the agent is locked before the contact); the contact's customer and
 * agent.  No row: the contact has no agent, or its agent's row is gone.
 */
static const char *const release_agent_sql =
"UPDATE mycc.agent AS g SET active_contacts = GREATEST(g.active_contacts OPERATOR(pg_catalog.-) 1, 0)"
" FROM (SELECT c.customer_id, c.agent_id FROM mycc.contact AS c"
"  WHERE c.id OPERATOR(pg_catalog.=) $1 LIMIT 1) AS c"
" WHERE g.id OPERATOR(pg_catalog.=) c.agent_id"
" RETURNING c.customer_id, c.agent_id";

/*
 * Closes contact ($1, $2) if it is assigned to agent $3 (NULL: to no
 * agent, as a contact assigned by hand may be), with outcome $4.  (Not IS
 * NOT DISTINCT FROM: it finds its = through the caller's search_path.)
 */
static const char *const finish_sql =
"UPDATE mycc.contact AS u"
" SET status = 'finished'::mycc.contact_status, outcome = $4,"
" ended_at = GREATEST(u.started_at, COALESCE(u.ended_at, pg_catalog.now()))"
" WHERE u.customer_id OPERATOR(pg_catalog.=) $1 AND u.id OPERATOR(pg_catalog.=) $2"
" AND u.status OPERATOR(pg_catalog.=) 'assigned'::mycc.contact_status"
" AND (u.agent_id OPERATOR(pg_catalog.=) $3 OR (u.agent_id IS NULL AND $3 IS NULL))";

/*
 * The status of contact ($1, $2), once a claim that holds it ends: FOR KEY
 * SHARE waits for a claim's FOR UPDATE, and blocks no update of the row (so
 * holding it while the agent's lock is awaited cannot deadlock).
 */
static const char *const lock_contact_sql =
"SELECT c.status::pg_catalog.text FROM mycc.contact AS c"
" WHERE c.customer_id OPERATOR(pg_catalog.=) $1 AND c.id OPERATOR(pg_catalog.=) $2 FOR KEY SHARE";

/* The statements, prepared on first use in this backend. */
typedef enum Statement
{
	LOCK_AGENT,
	TAKE_OWN,
	TAKE_HEAD,
	ASSIGN,
	FIND_CONTACT,
	SHARED_ID,
	RELEASE_AGENT,
	FINISH,
	LOCK_CONTACT,
	NUM_STATEMENTS
} Statement;

static SPIPlanPtr plans[NUM_STATEMENTS];

/*
 * Runs statement s with its arguments (nulls as SPI_execute_plan takes
 * them; NULL: none is null); returns the number of rows processed.
 */
static uint64
run(Statement s, Datum *args, const char *nulls, int limit)
{
	static const struct
	{
		const char *const *sql;
		int			nargs;
		Oid			types[4];
	}			text[NUM_STATEMENTS] = {
		[LOCK_AGENT] = {&lock_agent_sql, 1, {INT8OID}},
		[TAKE_OWN] = {&take_own_sql, 1, {INT8OID}},
		[TAKE_HEAD] = {&take_head_sql, 2, {INT8OID, TIMESTAMPTZOID}},
		[ASSIGN] = {&assign_sql, 3, {INT8OID, INT8OID, INT8OID}},
		[FIND_CONTACT] = {&find_contact_sql, 1, {INT8OID}},
		[SHARED_ID] = {&count_contact_sql, 1, {INT8OID}},
		[RELEASE_AGENT] = {&release_agent_sql, 1, {INT8OID}},
		[FINISH] = {&finish_sql, 4, {INT8OID, INT8OID, INT8OID, TEXTOID}},
		[LOCK_CONTACT] = {&lock_contact_sql, 2, {INT8OID, INT8OID}},
	};
	int			rc;

	if (plans[s] == NULL)
	{
		/*
		 * Generic plans: the arguments do not change the best plan, and a
		 * custom plan would be planned again on every call.
		 */
		SPIPlanPtr	plan = SPI_prepare_cursor(*text[s].sql, text[s].nargs, (Oid *) text[s].types,
											  CURSOR_OPT_GENERIC_PLAN);

		if (plan == NULL || SPI_keepplan(plan) != 0)
			elog(ERROR, "could not prepare \"%s\": %s", *text[s].sql,
				 SPI_result_code_string(SPI_result));
		plans[s] = plan;
	}
	rc = SPI_execute_plan(plans[s], args, nulls, false, limit);
	if (rc < 0)
		elog(ERROR, "could not run \"%s\": %s", *text[s].sql, SPI_result_code_string(rc));
	return SPI_processed;
}

/* Column col (1-based) of result row r, or isnull. */
static Datum
column(uint64 r, int col, bool *isnull)
{
	return SPI_getbinval(SPI_tuptable->vals[r], SPI_tuptable->tupdesc, col, isnull);
}

/* Column col of result row r as int8 (a column that is never null). */
static int64
int8_column(uint64 r, int col)
{
	bool		isnull;
	Datum		d = column(r, col, &isnull);

	Assert(!isnull);
	return DatumGetInt64(d);
}

/*
 * Column col of result row r, an arrival time: NULL as +infinity, which
 * sorts last as ORDER BY enqueued_at does.
 */
static TimestampTz
arrival_column(uint64 r, int col)
{
	bool		isnull;
	Datum		d = column(r, col, &isnull);

	return isnull ? DT_NOEND : DatumGetTimestampTz(d);
}

/* Column col of result row r, a base priority: NULL as 0. */
static double
base_column(uint64 r, int col)
{
	bool		isnull;
	Datum		d = column(r, col, &isnull);

	return isnull ? 0.0 : (double) DatumGetInt32(d);
}

/* Whether claim a goes before claim b: effective priority, then arrival, id. */
static bool
claim_before(const Claim *a, const Claim *b)
{
	if (a->priority != b->priority)
		return a->priority > b->priority;
	if (a->enqueued_at != b->enqueued_at)
		return a->enqueued_at < b->enqueued_at;
	return a->id < b->id;
}

/*
 * The queues of LOCK_AGENT's result (columns 4 to 8 of each row; none when
 * column 4 is null), best bound first.
 */
static int
read_heads(TimestampTz now, QueueHead **heads)
{
	int			nrows = (int) SPI_processed;
	QueueHead  *h = palloc(sizeof(QueueHead) * nrows);
	int			n = 0;

	for (int r = 0; r < nrows; r++)
	{
		bool		isnull;
		Datum		queue_id = column(r, 4, &isnull);

		if (isnull)
			continue;
		h[n].queue_id = DatumGetInt64(queue_id);
		h[n].target_seconds = DatumGetFloat8(column(r, 7, &isnull));
		h[n].aging_weight = DatumGetFloat8(column(r, 8, &isnull));
		h[n].bound = claim_effective_priority(base_column(r, 5), arrival_column(r, 6), now,
											  h[n].target_seconds, h[n].aging_weight);
		n++;
	}
	claim_sort_heads(h, n);
	*heads = h;
	return n;
}

/*
 * Takes (locks) the first free eligible contact of a queue, if any:
 * directly (dc), or by TAKE_HEAD.
 */
static bool
take_head(DirectClaim *dc, const QueueHead *queue, TimestampTz now, TimestampTz hold_until,
		  Claim *claim)
{
	Datum		args[2] = {Int64GetDatum(queue->queue_id), TimestampTzGetDatum(hold_until)};

	if (dc != NULL)
		return direct_claim_take_head(dc, queue, now, hold_until, claim);
	if (run(TAKE_HEAD, args, NULL, 1) == 0)
		return false;
	claim->customer_id = int8_column(0, 1);
	claim->id = int8_column(0, 2);
	claim->enqueued_at = arrival_column(0, 4);
	claim->priority = claim_effective_priority(base_column(0, 3), claim->enqueued_at, now,
											   queue->target_seconds, queue->aging_weight);
	return true;
}

/*
 * The best contact of these queues (best bound first) that no other agent
 * holds (see the file header), locked; false if there is none.
 */
static bool
take_best_head(DirectClaim *dc, const QueueHead *heads, int n, TimestampTz now, Claim *best)
{
	TimestampTz hold_until = now - (TimestampTz) routing_account_manager_hold() * USECS_PER_SEC;
	bool		found = false;

	for (int i = 0; i < n; i++)
	{
		Claim		c;

		/* No contact of this queue or the next can beat the best taken. */
		if (found && best->priority > heads[i].bound)
			break;
		if (take_head(dc, &heads[i], now, hold_until, &c) && (!found || claim_before(&c, best)))
		{
			*best = c;
			found = true;
		}
	}
	return found;
}

/*
 * Locks the agent and reads the heads of its queues by LOCK_AGENT; false
 * if the agent does not exist.
 */
static bool
lock_agent_by_sql(int64 agent_id, TimestampTz now, AgentState *agent,
				  QueueHead **heads, int *nheads)
{
	Datum		args[1] = {Int64GetDatum(agent_id)};
	bool		isnull;

	if (run(LOCK_AGENT, args, NULL, 0) == 0)
		return false;
	agent->status = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
	agent->full = DatumGetBool(column(0, 2, &isnull));
	agent->manages = DatumGetBool(column(0, 3, &isnull));
	*nheads = read_heads(now, heads);
	return true;
}

/*
 * Locks the agent and reads the heads of its queues, directly (dc) or by
 * SQL; errors if it does not exist or is not available.  Returns whether
 * it has room for a contact, and whether it manages customers.
 */
static bool
lock_available_agent(DirectClaim *dc, int64 agent_id, TimestampTz now, bool *manages,
					 QueueHead **heads, int *nheads)
{
	AgentState	agent;
	bool		exists;

	*nheads = 0;
	if (dc != NULL)
		exists = direct_claim_lock_agent(dc, agent_id, &agent);
	else
		exists = lock_agent_by_sql(agent_id, now, &agent, heads, nheads);
	if (!exists)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("agent %lld does not exist", (long long) agent_id)));
	if (strcmp(agent.status, "available") != 0)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("agent %lld is %s", (long long) agent_id, agent.status),
				 errhint("Set the agent's status to available first.")));
	*manages = agent.manages;
	/* Full: has as many contacts as its capacity; no queue is read. */
	if (agent.full)
		return false;
	if (dc != NULL)
		*nheads = direct_claim_heads(dc, now, heads);
	return true;
}

PG_FUNCTION_INFO_V1(mycc_next_contact);
/*
 * next_contact(agent) -> contact id: gives the agent its own account
 * customers' best waiting contact, else the best one of the queues its
 * skills cover, or NULL (nothing waiting, or the agent is full).
 */
Datum
mycc_next_contact(PG_FUNCTION_ARGS)
{
	int64		agent_id = PG_GETARG_INT64(0);
	Datum		args[3];
	Claim		claim = {0};
	bool		found = false;
	bool		manages;
	TimestampTz now = GetCurrentTransactionStartTimestamp();
	QueueHead  *heads = NULL;
	int			nheads;
	DirectClaim *dc;

	SPI_connect();
	/* NULL: the claim reads and locks by SQL (see claim.c). */
	dc = direct_claim_begin(DIRECT_CLAIM);
	if (lock_available_agent(dc, agent_id, now, &manages, &heads, &nheads))
	{
		args[0] = Int64GetDatum(agent_id);
		if (manages && run(TAKE_OWN, args, NULL, 1) == 1)
		{
			claim.customer_id = int8_column(0, 1);
			claim.id = int8_column(0, 2);
			found = true;
		}
		else
			found = take_best_head(dc, heads, nheads, now, &claim);
	}
	if (found && dc != NULL && ItemPointerIsValid(&claim.tid))
		direct_assign(dc, &claim, agent_id, now);
	else if (found)
	{
		args[0] = Int64GetDatum(claim.customer_id);
		args[1] = Int64GetDatum(claim.id);
		args[2] = Int64GetDatum(agent_id);
		run(ASSIGN, args, NULL, 0);
	}
	if (dc != NULL)
		direct_claim_end(dc);
	SPI_finish();
	if (!found)
		PG_RETURN_NULL();
	PG_RETURN_INT64(claim.id);
}

/*
 * Closes contact (customer_id, id) if it is assigned to agent holder (or,
 * holder_null, to no agent); false if not.
 */
static bool
finish_assigned(int64 customer_id, int64 id, Datum holder, bool holder_null, text *outcome)
{
	Datum		args[4] = {Int64GetDatum(customer_id), Int64GetDatum(id), holder,
	PointerGetDatum(outcome)};
	char		nulls[4] = {' ', ' ', holder_null ? 'n' : ' ', outcome == NULL ? 'n' : ' '};

	return run(FINISH, args, nulls, 0) == 1;
}

/* Errors with the contact's id. */
static void
report_missing(int64 id)
{
	ereport(ERROR,
			(errcode(ERRCODE_UNDEFINED_OBJECT),
			 errmsg("contact %lld does not exist", (long long) id)));
}

/*
 * Errors for an id that contacts of several customers have (contact ids
 * are unique with the customer id: one given by hand may repeat another).
 */
static void
report_not_unique(int64 id)
{
	ereport(ERROR,
			(errcode(ERRCODE_CARDINALITY_VIOLATION),
			 errmsg("contact id %lld is not unique", (long long) id),
			 errdetail("Contacts of more than one customer have this id."),
			 errhint("Give contacts ids from mycc.contact_id_seq (the column's default).")));
}

/*
 * Errors with what a contact that could not be finished is (status, once
 * a claim holding it ended), unless it is assigned and may be finished on
 * a second round: it had no agent when read (a claim was giving it to one).
 */
static void
report_status(int64 id, const char *status, bool second_round)
{
	if (strcmp(status, "assigned") != 0)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("contact %lld is %s, not assigned", (long long) id, status),
				 errhint("Only a contact given to an agent by next_contact can be finished.")));
	if (second_round)
		ereport(ERROR,
				(errcode(ERRCODE_T_R_SERIALIZATION_FAILURE),
				 errmsg("contact %lld was given to another agent while it was being finished",
						(long long) id),
				 errhint("Retry the transaction.")));
}

/* finish by SQL: SHARED_ID, then RELEASE_AGENT or FIND_CONTACT, FINISH, LOCK_CONTACT. */
static void
finish_by_sql(int64 contact_id, text *outcome)
{
	Datum		id = Int64GetDatum(contact_id);
	bool		isnull;

	run(SHARED_ID, &id, NULL, 0);
	if (DatumGetBool(column(0, 1, &isnull)))
		report_not_unique(contact_id);
	for (int round = 0;; round++)
	{
		Datum		args[2] = {Int64GetDatum(contact_id)};
		int64		customer_id;
		bool		unassigned;
		Datum		holder;

		if (run(RELEASE_AGENT, args, NULL, 0) == 0 && run(FIND_CONTACT, args, NULL, 0) == 0)
			report_missing(contact_id);
		customer_id = int8_column(0, 1);
		holder = column(0, 2, &unassigned);
		if (finish_assigned(customer_id, contact_id, holder, unassigned, outcome))
			return;
		args[0] = Int64GetDatum(customer_id);
		args[1] = Int64GetDatum(contact_id);
		if (run(LOCK_CONTACT, args, NULL, 0) == 0)
			report_missing(contact_id);
		report_status(contact_id, SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1),
					  round > 0 || !unassigned);
	}
}

/* finish directly (claim.c), the same rounds. */
static void
finish_directly(DirectClaim *dc, int64 contact_id, text *outcome)
{
	TimestampTz now = GetCurrentTransactionStartTimestamp();

	for (int round = 0;; round++)
	{
		char	   *status = NULL;
		int			found = direct_finish_round(dc, contact_id, PointerGetDatum(outcome),
												outcome == NULL, now, &status);

		if (found == DIRECT_FINISH_DONE)
			return;
		if (found == DIRECT_FINISH_MISSING)
			report_missing(contact_id);
		if (found == DIRECT_FINISH_NOT_UNIQUE)
			report_not_unique(contact_id);
		report_status(contact_id, status, round > 0 || found == DIRECT_FINISH_OTHER);
	}
}

PG_FUNCTION_INFO_V1(mycc_finish);
/*
 * finish(contact, outcome): closes an assigned contact and frees its
 * agent's place; 55000 if it is not assigned, 42704 if it does not exist.
 * The agent's place is freed first (its lock before the contact's); if the
 * contact then is not the agent's to close, the error undoes that.  A
 * contact that had no agent when read but is assigned once the claim
 * holding it ends is finished on a second round; at most two rounds.
 */
Datum
mycc_finish(PG_FUNCTION_ARGS)
{
	int64		contact_id;
	text	   *outcome = PG_ARGISNULL(1) ? NULL : PG_GETARG_TEXT_PP(1);
	DirectClaim *dc;

	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("contact id must not be null")));
	contact_id = PG_GETARG_INT64(0);
	SPI_connect();
	/* NULL: finish by SQL (see claim.c). */
	dc = direct_claim_begin(DIRECT_FINISH);
	if (dc != NULL)
	{
		finish_directly(dc, contact_id, outcome);
		direct_claim_end(dc);
	}
	else
		finish_by_sql(contact_id, outcome);
	SPI_finish();
	PG_RETURN_VOID();
}
