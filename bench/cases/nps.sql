-- bench/cases/nps.sql: NPS over N answers (design.md section 7).
--
-- mycc.nps(score) against the count(*) FILTER arithmetic a user writes
-- without mycc (numeric, as written, and a float8 variant), with bare
-- count(*) as the floor; mycc.nps(score_i), the integer overload, for
-- information.  Serial, then with 2 parallel workers.
--
-- Variables from bench/driver.sh: small (on/off), runs, method.
--
-- Fairness: one table holds both columns, so every query reads the same
-- pages from shared buffers and the floor is common to all of them.  The
-- tuple is as wide as either single-column table would be: a 24-byte
-- header, then score_i (smallint, 2 bytes) and score (1 byte) = 27 bytes,
-- padded to 32 -- exactly what (score_i smallint) alone (26) or (score
-- mycc.nps_score) alone (25) pad to.  score_i comes first, so the baseline
-- deforms one attribute and mycc two: any bias from column order is
-- against mycc.

\if :small
\set n 1000000
\else
\set n 10000000
\endif

-- Answers 0..10 with a realistic skew (23% detractors, 32% passives, 45%
-- promoters: NPS about 22), in a pseudo-random order fixed by hashint8 of
-- the row number, so that every run loads the same table and the class
-- branches are not predictable from the previous row.
-- The data: bench/gen.sql, shared with the growth and memory cases.
\ir ../gen.sql
BEGIN;
SELECT bench.make_nps_answers(:n);
COMMIT;
-- Hint bits set, pages all-visible, statistics fresh; then into shared buffers.
VACUUM (FREEZE, ANALYZE) nps_answers;
SELECT pg_prewarm('nps_answers');
SELECT bench.note_table('nps', 'nps_answers', :n);

\set mycc 'SELECT mycc.nps(score) FROM nps_answers'
\set plain 'SELECT 100.0 * (count(*) FILTER (WHERE score_i >= 9) - count(*) FILTER (WHERE score_i <= 6)) / count(*) FROM nps_answers'
\set plain_f8 'SELECT 100 * (count(*) FILTER (WHERE score_i >= 9) - count(*) FILTER (WHERE score_i <= 6))::float8 / count(*) FROM nps_answers'
\set floor 'SELECT count(*) FROM nps_answers'
\set mycc_int 'SELECT mycc.nps(score_i) FROM nps_answers'
-- For information: the cheapest aggregate that reads the column (deform,
-- one by-value transition call per row), a more realistic floor.
\set count_col 'SELECT count(score) FROM nps_answers'

-- Serial.
SET max_parallel_workers_per_gather = 0;
SELECT bench.measure('nps', 'serial',
	ARRAY['mycc', 'plain', 'floor', 'plain_f8', 'mycc_int', 'count_col'],
	ARRAY[:'mycc', :'plain', :'floor', :'plain_f8', :'mycc_int', :'count_col'],
	:runs, :'method', 0);
SELECT bench.report('nps', 'serial', 'nps: mycc.nps(score) vs FILTER arithmetic (numeric)',
	'mycc', 'plain', 'floor', :n, 1.0, 1.3);
SELECT bench.report('nps', 'serial', 'nps: mycc.nps(score) vs FILTER arithmetic (float8)',
	'mycc', 'plain_f8', 'floor', :n);
SELECT bench.report('nps', 'serial', 'nps: mycc.nps(score_i), integer overload, vs FILTER (numeric)',
	'mycc_int', 'plain', 'floor', :n);
SELECT bench.note_ratio('nps', 'serial', 'count_col', 'floor');
SELECT bench.note_ratio('nps', 'serial', 'mycc', 'count_col');

-- Parallel: exactly 2 workers (the reloption fixes the count; the zero
-- costs only make the planner choose the parallel plan at --small too).
ALTER TABLE nps_answers SET (parallel_workers = 2);
SET max_parallel_workers_per_gather = 2;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SELECT bench.measure('nps', 'parallel, 2 workers',
	ARRAY['mycc', 'plain', 'floor', 'plain_f8', 'mycc_int', 'count_col'],
	ARRAY[:'mycc', :'plain', :'floor', :'plain_f8', :'mycc_int', :'count_col'],
	:runs, :'method', 2);
SELECT bench.report('nps', 'parallel, 2 workers', 'nps: mycc.nps(score) vs FILTER arithmetic (numeric)',
	'mycc', 'plain', 'floor', :n, 1.0, 1.3);
SELECT bench.report('nps', 'parallel, 2 workers', 'nps: mycc.nps(score) vs FILTER arithmetic (float8)',
	'mycc', 'plain_f8', 'floor', :n);
SELECT bench.report('nps', 'parallel, 2 workers', 'nps: mycc.nps(score_i), integer overload, vs FILTER (numeric)',
	'mycc_int', 'plain', 'floor', :n);
SELECT bench.note_ratio('nps', 'parallel, 2 workers', 'count_col', 'floor');
SELECT bench.note_ratio('nps', 'parallel, 2 workers', 'mycc', 'count_col');
RESET max_parallel_workers_per_gather;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;

DROP TABLE nps_answers;
