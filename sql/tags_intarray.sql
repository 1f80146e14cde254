-- Property test: tagset @@ tagquery answers exactly as contrib/intarray's
-- int[] @@ query_int on the same data, tags mapped to integers (tag wN is
-- N), for thousands of random sets and random queries.  intarray has no
-- prefixes, so the generated queries have none.
CREATE EXTENSION intarray;
SET search_path = public, mycc;
SELECT setseed(0.25);

-- 3000 random sets over 40 tags (0 to 10 tags each), in both forms.
CREATE TABLE sets (id int, tags tagset, ints int[]);
INSERT INTO sets (id, ints)
SELECT id, coalesce((SELECT array_agg(DISTINCT 1 + floor(random() * 40)::int)
	FROM generate_series(1, floor(random() * 11)::int + id * 0)), '{}')
FROM generate_series(1, 3000) AS id;
UPDATE sets SET tags = tagset(ARRAY(SELECT 'w' || k FROM unnest(ints) AS k));
SELECT count(*) AS sets, sum(# tags) AS tags, count(*) FILTER (WHERE # tags = 0) AS empty,
	bool_and(# tags = coalesce(cardinality(ints), 0)) AS same_sizes FROM sets;

-- A random query of the given depth, written in both languages.
CREATE FUNCTION random_query(depth int, OUT tq text, OUT qi text)
LANGUAGE plpgsql AS $$
DECLARE
	r float8 := random();
	sub record;
	op text;
	k int;
BEGIN
	IF depth = 0 OR r < 0.3 THEN
		k := 1 + floor(random() * 40)::int;
		tq := 'w' || k;
		qi := k::text;
	ELSIF r < 0.45 THEN
		sub := random_query(depth - 1);
		tq := '!(' || sub.tq || ')';
		qi := '!(' || sub.qi || ')';
	ELSE
		op := CASE WHEN random() < 0.5 THEN '&' ELSE '|' END;
		sub := random_query(depth - 1);
		tq := '(' || sub.tq;
		qi := '(' || sub.qi;
		FOR i IN 1 .. 1 + floor(random() * 3)::int LOOP
			sub := random_query(depth - 1);
			tq := tq || ' ' || op || ' ' || sub.tq;
			qi := qi || op || sub.qi;
		END LOOP;
		tq := tq || ')';
		qi := qi || ')';
	END IF;
END
$$;
CREATE TABLE queries (id int, q tagquery, qi query_int);
INSERT INTO queries
SELECT id, (g).tq::tagquery, (g).qi::query_int
FROM (SELECT id, random_query(1 + id % 5) AS g FROM generate_series(1, 1000) AS id) AS x;

-- Every (set, query) pair: the count of disagreements must be 0.
SELECT count(*) AS pairs_checked,
	count(*) FILTER (WHERE (s.tags @@ q.q) IS DISTINCT FROM (s.ints @@ q.qi)) AS disagreements,
	count(*) FILTER (WHERE s.tags @@ q.q) AS matches
FROM sets AS s CROSS JOIN queries AS q;
-- The queries are varied: how many match nothing, everything, or between.
SELECT count(*) FILTER (WHERE hits = 0) AS match_none, count(*) FILTER (WHERE hits = 3000) AS match_all,
	count(*) FILTER (WHERE hits > 0 AND hits < 3000) AS match_some,
	count(*) FILTER (WHERE NOT EXISTS (SELECT FROM sets WHERE tags @@ q.q AND # tags = 0)) AS false_on_empty
FROM (SELECT q.id, q.q, (SELECT count(*) FROM sets AS s WHERE s.tags @@ q.q) AS hits FROM queries AS q) AS q;

-- The same through both GIN indexes, query by query.
CREATE INDEX sets_tags ON sets USING gin (tags);
CREATE INDEX sets_ints ON sets USING gin (ints gin__int_ops);
SET enable_seqscan = off;
CREATE FUNCTION hits(q tagquery) RETURNS bigint LANGUAGE sql AS $$ SELECT count(*) FROM sets WHERE tags @@ q $$;
CREATE FUNCTION hits(q query_int) RETURNS bigint LANGUAGE sql AS $$ SELECT count(*) FROM sets WHERE ints @@ q $$;
-- Both ways GIN decides a query: by its truth table (at most 6 terms) and
-- by the evaluator or @>/&& verdict (more).
SELECT count(*) AS queries,
	count(*) FILTER (WHERE (SELECT count(*) FROM regexp_matches(q::text, 'w[0-9]+', 'g')) <= 6) AS truth_table,
	count(*) FILTER (WHERE hits(q) <> hits(qi)) AS index_disagreements FROM queries;
RESET enable_seqscan;

DROP TABLE sets, queries;
DROP FUNCTION random_query(int), hits(tagquery), hits(query_int);
DROP EXTENSION intarray;
