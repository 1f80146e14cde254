-- BI views for generic tools (docs/clients.md#bi-tools): plain SQL types,
-- a comment on every column, days in the business time zone.

\getenv abs_srcdir PG_ABS_SRCDIR
\i :abs_srcdir/sql/include/plan_has.sql

-- Every column of every view of mycc is of a built-in type (arrays of
-- built-in types included): information_schema shows no USER-DEFINED.
SELECT c.relname AS view, a.attname AS col, format_type(a.atttypid, a.atttypmod) AS type
FROM pg_depend AS d JOIN pg_class AS c ON d.classid = 'pg_class'::regclass AND c.oid = d.objid
JOIN pg_attribute AS a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
JOIN pg_type AS t ON t.oid = a.atttypid
LEFT JOIN pg_type AS e ON e.oid = t.typelem AND t.typcategory = 'A'
WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'mycc') AND d.deptype = 'e' AND c.relkind = 'v'
	AND (t.typnamespace <> 'pg_catalog'::regnamespace OR e.typnamespace <> 'pg_catalog'::regnamespace)
ORDER BY 1, 2;
SELECT table_name, column_name, data_type FROM information_schema.columns
WHERE table_schema = 'mycc' AND data_type = 'USER-DEFINED'
	AND table_name IN (SELECT table_name FROM information_schema.views WHERE table_schema = 'mycc')
ORDER BY 1, 2;
-- The views and their columns' types, as a BI tool sees them.
SELECT table_name, string_agg(column_name || ' ' || data_type, ', ' ORDER BY ordinal_position) AS columns
FROM information_schema.columns
WHERE table_name IN (SELECT table_name FROM information_schema.views WHERE table_schema = 'mycc') AND table_schema = 'mycc'
GROUP BY table_name ORDER BY 1;
-- Every column of every view has a comment.
SELECT c.relname AS view, a.attname AS uncommented
FROM pg_depend AS d JOIN pg_class AS c ON d.classid = 'pg_class'::regclass AND c.oid = d.objid
JOIN pg_attribute AS a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'mycc') AND d.deptype = 'e' AND c.relkind = 'v'
	AND col_description(c.oid, a.attnum) IS NULL
ORDER BY 1, 2;

-- The business time zone.  By default the TimeZone the session started
-- with (pg_regress starts sessions in PST8PDT): a SET TimeZone does not
-- move it.
SELECT mycc.time_zone() = (SELECT reset_val FROM pg_settings WHERE name = 'TimeZone') AS starting_zone,
	current_setting('mycc.time_zone') = mycc.time_zone() AS shown;
SET TimeZone = 'Asia/Tokyo';
SELECT current_setting('TimeZone') AS session_zone,
	mycc.time_zone() = (SELECT reset_val FROM pg_settings WHERE name = 'TimeZone') AS business_zone_unmoved,
	mycc.business_day('2026-10-01 16:00:00+00') AS day_at_midnight_in_tokyo;
SET mycc.time_zone = 'Asia/Shanghai';
SELECT mycc.time_zone();
SELECT mycc.business_day('2026-10-01 15:59:59+00') AS before_midnight, mycc.business_day('2026-10-01 16:00:00+00') AS after_midnight,
	mycc.business_day(NULL) AS no_time;
-- Time zone names the server knows, POSIX rules included; anything else is refused.
SET mycc.time_zone = 'UTC';
SET mycc.time_zone = 'EST5EDT';
SET mycc.time_zone = 'Mars/Olympus_Mons';
SET mycc.time_zone = 'Asia/Shanghai; DROP TABLE x';
SHOW mycc.time_zone;
-- Empty, and RESET, give the starting zone back.
SET mycc.time_zone = '';
SELECT mycc.time_zone() = (SELECT reset_val FROM pg_settings WHERE name = 'TimeZone') AS starting_zone;
SET mycc.time_zone = 'UTC';
RESET mycc.time_zone;
SELECT mycc.time_zone() = (SELECT reset_val FROM pg_settings WHERE name = 'TimeZone') AS starting_zone;
RESET TimeZone;

-- Ranks for ordering: a channel's position in mycc.channel's order, 1 up.
SELECT c AS channel, mycc.channel_rank(c) FROM unnest(enum_range(NULL::mycc.channel)) AS c ORDER BY 2;
-- A label added in this transaction does not stop the others' ranks.
BEGIN;
ALTER TYPE mycc.channel ADD VALUE 'bi_fax' BEFORE 'email';
SELECT mycc.channel_rank('email'), mycc.channel_rank('phone');
ROLLBACK;

-- CSAT intervals: the score plus or minus the margin, within 0..100;
-- NULLs for an empty state; the confidence level is checked.
SELECT round(low::numeric, 2) AS low, round(high::numeric, 2) AS high FROM mycc.csat_ci('(200,300,5)');
SELECT round(low::numeric, 2) AS low, round(high::numeric, 2) AS high FROM mycc.csat_ci('(200,300,5)', 0.99);
SELECT low, high FROM mycc.csat_ci('(3,3,5)');
SELECT low, high FROM mycc.csat_ci('(0,3,5)');
SELECT low IS NULL AND high IS NULL AS empty FROM mycc.csat_ci('(0,0,0)');
SELECT * FROM mycc.csat_ci('(1,2,5)', 1.0);
SELECT * FROM mycc.csat_ci('(1,2,5)', 'NaN');

-- The daily views give the same days whatever the session's TimeZone
-- (answers and contacts around midnight in Shanghai).
INSERT INTO mycc.queue (id, name, target_answer) VALUES (71, 'bi_queue', '20 seconds');
INSERT INTO mycc.survey (customer_id, channel, tier, nps, csat, answered_at)
SELECT 1, (ARRAY['phone', 'wechat']::mycc.channel[])[1 + i % 2], (ARRAY['mid', 'high']::mycc.customer_tier[])[1 + i % 2],
	i % 11, 1 + i % 5, timestamptz '2026-11-15 15:00+00' + i * interval '7 minutes'
FROM generate_series(1, 40) AS i;
INSERT INTO mycc.contact (customer_id, channel, status, queue_id, started_at, enqueued_at, assigned_at, ended_at)
SELECT 1, 'phone', 'finished', 71, t, t, t + interval '15 seconds', t + interval '3 minutes'
FROM (SELECT timestamptz '2026-11-15 15:00+00' + i * interval '7 minutes' AS t FROM generate_series(1, 40) AS i) AS s;
CREATE TEMP TABLE bi_days (business_zone text, zone text, nps_days text, csat_days text, queue_days text);
CREATE FUNCTION pg_temp.bi_days_in(zones text[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	zone text;
BEGIN
	FOREACH zone IN ARRAY zones LOOP
		PERFORM set_config('TimeZone', zone, true);
		INSERT INTO bi_days VALUES (CASE WHEN mycc.time_zone() = (SELECT reset_val FROM pg_settings WHERE name = 'TimeZone')
				THEN 'the starting zone' ELSE mycc.time_zone() END, zone,
			(SELECT string_agg(day || ':' || n, ' ' ORDER BY day) FROM (SELECT day, sum(n) AS n FROM mycc.nps_daily GROUP BY day) AS x),
			(SELECT string_agg(day || ':' || n, ' ' ORDER BY day) FROM (SELECT day, sum(n) AS n FROM mycc.csat_daily GROUP BY day) AS x),
			(SELECT string_agg(day || ':' || offered, ' ' ORDER BY day) FROM mycc.queue_service_level WHERE queue_id = 71));
	END LOOP;
END
$$;
SET mycc.time_zone = 'Asia/Shanghai';
SELECT pg_temp.bi_days_in('{UTC, Asia/Shanghai, America/Los_Angeles, Pacific/Kiritimati, Pacific/Pago_Pago}');
-- With the default too: the zone the session started with, whatever SET TimeZone says.
RESET mycc.time_zone;
SELECT pg_temp.bi_days_in('{UTC, Asia/Shanghai, America/Los_Angeles, Pacific/Kiritimati, Pacific/Pago_Pago}');
SELECT business_zone, nps_days, csat_days, queue_days, count(*) AS zones FROM bi_days GROUP BY 1, 2, 3, 4 ORDER BY 1;
-- Parallel workers cut the same days as their leader: the whole query
-- runs in a worker (force_parallel_mode), whose own starting TimeZone is
-- the server's, not this session's PST8PDT.  Around midnight in Los
-- Angeles (08:00 UTC), two answers and contacts a day apart there.
INSERT INTO mycc.survey (customer_id, channel, tier, nps, csat, answered_at)
VALUES (2, 'phone', 'mid', 9, 5, '2026-11-20 07:30+00'), (2, 'phone', 'mid', 3, 1, '2026-11-20 08:30+00');
INSERT INTO mycc.contact (customer_id, channel, status, queue_id, started_at, enqueued_at)
VALUES (2, 'phone', 'queued', 71, '2026-11-20 07:30+00', '2026-11-20 07:30+00'),
	(2, 'phone', 'queued', 71, '2026-11-20 08:30+00', '2026-11-20 08:30+00');
SET TimeZone = 'Asia/Tokyo';
SET force_parallel_mode = on;
SELECT pg_temp.plan_has('SELECT day, sum(n) FROM mycc.nps_daily WHERE day >= ''2026-11-19'' GROUP BY day ORDER BY day', 'Gather') AS nps,
	pg_temp.plan_has('SELECT day, sum(n) FROM mycc.csat_daily WHERE day >= ''2026-11-19'' GROUP BY day ORDER BY day', 'Gather') AS csat,
	pg_temp.plan_has('SELECT day, offered FROM mycc.queue_service_level WHERE queue_id = 71 AND day >= ''2026-11-19'' ORDER BY day', 'Gather') AS queue;
SELECT day, sum(n) FROM mycc.nps_daily WHERE day >= '2026-11-19' GROUP BY day ORDER BY day;
SELECT day, sum(n) FROM mycc.csat_daily WHERE day >= '2026-11-19' GROUP BY day ORDER BY day;
SELECT day, offered FROM mycc.queue_service_level WHERE queue_id = 71 AND day >= '2026-11-19' ORDER BY day;
RESET force_parallel_mode;
RESET TimeZone;

-- The session's TimeZone alone no longer moves them; mycc.time_zone does.
SET mycc.time_zone = 'UTC';
SELECT day, sum(n) AS n FROM mycc.nps_daily GROUP BY day ORDER BY day;
RESET mycc.time_zone;

-- A parallel worker that loads mycc's library itself (the session's first
-- mycc call runs in the worker) sets up mycc.time_zone without error.
CREATE TABLE bi_lazy AS SELECT '(1,2,5)'::mycc.csat_state AS s;
\c
SET force_parallel_mode = on;
SELECT (mycc.csat_ci(s)).low FROM bi_lazy;
\i :abs_srcdir/sql/include/plan_has.sql
SELECT pg_temp.plan_has('SELECT (mycc.csat_ci(s)).low FROM bi_lazy', 'Gather') AS in_worker;
RESET force_parallel_mode;
SELECT mycc.time_zone() = (SELECT reset_val FROM pg_settings WHERE name = 'TimeZone') AS starting_zone;
DROP TABLE bi_lazy;

DELETE FROM mycc.contact WHERE queue_id = 71;
DELETE FROM mycc.queue WHERE id = 71;
TRUNCATE mycc.survey;
