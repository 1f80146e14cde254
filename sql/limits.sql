-- Limits and cancellation (design.md section 6).
--
-- Each documented limit: a value at the limit is accepted, one past it is
-- refused with the documented SQLSTATE: numeric limits (22003, 22023),
-- sizes (54000) and nesting (54001).  A new limit joins with one row.
SET client_min_messages = warning;

CREATE TEMP TABLE limits (what text, at_limit text, past_limit text, expected text);
INSERT INTO limits VALUES
	('nps_score: 0..10',
	 $$SELECT '10'::mycc.nps_score, '0'::mycc.nps_score, 10::mycc.nps_score$$,
	 $$SELECT '11'::mycc.nps_score$$, '22003'),
	('nps_score: 0..10, below',
	 $$SELECT ' -0 '::mycc.nps_score$$,
	 $$SELECT (-1)::mycc.nps_score$$, '22003'),
	('nps_state: counts add up to at most 2^63-1',
	 $$SELECT '(9223372036854775806,1,0)'::mycc.nps_state$$,
	 $$SELECT '(9223372036854775806,1,1)'::mycc.nps_state$$, '22003'),
	('nps_state: one count at most 2^63-1',
	 $$SELECT '(0,0,9223372036854775807)'::mycc.nps_state$$,
	 $$SELECT '(0,0,9223372036854775808)'::mycc.nps_state$$, '22003'),
	('nps_state + nps_state: sum at most 2^63-1',
	 $$SELECT '(9223372036854775806,0,0)'::mycc.nps_state OPERATOR(mycc.+) '(0,1,0)'$$,
	 $$SELECT '(9223372036854775806,0,0)'::mycc.nps_state OPERATOR(mycc.+) '(0,1,1)'$$, '22003'),
	('nps_agg: one more answer than 2^63-1',
	 $$SELECT mycc.nps_accum('(9223372036854775806,0,0)', 9::mycc.nps_score)$$,
	 $$SELECT mycc.nps_accum('(9223372036854775807,0,0)', 9::mycc.nps_score)$$, '22003'),
	('csat_state: scale 3..10',
	 $$SELECT '(1,1,10)'::mycc.csat_state, '(1,1,3)'::mycc.csat_state$$,
	 $$SELECT '(1,1,11)'::mycc.csat_state$$, '22003'),
	('csat: scale 3..10',
	 $$SELECT mycc.csat(10, 10)$$,
	 $$SELECT mycc.csat(11, 11)$$, '22023'),
	('csat_state: total at most 2^63-1',
	 $$SELECT '(0,9223372036854775807,5)'::mycc.csat_state OPERATOR(mycc.+) '(0,0,0)'$$,
	 $$SELECT '(0,9223372036854775807,5)'::mycc.csat_state OPERATOR(mycc.+) '(0,1,5)'$$, '22003'),
	('confidence level: strictly between 0 and 1',
	 $$SELECT mycc.nps_moe('(1,2,3)', 0.9999999999999999) < 300, mycc.nps_sample_size(5, 0.9999999999999999) > 1537$$,
	 $$SELECT mycc.nps_moe('(1,2,3)', 1)$$, '22023'),
	('nps_sample_size: result fits an integer',
	 $$SELECT mycc.nps_sample_size(0.0043)$$,
	 $$SELECT mycc.nps_sample_size(0.0042)$$, '22003'),
	('tier name: 63 bytes',
	 $$INSERT INTO mycc.tier (name, rank, service_mode, first_response_target) VALUES (repeat('n', 63), 1, 'deferred', '1 day')$$,
	 $$INSERT INTO mycc.tier (name, rank, service_mode, first_response_target) VALUES (repeat('n', 64), 2, 'deferred', '1 day')$$, '22023'),
	('tier alias: 63 bytes (21 Chinese characters)',
	 $$INSERT INTO mycc.tier (name, aliases, rank, service_mode, first_response_target) VALUES ('a', ARRAY[repeat('金', 21)], 3, 'deferred', '1 day')$$,
	 $$INSERT INTO mycc.tier (name, aliases, rank, service_mode, first_response_target) VALUES ('b', ARRAY[repeat('金', 22)], 4, 'deferred', '1 day')$$, '22023'),
	('tier ids: at most 32767',
	 $$SELECT setval('mycc.tier_id_seq', 32766); INSERT INTO mycc.tier (name, rank, service_mode, first_response_target) VALUES ('last', 5, 'deferred', '1 day')$$,
	 $$INSERT INTO mycc.tier (name, rank, service_mode, first_response_target) VALUES ('one too many', 6, 'deferred', '1 day')$$, '2200H'),
	('tag: 255 bytes (85 Chinese characters)',
	 $$SELECT ('{' || repeat('x', 255) || ', "' || repeat('中', 85) || '"}')::mycc.tagset$$,
	 $$SELECT ('{' || repeat('中', 85) || 'x}')::mycc.tagset$$, '54000'),
	('tag given as text (||, ?, -, tagset(), tagset_agg): 255 bytes',
	 $$SELECT '{}'::mycc.tagset OPERATOR(mycc.||) repeat('x', 255), mycc.tagset(ARRAY[repeat('x', 255)]), mycc.tagset_agg(repeat('x', 255))$$,
	 $$SELECT '{}'::mycc.tagset OPERATOR(mycc.||) repeat('x', 256)$$, '54000'),
	('tag in a tagquery: 255 bytes',
	 $$SELECT ('"' || repeat('x', 255) || '" & ' || repeat('x', 255) || '*')::mycc.tagquery$$,
	 $$SELECT (repeat('x', 256) || '*')::mycc.tagquery$$, '54000'),
	('tagset: 10000 tags (duplicates do not count)',
	 $$SELECT ('{' || string_agg('t' || i % 10000, ',') || '}')::mycc.tagset FROM generate_series(1, 20000) AS i$$,
	 $$SELECT ('{' || string_agg('t' || i, ',') || '}')::mycc.tagset FROM generate_series(1, 10001) AS i$$, '54000'),
	('tagset || tagset, tag_union: 10000 tags',
	 $$SELECT mycc.tag_union(s) OPERATOR(mycc.||) '{t9999}' FROM (SELECT mycc.tagset(ARRAY['t' || i]) FROM generate_series(0, 9998) AS i) AS u(s)$$,
	 $$SELECT mycc.tag_union(s) FROM (SELECT mycc.tagset(ARRAY['t' || i]) FROM generate_series(0, 10000) AS i) AS u(s)$$, '54000'),
	('tagset(text[]), tagset || text: 10000 tags',
	 $$SELECT mycc.tagset(array_agg('t' || i)) OPERATOR(mycc.||) 't10000'::text FROM generate_series(1, 9999) AS i$$,
	 $$SELECT mycc.tagset(array_agg('t' || i)) OPERATOR(mycc.||) 't10001'::text FROM generate_series(1, 10000) AS i$$, '54000'),
	('tagquery: 10000 terms and operators',
	 $$SELECT string_agg('t' || i, ' & ')::mycc.tagquery FROM generate_series(1, 9999) AS i$$,
	 $$SELECT string_agg('t' || i, ' & ')::mycc.tagquery FROM generate_series(1, 10000) AS i$$, '54000'),
	('tagquery: parentheses nest 64 deep',
	 $$SELECT (repeat('(', 64) || 'a' || repeat(')', 64))::mycc.tagquery, (repeat('a | b & (', 64) || 'z' || repeat(')', 64))::mycc.tagquery$$,
	 $$SELECT (repeat('(', 65) || 'a' || repeat(')', 65))::mycc.tagquery$$, '54001'),
	('tagquery: parentheses and NOT nest 64 deep',
	 $$SELECT (repeat('!', 64) || 'a')::mycc.tagquery, (repeat('!(', 32) || 'a' || repeat(')', 32))::mycc.tagquery$$,
	 $$SELECT (repeat('!(', 32) || '!a' || repeat(')', 32))::mycc.tagquery$$, '54001'),
	-- Identifiers (normalize_identity, and so resolve, lookup and link).
	('identifier (wechat, app, ...): 255 bytes (85 Chinese characters)',
	 $$SELECT mycc.normalize_identity('wechat', repeat('x', 255)), mycc.normalize_identity('app', ' ' || repeat('中', 85) || ' ')$$,
	 $$SELECT mycc.normalize_identity('wechat', repeat('x', 256))$$, '22023'),
	('identifier: 1024 bytes of input, white space included',
	 $$SELECT mycc.normalize_identity('qq', repeat(' ', 1019) || '10001')$$,
	 $$SELECT mycc.normalize_identity('qq', repeat(' ', 1020) || '10001')$$, '22023'),
	('e-mail: local part 64 bytes',
	 $$SELECT mycc.normalize_identity('email', repeat('x', 64) || '@example.com')$$,
	 $$SELECT mycc.normalize_identity('email', repeat('x', 65) || '@example.com')$$, '22023'),
	('e-mail: 254 bytes',
	 $$SELECT mycc.normalize_identity('email', repeat('x', 64) || '@' || repeat('a', 61) || '.' || repeat('b', 61) || '.' || repeat('c', 62) || '.cn')$$,
	 $$SELECT mycc.normalize_identity('email', repeat('x', 64) || '@' || repeat('a', 61) || '.' || repeat('b', 61) || '.' || repeat('c', 63) || '.cn')$$, '22023'),
	('phone extension: 10 digits',
	 $$SELECT mycc.normalize_identity('phone', '010-87654321 ext. ' || repeat('1', 10))$$,
	 $$SELECT mycc.normalize_identity('phone', '010-87654321 ext. ' || repeat('1', 11))$$, '22023'),
	('mycc.identity_max_per_customer: 1 to 1000000',
	 $$SELECT set_config('mycc.identity_max_per_customer', '1000000', true), set_config('mycc.identity_max_per_customer', '1', true)$$,
	 $$SELECT set_config('mycc.identity_max_per_customer', '1000001', true)$$, '22023'),
	-- A link past the size breaker is no error: it returns NULL, with a
	-- NOTICE and a row in mycc.identity_conflict; the row's statements
	-- turn a refusal into 54000.
	('link: mycc.identity_max_per_customer identifiers per customer',
	 $q$SELECT set_config('mycc.identity_max_per_customer', '3', true); DO $d$ BEGIN IF mycc.link('qq', '10001', 'wechat', 'limit_a') IS NULL OR mycc.link('web', 'limit_b', 'qq', '10001') IS NULL THEN RAISE EXCEPTION 'refused' USING ERRCODE = '54000'; END IF; END $d$$q$,
	 $q$DO $d$ BEGIN IF mycc.link('store', 'limit_c', 'qq', '10001') IS NULL THEN RAISE EXCEPTION 'refused' USING ERRCODE = '54000'; END IF; END $d$$q$, '54000');

CREATE FUNCTION pg_temp.state_of(stmt text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE stmt;
	RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE;
END
$$;
-- Both statements of a row run in one transaction that is rolled back.
CREATE FUNCTION pg_temp.check_limit(l limits) RETURNS TABLE (at_limit text, past_limit text) LANGUAGE plpgsql AS $$
BEGIN
	at_limit := pg_temp.state_of(l.at_limit);
	past_limit := pg_temp.state_of(l.past_limit);
	RETURN NEXT;
END
$$;
BEGIN;
SELECT l.what, c.at_limit, c.past_limit, c.past_limit = l.expected AS as_documented
FROM limits AS l, LATERAL pg_temp.check_limit(l) AS c ORDER BY l.what;
-- The tier with the last id works like any other.
SELECT 'last'::mycc.customer_tier, mycc.tier_id('last'), 'last'::mycc.customer_tier OPERATOR(mycc.<) 'free';
ROLLBACK;
-- setval is not rolled back.
SELECT setval('mycc.tier_id_seq', (SELECT max(id) FROM mycc.tier)) AS tier_id_seq;

-- Cancellation: long operations stop at statement_timeout (57014), in
-- well under a second on an idle machine; the test allows 5 seconds so
-- that a loaded one passes.  The rows stream from a set-returning function
-- in the target list, so that what runs is mycc's code, not a sort or a
-- materialisation.  A long operation joins with one long_running row.
CREATE TEMP TABLE long_running (what text, stmt text);
INSERT INTO long_running VALUES
	('nps over 10^10 answers', $$SELECT mycc.nps(x) FROM (SELECT (generate_series(1, 10000000000) % 11)::int AS x) AS s$$),
	('nps_agg over 10^10 answers', $$SELECT mycc.nps_agg(x::mycc.nps_score) FROM (SELECT (generate_series(1, 10000000000) % 11)::int AS x) AS s$$),
	('nps_merge over 10^10 states', $$SELECT mycc.nps_merge(mycc.nps_state(1, 0, 0)) FROM (SELECT generate_series(1, 10000000000)) AS s$$),
	('csat over 10^10 answers', $$SELECT mycc.csat(x) FROM (SELECT (generate_series(1, 10000000000) % 5 + 1)::int AS x) AS s$$),
	('tier_for_value over 10^10 values', $$SELECT count(mycc.tier_for_value(x)) FROM (SELECT generate_series(1, 10000000000)::numeric AS x) AS s$$),
	('pareto_tier over 10^10 values', $$SELECT count(t) FROM (SELECT mycc.pareto_tier(x) OVER () AS t FROM (SELECT generate_series(1, 10000000000)::numeric AS x) AS s) AS w$$),
	('nps window, 10^10 rows', $$SELECT count(w) FROM (SELECT mycc.nps(x) OVER (ROWS 6 PRECEDING) AS w FROM (SELECT (generate_series(1, 10000000000) % 11)::int AS x) AS s) AS t$$),
	('tag_union over 10^10 sets of a 10000-tag vocabulary', $$SELECT mycc.tag_union(x) FROM (SELECT mycc.tagset(ARRAY['t' || generate_series(1, 10000000000) % 10000]) AS x) AS s$$),
	('tagset_agg over 10^10 tags', $$SELECT mycc.tagset_agg(x) FROM (SELECT 'tag' || generate_series(1, 10000000000) % 9973 AS x) AS s$$),
	('GIN: a 9999-item query over 300000 rows', $$SELECT count(*) FROM tagged WHERE tags OPERATOR(mycc.@@) (SELECT q FROM many_keys)$$),
	('connected_components over 10^10 edges', $$SELECT count(*) FROM mycc.connected_components('SELECT i, i + 1 FROM generate_series(1::bigint, 10000000000) AS i')$$),
	('session_id over 10^10 contacts', $$SELECT count(s) FROM (SELECT mycc.session_id(t, '1 hour', r) OVER () AS s FROM (SELECT '2026-01-01'::timestamptz + i * interval '1 second' AS t, (i % 1000)::text AS r FROM (SELECT generate_series(1, 10000000000) AS i) AS g) AS c) AS w$$),
	('route over 10^10 facts, 1000 rules', $$SELECT count((mycc.route(mycc.tagset(ARRAY['t' || i % 2000, 'tier:high']))).queue) FROM (SELECT generate_series(1, 10000000000) AS i) AS g$$);
-- The routing rows: a default queue and 1000 rules, half of the facts
-- matching one.
INSERT INTO mycc.queue (name, is_default) VALUES ('limits', true);
INSERT INTO mycc.routing_rule (priority, condition, queue_id)
SELECT i, ('t' || i || ' & tier:high')::mycc.tagquery, q.id FROM generate_series(1, 1000) AS i, mycc.queue AS q;
-- The GIN row: a query of 4999 absent tags, each negated (9999 items), is
-- true of a set holding none of them, so GIN searches every row
-- (GIN_SEARCH_MODE_ALL) and evaluates the whole query for each.  The plan
-- uses the index as it is: the query is not a constant the estimator can
-- read, so it guesses few rows.  (Turning seqscans off instead made every
-- plan so costly that JIT compiled the statement generating the calls,
-- which a loaded machine could not finish within the timeout.)
CREATE TEMP TABLE tagged (id int, tags mycc.tagset);
INSERT INTO tagged
SELECT i, mycc.tagset(ARRAY['t' || i % 1000, 'u' || i % 7, 'region:r' || i % 31]) FROM generate_series(1, 300000) AS i;
CREATE INDEX ON tagged USING gin (tags);
ANALYZE tagged;
CREATE TEMP TABLE many_keys AS
SELECT string_agg('!x' || i, ' & ')::mycc.tagquery AS q FROM generate_series(1, 4999) AS i;
CREATE FUNCTION pg_temp.uses_gin(stmt text) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
	plan text;
BEGIN
	EXECUTE 'EXPLAIN (FORMAT JSON) ' || stmt INTO plan;
	RETURN plan LIKE '%Bitmap Heap Scan%';
END
$$;
SELECT what, pg_temp.uses_gin(stmt) AS uses_gin FROM long_running WHERE what LIKE 'GIN%';
CREATE TEMP TABLE cancelled (what text, state text, seconds float8);
CREATE PROCEDURE pg_temp.time_out(name text) LANGUAGE plpgsql AS $$
DECLARE
	t0 timestamptz := clock_timestamp();
	state text;
BEGIN
	EXECUTE (SELECT stmt FROM long_running WHERE what = name);
	INSERT INTO cancelled VALUES (name, 'finished', NULL);
EXCEPTION WHEN query_canceled THEN
	GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE;
	INSERT INTO cancelled VALUES (name, state, extract(epoch FROM clock_timestamp() - t0));
END
$$;
-- One top-level statement each, so that each gets its own timeout.
SET statement_timeout = '200ms';
SELECT format('CALL pg_temp.time_out(%L)', what) FROM long_running ORDER BY what \gexec
RESET statement_timeout;
SELECT l.what, c.state, c.seconds < 5 AS stopped_in_time
FROM long_running AS l LEFT JOIN cancelled AS c USING (what) ORDER BY l.what;
DELETE FROM mycc.routing_rule;
DELETE FROM mycc.queue;
