-- bench/cases/memory.sql: peak backend memory (issue 7) of
-- mycc.connected_components on N links (1,000,000; 100,000 with --small)
-- (and, on a tenth of the graph, of the recursive CTE a user would write
-- instead) and of the
-- largest aggregates: mycc.tag_union over N customers' tags
-- (all rows into one state, and into 1000 groups), mycc.nps_agg over 10 N
-- answers; with the plain-SQL baselines and a bare count(*) for scale.
-- Not one of design.md's cases: it runs only when named, `bash
-- bench/run.sh --only memory`.
--
-- Each query runs once in a fresh backend (psql \c), after a scan of the
-- table it reads and a small call of the same function; VmHWM (the peak
-- resident set) and RssAnon (private resident memory) are read from
-- /proc/self/status before and after.  The difference of the VmHWM is the
-- peak memory the query added to the backend: palloc'd memory that was
-- written to (AllocSet blocks, sort, hash and tuplestore space, mycc's
-- own arrays), not memory reserved and never touched, and not the shared
-- buffers (touched before).  Results in bench.memory, which the driver
-- prints as "Peak backend memory".  work_mem bounds the tuplestores and
-- sorts: the numbers hold for the server's work_mem (256MB in bench/run.sh).
--
-- Variables from bench/driver.sh: small (on/off), runs, method.

\if :small
\set n 100000
\else
\set n 1000000
\endif

CREATE EXTENSION IF NOT EXISTS intarray;
SET search_path = public, mycc;
\ir ../gen.sql
SELECT 10 * :n AS n_nps \gset

SELECT bench.make_identity_links(:n);
SELECT bench.make_tag_customers(:n);
SELECT bench.make_nps_answers(:n_nps);
VACUUM (FREEZE, ANALYZE) identity_links, tag_customers, nps_answers;
SELECT pg_prewarm('identity_links'), pg_prewarm('tag_customers'), pg_prewarm('nps_answers');
SELECT bench.note_table('memory', 'identity_links', :n);
SELECT bench.note_table('memory', 'tag_customers', :n);
SELECT bench.note_table('memory', 'nps_answers', :n_nps);
CREATE VIEW identity_tenth AS SELECT a, b FROM identity_links WHERE a < :n / 4;
SELECT count(*) AS n_tenth FROM identity_tenth \gset

-- Connected components.
\set touch 'SELECT count(*) FROM identity_links'
\set warm 'SELECT count(*) FROM mycc.connected_components(''SELECT 1::bigint, 2::bigint'')'
\set rows :n
\set what 'count(*) of the links (for scale)'
\set q 'SELECT count(*)::float8 FROM identity_links'
\ir ../growth/measure_memory.sql
\set what 'mycc.connected_components'
\set q 'SELECT sum(component)::float8 FROM mycc.connected_components(''SELECT a, b FROM identity_links'')'
\ir ../growth/measure_memory.sql
-- The recursive CTE's hash tables start at the planner's estimate of the
-- groups, up to hash_mem (work_mem x hash_mem_multiplier), zeroed, and
-- grow from there without spilling: 788 MB for 10,000 links and 930 MB for
-- 100,000 in trial runs.  At N links it runs for minutes (see the growth
-- case) on a machine others share, so both sides run again on a tenth of
-- the graph, the clusters with ids
-- below N / 4 (every link joins two nodes of one cluster, so the view
-- holds whole clusters: the same components as in the whole graph).
\set rows :n_tenth
\set what 'mycc.connected_components, a tenth of the graph'
\set q 'SELECT sum(component)::float8 FROM mycc.connected_components(''SELECT a, b FROM identity_tenth'')'
\ir ../growth/measure_memory.sql
\set what 'recursive CTE label propagation, a tenth of the graph (baseline)'
\set warm 'SELECT 1'
\set q 'WITH RECURSIVE und (a, b) AS (SELECT a, b FROM identity_tenth UNION ALL SELECT b, a FROM identity_tenth), reach (node, label) AS (SELECT a, a FROM und UNION SELECT u.b, r.label FROM reach AS r JOIN und AS u ON u.a = r.node) SELECT sum(component)::float8 FROM (SELECT node, min(label) AS component FROM reach GROUP BY node) AS c'
\ir ../growth/measure_memory.sql

-- tag_union: one state over every customer, then 1000 groups (hashed).
\set rows :n
\set touch 'SELECT count(*) FROM tag_customers'
\set warm 'SELECT # mycc.tag_union(tags) FROM tag_customers WHERE id <= 10'
\set what 'mycc.tag_union, one group'
\set q 'SELECT (# mycc.tag_union(tags))::float8 FROM tag_customers'
\ir ../growth/measure_memory.sql
\set what 'count(DISTINCT tag) over unnest(text[]), one group (baseline)'
\set q 'SELECT count(DISTINCT t)::float8 FROM tag_customers, unnest(tags_arr) AS t'
\ir ../growth/measure_memory.sql
\set what 'mycc.tag_union, GROUP BY id % 1000'
\set q 'SELECT sum(# u)::float8 FROM (SELECT mycc.tag_union(tags) AS u FROM tag_customers GROUP BY id % 1000) AS g'
\ir ../growth/measure_memory.sql
\set what 'array_agg(DISTINCT tag), GROUP BY id % 1000 (baseline)'
\set q 'SELECT sum(cardinality(u))::float8 FROM (SELECT array_agg(DISTINCT t) AS u FROM tag_customers, unnest(tags_arr) AS t GROUP BY id % 1000) AS g'
\ir ../growth/measure_memory.sql

-- nps_agg over 10 N answers.
\set touch 'SELECT count(*) FROM nps_answers'
\set warm 'SELECT mycc.nps(mycc.nps_agg(score)) FROM (SELECT score FROM nps_answers LIMIT 10) AS s'
\set rows :n_nps
\set what 'count(*) of the answers (for scale)'
\set q 'SELECT count(*)::float8 FROM nps_answers'
\ir ../growth/measure_memory.sql
\set what 'mycc.nps_agg'
\set q 'SELECT mycc.nps(mycc.nps_agg(score))::float8 FROM nps_answers'
\ir ../growth/measure_memory.sql

\c
-- mycc and its baseline must agree (a fast wrong answer is a failure).
DO $$
DECLARE
	p record;
BEGIN
	FOR p IN
		SELECT m.what AS m_what, m.answer AS m_answer, b.what AS b_what, b.answer AS b_answer
		FROM (VALUES ('mycc.connected_components, a tenth of the graph', 'recursive CTE label propagation, a tenth of the graph (baseline)'),
					 ('mycc.tag_union, one group', 'count(DISTINCT tag) over unnest(text[]), one group (baseline)'),
					 ('mycc.tag_union, GROUP BY id % 1000', 'array_agg(DISTINCT tag), GROUP BY id % 1000 (baseline)'))
			 AS pair (m, b)
		JOIN bench.memory m ON m.what = pair.m
		JOIN bench.memory b ON b.what = pair.b
	LOOP
		IF p.m_answer IS DISTINCT FROM p.b_answer THEN
			RAISE EXCEPTION 'bench memory: % answered %, % answered %',
				p.m_what, p.m_answer, p.b_what, p.b_answer;
		END IF;
		INSERT INTO bench.notes (case_name, note)
		VALUES ('memory', format('%s and %s both answered %s', p.m_what, p.b_what, p.m_answer));
	END LOOP;
END
$$;
DROP VIEW identity_tenth;
DROP TABLE identity_links, tag_customers, nps_answers;
