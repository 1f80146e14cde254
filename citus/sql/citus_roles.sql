-- Roles on the cluster (docs/scaling.md#roles).  Citus queries the shards
-- as the current user, which must be able to log in on the workers: the
-- users are LOGIN roles granted mycc's group roles (a SET ROLE to the
-- NOLOGIN group role itself cannot reach the workers).
CREATE ROLE regress_citus_bi LOGIN IN ROLE mycc_reader;
CREATE ROLE regress_citus_agent LOGIN IN ROLE mycc_agent;
\c - regress_citus_agent
INSERT INTO mycc.survey (customer_id, channel, tier, nps, csat, answered_at)
VALUES (810001, 'phone', 'mid', 10, 5, '2026-11-21 09:00:00+00'), (810002, 'email', 'low', 3, 2, '2026-11-21 09:30:00+00'),
	(810003, 'phone', 'high', 9, 4, '2026-11-21 10:00:00+00'), (810004, 'wechat', 'mid', 6, 3, '2026-11-21 10:30:00+00'),
	(810005, 'phone', 'mid', 8, 4, '2026-11-21 11:00:00+00');
SELECT count(*) FROM mycc.survey WHERE customer_id BETWEEN 810001 AND 810005;
\c - regress_citus_bi
-- The BI view over the distributed table, with the reader's rights on
-- the workers: the answer columns, not who answered.
SELECT day, channel, tier, n, nps FROM mycc.nps_daily WHERE day = '2026-11-21' ORDER BY channel, tier_rank DESC;
-- The filters and GROUP BYs BI tools generate (docs/clients.md#bi-tools),
-- with the BI user's own search_path: text literals against the views'
-- text columns, ranks for ordering.
SHOW search_path;
SELECT tier, sum(n) AS answers, round((100.0 * (sum(promoters) - sum(detractors)) / sum(n))::numeric, 1) AS nps
FROM mycc.nps_daily WHERE tier IN ('mid', 'high') AND day = '2026-11-21' GROUP BY tier, tier_rank ORDER BY tier_rank DESC;
SELECT day, channel, tier, n, csat FROM mycc.csat_daily WHERE channel = 'phone' AND day = '2026-11-21' ORDER BY tier_rank DESC;
SELECT customer_id FROM mycc.survey LIMIT 1;
\c - postgres
DROP ROLE regress_citus_bi;
DROP ROLE regress_citus_agent;
