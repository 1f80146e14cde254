-- The survey table and the nps_daily BI view.

INSERT INTO mycc.survey (customer_id, contact_id, channel, tier, nps, csat, answered_at)
SELECT 1 + i % 50, i, (ARRAY['phone', 'wechat', 'in_game']::mycc.channel[])[1 + i % 3],
	(ARRAY['high', 'free']::mycc.customer_tier[])[1 + i % 2], (i * 7) % 11, 1 + (i * 3) % 5,
	timestamptz '2026-10-01 20:00:00+00' + (i % 3) * interval '1 day' + i * interval '1 minute'
FROM generate_series(1, 120) AS i;
-- A CSAT-only answer: counted by CSAT, not by NPS.
INSERT INTO mycc.survey (customer_id, channel, tier, csat, answered_at)
VALUES (7, 'email', 'mid', 5, '2026-10-01 09:00:00+00');

SET timezone = 'UTC';
SELECT day, channel, tier, n, promoters, passives, detractors, round(nps::numeric, 1) AS nps,
	round(margin_of_error::numeric, 1) AS moe, state
FROM mycc.nps_daily ORDER BY day, channel, tier;

-- The view's states merge into any coarser grain and equal aggregating the answers.
SELECT channel, mycc.nps_merge(state) AS merged, round(mycc.nps(mycc.nps_merge(state))::numeric, 1) AS nps
FROM mycc.nps_daily GROUP BY channel ORDER BY channel;
SELECT mycc.nps_merge(state)::text = (SELECT mycc.nps_agg(nps)::text FROM mycc.survey) AS whole_equal
FROM mycc.nps_daily;

-- Days follow the session time zone.
SET timezone = 'Asia/Shanghai';
SELECT day, sum(n) AS n FROM mycc.nps_daily GROUP BY day ORDER BY day;
RESET timezone;

-- Constraints: NPS 0..10, CSAT 1..5, at least one answer; ids from the sequence.
INSERT INTO mycc.survey (customer_id, channel, tier, nps, answered_at) VALUES (1, 'sms', 'mid', 11, '2026-10-02');
INSERT INTO mycc.survey (customer_id, channel, tier, csat, answered_at) VALUES (1, 'sms', 'mid', 6, '2026-10-02');
INSERT INTO mycc.survey (customer_id, channel, tier, answered_at) VALUES (1, 'sms', 'mid', '2026-10-02');
INSERT INTO mycc.survey (customer_id, channel, tier, nps) VALUES (1, 'fax', 'mid', 5);
SELECT count(*) AS answers, count(DISTINCT id) AS distinct_ids FROM mycc.survey;

-- The table's rows are dumped with the extension's configuration.
SELECT 'mycc.survey'::regclass = ANY (extconfig) AS survey_dumped,
	'mycc.survey_id_seq'::regclass = ANY (extconfig) AS sequence_dumped
FROM pg_extension WHERE extname = 'mycc';

-- The BI view grants nothing by default.
SELECT has_table_privilege('public', 'mycc.nps_daily', 'SELECT') AS public_can_read,
	has_table_privilege('public', 'mycc.survey', 'SELECT') AS public_can_read_survey;

TRUNCATE mycc.survey;
