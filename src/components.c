/*
 * components.c
 *		mycc.connected_components(edges text): the connected components of
 *		the graph whose edges a query returns, by union-find (unionfind.c).
 *
 * The query's rows are read through a cursor in batches, so memory holds
 * the distinct nodes, never the edges.  The union-find's arrays live in a
 * memory context of each call's own (huge allocations allowed), a child of
 * the context the call starts in, which is deleted before returning (or
 * with its parent when the call fails); the union-find carries it, so no
 * state is shared between calls: a call nested in another's edge query, or
 * one that fails inside a caught exception, cannot touch another call's
 * memory.  The result is a tuplestore in the per-query context.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
#include "utils/tuplestore.h"

#include "identity.h"
#include "unionfind.h"

/* Rows fetched from the edge query at a time. */
#define COMPONENTS_BATCH 10000

/* unionfind.h's allocator shim: palloc in the call's context, huge sizes allowed. */
void *
uf_alloc(void *context, size_t size)
{
	return MemoryContextAllocExtended((MemoryContext) context, size, MCXT_ALLOC_HUGE);
}

/* unionfind.h's allocator shim: pfree. */
void
uf_free(void *context, void *pointer)
{
	pfree(pointer);
}

/* Reports a union-find failure. */
static void
uf_check(UfResult result)
{
	if (result == UF_TOO_MANY)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("graph has more than %u distinct nodes", (unsigned) MYCC_UF_MAX_NODES)));
	if (result != UF_OK)
		ereport(ERROR,
				(errcode(ERRCODE_OUT_OF_MEMORY),
				 errmsg("out of memory"),
				 errdetail("Failed to grow the union-find of mycc.connected_components.")));
}

/* A node label from an integer column value. */
static int64
node_label(Datum value, Oid type)
{
	switch (type)
	{
		case INT2OID:
			return DatumGetInt16(value);
		case INT4OID:
			return DatumGetInt32(value);
		default:
			return DatumGetInt64(value);
	}
}

/* Checks that the query's result has two integer columns. */
static void
check_edge_columns(TupleDesc desc, const char *query)
{
	if (desc->natts != 2)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("edge query must return 2 columns, not %d", desc->natts),
				 errdetail("Query: %s", query)));
	for (int i = 0; i < 2; i++)
	{
		Oid			type = TupleDescAttr(desc, i)->atttypid;

		if (type != INT2OID && type != INT4OID && type != INT8OID)
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("column %d of the edge query is of type %s, not an integer type",
							i + 1, format_type_be(type)),
					 errhint("Cast the node ids to bigint.")));
	}
}

/* Reads every edge of the query into uf. */
static void
read_edges(UnionFind *uf, const char *query)
{
	Portal		portal;
	Oid			types[2];

	portal = SPI_cursor_open_with_args(NULL, query, 0, NULL, NULL, NULL, false, 0);
	check_edge_columns(portal->tupDesc, query);
	types[0] = TupleDescAttr(portal->tupDesc, 0)->atttypid;
	types[1] = TupleDescAttr(portal->tupDesc, 1)->atttypid;
	for (;;)
	{
		SPITupleTable *tuptable;

		CHECK_FOR_INTERRUPTS();
		SPI_cursor_fetch(portal, true, COMPONENTS_BATCH);
		if (SPI_processed == 0)
			break;
		tuptable = SPI_tuptable;
		for (uint64 r = 0; r < SPI_processed; r++)
		{
			HeapTuple	tuple = tuptable->vals[r];
			bool		null_a,
						null_b;
			Datum		a = SPI_getbinval(tuple, tuptable->tupdesc, 1, &null_a);
			Datum		b = SPI_getbinval(tuple, tuptable->tupdesc, 2, &null_b);
			uint32		slot;

			/* (a, NULL) adds a as a node of its own; (NULL, NULL) nothing. */
			if (!null_a && !null_b)
				uf_check(uf_union(uf, node_label(a, types[0]), node_label(b, types[1])));
			else if (!null_a)
				uf_check(uf_add(uf, node_label(a, types[0]), &slot));
			else if (!null_b)
				uf_check(uf_add(uf, node_label(b, types[1]), &slot));
		}
		SPI_freetuptable(tuptable);
	}
	SPI_cursor_close(portal);
}

PG_FUNCTION_INFO_V1(mycc_connected_components);
/*
 * connected_components(edges text) -> setof (node bigint, component bigint):
 * every node of the edge query's rows with the smallest node of its
 * component, nodes in the order they first appear.
 */
Datum
mycc_connected_components(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	char	   *query = text_to_cstring(PG_GETARG_TEXT_PP(0));
	TupleDesc	tupdesc;
	Tuplestorestate *tupstore;
	MemoryContext per_query,
				oldcontext,
				uf_context;
	UnionFind	uf;

	if (rsinfo == NULL || !IsA(rsinfo, ReturnSetInfo) ||
		(rsinfo->allowedModes & SFRM_Materialize) == 0)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("set-valued function called in context that cannot accept a set")));
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");

	uf_context = AllocSetContextCreate(CurrentMemoryContext,
									   "mycc connected_components",
									   ALLOCSET_DEFAULT_SIZES);
	uf_check(uf_init(&uf, uf_context));

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	read_edges(&uf, query);
	SPI_finish();

	per_query = rsinfo->econtext->ecxt_per_query_memory;
	oldcontext = MemoryContextSwitchTo(per_query);
	tupdesc = CreateTupleDescCopy(tupdesc);
	tupstore = tuplestore_begin_heap(true, false, work_mem);
	MemoryContextSwitchTo(oldcontext);

	for (uint32 i = 0; i < uf.count; i++)
	{
		Datum		values[2];
		bool		nulls[2] = {false, false};

		if ((i & 0xffff) == 0)
			CHECK_FOR_INTERRUPTS();
		values[0] = Int64GetDatum(uf.label[i]);
		values[1] = Int64GetDatum(uf_component(&uf, i));
		tuplestore_putvalues(tupstore, tupdesc, values, nulls);
	}
	MemoryContextDelete(uf_context);

	rsinfo->returnMode = SFRM_Materialize;
	rsinfo->setResult = tupstore;
	rsinfo->setDesc = tupdesc;
	return (Datum) 0;
}
