-- bench/lib.sql: the shared part of the benchmark driver, installed by
-- bench/driver.sh into the throw-away cluster before any case runs.
--
-- A case (bench/cases/NAME.sql) builds its data, then for each section
-- (serial, parallel, ...) calls bench.measure() with its queries and
-- bench.report() once per table row.  bench.render() prints the table.
-- docs/performance.md describes the method.

CREATE SCHEMA bench;

-- The SQL of every query timed, by case, section and label.
CREATE TABLE bench.queries (
	case_name	text NOT NULL,
	section		text NOT NULL,
	label		text NOT NULL,
	sql			text NOT NULL,
	PRIMARY KEY (case_name, section, label)
);

-- One row per execution: run 0 is the untimed warm-up (answer only).
CREATE TABLE bench.samples (
	id			bigserial PRIMARY KEY,
	case_name	text NOT NULL,
	section		text NOT NULL,
	label		text NOT NULL,
	run			integer NOT NULL,
	ms			double precision,
	answer		double precision
);

-- One row of the printed table.  check_result: ok, MISMATCH, or (a row
-- without numbers) missing, skipped, FAILED.
CREATE TABLE bench.results (
	ord			serial PRIMARY KEY,
	section		text NOT NULL,
	case_label	text NOT NULL,
	case_name	text,			-- the case and its three queries' labels in bench.samples
	mycc_label	text,
	baseline_label text,
	floor_label text,
	mycc_ms		double precision,
	baseline_ms double precision,
	floor_ms	double precision,
	rows		bigint,
	check_result text NOT NULL,
	max_vs_baseline double precision,	-- target: mycc/baseline at most this
	max_vs_floor double precision,	-- target: mycc/floor at most this
	detail		text
);

-- Free-form facts a case wants in the report (table sizes, plan shapes).
CREATE TABLE bench.notes (
	ord			serial PRIMARY KEY,
	case_name	text NOT NULL,
	note		text NOT NULL
);

-- Milliseconds with one decimal, a ratio with two.
CREATE FUNCTION bench.fmt_ms(double precision) RETURNS text
LANGUAGE sql IMMUTABLE AS $$ SELECT to_char($1, 'FM999,999,990.0') $$;
CREATE FUNCTION bench.fmt_ratio(double precision) RETURNS text
LANGUAGE sql IMMUTABLE AS $$ SELECT to_char($1, 'FM990.00') $$;

-- Records the size of a case's table: pages, bytes, rows per page.
CREATE FUNCTION bench.note_table(case_name text, rel regclass, rows bigint)
RETURNS void LANGUAGE sql AS $$
	INSERT INTO bench.notes (case_name, note)
	SELECT $1, format('table %s: %s rows in %s pages of 8 kB (%s), %s rows per page',
		$2, to_char($3, 'FM999,999,999,999'), pages, pg_size_pretty(bytes),
		round($3::numeric / pages, 1))
	FROM (SELECT pg_relation_size($2) AS bytes,
				 pg_relation_size($2) / current_setting('block_size')::bigint AS pages) s
$$;

-- Times one query.  'clock': clock_timestamp() around EXECUTE, the answer
-- (first column of the one row) kept for the check; 'explain': EXPLAIN
-- (ANALYZE, TIMING OFF, SUMMARY ON)'s Execution Time, no answer.
CREATE FUNCTION bench.time_query(q text, method text,
								 OUT ms double precision, OUT answer double precision)
LANGUAGE plpgsql AS $$
DECLARE
	t0			timestamptz;
	plan		json;
BEGIN
	IF method = 'explain' THEN
		EXECUTE 'EXPLAIN (ANALYZE, TIMING OFF, SUMMARY ON, FORMAT JSON) ' || q INTO plan;
		ms := (plan -> 0 ->> 'Execution Time')::double precision;
	ELSIF method = 'clock' THEN
		t0 := clock_timestamp();
		EXECUTE q INTO answer;
		ms := extract(epoch FROM clock_timestamp() - t0)::double precision * 1000;
	ELSE
		RAISE EXCEPTION 'unknown timing method "%"', method;
	END IF;
END
$$;

-- The number of parallel workers of q's plan: planned, and launched in
-- one EXPLAIN ANALYZE run (0 and 0 for a serial plan).  A section that
-- expects a serial plan only needs the plan (EXPLAIN without ANALYZE):
-- slow baselines are not run once more for it.
CREATE FUNCTION bench.plan_workers(q text, run boolean, OUT planned integer, OUT launched integer)
LANGUAGE plpgsql AS $$
DECLARE
	plan		jsonb;
BEGIN
	IF run THEN
		EXECUTE 'EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) ' || q INTO plan;
	ELSE
		EXECUTE 'EXPLAIN (FORMAT JSON) ' || q INTO plan;
	END IF;
	planned := coalesce(jsonb_path_query_first(plan, '$.**."Workers Planned"')::integer, 0);
	launched := CASE WHEN run
		THEN coalesce(jsonb_path_query_first(plan, '$.**."Workers Launched"')::integer, 0)
		ELSE planned END;
END
$$;

-- Measures a section of a case: checks that every query's plan uses the
-- expected number of parallel workers (EXPLAIN ANALYZE when parallel),
-- runs each query once untimed (its answer is run 0), then runs the
-- queries in turn, labels[1], labels[2], ..., labels[1], ..., runs times.
-- With warm, each timed run comes right after an untimed run of the same
-- query, so that no query's time depends on which query ran before it
-- (the tags case's GIN queries: a query that follows another over the
-- same rows finds their heap lines and its bitmap's memory warm, one that
-- follows a scan of the whole table finds them cold).
CREATE FUNCTION bench.measure(case_name text, section text, labels text[], sqls text[],
							  runs integer, method text, workers integer,
							  warm boolean DEFAULT false)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	w			record;
	t			record;
	answer		double precision;
BEGIN
	IF array_length(labels, 1) <> array_length(sqls, 1) THEN
		RAISE EXCEPTION 'bench.measure: % labels for % queries',
			array_length(labels, 1), array_length(sqls, 1);
	END IF;
	DELETE FROM bench.samples s WHERE s.case_name = measure.case_name AND s.section = measure.section;
	DELETE FROM bench.queries q WHERE q.case_name = measure.case_name AND q.section = measure.section;
	FOR i IN 1 .. array_length(labels, 1) LOOP
		INSERT INTO bench.queries VALUES (case_name, section, labels[i], sqls[i]);
		SELECT * INTO w FROM bench.plan_workers(sqls[i], workers > 0);
		IF w.planned <> workers OR w.launched <> workers THEN
			RAISE EXCEPTION 'bench: % %: % parallel workers planned, % launched; the section expects %',
				case_name, labels[i], w.planned, w.launched, workers
				USING DETAIL = sqls[i];
		END IF;
		EXECUTE sqls[i] INTO answer;
		INSERT INTO bench.samples (case_name, section, label, run, ms, answer)
			VALUES (case_name, section, labels[i], 0, NULL, answer);
	END LOOP;
	FOR r IN 1 .. runs LOOP
		FOR i IN 1 .. array_length(labels, 1) LOOP
			IF warm THEN
				EXECUTE sqls[i] INTO answer;
			END IF;
			SELECT * INTO t FROM bench.time_query(sqls[i], method);
			INSERT INTO bench.samples (case_name, section, label, run, ms, answer)
				VALUES (case_name, section, labels[i], r, t.ms, t.answer);
		END LOOP;
	END LOOP;
END
$$;

-- Median time of one query of a section (runs 1..R).
CREATE FUNCTION bench.median_ms(case_name text, section text, label text)
RETURNS double precision LANGUAGE sql STABLE AS $$
	SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY s.ms)
	FROM bench.samples s
	WHERE s.case_name = $1 AND s.section = $2 AND s.label = $3 AND s.run > 0
$$;

-- Largest difference between any answer of query a and any of query b
-- (NULL when either has no answer).
CREATE FUNCTION bench.answer_gap(case_name text, section text, a text, b text)
RETURNS double precision LANGUAGE sql STABLE AS $$
	SELECT greatest(max(x.answer) - min(y.answer), max(y.answer) - min(x.answer))
	FROM (SELECT answer FROM bench.samples
		  WHERE case_name = $1 AND section = $2 AND label = $3 AND answer IS NOT NULL) x,
		 (SELECT answer FROM bench.samples
		  WHERE case_name = $1 AND section = $2 AND label = $4 AND answer IS NOT NULL) y
$$;

-- Adds one row to the table: medians of mycc, baseline and floor queries,
-- and the check that mycc's answer equals the baseline's within 1e-9 and
-- that the floor counted the expected rows.  Targets are optional.
CREATE FUNCTION bench.report(case_name text, section text, case_label text,
							 mycc text, baseline text, floor text, rows bigint,
							 max_vs_baseline double precision DEFAULT NULL,
							 max_vs_floor double precision DEFAULT NULL)
RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	gap			double precision := bench.answer_gap(case_name, section, mycc, baseline);
	floor_gap	double precision;
	result		text := 'ok';
	detail		text;
BEGIN
	SELECT max(abs(s.answer - rows)) INTO floor_gap FROM bench.samples s
	WHERE s.case_name = report.case_name AND s.section = report.section AND s.label = report.floor;
	IF gap IS NULL OR gap > 1e-9 THEN
		result := 'MISMATCH';
		detail := format('%s answered %s, %s answered %s', mycc,
			(SELECT string_agg(DISTINCT s.answer::text, ', ') FROM bench.samples s
			 WHERE s.case_name = report.case_name AND s.section = report.section AND s.label = report.mycc),
			baseline,
			(SELECT string_agg(DISTINCT s.answer::text, ', ') FROM bench.samples s
			 WHERE s.case_name = report.case_name AND s.section = report.section AND s.label = report.baseline));
	ELSIF floor_gap IS NULL OR floor_gap <> 0 THEN
		result := 'MISMATCH';
		detail := format('%s did not count %s rows', floor, rows);
	ELSE
		detail := format('answer %s (largest difference %s)',
			(SELECT min(s.answer) FROM bench.samples s
			 WHERE s.case_name = report.case_name AND s.section = report.section AND s.label = report.mycc),
			gap);
	END IF;
	INSERT INTO bench.results (section, case_label, case_name, mycc_label, baseline_label, floor_label,
							   mycc_ms, baseline_ms, floor_ms, rows,
							   check_result, max_vs_baseline, max_vs_floor, detail)
	VALUES (section, case_label, case_name, mycc, baseline, floor,
			bench.median_ms(case_name, section, mycc),
			bench.median_ms(case_name, section, baseline),
			bench.median_ms(case_name, section, floor),
			rows, result, max_vs_baseline, max_vs_floor, detail);
	RETURN result;
END
$$;

-- Records the ratio of the medians of two queries of a section.
CREATE FUNCTION bench.note_ratio(case_name text, section text, a text, b text)
RETURNS void LANGUAGE sql AS $$
	INSERT INTO bench.notes (case_name, note)
	SELECT $1, format('%s: median %s / median %s = %s (%s ms / %s ms)', $2, $3, $4,
		bench.fmt_ratio(x / y), bench.fmt_ms(x), bench.fmt_ms(y))
	FROM (SELECT bench.median_ms($1, $2, $3) AS x, bench.median_ms($1, $2, $4) AS y) m
$$;

-- The median throughput of a pgbench script (bench/lib.sh): txns
-- transactions over its median wall time, in transactions per second.
CREATE FUNCTION bench.fmt_tps(case_name text, section text, label text, txns bigint)
RETURNS text LANGUAGE sql STABLE AS $$
	SELECT to_char($4 * 1000.0 / bench.median_ms($1, $2, $3), 'FM999,990')
$$;

-- Records the ratio of one query's medians in two sections (how its cost
-- grows, e.g. with the number of rules).
CREATE FUNCTION bench.note_ratio_across(case_name text, section_a text, section_b text, label text)
RETURNS void LANGUAGE sql AS $$
	INSERT INTO bench.notes (case_name, note)
	SELECT $1, format('%s: median in "%s" / median in "%s" = %s (%s ms / %s ms)', $4, $2, $3,
		bench.fmt_ratio(x / y), bench.fmt_ms(x), bench.fmt_ms(y))
	FROM (SELECT bench.median_ms($1, $2, $4) AS x, bench.median_ms($1, $3, $4) AS y) m
$$;

-- A row without numbers: a case not built yet ('missing'), not selected
-- ('skipped') or whose script broke before reporting ('FAILED').
CREATE FUNCTION bench.status_row(section text, case_label text, status text, detail text)
RETURNS void LANGUAGE sql AS $$
	INSERT INTO bench.results (section, case_label, check_result, detail)
	VALUES ($1, $2, $3, $4)
$$;

-- The table as markdown, one bold row per section.
CREATE FUNCTION bench.render() RETURNS text
LANGUAGE plpgsql STABLE AS $$
DECLARE
	r			record;
	out			text;
	last_section text;
BEGIN
	out := '| case | mycc median ms | baseline median ms | mycc/baseline | floor median ms | mycc/floor | rows | check |' || E'\n'
		|| '| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |';
	FOR r IN SELECT * FROM bench.results ORDER BY ord LOOP
		IF last_section IS DISTINCT FROM r.section THEN
			out := out || E'\n' || format('| **%s** | | | | | | | |', r.section);
			last_section := r.section;
		END IF;
		IF r.mycc_ms IS NULL THEN
			out := out || E'\n' || format('| %s | %s | | | | | | %s |',
				r.case_label, r.check_result, r.check_result);
		ELSE
			out := out || E'\n' || format('| %s | %s | %s | %s | %s | %s | %s | %s |',
				r.case_label, bench.fmt_ms(r.mycc_ms), bench.fmt_ms(r.baseline_ms),
				bench.fmt_ratio(r.mycc_ms / r.baseline_ms), bench.fmt_ms(r.floor_ms),
				bench.fmt_ratio(r.mycc_ms / r.floor_ms), to_char(r.rows, 'FM999,999,999,999'),
				r.check_result);
		END IF;
	END LOOP;
	RETURN out;
END
$$;

-- In how many rounds query a ran faster than query b (they alternate, so
-- each round's pair ran under the same conditions): "k of R".
CREATE FUNCTION bench.rounds_faster(case_name text, section text, a text, b text)
RETURNS text LANGUAGE sql STABLE AS $$
	SELECT format('%s of %s', count(*) FILTER (WHERE x.ms < y.ms), count(*))
	FROM bench.samples x
	JOIN bench.samples y USING (case_name, section, run)
	WHERE x.case_name = $1 AND x.section = $2 AND x.label = $3 AND y.label = $4 AND x.run > 0
$$;

-- One line per target: the ratio of the medians (3 decimals), in how many
-- rounds mycc was the faster, the target, met or not.
CREATE FUNCTION bench.render_targets() RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT coalesce(string_agg(line, E'\n' ORDER BY ord, k), '(no targets)')
	FROM (
		SELECT ord, 1 AS k, format('- %s, %s: mycc/baseline %s (mycc faster in %s rounds), target <= %s: %s',
			section, case_label, to_char(mycc_ms / baseline_ms, 'FM990.000'),
			bench.rounds_faster(case_name, section, mycc_label, baseline_label),
			bench.fmt_ratio(max_vs_baseline),
			CASE WHEN mycc_ms / baseline_ms <= max_vs_baseline THEN 'met' ELSE 'NOT MET' END) AS line
		FROM bench.results WHERE max_vs_baseline IS NOT NULL AND check_result = 'ok'
		UNION ALL
		SELECT ord, 2, format('- %s, %s: mycc/floor %s, target <= %s: %s',
			section, case_label, to_char(mycc_ms / floor_ms, 'FM990.000'), bench.fmt_ratio(max_vs_floor),
			CASE WHEN mycc_ms / floor_ms <= max_vs_floor THEN 'met' ELSE 'NOT MET' END)
		FROM bench.results WHERE max_vs_floor IS NOT NULL AND check_result = 'ok'
	) t
$$;

-- Per query: min, median and max over the timed runs, and its SQL.
CREATE FUNCTION bench.render_samples() RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT '| case | section | query | min ms | median ms | max ms | (max-min)/median | SQL |' || E'\n'
		|| '| --- | --- | --- | ---: | ---: | ---: | ---: | --- |' || E'\n'
		|| coalesce(string_agg(format('| %s | %s | %s | %s | %s | %s | %s | `%s` |',
			s.case_name, s.section, s.label, bench.fmt_ms(s.lo), bench.fmt_ms(s.med), bench.fmt_ms(s.hi),
			to_char(100 * (s.hi - s.lo) / s.med, 'FM990.0') || '%', q.sql), E'\n' ORDER BY s.first_seen), '')
	FROM (
		SELECT case_name, section, label, min(ms) AS lo, max(ms) AS hi,
			   percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS med,
			   min(id) AS first_seen
		FROM bench.samples
		WHERE run > 0
		GROUP BY case_name, section, label
	) s
	JOIN bench.queries q USING (case_name, section, label)
$$;

-- Rows that make the run fail: a wrong answer or a case that broke.
CREATE FUNCTION bench.failures() RETURNS bigint
LANGUAGE sql STABLE AS $$
	SELECT count(*) FROM bench.results WHERE check_result IN ('MISMATCH', 'FAILED')
$$;

-- How cost grows (bench/cases/growth.sql): one row per (comparison, size),
-- the medians of a mycc query and of its baseline (NULL when the baseline
-- was not run at that size, e.g. capped because too slow).
CREATE TABLE bench.growth (
	ord			serial PRIMARY KEY,
	what		text NOT NULL,		-- the comparison, e.g. 'tags @@, GIN vs text[] GIN'
	size		bigint NOT NULL,	-- rows (customers, contacts, links)
	unit		text NOT NULL,
	mycc_ms		double precision NOT NULL,
	baseline_ms double precision,
	note		text
);

-- Records one growth row from the medians of a section's queries.
CREATE FUNCTION bench.note_growth(case_name text, section text, what text,
								  mycc text, baseline text, size bigint, unit text,
								  note text DEFAULT NULL)
RETURNS void LANGUAGE sql AS $$
	INSERT INTO bench.growth (what, size, unit, mycc_ms, baseline_ms, note)
	VALUES ($3, $6, $7, bench.median_ms($1, $2, $4),
			CASE WHEN $5 IS NOT NULL THEN bench.median_ms($1, $2, $5) END, $8)
$$;

-- Cost per row: ns below 10 µs, else µs.
CREATE FUNCTION bench.fmt_per_row(ms double precision, rows bigint) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE WHEN $1 IS NULL THEN NULL
		WHEN $1 * 1e6 / $2 < 10000 THEN to_char($1 * 1e6 / $2, 'FM999,990') || ' ns'
		ELSE to_char($1 * 1e3 / $2, 'FM999,990.0') || ' µs' END
$$;

-- The growth table as markdown: per comparison and size, the medians, the
-- ratio, the cost per row, and how much each side's time grew against the
-- previous size (compare with how much the size grew).
CREATE FUNCTION bench.render_growth() RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT CASE WHEN count(*) = 0 THEN '' ELSE
		'| comparison | size | mycc median ms | baseline median ms | mycc/baseline | mycc per row | baseline per row | size × | mycc time × | baseline time × |' || E'\n'
		|| '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |' || E'\n'
		|| string_agg(format('| %s | %s %s | %s | %s | %s | %s | %s | %s | %s | %s |',
			what, to_char(size, 'FM999,999,999'), unit, bench.fmt_ms(mycc_ms),
			coalesce(bench.fmt_ms(baseline_ms), coalesce(note, 'not run')),
			coalesce(bench.fmt_ratio(mycc_ms / baseline_ms), ''),
			bench.fmt_per_row(mycc_ms, size), coalesce(bench.fmt_per_row(baseline_ms, size), ''),
			coalesce(to_char(size::numeric / prev_size, 'FM990.0'), ''),
			coalesce(to_char(mycc_ms / prev_mycc, 'FM9990.0'), ''),
			coalesce(to_char(baseline_ms / prev_baseline, 'FM9990.0'), '')),
			E'\n' ORDER BY ord)
		END
	FROM (SELECT g.*,
				 lag(size) OVER w AS prev_size,
				 lag(mycc_ms) OVER w AS prev_mycc,
				 lag(baseline_ms) OVER w AS prev_baseline
		  FROM bench.growth g
		  WINDOW w AS (PARTITION BY what ORDER BY size)) g
$$;


-- Peak memory (bench/cases/memory.sql): one row per query, measured in a
-- fresh backend from /proc/self/status (kB).
CREATE TABLE bench.memory (
	ord			serial PRIMARY KEY,
	what		text NOT NULL,
	rows		bigint NOT NULL,
	hwm_before_kb bigint NOT NULL,	-- VmHWM after the warm-up, before the query
	hwm_after_kb bigint NOT NULL,	-- VmHWM after the query
	anon_before_kb bigint NOT NULL,	-- RssAnon before and after
	anon_after_kb bigint NOT NULL,
	ms			double precision,
	answer		double precision,
	sql			text NOT NULL
);

-- One field (kB) of this backend's /proc/self/status.
CREATE FUNCTION bench.proc_status_kb(field text) RETURNS bigint
LANGUAGE sql VOLATILE AS $$
	SELECT (regexp_match(pg_read_file('/proc/self/status'), '(?n)^' || $1 || ':\s+(\d+) kB'))[1]::bigint
$$;

CREATE FUNCTION bench.render_memory() RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT CASE WHEN count(*) = 0 THEN '' ELSE
		'| query | rows | peak backend memory added (VmHWM after − before) | VmHWM before → after | RssAnon before → after | per row | ms (one run) |' || E'\n'
		|| '| --- | ---: | ---: | ---: | ---: | ---: | ---: |' || E'\n'
		|| string_agg(format('| %s | %s | %s | %s → %s MB | %s → %s MB | %s | %s |',
			what, to_char(rows, 'FM999,999,999'),
			to_char((hwm_after_kb - hwm_before_kb) / 1024.0, 'FM999,990.0') || ' MB',
			to_char(hwm_before_kb / 1024.0, 'FM999,990.0'), to_char(hwm_after_kb / 1024.0, 'FM999,990.0'),
			to_char(anon_before_kb / 1024.0, 'FM999,990.0'), to_char(anon_after_kb / 1024.0, 'FM999,990.0'),
			to_char((hwm_after_kb - hwm_before_kb) * 1024.0 / rows, 'FM999,990.0') || ' B',
			bench.fmt_ms(ms)), E'\n' ORDER BY ord)
		END
	FROM bench.memory
$$;
