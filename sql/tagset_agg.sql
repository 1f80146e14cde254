-- tag_union and tagset_agg with their in-memory (expanded) state: the
-- results are those of a reference built without them, in plain, hashed,
-- sorted, windowed and parallel aggregation; direct calls of the
-- transition functions leave their argument alone; the tag limit raises
-- the same error as before.
SET search_path = public, mycc;

-- Many groups of random tags (pseudo-random, the same every run): rows of
-- 0 to 5 tags from a vocabulary of 400, a few NULL rows and empty sets.
CREATE TABLE rows_src (id int, grp int, tags tagset, arr text[]);
INSERT INTO rows_src
SELECT i, i % 300, CASE WHEN i % 97 = 0 THEN NULL ELSE tagset(arr) END, CASE WHEN i % 97 = 0 THEN NULL ELSE arr END
FROM (SELECT i, ARRAY(SELECT 'T' || ((hashint4(i * 8 + j) & 2147483647) % (CASE WHEN j % 2 = 0 THEN 400 ELSE 20 END))
					  FROM generate_series(1, (hashint4(i) & 2147483647) % 6) AS j) AS arr
	  FROM generate_series(1, 30000) AS i) AS g;
-- Group 299 has only NULL rows; group 298 only empty sets.
UPDATE rows_src SET tags = NULL, arr = NULL WHERE grp = 299;
UPDATE rows_src SET tags = '{}', arr = '{}' WHERE grp = 298;
ANALYZE rows_src;
CREATE TABLE reference AS
SELECT g.grp, coalesce(tagset(r.a), '{}') AS u
FROM (SELECT DISTINCT grp FROM rows_src) AS g
LEFT JOIN (SELECT grp, array_agg(DISTINCT t) AS a FROM rows_src, unnest(arr) AS t GROUP BY grp) AS r USING (grp);
SELECT count(*) AS groups, sum(# u) AS tags, count(*) FILTER (WHERE u = '{}') AS empty FROM reference;

-- Equal to the reference, byte for byte, hashed and sorted: tagset_hash
-- hashes the stored bytes (count, ends and tags).  (Not pg_column_size:
-- a stored value may have a short header or be compressed.)
CREATE FUNCTION same(a tagset, b tagset) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
	SELECT a = b AND a::text = b::text AND tagset_send(a) = tagset_send(b)
		AND tagset_hash(a) = tagset_hash(b)
$$;
SET enable_sort = off;
SELECT count(*) AS groups, bool_and(same(a.u, r.u)) AS union_equal, bool_and(same(a.g, r.u)) AS agg_equal
FROM (SELECT grp, tag_union(tags) AS u, tagset_agg(lower(t)) AS g
	  FROM rows_src LEFT JOIN LATERAL unnest(arr) AS t ON true GROUP BY grp) AS a
JOIN reference AS r USING (grp);
RESET enable_sort;
SET enable_hashagg = off;
SELECT count(*) AS groups, bool_and(same(a.u, r.u)) AS union_equal, bool_and(same(a.g, r.u)) AS agg_equal
FROM (SELECT grp, tag_union(tags) AS u, tagset_agg(lower(t)) AS g
	  FROM rows_src LEFT JOIN LATERAL unnest(arr) AS t ON true GROUP BY grp) AS a
JOIN reference AS r USING (grp);
RESET enable_hashagg;
-- Stored results are the same bytes too (the tuple holds the flattened state).
CREATE TABLE stored AS SELECT grp, tag_union(tags) AS u FROM rows_src GROUP BY grp;
SELECT bool_and(same(s.u, r.u)) AS stored_equal FROM stored AS s JOIN reference AS r USING (grp);
-- The result as the argument of other functions and operators, and as a group key.
SELECT bool_and(# a.u = # r.u AND a.u @> r.u AND a.u <@ r.u AND (a.u || 'zz'::text) = (r.u || 'zz'::text)) AS operators_equal,
	count(DISTINCT a.u) = (SELECT count(DISTINCT u) FROM reference) AS distinct_equal
FROM (SELECT grp, tag_union(tags) AS u FROM rows_src GROUP BY grp) AS a JOIN reference AS r USING (grp);
-- Many groups of one row each (states that stay flat).
SELECT count(*) AS groups, bool_and(same(g.u, coalesce(r.tags, '{}'))) AS one_row_groups_equal
FROM rows_src AS r JOIN (SELECT id, tag_union(tags) AS u FROM rows_src GROUP BY id) AS g USING (id);
-- One group over every row; DISTINCT and ORDER BY inside the aggregate;
-- FILTER; grouping sets.
SELECT same(tag_union(tags), (SELECT tagset(array_agg(DISTINCT t)) FROM rows_src, unnest(arr) AS t)) AS one_group,
	same(tag_union(DISTINCT tags), tag_union(tags ORDER BY id DESC)) AS distinct_ordered,
	same(tag_union(tags) FILTER (WHERE grp = 5), (SELECT u FROM reference WHERE grp = 5)) AS filtered
FROM rows_src;
SELECT count(*) AS sets, bool_and(CASE WHEN g.grp IS NULL THEN same(g.u, (SELECT tag_union(u) FROM reference))
	ELSE same(g.u, r.u) END) AS grouping_sets_equal
FROM (SELECT grp, tag_union(tags) AS u FROM rows_src GROUP BY GROUPING SETS ((grp), ())) AS g
LEFT JOIN reference AS r USING (grp);

-- No rows, NULL rows, empty sets, duplicates within and across rows.
SELECT tag_union(tags) AS no_rows, tagset_agg(t) AS agg_no_rows FROM rows_src, unnest(arr) AS t WHERE false;
SELECT grp, tag_union(tags) AS u FROM rows_src WHERE grp IN (298, 299) GROUP BY grp ORDER BY grp;
SELECT tag_union(s) AS u, tagset_agg(t) AS a
FROM (VALUES ('{b, a}'::tagset, 'B'), ('{a, b}', 'b'), (NULL, NULL), ('{}', 'a'), ('{a}', 'A')) AS v(s, t);

-- The limit: 10000 tags pass, 10001 are 54000 with the size of the union,
-- as with the flat state (one set of 9999 plus three more: 10002).
SELECT # tag_union(s) AS tags FROM (SELECT tagset(ARRAY['t' || i]) FROM generate_series(1, 10000) AS i) AS u(s);
SELECT # tagset_agg('t' || i) AS tags FROM generate_series(1, 10000) AS i;
SELECT tag_union(s) FROM (SELECT tagset(ARRAY['t' || i]) FROM generate_series(1, 10001) AS i) AS u(s);
SELECT tagset_agg('t' || i) FROM generate_series(1, 10001) AS i;
SELECT tag_union(s) FROM (VALUES ((SELECT tagset(array_agg('t' || i)) FROM generate_series(1, 9999) AS i)),
	('{x, y, zz}'), ('{z}')) AS v(s);
SELECT i % 3 AS g, # tag_union(tagset(ARRAY['t' || i])) FROM generate_series(1, 30010) AS i GROUP BY 1;
SELECT tagset_agg(repeat('x', 256));

-- Window: running and moving frames, per partition, equal to a reference.
CREATE TABLE win AS SELECT * FROM rows_src WHERE grp < 10;
SELECT count(*) AS rows_compared,
	bool_and(same(w.running, (SELECT tag_union(tags) FROM win AS r WHERE r.grp = w.grp AND r.id <= w.id))) AS running_equal,
	bool_and(same(w.moving, (SELECT tag_union(tags) FROM win AS r WHERE r.grp = w.grp AND r.id BETWEEN w.id - 600 AND w.id))) AS moving_equal,
	bool_and(same(w.whole, (SELECT u FROM reference AS r WHERE r.grp = w.grp))) AS whole_equal
FROM (SELECT id, grp, tag_union(tags) OVER (PARTITION BY grp ORDER BY id) AS running,
			 tag_union(tags) OVER (PARTITION BY grp ORDER BY id RANGE BETWEEN 600 PRECEDING AND CURRENT ROW) AS moving,
			 tag_union(tags) OVER (PARTITION BY grp) AS whole
	  FROM win) AS w;
SELECT id, tagset_agg(t) OVER (ORDER BY id) AS running
FROM (VALUES (1, 'b'), (2, NULL), (3, 'a'), (4, 'B'), (5, 'c')) AS v(id, t) ORDER BY id;

-- Direct calls: a normal value, the argument unchanged.
SELECT s AS before, tag_union_accum(s, '{z, a}') AS union_accum, tagset_agg_accum(s, 'Y') AS agg_accum, s AS after
FROM (VALUES ('{b, x}'::tagset)) AS v(s);
DO $$
DECLARE
	s tagset := '{b}';
	kept tagset;
BEGIN
	kept := s;
	s := tag_union_accum(s, '{a}');
	s := tagset_agg_accum(s, 'c');
	RAISE NOTICE 'kept %, new %', kept, s;
END
$$;
SELECT tag_union_accum(tag_union_accum('{}', '{b}'), tagset_agg_accum('{}', 'a')) AS nested;

-- Parallel aggregation: partial states (expanded in the workers, flat
-- between processes) combined, equal to the serial results; with and
-- without the leader running a part of the plan.
\getenv abs_srcdir PG_ABS_SRCDIR
\i :abs_srcdir/sql/include/plan_has.sql
CREATE TABLE serial AS
SELECT tag_union(tags) AS u, tagset_agg(lower(arr[1])) AS a FROM rows_src;
SET max_parallel_workers_per_gather = 2;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SELECT pg_temp.plan_has('SELECT tag_union(tags) FROM rows_src', 'Partial Aggregate') AS union_partial,
	pg_temp.plan_has('SELECT tagset_agg(lower(arr[1])) FROM rows_src', 'Partial Aggregate') AS agg_partial,
	pg_temp.plan_has('SELECT grp, tag_union(tags) FROM rows_src GROUP BY grp', 'Partial') AS grouped_partial;
SELECT same(s.u, p.u) AS union_equal, same(s.a, p.a) AS agg_equal
FROM serial AS s, (SELECT tag_union(tags) AS u, tagset_agg(lower(arr[1])) AS a FROM rows_src) AS p;
SELECT count(*) AS groups, bool_and(same(p.u, r.u)) AS groups_equal
FROM reference AS r JOIN (SELECT grp, tag_union(tags) AS u FROM rows_src GROUP BY grp) AS p USING (grp);
SET parallel_leader_participation = off;
SELECT same(s.u, p.u) AS union_equal, same(s.a, p.a) AS agg_equal
FROM serial AS s, (SELECT tag_union(tags) AS u, tagset_agg(lower(arr[1])) AS a FROM rows_src) AS p;
SELECT count(*) AS groups, bool_and(same(p.u, r.u)) AS groups_equal
FROM reference AS r JOIN (SELECT grp, tag_union(tags) AS u FROM rows_src GROUP BY grp) AS p USING (grp);
RESET max_parallel_workers_per_gather;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET parallel_leader_participation;

-- Memory: the states live in the aggregate's memory, one context each,
-- and go with it: none is left after the query.
SELECT sum(# u) > 0 AS ran FROM (SELECT tag_union(tags) AS u FROM rows_src GROUP BY grp) AS g;
SELECT count(*) AS contexts_left FROM pg_backend_memory_contexts WHERE name = 'expanded tagset';

DROP TABLE rows_src, reference, stored, win, serial;
DROP FUNCTION same(tagset, tagset);
