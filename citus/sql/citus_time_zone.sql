-- The business time zone on the cluster (docs/scaling.md#time-zones): set
-- for the database on the coordinator, Citus sets it on every node, and
-- the days the workers cut are the coordinator's.  An answer at 17:30 UTC
-- is on the next day in Shanghai.
INSERT INTO mycc.survey (customer_id, channel, tier, nps, csat, answered_at)
SELECT 820000 + g, 'email', 'low', 9, 4, '2026-11-24 17:30:00+00' FROM generate_series(1, 40) AS g;
SELECT day, sum(n) AS n FROM mycc.nps_daily WHERE day BETWEEN '2026-11-24' AND '2026-11-25' GROUP BY day ORDER BY day;
ALTER DATABASE contrib_regression SET mycc.time_zone = 'Asia/Shanghai';
SELECT result FROM run_command_on_workers($$SELECT setconfig FROM pg_db_role_setting WHERE setdatabase = (SELECT oid FROM pg_database WHERE datname = current_database())$$);
\c
SELECT day, sum(n) AS n FROM mycc.nps_daily WHERE day BETWEEN '2026-11-24' AND '2026-11-25' GROUP BY day ORDER BY day;
SELECT day, sum(n) AS n FROM mycc.csat_daily WHERE day BETWEEN '2026-11-24' AND '2026-11-25' GROUP BY day ORDER BY day;
-- The same rows on one server's terms: a plain table on the coordinator.
CREATE TABLE survey_local AS SELECT * FROM mycc.survey WHERE customer_id BETWEEN 820001 AND 820040;
SELECT mycc.business_day(answered_at) AS day, count(*) FROM survey_local GROUP BY 1 ORDER BY 1;
DROP TABLE survey_local;
-- Another zone in one session: a plain SET stays on the coordinator (the
-- workers cut the database's days, Shanghai's); SET LOCAL reaches the
-- workers when Citus propagates it (citus.propagate_set_commands).
SET mycc.time_zone = 'UTC';
SELECT day, sum(n) AS n FROM mycc.nps_daily WHERE day BETWEEN '2026-11-24' AND '2026-11-25' GROUP BY day ORDER BY day;
RESET mycc.time_zone;
SET citus.propagate_set_commands = 'local';
BEGIN;
SET LOCAL mycc.time_zone = 'UTC';
SELECT day, sum(n) AS n FROM mycc.nps_daily WHERE day BETWEEN '2026-11-24' AND '2026-11-25' GROUP BY day ORDER BY day;
COMMIT;
RESET citus.propagate_set_commands;
ALTER DATABASE contrib_regression RESET mycc.time_zone;
SELECT result FROM run_command_on_workers($$SELECT count(*) FROM pg_db_role_setting WHERE setdatabase = (SELECT oid FROM pg_database WHERE datname = current_database())$$);
