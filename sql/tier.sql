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
VALUES ('gold', '{金牌}', 36, 'instant', 70, '2 minutes', 5000);
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
INSERT INTO mycc.tier (name, rank, service_mode, first_response_target) VALUES ('  Whale  ', 46, 'dedicated', '1 minute');
SELECT name, seeded FROM mycc.tier WHERE rank >= 35 ORDER BY rank DESC;
SELECT mycc.tier_key('  VIP客户 '), mycc.tier_key(E'\tGold\n');

-- A user's tier is never seeded, whatever the INSERT, COPY or UPDATE says:
-- pg_dump keeps only the rows WHERE NOT seeded.
INSERT INTO mycc.tier (name, rank, service_mode, first_response_target, seeded) VALUES ('bronze', 16, 'deferred', '8 hours', true);
COPY mycc.tier (name, rank, service_mode, first_response_target, seeded) FROM stdin;
copper	13	self_service	12:00:00	t
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
SELECT name, rank FROM mycc.tier_retired ORDER BY rank DESC;

-- Deleting a tier keeps a tombstone (mycc.tier_retired): btree indexes on
-- tier columns still hold its id in dead tuples and in pivot keys of
-- internal pages, which VACUUM never removes, and inserts and searches
-- compare with them.  The reported case: a tier, a customer in it, the
-- customer moved away (or deleted), the tier deleted, a customer inserted.
CREATE EXTENSION amcheck;
CREATE EXTENSION pageinspect;
-- The tier ids in the pivot keys of an index's internal pages.
CREATE FUNCTION pg_temp.internal_keys(index regclass) RETURNS SETOF int LANGUAGE sql AS $$
	SELECT ('x' || substr(i.data, 4, 2) || substr(i.data, 1, 2))::bit(16)::int
	FROM generate_series(1, pg_relation_size(index) / 8192 - 1) AS b,
		LATERAL bt_page_stats(index::text, b::int) AS s,
		LATERAL bt_page_items(index::text, b::int) AS i
	WHERE s.type IN ('r', 'i') AND i.data <> ''
$$;
\getenv abs_srcdir PG_ABS_SRCDIR
\i :abs_srcdir/sql/include/plan_has.sql
INSERT INTO mycc.tier (name, aliases, rank, service_mode, first_response_target) VALUES ('silver', '{银牌}', 26, 'instant', '3 minutes');
SELECT mycc.tier_id('silver') AS silver_id \gset
INSERT INTO mycc.customer (name, tier) VALUES ('regress retire 0', 'silver');
UPDATE mycc.customer SET tier = 'mid' WHERE name = 'regress retire 0';
-- Enough rows of the tier that it lands in pivot keys of the index.
INSERT INTO mycc.customer (name, tier) SELECT 'regress retire ' || i, 'silver' FROM generate_series(1, 3000) AS i;
UPDATE mycc.customer SET tier = 'mid' WHERE name LIKE 'regress retire %' AND tier = 'silver' AND right(name, 1) < '5';
DELETE FROM mycc.customer WHERE name LIKE 'regress retire %' AND tier = 'silver';
DELETE FROM mycc.tier WHERE name = 'silver';
INSERT INTO mycc.customer (name, tier) VALUES ('regress retire low', 'low'), ('regress retire high', 'high'), ('regress retire mid', 'mid');
INSERT INTO mycc.customer (name, tier) SELECT 'regress retire new ' || i, (ARRAY['high', 'mid', 'low', 'free'])[1 + i % 4]::customer_tier FROM generate_series(1, 400) AS i;
SELECT id = :silver_id AS same_id, name, rank FROM mycc.tier_retired WHERE name = 'silver';
-- The index returns what a sequential scan returns.
SET enable_seqscan = off;
SET enable_bitmapscan = off;
SELECT pg_temp.plan_has('SELECT id FROM mycc.customer WHERE tier > ''low'' AND tier < ''high''', 'customer_tier_idx') AS uses_index;
SELECT string_agg(id || ':' || tier, ',' ORDER BY id) AS by_index, count(*) AS middle FROM mycc.customer WHERE tier > 'low' AND tier < 'high' \gset
SELECT string_agg(id || ':' || tier, ',' ORDER BY id) AS by_index_le FROM mycc.customer WHERE tier <= 'mid' \gset
RESET enable_seqscan;
RESET enable_bitmapscan;
SET enable_indexscan = off;
SET enable_indexonlyscan = off;
SET enable_bitmapscan = off;
SELECT pg_temp.plan_has('SELECT id FROM mycc.customer WHERE tier > ''low'' AND tier < ''high''', 'Seq Scan') AS uses_seqscan;
SELECT string_agg(id || ':' || tier, ',' ORDER BY id) = :'by_index' AS same_rows, :middle > 1500 AS many
FROM mycc.customer WHERE tier > 'low' AND tier < 'high';
SELECT string_agg(id || ':' || tier, ',' ORDER BY id) = :'by_index_le' AS same_rows_le
FROM mycc.customer WHERE tier <= 'mid';
RESET enable_indexscan;
RESET enable_indexonlyscan;
RESET enable_bitmapscan;
-- amcheck compares every pivot key with its neighbours and children.
SELECT bt_index_check('mycc.customer_tier_idx', true)::text = '' AS index_ok,
	bt_index_parent_check('mycc.customer_tier_idx', true)::text = '' AS parent_ok;
-- VACUUM removes the dead leaf tuples, not the pivot keys of internal
-- pages: the retired id is still there, and still compared with.
VACUUM mycc.customer;
SELECT EXISTS (SELECT FROM pg_temp.internal_keys('mycc.customer_tier_idx') AS k
	WHERE k = :silver_id) AS pivot_holds_retired_id;
INSERT INTO mycc.customer (name, tier) VALUES ('regress retire after vacuum', 'mid');
SELECT count(*) AS mid_after_vacuum FROM mycc.customer WHERE tier = 'mid' AND name = 'regress retire after vacuum';
SELECT bt_index_check('mycc.customer_tier_idx', true)::text = '' AS index_ok_after_vacuum;
-- A retired name is no name on input.
SELECT 'silver'::customer_tier;
SELECT '银牌'::customer_tier;
-- A retired id or rank is never taken again (23505); its name may be.
INSERT INTO mycc.tier (name, rank, service_mode, first_response_target) VALUES ('argent', 26, 'instant', '3 minutes');
INSERT INTO mycc.tier (id, name, rank, service_mode, first_response_target) VALUES (:silver_id, 'argent', 27, 'instant', '3 minutes');
\set VERBOSITY sqlstate
INSERT INTO mycc.tier (name, rank, service_mode, first_response_target) VALUES ('argent', 26, 'instant', '3 minutes');
INSERT INTO mycc.tier (id, name, rank, service_mode, first_response_target) VALUES (:silver_id, 'argent', 27, 'instant', '3 minutes');
\set VERBOSITY default
INSERT INTO mycc.tier (name, rank, service_mode, first_response_target) VALUES ('silver', 27, 'instant', '3 minutes');
SELECT mycc.tier_id('silver') <> :silver_id AS new_id, 'silver'::customer_tier > 'low' AS above_low;
DELETE FROM mycc.tier WHERE name = 'silver';
SELECT count(*) AS silver_tombstones FROM mycc.tier_retired WHERE name = 'silver';
DELETE FROM mycc.customer WHERE name LIKE 'regress retire %';
-- Tombstones are kept for ever and only ever describe deleted tiers.
UPDATE mycc.tier_retired SET rank = 1;
DELETE FROM mycc.tier_retired;
TRUNCATE mycc.tier_retired;
INSERT INTO mycc.tier_retired (id, rank, name) VALUES (1, 41, 'high');
INSERT INTO mycc.tier_retired (id, rank, name) VALUES (200, 30, 'mid');
\set VERBOSITY sqlstate
INSERT INTO mycc.tier_retired (id, rank, name) VALUES (200, 30, 'mid');
UPDATE mycc.tier_retired SET rank = 1;
\set VERBOSITY default
-- The tombstone of an unchanged seeded tier deletes it (how pg_restore
-- brings back the deletion of a seeded tier that CREATE EXTENSION installed again).
BEGIN;
UPDATE accounts SET tier = 'low' WHERE tier = 'free';
INSERT INTO mycc.tier_retired (id, rank, name) VALUES (4, 10, 'free');
SELECT name FROM mycc.tier ORDER BY rank DESC;
SELECT id, name, rank FROM mycc.tier_retired WHERE id = 4;
SELECT '免费'::customer_tier;
ROLLBACK;
DROP EXTENSION pageinspect;
DROP EXTENSION amcheck;

-- A value of a retired tier (only possible where the delete check does not
-- look, here by bypassing it) still prints, sorts and hashes; its policy is
-- a clear 42704 naming the retired tier.
CREATE TABLE orphan (t customer_tier);
INSERT INTO orphan VALUES ('high');
ALTER TABLE mycc.tier DISABLE TRIGGER tier_before_write;
INSERT INTO mycc.tier (id, name, rank, service_mode, first_response_target) VALUES (99, 'temp', 99, 'instant', '1 minute');
INSERT INTO mycc.tier (id, name, rank, service_mode, first_response_target) VALUES (98, 'gone', 98, 'instant', '1 minute');
ALTER TABLE mycc.tier ENABLE TRIGGER tier_before_write;
ALTER TABLE mycc.tier DISABLE TRIGGER tier_before_delete;
INSERT INTO orphan VALUES ('temp');
DELETE FROM mycc.tier WHERE id = 99;
ALTER TABLE mycc.tier ENABLE TRIGGER tier_before_delete;
SELECT t, mycc.tier_id(t) FROM orphan ORDER BY 1;
SELECT count(*) FROM orphan WHERE t = 'high';
SELECT count(*) AS above_high FROM orphan WHERE t > 'high';
SELECT customer_tier_hash(t) = hashint4(99) AS hashes FROM orphan WHERE mycc.tier_id(t) = 99;
SELECT mycc.service_mode(t) FROM orphan WHERE mycc.tier_id(t) = 99;
SELECT mycc.tier_priority(t) FROM orphan WHERE mycc.tier_id(t) = 99;
SELECT mycc.tier_policy(t) FROM orphan WHERE mycc.tier_id(t) = 99;
\set VERBOSITY sqlstate
SELECT mycc.service_mode(t) FROM orphan WHERE mycc.tier_id(t) = 99;
SELECT mycc.tier_policy(t) FROM orphan WHERE mycc.tier_id(t) = 99;
\set VERBOSITY default
-- A value whose tier row is gone without a tombstone (all triggers bypassed) is a clear error.
ALTER TABLE mycc.tier DISABLE TRIGGER tier_before_delete;
ALTER TABLE mycc.tier DISABLE TRIGGER tier_after_delete;
INSERT INTO orphan VALUES ('gone');
DELETE FROM mycc.tier WHERE id = 98;
ALTER TABLE mycc.tier ENABLE TRIGGER tier_after_delete;
ALTER TABLE mycc.tier ENABLE TRIGGER tier_before_delete;
SELECT t FROM orphan ORDER BY 1;
SELECT count(*) FROM orphan WHERE t = 'high';
SELECT mycc.service_mode(t) FROM orphan WHERE mycc.tier_id(t) = 98;
SELECT mycc.tier_priority(t) FROM orphan WHERE mycc.tier_id(t) = 98;
SELECT mycc.tier_policy(t) FROM orphan WHERE mycc.tier_id(t) = 98;
\set VERBOSITY sqlstate
SELECT mycc.tier_policy(t) FROM orphan WHERE mycc.tier_id(t) = 98;
\set VERBOSITY default
DROP TABLE orphan;

-- The trigger function refuses to run outside a trigger.
SELECT mycc.tier_invalidate();

-- Binary COPY sends the name; recv looks it up.
-- Text and binary I/O (COPY FORMAT binary included) go through these:
SELECT typinput = 'mycc.customer_tier_in'::regproc AND typoutput = 'mycc.customer_tier_out'::regproc
	AND typreceive = 'mycc.customer_tier_recv'::regproc AND typsend = 'mycc.customer_tier_send'::regproc AS io_functions
FROM pg_type WHERE oid = 'mycc.customer_tier'::regtype;
\copy accounts TO 'results/tier.bin' WITH (FORMAT binary)
CREATE TABLE accounts_copy (LIKE accounts);
\copy accounts_copy FROM 'results/tier.bin' WITH (FORMAT binary)
SELECT (SELECT string_agg(id || ':' || tier, ',' ORDER BY id) FROM accounts)
	= (SELECT string_agg(id || ':' || tier, ',' ORDER BY id) FROM accounts_copy) AS round_trip;
CREATE TABLE raw (b bytea);
INSERT INTO raw VALUES (convert_to('gold', 'UTF8'));
\copy raw TO 'results/tier_bad.bin' WITH (FORMAT binary)
\copy accounts_copy (tier) FROM 'results/tier_bad.bin' WITH (FORMAT binary)

-- mycc.tier is dumped, but not its unchanged seeded rows; every tombstone is.
SELECT 'mycc.tier'::regclass::oid = ANY (extconfig) AS tier_dumped,
	extcondition[array_position(extconfig, 'mycc.tier'::regclass::oid)] AS filter,
	extcondition[array_position(extconfig, 'mycc.tier_retired'::regclass::oid)] AS retired_filter
FROM pg_extension WHERE extname = 'mycc';

DROP TABLE accounts, accounts_copy, raw;
RESET search_path;

-- The published tiers (tier_publish) are read from the function's body,
-- never run; a body tier_publish did not write is 42P13.
BEGIN;
UPDATE mycc.tier SET aliases = aliases WHERE name = 'mid';
SELECT position('mid' IN mycc.tier_definitions()) > 0 AS mid_published;
CREATE OR REPLACE FUNCTION mycc.tier_definitions() RETURNS text LANGUAGE sql AS $$ SELECT 'a' || 'b' $$;
SELECT 'no such tier'::mycc.customer_tier;
ROLLBACK;
SELECT 'mid'::mycc.customer_tier AS after_rollback;

-- The comparison functions behind the operators, called by name: the
-- operators' answers, in rank order (high > mid > low > free).
SELECT a, b, mycc.customer_tier_eq(a, b) AS eq, mycc.customer_tier_ne(a, b) AS ne, mycc.customer_tier_lt(a, b) AS lt,
	mycc.customer_tier_le(a, b) AS le, mycc.customer_tier_gt(a, b) AS gt, mycc.customer_tier_ge(a, b) AS ge,
	(mycc.customer_tier_eq(a, b), mycc.customer_tier_ne(a, b), mycc.customer_tier_lt(a, b), mycc.customer_tier_le(a, b),
		mycc.customer_tier_gt(a, b), mycc.customer_tier_ge(a, b))
	= (a OPERATOR(mycc.=) b, a OPERATOR(mycc.<>) b, a OPERATOR(mycc.<) b, a OPERATOR(mycc.<=) b,
		a OPERATOR(mycc.>) b, a OPERATOR(mycc.>=) b) AS same_as_operators
FROM (VALUES ('high'::mycc.customer_tier, 'mid'::mycc.customer_tier), ('mid', 'mid'), ('free', 'low')) AS v(a, b);
