-- The survey table and the nps_daily and csat_daily BI views.

INSERT INTO mycc.survey (customer_id, contact_id, channel, tier, nps, csat, answered_at)
SELECT 1 + i % 50, i, (ARRAY['phone', 'wechat', 'in_game']::mycc.channel[])[1 + i % 3],
	(ARRAY['high', 'free']::mycc.customer_tier[])[1 + i % 2], (i * 7) % 11, 1 + (i * 3) % 5,
	timestamptz '2026-10-01 20:00:00+00' + (i % 3) * interval '1 day' + i * interval '1 minute'
FROM generate_series(1, 120) AS i;
-- A CSAT-only answer: counted by CSAT, not by NPS.
INSERT INTO mycc.survey (customer_id, channel, tier, csat, answered_at)
VALUES (7, 'email', 'mid', 5, '2026-10-01 09:00:00+00');

-- Days in the business time zone, here UTC; tier and channel as text with
-- their ranks; the 95% interval beside each score.
SET mycc.time_zone = 'UTC';
SELECT day, channel, channel_rank, tier, tier_rank, n, promoters, passives, detractors, round(nps::numeric, 1) AS nps,
	round(margin_of_error::numeric, 1) AS moe, round(nps_low::numeric, 1) AS low, round(nps_high::numeric, 1) AS high
FROM mycc.nps_daily ORDER BY day, channel_rank, tier_rank DESC;
SELECT day, channel, channel_rank, tier, tier_rank, n, satisfied, round(csat::numeric, 1) AS csat,
	round(margin_of_error::numeric, 1) AS moe, round(csat_low::numeric, 1) AS low, round(csat_high::numeric, 1) AS high
FROM mycc.csat_daily ORDER BY day, channel_rank, tier_rank DESC;
-- The interval is the score plus or minus the margin, within the scale.
SELECT bool_and(nps_low = greatest(nps - margin_of_error, -100) AND nps_high = least(nps + margin_of_error, 100)) AS nps_interval,
	bool_and(nps_low < nps AND nps < nps_high) AS nps_inside
FROM mycc.nps_daily;
SELECT bool_and(csat_low = greatest(csat - margin_of_error, 0) AND csat_high = least(csat + margin_of_error, 100)) AS csat_interval
FROM mycc.csat_daily;

-- The view's counts rebuild states that merge into any coarser grain and
-- equal aggregating the answers.
SELECT channel, mycc.nps_merge(mycc.nps_state(promoters, passives, detractors)) AS merged,
	round(mycc.nps(mycc.nps_merge(mycc.nps_state(promoters, passives, detractors)))::numeric, 1) AS nps
FROM mycc.nps_daily GROUP BY channel, channel_rank ORDER BY channel_rank;
SELECT mycc.nps_merge(mycc.nps_state(promoters, passives, detractors))::text
		= (SELECT mycc.nps_agg(nps)::text FROM mycc.survey) AS whole_equal
FROM mycc.nps_daily;
SELECT mycc.csat_merge(mycc.csat_state(satisfied, n))::text
		= (SELECT mycc.csat_agg(csat)::text FROM mycc.survey) AS whole_equal
FROM mycc.csat_daily;

-- Days follow mycc.time_zone, not the session's TimeZone.
SET mycc.time_zone = 'Asia/Shanghai';
SELECT day, sum(n) AS n FROM mycc.nps_daily GROUP BY day ORDER BY day;
SET TimeZone = 'America/New_York';
SELECT day, sum(n) AS n FROM mycc.nps_daily GROUP BY day ORDER BY day;
RESET TimeZone;
RESET mycc.time_zone;

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

-- The BI views grant nothing by default.
SELECT has_table_privilege('public', 'mycc.nps_daily', 'SELECT') AS public_can_read,
	has_table_privilege('public', 'mycc.csat_daily', 'SELECT') AS public_can_read_csat,
	has_table_privilege('public', 'mycc.survey', 'SELECT') AS public_can_read_survey;

TRUNCATE mycc.survey;
