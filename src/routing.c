/*
 * routing.c
 *		mycc.route(facts): the queue of a contact, by the routing rules.
 *
 * The enabled rows of mycc.routing_rule, highest priority first (then
 * lowest id), are compiled once per backend into the tag rule index of
 * tag_rules.c (a RuleCache), together with the default queue (the row of
 * mycc.queue with is_default); a change to either table drops the cache.
 * A call tests only the rules whose anchors the facts hold, in priority
 * order, and stops at the first match.  The claim and finish are SQL
 * statements run from src/assignment.c; the rest of routing (enqueue,
 * abandon, aging, account managers, replay) is SQL in src/sql/routing.sql:
 * one implementation, the same on every PostgreSQL version.
 */
#include "postgres.h"

#include "funcapi.h"
#include "utils/guc.h"
#include "utils/timestamp.h"

#include "mycc.h"
#include "routing.h"
#include "tags.h"

static RuleCache routing_cache = {
	.relnames = {"routing_rule", "queue"},
	.query = "SELECT r.id, r.condition, r.queue_id FROM mycc.routing_rule AS r"
	" WHERE r.enabled ORDER BY r.priority DESC, r.id",
	.fallback_query = "SELECT q.id FROM mycc.queue AS q WHERE q.is_default"
};

/*
 * GUC mycc.account_manager_hold, in seconds; SQL reads it through
 * mycc.account_manager_hold(), a C function, so that calling it loads this
 * library and defines the GUC (current_setting() in a new session that has
 * not yet loaded the library fails with "unrecognized configuration
 * parameter").
 */
static int	account_manager_hold = 120;

/*
 * Defines the routing GUCs and registers the invalidation of the routing
 * cache; called once from _PG_init.
 */
void
RoutingInit(void)
{
	DefineCustomIntVariable("mycc.account_manager_hold",
							"How long a customer's waiting contact is offered to its account manager alone.",
							"After this time any agent with the queue's skills may take it.",
							&account_manager_hold, 120, 0, 7 * 24 * 3600,
							PGC_USERSET, GUC_UNIT_S, NULL, NULL, NULL);
	rule_cache_register(&routing_cache);
}

PG_FUNCTION_INFO_V1(mycc_route);
/*
 * route(facts) -> (queue, rule): the first matching rule's queue, or the
 * default queue with a NULL rule, or both NULL when there is no default.
 */
Datum
mycc_route(PG_FUNCTION_ARGS)
{
	TagSet	   *facts = PG_GETARG_TAGSET(0);
	RuleSet    *rules = rule_cache_get(&routing_cache);
	int			match;
	int			tested;
	TupleDesc	desc;
	Datum		values[2] = {0, 0};
	bool		nulls[2] = {true, true};

	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "route must return a record");
	if (tag_rules_match(rules->index, facts, &match, 1, &tested) == 1)
	{
		values[0] = rules->payload[match];
		values[1] = Int64GetDatum(rules->ids[match]);
		nulls[0] = nulls[1] = false;
	}
	else if (rules->has_fallback)
	{
		values[0] = Int64GetDatum(rules->fallback);
		nulls[0] = false;
	}
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(desc), values, nulls)));
}

PG_FUNCTION_INFO_V1(mycc_account_manager_hold);
/* account_manager_hold() -> interval: the GUC mycc.account_manager_hold. */
Datum
mycc_account_manager_hold(PG_FUNCTION_ARGS)
{
	return mycc_seconds_interval(account_manager_hold);
}

/*
 * Errors for a call of a C function that mycc's SQL no longer declares: the
 * database's mycc objects are of an older version than this library.
 */
static void
report_old_schema(const char *function)
{
	ereport(ERROR,
			(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
			 errmsg("mycc.%s of this database is older than the mycc library", function),
			 errdetail("Since mycc 0.3.0 it runs over mycc.contact_queue, which this database lacks."),
			 errhint("Run ALTER EXTENSION mycc UPDATE.")));
}

PG_FUNCTION_INFO_V1(mycc_next_contact);
/*
 * The C symbol of next_contact up to mycc 0.2.0: the install and upgrade
 * scripts of those versions name it (CREATE EXTENSION mycc VERSION '0.2.0'
 * needs it), and a database not yet updated calls it.  Since 0.3.0 the
 * claim is PL/pgSQL over mycc.contact_queue (src/sql/routing.sql), which
 * such a database does not have: the call asks for the update.
 */
Datum
mycc_next_contact(PG_FUNCTION_ARGS)
{
	report_old_schema("next_contact");
	PG_RETURN_NULL();
}

PG_FUNCTION_INFO_V1(mycc_finish);
/* The C symbol of finish up to mycc 0.2.0; as mycc_next_contact. */
Datum
mycc_finish(PG_FUNCTION_ARGS)
{
	report_old_schema("finish");
	PG_RETURN_VOID();
}
