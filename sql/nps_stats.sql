-- Statistics on nps_state: reference values from design.md section 1.

-- 200 promoters, 120 passives, 80 detractors: NPS 30.0, SE 3.91, 95% CI [22.3, 37.7].
SELECT mycc.nps(s) AS nps,
	round(mycc.nps_stderr(s)::numeric, 2) AS se,
	round(mycc.nps_moe(s)::numeric, 2) AS moe_95,
	round((mycc.nps_ci(s)).low::numeric, 1) AS low,
	round((mycc.nps_ci(s)).high::numeric, 1) AS high
FROM (VALUES ('(200,120,80)'::mycc.nps_state)) AS v(s);

-- Against 120/90/90 (NPS 10.0, SE 4.80): difference 20.0, z = 3.23, p = 0.0012.
SELECT mycc.nps('(120,90,90)'::mycc.nps_state) AS nps_b,
	round(mycc.nps_stderr('(120,90,90)')::numeric, 2) AS se_b;
SELECT difference, round(z::numeric, 2) AS z, round(p_value::numeric, 4) AS p_value
FROM mycc.nps_compare('(200,120,80)', '(120,90,90)');
SELECT difference, round(z::numeric, 2) AS z, round(p_value::numeric, 4) AS p_value
FROM mycc.nps_compare('(120,90,90)', '(200,120,80)');

-- Answers needed for +/-5 points at 95%: 1,537 in the worst case.
SELECT mycc.nps_sample_size(5) AS worst_case,
	mycc.nps_sample_size(5, 0.95) AS explicit_95,
	mycc.nps_sample_size(5, 0.99) AS at_99,
	mycc.nps_sample_size(10) AS margin_10,
	mycc.nps_sample_size(5, 0.95, 0.5, 0.2) AS expected_mix,
	mycc.nps_sample_size(5, 0.95, 1, 0) AS unanimous;

-- Other confidence levels widen or narrow the interval.
SELECT round(mycc.nps_moe(s, 0.90)::numeric, 2) AS moe_90,
	round(mycc.nps_moe(s, 0.95)::numeric, 2) AS moe_95,
	round(mycc.nps_moe(s, 0.99)::numeric, 2) AS moe_99
FROM (VALUES ('(200,120,80)'::mycc.nps_state)) AS v(s);
-- The interval is clamped to [-100, 100].
SELECT * FROM mycc.nps_ci('(3,0,1)', 0.99);

-- Empty states: NULL statistics.  Unanimous states: zero error.
SELECT mycc.nps(s), mycc.nps_stderr(s), mycc.nps_moe(s), mycc.nps_ci(s) IS NULL AS ci_null
FROM (VALUES ('(0,0,0)'::mycc.nps_state)) AS v(s);
SELECT mycc.nps_compare('(0,0,0)', '(1,0,0)') IS NULL AS compare_empty;
SELECT mycc.nps(s), mycc.nps_stderr(s), mycc.nps_moe(s), (mycc.nps_ci(s)).*
FROM (VALUES ('(5,0,0)'::mycc.nps_state)) AS v(s);
SELECT * FROM mycc.nps_compare('(5,0,0)', '(0,0,5)');
SELECT * FROM mycc.nps_compare('(5,0,0)', '(7,0,0)');

-- Bad arguments: 22023.
\set VERBOSITY sqlstate
SELECT mycc.nps_moe('(1,1,1)', 0);
SELECT mycc.nps_moe('(1,1,1)', 1);
SELECT mycc.nps_ci('(1,1,1)', 1.5);
SELECT mycc.nps_ci('(1,1,1)', 'NaN');
SELECT mycc.nps_sample_size(0);
SELECT mycc.nps_sample_size(-5);
SELECT mycc.nps_sample_size(201);
SELECT mycc.nps_sample_size('NaN');
SELECT mycc.nps_sample_size(5, 0.95, 1.2, 0);
SELECT mycc.nps_sample_size(5, 0.95, 0.7, 0.6);
SELECT mycc.nps_sample_size(5, 0.95, 0.5, -0.1);
SELECT mycc.nps_sample_size(0.0001, 0.999999);
\set VERBOSITY default
SELECT mycc.nps_moe('(1,1,1)', 1);
SELECT mycc.nps_sample_size(0);
SELECT mycc.nps_sample_size(5, 0.95, 0.7, 0.6);
SELECT mycc.nps_sample_size(0.0001, 0.999999);

-- The margin of error matches the brief: 40 answers leave tens of points.
SELECT round(mycc.nps_moe(mycc.nps_state(16, 12, 12))::numeric, 1) AS moe_of_40_answers;
