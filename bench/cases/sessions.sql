-- bench/cases/sessions.sql: sessionizing contacts into conversations
-- (design.md section 7): mycc.session_id() against the lag() + running
-- sum() gaps-and-islands query, floor a bare row_number() over the same
-- window (the sort and the window pass without any computation); first
-- with a sort, then presorted by an index, as on mycc.contact.
--
-- Variables from bench/driver.sh: small (on/off), runs, method.
--
-- 10,000,000 contacts (1,000,000 small) of 1,000,000 customers (100,000)
-- over 90 days, at pseudo-random times; a 2-hour gap.  Every query
-- answers the sum of the conversation numbers (or of the row numbers),
-- so the whole window is computed.

\if :small
\set n 1000000
\else
\set n 10000000
\endif

-- The data: bench/gen.sql, shared with the growth and memory cases.
\ir ../gen.sql
BEGIN;
SELECT bench.make_session_contacts(:n);
COMMIT;
VACUUM (FREEZE, ANALYZE) session_contacts;
SELECT pg_prewarm('session_contacts');
SELECT bench.note_table('sessions', 'session_contacts', :n);

\set mycc 'SELECT sum(conversation)::float8 FROM (SELECT mycc.session_id(ts, interval ''2 hours'') OVER (PARTITION BY customer ORDER BY ts) AS conversation FROM session_contacts) AS s'
\set plain 'SELECT sum(conversation)::float8 FROM (SELECT 1 + sum(brk) OVER (PARTITION BY customer ORDER BY ts ROWS UNBOUNDED PRECEDING) AS conversation FROM (SELECT customer, ts, CASE WHEN ts - lag(ts) OVER (PARTITION BY customer ORDER BY ts) > interval ''2 hours'' THEN 1 ELSE 0 END AS brk FROM session_contacts) AS b) AS s'
\set floor 'SELECT count(rn) FROM (SELECT row_number() OVER (PARTITION BY customer ORDER BY ts) AS rn FROM session_contacts) AS s'

SET max_parallel_workers_per_gather = 0;
SELECT bench.measure('sessions', 'serial', ARRAY['mycc', 'plain', 'floor'],
	ARRAY[:'mycc', :'plain', :'floor'], :runs, :'method', 0);
SELECT bench.report('sessions', 'serial', 'sessions: session_id() vs lag() + running sum()',
	'mycc', 'plain', 'floor', :n, 0.5);

-- Presorted: mycc.contact has an index on (customer_id, started_at); with
-- the table clustered on it, an index scan feeds the windows in order and
-- no query sorts, so the window computation itself is compared.
CREATE INDEX session_contacts_customer_ts ON session_contacts (customer, ts);
CLUSTER session_contacts USING session_contacts_customer_ts;
VACUUM (FREEZE, ANALYZE) session_contacts;
SELECT pg_prewarm('session_contacts');
SELECT pg_prewarm('session_contacts_customer_ts');
SET enable_sort = off;
SELECT bench.measure('sessions', 'presorted (index scan)', ARRAY['mycc', 'plain', 'floor'],
	ARRAY[:'mycc', :'plain', :'floor'], :runs, :'method', 0);
SELECT bench.report('sessions', 'presorted (index scan)', 'sessions: session_id() vs lag() + running sum()',
	'mycc', 'plain', 'floor', :n, 0.5);
RESET enable_sort;
RESET max_parallel_workers_per_gather;

DROP TABLE session_contacts;
