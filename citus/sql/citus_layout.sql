-- mycc.distribute() on the coordinator of a Citus cluster (1 coordinator +
-- 2 workers): tools/citus_check.sh called it once already; a second call
-- changes nothing and lists the same layout.
SELECT * FROM mycc.distribute();
SELECT logicalrelid, column_to_column_name(logicalrelid, partkey) AS distribution_column, colocationid > 0 AS colocated,
	(SELECT count(*) FROM pg_dist_shard AS s WHERE s.logicalrelid = p.logicalrelid) AS shards
FROM pg_dist_partition AS p WHERE logicalrelid::text LIKE 'mycc.%' ORDER BY 1;
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
