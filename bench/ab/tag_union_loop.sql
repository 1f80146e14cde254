-- bench/ab/tag_union_loop.sql: one execution (query :i, run :r), then the
-- next, until every query ran :runs times (psql has no loops: recursion).
\c
SET search_path = public, mycc;
SELECT '{}'::mycc.tagset IS NOT NULL AS loaded \gset
SELECT count(*) FROM tag_customers \gset
SELECT q FROM ab_queries WHERE ord = :i \gset
SELECT bench.proc_status_kb('VmHWM') AS hwm0 \gset
SELECT ms, answer FROM bench.time_query(:'q', 'clock') \gset
INSERT INTO ab_samples VALUES (:i, :r, :ms, :answer, bench.proc_status_kb('VmHWM') - :hwm0);
SELECT CASE WHEN :i < :n_queries THEN :i + 1 ELSE 1 END AS i,
	CASE WHEN :i < :n_queries THEN :r ELSE :r + 1 END AS r \gset
SELECT :r <= :runs AS more \gset
\if :more
\ir tag_union_loop.sql
\endif
