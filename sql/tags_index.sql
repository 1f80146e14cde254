-- The GIN operator class of tagset: every query answers the same under a
-- sequential scan and through the index (positive, purely negative,
-- prefix, empty-set and multibyte cases), and the planner picks the index
-- for a selective query and a sequential scan for an unselective one.
SET search_path = public, mycc;

\getenv abs_srcdir PG_ABS_SRCDIR
\i :abs_srcdir/sql/include/plan_has.sql

-- 5000 sets from a small vocabulary: common and rare tags, multibyte
-- ones, namespaces for prefixes; some empty sets and some NULLs.
SELECT setseed(0.4);
CREATE TABLE people (id int PRIMARY KEY, tags tagset);
INSERT INTO people
SELECT i, CASE WHEN i % 97 = 0 THEN NULL WHEN i % 89 = 0 THEN '{}'::tagset ELSE
	(SELECT tagset(coalesce(array_agg(t), '{}')) FROM unnest(ARRAY[
		'vip', 'new', 'literary', 'science', 'complainer', 'region:北京', 'region:上海', 'region:广州',
		'channel:wechat', 'channel:phone', '90后', '😀', 'bought:fridge_500l', 'device:iphone', 'rare'])
		WITH ORDINALITY AS w(t, k)
	WHERE random() < (ARRAY[0.1, 0.3, 0.2, 0.15, 0.05, 0.2, 0.2, 0.1, 0.4, 0.3, 0.1, 0.05, 0.02, 0.25, 0.002])[k] + i * 0)
	END
FROM generate_series(1, 5000) AS i;

-- The queries: the same list for every operator.
CREATE TABLE probes (n int, op text, arg text);
INSERT INTO probes (n, op, arg)
SELECT row_number() OVER (), op, arg FROM (VALUES
	('@>', '{vip}'), ('@>', '{vip, new}'), ('@>', '{region:北京, 90后}'), ('@>', '{}'), ('@>', '{absent}'),
	('@>', '{😀}'), ('@>', '{vip, absent}'),
	('<@', '{vip}'), ('<@', '{vip, new, literary}'), ('<@', '{}'), ('<@', '{absent}'),
	('<@', '{region:北京, region:上海, channel:wechat, channel:phone, new}'),
	('&&', '{vip}'), ('&&', '{rare, 😀}'), ('&&', '{}'), ('&&', '{absent}'), ('&&', '{absent, rare}'),
	('=', '{vip}'), ('=', '{}'), ('=', '{new, channel:wechat}'), ('=', '{absent}'),
	('@@', 'vip'), ('@@', 'vip & new'), ('@@', 'vip | rare'), ('@@', '!vip'), ('@@', '!vip & !new'),
	('@@', '!(vip | new | literary | science)'), ('@@', 'vip | !new'), ('@@', 'region:*'),
	('@@', 'region:* & !region:北京'), ('@@', '!region:*'), ('@@', 'region:北*'), ('@@', 'channel:* & 😀'),
	('@@', '(bought:fridge_500l | device:iphone) & !complainer'), ('@@', 'absent'), ('@@', 'absent*'),
	('@@', '!absent'), ('@@', 'absent | !absent'), ('@@', 'vip & !vip'), ('@@', '90后 | 😀*'),
	('@@', 'r*'), ('@@', '!r*'), ('@@', 'rare | !(vip & new)'),
	-- Six keys, the most a truth table takes, and seven, past it: an AND
	-- (the @> verdict), an OR (&&) and a mixed query (the evaluator).
	('@@', '(vip | new | region:*) & !(science | complainer | rare)'),
	('@@', '(vip | new | literary | region:*) & !(science | complainer | rare)'),
	('@@', 'r* & re* & reg* & regi* & regio* & region* & region:*'),
	('@@', 'channel:* & c* & ch* & !rare & !absent & region:* & r*'),
	('@@', 'rare | 😀 | bought:fridge_500l | device:iphone | 90后 | region:广州 | complainer'),
	-- The same tag twice (two keys, always equal), and a query whose value
	-- does not depend on a key it has.
	('@@', 'vip & (vip | rare) & !(new & vip)'), ('@@', '(vip & new) | (vip & !new)'),
	('@@', '!((vip | !vip) & rare)')
) AS v(op, arg);

-- Answers as the sorted ids of the matching rows, and their count.
CREATE FUNCTION answer(op text, arg text) RETURNS TABLE (rows bigint, ids int[])
LANGUAGE plpgsql AS $$
BEGIN
	RETURN QUERY EXECUTE format('SELECT count(*), array_agg(id ORDER BY id) FROM people WHERE tags %s %L::%s',
		op, arg, CASE WHEN op = '@@' THEN 'mycc.tagquery' ELSE 'mycc.tagset' END);
END
$$;
-- And through the commuted form (arg op tags).
CREATE FUNCTION answer_commuted(op text, arg text) RETURNS TABLE (rows bigint, ids int[])
LANGUAGE plpgsql AS $$
BEGIN
	RETURN QUERY EXECUTE format('SELECT count(*), array_agg(id ORDER BY id) FROM people WHERE %L::%s %s tags',
		arg, CASE WHEN op = '@@' THEN 'mycc.tagquery' ELSE 'mycc.tagset' END,
		CASE op WHEN '@>' THEN '<@' WHEN '<@' THEN '@>' ELSE op END);
END
$$;

SET enable_indexscan = off;
SET enable_bitmapscan = off;
SELECT pg_temp.plan_has($$SELECT * FROM people WHERE tags @> '{vip}'$$, 'Seq Scan') AS seqscan_used;
CREATE TABLE by_seqscan AS SELECT n, a.* FROM probes, answer(op, arg) AS a;
RESET enable_indexscan;
RESET enable_bitmapscan;

CREATE INDEX people_tags ON people USING gin (tags);
SET enable_seqscan = off;
SELECT op, bool_and(pg_temp.plan_has(format('SELECT * FROM people WHERE tags %s %L::%s', op, arg,
	CASE WHEN op = '@@' THEN 'mycc.tagquery' ELSE 'mycc.tagset' END), 'people_tags')) AS index_used
FROM probes GROUP BY op ORDER BY op;
SELECT bool_and(pg_temp.plan_has(format('SELECT * FROM people WHERE %L::%s %s tags', arg,
	CASE WHEN op = '@@' THEN 'mycc.tagquery' ELSE 'mycc.tagset' END,
	CASE op WHEN '@>' THEN '<@' WHEN '<@' THEN '@>' ELSE op END), 'people_tags')) AS commuted_index_used
FROM probes;
CREATE TABLE by_index AS SELECT n, a.* FROM probes, answer(op, arg) AS a;
CREATE TABLE by_index_commuted AS SELECT n, a.* FROM probes, answer_commuted(op, arg) AS a;
RESET enable_seqscan;

-- Every query, its row count, and whether the index agrees with the scan.
SELECT p.n, p.op, p.arg, s.rows, i.ids IS NOT DISTINCT FROM s.ids AS index_same,
	c.ids IS NOT DISTINCT FROM s.ids AS commuted_same
FROM probes AS p JOIN by_seqscan AS s USING (n) JOIN by_index AS i USING (n) JOIN by_index_commuted AS c USING (n)
ORDER BY p.n;

-- The index follows updates and deletes (pending list and all).
UPDATE people SET tags = tags || 'rare'::text WHERE id % 50 = 1;
DELETE FROM people WHERE id % 50 = 2;
INSERT INTO people VALUES (10001, '{rare, region:深圳}'), (10002, '{}'), (10003, NULL);
SET enable_indexscan = off;
SET enable_bitmapscan = off;
CREATE TABLE after_seqscan AS SELECT n, a.* FROM probes, answer(op, arg) AS a;
RESET enable_indexscan;
RESET enable_bitmapscan;
SET enable_seqscan = off;
CREATE TABLE after_index AS SELECT n, a.* FROM probes, answer(op, arg) AS a;
RESET enable_seqscan;
SELECT count(*) AS queries, count(*) FILTER (WHERE s.rows > 0) AS with_rows,
	bool_and(s.ids IS NOT DISTINCT FROM i.ids) AS index_same_after_changes
FROM after_seqscan AS s JOIN after_index AS i USING (n);

-- With statistics the planner uses the index for a selective query and
-- scans the table for an unselective one (VACUUM: the rows inserted above
-- leave the pending list, whose size the GIN cost estimate counts).
INSERT INTO people
SELECT i, tagset(ARRAY['common', 'n' || (i % 1000)]) FROM generate_series(20001, 60000) AS i;
VACUUM ANALYZE people;
SELECT pg_temp.plan_has($$SELECT * FROM people WHERE tags @> '{rare}'$$, 'people_tags') AS contains_rare_index,
	pg_temp.plan_has($$SELECT * FROM people WHERE tags @@ 'n17 & common'$$, 'people_tags') AS query_rare_index,
	pg_temp.plan_has($$SELECT * FROM people WHERE tags && '{rare, n5}'$$, 'people_tags') AS overlap_rare_index,
	pg_temp.plan_has($$SELECT * FROM people WHERE 'region:深*' @@ tags$$, 'people_tags') AS commuted_prefix_index,
	pg_temp.plan_has($$SELECT * FROM people WHERE tags @> '{common}'$$, 'Seq Scan') AS contains_common_seqscan,
	pg_temp.plan_has($$SELECT * FROM people WHERE tags @@ '!rare'$$, 'Seq Scan') AS negative_seqscan,
	pg_temp.plan_has($$SELECT * FROM people WHERE tags @@ 'common | vip'$$, 'Seq Scan') AS query_common_seqscan;
-- The campaign query of the brief, through the index.
SELECT pg_temp.plan_has($$SELECT id FROM people WHERE tags @@ '(bought:fridge_500l | device:iphone) & !complainer & 😀'$$,
	'people_tags') AS campaign_index;

DROP TABLE people, probes, by_seqscan, by_index, by_index_commuted, after_seqscan, after_index;
DROP FUNCTION answer(text, text), answer_commuted(text, text);
