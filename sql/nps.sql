-- NPS aggregates and the mergeable nps_state.

CREATE TABLE answers (id int, channel text, score mycc.nps_score, raw int);
INSERT INTO answers
SELECT i, (ARRAY['phone', 'wechat', 'email'])[1 + i % 3], s, s
FROM generate_series(1, 400) AS i, LATERAL (SELECT (i * 7) % 11 AS s) AS v;

-- nps() on nps_score and on integer columns equals the plain formula.
SELECT mycc.nps(score) AS nps_score_col, mycc.nps(raw) AS integer_col,
	100.0 * (count(*) FILTER (WHERE raw >= 9) - count(*) FILTER (WHERE raw <= 6)) / count(*) AS formula
FROM answers;
SELECT channel, mycc.nps(score), mycc.nps_agg(score)
FROM answers GROUP BY channel ORDER BY channel;

-- NULL handling: NULL answers are ignored; no rows or only NULLs give NULL
-- for nps() and an empty state for nps_agg().
SELECT mycc.nps(s), mycc.nps_agg(s) FROM (VALUES (9), (NULL), (3)) AS v(s);
SELECT mycc.nps(score), mycc.nps_agg(score) FROM answers WHERE false;
SELECT mycc.nps(s::mycc.nps_score), mycc.nps_agg(s::mycc.nps_score) FROM (VALUES (NULL::int)) AS v(s);
-- One row.
SELECT mycc.nps(s), mycc.nps_agg(s) FROM (VALUES (10)) AS v(s);
SELECT mycc.nps(s), mycc.nps_agg(s) FROM (VALUES (0)) AS v(s);
SELECT mycc.nps(s), mycc.nps_agg(s) FROM (VALUES (8)) AS v(s);
-- Integer input is range-checked.
SELECT mycc.nps(s) FROM (VALUES (9), (11)) AS v(s);
SELECT mycc.nps_agg(s) FROM (VALUES (-1)) AS v(s);

-- nps_state text I/O round-trips exactly.
SELECT s::mycc.nps_state AS state, s::mycc.nps_state::text = s AS round_trip
FROM unnest(ARRAY['(0,0,0)', '(200,120,80)', '(9223372036854775807,0,0)', '(1,9223372036854775806,0)']) AS s;
SELECT ' ( 1 , 2 , 3 ) '::mycc.nps_state AS spaces_allowed;
SELECT mycc.nps_state(200, 120, 80) AS from_counts;

-- Malformed state text: 22P02; negative or overlarge counts: 22003.
\set VERBOSITY sqlstate
SELECT ''::mycc.nps_state;
SELECT '1,2,3'::mycc.nps_state;
SELECT '(1,2)'::mycc.nps_state;
SELECT '(1,2,3,4)'::mycc.nps_state;
SELECT '(1,2,3'::mycc.nps_state;
SELECT '(1,2,3)x'::mycc.nps_state;
SELECT '(a,b,c)'::mycc.nps_state;
SELECT '(1.5,2,3)'::mycc.nps_state;
SELECT '(,,)'::mycc.nps_state;
SELECT '(1,-2,3)'::mycc.nps_state;
SELECT '(99999999999999999999,0,0)'::mycc.nps_state;
SELECT '(9223372036854775807,1,0)'::mycc.nps_state;
SELECT mycc.nps_state(-1, 0, 0);
SELECT mycc.nps_state(9223372036854775807, 1, 0);
\set VERBOSITY default
SELECT '(1,2)'::mycc.nps_state;
SELECT '(1,-2,3)'::mycc.nps_state;

-- Accessors.
SELECT mycc.nps_promoters(s), mycc.nps_passives(s), mycc.nps_detractors(s), mycc.nps_count(s), mycc.nps(s)
FROM (VALUES ('(200,120,80)'::mycc.nps_state), ('(0,0,0)')) AS v(s);

-- Merging: + and nps_merge equal aggregating the answers at once.
CREATE TABLE rollup AS
SELECT channel, mycc.nps_agg(score) AS state FROM answers GROUP BY channel;
SELECT mycc.nps_merge(state)::text = (SELECT mycc.nps_agg(score) FROM answers)::text AS merge_equals_whole,
	mycc.nps(mycc.nps_merge(state)) = (SELECT mycc.nps(score) FROM answers) AS same_score
FROM rollup;
SELECT '(1,2,3)'::mycc.nps_state OPERATOR(mycc.+) '(10,20,30)'::mycc.nps_state AS plus;
SET search_path = public, mycc;
SELECT '(1,2,3)'::nps_state + '(10,20,30)' AS plus_on_search_path;
SELECT mycc.nps_merge(s) FROM (VALUES ('(1,2,3)'::mycc.nps_state), (NULL), ('(4,5,6)')) AS v(s);
SELECT mycc.nps_merge(s) FROM (VALUES (NULL::mycc.nps_state)) AS v(s);
SELECT '(9223372036854775807,0,0)'::nps_state + '(1,0,0)';
SELECT '(9223372036854775800,0,0)'::nps_state + '(0,0,8)';
RESET search_path;

-- Support functions called directly never change their argument.
SELECT s AS before, mycc.nps_accum(s, '9'::mycc.nps_score) AS accum, mycc.nps_accum(s, 3) AS accum_int,
	mycc.nps_deaccum(s, '7'::mycc.nps_score) AS deaccum, mycc.nps_deaccum(s, 0) AS deaccum_int,
	mycc.nps_combine(s, s) AS combine, mycc.nps_uncombine(s, '(1,1,1)') AS uncombine, s AS after
FROM (VALUES ('(2,2,2)'::mycc.nps_state)) AS v(s);
SELECT mycc.nps_deaccum('(0,0,0)', '9'::mycc.nps_score);
SELECT mycc.nps_deaccum('(1,0,0)', 3);
SELECT mycc.nps_uncombine('(1,1,1)', '(2,0,0)');
SELECT mycc.nps_accum('(9223372036854775807,0,0)', 9);

-- Binary COPY of states round-trips; recv rejects bad versions, sizes and counts.
-- Text and binary I/O (COPY FORMAT binary included) go through these:
SELECT typinput = 'mycc.nps_state_in'::regproc AND typoutput = 'mycc.nps_state_out'::regproc
	AND typreceive = 'mycc.nps_state_recv'::regproc AND typsend = 'mycc.nps_state_send'::regproc AS io_functions
FROM pg_type WHERE oid = 'mycc.nps_state'::regtype;
\copy rollup TO 'results/nps_state.bin' WITH (FORMAT binary)
CREATE TABLE rollup_copy (LIKE rollup);
\copy rollup_copy FROM 'results/nps_state.bin' WITH (FORMAT binary)
SELECT (SELECT string_agg(channel || state::text, ',' ORDER BY channel) FROM rollup)
	= (SELECT string_agg(channel || state::text, ',' ORDER BY channel) FROM rollup_copy) AS round_trip;
CREATE TABLE raw (b bytea);
CREATE TABLE state_only (s mycc.nps_state);
INSERT INTO raw VALUES ('\x02000000000000000100000000000000020000000000000003'); -- version 2
\copy raw TO 'results/nps_state_version.bin' WITH (FORMAT binary)
\copy state_only FROM 'results/nps_state_version.bin' WITH (FORMAT binary)
TRUNCATE raw;
INSERT INTO raw VALUES ('\x010000000000000001000000000000000200000000000000'); -- one byte short
\copy raw TO 'results/nps_state_short.bin' WITH (FORMAT binary)
\copy state_only FROM 'results/nps_state_short.bin' WITH (FORMAT binary)
TRUNCATE raw;
INSERT INTO raw VALUES ('\x01ffffffffffffffff00000000000000020000000000000003'); -- -1 promoters
\copy raw TO 'results/nps_state_negative.bin' WITH (FORMAT binary)
\copy state_only FROM 'results/nps_state_negative.bin' WITH (FORMAT binary)
TRUNCATE raw;
INSERT INTO raw VALUES ('\x01000000000000000100000000000000020000000000000003');
\copy raw TO 'results/nps_state_good.bin' WITH (FORMAT binary)
\copy state_only FROM 'results/nps_state_good.bin' WITH (FORMAT binary)
SELECT s FROM state_only;

-- A 32-byte state is stored inline (storage plain).
SELECT pg_column_size(state) AS bytes FROM rollup LIMIT 1;

DROP TABLE answers, rollup, rollup_copy, raw, state_only;
