-- Removing mycc from the cluster (docs/scaling.md#removing-mycc), last:
-- the shards of mycc.survey on the workers are not members of the
-- extension, so DROP EXTENSION stops at them (and Citus's
-- undistribute_table refuses a table of an extension).  With CASCADE the
-- extension goes from every node, but on the workers the shards (without
-- their mycc columns) and tier_definitions() stay in schema mycc, until
-- the schema is dropped there with Citus's DDL propagation off.
\set VERBOSITY terse
DROP EXTENSION mycc;
\set VERBOSITY default
SET client_min_messages = warning;
DROP EXTENSION mycc CASCADE;
RESET client_min_messages;
SELECT count(*) AS mycc_here FROM pg_extension WHERE extname = 'mycc';
-- On the workers: no extension, but the shards and tier_definitions() left
-- in schema mycc (16 shards of each distributed table, and the function).
SELECT success, result FROM run_command_on_workers($$SELECT (SELECT count(*) FROM pg_extension WHERE extname = 'mycc') || ' '
	|| (SELECT count(*) FROM pg_depend WHERE refclassid = 'pg_namespace'::regclass AND refobjid = 'mycc'::regnamespace)$$) ORDER BY nodeport;
-- One statement (a DO block): with two statements in the command, the
-- answer came back after the first (SET), and the next check could run
-- before the worker had dropped the schema.
SELECT success, result FROM run_command_on_workers($cmd$DO $d$ BEGIN SET LOCAL citus.enable_ddl_propagation TO off; DROP SCHEMA mycc CASCADE; END $d$$cmd$)
ORDER BY nodeport;
SELECT success, result FROM run_command_on_workers($$SELECT count(*) FROM pg_namespace WHERE nspname = 'mycc'$$) ORDER BY nodeport;
SELECT count(*) AS survey_shards_left FROM pg_dist_shard WHERE logicalrelid::text LIKE 'mycc.%';
