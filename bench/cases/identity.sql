-- bench/cases/identity.sql: connected components of an identity graph
-- (design.md section 7): mycc.connected_components (union-find in C)
-- against the recursive CTE a user writes without mycc (reachability by
-- label propagation, then the smallest reachable node), floor count(*).
--
-- Variables from bench/driver.sh: small (on/off), runs, method.
--
-- The graph: 1,000,000 links (100,000 small) among about 1.25 million
-- identifiers in clusters of 2 to 9 (a person's phones, e-mails, openids),
-- each identifier linked to a pseudo-random earlier one of its cluster,
-- the rows in a pseudo-random order.  Both queries answer the sum of the
-- components over all nodes (an exact float8 below 2^53).

\if :small
\set n 100000
\else
\set n 1000000
\endif

-- The data: bench/gen.sql, shared with the growth and memory cases.
\ir ../gen.sql
BEGIN;
SELECT bench.make_identity_links(:n);
COMMIT;
VACUUM (FREEZE, ANALYZE) identity_links;
SELECT pg_prewarm('identity_links');
SELECT bench.note_table('identity', 'identity_links', :n);

\set mycc 'SELECT sum(component)::float8 FROM mycc.connected_components(''SELECT a, b FROM identity_links'')'
\set plain 'WITH RECURSIVE und (a, b) AS (SELECT a, b FROM identity_links UNION ALL SELECT b, a FROM identity_links), reach (node, label) AS (SELECT a, a FROM und UNION SELECT u.b, r.label FROM reach AS r JOIN und AS u ON u.a = r.node) SELECT sum(component)::float8 FROM (SELECT node, min(label) AS component FROM reach GROUP BY node) AS c'
\set floor 'SELECT count(*) FROM identity_links'

SET max_parallel_workers_per_gather = 0;
SELECT bench.measure('identity', 'serial', ARRAY['mycc', 'plain', 'floor'],
	ARRAY[:'mycc', :'plain', :'floor'], :runs, :'method', 0);
SELECT bench.report('identity', 'serial', 'identity: connected_components vs recursive CTE',
	'mycc', 'plain', 'floor', :n, 0.02);
RESET max_parallel_workers_per_gather;

DROP TABLE identity_links;
