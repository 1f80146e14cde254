-- Staffing (docs/routing.md#staffing): Erlang C against published tables
-- (beyond 1,000 agents too) and against an exact computation, the service
-- level, the fewest agents needed (one fewer misses the goal), the cases
-- with no load and with no steady state, every error path, and the
-- staffing of each queue from its observed traffic (queue_staffing_at,
-- the queue_staffing view) with the roles that may read it.
SET search_path = public, mycc;
SET TimeZone = 'UTC';
\set SHOW_CONTEXT never

-- Published tables, each figure compared at the precision it is printed
-- with (a figure that does not agree shows as false, and its row differs).
-- 1 arrival an hour of 3600 seconds is 1 erlang.
--
-- J. Dunlop, D. Girma, J. Irvine, "Digital Mobile Communications and the
-- TETRA System" (John Wiley & Sons, 1999), appendix A.4 "Erlang C table
-- (for blocked-calls-queued)", the worked example on p. 424, read from the
-- Erlang C table of the next page (offered load A for C channels and a
-- probability of queueing PQ, two decimals): 8 channels queue 5 % of calls
-- at A = 3.87, 10 channels 1 % at A = 4.08.  Both are the exact loads
-- (3.8687 and 4.0768) rounded to the nearest hundredth, so the check is
-- that the exact load rounds to the printed one: erlang_c half a hundredth
-- below the printed load is within the share, half a hundredth above it
-- is not.
SELECT source, channels, queued, printed_erlangs,
	round(mycc.erlang_c(channels, printed_erlangs - 0.005, 3600)::numeric, 5) AS c_half_below,
	round(mycc.erlang_c(channels, printed_erlangs + 0.005, 3600)::numeric, 5) AS c_half_above,
	mycc.erlang_c(channels, printed_erlangs - 0.005, 3600) <= queued
		AND mycc.erlang_c(channels, printed_erlangs + 0.005, 3600) > queued AS agrees
FROM (VALUES ('Dunlop et al. p. 424: C = 8, PQ = 5 %, A = 3.87', 8, 0.05, 3.87),
	('Dunlop et al. p. 424: C = 10, PQ = 1 %, A = 4.08', 10, 0.01, 4.08)) AS t(source, channels, queued, printed_erlangs)
ORDER BY channels;
-- The same example, equation A.4: the share of the queued calls that wait
-- longer than the mean holding time T, exp(-(C - A)), is Pw = 0.016 with 8
-- channels and 0.0022 with 10, both at the 3.87 erlangs of 8 channels (at
-- 4.08, 10 channels would give 0.0027).  That is P(wait > T) / P(wait > 0)
-- = (1 - service level) / erlang_c, with the target equal to the handle
-- time; compared at the printed decimals:
SELECT source, channels, printed_pw,
	round(((1 - mycc.service_level(channels, erlangs * 36, 100, 100)) / mycc.erlang_c(channels, erlangs * 36, 100))::numeric, digits) AS pw,
	round(((1 - mycc.service_level(channels, erlangs * 36, 100, 100)) / mycc.erlang_c(channels, erlangs * 36, 100))::numeric, digits) = printed_pw AS agrees
FROM (VALUES ('Dunlop et al. p. 424: C = 8, A = 3.87, Pw = 0.016', 8, 3.87, 0.016, 3),
	('Dunlop et al. p. 424: C = 10, A = 3.87, Pw = 0.0022', 10, 3.87, 0.0022, 4)) AS t(source, channels, erlangs, printed_pw, digits)
ORDER BY channels;

-- H. C. Tijms, "A First Course in Stochastic Models", section 5.3
-- "Service-system design", Table 5.3.2 "The exact and approximate values of
-- c*", p. 201: the least number c* of servers whose delay probability P_W
-- is at most alpha under an offered load of R erlangs (exact integers; the
-- columns "exa").  The rows of R = 1000 need more than 1,000 agents.  Each
-- printed c* is agents_needed with a target of 0 seconds (the share
-- answered at once, 1 - erlang_c) and a goal of 1 - alpha; erlang_c of c*
-- agents is at most alpha and of c* - 1 agents more than alpha:
SELECT r AS erlangs, alpha, printed_c AS printed, n AS agents_needed,
	n = printed_c AND mycc.erlang_c(printed_c, r, 3600) <= alpha
		AND mycc.erlang_c(printed_c - 1, r, 3600) > alpha AS agrees
FROM (VALUES (1, 0.5, 2), (1, 0.2, 3), (1, 0.1, 3),
	(5, 0.5, 7), (5, 0.2, 8), (5, 0.1, 9),
	(10, 0.5, 12), (10, 0.2, 14), (10, 0.1, 16),
	(50, 0.5, 54), (50, 0.2, 58), (50, 0.1, 61),
	(100, 0.5, 106), (100, 0.2, 111), (100, 0.1, 115),
	(250, 0.5, 259), (250, 0.2, 268), (250, 0.1, 274),
	(500, 0.5, 512), (500, 0.2, 525), (500, 0.1, 533),
	(1000, 0.5, 1017), (1000, 0.2, 1034), (1000, 0.1, 1046)) AS t(r, alpha, printed_c),
	mycc.agents_needed(r, 3600, 0, (1 - alpha)::float8) AS n
ORDER BY r, alpha DESC;
-- The same section, p. 200: with c = 100 servers and a utilisation of 0.95
-- (95 erlangs) "on average 50.6% of the customers must wait", and "only 5%
-- of the delayed customers have to wait more than 3/5 of the mean service
-- time" (percentages to the printed decimals):
SELECT round(100 * mycc.erlang_c(100, 95, 3600)::numeric, 1) AS percent_waiting,
	round(100 * ((1 - mycc.service_level(100, 95, 3600, 0.6 * 3600)) / mycc.erlang_c(100, 95, 3600))::numeric) AS percent_of_delayed_beyond_3_5,
	round(100 * mycc.erlang_c(100, 95, 3600)::numeric, 1) = 50.6
		AND round(100 * ((1 - mycc.service_level(100, 95, 3600, 0.6 * 3600)) / mycc.erlang_c(100, 95, 3600))::numeric) = 5 AS agrees;

-- Exact values (tools/erlang_reference.py: the textbook formula in exact
-- rational arithmetic, the exponential to 40 digits), from 1 agent to
-- 3,000 (where A^N / N! is far beyond a double): mycc agrees to 1e-12
-- relatively.
CREATE TEMP TABLE exact (agents int, per_hour float8, handle float8, target float8, c float8, sl float8);
INSERT INTO exact VALUES
	(1, 30, 60, 20, 5.00000000000000000e-1, 5.76759137554692963e-1),
	(2, 60, 90, 20, 6.42857142857142857e-1, 4.24746153476476573e-1),
	(5, 100, 120, 30, 3.26669280020906834e-1, 7.84646337971892151e-1),
	(11, 200, 180, 20, 6.82118204689332374e-1, 3.89613811729153377e-1),
	(14, 200, 180, 20, 1.74131933595049843e-1, 8.88350019179466884e-1),
	(55, 720, 240, 15, 2.38700936378009219e-1, 8.45883092170580339e-1),
	(100, 3000, 114, 20, 5.06456853913020591e-1, 7.89339853923281261e-1),
	(250, 8500, 100, 10, 2.73223269526429821e-1, 9.31871174254230201e-1),
	(1050, 36720, 100, 20, 2.52881215749109833e-1, 9.99373170136023859e-1),
	(1500, 52920, 100, 20, 3.27656436956273737e-1, 9.99187820893695893e-1),
	(3000, 106200, 100, 15, 2.59302363541271315e-1, 9.99856583915582931e-1);
SELECT agents, round(mycc.offered_load(per_hour, handle)::numeric, 4) AS erlangs,
	round(c::numeric, 6) AS erlang_c, round(sl::numeric, 6) AS service_level,
	abs(mycc.erlang_c(agents, per_hour, handle) - c) <= 1e-12 * c AS c_agrees,
	abs(mycc.service_level(agents, per_hour, handle, target) - sl) <= 1e-12 * sl AS sl_agrees
FROM exact ORDER BY agents;

-- The fewest agents (tools/erlang_reference.py, by bisection on the exact
-- service level): the same count, which reaches the goal, and one fewer
-- does not.
CREATE TEMP TABLE needed (per_hour float8, handle float8, target float8, goal float8, agents int);
INSERT INTO needed VALUES
	(200, 180, 20, 0.8, 14),
	(720, 240, 15, 0.8, 55),
	(3000, 114, 20, 0.9, 103),
	(36720, 100, 20, 0.8, 1027),
	(106200, 100, 15, 0.95, 2968);
SELECT per_hour, handle, target, goal, n AS agents_needed, n = agents AS as_exact,
	mycc.service_level(n, per_hour, handle, target) >= goal AS meets_goal,
	mycc.service_level(n - 1, per_hour, handle, target) < goal AS one_fewer_misses
FROM needed, mycc.agents_needed(per_hour, handle, target, goal) AS n ORDER BY per_hour;

-- No load (no arrivals, or no handle time): nobody waits, no agent is
-- needed.  A load at or above the agents has no steady state: everyone
-- waits, and the share within any target tends to 0.
SELECT mycc.offered_load(0, 180) AS no_arrivals, mycc.erlang_c(0, 0, 180) AS c_none, mycc.erlang_c(3, 100, 0) AS c_no_handle,
	mycc.service_level(0, 0, 180, 20) AS sl_none, mycc.agents_needed(0, 180, 20, 0.8) AS needed_none,
	mycc.agents_needed(100, 0, 20, 0.99) AS needed_no_handle;
SELECT mycc.erlang_c(10, 200, 180) AS c_at_load, mycc.erlang_c(9, 200, 180) AS c_over_load, mycc.erlang_c(0, 1, 1) AS c_no_agents,
	mycc.service_level(10, 200, 180, 20) AS sl_at_load, mycc.service_level(0, 1, 1, 1e9) AS sl_no_agents;
-- A target of 0: the share answered at once, 1 - erlang_c; more agents,
-- a longer target: a higher service level.
SELECT mycc.service_level(14, 200, 180, 0) = 1 - mycc.erlang_c(14, 200, 180) AS target_zero,
	mycc.service_level(15, 200, 180, 20) > mycc.service_level(14, 200, 180, 20) AS more_agents,
	mycc.service_level(14, 200, 180, 30) > mycc.service_level(14, 200, 180, 20) AS longer_target;
-- The largest computation: a million agents.
SELECT mycc.erlang_c(1000000, 3.5e9, 1) AS million_agents, mycc.agents_needed(3.59e9, 1, 0, 0.5) AS needed_near_limit;

-- The errors, one per line: a negative, NaN or infinite argument and a
-- goal outside (0, 1) are 22023; a load too large for a double 22003; a
-- count beyond a million agents 54000.
SELECT mycc.erlang_c(-1, 100, 180);
SELECT mycc.erlang_c(1000001, 100, 180);
SELECT mycc.erlang_c(10, -1, 180);
SELECT mycc.erlang_c(10, 'NaN', 180);
SELECT mycc.erlang_c(10, 100, 'Infinity');
SELECT mycc.erlang_c(10, 1e300, 1e300);
SELECT mycc.service_level(10, 100, 180, -1);
SELECT mycc.service_level(10, 100, 180, 'NaN');
SELECT mycc.service_level(10, 100, 180, '-Infinity');
SELECT mycc.agents_needed(100, 180, 20, 0);
SELECT mycc.agents_needed(100, 180, 20, 1);
SELECT mycc.agents_needed(100, 180, 20, 'NaN');
SELECT mycc.agents_needed(100, 180, 'Infinity', 0.8);
SELECT mycc.agents_needed(1e10, 3600, 20, 0.8);
SELECT mycc.offered_load(-0.5, 180);
-- NULL in, NULL out (strict).
SELECT mycc.erlang_c(NULL, 100, 180) IS NULL AND mycc.agents_needed(100, 180, 20, NULL) IS NULL AS strict;

-- The staffing of each queue from its traffic.  A morning: the general
-- queue (target 20 seconds, goal 80 %) gets 200 contacts between 09:00
-- and 10:00, of which those finished by 10:00 took 180 seconds each; vip
-- (target 60 seconds, goal 90 %) 12 contacts, none finished yet; refund
-- none in that hour, 3 the hour before.
TRUNCATE mycc.customer, mycc.contact, mycc.queue, mycc.routing_decision RESTART IDENTITY;
INSERT INTO mycc.queue (id, name, target_answer, service_level_goal, is_default) VALUES
	(1, 'general', '20 seconds', 0.8, true), (2, 'vip', '1 minute', 0.9, false), (3, 'refund', '5 minutes', 0.8, false);
INSERT INTO mycc.customer (id, name) VALUES (1, 'Wang Fang');
INSERT INTO mycc.contact (customer_id, id, channel, queue_id, status, enqueued_at, started_at, assigned_at, ended_at)
SELECT 1, i, 'phone', 1, CASE WHEN i <= 150 THEN 'finished' ELSE 'assigned' END::mycc.contact_status, e, e, e + interval '10 seconds',
	CASE WHEN i <= 150 THEN e + interval '190 seconds' END
FROM generate_series(1, 200) AS i, LATERAL (SELECT '2026-11-02 09:00+00'::timestamptz + (i * 18 - 17) * interval '1 second' AS e) AS t;
INSERT INTO mycc.contact (customer_id, id, channel, queue_id, status, enqueued_at, started_at)
SELECT 1, 1000 + i, 'wechat', 2, 'queued', e, e
FROM generate_series(1, 12) AS i, LATERAL (SELECT '2026-11-02 09:00+00'::timestamptz + i * interval '4 minutes' AS e) AS t;
INSERT INTO mycc.contact (customer_id, id, channel, queue_id, status, enqueued_at, started_at, assigned_at, ended_at)
SELECT 1, 2000 + i, 'email', 3, 'finished', e, e, e + interval '1 minute', e + interval '11 minutes'
FROM generate_series(1, 3) AS i, LATERAL (SELECT '2026-11-02 08:00+00'::timestamptz + i * interval '10 minutes' AS e) AS t;
SELECT queue, period_start, period_end, arrivals, arrivals_per_hour, finished, handle_seconds, target_seconds, goal,
	offered_load, agents_needed, round(probability_of_wait::numeric, 4) AS probability_of_wait,
	round(service_level::numeric, 4) AS service_level
FROM mycc.queue_staffing_at('2026-11-02 10:00+00') ORDER BY queue_id;
-- The general queue is the 80/20 case above: 14 agents.  A half-hour
-- span doubles the rate of what arrived in it; the hour before shows
-- refund's handle time and its 3 arrivals.
SELECT queue, arrivals, arrivals_per_hour, agents_needed
FROM mycc.queue_staffing_at('2026-11-02 10:00+00', '30 minutes') ORDER BY queue_id;
SELECT queue, arrivals, handle_seconds, offered_load, agents_needed
FROM mycc.queue_staffing_at('2026-11-02 09:00+00') ORDER BY queue_id;
-- A queue's goal is strictly between 0 and 1.
UPDATE mycc.queue SET service_level_goal = 1 WHERE id = 1;
-- The errors: a span that is not a positive, finite interval.
SELECT * FROM mycc.queue_staffing_at('2026-11-02 10:00+00', '0');
SELECT * FROM mycc.queue_staffing_at('2026-11-02 10:00+00', '-1 hour');

-- The view: the last hour before now.  The contacts of the morning are
-- long past: no arrivals, no agents needed; every column a plain SQL type.
SELECT queue, arrivals, finished, handle_seconds, offered_load, agents_needed, probability_of_wait, service_level,
	period_end = now() AS ends_now, period_end - period_start AS span
FROM mycc.queue_staffing ORDER BY queue_id;
SELECT a.attname, format_type(a.atttypid, a.atttypmod) AS type, col_description(a.attrelid, a.attnum) IS NOT NULL AS commented
FROM pg_attribute AS a WHERE a.attrelid = 'mycc.queue_staffing'::regclass AND a.attnum > 0 ORDER BY a.attnum;

-- Who may read it: the BI reader and the admin (the view and, for other
-- hours, the function; it reports per queue, never a contact, and reads
-- the contacts with its owner's rights); not an agent.  The Erlang C
-- functions are open to everyone.
SET client_min_messages = warning;
CREATE ROLE regress_staffing_bi IN ROLE mycc_reader;
CREATE ROLE regress_staffing_agent IN ROLE mycc_agent;
RESET client_min_messages;
SET ROLE regress_staffing_bi;
SELECT count(*) AS queues_read FROM mycc.queue_staffing;
SELECT agents_needed FROM mycc.queue_staffing_at('2026-11-02 10:00+00') WHERE queue = 'general';
SELECT count(*) FROM mycc.contact;
RESET ROLE;
SET ROLE regress_staffing_agent;
SELECT count(*) FROM mycc.queue_staffing;
SELECT count(*) FROM mycc.queue_staffing_at('2026-11-02 10:00+00');
SELECT mycc.agents_needed(200, 180, 20, 0.8) AS open_to_all;
RESET ROLE;
DROP ROLE regress_staffing_bi, regress_staffing_agent;

TRUNCATE mycc.customer, mycc.contact, mycc.queue, mycc.routing_decision RESTART IDENTITY;
