
-- ---------------------------------------------------------------------------
-- clients: arrays and JSON for applications (docs/clients.md).  Drivers
-- know PostgreSQL's built-in types only; these casts give every mycc value
-- a form they decode without a parser of mycc's text forms:
-- tagset <-> text[] and JSON arrays, nps_state and csat_state <-> JSON
-- objects.  A cast to json also makes to_json, to_jsonb, row_to_json and
-- json_agg of a row holding the value use it (PostgreSQL looks for a cast
-- to json from a type that is not built in).
-- ---------------------------------------------------------------------------

-- Tag sets: a JSON array of strings, in the set's order.
CREATE FUNCTION @extschema@.tag_array(@extschema@.tagset) RETURNS text[]
	AS 'MODULE_PATHNAME', 'mycc_tag_array' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.tag_array(@extschema@.tagset) IS 'the tags of a set as a text[], in order (the cast tagset AS text[])';
CREATE CAST (@extschema@.tagset AS text[]) WITH FUNCTION @extschema@.tag_array(@extschema@.tagset);
COMMENT ON CAST (@extschema@.tagset AS text[]) IS 'the tags, one element each, in order (mycc.tag_array)';

CREATE FUNCTION @extschema@.tagset_jsonb(@extschema@.tagset) RETURNS jsonb
	AS 'MODULE_PATHNAME', 'mycc_tagset_jsonb' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.tagset_jsonb(@extschema@.tagset) IS 'the tags of a set as a JSON array of strings (the cast tagset AS jsonb)';
CREATE CAST (@extschema@.tagset AS jsonb) WITH FUNCTION @extschema@.tagset_jsonb(@extschema@.tagset);
COMMENT ON CAST (@extschema@.tagset AS jsonb) IS 'a JSON array of the tags (mycc.tagset_jsonb)';

CREATE FUNCTION @extschema@.tagset_json(@extschema@.tagset) RETURNS json
	AS 'MODULE_PATHNAME', 'mycc_tagset_json' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.tagset_json(@extschema@.tagset) IS 'the tags of a set as a JSON array of strings (the cast tagset AS json, used by to_json, to_jsonb and row_to_json)';
CREATE CAST (@extschema@.tagset AS json) WITH FUNCTION @extschema@.tagset_json(@extschema@.tagset);
COMMENT ON CAST (@extschema@.tagset AS json) IS 'a JSON array of the tags (mycc.tagset_json); to_jsonb(row) uses it';

CREATE FUNCTION @extschema@.tagset(jsonb) RETURNS @extschema@.tagset
	LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	IF pg_catalog.jsonb_typeof($1) OPERATOR(pg_catalog.<>) 'array' THEN
		RAISE EXCEPTION 'the JSON form of tagset must be an array, not %', pg_catalog.jsonb_typeof($1)
			USING ERRCODE = '22023', DETAIL = 'A tagset''s JSON form is an array of strings, one tag each: ["vip", "region:北京"].';
	END IF;
	IF EXISTS (SELECT FROM pg_catalog.jsonb_array_elements($1) AS e(v)
			WHERE pg_catalog.jsonb_typeof(e.v) OPERATOR(pg_catalog.<>) 'string') THEN
		RAISE EXCEPTION 'the JSON form of tagset must be an array of strings: %', $1
			USING ERRCODE = '22023', DETAIL = 'Each element is one tag, a JSON string.';
	END IF;
	RETURN @extschema@.tagset(ARRAY(SELECT pg_catalog.jsonb_array_elements_text($1)));
END
$$;
COMMENT ON FUNCTION @extschema@.tagset(jsonb) IS 'tagset of a JSON array of strings, each one tag as written (the cast jsonb AS tagset)';
CREATE CAST (jsonb AS @extschema@.tagset) WITH FUNCTION @extschema@.tagset(jsonb);
COMMENT ON CAST (jsonb AS @extschema@.tagset) IS 'a JSON array of strings, each one tag (mycc.tagset(jsonb))';

-- Counting states: a JSON object of the counts (what the state holds) and
-- the figures derived from them at a confidence level (what an app
-- shows).  Reading one back takes the counts and ignores the rest.  The
-- casts to json are PL/pgSQL: to_jsonb(row) calls them through the
-- function manager for every value, where a SQL function would be planned
-- again each time and PL/pgSQL keeps its plans (5 times faster).

-- A count read from the JSON form of a state: a non-negative integer under
-- key in an object.
CREATE FUNCTION @extschema@.json_count(doc jsonb, key text, type_name text) RETURNS bigint
	LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	v jsonb;
BEGIN
	IF pg_catalog.jsonb_typeof(doc) OPERATOR(pg_catalog.<>) 'object' THEN
		RAISE EXCEPTION 'the JSON form of % must be an object, not %', type_name, pg_catalog.jsonb_typeof(doc)
			USING ERRCODE = '22023';
	END IF;
	v := doc OPERATOR(pg_catalog.->) key;
	IF v IS NULL OR pg_catalog.jsonb_typeof(v) OPERATOR(pg_catalog.<>) 'number' THEN
		RAISE EXCEPTION 'the JSON form of % needs a number in key "%"', type_name, key
			USING ERRCODE = '22023', DETAIL = pg_catalog.format('The object was: %s', doc);
	END IF;
	IF v::numeric OPERATOR(pg_catalog.<>) pg_catalog.trunc(v::numeric) THEN
		RAISE EXCEPTION 'invalid input syntax for type bigint: "%"', v
			USING ERRCODE = '22P02', DETAIL = pg_catalog.format('Key "%s" of the JSON form of %s counts answers: a whole number.', key, type_name);
	END IF;
	RETURN v::numeric::bigint;
END
$$;
COMMENT ON FUNCTION @extschema@.json_count(jsonb, text, text) IS 'internal: the whole number under key in the JSON form of a counting state (22023 when missing or not a number, 22P02 when fractional, 22003 when out of range)';

CREATE FUNCTION @extschema@.nps_jsonb(@extschema@.nps_state, confidence double precision) RETURNS jsonb
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
	SELECT pg_catalog.jsonb_build_object(
		'promoters', @extschema@.nps_promoters($1), 'passives', @extschema@.nps_passives($1),
		'detractors', @extschema@.nps_detractors($1), 'n', @extschema@.nps_count($1),
		'nps', @extschema@.nps($1), 'margin_of_error', @extschema@.nps_moe($1, confidence),
		'low', ci.low, 'high', ci.high, 'confidence', confidence)
	FROM @extschema@.nps_ci($1, confidence) AS ci;
END;
COMMENT ON FUNCTION @extschema@.nps_jsonb(@extschema@.nps_state, double precision) IS 'an nps_state as a JSON object: promoters, passives, detractors, n, nps, margin_of_error, low, high (the interval) at a confidence level, confidence';
CREATE FUNCTION @extschema@.nps_jsonb(@extschema@.nps_state) RETURNS jsonb
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
	RETURN @extschema@.nps_jsonb($1, 0.95::double precision);
COMMENT ON FUNCTION @extschema@.nps_jsonb(@extschema@.nps_state) IS 'an nps_state as a JSON object at 95% confidence (the cast nps_state AS jsonb)';
CREATE CAST (@extschema@.nps_state AS jsonb) WITH FUNCTION @extschema@.nps_jsonb(@extschema@.nps_state);
COMMENT ON CAST (@extschema@.nps_state AS jsonb) IS 'counts, score, margin and 95% interval as a JSON object (mycc.nps_jsonb)';
CREATE FUNCTION @extschema@.nps_json(@extschema@.nps_state) RETURNS json
	LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	RETURN CAST(@extschema@.nps_jsonb($1) AS json);
END
$$;
COMMENT ON FUNCTION @extschema@.nps_json(@extschema@.nps_state) IS 'an nps_state as a JSON object at 95% confidence (the cast nps_state AS json, used by to_json, to_jsonb and row_to_json)';
CREATE CAST (@extschema@.nps_state AS json) WITH FUNCTION @extschema@.nps_json(@extschema@.nps_state);
COMMENT ON CAST (@extschema@.nps_state AS json) IS 'counts, score, margin and 95% interval as a JSON object (mycc.nps_json); to_jsonb(row) uses it';

CREATE FUNCTION @extschema@.nps_state(jsonb) RETURNS @extschema@.nps_state
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
	RETURN @extschema@.nps_state(@extschema@.json_count($1, 'promoters', 'nps_state'),
		@extschema@.json_count($1, 'passives', 'nps_state'), @extschema@.json_count($1, 'detractors', 'nps_state'));
COMMENT ON FUNCTION @extschema@.nps_state(jsonb) IS 'an nps_state from its JSON form: the keys promoters, passives and detractors (others are ignored) (the cast jsonb AS nps_state)';
CREATE CAST (jsonb AS @extschema@.nps_state) WITH FUNCTION @extschema@.nps_state(jsonb);
COMMENT ON CAST (jsonb AS @extschema@.nps_state) IS 'from the JSON form: promoters, passives, detractors (mycc.nps_state(jsonb))';

CREATE FUNCTION @extschema@.csat_jsonb(@extschema@.csat_state, confidence double precision) RETURNS jsonb
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
	SELECT pg_catalog.jsonb_build_object(
		'satisfied', @extschema@.csat_satisfied($1), 'n', @extschema@.csat_count($1),
		'scale', @extschema@.csat_scale($1), 'csat', @extschema@.csat($1),
		'margin_of_error', @extschema@.csat_moe($1, confidence),
		'low', ci.low, 'high', ci.high, 'confidence', confidence)
	FROM @extschema@.csat_ci($1, confidence) AS ci;
END;
COMMENT ON FUNCTION @extschema@.csat_jsonb(@extschema@.csat_state, double precision) IS 'a csat_state as a JSON object: satisfied, n, scale, csat, margin_of_error, low, high (the interval) at a confidence level, confidence';
CREATE FUNCTION @extschema@.csat_jsonb(@extschema@.csat_state) RETURNS jsonb
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
	RETURN @extschema@.csat_jsonb($1, 0.95::double precision);
COMMENT ON FUNCTION @extschema@.csat_jsonb(@extschema@.csat_state) IS 'a csat_state as a JSON object at 95% confidence (the cast csat_state AS jsonb)';
CREATE CAST (@extschema@.csat_state AS jsonb) WITH FUNCTION @extschema@.csat_jsonb(@extschema@.csat_state);
COMMENT ON CAST (@extschema@.csat_state AS jsonb) IS 'counts, score, margin and 95% interval as a JSON object (mycc.csat_jsonb)';
CREATE FUNCTION @extschema@.csat_json(@extschema@.csat_state) RETURNS json
	LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	RETURN CAST(@extschema@.csat_jsonb($1) AS json);
END
$$;
COMMENT ON FUNCTION @extschema@.csat_json(@extschema@.csat_state) IS 'a csat_state as a JSON object at 95% confidence (the cast csat_state AS json, used by to_json, to_jsonb and row_to_json)';
CREATE CAST (@extschema@.csat_state AS json) WITH FUNCTION @extschema@.csat_json(@extschema@.csat_state);
COMMENT ON CAST (@extschema@.csat_state AS json) IS 'counts, score, margin and 95% interval as a JSON object (mycc.csat_json); to_jsonb(row) uses it';

-- An empty state has no scale yet (scale null): its text form (0,0,0).
CREATE FUNCTION @extschema@.csat_state(jsonb) RETURNS @extschema@.csat_state
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
	SELECT CASE WHEN c.total OPERATOR(pg_catalog.=) 0 AND c.scale IS NULL THEN CAST('(0,0,0)' AS @extschema@.csat_state)
		ELSE @extschema@.csat_state(c.satisfied, c.total, CAST(c.scale AS integer)) END
	FROM (SELECT @extschema@.json_count($1, 'satisfied', 'csat_state') AS satisfied,
			@extschema@.json_count($1, 'n', 'csat_state') AS total,
			CASE WHEN pg_catalog.jsonb_typeof($1 OPERATOR(pg_catalog.->) 'scale') OPERATOR(pg_catalog.=) 'null'
				AND @extschema@.json_count($1, 'n', 'csat_state') OPERATOR(pg_catalog.=) 0 THEN NULL
				ELSE @extschema@.json_count($1, 'scale', 'csat_state') END AS scale) AS c;
END;
COMMENT ON FUNCTION @extschema@.csat_state(jsonb) IS 'a csat_state from its JSON form: the keys satisfied, n and scale (null for an empty state; others are ignored) (the cast jsonb AS csat_state)';
CREATE CAST (jsonb AS @extschema@.csat_state) WITH FUNCTION @extschema@.csat_state(jsonb);
COMMENT ON CAST (jsonb AS @extschema@.csat_state) IS 'from the JSON form: satisfied, n, scale (mycc.csat_state(jsonb))';
