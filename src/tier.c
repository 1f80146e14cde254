/*
 * tier.c
 *		The customer_tier type and the per-backend cache of mycc.tier.
 *
 * A customer_tier value is the tier's id.  Text input looks the name or an
 * alias up (trimmed, ASCII letters folded to lower case), output prints the
 * current name, and comparison follows the tier's rank.  Both lookups go
 * through a cache of the whole (small) mycc.tier table, built on first use
 * in each backend and thrown away when the table changes: a statement
 * trigger on mycc.tier (mycc_policy_invalidate) sends a relcache invalidation
 * for the table, which reaches every backend at its next transaction (and
 * this one at its next command), and the callback registered in TierInit()
 * (through cache_register: mycc has one relcache callback for all its caches)
 * marks the cache stale; so does any change to a function (a syscache
 * callback on pg_proc), which is all a Citus worker sees of a tier change:
 * a new mycc.tier_definitions().
 *
 * Tombstones.  A deleted tier leaves a row in mycc.tier_retired (id, rank,
 * name), written by the tier_after_delete trigger.  No live value holds a
 * retired id, but btree indexes may, in dead leaf tuples and in pivot keys
 * of internal pages that VACUUM never removes, and btree descent compares
 * the key being searched or inserted with them.  The cache therefore loads
 * the tombstones too, after the live tiers: comparison (and output) find a
 * retired id with its old rank forever, while input, the tier list and the
 * policy accessors see live tiers only.  The triggers keep a retired id and
 * a retired rank from ever being taken again, so the order stays the one
 * the indexes were built with.  mycc.tier_retired has the same invalidation
 * trigger as mycc.tier, and the callback watches both tables.
 *
 * Published definitions.  pg_dump loads table data in schema and table
 * order, and pg_restore -j in parallel: a user's table holding a tier added
 * after install may be read (and its indexes built) before mycc.tier's rows
 * are back.  So, like an enum's labels, the tiers are also kept in the
 * schema, which is restored before any data: the statement trigger
 * tier_publish writes every row of mycc.tier into the SQL function
 * mycc.tier_definitions() (not a member of the extension but dependent on
 * it, so pg_dump writes it, after CREATE EXTENSION and before the data).
 * The cache adds each published tier whose id mycc.tier lacks, and prefers
 * a published row to an unchanged seeded row of the same id (a seeded tier
 * renamed before the dump).  Once mycc.tier's rows are restored, both agree.
 * A name or an id the cache lacks reloads it once before it is an error:
 * the function may have been created after this backend loaded the cache.
 *
 * Memory: the cache lives in its own context under CacheMemoryContext; a
 * reload builds a new context first and deletes the old one only after the
 * new one is complete.  Callers copy what they need (a rank, a name) and
 * never keep an entry pointer across another lookup.
 */
#include "postgres.h"

#include <math.h>

#include "access/genam.h"
#include "access/hash.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "catalog/namespace.h"
#include "catalog/pg_proc.h"
#include "nodes/makefuncs.h"
#include "parser/parser.h"
#include "utils/syscache.h"
#include "parser/parse_func.h"
#include "utils/typcache.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "libpq/pqformat.h"
#include "parser/scansup.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"

#include "cache.h"
#include "tier.h"

/* The cache: valid until the generation moves on. */
static MemoryContext tier_cache_context = NULL;
static TierList tier_cache;
static int16 *tier_index_of_id = NULL;	/* id -> position in tier_cache */
static int	tier_max_id = 0;
static bool tier_cache_valid = false;
static uint64 tier_cache_generation = 0;
static Oid	tier_relid = InvalidOid;
static Oid	tier_retired_relid = InvalidOid;

/* Relcache callback: a change to mycc.tier or mycc.tier_retired (or a full reset) stales the cache. */
static void
tier_relcache_callback(Datum arg, Oid relid)
{
	if (!OidIsValid(relid) || relid == tier_relid || relid == tier_retired_relid)
	{
		tier_cache_valid = false;
		tier_cache_generation++;
	}
}

/*
 * Syscache callback on pg_proc: mycc.tier_definitions() may have been
 * replaced.  On a Citus worker that is the only change a tier change makes
 * (the coordinator's mycc.tier stays there), and a renamed tier must not
 * keep its old name in a worker's cache.  Any function's change stales
 * the cache; reloading it reads a few rows.
 */
static void
tier_proc_callback(Datum arg, int cacheid, uint32 hashvalue)
{
	tier_cache_valid = false;
	tier_cache_generation++;
}

/*
 * Registers the invalidation callbacks; called once from _PG_init.  A
 * syscache callback slot is not a relcache one: PostgreSQL 15 has 64 of
 * them (MAX_SYSCACHE_CALLBACKS).
 */
void
TierInit(void)
{
	cache_register(tier_relcache_callback, (Datum) 0);
	CacheRegisterSyscacheCallback(PROCOID, tier_proc_callback, (Datum) 0);
}

/* Copy of text with ASCII white space trimmed and ASCII letters folded. */
static char *
tier_fold_key(const char *text, int len)
{
	char	   *key;

	while (len > 0 && scanner_isspace(*text))
		text++, len--;
	while (len > 0 && scanner_isspace(text[len - 1]))
		len--;
	key = palloc(len + 1);
	for (int i = 0; i < len; i++)
		key[i] = pg_ascii_tolower((unsigned char) text[i]);
	key[len] = '\0';
	return key;
}

/* Attribute number of a mycc.tier column, by name. */
static int
tier_attnum(TupleDesc desc, const char *name)
{
	for (int i = 0; i < desc->natts; i++)
	{
		Form_pg_attribute attr = TupleDescAttr(desc, i);

		if (!attr->attisdropped && strcmp(NameStr(attr->attname), name) == 0)
			return i;
	}
	elog(ERROR, "column \"%s\" of mycc.tier or mycc.tier_retired not found", name);
	return -1;					/* keep compiler quiet */
}

/* Fills one entry from a mycc.tier row (the current context is the cache's). */
static void
tier_entry_from_row(TierEntry *entry, TupleDesc desc, Datum *values, bool *nulls)
{
	Datum		aliases = values[tier_attnum(desc, "aliases")];
	text	   *name = DatumGetTextPP(values[tier_attnum(desc, "name")]);
	Datum	   *elems = NULL;
	bool	   *elem_nulls = NULL;
	int			nelems = 0;
	int			share = tier_attnum(desc, "revenue_share");

	if (!nulls[tier_attnum(desc, "aliases")])
		deconstruct_array(DatumGetArrayTypeP(aliases), TEXTOID, -1, false,
						  TYPALIGN_INT, &elems, &elem_nulls, &nelems);
	entry->id = DatumGetInt16(values[tier_attnum(desc, "id")]);
	entry->retired = false;
	entry->rank = DatumGetFloat8(values[tier_attnum(desc, "rank")]);
	entry->name = text_to_cstring(name);
	entry->keys = palloc(sizeof(char *) * (nelems + 1));
	entry->keys[0] = tier_fold_key(VARDATA_ANY(name), VARSIZE_ANY_EXHDR(name));
	entry->nkeys = 1;
	for (int i = 0; i < nelems; i++)
	{
		text	   *alias;

		if (elem_nulls[i])
			continue;
		alias = DatumGetTextPP(elems[i]);
		entry->keys[entry->nkeys++] = tier_fold_key(VARDATA_ANY(alias),
													VARSIZE_ANY_EXHDR(alias));
	}
	entry->service_mode = DatumGetObjectId(values[tier_attnum(desc, "service_mode")]);
	entry->queue_priority = DatumGetInt32(values[tier_attnum(desc, "queue_priority")]);
	/* Detoasted (4-byte header), so that numeric_cmp need not copy it per call. */
	entry->min_value = PointerGetDatum(PG_DETOAST_DATUM_COPY(values[tier_attnum(desc, "min_value")]));
	entry->revenue_share = nulls[share] ? NAN : DatumGetFloat8(values[share]);
	entry->seeded = DatumGetBool(values[tier_attnum(desc, "seeded")]);
}

/* Fills a tombstone from a mycc.tier_retired row: id, rank and name only. */
static void
tier_entry_from_retired_row(TierEntry *entry, TupleDesc desc, Datum *values, bool *nulls)
{
	memset(entry, 0, sizeof(TierEntry));
	entry->id = DatumGetInt16(values[tier_attnum(desc, "id")]);
	entry->retired = true;
	entry->rank = DatumGetFloat8(values[tier_attnum(desc, "rank")]);
	entry->name = TextDatumGetCString(values[tier_attnum(desc, "name")]);
	entry->revenue_share = NAN;
}

/* Orders entries by descending rank. */
static int
tier_entry_rank_desc(const void *a, const void *b)
{
	double		ra = ((const TierEntry *) a)->rank;
	double		rb = ((const TierEntry *) b)->rank;

	return (ra < rb) - (ra > rb);
}

/*
 * Reads every row of mycc.tier (or, retired, of mycc.tier_retired) into
 * the current context; returns the count.
 */
static int
tier_read_table(Oid relid, bool retired, TierEntry **entries)
{
	Relation	rel = table_open(relid, AccessShareLock);
	TupleDesc	desc = RelationGetDescr(rel);
	Snapshot	snapshot;
	SysScanDesc scan;
	HeapTuple	tuple;
	int			n = 0;
	int			allocated = 8;
	Datum	   *values = palloc(sizeof(Datum) * desc->natts);
	bool	   *nulls = palloc(sizeof(bool) * desc->natts);

	*entries = palloc(sizeof(TierEntry) * allocated);
	/* A fresh snapshot: it sees every committed change and our own. */
	InvalidateCatalogSnapshot();
	snapshot = RegisterSnapshot(GetCatalogSnapshot(relid));
	scan = systable_beginscan(rel, InvalidOid, false, snapshot, 0, NULL);
	while (HeapTupleIsValid(tuple = systable_getnext(scan)))
	{
		CHECK_FOR_INTERRUPTS();
		if (n == allocated)
			*entries = repalloc(*entries, sizeof(TierEntry) * (allocated *= 2));
		heap_deform_tuple(tuple, desc, values, nulls);
		if (retired)
			tier_entry_from_retired_row(&(*entries)[n++], desc, values, nulls);
		else
			tier_entry_from_row(&(*entries)[n++], desc, values, nulls);
	}
	systable_endscan(scan);
	UnregisterSnapshot(snapshot);
	table_close(rel, AccessShareLock);
	return n;
}

/*
 * The text that mycc.tier_definitions() returns, read from its body
 * (SELECT '...'::text, as tier_publish writes it) by the raw parser rather
 * than by running it: customer_tier output runs where no SQL may, such as
 * in a walsender decoding a user table's rows for logical replication
 * (no active snapshot there).  42P13 for a body of any other shape.
 */
static char *
tier_definitions_text(Oid fn)
{
	HeapTuple	proc = SearchSysCache1(PROCOID, ObjectIdGetDatum(fn));
	bool		isnull;
	List	   *stmts;
	SelectStmt *select = NULL;
	ResTarget  *target = NULL;
	TypeCast   *cast = NULL;
	A_Const    *literal = NULL;

	if (!HeapTupleIsValid(proc))
		elog(ERROR, "cache lookup failed for function %u", fn);
	stmts = raw_parser(TextDatumGetCString(SysCacheGetAttr(PROCOID, proc, Anum_pg_proc_prosrc, &isnull)),
					   RAW_PARSE_DEFAULT);
	ReleaseSysCache(proc);
	if (list_length(stmts) == 1 && IsA(linitial_node(RawStmt, stmts)->stmt, SelectStmt))
		select = (SelectStmt *) linitial_node(RawStmt, stmts)->stmt;
	if (select != NULL && list_length(select->targetList) == 1 && select->fromClause == NIL)
		target = linitial_node(ResTarget, select->targetList);
	if (target != NULL && IsA(target->val, TypeCast))
		cast = (TypeCast *) target->val;
	if (cast != NULL && IsA(cast->arg, A_Const))
		literal = (A_Const *) cast->arg;
	if (literal == NULL || literal->isnull || !IsA(&literal->val, String))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_FUNCTION_DEFINITION),
				 errmsg("function mycc.tier_definitions() is not one that tier_publish wrote"),
				 errhint("Drop it; the next change to mycc.tier writes it again.")));
	return strVal(&literal->val);
}

/*
 * Reads the rows that mycc.tier_definitions() publishes into the current
 * context (0 when no tier was ever changed: the function does not exist).
 */
static int
tier_read_definitions(Oid nsp, TierEntry **entries)
{
	Oid			fn = LookupFuncName(list_make2(makeString(get_namespace_name(nsp)),
											   makeString("tier_definitions")),
									0, NULL, true);
	ArrayType  *rows;
	Datum	   *elems;
	bool	   *elem_nulls;
	int			nelems;
	int			n = 0;
	Oid			array_type = get_array_type(get_rel_type_id(tier_relid));
	Oid			array_in;
	Oid			array_ioparam;

	if (!OidIsValid(fn))
		return 0;
	/* The rows come as the text of a mycc.tier[] (see tier_publish). */
	getTypeInputInfo(array_type, &array_in, &array_ioparam);
	rows = DatumGetArrayTypeP(OidInputFunctionCall(array_in, tier_definitions_text(fn),
												   array_ioparam, -1));
	deconstruct_array(rows, ARR_ELEMTYPE(rows), -1, false, TYPALIGN_DOUBLE,
					  &elems, &elem_nulls, &nelems);
	*entries = palloc(sizeof(TierEntry) * Max(nelems, 1));
	for (int i = 0; i < nelems; i++)
	{
		HeapTupleHeader row = DatumGetHeapTupleHeader(elems[i]);
		TupleDesc	desc;
		HeapTupleData tuple;
		Datum	   *values;
		bool	   *nulls;

		if (elem_nulls[i])
			continue;
		desc = lookup_rowtype_tupdesc(HeapTupleHeaderGetTypeId(row),
									  HeapTupleHeaderGetTypMod(row));
		tuple.t_len = HeapTupleHeaderGetDatumLength(row);
		tuple.t_data = row;
		values = palloc(sizeof(Datum) * desc->natts);
		nulls = palloc(sizeof(bool) * desc->natts);
		heap_deform_tuple(&tuple, desc, values, nulls);
		tier_entry_from_row(&(*entries)[n++], desc, values, nulls);
		ReleaseTupleDesc(desc);
	}
	return n;
}

/* Position of the live entry with this id among entries[0 .. n - 1], or -1. */
static int
tier_entry_position(const TierEntry *entries, int n, int16 id)
{
	for (int i = 0; i < n; i++)
		if (entries[i].id == id)
			return i;
	return -1;
}

/*
 * Merges the published definitions into the live entries read from
 * mycc.tier (room for n + ndefs entries): a published tier whose id is
 * neither live nor retired is added; one whose id belongs to an unchanged
 * seeded row replaces that row.  Returns the new count.
 */
static int
tier_merge_definitions(TierEntry *entries, int n, const TierEntry *defs, int ndefs,
					   const TierEntry *retired, int nretired)
{
	for (int d = 0; d < ndefs; d++)
	{
		int			live = tier_entry_position(entries, n, defs[d].id);

		if (live < 0 && tier_entry_position(retired, nretired, defs[d].id) < 0)
			entries[n++] = defs[d];
		else if (live >= 0 && entries[live].seeded && !defs[d].seeded)
			entries[live] = defs[d];
	}
	return n;
}

/*
 * Builds the cache from the tables, retrying if they changed meanwhile:
 * the live tiers by descending rank, then the tombstones, in one array
 * indexed by id.
 */
static void
tier_cache_load(void)
{
	for (;;)
	{
		uint64		generation = tier_cache_generation;
		Oid			nsp = get_namespace_oid("mycc", true);
		MemoryContext context;
		MemoryContext old;
		TierEntry  *entries;
		TierEntry  *retired;
		TierEntry  *defs = NULL;
		int16	   *index_of_id;
		int			n;
		int			nretired;
		int			ndefs;
		int			max_id = 0;

		tier_relid = OidIsValid(nsp) ? get_relname_relid("tier", nsp) : InvalidOid;
		tier_retired_relid = OidIsValid(nsp) ? get_relname_relid("tier_retired", nsp) : InvalidOid;
		if (!OidIsValid(tier_relid) || !OidIsValid(tier_retired_relid))
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_TABLE),
					 errmsg("table %s does not exist",
							OidIsValid(tier_relid) ? "mycc.tier_retired" : "mycc.tier"),
					 errhint("Install the extension with CREATE EXTENSION mycc.")));

		/* Built under the current context: an error frees it. */
		context = AllocSetContextCreate(CurrentMemoryContext, "mycc tier cache",
										ALLOCSET_SMALL_SIZES);
		old = MemoryContextSwitchTo(context);
		n = tier_read_table(tier_relid, false, &entries);
		nretired = tier_read_table(tier_retired_relid, true, &retired);
		ndefs = tier_read_definitions(nsp, &defs);
		entries = repalloc(entries, sizeof(TierEntry) * Max(n + ndefs, 1));
		n = tier_merge_definitions(entries, n, defs, ndefs, retired, nretired);
		qsort(entries, n, sizeof(TierEntry), tier_entry_rank_desc);
		entries = repalloc(entries, sizeof(TierEntry) * Max(n + nretired, 1));
		memcpy(entries + n, retired, sizeof(TierEntry) * nretired);
		for (int i = 0; i < n + nretired; i++)
			max_id = Max(max_id, entries[i].id);
		index_of_id = palloc(sizeof(int16) * (max_id + 1));
		for (int i = 0; i <= max_id; i++)
			index_of_id[i] = -1;
		/* Tombstones first: should an id be both (triggers bypassed), the live tier wins. */
		for (int i = n + nretired - 1; i >= 0; i--)
			index_of_id[entries[i].id] = (int16) i;
		MemoryContextSwitchTo(old);

		if (generation != tier_cache_generation)
		{
			/* Invalidated while reading (a lock wait): read again. */
			MemoryContextDelete(context);
			continue;
		}
		MemoryContextSetParent(context, CacheMemoryContext);
		if (tier_cache_context != NULL)
			MemoryContextDelete(tier_cache_context);
		tier_cache_context = context;
		tier_cache.ntiers = n;
		tier_cache.tiers = entries;
		tier_index_of_id = index_of_id;
		tier_max_id = max_id;
		tier_cache_valid = true;
		return;
	}
}

/* The cached tiers, highest rank first, loading them if needed. */
const TierList *
tier_list(void)
{
	if (!tier_cache_valid)
		tier_cache_load();
	return &tier_cache;
}

/* The entry of a tier id in the cache as it is, or NULL if none has it. */
static const TierEntry *
tier_cached_by_id(int16 id)
{
	const TierList *list = tier_list();

	if (id <= 0 || id > tier_max_id || tier_index_of_id[id] < 0)
		return NULL;
	return &list->tiers[tier_index_of_id[id]];
}

/* Reloads the cache: a miss may be a tier published after it was loaded. */
static void
tier_cache_reload(void)
{
	tier_cache_valid = false;
	tier_cache_load();
}

/*
 * The entry of a tier id, live or a tombstone, or NULL if none has it (after
 * one reload).
 */
static const TierEntry *
tier_or_retired_by_id(int16 id)
{
	const TierEntry *entry = tier_cached_by_id(id);

	if (entry == NULL && id > 0)
	{
		tier_cache_reload();
		entry = tier_cached_by_id(id);
	}
	return entry;
}

/* 42704 for a value of no tier at all (a row deleted behind the triggers). */
static void
tier_report_missing(int16 id)
{
	ereport(ERROR,
			(errcode(ERRCODE_UNDEFINED_OBJECT),
			 errmsg("customer_tier with id %d does not exist", id),
			 errhint("The row of mycc.tier with this id was deleted, and mycc.tier_retired has no row for it.")));
}

/*
 * The entry of a stored value for comparison and output: a retired tier's
 * tombstone is found too (its id may sit in an index); no tier is 42704.
 */
static const TierEntry *
tier_or_retired_of_value(int16 id)
{
	const TierEntry *entry = tier_or_retired_by_id(id);

	if (entry == NULL)
		tier_report_missing(id);
	return entry;
}

/* The live tier of a stored value, for its policy; a retired or missing tier is 42704. */
const TierEntry *
tier_of_value(int16 id)
{
	const TierEntry *entry = tier_or_retired_of_value(id);

	if (entry->retired)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("customer_tier with id %d is the retired tier \"%s\"", id, entry->name),
				 errdetail("The tier was deleted; mycc.tier_retired keeps only its id, rank and name."),
				 errhint("Move the value to a tier of mycc.tier.")));
	return entry;
}

/* "high, mid, low, free": the tier names in rank order, for hints. */
static char *
tier_names_list(void)
{
	const TierList *list = tier_list();
	StringInfoData names;

	initStringInfo(&names);
	for (int i = 0; i < list->ntiers; i++)
		appendStringInfo(&names, "%s%s", i > 0 ? ", " : "", list->tiers[i].name);
	return names.data;
}

/* The id of the live tier with this folded name or alias, or 0. */
static int16
tier_cached_id_of_key(const char *key)
{
	const TierList *list = tier_list();

	for (int i = 0; i < list->ntiers; i++)
		for (int k = 0; k < list->tiers[i].nkeys; k++)
			if (strcmp(list->tiers[i].keys[k], key) == 0)
				return list->tiers[i].id;
	return 0;
}

/*
 * Looks a name or alias up (after one reload if the cache lacks it); 22P02
 * with the list of tiers if unknown.
 */
static int16
tier_id_from_text(const char *text)
{
	char	   *key = tier_fold_key(text, strlen(text));
	int16		id = tier_cached_id_of_key(key);

	if (id == 0)
	{
		tier_cache_reload();
		id = tier_cached_id_of_key(key);
	}
	if (id != 0)
		return id;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid input value for type customer_tier: \"%s\"", text),
			 errhint("The tiers are: %s (or one of their aliases in mycc.tier).",
					 tier_names_list())));
	return 0;					/* keep compiler quiet */
}

PG_FUNCTION_INFO_V1(mycc_customer_tier_in);
/* Text input: a tier's name or alias, case-insensitive for ASCII letters. */
Datum
mycc_customer_tier_in(PG_FUNCTION_ARGS)
{
	PG_RETURN_CUSTOMER_TIER(tier_id_from_text(PG_GETARG_CSTRING(0)));
}

PG_FUNCTION_INFO_V1(mycc_customer_tier_out);
/*
 * Text output: the tier's current name; a retired tier's last name (only a
 * value the delete check could not see holds one: input refuses that name).
 */
Datum
mycc_customer_tier_out(PG_FUNCTION_ARGS)
{
	PG_RETURN_CSTRING(pstrdup(tier_or_retired_of_value(PG_GETARG_CUSTOMER_TIER(0))->name));
}

PG_FUNCTION_INFO_V1(mycc_customer_tier_recv);
/* Binary input: the name as text, like enum labels (ids are per database). */
Datum
mycc_customer_tier_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			nbytes;
	char	   *name = pq_getmsgtext(buf, buf->len - buf->cursor, &nbytes);

	PG_RETURN_CUSTOMER_TIER(tier_id_from_text(name));
}

PG_FUNCTION_INFO_V1(mycc_customer_tier_send);
/* Binary output: the name as text (a retired tier's last name, as output). */
Datum
mycc_customer_tier_send(PG_FUNCTION_ARGS)
{
	const char *name = tier_or_retired_of_value(PG_GETARG_CUSTOMER_TIER(0))->name;
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendtext(&buf, name, strlen(name));
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

PG_FUNCTION_INFO_V1(mycc_tier_id);
/* tier_id(t): the stable id stored in the value. */
Datum
mycc_tier_id(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT16(PG_GETARG_CUSTOMER_TIER(0));
}

/*
 * -1, 0 or 1 by rank; equal ids are equal without a lookup.  A retired id
 * compares by its tombstone's rank: btree descent meets such ids in pivot
 * keys, and they must stay where they were placed.
 */
static int
tier_compare(int16 a, int16 b)
{
	double		ra;
	double		rb;

	if (a == b)
		return 0;
	ra = tier_or_retired_of_value(a)->rank;
	rb = tier_or_retired_of_value(b)->rank;
	return (ra > rb) - (ra < rb);
}

/* Ranks are unique, so equality is equality of ids (no cache needed). */
#define TIER_COMPARISON(name, test) \
PG_FUNCTION_INFO_V1(mycc_customer_tier_##name); \
Datum \
mycc_customer_tier_##name(PG_FUNCTION_ARGS) \
{ \
	int			c = tier_compare(PG_GETARG_CUSTOMER_TIER(0), PG_GETARG_CUSTOMER_TIER(1)); \
	PG_RETURN_BOOL(test); \
}

TIER_COMPARISON(lt, c < 0)
TIER_COMPARISON(le, c <= 0)
TIER_COMPARISON(gt, c > 0)
TIER_COMPARISON(ge, c >= 0)

PG_FUNCTION_INFO_V1(mycc_customer_tier_eq);
/* = : the same tier. */
Datum
mycc_customer_tier_eq(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(PG_GETARG_CUSTOMER_TIER(0) == PG_GETARG_CUSTOMER_TIER(1));
}

PG_FUNCTION_INFO_V1(mycc_customer_tier_ne);
/* <> : different tiers. */
Datum
mycc_customer_tier_ne(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(PG_GETARG_CUSTOMER_TIER(0) != PG_GETARG_CUSTOMER_TIER(1));
}

PG_FUNCTION_INFO_V1(mycc_customer_tier_cmp);
/* btree support: -1, 0 or 1 by rank. */
Datum
mycc_customer_tier_cmp(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(tier_compare(PG_GETARG_CUSTOMER_TIER(0), PG_GETARG_CUSTOMER_TIER(1)));
}

PG_FUNCTION_INFO_V1(mycc_customer_tier_smaller);
/* min() support: the lower-ranked tier. */
Datum
mycc_customer_tier_smaller(PG_FUNCTION_ARGS)
{
	int16		a = PG_GETARG_CUSTOMER_TIER(0);
	int16		b = PG_GETARG_CUSTOMER_TIER(1);

	PG_RETURN_CUSTOMER_TIER(tier_compare(a, b) <= 0 ? a : b);
}

PG_FUNCTION_INFO_V1(mycc_customer_tier_larger);
/* max() support: the higher-ranked tier. */
Datum
mycc_customer_tier_larger(PG_FUNCTION_ARGS)
{
	int16		a = PG_GETARG_CUSTOMER_TIER(0);
	int16		b = PG_GETARG_CUSTOMER_TIER(1);

	PG_RETURN_CUSTOMER_TIER(tier_compare(a, b) >= 0 ? a : b);
}

PG_FUNCTION_INFO_V1(mycc_customer_tier_hash);
/* hash support: the hash of the id. */
Datum
mycc_customer_tier_hash(PG_FUNCTION_ARGS)
{
	return hash_uint32((uint32) PG_GETARG_CUSTOMER_TIER(0));
}

PG_FUNCTION_INFO_V1(mycc_customer_tier_hash_extended);
/* Extended hash support, for hash partitioning and Citus. */
Datum
mycc_customer_tier_hash_extended(PG_FUNCTION_ARGS)
{
	return hash_uint32_extended((uint32) PG_GETARG_CUSTOMER_TIER(0),
								PG_GETARG_INT64(1));
}
