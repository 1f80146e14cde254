/*
 * claim.c
 *		next_contact's reads and row locks done directly on the tables and
 *		their indexes, without the executor (assignment.c calls these).
 *
 * A claim reads a handful of rows by key: the agent, the queues, each
 * queue's first waiting contact, a customer or two.  Through SQL each of
 * those statements paid for executor start and end, plan checks and
 * expression compilation, which was most of a claim's time.  Here they are
 * index probes (index_getnext_slot, as an Index Scan node does) and row
 * locks (table_tuple_lock, as a LockRows node does, with the same answers
 * to a row that changed: under READ COMMITTED follow it to its last
 * version and check it again, skip it if another agent holds it, a
 * serialization failure under REPEATABLE READ).  The updates go through
 * ExecSimpleRelationUpdate, the executor's row update that logical
 * replication applies rows with: BEFORE and AFTER row triggers (column
 * triggers by the columns set), constraints, index entries; the AFTER
 * triggers fire when the call ends, as at the end of a statement.
 *
 * The direct way is taken only where it gives what the SQL would: the
 * caller may read every table it reads as a whole, lock the ones it locks
 * and update each column it sets; row-level security does not apply to
 * the caller on any of them; no rewrite rule, statement trigger or
 * transition table waits for an UPDATE; the transaction may write; and
 * the tables and indexes are as mycc made them.  Otherwise
 * direct_claim_begin returns NULL and the caller runs its SQL, which
 * checks column rights, applies the policies and fires the statement
 * triggers.
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/relation.h"
#include "access/stratnum.h"
#include "access/table.h"
#include "access/tableam.h"
#include "access/xact.h"
#include "access/xlog.h"
#include "catalog/namespace.h"
#include "catalog/pg_am_d.h"
#include "catalog/pg_class_d.h"
#include "catalog/pg_constraint.h"
#include "catalog/pg_trigger.h"
#include "catalog/pg_attribute.h"
#include "catalog/pg_enum.h"
#include "catalog/pg_type.h"
#include "access/sysattr.h"
#include "commands/trigger.h"
#include "commands/defrem.h"
#include "common/int.h"
#include "executor/executor.h"
#include "executor/tuptable.h"
#include "nodes/makefuncs.h"
#include "storage/lmgr.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/float.h"
#include "utils/fmgroids.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/rls.h"
#include "utils/snapmgr.h"
#include "utils/syscache.h"

#include "claim.h"
#include "tags.h"

double
claim_effective_priority(double base, TimestampTz enqueued_at, TimestampTz now,
						 double target_seconds, double weight)
{
	double		p = base;

	if (!TIMESTAMP_NOT_FINITE(enqueued_at) && now > enqueued_at)
		p += ((double) (now - enqueued_at) / USECS_PER_SEC) / target_seconds * weight;
	return p;
}

void
claim_sort_heads(QueueHead *h, int n)
{
	/* An insertion sort: n is the number of queues, a few. */
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && h[j].bound > h[j - 1].bound; j--)
		{
			QueueHead	t = h[j];

			h[j] = h[j - 1];
			h[j - 1] = t;
		}
}

/*
 * The direct way is written against PostgreSQL 15's executor and table
 * access interfaces (ExecInitRangeTable, InitResultRelInfo,
 * ExecSimpleRelationUpdate changed in 16); other major versions run the
 * SQL of next_contact and finish (see the end of this file).
 */
#if PG_VERSION_NUM >= 150000 && PG_VERSION_NUM < 160000

/* --- the tables, columns and indexes a claim reads --- */

typedef enum ClaimTable
{
	AGENT,
	QUEUE,
	CONTACT,
	CUSTOMER,
	NUM_TABLES
} ClaimTable;

static const struct
{
	const char *name;
	LOCKMODE	lockmode;		/* as SELECT ... FOR UPDATE OF the locked ones */
	bool		written;		/* rows locked and updated */
	bool		finish_reads;	/* finish reads it too */
}			tables[NUM_TABLES] = {
	[AGENT] = {"agent", RowShareLock, true, true},
	[QUEUE] = {"queue", AccessShareLock, false, false},
	[CONTACT] = {"contact", RowShareLock, true, true},
	[CUSTOMER] = {"customer", AccessShareLock, false, false},
};

typedef enum ClaimColumn
{
	AGENT_ID,
	AGENT_STATUS,
	AGENT_SKILLS,
	AGENT_CAPACITY,
	AGENT_ACTIVE,
	AGENT_LAST_ASSIGNED,
	QUEUE_ID,
	QUEUE_SKILLS,
	QUEUE_TARGET,
	QUEUE_WEIGHT,
	CONTACT_CUSTOMER,
	CONTACT_ID,
	CONTACT_QUEUE,
	CONTACT_STATUS,
	CONTACT_PRIORITY,
	CONTACT_ENQUEUED,
	CONTACT_QUEUE_KEY,
	CONTACT_AGENT,
	CONTACT_ASSIGNED,
	CONTACT_STARTED,
	CONTACT_ENDED,
	CONTACT_OUTCOME,
	CUSTOMER_ID,
	CUSTOMER_MANAGER,
	CUSTOMER_ROOT,
	CUSTOMER_MERGED,
	NUM_COLUMNS
} ClaimColumn;

/*
 * Each column and its type: a built-in one, or one of mycc's by name; and
 * whether it must be NOT NULL (read without a null check).
 */
#define NN true
static const struct
{
	ClaimTable	table;
	const char *name;
	Oid			type;
	const char *mycc_type;
	bool		not_null;
}			columns[NUM_COLUMNS] = {
	[AGENT_ID] = {AGENT, "id", INT8OID, NULL, NN},
	[AGENT_STATUS] = {AGENT, "status", InvalidOid, "agent_status", NN},
	[AGENT_SKILLS] = {AGENT, "skills", InvalidOid, "tagset", NN},
	[AGENT_CAPACITY] = {AGENT, "capacity", INT4OID, NULL, NN},
	[AGENT_ACTIVE] = {AGENT, "active_contacts", INT4OID, NULL, NN},
	[AGENT_LAST_ASSIGNED] = {AGENT, "last_assigned_at", TIMESTAMPTZOID},
	[QUEUE_ID] = {QUEUE, "id", INT8OID, NULL, NN},
	[QUEUE_SKILLS] = {QUEUE, "required_skills", InvalidOid, "tagset"},
	[QUEUE_TARGET] = {QUEUE, "target_answer", INTERVALOID},
	[QUEUE_WEIGHT] = {QUEUE, "aging_weight", FLOAT8OID},
	[CONTACT_CUSTOMER] = {CONTACT, "customer_id", INT8OID, NULL, NN},
	[CONTACT_ID] = {CONTACT, "id", INT8OID, NULL, NN},
	[CONTACT_QUEUE] = {CONTACT, "queue_id", INT8OID},
	[CONTACT_STATUS] = {CONTACT, "status", InvalidOid, "contact_status", NN},
	[CONTACT_PRIORITY] = {CONTACT, "priority", INT4OID},
	[CONTACT_ENQUEUED] = {CONTACT, "enqueued_at", TIMESTAMPTZOID},
	[CONTACT_QUEUE_KEY] = {CONTACT, "queue_key", FLOAT8OID},
	[CONTACT_AGENT] = {CONTACT, "agent_id", INT8OID},
	[CONTACT_ASSIGNED] = {CONTACT, "assigned_at", TIMESTAMPTZOID},
	[CONTACT_STARTED] = {CONTACT, "started_at", TIMESTAMPTZOID, NULL, NN},
	[CONTACT_ENDED] = {CONTACT, "ended_at", TIMESTAMPTZOID},
	[CONTACT_OUTCOME] = {CONTACT, "outcome", TEXTOID},
	[CUSTOMER_ID] = {CUSTOMER, "id", INT8OID, NULL, NN},
	[CUSTOMER_MANAGER] = {CUSTOMER, "account_manager", INT8OID},
	[CUSTOMER_ROOT] = {CUSTOMER, "root_id", INT8OID},
	[CUSTOMER_MERGED] = {CUSTOMER, "merged_into", INT8OID},
};

typedef enum ClaimIndex
{
	AGENT_PKEY,
	CONTACT_QUEUED,
	CONTACT_ID_IDX,
	CUSTOMER_PKEY,
	CUSTOMER_MANAGER_IDX,
	NUM_INDEXES
} ClaimIndex;

/* What rows an index may leave out: none, or rows the claim never wants. */
typedef enum IndexPredicate
{
	ALL_ROWS,
	QUEUED_ROWS,				/* none, or status = 'queued' */
	KEY_NOT_NULL_ROWS			/* none, or first key IS NOT NULL */
} IndexPredicate;

/*
 * Each btree index and its key columns, in order (ascending, nulls last,
 * default operator classes); the first one is what a probe gives.
 */
static const struct
{
	ClaimTable	table;
	const char *name;
	int			nkeys;
	ClaimColumn keys[3];
	IndexPredicate predicate;
}			indexes[NUM_INDEXES] = {
	[AGENT_PKEY] = {AGENT, "agent_pkey", 1, {AGENT_ID}, ALL_ROWS},
	/* A queue's waiting contacts in the order they are taken. */
	[CONTACT_QUEUED] = {CONTACT, "contact_queued_idx", 3,
	{CONTACT_QUEUE, CONTACT_QUEUE_KEY, CONTACT_ID}, QUEUED_ROWS},
	[CONTACT_ID_IDX] = {CONTACT, "contact_id_idx", 1, {CONTACT_ID}, ALL_ROWS},
	[CUSTOMER_PKEY] = {CUSTOMER, "customer_pkey", 1, {CUSTOMER_ID}, ALL_ROWS},
	[CUSTOMER_MANAGER_IDX] = {CUSTOMER, "customer_account_manager_idx", 1,
	{CUSTOMER_MANAGER}, KEY_NOT_NULL_ROWS},
};

/* The columns each use sets, as the UPDATE statements it replaces did. */
static const ClaimColumn claim_writes[] = {
	AGENT_ACTIVE, AGENT_LAST_ASSIGNED, CONTACT_STATUS, CONTACT_AGENT, CONTACT_ASSIGNED
};
static const ClaimColumn finish_writes[] = {
	AGENT_ACTIVE, CONTACT_STATUS, CONTACT_ENDED, CONTACT_OUTCOME
};

static void writes_end(DirectClaim *dc);

struct DirectClaim
{
	DirectUse	use;
	Relation	rels[NUM_TABLES];
	Relation	idx[NUM_INDEXES];
	TupleTableSlot *slots[NUM_TABLES];
	TupleTableSlot *locked;		/* a contact row as locked */
	AttrNumber	attnum[NUM_COLUMNS];
	Oid			queued;			/* contact_status labels */
	Oid			assigned;
	Oid			finished;
	Snapshot	snapshot;
	CommandId	cid;
	TagSet	   *skills;			/* the locked agent's */
	/* The writes (writes_begin): an executor state without a plan. */
	EState	   *estate;
	EPQState	epq;
	ResultRelInfo *result[NUM_TABLES];
	TupleTableSlot *newslots[NUM_TABLES];
};

/* The columns the use sets, and how many. */
static const ClaimColumn *
written_columns(const DirectClaim *dc, int *n)
{
	if (dc->use == DIRECT_FINISH)
	{
		*n = lengthof(finish_writes);
		return finish_writes;
	}
	*n = lengthof(claim_writes);
	return claim_writes;
}

/* Whether the table is opened for the use. */
static bool
table_used(const DirectClaim *dc, ClaimTable t)
{
	return dc->use == DIRECT_CLAIM || tables[t].finish_reads;
}

/*
 * Where the tables, columns, indexes and labels are: looked up once per
 * backend and checked to be as mycc made them (columns of the expected
 * types, btree indexes on the expected leading columns); any change to
 * one of the tables or indexes (a relcache invalidation) drops it.
 */
typedef struct ClaimLayout
{
	bool		valid;
	Oid			relids[NUM_TABLES];
	Oid			indexids[NUM_INDEXES];
	AttrNumber	attnum[NUM_COLUMNS];
	Oid			queued;			/* contact_status labels */
	Oid			assigned;
	Oid			finished;
} ClaimLayout;

static ClaimLayout layout;

/* Relcache invalidations seen: a layout built across one is not kept. */
static uint64 relcache_invalidations;

static void
layout_invalidate(Datum arg, Oid relid)
{
	relcache_invalidations++;
	for (int t = 0; t < NUM_TABLES; t++)
		if (!OidIsValid(relid) || layout.relids[t] == relid)
			layout.valid = false;
	for (int i = 0; i < NUM_INDEXES; i++)
		if (layout.indexids[i] == relid)
			layout.valid = false;
}

void
ClaimInit(void)
{
	CacheRegisterRelcacheCallback(layout_invalidate, (Datum) 0);
}

/*
 * The column's number if it exists with the expected type (and NOT NULL
 * where the claim reads it without a null check), else 0.
 */
static AttrNumber
expected_column(Oid nsp, Oid relid, ClaimColumn c)
{
	HeapTuple	tuple = SearchSysCacheAttName(relid, columns[c].name);
	Form_pg_attribute att;
	Oid			type = columns[c].type;
	AttrNumber	attnum = 0;

	if (!HeapTupleIsValid(tuple))
		return 0;
	att = (Form_pg_attribute) GETSTRUCT(tuple);
	if (columns[c].mycc_type != NULL)
		type = GetSysCacheOid2(TYPENAMENSP, Anum_pg_type_oid,
							   CStringGetDatum(columns[c].mycc_type), ObjectIdGetDatum(nsp));
	if (att->attnum > 0 && att->atttypid == type && (att->attnotnull || !columns[c].not_null))
		attnum = att->attnum;
	ReleaseSysCache(tuple);
	return attnum;
}

/* Whether expr is a Var of column attnum (of the index's table). */
static bool
is_column(Node *expr, AttrNumber attnum)
{
	return IsA(expr, Var) && ((Var *) expr)->varattno == attnum;
}

/* Whether the index's predicate leaves out only rows the claim never wants. */
static bool
expected_predicate(Relation index, const ClaimLayout *l, ClaimIndex i)
{
	List	   *pred = RelationGetIndexPredicate(index);
	Node	   *clause;

	if (pred == NIL)
		return true;
	if (list_length(pred) != 1)
		return false;
	clause = linitial(pred);
	if (indexes[i].predicate == KEY_NOT_NULL_ROWS)
		return IsA(clause, NullTest) && ((NullTest *) clause)->nulltesttype == IS_NOT_NULL &&
			!((NullTest *) clause)->argisrow &&
			is_column((Node *) ((NullTest *) clause)->arg, l->attnum[indexes[i].keys[0]]);
	if (indexes[i].predicate == QUEUED_ROWS && IsA(clause, OpExpr) &&
		list_length(((OpExpr *) clause)->args) == 2)
	{
		OpExpr	   *op = (OpExpr *) clause;
		Node	   *right = lsecond(op->args);

		return get_opcode(op->opno) == F_ENUM_EQ &&
			is_column(linitial(op->args), l->attnum[CONTACT_STATUS]) &&
			IsA(right, Const) && !((Const *) right)->constisnull &&
			DatumGetObjectId(((Const *) right)->constvalue) == l->queued;
	}
	return false;
}

/*
 * Whether key k of the index is column c, ascending with nulls last (the
 * order a probe returns rows in), under the type's default btree class.
 */
static bool
expected_key(Relation index, int k, Oid relid, AttrNumber attnum)
{
	Oid			type = get_atttype(relid, attnum);
	Oid			opclass = GetDefaultOpClass(type, BTREE_AM_OID);

	return index->rd_index->indkey.values[k] == attnum && index->rd_indoption[k] == 0 &&
		OidIsValid(opclass) && index->rd_opfamily[k] == get_opclass_family(opclass) &&
		index->rd_opcintype[k] == type;
}

/*
 * The index's OID if it is a valid btree on the expected key columns, in
 * order, with no expressions and a predicate the claim allows.
 */
static Oid
expected_index(Oid nsp, const ClaimLayout *l, ClaimIndex i)
{
	Oid			relid = get_relname_relid(indexes[i].name, nsp);
	Relation	index;
	bool		expected;

	if (!OidIsValid(relid) || get_rel_relkind(relid) != RELKIND_INDEX)
		return InvalidOid;
	index = index_open(relid, AccessShareLock);
	expected = index->rd_rel->relam == BTREE_AM_OID &&
		index->rd_index->indrelid == l->relids[indexes[i].table] &&
		index->rd_index->indisvalid && index->rd_index->indisready &&
		index->rd_index->indislive &&
		index->rd_index->indnkeyatts >= indexes[i].nkeys &&
		RelationGetIndexExpressions(index) == NIL &&
		expected_predicate(index, l, i);
	for (int k = 0; expected && k < indexes[i].nkeys; k++)
		expected = expected_key(index, k, l->relids[indexes[i].table],
								l->attnum[indexes[i].keys[k]]);
	index_close(index, NoLock);
	return expected ? relid : InvalidOid;
}

/* The enum label's OID, or InvalidOid. */
static Oid
enum_label(Oid type, const char *label)
{
	return GetSysCacheOid2(ENUMTYPOIDNAME, Anum_pg_enum_oid,
						   ObjectIdGetDatum(type), CStringGetDatum(label));
}

/* Looks the layout up; false if the tables are not as mycc made them. */
static bool
layout_build(ClaimLayout *l)
{
	Oid			nsp = get_namespace_oid("mycc", true);
	Oid			status_type;

	if (!OidIsValid(nsp))
		return false;
	for (int t = 0; t < NUM_TABLES; t++)
	{
		l->relids[t] = get_relname_relid(tables[t].name, nsp);
		if (!OidIsValid(l->relids[t]) || get_rel_relkind(l->relids[t]) != RELKIND_RELATION)
			return false;
	}
	for (int c = 0; c < NUM_COLUMNS; c++)
		if ((l->attnum[c] = expected_column(nsp, l->relids[columns[c].table], c)) == 0)
			return false;
	status_type = get_atttype(l->relids[CONTACT], l->attnum[CONTACT_STATUS]);
	l->queued = enum_label(status_type, "queued");
	l->assigned = enum_label(status_type, "assigned");
	l->finished = enum_label(status_type, "finished");
	if (!OidIsValid(l->queued) || !OidIsValid(l->assigned) || !OidIsValid(l->finished))
		return false;
	for (int i = 0; i < NUM_INDEXES; i++)
		if (!OidIsValid(l->indexids[i] = expected_index(nsp, l, i)))
			return false;
	return true;
}

/* Whether the caller may read (and lock) the table as SQL would let it. */
static bool
direct_access_allowed(Oid relid, ClaimTable t)
{
	Oid			user = GetUserId();

	if (pg_class_aclcheck(relid, user, ACL_SELECT) != ACLCHECK_OK)
		return false;
	/* FOR UPDATE needs UPDATE on the table or on some column. */
	if (tables[t].written && pg_class_aclcheck(relid, user, ACL_UPDATE) != ACLCHECK_OK &&
		pg_attribute_aclcheck_all(relid, user, ACL_UPDATE, ACLMASK_ANY) != ACLCHECK_OK)
		return false;
	/* RLS_NONE_ENV: the policies do not apply to this caller now. */
	return check_enable_rls(relid, InvalidOid, true) != RLS_ENABLED;
}

/*
 * Whether the rows may be updated directly: the caller may update each
 * column set, and no statement trigger or transition table waits for an
 * UPDATE statement (row triggers fire, as for the statement).
 */
static bool
direct_writes_allowed(const DirectClaim *dc)
{
	Oid			user = GetUserId();
	int			n;
	const ClaimColumn *cols = written_columns(dc, &n);

	for (int t = 0; t < NUM_TABLES; t++)
	{
		TriggerDesc *trig;

		if (!tables[t].written)
			continue;
		/* Rewrite rules apply to UPDATE statements only. */
		if (dc->rels[t]->rd_rules != NULL)
			return false;
		trig = dc->rels[t]->trigdesc;
		if (trig != NULL &&
			(trig->trig_update_before_statement || trig->trig_update_after_statement ||
			 trig->trig_update_old_table || trig->trig_update_new_table))
			return false;
	}
	for (int i = 0; i < n; i++)
	{
		Oid			relid = layout.relids[columns[cols[i]].table];

		if (pg_class_aclcheck(relid, user, ACL_UPDATE) != ACLCHECK_OK &&
			pg_attribute_aclcheck(relid, dc->attnum[cols[i]], user, ACL_UPDATE) != ACLCHECK_OK)
			return false;
	}
	return true;
}

/*
 * Opens the tables and indexes the use reads, once the caller's rights
 * are checked; false if the layout changed meanwhile (the invalidations a
 * lock brings), or the direct way may not be taken.
 */
static bool
direct_claim_open(DirectClaim *dc)
{
	/* Where SQL would refuse to lock or write (25006), or run in parallel. */
	if (XactReadOnly || RecoveryInProgress() || IsInParallelMode())
		return false;
	if (!layout.valid)
	{
		uint64		seen = relcache_invalidations;
		bool		built;

		MemSet(&layout, 0, sizeof(layout));
		built = layout_build(&layout);
		/* A change meanwhile (its invalidation came with a lock): not kept. */
		layout.valid = built && seen == relcache_invalidations;
		if (!layout.valid)
			return false;
	}
	memcpy(dc->attnum, layout.attnum, sizeof(dc->attnum));
	dc->queued = layout.queued;
	dc->assigned = layout.assigned;
	dc->finished = layout.finished;
	for (int t = 0; t < NUM_TABLES; t++)
		if (table_used(dc, t) &&
			(!direct_access_allowed(layout.relids[t], t) ||
			 (dc->rels[t] = try_relation_open(layout.relids[t], tables[t].lockmode)) == NULL))
			return false;
	for (int i = 0; i < NUM_INDEXES; i++)
		if (table_used(dc, indexes[i].table) &&
			(dc->idx[i] = try_relation_open(layout.indexids[i], AccessShareLock)) == NULL)
			return false;
	return layout.valid && direct_writes_allowed(dc);
}

DirectClaim *
direct_claim_begin(DirectUse use)
{
	DirectClaim *dc = palloc0(sizeof(DirectClaim));

	dc->use = use;
	if (!direct_claim_open(dc))
	{
		direct_claim_end(dc);
		return NULL;
	}
	for (int t = 0; t < NUM_TABLES; t++)
		if (dc->rels[t] != NULL)
			dc->slots[t] = table_slot_create(dc->rels[t], NULL);
	dc->locked = table_slot_create(dc->rels[CONTACT], NULL);
	return dc;
}

void
direct_claim_end(DirectClaim *dc)
{
	writes_end(dc);
	if (dc->snapshot != NULL)
		PopActiveSnapshot();
	if (dc->locked != NULL)
		ExecDropSingleTupleTableSlot(dc->locked);
	for (int t = 0; t < NUM_TABLES; t++)
		if (dc->slots[t] != NULL)
			ExecDropSingleTupleTableSlot(dc->slots[t]);
	/* The locks stay until the transaction ends, as the executor keeps them. */
	for (int i = 0; i < NUM_INDEXES; i++)
		if (dc->idx[i] != NULL)
			relation_close(dc->idx[i], NoLock);
	for (int t = 0; t < NUM_TABLES; t++)
		if (dc->rels[t] != NULL)
			relation_close(dc->rels[t], NoLock);
	pfree(dc);
}

/*
 * A new snapshot, as each statement SPI runs takes one: after a command
 * counter increment, so that it sees what this transaction did so far,
 * the calling statement and this call's own updates included.
 */
static void
fresh_snapshot(DirectClaim *dc)
{
	if (dc->snapshot != NULL)
		PopActiveSnapshot();
	CommandCounterIncrement();
	dc->cid = GetCurrentCommandId(true);
	/*
	 * Active, as a statement's: what triggers and constraints evaluate
	 * sees it.  PushActiveSnapshot copies the transaction snapshot, whose
	 * command id a command counter increment would move.
	 */
	PushActiveSnapshot(GetTransactionSnapshot());
	dc->snapshot = GetActiveSnapshot();
}

/* --- reading rows --- */

static Datum
get(const DirectClaim *dc, TupleTableSlot *slot, ClaimColumn c, bool *isnull)
{
	return slot_getattr(slot, dc->attnum[c], isnull);
}

/* A column that may be null, as int8; null as 0 (no id is 0 here). */
static int64
get_int8(const DirectClaim *dc, TupleTableSlot *slot, ClaimColumn c)
{
	bool		isnull;
	Datum		d = get(dc, slot, c, &isnull);

	return isnull ? 0 : DatumGetInt64(d);
}

/* An index scan of the rows whose first key column equals key. */
static IndexScanDesc
scan_key(DirectClaim *dc, ClaimIndex i, int64 key)
{
	IndexScanDesc scan = index_beginscan(dc->rels[indexes[i].table], dc->idx[i],
										 dc->snapshot, 1, 0);
	ScanKeyData skey;

	ScanKeyInit(&skey, 1, BTEqualStrategyNumber, F_INT8EQ, Int64GetDatum(key));
	index_rescan(scan, &skey, 1, NULL, 0);
	return scan;
}

/*
 * The first row visible with this key, in the index's order, into its
 * table's slot; false if none.  For a key that should name one row, pass
 * several: it is set when a second row with the key is visible too (read
 * into dc->locked, which holds nothing yet).
 */
static bool
fetch_one_by_key(DirectClaim *dc, ClaimIndex i, int64 key, bool *several)
{
	TupleTableSlot *slot = dc->slots[indexes[i].table];
	IndexScanDesc scan = scan_key(dc, i, key);
	bool		found = index_getnext_slot(scan, ForwardScanDirection, slot);

	if (several != NULL)
		*several = found && index_getnext_slot(scan, ForwardScanDirection, dc->locked);
	index_endscan(scan);
	return found;
}

/* The first row visible with this key (fetch_one_by_key, unchecked). */
static bool
fetch_by_key(DirectClaim *dc, ClaimIndex i, int64 key)
{
	return fetch_one_by_key(dc, i, key, NULL);
}

/*
 * Locks the row in slot (its last version, waiting or not); false if it
 * is gone, held by another transaction (skip), or changed by this one.
 * The last version is left in into.  The answers are those of a LockRows
 * node.
 */
static bool
lock_row(DirectClaim *dc, ClaimTable t, TupleTableSlot *slot, TupleTableSlot *into,
		 LockTupleMode mode, LockWaitPolicy wait, bool *traversed)
{
	ItemPointerData tid = slot->tts_tid;
	TM_FailureData tmfd;
	TM_Result	result;

	/* Only READ COMMITTED follows a row to its last version. */
	result = table_tuple_lock(dc->rels[t], &tid, dc->snapshot, into, dc->cid, mode, wait,
							  IsolationUsesXactSnapshot() ? 0 : TUPLE_LOCK_FLAG_FIND_LAST_VERSION,
							  &tmfd);
	switch (result)
	{
		case TM_Ok:
			*traversed = tmfd.traversed;
			return true;
		case TM_WouldBlock:
		case TM_SelfModified:
			return false;
		case TM_Updated:
		case TM_Deleted:
			if (IsolationUsesXactSnapshot())
				ereport(ERROR,
						(errcode(ERRCODE_T_R_SERIALIZATION_FAILURE),
						 errmsg("could not serialize access due to concurrent update")));
			if (result == TM_Updated)
				elog(ERROR, "unexpected table_tuple_lock status: %u", result);
			return false;
		case TM_Invisible:
			elog(ERROR, "attempted to lock invisible tuple");
			break;
		default:
			elog(ERROR, "unexpected table_tuple_lock status: %u", result);
	}
	return false;
}

/* --- writing rows --- */

/*
 * The check constraints' expression trees by their stored text, parsed
 * once per backend.  An UPDATE statement's plan keeps them; the executor
 * state of each direct call would parse them again (ExecRelCheck), which
 * was a tenth of a claim.
 */
typedef struct ParsedCheck
{
	char	   *ccbin;
	Node	   *expr;
} ParsedCheck;

static MemoryContext parsed_checks_context;
static ParsedCheck parsed_checks[16];
static int	nparsed_checks;

static Node *
parsed_check(const char *ccbin)
{
	MemoryContext old;
	ParsedCheck *p;

	for (int i = 0; i < nparsed_checks; i++)
		if (strcmp(parsed_checks[i].ccbin, ccbin) == 0)
			return parsed_checks[i].expr;
	if (parsed_checks_context == NULL)
		parsed_checks_context = AllocSetContextCreate(CacheMemoryContext, "mycc parsed checks",
													  ALLOCSET_SMALL_SIZES);
	/* Full (the constraints changed often): start again. */
	if (nparsed_checks == lengthof(parsed_checks))
	{
		MemoryContextReset(parsed_checks_context);
		nparsed_checks = 0;
	}
	old = MemoryContextSwitchTo(parsed_checks_context);
	p = &parsed_checks[nparsed_checks];
	p->expr = stringToNode(ccbin);
	p->ccbin = pstrdup(ccbin);
	MemoryContextSwitchTo(old);
	nparsed_checks++;
	return p->expr;
}

/* Fills in the result relation's check constraints, as ExecRelCheck would. */
static void
prepare_checks(EState *estate, ResultRelInfo *result)
{
	TupleConstr *constr = RelationGetDescr(result->ri_RelationDesc)->constr;
	MemoryContext old;

	if (constr == NULL || constr->num_check == 0)
		return;
	old = MemoryContextSwitchTo(estate->es_query_cxt);
	result->ri_ConstraintExprs = palloc(sizeof(ExprState *) * constr->num_check);
	for (int i = 0; i < constr->num_check; i++)
		result->ri_ConstraintExprs[i] =
			ExecPrepareExpr((Expr *) copyObject(parsed_check(constr->check[i].ccbin)), estate);
	MemoryContextSwitchTo(old);
}

/*
 * Prepares the updates: an executor state whose range table has the
 * written tables, with the columns the use sets (column triggers fire as
 * for the UPDATE statements), their indexes open, and AFTER triggers
 * collected until writes_end, the end of the "statement".
 */
static void
writes_begin(DirectClaim *dc)
{
	List	   *rtable = NIL;
	int			n;
	const ClaimColumn *cols = written_columns(dc, &n);
	Index		rti = 0;

	dc->estate = CreateExecutorState();
	for (int t = 0; t < NUM_TABLES; t++)
	{
		RangeTblEntry *rte;

		if (!tables[t].written)
			continue;
		LockRelationOid(RelationGetRelid(dc->rels[t]), RowExclusiveLock);
		rte = makeNode(RangeTblEntry);
		rte->rtekind = RTE_RELATION;
		rte->relid = RelationGetRelid(dc->rels[t]);
		rte->relkind = RELKIND_RELATION;
		rte->rellockmode = RowExclusiveLock;
		rte->requiredPerms = ACL_UPDATE;
		for (int i = 0; i < n; i++)
			if ((int) columns[cols[i]].table == t)
				rte->updatedCols = bms_add_member(rte->updatedCols,
												  dc->attnum[cols[i]] - FirstLowInvalidHeapAttributeNumber);
		rtable = lappend(rtable, rte);
	}
	ExecInitRangeTable(dc->estate, rtable);
	for (int t = 0; t < NUM_TABLES; t++)
	{
		ResultRelInfo *result;

		if (!tables[t].written)
			continue;
		result = makeNode(ResultRelInfo);
		InitResultRelInfo(result, dc->rels[t], ++rti, NULL, 0);
		/* Where AFTER triggers look for it. */
		dc->estate->es_opened_result_relations =
			lappend(dc->estate->es_opened_result_relations, result);
		ExecOpenIndices(result, false);
		prepare_checks(dc->estate, result);
		dc->result[t] = result;
		dc->newslots[t] = table_slot_create(dc->rels[t], &dc->estate->es_tupleTable);
	}
	EvalPlanQualInit(&dc->epq, dc->estate, NULL, NIL, -1);
	AfterTriggerBeginQuery();
}

/* Fires the AFTER triggers the updates queued and frees the state. */
static void
writes_end(DirectClaim *dc)
{
	EState	   *estate = dc->estate;

	if (estate == NULL)
		return;
	AfterTriggerEndQuery(estate);
	EvalPlanQualEnd(&dc->epq);
	for (int t = 0; t < NUM_TABLES; t++)
		if (dc->result[t] != NULL)
			ExecCloseIndices(dc->result[t]);
	ExecResetTupleTable(estate->es_tupleTable, false);
	ExecCloseTrigTargetRelations(estate);
	FreeExecutorState(estate);
	dc->estate = NULL;
}

/*
 * Updates the row in old (locked by this transaction) of table t, setting
 * n columns, as an UPDATE would: BEFORE and AFTER row triggers,
 * constraints, HOT or new index entries.  False if a BEFORE trigger
 * skipped it.
 */
static bool
update_row(DirectClaim *dc, ClaimTable t, TupleTableSlot *old, int n,
		   const ClaimColumn *cols, const Datum *values, const bool *nulls)
{
	TupleTableSlot *slot;
	int			natts = RelationGetDescr(dc->rels[t])->natts;

	if (dc->estate == NULL)
		writes_begin(dc);
	dc->estate->es_snapshot = dc->snapshot;
	dc->estate->es_output_cid = dc->cid;
	slot = dc->newslots[t];
	slot_getallattrs(old);
	ExecClearTuple(slot);
	memcpy(slot->tts_values, old->tts_values, sizeof(Datum) * natts);
	memcpy(slot->tts_isnull, old->tts_isnull, sizeof(bool) * natts);
	for (int i = 0; i < n; i++)
	{
		Assert(columns[cols[i]].table == t);
		slot->tts_values[dc->attnum[cols[i]] - 1] = values[i];
		slot->tts_isnull[dc->attnum[cols[i]] - 1] = nulls[i];
	}
	ExecStoreVirtualTuple(slot);
	ExecSimpleRelationUpdate(dc->result[t], dc->estate, &dc->epq, old, slot);
	ResetPerTupleExprContext(dc->estate);
	/* An update leaves the new version's place in the slot; a skip, none or the old one. */
	return ItemPointerIsValid(&slot->tts_tid) && !ItemPointerEquals(&slot->tts_tid, &old->tts_tid);
}

/* active_contacts + delta, as int4 arithmetic errors on overflow. */
static Datum
count_plus(const DirectClaim *dc, TupleTableSlot *agent, int delta, bool floor_zero)
{
	bool		isnull;
	int32		active = DatumGetInt32(get(dc, agent, AGENT_ACTIVE, &isnull));
	int32		result;

	if (pg_add_s32_overflow(active, delta, &result))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("integer out of range")));
	return Int32GetDatum(floor_zero ? Max(result, 0) : result);
}

/* --- the agent --- */

/* Whether some unmerged customer has the agent as account manager. */
static bool
agent_manages(DirectClaim *dc, int64 agent_id)
{
	TupleTableSlot *slot = dc->slots[CUSTOMER];
	IndexScanDesc scan = scan_key(dc, CUSTOMER_MANAGER_IDX, agent_id);
	bool		manages = false;

	while (!manages && index_getnext_slot(scan, ForwardScanDirection, slot))
	{
		bool		isnull;

		(void) get(dc, slot, CUSTOMER_MERGED, &isnull);
		manages = isnull;
	}
	index_endscan(scan);
	return manages;
}

/*
 * Locks the agent's row FOR NO KEY UPDATE, as its UPDATE would, waiting
 * for other holders; its last version in the agent slot.  False if there
 * is no such agent.
 */
static bool
lock_agent_row(DirectClaim *dc, int64 agent_id)
{
	TupleTableSlot *slot = dc->slots[AGENT];
	bool		traversed;

	/* The last version of a row changed meanwhile still has its id: its key. */
	return fetch_by_key(dc, AGENT_PKEY, agent_id) &&
		lock_row(dc, AGENT, slot, slot, LockTupleNoKeyExclusive, LockWaitBlock, &traversed) &&
		get_int8(dc, slot, AGENT_ID) == agent_id;
}

bool
direct_claim_lock_agent(DirectClaim *dc, int64 agent_id, AgentState *agent)
{
	TupleTableSlot *slot = dc->slots[AGENT];
	bool		isnull;
	Datum		d;

	fresh_snapshot(dc);
	if (!lock_agent_row(dc, agent_id))
		return false;
	agent->status = DatumGetCString(DirectFunctionCall1(enum_out,
														get(dc, slot, AGENT_STATUS, &isnull)));
	agent->full = DatumGetInt32(get(dc, slot, AGENT_ACTIVE, &isnull)) >=
		DatumGetInt32(get(dc, slot, AGENT_CAPACITY, &isnull));
	d = get(dc, slot, AGENT_SKILLS, &isnull);
	dc->skills = tagset_from_datum(datumCopy(d, false, -1));
	agent->manages = agent_manages(dc, agent_id);
	return true;
}

/* --- queues and contacts --- */

/* A contact row's base priority and arrival (null: +infinity, sorts last). */
static void
contact_priority(const DirectClaim *dc, TupleTableSlot *slot, double *base,
				 TimestampTz *enqueued_at)
{
	bool		isnull;
	Datum		d = get(dc, slot, CONTACT_PRIORITY, &isnull);

	*base = isnull ? 0.0 : (double) DatumGetInt32(d);
	d = get(dc, slot, CONTACT_ENQUEUED, &isnull);
	*enqueued_at = isnull ? DT_NOEND : DatumGetTimestampTz(d);
}

/* A queue row, if the agent's skills cover it, as a head without bound. */
static bool
covered_queue(DirectClaim *dc, TupleTableSlot *slot, QueueHead *head)
{
	bool		isnull;
	Datum		d = get(dc, slot, QUEUE_SKILLS, &isnull);

	if (isnull || !tagset_contains(dc->skills, tagset_from_datum(d)))
		return false;
	head->queue_id = get_int8(dc, slot, QUEUE_ID);
	d = get(dc, slot, QUEUE_TARGET, &isnull);
	head->target_seconds = isnull ? get_float8_nan() :
		DatumGetFloat8(DirectFunctionCall2(interval_part, CStringGetTextDatum("epoch"), d));
	d = get(dc, slot, QUEUE_WEIGHT, &isnull);
	head->aging_weight = isnull ? get_float8_nan() : DatumGetFloat8(d);
	return true;
}

int
direct_claim_heads(DirectClaim *dc, TimestampTz now, QueueHead **heads)
{
	TupleTableSlot *slot = dc->slots[QUEUE];
	TableScanDesc scan;
	int			allocated = 8;
	int			n = 0;

	/* After the agent's lock: what committed while it was awaited counts. */
	fresh_snapshot(dc);
	*heads = palloc(sizeof(QueueHead) * allocated);
	scan = table_beginscan(dc->rels[QUEUE], dc->snapshot, 0, NULL);
	while (table_scan_getnextslot(scan, ForwardScanDirection, slot))
	{
		QueueHead  *h;
		double		base;
		TimestampTz enqueued_at;

		CHECK_FOR_INTERRUPTS();
		if (n == allocated)
			*heads = repalloc(*heads, sizeof(QueueHead) * (allocated *= 2));
		h = &(*heads)[n];
		/* The queue's first waiting contact, into the contact slot. */
		if (!covered_queue(dc, slot, h) || !fetch_by_key(dc, CONTACT_QUEUED, h->queue_id))
			continue;
		contact_priority(dc, dc->slots[CONTACT], &base, &enqueued_at);
		h->bound = claim_effective_priority(base, enqueued_at, now, h->target_seconds,
											h->aging_weight);
		h->head = dc->slots[CONTACT]->tts_tid;
		n++;
	}
	table_endscan(scan);
	claim_sort_heads(*heads, n);
	return n;
}

/*
 * Whether the contact in slot may be given now: waiting in queue_id, and
 * it arrived at or before hold_until or is not held for the customer's (or
 * its survivor's) account manager.  The customer is read only for a
 * contact still in its hold; a customer (or survivor) that is gone manages
 * nothing.
 */
static bool
claimable(DirectClaim *dc, TupleTableSlot *slot, int64 queue_id, TimestampTz hold_until)
{
	TupleTableSlot *customer = dc->slots[CUSTOMER];
	bool		isnull;
	Datum		status = get(dc, slot, CONTACT_STATUS, &isnull);
	Datum		enqueued_at;
	int64		root;

	if (isnull || DatumGetObjectId(status) != dc->queued ||
		get_int8(dc, slot, CONTACT_QUEUE) != queue_id)
		return false;
	enqueued_at = get(dc, slot, CONTACT_ENQUEUED, &isnull);
	if (!isnull && DatumGetTimestampTz(enqueued_at) <= hold_until)
		return true;
	if (!fetch_by_key(dc, CUSTOMER_PKEY, get_int8(dc, slot, CONTACT_CUSTOMER)))
		return true;
	root = get_int8(dc, customer, CUSTOMER_ROOT);
	if (root != 0 && !fetch_by_key(dc, CUSTOMER_PKEY, root))
		return true;
	(void) get(dc, customer, CUSTOMER_MANAGER, &isnull);
	return isnull;
}

/*
 * Takes the contact in slot if it may be given and no other agent holds
 * it (locks it; skips it, locked or not, if not), as claim.
 */
static bool
take_row(DirectClaim *dc, TupleTableSlot *slot, const QueueHead *queue, TimestampTz now,
		 TimestampTz hold_until, Claim *claim)
{
	bool		traversed;
	double		base;

	if (!claimable(dc, slot, queue->queue_id, hold_until) ||
		!lock_row(dc, CONTACT, slot, dc->locked, LockTupleExclusive, LockWaitSkip, &traversed))
		return false;
	/* Changed since it was read: the last version must qualify too. */
	if (traversed && !claimable(dc, dc->locked, queue->queue_id, hold_until))
		return false;
	claim->tid = dc->locked->tts_tid;
	claim->customer_id = get_int8(dc, dc->locked, CONTACT_CUSTOMER);
	claim->id = get_int8(dc, dc->locked, CONTACT_ID);
	contact_priority(dc, dc->locked, &base, &claim->enqueued_at);
	claim->priority = claim_effective_priority(base, claim->enqueued_at, now,
											   queue->target_seconds, queue->aging_weight);
	return true;
}

bool
direct_claim_take_head(DirectClaim *dc, const QueueHead *queue, TimestampTz now,
					   TimestampTz hold_until, Claim *claim)
{
	TupleTableSlot *slot = dc->slots[CONTACT];
	IndexScanDesc scan;
	bool		found = false;

	/*
	 * The queue's first contact, as read for its bound (the same snapshot):
	 * usually free, and then no second walk down the index is needed.
	 */
	if (table_tuple_fetch_row_version(dc->rels[CONTACT], (ItemPointer) &queue->head,
									  dc->snapshot, slot) &&
		take_row(dc, slot, queue, now, hold_until, claim))
		return true;
	scan = scan_key(dc, CONTACT_QUEUED, queue->queue_id);
	while (!found && index_getnext_slot(scan, ForwardScanDirection, slot))
	{
		CHECK_FOR_INTERRUPTS();
		found = take_row(dc, slot, queue, now, hold_until, claim);
	}
	index_endscan(scan);
	return found;
}

/* --- giving and closing --- */

void
direct_assign(DirectClaim *dc, const Claim *claim, int64 agent_id, TimestampTz now)
{
	TupleTableSlot *contact = dc->locked;
	Datum		agent_values[2] = {count_plus(dc, dc->slots[AGENT], 1, false),
	TimestampTzGetDatum(now)};
	Datum		contact_values[3] = {ObjectIdGetDatum(dc->assigned), Int64GetDatum(agent_id),
	TimestampTzGetDatum(now)};
	bool		nulls[3] = {false, false, false};

	Assert(dc->use == DIRECT_CLAIM);
	/* The agent, then the contact, as the UPDATE statements went. */
	(void) update_row(dc, AGENT, dc->slots[AGENT], 2, claim_writes, agent_values, nulls);
	/* The contact taken: its row at claim->tid, locked by the take. */
	if (!table_tuple_fetch_row_version(dc->rels[CONTACT], (ItemPointer) &claim->tid,
									   SnapshotAny, contact))
		elog(ERROR, "claimed contact %lld not found", (long long) claim->id);
	(void) update_row(dc, CONTACT, contact, 3, claim_writes + 2, contact_values, nulls);
}

/*
 * Frees a place of agent holder, if it (still) exists; its row is locked.
 * Whether its row was updated.
 */
static bool
release_agent(DirectClaim *dc, int64 holder)
{
	TupleTableSlot *agent = dc->slots[AGENT];
	Datum		value;
	bool		isnull = false;

	if (!lock_agent_row(dc, holder))
		return false;
	value = count_plus(dc, agent, -1, true);
	/* A trigger's skip is kept, as the statement's 0 rows were. */
	return update_row(dc, AGENT, agent, 1, finish_writes, &value, &isnull);
}

/* Whether key array attribute key of constraint tuple has attnum. */
static bool
key_has(HeapTuple constraint, AttrNumber key, AttrNumber attnum)
{
	bool		isnull;
	Datum		keys = SysCacheGetAttr(CONSTROID, constraint, key, &isnull);
	Datum	   *cols;
	int			n;

	if (isnull)
		return false;
	deconstruct_array(DatumGetArrayTypeP(keys), INT2OID, sizeof(int16), true, TYPALIGN_SHORT,
					  &cols, NULL, &n);
	for (int i = 0; i < n; i++)
		if (DatumGetInt16(cols[i]) == attnum)
			return true;
	return false;
}

/*
 * Whether the constraint of foreign-key trigger t has the agent's column
 * attnum, on the side (or sides: a self-reference) the agent is on: only
 * then can an update of that column fire it.
 */
static bool
foreign_key_has(const DirectClaim *dc, const Trigger *t, AttrNumber attnum)
{
	HeapTuple	tuple = SearchSysCache1(CONSTROID, ObjectIdGetDatum(t->tgconstraint));
	Oid			agent = RelationGetRelid(dc->rels[AGENT]);
	Form_pg_constraint con;
	bool		has;

	if (!HeapTupleIsValid(tuple))
		return true;			/* not known: assume it fires */
	con = (Form_pg_constraint) GETSTRUCT(tuple);
	has = (con->conrelid == agent && key_has(tuple, Anum_pg_constraint_conkey, attnum)) ||
		(con->confrelid == agent && key_has(tuple, Anum_pg_constraint_confkey, attnum));
	ReleaseSysCache(tuple);
	return has;
}

/*
 * Whether row triggers run on the finish's update of the agent (of
 * active_contacts): any but the foreign-key triggers of constraints
 * without that column, which fire only when their columns change.
 */
static bool
agent_row_triggers(const DirectClaim *dc)
{
	TriggerDesc *trig = dc->rels[AGENT]->trigdesc;
	AttrNumber	active = dc->attnum[finish_writes[0]];

	for (int i = 0; trig != NULL && i < trig->numtriggers; i++)
	{
		const Trigger *t = &trig->triggers[i];

		if (!TRIGGER_FOR_ROW(t->tgtype) || !TRIGGER_FOR_UPDATE(t->tgtype))
			continue;
		if (RI_FKey_trigger_type(t->tgfoid) == RI_TRIGGER_NONE ||
			foreign_key_has(dc, t, active))
			return true;
	}
	return false;
}

/*
 * Ends a "statement" and starts the next, as between two UPDATE
 * statements: the AFTER triggers of the updates so far fire, and a new
 * snapshot sees what every trigger did.
 */
static void
next_statement(DirectClaim *dc)
{
	AfterTriggerEndQuery(dc->estate);
	AfterTriggerBeginQuery();
	fresh_snapshot(dc);
}

/* Whether the contact row is assigned to holder (0: to no agent). */
static bool
assigned_to(const DirectClaim *dc, TupleTableSlot *contact, int64 holder)
{
	bool		isnull;
	Datum		status = get(dc, contact, CONTACT_STATUS, &isnull);

	return !isnull && DatumGetObjectId(status) == dc->assigned &&
		get_int8(dc, contact, CONTACT_AGENT) == holder;
}

/*
 * Closes the locked contact row with outcome (ended when it ended, or
 * now); false if a BEFORE trigger skipped it.
 */
static bool
close_contact(DirectClaim *dc, TupleTableSlot *contact, Datum outcome, bool outcome_null,
			  TimestampTz now)
{
	bool		ended_null;
	bool		isnull;
	Datum		ended = get(dc, contact, CONTACT_ENDED, &ended_null);
	TimestampTz started = DatumGetTimestampTz(get(dc, contact, CONTACT_STARTED, &isnull));
	TimestampTz end = ended_null ? now : DatumGetTimestampTz(ended);
	Datum		values[3] = {ObjectIdGetDatum(dc->finished), TimestampTzGetDatum(Max(started, end)),
	outcome};
	bool		nulls[3] = {false, false, outcome_null};

	return update_row(dc, CONTACT, contact, 3, finish_writes + 1, values, nulls);
}

int
direct_finish_round(DirectClaim *dc, int64 contact_id, Datum outcome, bool outcome_null,
					TimestampTz now, char **status)
{
	TupleTableSlot *contact = dc->slots[CONTACT];
	TupleTableSlot *locked = dc->locked;
	int64		holder;
	bool		several;
	bool		qualifies;
	bool		traversed;
	bool		isnull;

	Assert(dc->use == DIRECT_FINISH);
	fresh_snapshot(dc);
	if (!fetch_one_by_key(dc, CONTACT_ID_IDX, contact_id, &several))
		return DIRECT_FINISH_MISSING;
	if (several)
		return DIRECT_FINISH_NOT_UNIQUE;
	holder = get_int8(dc, contact, CONTACT_AGENT);
	/*
	 * The agent's place first: its lock before the contact's.  Through SQL
	 * the two were statements of their own; when the agent's triggers ran,
	 * theirs fire now and the contact is read again, as they left it.
	 */
	if (holder != 0 && release_agent(dc, holder) && agent_row_triggers(dc))
	{
		next_statement(dc);
		if (!fetch_by_key(dc, CONTACT_ID_IDX, contact_id))
			return DIRECT_FINISH_MISSING;
	}
	/*
	 * As the UPDATE ... WHERE status = 'assigned' AND agent_id = holder
	 * went: a row that qualifies is locked and, if it changed meanwhile,
	 * checked again; one that does not is only waited for (FOR KEY SHARE),
	 * to tell why.
	 */
	qualifies = assigned_to(dc, contact, holder);
	if (!lock_row(dc, CONTACT, contact, locked,
				  qualifies ? LockTupleNoKeyExclusive : LockTupleKeyShare, LockWaitBlock, &traversed))
		return DIRECT_FINISH_MISSING;
	/* A close a trigger skipped is reported as the UPDATE's 0 rows were. */
	if (qualifies && (!traversed || assigned_to(dc, locked, holder)) &&
		close_contact(dc, locked, outcome, outcome_null, now))
		return DIRECT_FINISH_DONE;
	*status = DatumGetCString(DirectFunctionCall1(enum_out,
												  get(dc, locked, CONTACT_STATUS, &isnull)));
	return holder == 0 ? DIRECT_FINISH_UNASSIGNED : DIRECT_FINISH_OTHER;
}

#else							/* not PostgreSQL 15 */

void
ClaimInit(void)
{
}

/* Always the SQL way: the functions below are never reached. */
DirectClaim *
direct_claim_begin(DirectUse use)
{
	return NULL;
}

void
direct_claim_end(DirectClaim *dc)
{
	pg_unreachable();
}

bool
direct_claim_lock_agent(DirectClaim *dc, int64 agent_id, AgentState *agent)
{
	pg_unreachable();
}

int
direct_claim_heads(DirectClaim *dc, TimestampTz now, QueueHead **heads)
{
	pg_unreachable();
}

bool
direct_claim_take_head(DirectClaim *dc, const QueueHead *queue, TimestampTz now,
					   TimestampTz hold_until, Claim *claim)
{
	pg_unreachable();
}

void
direct_assign(DirectClaim *dc, const Claim *claim, int64 agent_id, TimestampTz now)
{
	pg_unreachable();
}

int
direct_finish_round(DirectClaim *dc, int64 contact_id, Datum outcome, bool outcome_null,
					TimestampTz now, char **status)
{
	pg_unreachable();
}

#endif							/* PostgreSQL 15 */
