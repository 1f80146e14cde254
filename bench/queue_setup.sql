-- bench/queue_setup.sql: the start of the assignment and queue_decay cases'
-- setup (bench/cases/assignment.sh, queue_decay.sh), included by psql with
-- the variable depth: the hash function for deterministic data, mycc's
-- routing tables emptied, 4 queues with required skills, and customers
-- 1..depth (2 % high, 8 % mid, 30 % low, 60 % free).  Opens the
-- transaction the case goes on with.
SET search_path = public, mycc;
-- A uniform [0, 1) from a hash of (key, salt): deterministic data.
CREATE FUNCTION pg_temp.u(key bigint, salt integer) RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN ((hashint8extended(key, salt) >> 11) & 9007199254740991)::double precision / 9007199254740992.0;

BEGIN;
DELETE FROM mycc.routing_rule;
DELETE FROM mycc.contact;
UPDATE mycc.customer SET account_manager = NULL;
DELETE FROM mycc.agent;
DELETE FROM mycc.queue;
INSERT INTO mycc.queue (id, name, required_skills, target_answer, is_default) VALUES
	(1, 'general', '{general}', '5 min', true), (2, 'refund', '{refund}', '10 min', false),
	(3, 'vip', '{vip}', '1 min', false), (4, 'self service', '{bot}', '1 hour', false);
INSERT INTO mycc.customer (id, name, tier, lifetime_value)
SELECT i, 'bench ' || i, mycc.tier_for_value(v), v
FROM generate_series(1, :depth) AS i,
	LATERAL (SELECT CASE WHEN pg_temp.u(i, 81) < 0.02 THEN 5000 WHEN pg_temp.u(i, 81) < 0.10 THEN 1000
		WHEN pg_temp.u(i, 81) < 0.40 THEN 100 ELSE 0 END::numeric AS v) AS x;
