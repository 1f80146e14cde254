-- bench/gen.sql: the data generators of the tags, sessions, identity and
-- NPS cases as functions of the size, used by those cases and by
-- bench/cases/growth.sql and bench/cases/memory.sql (which build the same
-- tables at other sizes).
-- Each creates and fills its table in one transaction (not WAL-logged with
-- wal_level=minimal); the caller indexes, VACUUMs and prewarms.

-- A uniform [0, 1) from a hash of (key, salt): deterministic data.
CREATE OR REPLACE FUNCTION bench.u(key bigint, salt integer) RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN ((hashint8extended(key, salt) >> 11) & 9007199254740991)::double precision / 9007199254740992.0;

-- The tag of integer k (tags.sql's intarray mapping).
CREATE OR REPLACE FUNCTION bench.tag_name(k integer) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE k WHEN 1 THEN 'vip' WHEN 2 THEN 'complainer' ELSE 'interest:' || (k - 100) END;

-- tags.sql: n customers, 8 Zipf draws over 3000 interests, vip 2 %,
-- complainer 5 %; the same sets as tagset, text[] and int[].
CREATE OR REPLACE FUNCTION bench.make_tag_customers(n bigint) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	CREATE TABLE tag_customers (
		id integer NOT NULL,
		tags mycc.tagset NOT NULL,
		tags_arr text[] NOT NULL,
		tags_int integer[] NOT NULL
	);
	INSERT INTO tag_customers
	SELECT id, mycc.tagset(arr), arr, ints
	FROM (SELECT i AS id,
				 array_agg(DISTINCT bench.tag_name(k) ORDER BY bench.tag_name(k)) AS arr,
				 array_agg(DISTINCT k ORDER BY k) AS ints
		  FROM generate_series(1, n) AS i
		  CROSS JOIN generate_series(0, 9) AS j
		  CROSS JOIN LATERAL (SELECT CASE
				WHEN j < 8 THEN 100 + floor(power(3000, bench.u(i * 16 + j, 41)))::integer
				WHEN j = 8 AND bench.u(i, 42) < 0.02 THEN 1
				WHEN j = 9 AND bench.u(i, 43) < 0.05 THEN 2 END AS k) AS draw
		  WHERE k IS NOT NULL
		  GROUP BY i) AS c;
END
$$;

-- sessions.sql: n contacts of n / 10 customers over 90 days.
CREATE OR REPLACE FUNCTION bench.make_session_contacts(n bigint) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	CREATE TABLE session_contacts (customer bigint NOT NULL, ts timestamptz NOT NULL);
	INSERT INTO session_contacts (customer, ts)
	SELECT (hashint8(i) & 2147483647) % (n / 10),
		timestamptz '2026-09-01 00:00+00' + ((hashint8(i * 31) & 2147483647) % 7776000) * interval '1 second'
	FROM generate_series(1, n) AS i;
END
$$;

-- identity.sql: n links among about 1.25 n identifiers in clusters of 2
-- to 9, each linked to an earlier one of its cluster, in a pseudo-random
-- order.
CREATE OR REPLACE FUNCTION bench.make_identity_links(n bigint) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	CREATE TABLE identity_links (a bigint NOT NULL, b bigint NOT NULL);
	INSERT INTO identity_links (a, b)
	SELECT node, head + (hashint8(node) & 2147483647) % (node - head)
	FROM (
		SELECT c * 10 + j AS node, c * 10 AS head
		FROM generate_series(0::bigint, n / 4) AS c,
			LATERAL generate_series(1, 1 + (hashint8(c) & 2147483647) % 8) AS j
	) AS nodes
	ORDER BY hashint8(node * 7919)
	LIMIT n;
END
$$;

-- nps.sql: n answers 0..10 (NPS about 22) in a pseudo-random order.
CREATE OR REPLACE FUNCTION bench.make_nps_answers(n bigint) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	CREATE TABLE nps_answers (
		score_i		smallint NOT NULL,
		score		mycc.nps_score NOT NULL
	);
	WITH weights (score, pct) AS (
		VALUES (0, 3), (1, 1), (2, 2), (3, 2), (4, 3), (5, 5), (6, 7),
			   (7, 12), (8, 20), (9, 20), (10, 25)
	),
	lookup AS (
		SELECT array_agg(score::smallint ORDER BY score) AS a
		FROM weights, generate_series(1, pct)
	)
	INSERT INTO nps_answers (score_i, score)
	SELECT s, s::mycc.nps_score
	FROM (SELECT ((SELECT a FROM lookup))[1 + (hashint8(i) & 2147483647) % 100] AS s
		  FROM generate_series(1, n) AS i) g;
END
$$;
