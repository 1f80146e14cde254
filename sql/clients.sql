-- Arrays and JSON for applications (docs/clients.md): the casts of
-- tagset, nps_state and csat_state, their round trips and error paths.

\set SHOW_CONTEXT never

-- tagset -> text[], json, jsonb: the tags in order; the empty set is an
-- empty array.
SELECT t::text[] AS arr, t::json AS json, t::jsonb AS jsonb, cardinality(t::text[]) = mycc.tagset_count(t) AS counted
FROM (VALUES ('{vip, "sale 2024", region:北京, 90后, "a \"quoted\" tag"}'::mycc.tagset), ('{}')) AS v(t);
-- Round trips over many sets: tagset -> text[] -> tagset, tagset -> jsonb
-- -> tagset and tagset -> json -> jsonb -> tagset give the same set.
SELECT count(*) AS sets,
	count(*) FILTER (WHERE (t::text[])::mycc.tagset::text = t::text) AS via_array,
	count(*) FILTER (WHERE (t::jsonb)::mycc.tagset::text = t::text) AS via_jsonb,
	count(*) FILTER (WHERE (t::json)::jsonb::mycc.tagset::text = t::text) AS via_json
FROM (SELECT mycc.tagset(ARRAY(SELECT format('t%s:%s', i % 7, j) FROM generate_series(0, i % 13) AS j)) AS t
	FROM generate_series(1, 300) AS i) AS s;
-- A row converts as a whole: tags as an array, states as objects, a tier
-- as its name; so do row_to_json and json_agg.
CREATE TEMP TABLE app_customer (id int, tier mycc.customer_tier, tags mycc.tagset, nps mycc.nps_state, csat mycc.csat_state);
INSERT INTO app_customer VALUES (1, 'mid', '{vip, region:北京}', '(2,1,1)', '(3,4,5)'), (2, '免费', '{}', '(0,0,0)', '(0,0,0)');
SELECT to_jsonb(c) - 'nps' - 'csat' AS to_jsonb, row_to_json(c)::jsonb -> 'tags' AS row_to_json FROM app_customer AS c ORDER BY id;
SELECT json_agg(c.tags ORDER BY c.id) AS tags, jsonb_agg(c.nps -> 'nps' ORDER BY c.id) AS scores
FROM (SELECT id, tags, to_jsonb(nps) AS nps FROM app_customer) AS c;
-- NULLs stay NULL.
SELECT NULL::mycc.tagset::jsonb IS NULL AS tagset, NULL::jsonb::mycc.nps_state IS NULL AS nps_state,
	mycc.csat_jsonb(NULL) IS NULL AS csat_state;

-- jsonb -> tagset: an array of strings, each one tag as written.
SELECT '["VIP", "region:北京", "sale 2024", "vip"]'::jsonb::mycc.tagset;
SELECT '[]'::jsonb::mycc.tagset;
SELECT '{"tags": ["vip"]}'::jsonb::mycc.tagset;
SELECT '"vip"'::jsonb::mycc.tagset;
SELECT 'null'::jsonb::mycc.tagset;
SELECT '["vip", 7]'::jsonb::mycc.tagset;
SELECT '["vip", null]'::jsonb::mycc.tagset;
SELECT '["vip", ["nested"]]'::jsonb::mycc.tagset;
SELECT '["vip", ""]'::jsonb::mycc.tagset;
SELECT jsonb_build_array(repeat('x', 256))::mycc.tagset;

-- nps_state <-> JSON: counts, score, margin and interval at 95% (or
-- another level); back from the counts, other keys ignored.
SELECT '(200,120,80)'::mycc.nps_state::jsonb;
SELECT mycc.nps_jsonb('(200,120,80)', 0.99) ->> 'margin_of_error' AS moe_99,
	round(mycc.nps_moe('(200,120,80)', 0.99)::numeric, 10) = round((mycc.nps_jsonb('(200,120,80)', 0.99) ->> 'margin_of_error')::numeric, 10) AS same_moe;
SELECT '(0,0,0)'::mycc.nps_state::json AS empty;
SELECT count(*) AS states, count(*) FILTER (WHERE (s::jsonb)::mycc.nps_state::text = s::text) AS via_jsonb,
	count(*) FILTER (WHERE (s::json)::jsonb::mycc.nps_state::text = s::text) AS via_json
FROM (SELECT mycc.nps_state(i % 17, i % 5, (i * 7) % 11) AS s FROM generate_series(0, 400) AS i) AS v;
SELECT '{"promoters": 5, "passives": 0, "detractors": 1, "nps": 99, "n": 1000}'::jsonb::mycc.nps_state AS others_ignored;
SELECT '{"promoters": 9223372036854775807, "passives": 0, "detractors": 0}'::jsonb::mycc.nps_state AS largest;
SELECT mycc.nps_jsonb('(1,2,3)', 1.0);
SELECT mycc.nps_jsonb('(1,2,3)', 'NaN');
SELECT '[1, 2, 3]'::jsonb::mycc.nps_state;
SELECT '{"promoters": 2, "passives": 1}'::jsonb::mycc.nps_state;
SELECT '{"promoters": "2", "passives": 1, "detractors": 0}'::jsonb::mycc.nps_state;
SELECT '{"promoters": null, "passives": 1, "detractors": 0}'::jsonb::mycc.nps_state;
SELECT '{"promoters": 2.5, "passives": 1, "detractors": 0}'::jsonb::mycc.nps_state;
SELECT '{"promoters": -1, "passives": 1, "detractors": 0}'::jsonb::mycc.nps_state;
SELECT '{"promoters": 1e19, "passives": 0, "detractors": 0}'::jsonb::mycc.nps_state;
SELECT '{"promoters": 9223372036854775807, "passives": 1, "detractors": 0}'::jsonb::mycc.nps_state;

-- csat_state <-> JSON: satisfied, n, scale (null for the empty state).
SELECT '(45,60,5)'::mycc.csat_state::jsonb;
SELECT '(0,0,0)'::mycc.csat_state::jsonb;
SELECT count(*) AS states, count(*) FILTER (WHERE (s::jsonb)::mycc.csat_state::text = s::text) AS via_jsonb,
	count(*) FILTER (WHERE (s::json)::jsonb::mycc.csat_state::text = s::text) AS via_json
FROM (SELECT CASE WHEN i = 0 THEN '(0,0,0)'::mycc.csat_state ELSE mycc.csat_state(i % 9, i % 9 + i % 4, 3 + i % 8) END AS s
	FROM generate_series(0, 400) AS i) AS v;
SELECT '{"satisfied": 0, "n": 0, "scale": 7}'::jsonb::mycc.csat_state AS empty_with_scale;
SELECT mycc.csat_jsonb('(1,2,5)', 0);
SELECT '{"satisfied": 1, "n": 2}'::jsonb::mycc.csat_state;
SELECT '{"satisfied": 1, "n": 2, "scale": null}'::jsonb::mycc.csat_state;
SELECT '{"satisfied": 3, "n": 2, "scale": 5}'::jsonb::mycc.csat_state;
SELECT '{"satisfied": 1, "n": 2, "scale": 11}'::jsonb::mycc.csat_state;
SELECT '{"satisfied": 1, "n": 2, "scale": 5000000000}'::jsonb::mycc.csat_state;
SELECT '"(1,2,5)"'::jsonb::mycc.csat_state;

-- The reading helper on its own.
SELECT mycc.json_count('{"k": 42}', 'k', 'test_state');
SELECT mycc.json_count('{"k": 4.2}', 'k', 'test_state');
SELECT mycc.json_count('{}', 'k', 'test_state');

-- The SQLSTATE of each error path (docs/reference.md's table).
CREATE FUNCTION pg_temp.sqlstate_of(statement text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE statement;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE;
END
$$;
SELECT statement, pg_temp.sqlstate_of(statement) AS sqlstate FROM (VALUES
	($$SELECT '{"tags": ["vip"]}'::jsonb::mycc.tagset$$),
	($$SELECT '["vip", 7]'::jsonb::mycc.tagset$$),
	($$SELECT '["vip", ""]'::jsonb::mycc.tagset$$),
	($$SELECT jsonb_build_array(repeat('x', 256))::mycc.tagset$$),
	($$SELECT '[1]'::jsonb::mycc.nps_state$$),
	($$SELECT '{"promoters": 2, "passives": 1}'::jsonb::mycc.nps_state$$),
	($$SELECT '{"promoters": 2.5, "passives": 1, "detractors": 0}'::jsonb::mycc.nps_state$$),
	($$SELECT '{"promoters": -1, "passives": 1, "detractors": 0}'::jsonb::mycc.nps_state$$),
	($$SELECT '{"promoters": 1e19, "passives": 0, "detractors": 0}'::jsonb::mycc.nps_state$$),
	($$SELECT '{"satisfied": 3, "n": 2, "scale": 5}'::jsonb::mycc.csat_state$$),
	($$SELECT '{"satisfied": 1, "n": 2, "scale": 11}'::jsonb::mycc.csat_state$$),
	($$SELECT mycc.nps_jsonb('(1,2,3)', 1.0)$$),
	($$SELECT mycc.csat_jsonb('(1,2,5)', 0)$$)) AS v(statement);
-- The cast functions called by name: their results, and the casts give the same.
SELECT mycc.tag_array(t) AS tag_array, mycc.tagset_json(t) AS tagset_json, mycc.tagset_jsonb(t) AS tagset_jsonb,
	mycc.tag_array(t) = t::text[] AND mycc.tagset_jsonb(t) = t::jsonb AND mycc.tagset_json(t)::text = t::json::text AS same_as_casts
FROM (VALUES ('{vip, "sale 2024", 北京}'::mycc.tagset), ('{}')) AS v(t);
SELECT mycc.nps_json('(3,2,1)') AS nps_json, mycc.csat_json('(45,60,5)') AS csat_json;
