-- bench/growth/measure_memory.sql: peak memory of one query in a fresh
-- backend; included by bench/cases/memory.sql with the psql variables
--   what   the row's label        q     the query (answers one number)
--   rows   the rows it reads      warm  a small query that loads what q
--                                       needs (library, caches)
--   touch  a query that reads every page q reads (so that the backend
--          maps those shared buffers before the "before" reading)
-- A backend's RSS counts the shared-buffer pages it has touched; touch
-- makes them part of "before", so the difference is the backend's own
-- (private) memory: palloc'd contexts, sort and hash space, tuplestores.
\c
SET search_path = public, mycc;
SET max_parallel_workers_per_gather = 0;
SELECT (:touch) AS touched \gset
SELECT (:warm) AS warmed \gset
SELECT bench.proc_status_kb('VmHWM') AS hwm0, bench.proc_status_kb('RssAnon') AS anon0 \gset
SELECT ms, answer FROM bench.time_query(:'q', 'clock') \gset
SELECT bench.proc_status_kb('VmHWM') AS hwm1, bench.proc_status_kb('RssAnon') AS anon1 \gset
INSERT INTO bench.memory (what, rows, hwm_before_kb, hwm_after_kb, anon_before_kb, anon_after_kb, ms, answer, sql)
VALUES (:'what', :rows, :hwm0, :hwm1, :anon0, :anon1, :ms, :answer, :'q');
