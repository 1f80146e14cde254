-- CSAT: share of answers in the top two boxes.

CREATE TABLE ratings (id int, channel text, rating int, rating7 int);
INSERT INTO ratings
SELECT i, (ARRAY['phone', 'wechat'])[1 + i % 2], 1 + (i * 3) % 5, 1 + (i * 5) % 7
FROM generate_series(1, 100) AS i;

-- 5-point default and explicit scales equal the plain formula.
SELECT mycc.csat(rating) AS csat5,
	mycc.csat(rating, 5) AS explicit5,
	100.0 * count(*) FILTER (WHERE rating >= 4) / count(*) AS formula5,
	mycc.csat(rating7, 7) AS csat7,
	100.0 * count(*) FILTER (WHERE rating7 >= 6) / count(*) AS formula7
FROM ratings;
SELECT channel, mycc.csat(rating), mycc.csat_agg(rating) FROM ratings GROUP BY channel ORDER BY channel;
SELECT mycc.csat_agg(rating7, 7) FROM ratings;

-- NULLs ignored; no rows: NULL score, empty state; one row.
SELECT mycc.csat(r), mycc.csat_agg(r) FROM (VALUES (5), (NULL), (2)) AS v(r);
SELECT mycc.csat(rating), mycc.csat_agg(rating) FROM ratings WHERE false;
SELECT mycc.csat(r), mycc.csat_agg(r) FROM (VALUES (4)) AS v(r);

-- Answers outside 1..scale: 22003; unsupported scales and mixed scales: 22023.
\set VERBOSITY sqlstate
SELECT mycc.csat(r) FROM (VALUES (6)) AS v(r);
SELECT mycc.csat(r) FROM (VALUES (0)) AS v(r);
SELECT mycc.csat(r, 7) FROM (VALUES (8)) AS v(r);
SELECT mycc.csat(r, 2) FROM (VALUES (1)) AS v(r);
SELECT mycc.csat(r, 11) FROM (VALUES (1)) AS v(r);
SELECT mycc.csat(r, s) FROM (VALUES (5, 5), (5, 7)) AS v(r, s);
\set VERBOSITY default
SELECT mycc.csat(r) FROM (VALUES (6)) AS v(r);
SELECT mycc.csat(r, 11) FROM (VALUES (1)) AS v(r);
SELECT mycc.csat(r, s) FROM (VALUES (5, 5), (5, 7)) AS v(r, s);

-- csat_state text I/O round-trips; bad text is 22P02 / 22003.
SELECT s::mycc.csat_state AS state, s::mycc.csat_state::text = s AS round_trip
FROM unnest(ARRAY['(0,0,0)', '(45,60,5)', '(0,0,7)', '(9223372036854775807,9223372036854775807,10)']) AS s;
SELECT mycc.csat_state(45, 60) AS default_scale, mycc.csat_state(3, 4, 7) AS scale_7;
\set VERBOSITY sqlstate
SELECT '(1,2)'::mycc.csat_state;
SELECT '(a,2,5)'::mycc.csat_state;
SELECT '(3,2,5)'::mycc.csat_state;
SELECT '(1,2,0)'::mycc.csat_state;
SELECT '(1,2,11)'::mycc.csat_state;
SELECT '(-1,2,5)'::mycc.csat_state;
SELECT mycc.csat_state(5, 4);
SELECT mycc.csat_state(-1, 4);
SELECT mycc.csat_state(1, 4, 2);
\set VERBOSITY default
SELECT '(3,2,5)'::mycc.csat_state;
SELECT mycc.csat_state(5, 4);

-- Accessors and margin of error.
SELECT mycc.csat(s), mycc.csat_satisfied(s), mycc.csat_count(s), mycc.csat_scale(s),
	round(mycc.csat_moe(s)::numeric, 2) AS moe_95, round(mycc.csat_moe(s, 0.99)::numeric, 2) AS moe_99
FROM (VALUES ('(45,60,5)'::mycc.csat_state)) AS v(s);
SELECT mycc.csat(s), mycc.csat_scale(s), mycc.csat_moe(s) FROM (VALUES ('(0,0,0)'::mycc.csat_state)) AS v(s);
SELECT mycc.csat_moe('(1,2,5)', 0);

-- Merging: + and csat_merge equal the whole; scales must agree.
CREATE TABLE csat_rollup AS SELECT channel, mycc.csat_agg(rating) AS state FROM ratings GROUP BY channel;
SELECT mycc.csat_merge(state)::text = (SELECT mycc.csat_agg(rating) FROM ratings)::text AS merge_equals_whole
FROM csat_rollup;
SELECT '(1,2,5)'::mycc.csat_state OPERATOR(mycc.+) '(3,4,5)'::mycc.csat_state AS plus,
	'(0,0,0)'::mycc.csat_state OPERATOR(mycc.+) '(3,4,5)'::mycc.csat_state AS empty_plus;
SELECT '(1,2,5)'::mycc.csat_state OPERATOR(mycc.+) '(3,4,7)'::mycc.csat_state;
SELECT mycc.csat_merge(s) FROM (VALUES ('(1,2,5)'::mycc.csat_state), (NULL), ('(3,4,5)')) AS v(s);

-- Support functions called directly never change their argument.
SELECT s AS before, mycc.csat_accum(s, 5) AS accum, mycc.csat_accum(s, 1, 5) AS accum_scale,
	mycc.csat_deaccum(s, 4) AS deaccum, mycc.csat_deaccum(s, 2, 5) AS deaccum_scale,
	mycc.csat_combine(s, s) AS combine, mycc.csat_uncombine(s, '(1,1,5)') AS uncombine, s AS after
FROM (VALUES ('(2,4,5)'::mycc.csat_state)) AS v(s);
SELECT mycc.csat_deaccum('(0,2,5)', 5);
SELECT mycc.csat_deaccum('(2,2,5)', 1);
SELECT mycc.csat_uncombine('(1,2,5)', '(2,2,5)');
SELECT mycc.csat_accum('(1,2,5)', 3, 7);

-- Binary COPY round-trips; recv validates.
-- Text and binary I/O (COPY FORMAT binary included) go through these:
SELECT typinput = 'mycc.csat_state_in'::regproc AND typoutput = 'mycc.csat_state_out'::regproc
	AND typreceive = 'mycc.csat_state_recv'::regproc AND typsend = 'mycc.csat_state_send'::regproc AS io_functions
FROM pg_type WHERE oid = 'mycc.csat_state'::regtype;
\copy csat_rollup TO 'results/csat_state.bin' WITH (FORMAT binary)
CREATE TABLE csat_rollup_copy (LIKE csat_rollup);
\copy csat_rollup_copy FROM 'results/csat_state.bin' WITH (FORMAT binary)
SELECT (SELECT string_agg(channel || state::text, ',' ORDER BY channel) FROM csat_rollup)
	= (SELECT string_agg(channel || state::text, ',' ORDER BY channel) FROM csat_rollup_copy) AS round_trip;
CREATE TABLE raw (b bytea);
CREATE TABLE state_only (s mycc.csat_state);
INSERT INTO raw VALUES ('\x01000000000000000300000000000000020000000000000005');
\copy raw TO 'results/csat_state_bad.bin' WITH (FORMAT binary)
\copy state_only FROM 'results/csat_state_bad.bin' WITH (FORMAT binary)
TRUNCATE raw;
INSERT INTO raw VALUES ('\x0100000000000000030000000000000004');
\copy raw TO 'results/csat_state_short.bin' WITH (FORMAT binary)
\copy state_only FROM 'results/csat_state_short.bin' WITH (FORMAT binary)
TRUNCATE raw;
INSERT INTO raw VALUES ('\x07000000000000000300000000000000040000000000000005');
\copy raw TO 'results/csat_state_version.bin' WITH (FORMAT binary)
\copy state_only FROM 'results/csat_state_version.bin' WITH (FORMAT binary)
SELECT count(*) AS nothing_loaded FROM state_only;

DROP TABLE ratings, csat_rollup, csat_rollup_copy, raw, state_only;
