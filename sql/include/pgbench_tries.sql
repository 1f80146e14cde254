-- PGBENCH_TRIES, for the --max-tries of a test's pgbench run: 1 on one
-- server, where a deadlock is mycc's and fails the test; 10 on a Citus
-- coordinator, whose distributed deadlock detector counts every
-- coordinator-local transaction as one and so may cancel a distributed one
-- waiting among them with 40P01 (Citus issue 1803), which clients retry
-- (docs/scaling.md#deadlocks).
SELECT CASE WHEN EXISTS (SELECT FROM pg_catalog.pg_extension WHERE extname = 'citus') THEN 10 ELSE 1 END AS pgbench_tries \gset
\setenv PGBENCH_TRIES :pgbench_tries
