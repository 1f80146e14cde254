-- mycc.distribute() on the coordinator of a Citus cluster (1 coordinator +
-- 2 workers): tools/citus_check.sh called it once already; a second call
-- changes nothing and lists the same layout.
SELECT * FROM mycc.distribute();
SELECT logicalrelid, column_to_column_name(logicalrelid, partkey) AS distribution_column, colocationid > 0 AS colocated,
	(SELECT count(*) FROM pg_dist_shard AS s WHERE s.logicalrelid = p.logicalrelid) AS shards
FROM pg_dist_partition AS p WHERE logicalrelid::text LIKE 'mycc.%' ORDER BY 1;
-- One co-location group: a customer's answers and routing decisions are on
-- one worker.
SELECT count(DISTINCT colocationid) AS colocation_groups FROM pg_dist_partition WHERE logicalrelid::text LIKE 'mycc.%';
-- How many shards a query goes to (the Task Count of its plan): one
-- customer's decisions, and its answers beside its decisions, one shard;
-- every customer's, all 32.
DO $$
DECLARE
	query text;
	line text;
BEGIN
	FOREACH query IN ARRAY ARRAY[
		'SELECT * FROM mycc.routing_decision WHERE customer_id = 42',
		'SELECT d.reason, s.nps FROM mycc.routing_decision AS d JOIN mycc.survey AS s USING (customer_id) WHERE customer_id = 42',
		'SELECT count(*) FROM mycc.routing_decision'] LOOP
		FOR line IN EXECUTE 'EXPLAIN (COSTS OFF) ' || query LOOP
			IF line ~ 'Task Count' THEN
				RAISE NOTICE '%: %', btrim(line), query;
			END IF;
		END LOOP;
	END LOOP;
END
$$;
-- Every node has the same mycc.
SELECT nodeport > 0 AS worker, success, result = (SELECT extversion FROM pg_extension WHERE extname = 'mycc') AS same_version
FROM run_command_on_workers($$SELECT extversion FROM pg_extension WHERE extname = 'mycc'$$) ORDER BY nodeport;
-- On a worker, mycc.distribute() refuses.
SELECT success, result FROM run_command_on_workers($$SELECT mycc.distribute()$$) ORDER BY nodeport;
-- Not for everyone: distributing a table needs its owner.
CREATE ROLE regress_citus_nobody;
SET ROLE regress_citus_nobody;
SELECT * FROM mycc.distribute();
RESET ROLE;
DROP ROLE regress_citus_nobody;
