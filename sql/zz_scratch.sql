SET client_min_messages = warning;
INSERT INTO mycc.agent (name, skills, capacity, status) VALUES ('m', '{account_manager}', 2, 'available');
INSERT INTO mycc.customer (name) SELECT 'c' || i FROM generate_series(1, 5) AS i;
SET statement_timeout = '10s';
\timing on
SELECT mycc.assign_account_managers('free', 3000000);
UPDATE mycc.customer SET account_manager = NULL;
SELECT mycc.assign_account_managers('free', 300000000);
\timing off
SELECT mycc.effective_priority(1, now(), '1 hour', 'Infinity', now());
SELECT mycc.effective_priority(1, now(), '0', 1, now());
SELECT mycc.effective_priority(1, now(), '-1 hour', 1, now() + interval '1 hour');
SELECT mycc.effective_priority(2147483647, '-infinity', '1 microsecond', 1e308, now());
