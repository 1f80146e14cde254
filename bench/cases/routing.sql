-- bench/cases/routing.sql: routing (design.md section 7, issue 6).
--
-- N contacts' facts (1,000,000; 100,000 with --small), each what
-- mycc.contact_facts() would give: the customer's tags (6 draws from a
-- Zipf-like vocabulary of 3000 interests, interest:K with K =
-- floor(3000^u), plus vip 2 % and complainer 5 %), tier:<tier> (high 2 %,
-- mid 8 %, low 30 %, free 60 %), channel:<channel> (7 channels, QQ and the
-- in-game form most) and topic:<topic> (6 topics).  500 enabled rules in
-- mycc.routing_rule over 20 queues (one the default): 10 broad rules of a
-- contact center (tier:high, channel:wechat & topic:refund, tier:free,
-- complainer, ...) and 490 narrower ones mixing an interest with a
-- channel, a topic, a tier or a negation; priorities 0..9, so ties are
-- broken by the lower id.  Then route() alone with 50 and 5000 rules, for
-- how its cost grows with the rules.
--
-- mycc.route(facts) against the LATERAL a user would write over the same
-- table; the answer is the sum of the chosen rules' ids (0 for the default
-- queue) and must be equal.  Floor: count(*) of the facts.
--
-- Variables from bench/driver.sh: small (on/off), runs, method.

\if :small
\set n 100000
\else
\set n 1000000
-- At full scale the LATERAL baseline takes about 5 minutes a run on 2
-- cores (500 rules tested per contact): 2 timed runs after the warm-up
-- keep the whole bench within half an hour.  The medians below are then
-- of 2 runs: the ratio (about 50x) dwarfs the noise.
\set runs 2
\endif
\set nrules 500

-- mycc's operators are found through the search_path, as users set it.
SET search_path = public, mycc;

-- A uniform [0, 1) from a hash of (key, salt): deterministic data.
CREATE FUNCTION pg_temp.u(key bigint, salt integer) RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN ((hashint8extended(key, salt) >> 11) & 9007199254740991)::double precision / 9007199254740992.0;

-- A label of labels[] by cumulative weights (percentages).
CREATE FUNCTION pg_temp.pick(u double precision, labels text[], cumulative double precision[]) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN labels[(SELECT min(i) FROM generate_subscripts(cumulative, 1) AS i WHERE u * 100 < cumulative[i])];

BEGIN;
CREATE TABLE route_facts (
	id integer NOT NULL,
	facts mycc.tagset NOT NULL
);
INSERT INTO route_facts
SELECT i, mycc.tagset(array_remove(ARRAY[
		'interest:' || floor(power(3000, pg_temp.u(i * 8 + 0, 61)))::integer,
		'interest:' || floor(power(3000, pg_temp.u(i * 8 + 1, 61)))::integer,
		'interest:' || floor(power(3000, pg_temp.u(i * 8 + 2, 61)))::integer,
		'interest:' || floor(power(3000, pg_temp.u(i * 8 + 3, 61)))::integer,
		'interest:' || floor(power(3000, pg_temp.u(i * 8 + 4, 61)))::integer,
		'interest:' || floor(power(3000, pg_temp.u(i * 8 + 5, 61)))::integer,
		CASE WHEN pg_temp.u(i, 62) < 0.02 THEN 'vip' END,
		CASE WHEN pg_temp.u(i, 63) < 0.05 THEN 'complainer' END,
		'tier:' || pg_temp.pick(pg_temp.u(i, 64), '{high,mid,low,free}', '{2,10,40,100}'),
		'channel:' || pg_temp.pick(pg_temp.u(i, 65), '{qq,in_game,wechat,app,phone,email,web}', '{38,90,94,97,98.5,99.3,100}'),
		'topic:' || pg_temp.pick(pg_temp.u(i, 66), '{payment,account,bug,gameplay,refund,delivery}', '{28,50,66,78,92,100}')
	], NULL))
FROM generate_series(1, :n) AS i;

COMMIT;

-- The queues and the rules: 20 queues, then 10 broad rules and nrules - 10
-- narrower ones.
CREATE FUNCTION pg_temp.load_rules(nrules integer) RETURNS void
LANGUAGE sql AS $$
DELETE FROM mycc.routing_rule;
DELETE FROM mycc.queue;
INSERT INTO mycc.queue (id, name, required_skills, is_default)
SELECT q, 'queue ' || q, mycc.tagset(ARRAY['skill:' || q]), q = 1
FROM generate_series(1, 20) AS q;
INSERT INTO mycc.routing_rule (id, priority, condition, queue_id)
VALUES (1, 9, 'tier:high', 2), (2, 8, 'channel:wechat & topic:refund', 3), (3, 7, 'complainer & !tier:free', 4),
	(4, 6, 'topic:payment & (channel:qq | channel:in_game)', 5), (5, 5, 'channel:phone & !tier:free', 6),
	(6, 4, 'topic:refund', 3), (7, 3, 'tier:mid & topic:delivery', 7), (8, 2, 'channel:email | channel:web', 8),
	(9, 1, 'tier:free & !complainer', 9), (10, 0, 'vip', 2);
INSERT INTO mycc.routing_rule (id, priority, condition, queue_id)
SELECT r, r % 10,
	(CASE r % 5
		WHEN 0 THEN a || ' & channel:' || c
		WHEN 1 THEN a || ' & topic:' || t
		WHEN 2 THEN a || ' & ' || b || ' & !complainer'
		WHEN 3 THEN '(' || a || ' | ' || b || ') & tier:' || tier
		ELSE a || ' & !tier:free' END)::mycc.tagquery,
	2 + r % 19
FROM (SELECT r,
		'interest:' || floor(power(3000, pg_temp.u(r, 71)))::integer AS a,
		'interest:' || floor(power(3000, pg_temp.u(r, 72)))::integer AS b,
		(ARRAY['qq', 'in_game', 'wechat', 'app', 'phone', 'email', 'web'])[1 + r % 7] AS c,
		(ARRAY['payment', 'account', 'bug', 'gameplay', 'refund', 'delivery'])[1 + r % 6] AS t,
		(ARRAY['high', 'mid', 'low'])[1 + r % 3] AS tier
	  FROM generate_series(11, nrules) AS r) AS g;
ANALYZE mycc.routing_rule, mycc.queue;
$$;
SELECT pg_temp.load_rules(:nrules);
VACUUM (FREEZE, ANALYZE) route_facts, mycc.routing_rule, mycc.queue;
SELECT pg_prewarm('route_facts'), pg_prewarm('mycc.routing_rule');
SELECT bench.note_table('routing', 'route_facts', :n);
INSERT INTO bench.notes (case_name, note)
SELECT 'routing', format('%s enabled rules over %s queues; %s of the contacts go to the default queue (no rule matches); the broad rules 1-10 decide %s',
	(SELECT count(*) FROM mycc.routing_rule WHERE enabled), (SELECT count(*) FROM mycc.queue),
	to_char(100.0 * count(*) FILTER (WHERE r.rule IS NULL) / count(*), 'FM990.0') || ' %',
	to_char(100.0 * count(*) FILTER (WHERE r.rule <= 10) / count(*), 'FM990.0') || ' %')
FROM route_facts AS f, mycc.route(f.facts) AS r;

\set q_mycc 'SELECT sum(coalesce(r.rule, 0)) FROM route_facts AS f, mycc.route(f.facts) AS r'
\set q_plain 'SELECT sum(coalesce(r.id, 0)) FROM route_facts AS f LEFT JOIN LATERAL (SELECT x.id FROM mycc.routing_rule AS x WHERE x.enabled AND f.facts @@ x.condition ORDER BY x.priority DESC, x.id LIMIT 1) AS r ON true'
\set q_floor 'SELECT count(*) FROM route_facts'

SET max_parallel_workers_per_gather = 0;
SELECT bench.measure('routing', 'route, 500 rules', ARRAY['mycc', 'plain', 'floor'],
	ARRAY[:'q_mycc', :'q_plain', :'q_floor'], :runs, :'method', 0);
-- issue 6: route() at least 10 x faster than the LATERAL scan.
SELECT bench.report('routing', 'route, 500 rules', 'routing: mycc.route(facts) vs LATERAL (... facts @@ condition ORDER BY priority DESC, id LIMIT 1)',
	'mycc', 'plain', 'floor', :n, 0.10);

-- How route() grows with the rules (the reverse index; issue 6: nearly
-- flat): the same facts with 50 and 5000 rules, mycc and the floor only
-- (the LATERAL scan grows linearly: 10 x the rules, 10 x its time).
SELECT pg_temp.load_rules(50);
SELECT bench.measure('routing', 'route, 50 rules', ARRAY['mycc', 'floor'],
	ARRAY[:'q_mycc', :'q_floor'], :runs, :'method', 0);
SELECT pg_temp.load_rules(5000);
SELECT bench.measure('routing', 'route, 5000 rules', ARRAY['mycc', 'floor'],
	ARRAY[:'q_mycc', :'q_floor'], :runs, :'method', 0);
SELECT bench.note_ratio_across('routing', 'route, 500 rules', 'route, 50 rules', 'mycc');
SELECT bench.note_ratio_across('routing', 'route, 5000 rules', 'route, 500 rules', 'mycc');

DROP TABLE route_facts;
TRUNCATE mycc.routing_rule, mycc.queue;
