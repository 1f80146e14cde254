-- Tiering by value: thresholds, the Pareto curve, policies and the pyramid.
SET search_path = public, mycc;

-- tier_for_value: the highest tier whose min_value is reached.
SELECT v, tier_for_value(v) FROM unnest('{-5, 0, 0.001, 0.01, 6, 249.99, 250, 1999, 2000, 1e9}'::numeric[]) AS v;
SELECT tier_for_value(NULL) IS NULL AS null_in_null_out;
SELECT tier_for_value('NaN');

-- Policy accessors.
SELECT t, service_mode(t), tier_priority(t), (tier_policy(t)).first_response_target
FROM unnest('{high,mid,low,free}'::customer_tier[]) AS t ORDER BY t DESC;
SELECT (tier_policy('vip')).name, (tier_policy('vip')).aliases;

-- pareto_tier: customers bringing the first 50% of revenue are high, up to
-- 90% mid, the rest with any value low, zero value free; ties share a tier.
CREATE TABLE spend (customer int, value numeric);
INSERT INTO spend VALUES (1, 5000), (2, 2500), (3, 1000), (4, 1000), (5, 300), (6, 100), (7, 50), (8, 50), (9, 0), (10, 0), (11, NULL);
SELECT customer, value, pareto_tier(value) OVER (ORDER BY value DESC) AS tier,
	round(sum(value) OVER (ORDER BY value DESC ROWS UNBOUNDED PRECEDING) / sum(value) OVER (), 3) AS cumulative_share
FROM spend ORDER BY value DESC NULLS LAST, customer;
-- Per partition.
SELECT customer % 2 AS shop, customer, value, pareto_tier(value) OVER (PARTITION BY customer % 2 ORDER BY value DESC) AS tier
FROM spend WHERE value IS NOT NULL ORDER BY 1, value DESC, customer;
-- The order must be descending.
SELECT pareto_tier(value) OVER (ORDER BY value) FROM spend;
-- All zero: everyone is in the lowest tier.
SELECT pareto_tier(v) OVER (ORDER BY v DESC) FROM (VALUES (0), (0)) AS z(v);
-- Values whose sum is not a finite double precision have no share: 22003.
SELECT pareto_tier(v) OVER (ORDER BY v DESC) FROM (VALUES ('Infinity'::numeric), (1)) AS s(v);
SELECT pareto_tier(v) OVER (ORDER BY v DESC) FROM (VALUES (1e308), (1e308), (1)) AS s(v);
SELECT pareto_tier(v) OVER (ORDER BY v DESC) FROM (VALUES (1e400), (1)) AS s(v);
-- Minus infinity is a value below zero: the lowest tier.
SELECT v, pareto_tier(v) OVER (ORDER BY v DESC) FROM (VALUES ('-Infinity'::numeric), (1)) AS s(v);
-- NaN, wherever it sorts.
SELECT pareto_tier(v) OVER (ORDER BY v DESC) FROM (VALUES ('NaN'::numeric), (1)) AS s(v);

-- pareto_tier agrees with the plain-SQL running sum (the benchmark's
-- baseline) on skewed data with many ties: most customers spend nothing,
-- a few very much.
CREATE TABLE skewed AS
SELECT i AS id, CASE WHEN h % 100 < 60 THEN 0
	ELSE round((6 / power(((h >> 8) % 100000 + 1) / 100001.0, 1 / 1.2))::numeric, 0) END AS value
FROM (SELECT i, hashint4(i)::bigint & 2147483647 AS h FROM generate_series(1, 20000) AS i) AS g;
WITH cut AS (
	SELECT max(revenue_share) FILTER (WHERE name = 'high') AS high,
		max(revenue_share) FILTER (WHERE name = 'mid') AS mid,
		max(revenue_share) FILTER (WHERE name = 'low') AS low
	FROM mycc.tier
), curve AS (
	SELECT id, value,
		(sum(value) OVER (ORDER BY value DESC) - sum(value) OVER (ORDER BY value DESC RANGE CURRENT ROW))
			/ sum(value) OVER () AS before
	FROM skewed
), plain AS (
	SELECT id, CASE WHEN value <= 0 THEN 'free' WHEN before < cut.high THEN 'high'
		WHEN before < cut.mid THEN 'mid' WHEN before < cut.low THEN 'low' ELSE 'free' END AS tier
	FROM curve, cut
), mycc AS (
	SELECT id, pareto_tier(value) OVER (ORDER BY value DESC) AS tier FROM skewed
)
SELECT p.tier, count(*) AS customers, count(*) FILTER (WHERE m.tier::text IS DISTINCT FROM p.tier) AS disagree
FROM plain AS p JOIN mycc AS m USING (id) GROUP BY p.tier ORDER BY min(m.tier) DESC;
-- The same tiers when the partition's values do not fit in work_mem (each
-- value is then converted twice instead of kept).
CREATE TABLE skewed_tiers AS SELECT id, pareto_tier(value) OVER (ORDER BY value DESC) AS tier FROM skewed;
SET work_mem = '64kB';
SELECT count(*) AS customers, count(*) FILTER (WHERE s.tier <> m.tier) AS disagree
FROM skewed_tiers AS s JOIN (SELECT id, pareto_tier(value) OVER (ORDER BY value DESC) AS tier FROM skewed) AS m USING (id);
RESET work_mem;
DROP TABLE skewed, skewed_tiers;

-- The brief's figures: 10% of customers bring about 90% of revenue.
CREATE TABLE whales AS
SELECT i AS customer, CASE WHEN i <= 100 THEN 9000 + i ELSE 10 + i % 7 END::numeric AS value
FROM generate_series(1, 1000) AS i;
SELECT tier, count(*) AS customers, round(sum(value) / (SELECT sum(value) FROM whales), 3) AS share_of_value
FROM (SELECT value, pareto_tier(value) OVER (ORDER BY value DESC) AS tier FROM whales) AS t
GROUP BY tier ORDER BY tier DESC;

-- The pyramid view over mycc.customer.
INSERT INTO mycc.customer (name, lifetime_value)
SELECT 'customer ' || customer, value FROM whales;
UPDATE mycc.customer AS c SET tier = p.tier
FROM (SELECT id, pareto_tier(lifetime_value) OVER (ORDER BY lifetime_value DESC) AS tier FROM mycc.customer) AS p
WHERE p.id = c.id;
INSERT INTO mycc.customer (name) VALUES ('new sign-up');
SELECT tier, rank, service_mode, customers, round(share_of_customers::numeric, 3) AS share_of_customers,
	value, round(share_of_value, 3) AS share_of_value
FROM mycc.tier_pyramid ORDER BY rank DESC;
SELECT tier FROM mycc.customer WHERE name = 'new sign-up';
SELECT has_table_privilege('public', 'mycc.tier_pyramid', 'SELECT') AS public_can_read;

-- An empty tier table: a clear error, not a crash.
BEGIN;
ALTER TABLE mycc.tier DISABLE TRIGGER tier_before_delete;
DELETE FROM mycc.customer;
DELETE FROM mycc.tier;
SELECT tier_for_value(1);
ROLLBACK;
SELECT count(*) AS tiers_back FROM mycc.tier;

TRUNCATE mycc.customer;
DROP TABLE spend, whales;
RESET search_path;
