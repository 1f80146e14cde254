-- customer_tier and the mycc.tier policy table.
SET search_path = public, mycc;

-- The seeded pyramid of the brief.
SELECT id, name, aliases, rank, service_mode, queue_priority, first_response_target,
	min_value, revenue_share, seeded
FROM mycc.tier ORDER BY rank DESC;

-- Input: name or alias, trimmed, ASCII case folded; output: the name.
SELECT s, s::customer_tier AS tier
FROM unnest(ARRAY['high', 'HIGH', ' Mid ', 'vip', 'VIP', '高付费', '中付费', '低付费', '免费', E'\tfree\n']) AS s;
SELECT pg_column_size('high'::customer_tier) AS bytes, mycc.tier_id('high') AS high_id, mycc.tier_id('免费') AS free_id;

-- Unknown tiers: 22P02 with the list of tiers.
SELECT 'gold'::customer_tier;
SELECT ''::customer_tier;
SELECT 'hi gh'::customer_tier;
\set VERBOSITY sqlstate
SELECT 'gold'::customer_tier;
\set VERBOSITY default

-- Order follows rank, not name or id.
SELECT t FROM unnest('{low,free,high,mid}'::customer_tier[]) AS t ORDER BY t;
SELECT 'high'::customer_tier > 'mid' AS gt, 'free'::customer_tier < 'low' AS lt,
	'mid'::customer_tier >= 'mid' AS ge, 'mid'::customer_tier <= 'high' AS le,
	'vip'::customer_tier = 'high' AS eq, 'vip'::customer_tier <> 'mid' AS ne,
	customer_tier_cmp('low', 'mid') AS cmp;
SELECT mycc.min(t), mycc.max(t) FROM unnest('{low,free,mid}'::customer_tier[]) AS t;
SELECT customer_tier_smaller('high', 'low'), customer_tier_larger('high', 'low');
SELECT customer_tier_hash('vip') = customer_tier_hash('high') AS same_hash,
	customer_tier_hash_extended('vip', 1) = customer_tier_hash_extended('high', 1) AS same_extended;

-- An index on tiers; a tier inserted between two others sorts right in it.
CREATE TABLE accounts (id int, tier customer_tier);
INSERT INTO accounts SELECT i, (ARRAY['high', 'mid', 'low', 'free'])[1 + i % 4]::customer_tier FROM generate_series(1, 2000) AS i;
CREATE INDEX accounts_tier ON accounts (tier);
CREATE INDEX accounts_tier_hash ON accounts USING hash (tier);
ANALYZE accounts;
INSERT INTO mycc.tier (name, aliases, rank, service_mode, queue_priority, first_response_target, min_value)
VALUES ('gold', '{金牌}', 35, 'instant', 70, '2 minutes', 5000);
INSERT INTO accounts SELECT i, 'gold' FROM generate_series(2001, 2100) AS i;
SET enable_seqscan = off;
SET enable_bitmapscan = off;
EXPLAIN (COSTS OFF) SELECT count(*) FROM accounts WHERE tier > 'mid';
SELECT count(*) AS above_mid FROM accounts WHERE tier > 'mid';
SELECT count(*) AS gold_to_high FROM accounts WHERE tier BETWEEN 'gold' AND 'high';
SELECT tier, count(*) FROM accounts WHERE tier >= 'low' GROUP BY tier ORDER BY tier DESC;
DROP INDEX accounts_tier;
EXPLAIN (COSTS OFF) SELECT count(*) FROM accounts WHERE tier = '金牌';
SELECT count(*) AS gold_by_hash FROM accounts WHERE tier = '金牌';
RESET enable_seqscan;
RESET enable_bitmapscan;
SELECT count(*) AS above_mid_seqscan FROM accounts WHERE tier > 'mid';

-- Renaming changes how values print, not what they are.
UPDATE mycc.tier SET name = 'platinum', aliases = aliases || '{plat}' WHERE name = 'high';
SELECT tier, count(*) FROM accounts WHERE tier > 'gold' GROUP BY tier;
SELECT 'plat'::customer_tier = 'vip' AS alias_kept;
SELECT 'high'::customer_tier AS old_name;
UPDATE mycc.tier SET name = 'high', aliases = '{高付费,vip}' WHERE name = 'platinum';

-- Guards: rank and id are frozen; names and aliases unique and valid.
UPDATE mycc.tier SET rank = 50 WHERE name = 'high';
UPDATE mycc.tier SET id = 9 WHERE name = 'high';
INSERT INTO mycc.tier (name, rank, service_mode, first_response_target) VALUES ('High', 45, 'dedicated', '1 minute');
INSERT INTO mycc.tier (name, aliases, rank, service_mode, first_response_target) VALUES ('whale', '{ VIP }', 45, 'dedicated', '1 minute');
INSERT INTO mycc.tier (name, aliases, rank, service_mode, first_response_target) VALUES ('whale', '{鲸鱼,WHALE}', 45, 'dedicated', '1 minute');
INSERT INTO mycc.tier (name, aliases, rank, service_mode, first_response_target) VALUES ('whale', '{NULL}', 45, 'dedicated', '1 minute');
INSERT INTO mycc.tier (name, aliases, rank, service_mode, first_response_target) VALUES ('whale', '{" "}', 45, 'dedicated', '1 minute');
INSERT INTO mycc.tier (name, rank, service_mode, first_response_target) VALUES ('   ', 45, 'dedicated', '1 minute');
INSERT INTO mycc.tier (name, rank, service_mode, first_response_target) VALUES (repeat('x', 64), 45, 'dedicated', '1 minute');
INSERT INTO mycc.tier (name, rank, service_mode, first_response_target) VALUES ('whale', 40, 'dedicated', '1 minute');
INSERT INTO mycc.tier (name, rank, service_mode, first_response_target) VALUES ('whale', 'NaN', 'dedicated', '1 minute');
INSERT INTO mycc.tier (name, rank, service_mode, first_response_target, revenue_share) VALUES ('whale', 45, 'dedicated', '1 minute', 1.5);
INSERT INTO mycc.tier (name, rank, service_mode, first_response_target, min_value) VALUES ('whale', 45, 'dedicated', '1 minute', -1);
INSERT INTO mycc.tier (name, rank, service_mode, first_response_target) VALUES ('whale', 45, 'dedicated', '0 seconds');
INSERT INTO mycc.tier (name, rank, service_mode, first_response_target) VALUES ('whale', 45, 'vip_only', '1 minute');
INSERT INTO mycc.tier (name, rank, service_mode, first_response_target) VALUES ('  Whale  ', 45, 'dedicated', '1 minute');
SELECT name, seeded FROM mycc.tier WHERE rank >= 35 ORDER BY rank DESC;
SELECT mycc.tier_key('  VIP客户 '), mycc.tier_key(E'\tGold\n');

-- A user's tier is never seeded, whatever the INSERT, COPY or UPDATE says:
-- pg_dump keeps only the rows WHERE NOT seeded.
INSERT INTO mycc.tier (name, rank, service_mode, first_response_target, seeded) VALUES ('bronze', 15, 'deferred', '8 hours', true);
COPY mycc.tier (name, rank, service_mode, first_response_target, seeded) FROM stdin;
copper	12	self_service	12:00:00	t
\.
UPDATE mycc.tier SET seeded = true WHERE name = 'bronze';
UPDATE mycc.tier SET seeded = true WHERE name = 'mid';
SELECT name, seeded FROM mycc.tier ORDER BY rank DESC;
SELECT string_agg(name, ', ' ORDER BY rank DESC) AS dumped FROM mycc.tier WHERE NOT seeded;
-- The restore path still redefines an unchanged seeded tier (id and rank
-- of a seeded row): a changed row is no longer seeded, an identical one is.
BEGIN;
INSERT INTO mycc.tier (id, name, aliases, rank, service_mode, queue_priority, first_response_target, min_value, revenue_share, seeded)
VALUES (3, 'basic', '{低付费}', 20, 'deferred', 20, '4 hours', 0.01, 1.0, true),
	(4, 'free', '{免费}', 10, 'self_service', 0, '24 hours', 0, NULL, true);
SELECT id, name, seeded FROM mycc.tier WHERE id IN (3, 4) ORDER BY id;
ROLLBACK;
DELETE FROM mycc.tier WHERE name IN ('bronze', 'copper');

-- Deleting: refused while a customer_tier column uses the tier.
DELETE FROM mycc.tier WHERE name = 'gold';
\set VERBOSITY sqlstate
DELETE FROM mycc.tier WHERE name = 'gold';
\set VERBOSITY default
UPDATE accounts SET tier = 'high' WHERE tier = 'gold';
DELETE FROM mycc.tier WHERE name = 'gold';
DELETE FROM mycc.tier WHERE mycc.tier_key(name) = 'whale';
SELECT count(*) AS tiers FROM mycc.tier;
TRUNCATE mycc.tier;
TRUNCATE mycc.tier CASCADE;

-- A value whose tier row is gone (only possible by bypassing the trigger) is a clear error.
CREATE TABLE orphan (t customer_tier);
INSERT INTO orphan VALUES ('high');
ALTER TABLE mycc.tier DISABLE TRIGGER tier_before_write;
INSERT INTO mycc.tier (id, name, rank, service_mode, first_response_target) VALUES (99, 'temp', 99, 'instant', '1 minute');
ALTER TABLE mycc.tier ENABLE TRIGGER tier_before_write;
ALTER TABLE mycc.tier DISABLE TRIGGER tier_before_delete;
INSERT INTO orphan VALUES ('temp');
DELETE FROM mycc.tier WHERE id = 99;
ALTER TABLE mycc.tier ENABLE TRIGGER tier_before_delete;
SELECT t FROM orphan ORDER BY 1;
SELECT count(*) FROM orphan WHERE t = 'high';
SELECT mycc.service_mode(t) FROM orphan WHERE mycc.tier_id(t) = 99;
SELECT mycc.tier_priority(t) FROM orphan WHERE mycc.tier_id(t) = 99;
SELECT mycc.tier_policy(t) FROM orphan WHERE mycc.tier_id(t) = 99;
\set VERBOSITY sqlstate
SELECT mycc.tier_policy(t) FROM orphan WHERE mycc.tier_id(t) = 99;
\set VERBOSITY default
DROP TABLE orphan;

-- The trigger function refuses to run outside a trigger.
SELECT mycc.tier_invalidate();

-- Binary COPY sends the name; recv looks it up.
\copy accounts TO 'results/tier.bin' WITH (FORMAT binary)
CREATE TABLE accounts_copy (LIKE accounts);
\copy accounts_copy FROM 'results/tier.bin' WITH (FORMAT binary)
SELECT (SELECT string_agg(id || ':' || tier, ',' ORDER BY id) FROM accounts)
	= (SELECT string_agg(id || ':' || tier, ',' ORDER BY id) FROM accounts_copy) AS round_trip;
CREATE TABLE raw (b bytea);
INSERT INTO raw VALUES (convert_to('gold', 'UTF8'));
\copy raw TO 'results/tier_bad.bin' WITH (FORMAT binary)
\copy accounts_copy (tier) FROM 'results/tier_bad.bin' WITH (FORMAT binary)

-- mycc.tier is dumped, but not its unchanged seeded rows.
SELECT 'mycc.tier'::regclass::oid = ANY (extconfig) AS tier_dumped,
	extcondition[array_position(extconfig, 'mycc.tier'::regclass::oid)] AS filter
FROM pg_extension WHERE extname = 'mycc';

DROP TABLE accounts, accounts_copy, raw;
RESET search_path;
