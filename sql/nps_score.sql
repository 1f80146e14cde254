-- nps_score: one 0..10 answer, one byte, passed by value.

-- Text input: integers 0..10, surrounding white space and a sign allowed.
SELECT s::mycc.nps_score AS score
FROM unnest(ARRAY['0', '10', ' 7 ', E'\t9\n', '+8', '-0', '007']) AS s;
SELECT pg_column_size('7'::mycc.nps_score) AS bytes;
SELECT typlen, typbyval, typalign FROM pg_type WHERE oid = 'mycc.nps_score'::regtype;

-- Bad text: 22P02 for not an integer, 22003 for out of range.
\set VERBOSITY sqlstate
SELECT ''::mycc.nps_score;
SELECT '   '::mycc.nps_score;
SELECT 'seven'::mycc.nps_score;
SELECT '7.0'::mycc.nps_score;
SELECT '7 7'::mycc.nps_score;
SELECT '+'::mycc.nps_score;
SELECT '0x7'::mycc.nps_score;
SELECT '11'::mycc.nps_score;
SELECT '-1'::mycc.nps_score;
SELECT '99999999999999999999999'::mycc.nps_score;
\set VERBOSITY default
SELECT '11'::mycc.nps_score;
SELECT 'seven'::mycc.nps_score;

-- Casts: integers and numeric on assignment, range-checked; to integer implicitly.
SELECT 5::smallint::mycc.nps_score, 6::mycc.nps_score, 7::bigint::mycc.nps_score,
	8::numeric::mycc.nps_score, 9.000::numeric::mycc.nps_score;
SELECT 11::mycc.nps_score;
SELECT (-1)::smallint::mycc.nps_score;
SELECT 4294967296::bigint::mycc.nps_score;
SELECT 10.5::mycc.nps_score;
SELECT 'NaN'::numeric::mycc.nps_score;
SELECT 'Infinity'::numeric::mycc.nps_score;
SELECT 1e100::mycc.nps_score;
SELECT '9'::mycc.nps_score + 1 AS plus_one, '9'::mycc.nps_score::integer * 2 AS doubled;
CREATE TABLE answers (id int, score mycc.nps_score);
INSERT INTO answers VALUES (1, 9), (2, 10::bigint), (3, 7.0);
INSERT INTO answers VALUES (4, 12);
SELECT * FROM answers ORDER BY id;

-- nps_class for nps_score and integer answers.
SELECT s, mycc.nps_class(s) AS by_integer, mycc.nps_class(s::mycc.nps_score) AS by_score
FROM generate_series(0, 10) AS s ORDER BY s;
SELECT mycc.nps_class(11);
SELECT mycc.nps_class(NULL::mycc.nps_score) IS NULL AS null_in_null_out;

-- Comparison operators agree with integer comparison for every pair.
SELECT count(*) AS pairs,
	bool_and((a::mycc.nps_score = b::mycc.nps_score) = (a = b)
		AND (a::mycc.nps_score <> b::mycc.nps_score) = (a <> b)
		AND (a::mycc.nps_score < b::mycc.nps_score) = (a < b)
		AND (a::mycc.nps_score <= b::mycc.nps_score) = (a <= b)
		AND (a::mycc.nps_score > b::mycc.nps_score) = (a > b)
		AND (a::mycc.nps_score >= b::mycc.nps_score) = (a >= b)
		AND sign(mycc.nps_score_cmp(a::mycc.nps_score, b::mycc.nps_score)) = sign(a - b)) AS agree
FROM generate_series(0, 10) AS a, generate_series(0, 10) AS b;
-- The operators' functions, called by name, give the same answers.
SELECT bool_and(mycc.nps_score_eq(x, y) = (a = b) AND mycc.nps_score_ne(x, y) = (a <> b)
		AND mycc.nps_score_lt(x, y) = (a < b) AND mycc.nps_score_le(x, y) = (a <= b)
		AND mycc.nps_score_gt(x, y) = (a > b) AND mycc.nps_score_ge(x, y) = (a >= b)) AS functions_agree
FROM generate_series(0, 10) AS a, generate_series(0, 10) AS b,
	LATERAL (SELECT a::mycc.nps_score AS x, b::mycc.nps_score AS y) AS v;

-- Hash, over every value and several seeds: a value hashes the same
-- however it is reached (text, integer, numeric) and as its integer does
-- (hashint4, hashint4extended); the eleven values hash apart; the
-- extended hash with seed 0 has the standard hash in its low 32 bits (the
-- rule of hash operator classes); another seed changes every hash.
SELECT count(DISTINCT mycc.nps_score_hash(x)) = 11 AS values_hash_apart,
	bool_and(mycc.nps_score_hash(a::text::mycc.nps_score) = mycc.nps_score_hash(x)
		AND mycc.nps_score_hash(a::numeric::mycc.nps_score) = mycc.nps_score_hash(x)) AS equal_values_hash_equally,
	bool_and(mycc.nps_score_hash(x) = hashint4(a)
		AND mycc.nps_score_hash_extended(x, seed) = hashint4extended(a, seed)) AS integer_hashes,
	bool_and(seed <> 0 OR mycc.nps_score_hash_extended(x, 0) & 4294967295 = mycc.nps_score_hash(x)::bigint & 4294967295) AS seed_0_low_bits,
	bool_and(seed = 0 OR mycc.nps_score_hash_extended(x, seed) <> mycc.nps_score_hash_extended(x, 0)) AS seeded
FROM generate_series(0, 10) AS a, unnest(ARRAY[0, 1, -1, 42, 9223372036854775807]::bigint[]) AS seed,
	LATERAL (SELECT a::mycc.nps_score AS x) AS v;

-- btree and hash indexes return what a sequential scan returns.  The
-- operators live in schema mycc: with mycc on the search_path, score >= '9'
-- is the nps_score operator, which the indexes serve.
SET search_path = public, mycc;
CREATE TABLE many AS SELECT i, (i % 11)::mycc.nps_score AS score FROM generate_series(1, 5000) AS i;
CREATE INDEX many_btree ON many USING btree (score);
CREATE INDEX many_hash ON many USING hash (score);
ANALYZE many;
SET enable_seqscan = off;
SET enable_bitmapscan = off;
SET enable_indexscan = on;
EXPLAIN (COSTS OFF) SELECT count(*) FROM many WHERE score >= '9';
SELECT count(*) AS ge_9 FROM many WHERE score >= '9';
SELECT count(*) AS eq_0 FROM many WHERE score = '0';
SELECT min(score), max(score) FROM many;
DROP INDEX many_btree;
EXPLAIN (COSTS OFF) SELECT count(*) FROM many WHERE score = '0';
SELECT count(*) AS eq_0_hash FROM many WHERE score = '0';
RESET enable_seqscan;
RESET enable_bitmapscan;
RESET enable_indexscan;
SET enable_indexscan = off;
SET enable_bitmapscan = off;
SELECT count(*) AS ge_9 FROM many WHERE score >= '9';
SELECT count(*) AS eq_0 FROM many WHERE score = '0';
RESET enable_indexscan;
RESET enable_bitmapscan;
-- Sorting, DISTINCT and GROUP BY (hash and sort) work on the type.
SELECT score, count(*) FROM many GROUP BY score ORDER BY score DESC LIMIT 3;
SELECT count(DISTINCT score) FROM many;
RESET search_path;
-- Without mycc on the search_path the same query compares integers (the
-- implicit cast): the right answer, but no index.
EXPLAIN (COSTS OFF) SELECT count(*) FROM many WHERE score >= '9';

-- Binary COPY round-trips, and recv rejects bytes outside 0..10.
-- Text and binary I/O (COPY FORMAT binary included) go through these:
SELECT typinput = 'mycc.nps_score_in'::regproc AND typoutput = 'mycc.nps_score_out'::regproc
	AND typreceive = 'mycc.nps_score_recv'::regproc AND typsend = 'mycc.nps_score_send'::regproc AS io_functions
FROM pg_type WHERE oid = 'mycc.nps_score'::regtype;
\copy answers TO 'results/nps_score.bin' WITH (FORMAT binary)
CREATE TABLE answers_copy (LIKE answers);
\copy answers_copy FROM 'results/nps_score.bin' WITH (FORMAT binary)
SELECT (SELECT array_agg(score ORDER BY id) FROM answers) = (SELECT array_agg(score ORDER BY id) FROM answers_copy) AS round_trip;
CREATE TABLE raw (b bytea);
INSERT INTO raw VALUES ('\x0b');
\copy raw TO 'results/nps_score_bad.bin' WITH (FORMAT binary)
CREATE TABLE score_only (score mycc.nps_score);
\copy score_only FROM 'results/nps_score_bad.bin' WITH (FORMAT binary)
TRUNCATE raw;
INSERT INTO raw VALUES ('\x');
\copy raw TO 'results/nps_score_empty.bin' WITH (FORMAT binary)
\copy score_only FROM 'results/nps_score_empty.bin' WITH (FORMAT binary)
TRUNCATE raw;
INSERT INTO raw VALUES ('\x0909');
\copy raw TO 'results/nps_score_long.bin' WITH (FORMAT binary)
\copy score_only FROM 'results/nps_score_long.bin' WITH (FORMAT binary)
SELECT count(*) AS nothing_loaded FROM score_only;

DROP TABLE answers, answers_copy, many, raw, score_only;

-- The cast function called by name: the integer of the score, as the cast.
SELECT s, mycc.nps_score_to_int4(s) AS int4, mycc.nps_score_to_int4(s) = s::integer AS same_as_cast
FROM unnest('{0, 6, 10}'::mycc.nps_score[]) AS s;
