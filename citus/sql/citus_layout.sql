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
-- Identity on the cluster (on the coordinator): resolve, link, lookup and
-- customer_identities answer as one server does.
SELECT mycc.resolve('email', 'layout.a@example.com') AS a, mycc.resolve('phone', '+8613800138111') AS b;
SELECT mycc.link('email', 'layout.a@example.com', 'phone', '+8613800138111', 'layout') AS survivor;
SELECT mycc.lookup('phone', '13800138111') = mycc.resolve('email', 'layout.a@example.com') AS one_customer;
SELECT kind, value, customer_id = mycc.lookup('email', 'layout.a@example.com') AS came_with_survivor
FROM mycc.customer_identities(mycc.lookup('phone', '+8613800138111'));
-- A function that reads the coordinator's tables (customer_root here) must
-- not run on the workers: over the rows of a distributed table Citus sends
-- it there, where mycc.customer is empty, and it fails (it would answer
-- NULL), also from a MATERIALIZED CTE when the query reads one shard
-- (Citus sends such a query to its worker whole).  Read the rows in a
-- statement of their own, then call it: it runs on the coordinator; a
-- MATERIALIZED CTE over several shards does the same.  The answers of the
-- absorbed customer (the phone's).
SELECT mycc.lookup('phone', '+8613800138111') AS survivor,
	(SELECT customer_id FROM mycc.identity WHERE kind = 'phone' AND value = '+8613800138111') AS absorbed \gset
INSERT INTO mycc.survey (customer_id, channel, tier, nps) VALUES (:absorbed, 'phone', 'free', 9), (:absorbed, 'sms', 'free', 10);
\set VERBOSITY terse
SELECT channel, mycc.customer_root(customer_id) AS on_the_workers FROM mycc.survey
WHERE customer_id = :absorbed ORDER BY channel;
WITH s AS MATERIALIZED (SELECT channel, customer_id FROM mycc.survey WHERE customer_id = :absorbed)
SELECT channel, mycc.customer_root(customer_id) AS one_shard_cte FROM s ORDER BY channel;
-- (lookup's arguments are constants: the condition on nps keeps the
-- query the workers', whatever Citus makes of constant calls.)
SELECT channel, mycc.lookup('phone', '+8613800138111') IS NULL AS lookup_on_the_workers FROM mycc.survey
WHERE customer_id = :absorbed AND nps > customer_id % 1 ORDER BY channel;
SELECT count(*) FROM mycc.customer_identities(:absorbed) AS i, mycc.survey AS s
WHERE s.customer_id = :absorbed AND i.customer_id = s.customer_id;
SELECT count(*) AS identities_read_first FROM unnest(ARRAY(SELECT i.customer_id FROM mycc.customer_identities(:absorbed) AS i)) AS x
WHERE x = :absorbed;
SELECT count(*) FROM mycc.survey AS s, LATERAL mycc.timeline(s.customer_id) AS t
WHERE s.customer_id = :absorbed;
SELECT mycc.contact_facts(customer_id, 1) FROM mycc.survey WHERE customer_id = :absorbed;
-- The rule caches of route and treatments: the rules are the coordinator's.
SELECT channel, (mycc.route(('{channel:' || channel || '}')::mycc.tagset)).queue FROM mycc.survey
WHERE customer_id = :absorbed ORDER BY channel;
SELECT channel, (mycc.treatments(('{channel:' || channel || '}')::mycc.tagset)).treatment FROM mycc.survey
WHERE customer_id = :absorbed ORDER BY channel;
-- tier_policy reads the row of mycc.tier, which the workers do not keep.
SELECT channel, (mycc.tier_policy(tier)).queue_priority FROM mycc.survey
WHERE customer_id = :absorbed ORDER BY channel;
\set VERBOSITY default
-- service_mode, tier_priority and tier_for_value work on the workers,
-- which know every tier (the published definitions), also after a change
-- to the tiers on the coordinator: the free tier's priority 0 -> 1, the
-- high tier from 2,000 -> 2,001 (a value of 2,000 is mid now).
UPDATE mycc.tier SET queue_priority = queue_priority + 1 WHERE name = 'free';
UPDATE mycc.tier SET min_value = min_value + 1 WHERE name = 'high';
SELECT channel, tier, mycc.service_mode(tier), mycc.tier_priority(tier),
	CAST(nps AS integer) * 200 AS value, mycc.tier_for_value(CAST(nps AS integer) * 200)
FROM mycc.survey WHERE customer_id = :absorbed ORDER BY channel;
UPDATE mycc.tier SET queue_priority = queue_priority - 1 WHERE name = 'free';
UPDATE mycc.tier SET min_value = min_value - 1 WHERE name = 'high';
SELECT array_agg(customer_id ORDER BY channel) AS ids FROM mycc.survey WHERE customer_id = :absorbed \gset
SELECT mycc.customer_root(x) = :survivor AS second_statement FROM unnest(:'ids'::bigint[]) AS x;
WITH s AS MATERIALIZED (SELECT channel, customer_id FROM mycc.survey WHERE customer_id IN (:absorbed, :survivor))
SELECT channel, mycc.customer_root(customer_id) = :survivor AS several_shards_cte
FROM s ORDER BY channel;
DELETE FROM mycc.survey WHERE customer_id = :absorbed;
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
