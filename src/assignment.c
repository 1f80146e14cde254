/*
 * assignment.c
 *		mycc.next_contact(agent), mycc.finish(contact, outcome) and
 *		mycc.contact_by_id(contact): agents take waiting contacts and close
 *		them (docs/routing.md#concurrency).
 *
 * The claim and the finish are SQL statements, run through SPI: each is
 * prepared once per backend with a generic plan (kept; the plan cache
 * plans it again after a change to the tables it reads) and run with the
 * caller's rights.  This file holds their order and their errors, nothing
 * of the rules: effective priority and the queue key are the SQL functions
 * of src/sql/routing.sql, which the statements call.  Every name in the
 * statements is schema-qualified and every operator written OPERATOR(...),
 * so a caller's search_path cannot change what they run (the security test
 * calls them under the most hostile one).  They are C, not PL/pgSQL, for
 * two costs on the path every contact takes twice: the interpreter's own
 * steps between the statements, and the five custom plans PL/pgSQL's plan
 * cache makes of each statement in every new connection before it settles
 * on the generic plan (docs/performance.md#routing-and-assignment).
 *
 * Claiming.  A queue's waiting contacts are read from
 * contact_queue_order_idx in queue_key order, which is the order of
 * effective priority at any moment; so the first waiting contact of a
 * queue bounds what the queue can give.  A claim runs rounds of one
 * statement (round_sql): the agent's place taken (first round only: its
 * row updated, active_contacts + 1, which locks it; only if it is
 * available, has room and something waits for it, else the agent is
 * locked and read in one more statement); the heads of the queues its
 * skills cover and no earlier round visited, read without locking them;
 * and the first contact no other agent holds locked in the queue of the
 * best head (FOR UPDATE SKIP LOCKED LIMIT 1).  When it is the first
 * contact the claim holds and it beats the next queue's head, the round
 * takes it at once (DELETE of its row); so it usually goes: the first
 * queue's head is free, beats the others, and one round takes it.
 * Otherwise rounds go on until the best contact held beats the next
 * queue's head, and the best is taken then (one statement more); the
 * others it held stay where they are, locked until the claim's transaction
 * ends, as a claim in progress holds them (skipped by other agents, then
 * free again).  Then the contact is given (its row of mycc.contact, by its
 * customer id): a claim is two statements.  The rounds touch the
 * coordinator-local tables (agent, queue, contact_queue) only, the giving
 * mycc.contact only, by its distribution column: on a Citus cluster
 * (design.md section 8) no statement mixes a local and a distributed
 * table, and the giving goes to one shard.  Nothing held (every head held
 * by other agents), the agent's place is given back.
 *
 * Lock order, here and in abandon and re-routing: the agent's row, then
 * the waiting contact's row of contact_queue, then the contact.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "nodes/parsenodes.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/float.h"
#include "utils/timestamp.h"

/* A statement prepared once per backend, with a generic plan. */
typedef struct Statement
{
	const char *sql;
	int			nargs;
	Oid			argtypes[5];
	SPIPlanPtr	plan;
} Statement;

/*
 * A round of a claim.  $1 the agent, $2 the queues earlier rounds visited,
 * $3 whether the agent's place is taken, $4 whether its own account
 * customers were tried, $5 whether no contact is held yet.  own: contacts
 * wait for the agent as their account manager (taken first, whatever the
 * queue, by take_own).  The place is taken by an update (FOR NO KEY
 * UPDATE: a customer given this agent as account manager, whose reference
 * check locks the agent FOR KEY SHARE, does not wait for claims); a
 * concurrent claim for the same agent waits for it, then sees its count.
 * A queue's first contact held is the first no account manager holds
 * (past mycc.account_manager_hold, anyone skilled may take it).
 */
static Statement round_sql = {
	.sql =
	"WITH hd AS ("
	" SELECT q.id, q.target_answer, q.aging_weight,"
	"  mycc.effective_priority(f.priority, f.enqueued_at, q.target_answer, q.aging_weight) AS bound"
	" FROM mycc.agent AS g"
	" JOIN mycc.queue AS q ON q.required_skills OPERATOR(mycc.<@) g.skills"
	" CROSS JOIN LATERAL (SELECT w.priority, w.enqueued_at FROM mycc.contact_queue AS w"
	"  WHERE w.queue_id OPERATOR(pg_catalog.=) q.id ORDER BY w.queue_key, w.contact_id LIMIT 1) AS f"
	" WHERE g.id OPERATOR(pg_catalog.=) $1 AND NOT q.id OPERATOR(pg_catalog.=) ANY ($2)),"
	"own AS ("
	" SELECT NOT $4 AND EXISTS (SELECT FROM mycc.contact_queue AS m"
	"  WHERE m.manager_id OPERATOR(pg_catalog.=) $1) AS own),"
	"seat AS ("
	" UPDATE mycc.agent AS a"
	" SET active_contacts = a.active_contacts OPERATOR(pg_catalog.+) 1, last_assigned_at = pg_catalog.now()"
	" WHERE a.id OPERATOR(pg_catalog.=) $1 AND NOT $3"
	"  AND a.status OPERATOR(pg_catalog.=) 'available' AND a.active_contacts OPERATOR(pg_catalog.<) a.capacity"
	"  AND ((SELECT o.own FROM own AS o) OR EXISTS (SELECT FROM hd))"
	" RETURNING a.id),"
	"pick AS ("
	" SELECT hd.id, hd.target_answer, hd.aging_weight FROM hd"
	" WHERE ($3 OR EXISTS (SELECT FROM seat)) AND NOT (SELECT o.own FROM own AS o)"
	" ORDER BY hd.bound DESC, hd.id LIMIT 1),"
	"second AS ("
	" SELECT hd.bound FROM hd ORDER BY hd.bound DESC, hd.id OFFSET 1 LIMIT 1),"
	"next AS ("
	" SELECT w.customer_id, w.contact_id, w.enqueued_at,"
	"  mycc.effective_priority(w.priority, w.enqueued_at,"
	"   (SELECT p.target_answer FROM pick AS p), (SELECT p.aging_weight FROM pick AS p)) AS priority"
	" FROM mycc.contact_queue AS w"
	" WHERE w.queue_id OPERATOR(pg_catalog.=) (SELECT p.id FROM pick AS p)"
	"  AND (w.manager_id IS NULL"
	"   OR w.enqueued_at OPERATOR(pg_catalog.<=) (pg_catalog.now() OPERATOR(pg_catalog.-) mycc.account_manager_hold()))"
	" ORDER BY w.queue_key, w.contact_id"
	" LIMIT 1 FOR UPDATE SKIP LOCKED),"
	"take AS ("
	/* The first contact held, and better than the next queue's head: taken now. */
	" DELETE FROM mycc.contact_queue AS w USING next"
	" WHERE w.customer_id OPERATOR(pg_catalog.=) next.customer_id"
	"  AND w.contact_id OPERATOR(pg_catalog.=) next.contact_id AND $5"
	"  AND NOT EXISTS (SELECT FROM second AS n WHERE n.bound OPERATOR(pg_catalog.>=) next.priority)"
	" RETURNING w.contact_id)"
	"SELECT $3 OR EXISTS (SELECT FROM seat), (SELECT o.own FROM own AS o),"
	" (SELECT o.own FROM own AS o) OR EXISTS (SELECT FROM hd),"
	" (SELECT p.id FROM pick AS p), (SELECT n.customer_id FROM next AS n),"
	" (SELECT n.contact_id FROM next AS n), (SELECT n.enqueued_at FROM next AS n),"
	" (SELECT n.priority FROM next AS n), EXISTS (SELECT FROM take),"
	" (SELECT n.bound FROM second AS n)",
	.nargs = 5,
	.argtypes = {INT8OID, INT8ARRAYOID, BOOLOID, BOOLOID, BOOLOID}
};

/* The columns of round_sql's row. */
enum
{
	ROUND_PLACED = 1,
	ROUND_OWN,
	ROUND_WAITING,
	ROUND_QUEUE,
	ROUND_CUSTOMER,
	ROUND_CONTACT,
	ROUND_ARRIVAL,
	ROUND_PRIORITY,
	ROUND_TAKEN,
	ROUND_NEXT_BOUND
};

/*
 * No place taken: agent $1 locked all the same (a finish of its contact in
 * progress waited for, and its claims and finishes serialised as when a
 * place is taken), with its status and whether it is full.
 */
static Statement lock_agent_sql = {
	.sql = "SELECT a.status::pg_catalog.text, a.active_contacts OPERATOR(pg_catalog.>=) a.capacity"
	" FROM mycc.agent AS a WHERE a.id OPERATOR(pg_catalog.=) $1 FOR NO KEY UPDATE",
	.nargs = 1,
	.argtypes = {INT8OID}
};

/* Agent $1's own account customers' best waiting contact, whatever the queue. */
static Statement take_own_sql = {
	.sql = "WITH next AS ("
	" SELECT w.customer_id, w.contact_id FROM mycc.contact_queue AS w"
	" JOIN mycc.queue AS q ON q.id OPERATOR(pg_catalog.=) w.queue_id"
	" WHERE w.manager_id OPERATOR(pg_catalog.=) $1"
	" ORDER BY mycc.effective_priority(w.priority, w.enqueued_at, q.target_answer, q.aging_weight) DESC,"
	"  w.enqueued_at, w.contact_id"
	" LIMIT 1 FOR UPDATE OF w SKIP LOCKED)"
	" DELETE FROM mycc.contact_queue AS w USING next"
	" WHERE w.customer_id OPERATOR(pg_catalog.=) next.customer_id"
	"  AND w.contact_id OPERATOR(pg_catalog.=) next.contact_id"
	" RETURNING w.customer_id, w.contact_id",
	.nargs = 1,
	.argtypes = {INT8OID}
};

/* A place of agent $1 given back (by a claim that found nothing, by finish). */
static Statement free_place_sql = {
	.sql = "UPDATE mycc.agent AS g SET active_contacts = GREATEST(g.active_contacts OPERATOR(pg_catalog.-) 1, 0)"
	" WHERE g.id OPERATOR(pg_catalog.=) $1",
	.nargs = 1,
	.argtypes = {INT8OID}
};

/* The best held, found in a later round: its row (locked since) out of the queue. */
static Statement take_held_sql = {
	.sql = "DELETE FROM mycc.contact_queue AS w"
	" WHERE w.customer_id OPERATOR(pg_catalog.=) $1 AND w.contact_id OPERATOR(pg_catalog.=) $2",
	.nargs = 2,
	.argtypes = {INT8OID, INT8OID}
};

/* Contact ($1, $2) given to agent $3, if it still waits. */
static Statement give_sql = {
	.sql = "UPDATE mycc.contact AS k"
	" SET status = 'assigned', agent_id = $3, assigned_at = pg_catalog.now()"
	" WHERE k.customer_id OPERATOR(pg_catalog.=) $1 AND k.id OPERATOR(pg_catalog.=) $2"
	"  AND k.status OPERATOR(pg_catalog.=) 'queued'",
	.nargs = 3,
	.argtypes = {INT8OID, INT8OID, INT8OID}
};

/* The contacts with id $1, unlocked (two at most: ids repeat only by hand). */
static Statement contact_by_id_sql = {
	.sql = "SELECT c.customer_id, c.agent_id, c.status FROM mycc.contact AS c"
	" WHERE c.id OPERATOR(pg_catalog.=) $1 LIMIT 2",
	.nargs = 1,
	.argtypes = {INT8OID}
};

/*
 * Contact ($1, $2) closed with outcome $3, if it is assigned to agent $4
 * (or to none, when $4 is NULL).  (Not IS NOT DISTINCT FROM: it finds its =
 * through the search_path.)
 */
static Statement close_sql = {
	.sql = "UPDATE mycc.contact AS u"
	" SET status = 'finished', outcome = $3,"
	"  ended_at = GREATEST(u.started_at, COALESCE(u.ended_at, pg_catalog.now()))"
	" WHERE u.customer_id OPERATOR(pg_catalog.=) $1 AND u.id OPERATOR(pg_catalog.=) $2"
	"  AND u.status OPERATOR(pg_catalog.=) 'assigned'"
	"  AND (u.agent_id OPERATOR(pg_catalog.=) $4 OR (u.agent_id IS NULL AND $4 IS NULL))",
	.nargs = 4,
	.argtypes = {INT8OID, INT8OID, TEXTOID, INT8OID}
};

/*
 * What contact ($1, $2) is once a claim giving it away ends: the claim
 * holds its row of contact_queue (deleted), which FOR KEY SHARE waits for;
 * then the contact, read FOR KEY SHARE, which blocks no update of it (a
 * supervisor holding the agent may still change the contact).
 */
static Statement wait_for_claim_sql = {
	.sql = "SELECT FROM mycc.contact_queue AS w"
	" WHERE w.customer_id OPERATOR(pg_catalog.=) $1 AND w.contact_id OPERATOR(pg_catalog.=) $2"
	" FOR KEY SHARE",
	.nargs = 2,
	.argtypes = {INT8OID, INT8OID}
};

static Statement status_now_sql = {
	.sql = "SELECT c.status::pg_catalog.text FROM mycc.contact AS c"
	" WHERE c.customer_id OPERATOR(pg_catalog.=) $1 AND c.id OPERATOR(pg_catalog.=) $2"
	" FOR KEY SHARE",
	.nargs = 2,
	.argtypes = {INT8OID, INT8OID}
};

/*
 * Runs statement s with these arguments (nulls as SPI takes them: 'n' for
 * a NULL, ' ' otherwise, or NULL for none), preparing it on first use;
 * returns the number of rows it processed.  read_only: run in the caller's
 * snapshot (a STABLE function), else in a new one after the previous
 * statement's changes, as a VOLATILE function's statements are.
 */
static uint64
run(Statement *s, Datum *args, const char *nulls, bool read_only)
{
	int			rc;

	if (s->plan == NULL)
	{
		SPIPlanPtr	plan = SPI_prepare_cursor(s->sql, s->nargs, s->argtypes, CURSOR_OPT_GENERIC_PLAN);

		if (plan == NULL)
			elog(ERROR, "could not prepare a statement of mycc's assignment: %s",
				 SPI_result_code_string(SPI_result));
		if (SPI_keepplan(plan) != 0)
			elog(ERROR, "could not keep a statement of mycc's assignment");
		s->plan = plan;
	}
	rc = SPI_execute_plan(s->plan, args, nulls, read_only, 0);
	if (rc < 0)
		elog(ERROR, "a statement of mycc's assignment failed: %s", SPI_result_code_string(rc));
	return SPI_processed;
}

/* Column col of the first row of the last statement's result. */
static Datum
column(int col, bool *isnull)
{
	return SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, col, isnull);
}

static bool
column_bool(int col)
{
	bool		isnull;
	Datum		d = column(col, &isnull);

	return !isnull && DatumGetBool(d);
}

/* The contact a statement reads by its id: its customer, agent and status. */
typedef struct ContactRef
{
	int64		customer_id;
	int64		agent_id;
	bool		has_agent;
	Datum		status;			/* mycc.contact_status, by value */
} ContactRef;

/* 42704 for a contact id no contact has (NULL: none has it). */
static void
pg_attribute_noreturn()
report_no_contact(int64 id, bool id_null)
{
	if (id_null)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("contact <NULL> does not exist")));
	ereport(ERROR,
			(errcode(ERRCODE_UNDEFINED_OBJECT),
			 errmsg("contact " INT64_FORMAT " does not exist", id)));
}

/*
 * The contact with this id, unlocked; 42704 if there is none, 21000 when
 * contacts of several customers have the id (ids are unique with the
 * customer id; one given by hand may repeat another), which would leave
 * the row to chance.  id_null: the id is NULL (no contact has it).
 */
static void
contact_by_id(int64 id, bool id_null, bool read_only, ContactRef *k)
{
	Datum		arg = Int64GetDatum(id);
	uint64		found = run(&contact_by_id_sql, &arg, id_null ? "n" : NULL, read_only);
	bool		isnull;

	if (found == 0)
		report_no_contact(id, id_null);
	if (found > 1)
		ereport(ERROR,
				(errcode(ERRCODE_CARDINALITY_VIOLATION),
				 errmsg("contact id " INT64_FORMAT " is not unique", id),
				 errdetail("Contacts of more than one customer have this id."),
				 errhint("Give contacts ids from mycc.contact_id_seq (the column's default).")));
	k->customer_id = DatumGetInt64(column(1, &isnull));
	k->agent_id = DatumGetInt64(column(2, &isnull));
	k->has_agent = !isnull;
	k->status = column(3, &isnull);
}

PG_FUNCTION_INFO_V1(mycc_contact_by_id);
/* contact_by_id(contact_id) -> (customer_id, agent_id, status). */
Datum
mycc_contact_by_id(PG_FUNCTION_ARGS)
{
	ContactRef	k;
	TupleDesc	desc;
	Datum		values[3];
	bool		nulls[3] = {false, false, false};

	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "contact_by_id must return a record");
	SPI_connect();
	contact_by_id(PG_ARGISNULL(0) ? 0 : PG_GETARG_INT64(0), PG_ARGISNULL(0), true, &k);
	SPI_finish();
	values[0] = Int64GetDatum(k.customer_id);
	values[1] = Int64GetDatum(k.agent_id);
	nulls[1] = !k.has_agent;
	values[2] = k.status;
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(desc), values, nulls)));
}

/* A contact a claim holds: its customer, id, arrival, effective priority. */
typedef struct Held
{
	int64		customer_id;
	int64		id;
	bool		has_arrival;
	TimestampTz arrival;
	float8		priority;
} Held;

/* The contact the last round held, into *h; false if it held none. */
static bool
round_held(Held *h)
{
	bool		isnull;

	h->id = DatumGetInt64(column(ROUND_CONTACT, &isnull));
	if (isnull)
		return false;
	h->customer_id = DatumGetInt64(column(ROUND_CUSTOMER, &isnull));
	h->arrival = DatumGetTimestampTz(column(ROUND_ARRIVAL, &isnull));
	h->has_arrival = !isnull;
	h->priority = DatumGetFloat8(column(ROUND_PRIORITY, &isnull));
	return true;
}

/*
 * Whether contact a is better than b: effective priority (in float8's
 * order, NaN highest, as SQL sorts it), then arrival (unknown last), then
 * id.
 */
static bool
held_better(const Held *a, const Held *b)
{
	TimestampTz a_arrival = a->has_arrival ? a->arrival : DT_NOEND;
	TimestampTz b_arrival = b->has_arrival ? b->arrival : DT_NOEND;

	if (!float8_eq(a->priority, b->priority))
		return float8_gt(a->priority, b->priority);
	if (a_arrival != b_arrival)
		return a_arrival < b_arrival;
	return a->id < b->id;
}

/* The round's arguments' second: the queues visited, as int8[]. */
static Datum
visited_array(const int64 *queues, int n)
{
	Datum	   *elems = palloc(sizeof(Datum) * Max(n, 1));

	for (int i = 0; i < n; i++)
		elems[i] = Int64GetDatum(queues[i]);
	return PointerGetDatum(construct_array(elems, n, INT8OID, sizeof(int64), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
}

/*
 * The agent holds no place (not available or full as of the round's
 * snapshot, or nothing waiting for it): the agent locked, then why.
 * Raises 42704 or 55000; returns whether it has room now.
 */
static bool
agent_has_room(int64 agent_id)
{
	Datum		arg = Int64GetDatum(agent_id);
	bool		isnull;
	char	   *status;

	if (run(&lock_agent_sql, &arg, NULL, false) == 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("agent " INT64_FORMAT " does not exist", agent_id)));
	status = TextDatumGetCString(column(1, &isnull));
	if (strcmp(status, "available") != 0)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("agent " INT64_FORMAT " is %s", agent_id, status),
				 errhint("Set the agent's status to available first.")));
	return !column_bool(2);
}

/* What a claim's rounds end with. */
typedef enum
{
	CLAIM_NONE,					/* no place, or no contact: NULL */
	CLAIM_TAKEN,				/* the contact out of the queue */
	CLAIM_HELD					/* the best held, still in the queue */
} ClaimEnd;

/*
 * The rounds of one claim (the file header): the contact taken or held in
 * *best.  *placed: the agent's place is taken (kept across claims of one
 * call); *own_tried, *locked: as the round statement's arguments.
 */
static ClaimEnd
claim_rounds(int64 agent_id, bool *placed, bool *own_tried, bool *locked, Held *best)
{
	int64	   *visited = palloc(sizeof(int64) * 8);
	int			nvisited = 0;
	int			room = 8;
	bool		holding = false;

	for (;;)
	{
		Datum		args[5];
		bool		isnull;

		args[0] = Int64GetDatum(agent_id);
		args[1] = visited_array(visited, nvisited);
		args[2] = BoolGetDatum(*placed);
		args[3] = BoolGetDatum(*own_tried);
		args[4] = BoolGetDatum(!holding);
		run(&round_sql, args, NULL, false);
		if (column_bool(ROUND_TAKEN))
		{
			(void) round_held(best);
			return CLAIM_TAKEN;
		}
		if (!column_bool(ROUND_PLACED))
		{
			bool		waiting = column_bool(ROUND_WAITING);

			/* A place freed meanwhile with contacts waiting: a round again, once. */
			if (agent_has_room(agent_id) && waiting && !*locked)
			{
				*locked = true;
				continue;
			}
			return CLAIM_NONE;
		}
		*placed = true;
		if (column_bool(ROUND_OWN))
		{
			/* Its own account customers' best waiting contact (once). */
			Datum		arg = Int64GetDatum(agent_id);

			*own_tried = true;
			if (run(&take_own_sql, &arg, NULL, false) > 0)
			{
				best->customer_id = DatumGetInt64(column(1, &isnull));
				best->id = DatumGetInt64(column(2, &isnull));
				return CLAIM_TAKEN;
			}
			continue;
		}
		{
			Datum		queue = column(ROUND_QUEUE, &isnull);
			Datum		next_bound;
			bool		no_next;
			Held		h;

			/* No queue left. */
			if (isnull)
				break;
			if (nvisited == room)
			{
				room *= 2;
				visited = repalloc(visited, sizeof(int64) * room);
			}
			visited[nvisited++] = DatumGetInt64(queue);
			if (round_held(&h) && (!holding || held_better(&h, best)))
			{
				*best = h;
				holding = true;
			}
			/* No contact of the next queue can beat the best held. */
			next_bound = column(ROUND_NEXT_BOUND, &no_next);
			if (holding && (no_next || float8_gt(best->priority, DatumGetFloat8(next_bound))))
				break;
		}
	}
	return holding ? CLAIM_HELD : CLAIM_NONE;
}

PG_FUNCTION_INFO_V1(mycc_claim_next_contact);
/*
 * next_contact(agent_id) -> the contact given, or NULL.  (The C symbol
 * mycc_next_contact is mycc 0.2.0's, src/routing.c.)
 */
Datum
mycc_claim_next_contact(PG_FUNCTION_ARGS)
{
	int64		agent_id = PG_GETARG_INT64(0);
	bool		placed = false;
	bool		own_tried = false;
	bool		locked = false;
	Held		best = {0};

	/* (Its statements would fail too, with the whole round as context.) */
	PreventCommandIfReadOnly("mycc.next_contact()");
	SPI_connect();
	for (;;)
	{
		ClaimEnd	end = claim_rounds(agent_id, &placed, &own_tried, &locked, &best);
		Datum		args[3];

		if (end == CLAIM_NONE)
		{
			/* Nothing given: the agent's place back. */
			if (placed)
			{
				args[0] = Int64GetDatum(agent_id);
				run(&free_place_sql, args, NULL, false);
			}
			SPI_finish();
			PG_RETURN_NULL();
		}
		args[0] = Int64GetDatum(best.customer_id);
		args[1] = Int64GetDatum(best.id);
		args[2] = Int64GetDatum(agent_id);
		if (end == CLAIM_HELD)
			run(&take_held_sql, args, NULL, false);
		if (run(&give_sql, args, NULL, false) > 0)
		{
			SPI_finish();
			PG_RETURN_INT64(best.id);
		}
		/*
		 * The row was one a hand edit left behind (the contact no longer
		 * waits): it is gone now; claim again, in the place taken.
		 */
	}
}

PG_FUNCTION_INFO_V1(mycc_claim_finish);
/*
 * finish(contact_id, outcome): three statements, the contact read unlocked
 * (contact_by_id), its agent's place freed (the agent's lock before the
 * contact's, as in next_contact), the contact closed (by its customer id:
 * one shard on a Citus cluster).  If the contact then is not the agent's
 * to close, the error undoes the second.  A contact that had no agent when
 * read but is assigned once the claim holding it ends is finished on a
 * second round; at most two rounds.  (The C symbol mycc_finish is mycc
 * 0.2.0's, src/routing.c.)
 */
Datum
mycc_claim_finish(PG_FUNCTION_ARGS)
{
	int64		contact_id;
	Datum		outcome = PG_ARGISNULL(1) ? (Datum) 0 : PG_GETARG_DATUM(1);

	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("contact id must not be null")));
	contact_id = PG_GETARG_INT64(0);
	PreventCommandIfReadOnly("mycc.finish()");
	SPI_connect();
	for (int round = 0; round < 2; round++)
	{
		ContactRef	k;
		Datum		agent;
		Datum		args[4];
		char		nulls[4];
		bool		isnull;
		char	   *now_status;

		contact_by_id(contact_id, false, false, &k);
		agent = Int64GetDatum(k.agent_id);
		run(&free_place_sql, &agent, k.has_agent ? NULL : "n", false);
		args[0] = Int64GetDatum(k.customer_id);
		args[1] = Int64GetDatum(contact_id);
		args[2] = outcome;
		args[3] = agent;
		nulls[0] = nulls[1] = ' ';
		nulls[2] = PG_ARGISNULL(1) ? 'n' : ' ';
		nulls[3] = k.has_agent ? ' ' : 'n';
		if (run(&close_sql, args, nulls, false) > 0)
			break;
		run(&wait_for_claim_sql, args, NULL, false);
		if (run(&status_now_sql, args, NULL, false) == 0)
			report_no_contact(contact_id, false);
		now_status = TextDatumGetCString(column(1, &isnull));
		if (strcmp(now_status, "assigned") != 0)
			ereport(ERROR,
					(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
					 errmsg("contact " INT64_FORMAT " is %s, not assigned", contact_id, now_status),
					 errhint("Only a contact given to an agent by next_contact can be finished.")));
		if (round > 0 || k.has_agent)
			ereport(ERROR,
					(errcode(ERRCODE_T_R_SERIALIZATION_FAILURE),
					 errmsg("contact " INT64_FORMAT " was given to another agent while it was being finished",
							contact_id),
					 errhint("Retry the transaction.")));
	}
	SPI_finish();
	PG_RETURN_VOID();
}
