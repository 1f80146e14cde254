-- bench/ab/tag_union.sql: the queries of bench/ab/tag_union.sh.
SET client_min_messages = warning;
CREATE EXTENSION mycc;
\ir ../lib.sql
\ir ../gen.sql
SELECT bench.make_tag_customers(:n);
VACUUM (FREEZE, ANALYZE) tag_customers;

-- The base revision's transition functions, behind aggregates of their own.
CREATE SCHEMA base;
CREATE FUNCTION base.tag_union_accum(mycc.tagset, mycc.tagset) RETURNS mycc.tagset
	AS :'base_lib', 'mycc_tag_union_accum' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION base.tagset_agg_accum(mycc.tagset, text) RETURNS mycc.tagset
	AS :'base_lib', 'mycc_tagset_agg_accum' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE AGGREGATE base.tag_union(mycc.tagset) (SFUNC = base.tag_union_accum, STYPE = mycc.tagset,
	COMBINEFUNC = base.tag_union_accum, INITCOND = '{}', PARALLEL = SAFE);
CREATE AGGREGATE base.tagset_agg(text) (SFUNC = base.tagset_agg_accum, STYPE = mycc.tagset,
	COMBINEFUNC = base.tag_union_accum, INITCOND = '{}', PARALLEL = SAFE);

CREATE TABLE ab_queries (ord int, label text, q text);
INSERT INTO ab_queries VALUES
	(1, 'tag_union, 1 group (head)', 'SELECT (# mycc.tag_union(tags))::float8 FROM tag_customers'),
	(2, 'tag_union, 1 group (base)', 'SELECT (# base.tag_union(tags))::float8 FROM tag_customers'),
	(3, 'tag_union, GROUP BY id % 1000 (head)', 'SELECT sum(# u)::float8 FROM (SELECT mycc.tag_union(tags) AS u FROM tag_customers GROUP BY id % 1000) AS g'),
	(4, 'tag_union, GROUP BY id % 1000 (base)', 'SELECT sum(# u)::float8 FROM (SELECT base.tag_union(tags) AS u FROM tag_customers GROUP BY id % 1000) AS g'),
	(5, 'array_agg(DISTINCT tag), GROUP BY id % 1000 (reference)', 'SELECT sum(cardinality(u))::float8 FROM (SELECT array_agg(DISTINCT t) AS u FROM tag_customers, unnest(tags_arr) AS t GROUP BY id % 1000) AS g'),
	(6, 'tag_union, GROUP BY id % 10000 (head)', 'SELECT sum(# u)::float8 FROM (SELECT mycc.tag_union(tags) AS u FROM tag_customers GROUP BY id % 10000) AS g'),
	(7, 'tag_union, GROUP BY id % 10000 (base)', 'SELECT sum(# u)::float8 FROM (SELECT base.tag_union(tags) AS u FROM tag_customers GROUP BY id % 10000) AS g'),
	(8, 'array_agg(DISTINCT tag), GROUP BY id % 10000 (reference)', 'SELECT sum(cardinality(u))::float8 FROM (SELECT array_agg(DISTINCT t) AS u FROM tag_customers, unnest(tags_arr) AS t GROUP BY id % 10000) AS g'),
	(9, 'tagset_agg(tag), GROUP BY id % 1000 (head)', 'SELECT sum(# u)::float8 FROM (SELECT mycc.tagset_agg(t) AS u FROM tag_customers, unnest(tags_arr) AS t GROUP BY id % 1000) AS g'),
	(10, 'tagset_agg(tag), GROUP BY id % 1000 (base)', 'SELECT sum(# u)::float8 FROM (SELECT base.tagset_agg(t) AS u FROM tag_customers, unnest(tags_arr) AS t GROUP BY id % 1000) AS g');
CREATE TABLE ab_samples (ord int, run int, ms float8, answer float8, hwm_kb bigint);
SELECT count(*) AS n_queries FROM ab_queries \gset

-- One execution of query :i, run :r, in a fresh backend: the library
-- loaded and the table read first, then VmHWM around the query.
\set r 1
\set i 1
\ir tag_union_loop.sql

SELECT format('base %s, head %s, %s customers, %s runs each, median [min-max] ms; peak memory added (VmHWM), median', :'base_rev', :'head_rev', :n, :runs) AS "A/B";
SELECT q.ord, q.label,
	to_char(percentile_cont(0.5) WITHIN GROUP (ORDER BY s.ms), 'FM999,990.0') AS median_ms,
	to_char(min(s.ms), 'FM999,990.0') || '-' || to_char(max(s.ms), 'FM999,990.0') AS range_ms,
	to_char(percentile_cont(0.5) WITHIN GROUP (ORDER BY s.hwm_kb) / 1024.0, 'FM999,990.0') AS peak_mb,
	min(s.answer) AS answer, min(s.answer) = max(s.answer) AS stable
FROM ab_queries AS q JOIN ab_samples AS s USING (ord) GROUP BY q.ord, q.label ORDER BY q.ord;
-- The answers of head, base and reference agree.
SELECT bool_and(a.answer = b.answer) AS answers_agree
FROM ab_samples AS a JOIN ab_samples AS b USING (run)
WHERE (a.ord, b.ord) IN ((1, 2), (3, 4), (3, 5), (6, 7), (6, 8), (9, 10), (9, 5));
