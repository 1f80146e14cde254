-- bench/growth/sessions.sql: the sessionizer of bench/cases/sessions.sql
-- (with its sort, serial) at :size contacts; included by
-- bench/cases/growth.sql.
SELECT bench.make_session_contacts(:size);
VACUUM (FREEZE, ANALYZE) session_contacts;
SELECT pg_prewarm('session_contacts');
SELECT bench.note_table('growth', 'session_contacts', :size);

\set mycc 'SELECT sum(conversation)::float8 FROM (SELECT mycc.session_id(ts, interval ''2 hours'') OVER (PARTITION BY customer ORDER BY ts) AS conversation FROM session_contacts) AS s'
\set plain 'SELECT sum(conversation)::float8 FROM (SELECT 1 + sum(brk) OVER (PARTITION BY customer ORDER BY ts ROWS UNBOUNDED PRECEDING) AS conversation FROM (SELECT customer, ts, CASE WHEN ts - lag(ts) OVER (PARTITION BY customer ORDER BY ts) > interval ''2 hours'' THEN 1 ELSE 0 END AS brk FROM session_contacts) AS b) AS s'
\set floor 'SELECT count(rn) FROM (SELECT row_number() OVER (PARTITION BY customer ORDER BY ts) AS rn FROM session_contacts) AS s'

\set section 'sessions, ' :size ' contacts'
SELECT bench.measure('growth', :'section', ARRAY['mycc', 'plain', 'floor'],
	ARRAY[:'mycc', :'plain', :'floor'], :runs, :'method', 0);
SELECT bench.report('growth', :'section', 'sessions: session_id() vs lag() + running sum()', 'mycc', 'plain', 'floor', :size);
SELECT bench.note_growth('growth', :'section', 'session_id() vs lag() + running sum()', 'mycc', 'plain', :size, 'contacts');

DROP TABLE session_contacts;
