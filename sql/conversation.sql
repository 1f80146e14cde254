-- Conversations: mycc.session_id (checked against the lag() + running
-- sum() formulation on random event streams), mycc.conversation_gap,
-- the mycc.conversation view and mycc.timeline.
SET datestyle = 'ISO, YMD';
SET timezone = 'UTC';

-- A new conversation after more than the gap; exactly the gap continues.
SELECT ts, mycc.session_id(ts, '2 hours') OVER (ORDER BY ts) AS conversation
FROM unnest('{2026-11-02 09:00+00, 2026-11-02 10:00+00, 2026-11-02 12:00+00, 2026-11-02 14:01+00, 2026-11-03 08:00+00}'::timestamptz[]) AS ts;
-- Per customer; a case reference of the current conversation carries it on whatever the gap.
SELECT customer, ts, ref, mycc.session_id(ts, '2 hours', ref) OVER (PARTITION BY customer ORDER BY ts) AS conversation
FROM (VALUES
	(1, '2026-11-02 09:00+00'::timestamptz, 'B1'), (1, '2026-11-04 09:00+00', 'B1'), (1, '2026-11-05 09:00+00', NULL),
	(1, '2026-11-07 09:00+00', 'B2'), (1, '2026-11-07 09:30+00', NULL), (1, '2026-11-09 09:00+00', 'B2'),
	(1, '2026-11-12 09:00+00', 'B1'),
	(2, '2026-11-02 09:00+00', NULL), (2, '2026-11-02 09:00+00', NULL), (2, '2026-11-02 23:00+00', 'B3')
) AS c(customer, ts, ref);
-- NULL times never start a conversation; a zero gap splits every distinct time.
SELECT ts, mycc.session_id(ts, '0') OVER (ORDER BY ts) AS zero_gap, mycc.session_id(ts, '1 mon') OVER (ORDER BY ts) AS month_gap
FROM unnest('{2026-01-01, 2026-01-01, 2026-01-31, 2026-03-03, NULL, 2026-03-04}'::timestamptz[]) AS ts;

-- A conversation remembers all its cases (here 200, past the case set's
-- first table): days later, the 17th case continues it; an unknown one does not.
SELECT ref, conversation FROM (
	SELECT ref, mycc.session_id(ts, '1 hour', ref) OVER (ORDER BY ts) AS conversation
	FROM (SELECT '2026-01-01'::timestamptz + i * interval '1 minute' AS ts, 'r' || i AS ref FROM generate_series(1, 200) AS i
		UNION ALL SELECT '2026-01-05', 'r17'
		UNION ALL SELECT '2026-01-06', 'r999'
		UNION ALL SELECT '2026-01-07', 'r17') AS e
) AS s WHERE ref IN ('r1', 'r200', 'r17', 'r999') ORDER BY conversation, ref;

-- Bad gaps.
SELECT mycc.session_id(ts, '-1 hour') OVER (ORDER BY ts) FROM unnest('{2026-01-01}'::timestamptz[]) AS ts;
SELECT mycc.session_id(ts, NULL) OVER (ORDER BY ts) FROM unnest('{2026-01-01}'::timestamptz[]) AS ts;
SELECT mycc.session_id(ts, '1 day -25 hours') OVER (ORDER BY ts) FROM unnest('{2026-01-01}'::timestamptz[]) AS ts;
SELECT mycc.session_id(now(), '1 hour');
\set VERBOSITY sqlstate
SELECT mycc.session_id(ts, '-1 hour') OVER (ORDER BY ts) FROM unnest('{2026-01-01}'::timestamptz[]) AS ts;
\set VERBOSITY default

-- Random event streams: 300 streams of up to 60 events, gaps from minutes
-- to a month, case references from a small set or none.
SELECT setseed(0.17);
CREATE TABLE sess_events (stream int, id int, ts timestamptz, ref text, gap interval);
INSERT INTO sess_events
SELECT s.s, e.e,
	CASE WHEN random() < 0.02 THEN NULL
		ELSE '2026-01-01'::timestamptz + (random() * 90 * 86400) * interval '1 second' END,
	CASE WHEN random() < 0.5 THEN NULL ELSE 'case-' || (random() * 3)::int END,
	s.gap
FROM (SELECT s, (ARRAY['10 minutes', '2 hours', '1 day', '3 days', '1 mon', '0']::interval[])[1 + s % 6] AS gap,
		(random() * 60)::int AS n
	FROM generate_series(1, 300) AS s) AS s
CROSS JOIN LATERAL generate_series(1, s.n) AS e(e);

-- Without case references: the lag() + running sum() gaps-and-islands query.
CREATE TABLE sess_compare AS
SELECT stream, id,
	mycc.session_id(ts, gap) OVER w AS mycc_plain,
	mycc.session_id(ts, gap, NULL) OVER w AS mycc_null_refs,
	mycc.session_id(ts, gap, ref) OVER w AS mycc_case,
	1 + sum(brk) OVER w AS ref_plain
FROM (
	SELECT *, CASE WHEN ts - lag(ts) OVER (PARTITION BY stream ORDER BY ts, id) > gap THEN 1 ELSE 0 END AS brk
	FROM sess_events
) AS b
WINDOW w AS (PARTITION BY stream ORDER BY ts, id);
-- With case references: a conversation remembers its cases, so the
-- reference walks each stream in order with a recursive CTE.
CREATE TABLE sess_case_reference AS
WITH RECURSIVE ev AS (
	SELECT stream, id, ts, ref, gap, row_number() OVER (PARTITION BY stream ORDER BY ts, id) AS rn
	FROM sess_events
), walk (stream, rn, id, ts, conv, refs) AS (
	SELECT stream, rn, id, ts, 1::bigint, CASE WHEN ref IS NULL THEN '{}'::text[] ELSE ARRAY[ref] END
	FROM ev WHERE rn = 1
	UNION ALL
	SELECT e.stream, e.rn, e.id, e.ts, w.conv + b.brk,
		CASE WHEN b.brk = 1 THEN (CASE WHEN e.ref IS NULL THEN '{}'::text[] ELSE ARRAY[e.ref] END)
			WHEN e.ref IS NULL OR e.ref = ANY (w.refs) THEN w.refs
			ELSE w.refs || e.ref END
	FROM walk AS w
	JOIN ev AS e ON e.stream = w.stream AND e.rn = w.rn + 1
	CROSS JOIN LATERAL (
		SELECT CASE WHEN e.ts - w.ts > e.gap AND NOT coalesce(e.ref = ANY (w.refs), false) THEN 1 ELSE 0 END AS brk
	) AS b
)
SELECT stream, id, conv FROM walk;
SELECT count(*) AS events, count(DISTINCT c.stream) AS streams,
	count(*) FILTER (WHERE c.mycc_plain IS DISTINCT FROM c.ref_plain) AS plain_differences,
	count(*) FILTER (WHERE c.mycc_null_refs IS DISTINCT FROM c.ref_plain) AS null_ref_differences,
	count(*) FILTER (WHERE c.mycc_case IS DISTINCT FROM r.conv) AS case_differences,
	count(*) FILTER (WHERE c.mycc_case < c.mycc_plain) > 0 AS case_refs_mattered,
	max(c.mycc_plain) > 10 AS many_conversations
FROM sess_compare AS c
LEFT JOIN sess_case_reference AS r ON r.stream = c.stream AND r.id = c.id;
DROP TABLE sess_events, sess_compare, sess_case_reference;

-- The gap setting, in seconds with units.
SHOW mycc.conversation_gap;
SELECT mycc.conversation_gap();
SET mycc.conversation_gap = '30min';
SELECT mycc.conversation_gap();
SET mycc.conversation_gap = 0;
SET mycc.conversation_gap = '1 fortnight';
RESET mycc.conversation_gap;

-- The travel customer: phone, then SMS, then e-mail, then WeChat, one person,
-- one conversation, one timeline.
TRUNCATE mycc.customer, mycc.identity, mycc.contact, mycc.customer_merge, mycc.identity_conflict RESTART IDENTITY;
SELECT mycc.link('phone', '138 0013 8000', 'email', 'li.lei@example.com', 'crm') AS li_lei;
SELECT mycc.link('phone', '138 0013 8000', 'wechat', 'o6_LiLei', 'wechat bind') AS same;
INSERT INTO mycc.contact (customer_id, channel, identity_kind, identity_value, started_at, ended_at, topic, case_ref)
SELECT mycc.resolve(k, v), ch::mycc.channel, k, mycc.normalize_identity(k, v), s::timestamptz, e::timestamptz, t, r
FROM (VALUES
	('phone', '+86 138 0013 8000', 'phone', '2026-11-02 09:00+00', '2026-11-02 09:06+00', 'booking', 'BK-1'),
	('phone', '13800138000', 'sms', '2026-11-02 09:20+00', NULL, 'booking', NULL),
	('email', 'Li.Lei@example.com', 'email', '2026-11-02 10:05+00', '2026-11-02 10:30+00', 'booking', NULL),
	('wechat', 'o6_LiLei', 'wechat', '2026-11-02 11:00+00', '2026-11-02 11:10+00', 'booking', NULL),
	('wechat', 'o6_LiLei', 'wechat', '2026-11-05 20:00+00', '2026-11-05 20:15+00', 'change date', 'BK-1'),
	('phone', '13800138000', 'phone', '2026-11-20 08:00+00', '2026-11-20 08:03+00', 'invoice', NULL)
) AS c(k, v, ch, s, e, t, r);
SELECT customer_id, conversation, started, ended, channels, contacts FROM mycc.conversation ORDER BY 1, 2;
SELECT conversation, contact_id, started_at, channel, identity_kind, topic, case_ref FROM mycc.timeline(1);
SET mycc.conversation_gap = '30min';
SELECT conversation, channels, contacts FROM mycc.conversation ORDER BY 1, 2;
RESET mycc.conversation_gap;
SELECT count(*) AS none FROM mycc.timeline(12345);
SELECT count(*) AS none FROM mycc.timeline(NULL);
TRUNCATE mycc.customer, mycc.identity, mycc.contact, mycc.customer_merge, mycc.identity_conflict RESTART IDENTITY;
