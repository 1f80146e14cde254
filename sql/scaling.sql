-- mycc.distribute() and the helpers mycc uses on a Citus cluster, on a
-- server without Citus (tools/citus_check.sh runs them on a cluster).
\set VERBOSITY default
SELECT * FROM mycc.distribute();
\set VERBOSITY terse
-- Not for everyone.
CREATE ROLE regress_scaling_nobody;
SET ROLE regress_scaling_nobody;
SELECT * FROM mycc.distribute();
SELECT mycc.distribute_published('mycc.nps_count(mycc.nps_state)'::regprocedure);
SELECT mycc.run_on_workers('PERFORM 1', 'do nothing');
-- Nothing to do without Citus, for whoever calls them.
SELECT mycc.on_citus_coordinator();
SELECT mycc.require_coordinator('customer') AS not_a_worker;
SELECT mycc.citus_set_local('citus.multi_shard_modify_mode', 'sequential') IS NULL AS nothing;
SELECT current_setting('citus.multi_shard_modify_mode', true) IS NULL AS still_unknown;
RESET ROLE;
SELECT mycc.publish_definitions_on_workers('tier_definitions');
SELECT mycc.publish_definitions_on_workers('no_such_definitions');
SELECT mycc.distribute_published('mycc.nps_count(mycc.nps_state)'::regprocedure);
SELECT mycc.distribute_published(NULL);
SELECT mycc.run_on_workers('PERFORM 1 / 0', 'divide by zero');
-- A Citus setting that exists (a placeholder here, as Citus's own are when
-- it is loaded) is set for the rest of the transaction, also past the end
-- of a calling function with a SET clause for another setting; the value
-- before comes back, to be put back.  No other setting is set.
BEGIN;
SET LOCAL citus.regress_setting = 'a';
SELECT mycc.citus_set_local('citus.regress_setting', 'b') AS previous;
SELECT current_setting('citus.regress_setting') AS now;
CREATE FUNCTION pg_temp.sets_c() RETURNS text LANGUAGE sql SET search_path = pg_catalog
	RETURN mycc.citus_set_local('citus.regress_setting', 'c');
SELECT pg_temp.sets_c() AS previous, current_setting('citus.regress_setting') AS after_return;
SELECT mycc.citus_set_local('citus.regress_setting', 'b') AS put_back_from, current_setting('citus.regress_setting') AS now;
SELECT mycc.citus_set_local('work_mem', '1GB') IS NULL AS returns_nothing;
SELECT current_setting('work_mem') <> '1GB' AS work_mem_untouched;
ROLLBACK;
-- The BI role reads the answers in mycc.survey, not who gave them (a
-- view on a distributed table reads the shards with the reader's rights).
SET ROLE regress_scaling_nobody;
SELECT count(*) FROM mycc.survey;
RESET ROLE;
GRANT mycc_reader TO regress_scaling_nobody;
SET ROLE regress_scaling_nobody;
SELECT count(*) AS answers, count(DISTINCT channel) >= 0 AS channels_readable FROM (SELECT channel, tier, nps, csat, answered_at FROM mycc.survey) AS s;
SELECT customer_id FROM mycc.survey LIMIT 1;
SELECT contact_id FROM mycc.survey LIMIT 1;
RESET ROLE;
DROP ROLE regress_scaling_nobody;
