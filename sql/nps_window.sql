-- Window frames: the moving aggregate (inverse transition) gives the same
-- values as computing each frame from scratch.

CREATE TABLE daily (id serial, day int, score mycc.nps_score, rating int);
INSERT INTO daily (day, score, rating)
SELECT d, ((d * 37 + k * 11) % 11), 1 + (d * 13 + k) % 5
FROM generate_series(1, 60) AS d, generate_series(1, 3) AS k;

-- ROWS frame: 7 rows trailing, in id order.
SELECT count(*) AS rows_checked,
	bool_and(w.moving = (SELECT mycc.nps(i.score) FROM daily AS i WHERE i.id BETWEEN w.id - 6 AND w.id)) AS same
FROM (SELECT id, mycc.nps(score) OVER (ORDER BY id ROWS 6 PRECEDING) AS moving FROM daily) AS w;

-- RANGE frame over days: the brief's 7-day moving NPS.
SELECT count(*) AS rows_checked,
	bool_and(w.moving = (SELECT mycc.nps(i.score) FROM daily AS i WHERE i.day BETWEEN w.day - 6 AND w.day)) AS nps_same,
	bool_and(w.state = (SELECT mycc.nps_agg(i.score)::text FROM daily AS i WHERE i.day BETWEEN w.day - 6 AND w.day)) AS state_same,
	bool_and(w.csat = (SELECT mycc.csat(i.rating) FROM daily AS i WHERE i.day BETWEEN w.day - 6 AND w.day)) AS csat_same
FROM (SELECT day,
		mycc.nps(score) OVER seven AS moving,
		(mycc.nps_agg(score) OVER seven)::text AS state,
		mycc.csat(rating) OVER seven AS csat
	FROM daily WINDOW seven AS (ORDER BY day RANGE BETWEEN 6 PRECEDING AND CURRENT ROW)) AS w;

-- Moving merge of stored daily states: 7-day NPS from a rollup table.
CREATE TABLE rollup AS SELECT day, mycc.nps_agg(score) AS state, mycc.csat_agg(rating) AS csat_state FROM daily GROUP BY day;
SELECT count(*) AS days_checked,
	bool_and(w.merged = (SELECT mycc.nps_agg(i.score)::text FROM daily AS i WHERE i.day BETWEEN w.day - 6 AND w.day)) AS merge_same,
	bool_and(w.csat_merged = (SELECT mycc.csat_agg(i.rating)::text FROM daily AS i WHERE i.day BETWEEN w.day - 6 AND w.day)) AS csat_merge_same
FROM (SELECT day,
		(mycc.nps_merge(state) OVER (ORDER BY day ROWS 6 PRECEDING))::text AS merged,
		(mycc.csat_merge(csat_state) OVER (ORDER BY day ROWS 6 PRECEDING))::text AS csat_merged
	FROM rollup) AS w;

-- A frame that excludes rows makes the executor restart aggregation: still equal.
SELECT count(*) AS rows_checked,
	bool_and(w.v IS NOT DISTINCT FROM (SELECT mycc.nps(i.score) FROM daily AS i
		WHERE i.day BETWEEN w.day - 2 AND w.day + 2 AND i.day <> w.day)) AS same
FROM (SELECT DISTINCT day, mycc.nps(score) OVER (ORDER BY day RANGE BETWEEN 2 PRECEDING AND 2 FOLLOWING EXCLUDE GROUP) AS v
	FROM daily) AS w;

-- The frame's first rows and a frame that empties: NULL, not an error.
SELECT day, mycc.nps(score) OVER (ORDER BY day ROWS BETWEEN 3 FOLLOWING AND 4 FOLLOWING) AS ahead
FROM daily WHERE day >= 59 ORDER BY day, score;

DROP TABLE daily, rollup;
