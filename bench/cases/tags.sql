-- bench/cases/tags.sql: tag matching (design.md section 7) and treatment
-- rules (issue 4).
--
-- Tag match: N customers (1,000,000; 100,000 with --small), each with 8
-- draws from a Zipf-like vocabulary of 3000 interests (tag interest:K with
-- K = floor(3000^u): P(K) ~ 1/K), plus vip (2%) and complainer (5%): ~8
-- distinct tags a customer.  One table holds the same sets three ways:
-- mycc.tagset, text[] (what a user would write without mycc) and int[]
-- (contrib/intarray, tags mapped to integers: vip = 1, complainer = 2,
-- interest:K = 100 + K), each with its GIN index.  Three queries, each run
-- through the indexes (sequential scans disabled) and by sequential scan
-- (index scans disabled); the answer is the count of matching customers,
-- checked equal before timings count.  Floor: count(*) of the table.
--
-- Treatment rules: mycc.treatments(tags) over S customers' tag sets (2000;
-- 500 with --small) with 10, 1000 and 10000 rules, against the LATERAL
-- scan of mycc.treatment_rule a user would write; the answer is the number
-- of (customer, treatment) pairs.  Floor: count(*) of the sample.
--
-- Variables from bench/driver.sh: small (on/off), runs, method.

\if :small
\set n 100000
\set s 500
\else
\set n 1000000
\set s 2000
\endif

CREATE EXTENSION IF NOT EXISTS intarray;
-- mycc's operators are found through the search_path, as users set it.
SET search_path = public, mycc;

-- The data (and bench.u, bench.tag_name): bench/gen.sql, shared with the
-- growth and memory cases.
\ir ../gen.sql
BEGIN;
SELECT bench.make_tag_customers(:n);
COMMIT;
CREATE INDEX tag_customers_tags ON tag_customers USING gin (tags);
CREATE INDEX tag_customers_arr ON tag_customers USING gin (tags_arr);
CREATE INDEX tag_customers_int ON tag_customers USING gin (tags_int gin__int_ops);
VACUUM (FREEZE, ANALYZE) tag_customers;
SELECT pg_prewarm('tag_customers'), pg_prewarm('tag_customers_tags'),
	   pg_prewarm('tag_customers_arr'), pg_prewarm('tag_customers_int');
SELECT bench.note_table('tags', 'tag_customers', :n);

\set floor 'SELECT count(*) FROM tag_customers'
-- 1. The design's query: vip & !complainer (~1.9%).
\set q1_mycc 'SELECT count(*) FROM tag_customers WHERE tags @@ ''vip & !complainer'''
\set q1_arr 'SELECT count(*) FROM tag_customers WHERE tags_arr @> ''{vip}'' AND NOT tags_arr && ''{complainer}'''
\set q1_int 'SELECT count(*) FROM tag_customers WHERE tags_int @@ ''1 & !2''::query_int'
-- 2. Two common tags together (~9% and ~5%: ~0.5%).
\set q2_mycc 'SELECT count(*) FROM tag_customers WHERE tags @@ ''interest:1 & interest:2'''
\set q2_arr 'SELECT count(*) FROM tag_customers WHERE tags_arr @> ''{interest:1,interest:2}'''
\set q2_int 'SELECT count(*) FROM tag_customers WHERE tags_int @@ ''101 & 102''::query_int'
-- 3. A campaign: either of two tags, no complainers (~7%).
\set q3_mycc 'SELECT count(*) FROM tag_customers WHERE tags @@ ''(interest:3 | interest:4) & !complainer'''
\set q3_arr 'SELECT count(*) FROM tag_customers WHERE tags_arr && ''{interest:3,interest:4}'' AND NOT tags_arr && ''{complainer}'''
\set q3_int 'SELECT count(*) FROM tag_customers WHERE tags_int @@ ''(103 | 104) & !2''::query_int'

-- Through the GIN indexes.  Each timed run follows an untimed run of the
-- same query (warm): in the fixed order, intarray's query followed the
-- text[] query over the same rows and ran warm, mycc's followed the floor
-- (a scan of the whole table) or another query and ran cold, which alone
-- moved mycc/intarray for vip & !complainer from about 0.7 to 1.3.
SET enable_seqscan = off;
SET max_parallel_workers_per_gather = 0;
SELECT bench.measure('tags', 'GIN index',
	ARRAY['q1_mycc', 'q1_arr', 'q1_int', 'q2_mycc', 'q2_arr', 'q2_int', 'q3_mycc', 'q3_arr', 'q3_int', 'floor'],
	ARRAY[:'q1_mycc', :'q1_arr', :'q1_int', :'q2_mycc', :'q2_arr', :'q2_int', :'q3_mycc', :'q3_arr', :'q3_int', :'floor'],
	:runs, :'method', 0, warm => true);
SELECT bench.report('tags', 'GIN index', 'tags: vip & !complainer, GIN: tagset @@ vs text[] @>/&&', 'q1_mycc', 'q1_arr', 'floor', :n, 1.0);
SELECT bench.report('tags', 'GIN index', 'tags: vip & !complainer, GIN: tagset @@ vs intarray @@', 'q1_mycc', 'q1_int', 'floor', :n, 1.0);
SELECT bench.report('tags', 'GIN index', 'tags: interest:1 & interest:2, GIN: tagset @@ vs text[] @>', 'q2_mycc', 'q2_arr', 'floor', :n, 1.0);
SELECT bench.report('tags', 'GIN index', 'tags: interest:1 & interest:2, GIN: tagset @@ vs intarray @@', 'q2_mycc', 'q2_int', 'floor', :n, 1.0);
SELECT bench.report('tags', 'GIN index', 'tags: (interest:3 | interest:4) & !complainer, GIN: vs text[] &&', 'q3_mycc', 'q3_arr', 'floor', :n, 1.0);
SELECT bench.report('tags', 'GIN index', 'tags: (interest:3 | interest:4) & !complainer, GIN: vs intarray @@', 'q3_mycc', 'q3_int', 'floor', :n, 1.0);
RESET enable_seqscan;

-- By sequential scan.
SET enable_bitmapscan = off;
SET enable_indexscan = off;
SET enable_indexonlyscan = off;
SELECT bench.measure('tags', 'seq scan',
	ARRAY['q1_mycc', 'q1_arr', 'q1_int', 'q3_mycc', 'q3_arr', 'q3_int', 'floor'],
	ARRAY[:'q1_mycc', :'q1_arr', :'q1_int', :'q3_mycc', :'q3_arr', :'q3_int', :'floor'],
	:runs, :'method', 0);
SELECT bench.report('tags', 'seq scan', 'tags: vip & !complainer, seq scan: tagset @@ vs text[] @>/&&', 'q1_mycc', 'q1_arr', 'floor', :n, 1.0);
SELECT bench.report('tags', 'seq scan', 'tags: vip & !complainer, seq scan: tagset @@ vs intarray @@', 'q1_mycc', 'q1_int', 'floor', :n, 1.0);
SELECT bench.report('tags', 'seq scan', 'tags: (interest:3 | interest:4) & !complainer, seq scan: vs text[] &&', 'q3_mycc', 'q3_arr', 'floor', :n, 1.0);
SELECT bench.report('tags', 'seq scan', 'tags: (interest:3 | interest:4) & !complainer, seq scan: vs intarray @@', 'q3_mycc', 'q3_int', 'floor', :n, 1.0);
RESET enable_bitmapscan;
RESET enable_indexscan;
RESET enable_indexonlyscan;

-- Treatment rules.  Conditions over a uniform pick of the vocabulary, four
-- shapes: a tag; two tags; a tag and not complainer; (a | b) & vip.
CREATE TABLE rule_sample AS SELECT id, tags FROM tag_customers WHERE id <= :s;
VACUUM (FREEZE, ANALYZE) rule_sample;
CREATE FUNCTION pg_temp.load_rules(nrules integer) RETURNS void
LANGUAGE sql AS $$
	DELETE FROM mycc.treatment_rule;
	INSERT INTO mycc.treatment_rule (condition, treatment, priority)
	SELECT (CASE r % 4
			WHEN 0 THEN a
			WHEN 1 THEN a || ' & ' || b
			WHEN 2 THEN a || ' & !complainer'
			ELSE '(' || a || ' | ' || b || ') & vip' END)::mycc.tagquery,
		'treatment ' || r, r % 7
	FROM (SELECT r,
				 'interest:' || (1 + floor(bench.u(r, 51) * 2999)::integer) AS a,
				 'interest:' || (1 + floor(bench.u(r, 52) * 2999)::integer) AS b
		  FROM generate_series(1, nrules) AS r) AS g;
$$;

\set t_mycc 'SELECT count(*) FROM rule_sample AS s, mycc.treatments(s.tags) AS t'
\set t_plain 'SELECT count(*) FROM rule_sample AS s CROSS JOIN LATERAL (SELECT r.treatment FROM mycc.treatment_rule AS r WHERE r.enabled AND s.tags @@ r.condition ORDER BY r.priority DESC, r.id) AS t'
\set t_floor 'SELECT count(*) FROM rule_sample'

SELECT pg_temp.load_rules(10);
SELECT bench.measure('tags', 'treatments, 10 rules', ARRAY['mycc', 'plain', 'floor'],
	ARRAY[:'t_mycc', :'t_plain', :'t_floor'], :runs, :'method', 0);
SELECT bench.report('tags', 'treatments, 10 rules', 'treatments(tags) vs LATERAL scan of the rules', 'mycc', 'plain', 'floor', :s, 1.0);
SELECT pg_temp.load_rules(1000);
SELECT bench.measure('tags', 'treatments, 1000 rules', ARRAY['mycc', 'plain', 'floor'],
	ARRAY[:'t_mycc', :'t_plain', :'t_floor'], :runs, :'method', 0);
SELECT bench.report('tags', 'treatments, 1000 rules', 'treatments(tags) vs LATERAL scan of the rules', 'mycc', 'plain', 'floor', :s, 1.0);
SELECT pg_temp.load_rules(10000);
SELECT bench.measure('tags', 'treatments, 10000 rules', ARRAY['mycc', 'plain', 'floor'],
	ARRAY[:'t_mycc', :'t_plain', :'t_floor'], :runs, :'method', 0);
SELECT bench.report('tags', 'treatments, 10000 rules', 'treatments(tags) vs LATERAL scan of the rules', 'mycc', 'plain', 'floor', :s, 1.0);
-- Flatness: mycc's time with 10000 rules over its time with 10.
SELECT bench.note_ratio_across('tags', 'treatments, 10000 rules', 'treatments, 10 rules', 'mycc');

DELETE FROM mycc.treatment_rule;
DROP TABLE rule_sample, tag_customers;
