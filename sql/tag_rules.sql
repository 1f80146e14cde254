-- Treatment rules: mycc.treatment_rule, mycc.treatments() and
-- mycc.treatment_candidates(): priority order, disabled rules, negative
-- and prefix rules, the reverse index (few rules tested out of thousands),
-- agreement with a plain scan of the table, and the per-backend cache
-- following changes.
SET search_path = public, mycc;

-- The bookseller's rules.
INSERT INTO mycc.treatment_rule (condition, treatment, priority) VALUES
	('vip', 'kraft-paper packaging', 10),
	('vip', 'no-questions returns', 10),
	('literary', 'lavender bookmark', 5),
	('science_geek', 'pine bookmark', 5),
	('vip & literary', 'signed first edition', 20),
	('!complainer & region:*', 'regional newsletter', 1),
	('!bought:*', 'welcome coupon', 0);
INSERT INTO mycc.treatment_rule (condition, treatment, priority, enabled) VALUES
	('vip', 'gold wrapping (retired)', 30, false);
SELECT id, condition, treatment, priority, enabled FROM mycc.treatment_rule ORDER BY id;

-- Highest priority first, then the lower id; disabled rules never apply.
SELECT c.tags, t.treatment, t.rule
FROM (VALUES (1, '{vip}'::tagset), (2, '{vip, literary, bought:novel}'), (3, '{science_geek, region:北京, bought:telescope}'),
	(4, '{}'), (5, '{complainer, region:上海}'), (6, '{literary, science_geek, bought:x}')) AS c(n, tags),
	LATERAL mycc.treatments(c.tags) WITH ORDINALITY AS t(treatment, rule, ord)
ORDER BY c.n, t.ord;
SELECT tags, (mycc.treatment_candidates(tags)).*
FROM unnest('{"{vip}", "{}", "{literary, bought:x}", "{region:北京}"}'::tagset[]) AS tags;
SELECT count(*) AS no_rows FROM mycc.treatments(NULL);
-- Errors: an empty treatment, a bad condition.
\set VERBOSITY sqlstate
INSERT INTO mycc.treatment_rule (condition, treatment) VALUES ('vip', '');
INSERT INTO mycc.treatment_rule (condition, treatment) VALUES ('vip &', 'x');
INSERT INTO mycc.treatment_rule (condition, treatment) VALUES (NULL, 'x');
SELECT mycc.policy_invalidate();
\set VERBOSITY default

-- The cache follows INSERT, UPDATE and DELETE in the same session, also
-- inside a transaction and after a rollback.
INSERT INTO mycc.treatment_rule (condition, treatment, priority) VALUES ('vip', 'handwritten card', 15);
SELECT treatment FROM mycc.treatments('{vip}');
UPDATE mycc.treatment_rule SET priority = 0 WHERE treatment = 'handwritten card';
SELECT treatment FROM mycc.treatments('{vip}');
UPDATE mycc.treatment_rule SET enabled = false WHERE treatment = 'kraft-paper packaging';
SELECT treatment FROM mycc.treatments('{vip}');
DELETE FROM mycc.treatment_rule WHERE treatment = 'handwritten card';
SELECT treatment FROM mycc.treatments('{vip}');
BEGIN;
UPDATE mycc.treatment_rule SET enabled = true WHERE treatment = 'kraft-paper packaging';
SELECT treatment FROM mycc.treatments('{vip}');
ROLLBACK;
SELECT treatment FROM mycc.treatments('{vip}');
UPDATE mycc.treatment_rule SET enabled = true WHERE treatment = 'kraft-paper packaging';
-- A query that uses treatments() on many rows reads the rules once.
SELECT count(*) AS rows, sum(n) AS treatments
FROM (SELECT (SELECT count(*) FROM mycc.treatments(tagset(ARRAY['vip', 'n' || i]))) AS n FROM generate_series(1, 1000) AS i) AS x;

-- 5000 generated rules over a large vocabulary: positive, negative, OR,
-- prefix and NOT rules; rule priorities with ties.
TRUNCATE mycc.treatment_rule;
SELECT setseed(0.5);
INSERT INTO mycc.treatment_rule (condition, treatment, priority, enabled)
SELECT (CASE i % 10
		WHEN 0 THEN 't' || a
		WHEN 1 THEN 't' || a || ' & t' || b
		WHEN 2 THEN 't' || a || ' | t' || b
		WHEN 3 THEN 't' || a || ' & !t' || b
		WHEN 4 THEN '(t' || a || ' | t' || b || ') & t' || c
		WHEN 5 THEN 'p' || (a % 50) || ':*'
		WHEN 6 THEN 't' || a || ' & (p' || (b % 50) || ':* | !t' || c || ')'
		WHEN 7 THEN 't' || a || ' & t' || b || ' & t' || c
		WHEN 8 THEN CASE WHEN i % 100 = 8 THEN '!t' || a ELSE 't' || a || ' | t' || b || ' | t' || c END
		ELSE CASE WHEN i % 100 = 9 THEN '!(t' || a || ' | t' || b || ')' ELSE 't' || a || ' & !(t' || b || ' & t' || c || ')' END
	END)::tagquery, 'treatment ' || i, (i * 7) % 13, i % 37 <> 0
FROM (SELECT i, 1 + floor(random() * 2000)::int AS a, 1 + floor(random() * 2000)::int AS b,
	1 + floor(random() * 2000)::int AS c FROM generate_series(1, 5000) AS i) AS r;
SELECT count(*) AS rules, count(*) FILTER (WHERE enabled) AS enabled FROM mycc.treatment_rule;

-- 2000 random customers of 1 to 15 tags, some with prefixed tags.
CREATE TABLE customers (id int, tags tagset);
INSERT INTO customers
SELECT id, tagset(ARRAY(SELECT CASE WHEN random() < 0.1 THEN 'p' || floor(random() * 60)::int || ':x'
		ELSE 't' || (1 + floor(random() * 2000)::int) END
	FROM generate_series(1, 1 + floor(random() * 15)::int + id * 0)))
FROM generate_series(1, 2000) AS id;
-- A few customers that hold many tags of the rules' vocabulary.
INSERT INTO customers
SELECT 10000 + k, tagset(ARRAY(SELECT 't' || j FROM generate_series(k, 2000, 7) AS j)) FROM generate_series(1, 5) AS k;

-- treatments() answers exactly as a scan of every enabled rule, in order.
CREATE TABLE by_index AS
SELECT c.id, array_agg(t.rule ORDER BY t.ord) AS rules
FROM customers AS c LEFT JOIN LATERAL mycc.treatments(c.tags) WITH ORDINALITY AS t(treatment, rule, ord) ON true
GROUP BY c.id;
CREATE TABLE by_scan AS
SELECT c.id, array_agg(r.id ORDER BY r.priority DESC, r.id) FILTER (WHERE r.id IS NOT NULL) AS rules
FROM customers AS c LEFT JOIN LATERAL (SELECT id, priority FROM mycc.treatment_rule
	WHERE enabled AND c.tags @@ condition) AS r ON true
GROUP BY c.id;
SELECT count(*) AS customers, count(*) FILTER (WHERE i.rules IS DISTINCT FROM s.rules) AS disagreements,
	sum(cardinality(s.rules)) AS matches, count(*) FILTER (WHERE cardinality(s.rules) > 1) AS several
FROM by_index AS i FULL JOIN by_scan AS s USING (id);
-- The same treatments (text), in the same order, for a sample.
SELECT bool_and(x.t IS NOT DISTINCT FROM y.t) AS treatments_same
FROM (SELECT c.id, array_agg(t.treatment ORDER BY t.ord) AS t FROM customers AS c,
		LATERAL mycc.treatments(c.tags) WITH ORDINALITY AS t(treatment, rule, ord) WHERE c.id <= 200 GROUP BY c.id) AS x
	JOIN (SELECT c.id, array_agg(r.treatment ORDER BY r.priority DESC, r.id) AS t FROM customers AS c
		JOIN mycc.treatment_rule AS r ON r.enabled AND c.tags @@ r.condition WHERE c.id <= 200 GROUP BY c.id) AS y USING (id);

-- The reverse index: a call tests a handful of the 5000 rules.
SELECT max(rules) AS rules, max(tested) AS max_tested, round(avg(tested)) AS avg_tested,
	max(tested) < max(rules) / 20 AS far_below, bool_and(matched <= tested) AS matched_le_tested
FROM customers AS c, LATERAL mycc.treatment_candidates(c.tags) AS x
WHERE c.id < 10000;
SELECT max(tested) < max(rules) / 2 AS dense_below
FROM customers AS c, LATERAL mycc.treatment_candidates(c.tags) AS x
WHERE c.id >= 10000;
-- On the empty set only the rules without a positive term are tested.
SELECT tested = (SELECT count(*) FROM mycc.treatment_rule WHERE enabled AND condition::text LIKE '!%') AS only_negative_rules_tested
FROM mycc.treatment_candidates('{}');

-- A new rule is seen at once; removing every rule leaves none.
INSERT INTO mycc.treatment_rule (condition, treatment, priority) VALUES ('t1 & t2', 'the first two', 100);
SELECT treatment FROM mycc.treatments('{t1, t2}') LIMIT 1;
DELETE FROM mycc.treatment_rule;
SELECT (mycc.treatment_candidates('{t1, t2}')).*;
-- TRUNCATE, too, empties the cache.
INSERT INTO mycc.treatment_rule (condition, treatment) VALUES ('t1', 'one');
SELECT treatment FROM mycc.treatments('{t1}');
TRUNCATE mycc.treatment_rule;
SELECT count(*) AS after_truncate FROM mycc.treatments('{t1}');

DROP TABLE customers, by_index, by_scan;
SELECT setval('mycc.treatment_rule_id_seq', 1, false);
