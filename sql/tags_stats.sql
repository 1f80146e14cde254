-- Tag statistics and the row estimates of @>, <@, && and @@: within 2x of
-- the actual count for one- and two-tag queries from 0.1% to 50%, and for
-- sets containing the rows' tags (<@) from 6% to 99%; and the
-- estimator's behaviour when it cannot read a constant.
SET search_path = public, mycc;

-- 30000 rows, 300 of them NULL (ANALYZE samples all of them, so the
-- statistics do not depend on its random sample); independent tags of known
-- frequencies.
SELECT setseed(0.7);
CREATE TABLE crowd (id int, tags tagset);
INSERT INTO crowd
SELECT i, (SELECT tagset(coalesce(array_agg(t), '{}')) FROM unnest(ARRAY[
		'p0.1', 'p0.5', 'p1', 'p2', 'p5', 'p10', 'p20', 'p50', 'g:a', 'g:b', 'g:c'])
		WITH ORDINALITY AS w(t, k)
	WHERE random() < (ARRAY[0.001, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 0.01, 0.02, 0.03])[k] + i * 0)
FROM generate_series(1, 29700) AS i;
INSERT INTO crowd SELECT i, NULL FROM generate_series(29701, 30000) AS i;

-- Estimated rows of a WHERE clause (from EXPLAIN) and actual rows.
CREATE FUNCTION estimate(clause text, tbl text DEFAULT 'crowd') RETURNS float8
LANGUAGE plpgsql AS $$
DECLARE
	plan json;
BEGIN
	EXECUTE 'EXPLAIN (FORMAT JSON) SELECT * FROM ' || tbl || ' WHERE ' || clause INTO plan;
	RETURN (plan -> 0 -> 'Plan' ->> 'Plan Rows')::float8;
END
$$;
CREATE FUNCTION actual(clause text, tbl text DEFAULT 'crowd') RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
	n bigint;
BEGIN
	EXECUTE 'SELECT count(*) FROM ' || tbl || ' WHERE ' || clause INTO n;
	RETURN n;
END
$$;

-- Without statistics: a fixed guess, no error.
SELECT estimate($$tags @> '{p1}'$$) > 0 AS estimated_without_stats;
ANALYZE crowd;

-- The tag frequencies ANALYZE stored, as pg_stats shows them.
SELECT most_common_elems IS NOT NULL AS has_elems, cardinality(most_common_elems) AS tags,
	cardinality(most_common_elem_freqs) AS freqs, null_frac > 0 AS has_nulls
FROM pg_stats WHERE tablename = 'crowd' AND attname = 'tags';

CREATE TABLE clauses (n int, clause text);
INSERT INTO clauses
SELECT row_number() OVER (), c FROM (VALUES
	($$tags @> '{p0.1}'$$), ($$tags @> '{p0.5}'$$), ($$tags @> '{p1}'$$), ($$tags @> '{p2}'$$),
	($$tags @> '{p5}'$$), ($$tags @> '{p10}'$$), ($$tags @> '{p20}'$$), ($$tags @> '{p50}'$$),
	($$tags @> '{p2, p50}'$$), ($$tags @> '{p5, p20}'$$), ($$tags @> '{p10, p10}'$$), ($$tags @> '{p20, p50}'$$),
	($$tags @> '{p1, p10}'$$), ($$tags @> '{p50, p50}'$$),
	($$tags && '{p0.1}'$$), ($$tags && '{p0.1, p0.5}'$$), ($$tags && '{p1, p2}'$$), ($$tags && '{p10, p20}'$$),
	($$tags && '{p20, p50}'$$), ($$tags && '{p5}'$$),
	($$tags @@ 'p0.5'$$), ($$tags @@ 'p1 & p50'$$), ($$tags @@ 'p2 | p5'$$), ($$tags @@ 'p20 & !p50'$$),
	($$tags @@ '!p50'$$), ($$tags @@ '!p10 & !p20'$$), ($$tags @@ 'g:*'$$), ($$tags @@ 'g:* & p50'$$),
	($$tags @@ '(p10 | p20) & !p5'$$), ($$tags @@ 'p5 & p20'$$),
	($$'{p1}' <@ tags$$), ($$'{p10, p20}' <@ tags$$), ($$'{p2, p5}' && tags$$), ($$'p5 & !p50' @@ tags$$),
	($$tags <@ '{p1, p2}'$$), ($$'{p1, p2}' @> tags$$), ($$tags <@ '{}'$$),
	($$tags <@ '{p0.1, p0.5, p1, p2, p5, p10, p20, g:a, g:b, g:c}'$$),
	($$tags <@ '{p50, p20, p10, p5, p2, p1, g:c}'$$), ($$tags <@ '{p50, unknown, rare}'$$)
) AS v(c);
SELECT n, clause, actual(clause) AS actual,
	estimate(clause) BETWEEN actual(clause) / 2.0 AND actual(clause) * 2.0 AS within_2x
FROM clauses ORDER BY n;

-- What the estimator cannot read, it guesses (0.5% of the non-null rows)
-- rather than reading it wrongly: a non-constant operand, the column on
-- both sides, an expression of the column.  A NULL constant folds away.
-- Operators of someone else's that name this estimator for other types
-- get the guess too: the constant is read only as the type the estimator
-- expects (a bigint read as a tagquery crashed the server).
CREATE FUNCTION other_op(tagset, bigint) RETURNS boolean LANGUAGE plpgsql AS 'BEGIN RETURN true; END';
CREATE FUNCTION other_op(tagset, text) RETURNS boolean LANGUAGE plpgsql AS 'BEGIN RETURN true; END';
CREATE FUNCTION other_op(tagset, text[]) RETURNS boolean LANGUAGE plpgsql AS 'BEGIN RETURN true; END';
CREATE OPERATOR public.@@ (LEFTARG = tagset, RIGHTARG = bigint, FUNCTION = other_op, RESTRICT = tagset_sel);
CREATE OPERATOR public.@@ (LEFTARG = tagset, RIGHTARG = text, FUNCTION = other_op, RESTRICT = tagset_sel);
CREATE OPERATOR public.@> (LEFTARG = tagset, RIGHTARG = text[], FUNCTION = other_op, RESTRICT = tagset_sel);
SELECT clause, estimate(clause) AS estimate, actual(clause) AS actual
FROM unnest(ARRAY[
	$$tags @> (SELECT '{p50}'::tagset)$$, $$tags @> tags$$, $$tags @> ('{p50}'::tagset || id::text)$$,
	$$tags @> NULL::tagset$$,
	$$tags OPERATOR(public.@@) 12345::bigint$$, $$tags OPERATOR(public.@@) 'p50'::text$$,
	$$tags OPERATOR(public.@>) '{p50}'::text[]$$
]) AS clause;
DROP OPERATOR public.@@ (tagset, bigint), public.@@ (tagset, text), public.@> (tagset, text[]);
DROP FUNCTION other_op(tagset, bigint), other_op(tagset, text), other_op(tagset, text[]);
PREPARE generic(tagset, tagquery) AS SELECT * FROM crowd WHERE tags @> $1 AND tags @@ $2;
SET plan_cache_mode = force_generic_plan;
EXPLAIN (COSTS OFF) EXECUTE generic('{p50}', 'p1 | !p2');
EXECUTE generic('{p0.1}', 'p0.1') \g /dev/null
RESET plan_cache_mode;
DEALLOCATE generic;
-- A tagquery column against a constant tagset, and a join.
CREATE TABLE rules (id int, q tagquery);
INSERT INTO rules SELECT i, ('p' || (i % 7))::tagquery FROM generate_series(1, 100) AS i;
ANALYZE rules;
EXPLAIN (COSTS OFF) SELECT * FROM rules WHERE q @@ '{p1}'::tagset;
EXPLAIN (COSTS OFF) SELECT * FROM rules WHERE '{p1}'::tagset @@ q;
SELECT count(*) AS rule_matches FROM rules WHERE '{p1, p2}'::tagset @@ q;
SELECT count(*) AS join_matches FROM rules AS r JOIN crowd AS c ON c.tags @@ r.q WHERE r.id <= 2;
-- A long tail: half the sets hold c, half one of 5000 rare tags, and the
-- statistics keep 100 tags (target 10, a sample of 3000 sets).  For <@ the
-- tags not kept count through the average number of tags a set has.
CREATE TABLE tail (tags tagset);
ALTER TABLE tail ALTER COLUMN tags SET STATISTICS 10;
INSERT INTO tail
SELECT tagset(array_remove(ARRAY[CASE WHEN random() < 0.5 THEN 'c' END,
	CASE WHEN random() < 0.5 THEN 'r' || floor(random() * 5000)::int END], NULL))
FROM generate_series(1, 20000);
ANALYZE tail;
SELECT clause, actual(clause, 'tail') AS actual,
	estimate(clause, 'tail') BETWEEN actual(clause, 'tail') / 2.0 AND actual(clause, 'tail') * 2.0 AS within_2x
FROM unnest(ARRAY[$$tags <@ '{c}'$$, $$tags <@ '{}'$$, $$tags <@ '{c, r1, r2, r3}'$$]) AS clause;

-- A table whose statistics are missing the tag slot (statistics target 0)
-- and a domain over tagset.
ALTER TABLE crowd ALTER COLUMN tags SET STATISTICS 0;
ANALYZE crowd;
SELECT estimate($$tags @> '{p1}'$$) > 0 AS no_slot_ok, estimate($$tags @@ 'p1 | g:*'$$) > 0 AS no_slot_query_ok;
CREATE DOMAIN tagdomain AS tagset;
CREATE TABLE crowd_domain (tags tagdomain);
INSERT INTO crowd_domain SELECT tags FROM crowd;
ANALYZE crowd_domain;
SELECT count(*) AS domain_rows FROM crowd_domain WHERE tags @> '{p50}' AND tags @@ 'p1 | !p2';

DROP TABLE crowd, clauses, rules, crowd_domain, tail;
DROP DOMAIN tagdomain;
DROP FUNCTION estimate(text, text), actual(text, text);
