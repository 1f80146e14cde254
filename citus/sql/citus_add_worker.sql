-- A worker added to a running cluster, then taken out again
-- (docs/scaling.md#adding-a-worker).  Citus creates mycc on the new node
-- when it is added, with every tier and channel the coordinator knows
-- (both published functions are ones Citus distributes), so the shards
-- of the answers and the routing log can move there; the answers, their
-- checks and the readers' rights are the same after the move, and after
-- draining the node again.  The spare node is tools/citus_cluster.sh's.
\getenv spare_port CITUS_SPARE_PORT
SET search_path = public, mycc;
-- A tier and a channel the install script does not have, and answers that
-- use them, before the node joins.
INSERT INTO mycc.tier (name, aliases, rank, service_mode, first_response_target)
VALUES ('gold', '{黄金}', 42, 'dedicated', '45 seconds');
ALTER TYPE mycc.channel ADD VALUE 'kakao';
SELECT count(*) AS published_functions_distributed FROM pg_dist_object
WHERE objid IN (to_regprocedure('mycc.tier_definitions()'), to_regprocedure('mycc.channel_definitions()'));
INSERT INTO mycc.survey (customer_id, channel, tier, nps, csat, answered_at)
SELECT c, (ARRAY['kakao', 'phone', 'email'])[1 + c % 3]::mycc.channel,
	(ARRAY['gold', 'high', 'free', 'low'])[1 + c % 4]::mycc.customer_tier,
	c % 11, 1 + c % 5, '2026-11-22 08:00:00+00'::timestamptz + c % 600 * interval '1 minute'
FROM generate_series(820001, 823000) AS c;
CREATE TABLE answers_before AS
SELECT channel::text, tier::text, count(*) AS n, mycc.nps_agg(nps)::text AS nps, mycc.csat_agg(csat)::text AS csat
FROM mycc.survey GROUP BY channel, tier;
-- The node joins: mycc is there, at the coordinator's version, with the
-- tier and the channel, before any shard moves.
SELECT 1 AS added FROM citus_add_node('localhost', :spare_port);
SELECT count(*) AS workers FROM citus_get_active_worker_nodes();
SELECT result FROM run_command_on_workers($$SELECT extversion || ' ' || 'gold'::mycc.customer_tier || ' ' || '黄金'::mycc.customer_tier
	|| ' ' || 'kakao'::mycc.channel FROM pg_extension WHERE extname = 'mycc'$$)
WHERE nodeport = :spare_port;
-- A channel added now reaches all three workers.
ALTER TYPE mycc.channel ADD VALUE 'zalo';
SELECT count(*) AS workers, bool_and(success) AS all_ok, min(result) = max(result) AS same_labels
FROM run_command_on_workers($$SELECT pg_catalog.enum_range(NULL::mycc.channel)::text$$);
-- Shards move to it (Citus's rebalancer, writes blocked while a shard
-- moves); the answers are the same.
SET client_min_messages = warning;
SELECT rebalance_table_shards(shard_transfer_mode => 'block_writes');
RESET client_min_messages;
SELECT count(*) > 0 AS shards_on_new_worker FROM pg_dist_shard_placement WHERE nodeport = :spare_port;
SELECT count(*) AS answers_changed FROM (
	(SELECT channel::text, tier::text, count(*), mycc.nps_agg(nps)::text, mycc.csat_agg(csat)::text
	FROM mycc.survey GROUP BY channel, tier
	EXCEPT SELECT * FROM answers_before)
	UNION ALL
	(SELECT * FROM answers_before
	EXCEPT SELECT channel::text, tier::text, count(*), mycc.nps_agg(nps)::text, mycc.csat_agg(csat)::text
	FROM mycc.survey GROUP BY channel, tier)) AS d;
SELECT channel, tier, n, nps FROM answers_before WHERE channel = 'kakao' ORDER BY tier;
-- On the new worker's shards: new answers in the new tier and channel,
-- and the answers' checks.
SELECT min(c) AS on_new_worker FROM generate_series(823001, 824000) AS c
WHERE (SELECT p.nodeport FROM pg_dist_shard_placement AS p
	WHERE p.shardid = get_shard_id_for_distribution_column('mycc.survey', c)) = :spare_port \gset
INSERT INTO mycc.survey (customer_id, channel, tier, nps) VALUES (:on_new_worker, 'zalo', 'gold', 10);
SELECT channel, tier, nps FROM mycc.survey WHERE customer_id = :on_new_worker;
\set VERBOSITY sqlstate
INSERT INTO mycc.survey (customer_id, channel, tier) VALUES (:on_new_worker, 'kakao', 'gold');
\set VERBOSITY default
-- A BI login reads the daily view over the moved shards with its rights.
CREATE ROLE regress_citus_bi2 LOGIN IN ROLE mycc_reader;
\c - regress_citus_bi2
SELECT channel, tier, sum(n) AS n FROM mycc.nps_daily WHERE channel IN ('kakao', 'zalo') AND tier = 'gold' GROUP BY 1, 2 ORDER BY 1, 2;
\c - postgres
DROP ROLE regress_citus_bi2;
-- The node leaves: its shards move back, the answers are the same, and
-- the two workers hold 16 shards of each table again.
SET client_min_messages = warning;
SELECT citus_drain_node('localhost', :spare_port, shard_transfer_mode => 'block_writes');
SELECT 1 AS removed FROM citus_remove_node('localhost', :spare_port);
SELECT rebalance_table_shards(shard_transfer_mode => 'block_writes');
RESET client_min_messages;
SELECT count(*) AS workers FROM citus_get_active_worker_nodes();
SELECT logicalrelid, count(*) AS shards, count(DISTINCT nodeport) AS workers, max(n) AS most_on_one
FROM (SELECT s.logicalrelid, p.nodeport, count(*) OVER (PARTITION BY s.logicalrelid, p.nodeport) AS n
	FROM pg_dist_shard AS s JOIN pg_dist_shard_placement AS p USING (shardid)) AS x
GROUP BY 1 ORDER BY logicalrelid::text;
SELECT count(*) AS answers_changed FROM (
	SELECT channel::text, tier::text, count(*), mycc.nps_agg(nps)::text, mycc.csat_agg(csat)::text
	FROM mycc.survey WHERE customer_id <> :on_new_worker GROUP BY channel, tier
	EXCEPT SELECT * FROM answers_before) AS d;
DROP TABLE answers_before;
DELETE FROM mycc.survey WHERE customer_id BETWEEN 820001 AND 824000;
DELETE FROM mycc.tier WHERE name = 'gold';
