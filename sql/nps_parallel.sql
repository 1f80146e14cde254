-- Parallel aggregation: partial states are combined across workers and the
-- result equals the serial one.

\getenv abs_srcdir PG_ABS_SRCDIR
\i :abs_srcdir/sql/include/plan_has.sql

CREATE TABLE big (id int, channel text, score mycc.nps_score, raw int, rating int);
INSERT INTO big
SELECT i, (ARRAY['phone', 'wechat', 'email', 'qq'])[1 + i % 4], (i * 7919 % 11), (i * 7919 % 11), 1 + i * 31 % 5
FROM generate_series(1, 200000) AS i;
ANALYZE big;

CREATE TABLE serial_results AS
SELECT mycc.nps(score) AS nps, mycc.nps(raw) AS nps_int, mycc.nps_agg(score)::text AS state,
	mycc.csat(rating) AS csat, mycc.csat_agg(rating)::text AS csat_state
FROM big;
CREATE TABLE serial_groups AS
SELECT channel, mycc.nps_agg(score)::text AS state, mycc.csat_agg(rating)::text AS csat_state
FROM big GROUP BY channel;
CREATE TABLE serial_merge AS SELECT mycc.nps_merge(state::mycc.nps_state)::text AS merged FROM serial_groups;

SET max_parallel_workers_per_gather = 2;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET parallel_leader_participation = off;

SELECT pg_temp.plan_has('SELECT mycc.nps(score) FROM big', 'Partial Aggregate') AS nps_partial,
	pg_temp.plan_has('SELECT mycc.nps_agg(score) FROM big', 'Partial Aggregate') AS nps_agg_partial,
	pg_temp.plan_has('SELECT mycc.csat(rating) FROM big', 'Partial Aggregate') AS csat_partial,
	pg_temp.plan_has('SELECT channel, mycc.nps_agg(score) FROM big GROUP BY channel', 'Partial') AS grouped_partial;

SELECT s.nps = p.nps AS nps_equal, s.nps_int = p.nps_int AS nps_int_equal, s.state = p.state AS state_equal,
	s.csat = p.csat AS csat_equal, s.csat_state = p.csat_state AS csat_state_equal
FROM serial_results AS s,
	(SELECT mycc.nps(score) AS nps, mycc.nps(raw) AS nps_int, mycc.nps_agg(score)::text AS state,
		mycc.csat(rating) AS csat, mycc.csat_agg(rating)::text AS csat_state FROM big) AS p;

SELECT count(*) AS groups, bool_and(s.state = p.state AND s.csat_state = p.csat_state) AS groups_equal
FROM serial_groups AS s
JOIN (SELECT channel, mycc.nps_agg(score)::text AS state, mycc.csat_agg(rating)::text AS csat_state
	FROM big GROUP BY channel) AS p USING (channel);

-- nps_merge over stored states, in parallel.
CREATE TABLE stored AS SELECT id % 1000 AS bucket, mycc.nps_agg(score) AS state FROM big GROUP BY 1;
ANALYZE stored;
SELECT pg_temp.plan_has('SELECT mycc.nps_merge(state) FROM stored', 'Partial Aggregate') AS merge_partial;
SELECT mycc.nps_merge(state)::text = (SELECT state FROM serial_results) AS merge_equal FROM stored;

RESET max_parallel_workers_per_gather;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET parallel_leader_participation;
DROP TABLE big, serial_results, serial_groups, serial_merge, stored;
