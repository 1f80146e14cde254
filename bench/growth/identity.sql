-- bench/growth/identity.sql: connected components of bench/cases/identity.sql
-- at :size links; the recursive CTE only up to :cte_max links (above, it
-- takes too long for this harness: mycc and the floor alone).  Included by
-- bench/cases/growth.sql.
SELECT bench.make_identity_links(:size);
VACUUM (FREEZE, ANALYZE) identity_links;
SELECT pg_prewarm('identity_links');
SELECT bench.note_table('growth', 'identity_links', :size);

\set mycc 'SELECT sum(component)::float8 FROM mycc.connected_components(''SELECT a, b FROM identity_links'')'
\set plain 'WITH RECURSIVE und (a, b) AS (SELECT a, b FROM identity_links UNION ALL SELECT b, a FROM identity_links), reach (node, label) AS (SELECT a, a FROM und UNION SELECT u.b, r.label FROM reach AS r JOIN und AS u ON u.a = r.node) SELECT sum(component)::float8 FROM (SELECT node, min(label) AS component FROM reach GROUP BY node) AS c'
\set floor 'SELECT count(*) FROM identity_links'

\set section 'identity, ' :size ' links'
SELECT :size <= :cte_max AS run_cte \gset
\if :run_cte
SELECT bench.measure('growth', :'section', ARRAY['mycc', 'plain', 'floor'],
	ARRAY[:'mycc', :'plain', :'floor'], :runs, :'method', 0);
SELECT bench.report('growth', :'section', 'identity: connected_components vs recursive CTE', 'mycc', 'plain', 'floor', :size);
SELECT bench.note_growth('growth', :'section', 'connected_components vs recursive CTE', 'mycc', 'plain', :size, 'links');
\else
SELECT bench.measure('growth', :'section', ARRAY['mycc', 'floor'],
	ARRAY[:'mycc', :'floor'], :runs, :'method', 0);
SELECT bench.note_growth('growth', :'section', 'connected_components vs recursive CTE', 'mycc', NULL, :size, 'links',
	'CTE capped (> ' || :cte_max || ' links)');
SELECT bench.note_ratio('growth', :'section', 'mycc', 'floor');
\endif

DROP TABLE identity_links;
