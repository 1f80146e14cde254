-- bench/cases/tier.sql: tiering customers by value (design.md section 2,
-- issue 3).
--
-- 1. mycc.pareto_tier(value) OVER (ORDER BY value DESC) against the
--    running sum a user writes without mycc: each customer's share of
--    revenue before their tie group, (sum() OVER (ORDER BY value DESC) -
--    the tie group's sum) / total, then a CASE over the revenue_share
--    cut-offs read from mycc.tier.  Two totals: sum() OVER () (one more
--    window over the sorted rows) and a scalar subquery (one more scan).
--    For information, the same curve computed over the distinct values
--    (GROUP BY value, then joined back).  Floor: the same sort under a
--    trivial window function, row_number().
-- 2. mycc.tier_for_value(value) against LEFT JOIN LATERAL (SELECT ... FROM
--    mycc.tier WHERE min_value <= value ORDER BY rank DESC LIMIT 1); the
--    planner puts a Memoize node on the lateral side (the values repeat),
--    so a second section turns Memoize off: the cost when values are all
--    different.  Floor: count(value).
--
-- Every query reduces its tiers to one number, sum(tier id * customer id),
-- so bench.report() checks that both sides put every customer in the same
-- tier.  Variables from bench/driver.sh: small (on/off), runs, method.

\if :small
\set n 100000
\else
\set n 1000000
\endif

-- Customers of a game: 70% never pay (value 0); the payers' lifetime spend
-- follows a Pareto law from the smallest top-up, 6 yuan, with tail index
-- 1.1, in cents: the top 10% of customers bring about 90% of the revenue,
-- the top 1% about 70%, the largest value is in the millions.  Which
-- customer pays and how much is fixed by hashint8 of the customer id, so
-- every run loads the same table, in no particular order.
BEGIN;
CREATE TABLE tier_customers (
	id			bigint NOT NULL,
	value		numeric NOT NULL
);
INSERT INTO tier_customers (id, value)
SELECT i, CASE WHEN (hashint8(i) & 2147483647) % 100 < 70 THEN 0
	ELSE round((6 / power(((hashint8(-i) & 2147483647) + 1) / 2147483649.0, 1 / 1.1))::numeric, 2) END
FROM generate_series(1, :n) AS i;
COMMIT;
VACUUM (FREEZE, ANALYZE) tier_customers;
SELECT pg_prewarm('tier_customers');
SELECT bench.note_table('tier', 'tier_customers', :n);
INSERT INTO bench.notes (case_name, note)
SELECT 'tier', format('values: %s%% zero, %s distinct, largest %s; top 10%% of customers bring %s%% of the value, top 1%% %s%%; pareto_tier puts %s',
	round(100.0 * count(*) FILTER (WHERE value = 0) / count(*)), count(DISTINCT value), max(value),
	round(100 * sum(value) FILTER (WHERE r <= :n / 10) / sum(value)),
	round(100 * sum(value) FILTER (WHERE r <= :n / 100) / sum(value)),
	(SELECT string_agg(format('%s customers in %s', c, t), ', ' ORDER BY t DESC)
	 FROM (SELECT tier AS t, count(*) AS c
		   FROM (SELECT mycc.pareto_tier(value) OVER (ORDER BY value DESC) AS tier FROM tier_customers) p
		   GROUP BY tier) g))
FROM (SELECT value, row_number() OVER (ORDER BY value DESC) AS r FROM tier_customers) s;

-- pareto_tier.
\set mycc 'SELECT sum(mycc.tier_id(tier)::bigint * id) FROM (SELECT id, mycc.pareto_tier(value) OVER (ORDER BY value DESC) AS tier FROM tier_customers) AS s'
-- The cut-offs and ids of the seeded tiers, read from mycc.tier.
\set cut 'cut AS (SELECT max(id) FILTER (WHERE name = ''high'') AS high_id, max(revenue_share) FILTER (WHERE name = ''high'') AS high, max(id) FILTER (WHERE name = ''mid'') AS mid_id, max(revenue_share) FILTER (WHERE name = ''mid'') AS mid, max(id) FILTER (WHERE name = ''low'') AS low_id, max(revenue_share) FILTER (WHERE name = ''low'') AS low, max(id) FILTER (WHERE name = ''free'') AS free_id FROM mycc.tier)'
\set tiered 'sum(CASE WHEN value <= 0 THEN free_id WHEN before < high THEN high_id WHEN before < mid THEN mid_id WHEN before < low THEN low_id ELSE free_id END::bigint * c.id)'
\set plain 'WITH ' :cut ', c AS (SELECT id, value, (sum(value) OVER (ORDER BY value DESC) - sum(value) OVER (ORDER BY value DESC RANGE CURRENT ROW)) / sum(value) OVER () AS before FROM tier_customers) SELECT ' :tiered ' FROM c, cut'
\set plain_subq 'WITH ' :cut ', c AS (SELECT id, value, (sum(value) OVER (ORDER BY value DESC) - sum(value) OVER (ORDER BY value DESC RANGE CURRENT ROW)) / (SELECT sum(value) FROM tier_customers) AS before FROM tier_customers) SELECT ' :tiered ' FROM c, cut'
\set plain_grouped 'WITH ' :cut ', g AS (SELECT value, (sum(s) OVER (ORDER BY value DESC) - s) / sum(s) OVER () AS before FROM (SELECT value, sum(value) AS s FROM tier_customers GROUP BY value) AS v), c AS (SELECT t.id, t.value, g.before FROM tier_customers AS t JOIN g USING (value)) SELECT ' :tiered ' FROM c, cut'
\set floor 'SELECT count(r) FROM (SELECT row_number() OVER (ORDER BY value DESC) AS r FROM tier_customers) AS s'

SET max_parallel_workers_per_gather = 0;
SELECT bench.measure('tier', 'pareto_tier, serial',
	ARRAY['mycc', 'plain', 'plain_subq', 'floor', 'plain_grouped'],
	ARRAY[:'mycc', :'plain', :'plain_subq', :'floor', :'plain_grouped'],
	:runs, :'method', 0);
SELECT bench.report('tier', 'pareto_tier, serial', 'tier: mycc.pareto_tier(value) vs running sum, total by sum() OVER ()',
	'mycc', 'plain', 'floor', :n, 0.5);
SELECT bench.report('tier', 'pareto_tier, serial', 'tier: mycc.pareto_tier(value) vs running sum, total by scalar subquery',
	'mycc', 'plain_subq', 'floor', :n, 0.5);
SELECT bench.report('tier', 'pareto_tier, serial', 'tier: mycc.pareto_tier(value) vs the curve over GROUP BY value, joined back (information)',
	'mycc', 'plain_grouped', 'floor', :n);

-- tier_for_value.
\set mycc_tfv 'SELECT sum(mycc.tier_id(mycc.tier_for_value(value))::bigint * id) FROM tier_customers'
\set lateral 'SELECT sum(t.id::bigint * c.id) FROM tier_customers AS c LEFT JOIN LATERAL (SELECT id FROM mycc.tier WHERE min_value <= c.value ORDER BY rank DESC LIMIT 1) AS t ON true'
\set floor_tfv 'SELECT count(value) FROM tier_customers'

SELECT bench.measure('tier', 'tier_for_value, serial',
	ARRAY['mycc', 'lateral', 'floor'],
	ARRAY[:'mycc_tfv', :'lateral', :'floor_tfv'],
	:runs, :'method', 0);
SELECT bench.report('tier', 'tier_for_value, serial', 'tier: mycc.tier_for_value(value) vs LEFT JOIN LATERAL (... ORDER BY rank DESC LIMIT 1), Memoize on',
	'mycc', 'lateral', 'floor', :n);

SET enable_memoize = off;
SELECT bench.measure('tier', 'tier_for_value, serial, Memoize off',
	ARRAY['mycc', 'lateral', 'floor'],
	ARRAY[:'mycc_tfv', :'lateral', :'floor_tfv'],
	:runs, :'method', 0);
SELECT bench.report('tier', 'tier_for_value, serial, Memoize off', 'tier: mycc.tier_for_value(value) vs LEFT JOIN LATERAL (... ORDER BY rank DESC LIMIT 1), Memoize off',
	'mycc', 'lateral', 'floor', :n);
RESET enable_memoize;
RESET max_parallel_workers_per_gather;

DROP TABLE tier_customers;
