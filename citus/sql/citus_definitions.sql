-- Tiers and channels added on the coordinator are known on every node:
-- the workers read and write customer_tier and channel values of the
-- shards' rows (docs/scaling.md#tiers-and-channels).
-- A tier published before mycc.distribute() (tools/citus_check.sh changed
-- one with Citus's DDL propagation off, as on a server that had mycc
-- before Citus): distribute() made the function one Citus sends.
SET search_path = public, mycc;
SELECT count(*) AS distributed FROM pg_dist_object WHERE objid = 'mycc.tier_definitions()'::regprocedure;
SELECT success, result FROM run_command_on_workers($$SELECT count(*) FROM pg_proc WHERE proname = 'tier_definitions'$$)
ORDER BY nodeport;
INSERT INTO mycc.tier (name, aliases, rank, service_mode, first_response_target)
VALUES ('platinum', '{白金}', 45, 'dedicated', '30 seconds');
ALTER TYPE mycc.channel ADD VALUE 'line';
SELECT success, result FROM run_command_on_workers($$SELECT '白金'::mycc.customer_tier::text || ' ' || 'line'::mycc.channel$$)
ORDER BY nodeport;
-- Rows of the new tier and channel on the shards, read back through the
-- coordinator, ordered by rank on the workers.
INSERT INTO mycc.survey (customer_id, channel, tier, nps, answered_at)
SELECT c, 'line', (ARRAY['platinum', 'high', 'free'])[1 + c % 3]::mycc.customer_tier, c % 11, '2026-11-20 10:00:00+00'
FROM generate_series(800001, 800060) AS c;
SELECT tier, count(*), mycc.nps_agg(nps) FROM mycc.survey WHERE channel = 'line' GROUP BY tier ORDER BY tier DESC;
SELECT count(*) AS above_high FROM mycc.survey WHERE channel = 'line' AND tier > 'high';
-- A renamed tier: the shards' rows show the new name at once.
UPDATE mycc.tier SET name = 'diamond' WHERE name = 'platinum';
SELECT DISTINCT tier FROM mycc.survey WHERE channel = 'line' AND tier > 'high';
SELECT success, result FROM run_command_on_workers($$SELECT 'diamond'::mycc.customer_tier::text$$) ORDER BY nodeport;
-- A tier still used on a shard cannot be deleted (its rows are on the
-- workers); once they move, it can, and is unknown everywhere.
DELETE FROM mycc.tier WHERE name = 'diamond';
UPDATE mycc.survey SET tier = 'high' WHERE tier = 'diamond';
DELETE FROM mycc.tier WHERE name = 'diamond';
SELECT success, result FROM run_command_on_workers($$SELECT 'diamond'::mycc.customer_tier::text$$) ORDER BY nodeport;
-- In a transaction that queried shards in parallel first, a tier change
-- cannot reach the workers (Citus refuses): the whole transaction fails,
-- nothing is half-written.  (SET LOCAL citus.multi_shard_modify_mode =
-- 'sequential' first lets it through.)
\set VERBOSITY terse
BEGIN;
SELECT count(*) FROM mycc.survey;
INSERT INTO mycc.tier (name, rank, service_mode, first_response_target) VALUES ('bronze', 15, 'deferred', '8 hours');
ROLLBACK;
\set VERBOSITY default
SELECT count(*) AS bronze FROM mycc.tier WHERE name = 'bronze';
SELECT success, result FROM run_command_on_workers($$SELECT count(*) FROM mycc.tier_definitions() AS d WHERE d LIKE '%bronze%'$$) ORDER BY nodeport;
BEGIN;
SET LOCAL citus.multi_shard_modify_mode = 'sequential';
SELECT count(*) FROM mycc.survey;
INSERT INTO mycc.tier (name, rank, service_mode, first_response_target) VALUES ('bronze', 15, 'deferred', '8 hours');
COMMIT;
SELECT success, result FROM run_command_on_workers($$SELECT 'bronze'::mycc.customer_tier::text$$) ORDER BY nodeport;
DELETE FROM mycc.tier WHERE name = 'bronze';
