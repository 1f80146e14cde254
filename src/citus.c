/*
 * citus.c
 *		The guard of mycc's functions that read the tables mycc keeps on a
 *		Citus coordinator (docs/scaling.md#coordinator-functions).
 *
 * Over the rows of a distributed table Citus runs a query on the workers,
 * functions in its select list and WHERE included.  A function that reads
 * mycc.customer, mycc.identity or the rule tables there reads the worker's
 * copy, which is empty, and would answer NULL or nothing, silently: such
 * functions call the guard, which raises an error on a worker instead.
 *
 * A node is a worker when Citus is installed in the database and its
 * group (pg_dist_local_group) is not the coordinator's, 0: a node where
 * Citus is installed but no cluster set up yet is not one
 * (citus_is_coordinator() says false there too).  The answer is kept for
 * the backend's life: a node's role is set when the cluster is set up,
 * and the connections Citus opens to run shard queries start after that.
 * Without Citus, the guard costs one test of a static variable.
 */
#include "postgres.h"

#include "commands/extension.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "utils/builtins.h"

#include "citus.h"

typedef enum
{
	NODE_UNKNOWN,
	NODE_NOT_WORKER,
	NODE_WORKER
} NodeRole;

static NodeRole node_role = NODE_UNKNOWN;

/* Whether this backend runs on a Citus worker (computed once). */
static bool
on_citus_worker(void)
{
	if (node_role == NODE_UNKNOWN)
	{
		bool		worker = false;

		if (OidIsValid(get_extension_oid("citus", true)))
		{
			bool		isnull;

			SPI_connect();
			if (SPI_execute("SELECT groupid OPERATOR(pg_catalog.<>) 0 FROM pg_catalog.pg_dist_local_group",
							true, 1) != SPI_OK_SELECT)
				elog(ERROR, "could not read pg_dist_local_group");
			if (SPI_processed == 1)
				worker = DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull))
					&& !isnull;
			SPI_finish();
		}
		node_role = worker ? NODE_WORKER : NODE_NOT_WORKER;
	}
	return node_role == NODE_WORKER;
}

void
citus_require_coordinator(const char *relation)
{
	if (on_citus_worker())
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("cannot read mycc.%s on a Citus worker", relation),
				 errdetail("mycc keeps mycc.%s on the coordinator; the worker's copy is empty.", relation),
				 errhint("Call the function in a statement that reads no distributed table: read the rows first, "
						 "then call it on them (docs/scaling.md#coordinator-functions).")));
}

PG_FUNCTION_INFO_V1(mycc_require_coordinator);
/*
 * require_coordinator(relation text): true, or 55000 on a Citus worker
 * (relation: a table of schema mycc, for the message).
 * mycc's SQL functions that read a coordinator table put it in their WHERE
 * clause, where it is evaluated once per call.
 */
Datum
mycc_require_coordinator(PG_FUNCTION_ARGS)
{
	citus_require_coordinator(text_to_cstring(PG_GETARG_TEXT_PP(0)));
	PG_RETURN_BOOL(true);
}
