
-- ---------------------------------------------------------------------------
-- csat: customer satisfaction, top-two-box share (design.md section 1)
-- ---------------------------------------------------------------------------

CREATE TYPE @extschema@.csat_state;

CREATE FUNCTION @extschema@.csat_state_in(cstring) RETURNS @extschema@.csat_state
	AS 'MODULE_PATHNAME', 'mycc_csat_state_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.csat_state_out(@extschema@.csat_state) RETURNS cstring
	AS 'MODULE_PATHNAME', 'mycc_csat_state_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.csat_state_recv(internal) RETURNS @extschema@.csat_state
	AS 'MODULE_PATHNAME', 'mycc_csat_state_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.csat_state_send(@extschema@.csat_state) RETURNS bytea
	AS 'MODULE_PATHNAME', 'mycc_csat_state_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE @extschema@.csat_state (
	INPUT = @extschema@.csat_state_in,
	OUTPUT = @extschema@.csat_state_out,
	RECEIVE = @extschema@.csat_state_recv,
	SEND = @extschema@.csat_state_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = plain
);

COMMENT ON TYPE @extschema@.csat_state IS 'mergeable CSAT aggregate state, written (satisfied,total,scale)';
COMMENT ON FUNCTION @extschema@.csat_state_in(cstring) IS 'text input of csat_state: (satisfied,total,scale)';
COMMENT ON FUNCTION @extschema@.csat_state_out(@extschema@.csat_state) IS 'text output of csat_state';
COMMENT ON FUNCTION @extschema@.csat_state_recv(internal) IS 'binary input of csat_state';
COMMENT ON FUNCTION @extschema@.csat_state_send(@extschema@.csat_state) IS 'binary output of csat_state';

CREATE FUNCTION @extschema@.csat_state(satisfied bigint, total bigint, scale integer DEFAULT 5) RETURNS @extschema@.csat_state
	AS 'MODULE_PATHNAME', 'mycc_csat_state_make' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.csat_state(bigint, bigint, integer) IS 'a csat_state from counts of satisfied (top-two-box) and all answers on a scale';

-- Aggregate support.
CREATE FUNCTION @extschema@.csat_accum(@extschema@.csat_state, integer) RETURNS @extschema@.csat_state
	AS 'MODULE_PATHNAME', 'mycc_csat_accum' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.csat_accum(@extschema@.csat_state, integer, integer) RETURNS @extschema@.csat_state
	AS 'MODULE_PATHNAME', 'mycc_csat_accum' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.csat_deaccum(@extschema@.csat_state, integer) RETURNS @extschema@.csat_state
	AS 'MODULE_PATHNAME', 'mycc_csat_deaccum' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.csat_deaccum(@extschema@.csat_state, integer, integer) RETURNS @extschema@.csat_state
	AS 'MODULE_PATHNAME', 'mycc_csat_deaccum' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.csat_combine(@extschema@.csat_state, @extschema@.csat_state) RETURNS @extschema@.csat_state
	AS 'MODULE_PATHNAME', 'mycc_csat_combine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.csat_uncombine(@extschema@.csat_state, @extschema@.csat_state) RETURNS @extschema@.csat_state
	AS 'MODULE_PATHNAME', 'mycc_csat_uncombine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION @extschema@.csat_accum(@extschema@.csat_state, integer) IS 'CSAT aggregate transition: one more answer on a 5-point scale';
COMMENT ON FUNCTION @extschema@.csat_accum(@extschema@.csat_state, integer, integer) IS 'CSAT aggregate transition: one more answer on the given scale';
COMMENT ON FUNCTION @extschema@.csat_deaccum(@extschema@.csat_state, integer) IS 'CSAT moving-aggregate inverse: one answer fewer on a 5-point scale';
COMMENT ON FUNCTION @extschema@.csat_deaccum(@extschema@.csat_state, integer, integer) IS 'CSAT moving-aggregate inverse: one answer fewer on the given scale';
COMMENT ON FUNCTION @extschema@.csat_combine(@extschema@.csat_state, @extschema@.csat_state) IS 'the sum of two CSAT states of one scale (aggregate combine function)';
COMMENT ON FUNCTION @extschema@.csat_uncombine(@extschema@.csat_state, @extschema@.csat_state) IS 'the first CSAT state less the second (moving csat_merge inverse)';

CREATE OPERATOR @extschema@.+ (
	LEFTARG = @extschema@.csat_state, RIGHTARG = @extschema@.csat_state,
	FUNCTION = @extschema@.csat_combine,
	COMMUTATOR = OPERATOR(@extschema@.+)
);
COMMENT ON OPERATOR @extschema@.+ (@extschema@.csat_state, @extschema@.csat_state) IS 'merge two CSAT states of one scale';

-- Accessors and statistics.
CREATE FUNCTION @extschema@.csat(@extschema@.csat_state) RETURNS double precision
	AS 'MODULE_PATHNAME', 'mycc_csat_of_state' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.csat_satisfied(@extschema@.csat_state) RETURNS bigint
	AS 'MODULE_PATHNAME', 'mycc_csat_satisfied' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.csat_count(@extschema@.csat_state) RETURNS bigint
	AS 'MODULE_PATHNAME', 'mycc_csat_count' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.csat_scale(@extschema@.csat_state) RETURNS integer
	AS 'MODULE_PATHNAME', 'mycc_csat_scale' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.csat_moe(@extschema@.csat_state, confidence double precision DEFAULT 0.95) RETURNS double precision
	AS 'MODULE_PATHNAME', 'mycc_csat_moe' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION @extschema@.csat(@extschema@.csat_state) IS 'CSAT of a state: % of answers in the top two boxes; NULL when empty';
COMMENT ON FUNCTION @extschema@.csat_satisfied(@extschema@.csat_state) IS 'number of answers in the top two boxes';
COMMENT ON FUNCTION @extschema@.csat_count(@extschema@.csat_state) IS 'number of answers in a CSAT state';
COMMENT ON FUNCTION @extschema@.csat_scale(@extschema@.csat_state) IS 'rating scale of a CSAT state (points); NULL before any answer';
COMMENT ON FUNCTION @extschema@.csat_moe(@extschema@.csat_state, double precision) IS 'margin of error of the CSAT in points at a confidence level (default 0.95)';

-- The interval is the margin of error around the score, clamped to 0..100
-- as nps_ci clamps to -100..100.
CREATE FUNCTION @extschema@.csat_ci(@extschema@.csat_state, confidence double precision DEFAULT 0.95,
		OUT low double precision, OUT high double precision)
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
	SELECT pg_catalog.float8larger(m.score OPERATOR(pg_catalog.-) m.moe, 0::double precision),
		pg_catalog.float8smaller(m.score OPERATOR(pg_catalog.+) m.moe, 100::double precision)
	FROM (SELECT @extschema@.csat($1) AS score, @extschema@.csat_moe($1, confidence) AS moe) AS m;
END;
COMMENT ON FUNCTION @extschema@.csat_ci(@extschema@.csat_state, double precision) IS 'confidence interval (low, high) of the CSAT of a state, in points, clamped to 0..100; NULLs when empty';

-- Aggregates (aggregates take no defaults: csat(score) is the 5-point form).
CREATE AGGREGATE @extschema@.csat(integer) (
	SFUNC = @extschema@.csat_accum, STYPE = @extschema@.csat_state, INITCOND = '(0,0,0)',
	FINALFUNC = @extschema@.csat, COMBINEFUNC = @extschema@.csat_combine,
	MSFUNC = @extschema@.csat_accum, MINVFUNC = @extschema@.csat_deaccum,
	MSTYPE = @extschema@.csat_state, MINITCOND = '(0,0,0)', MFINALFUNC = @extschema@.csat,
	PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.csat(integer, integer) (
	SFUNC = @extschema@.csat_accum, STYPE = @extschema@.csat_state, INITCOND = '(0,0,0)',
	FINALFUNC = @extschema@.csat, COMBINEFUNC = @extschema@.csat_combine,
	MSFUNC = @extschema@.csat_accum, MINVFUNC = @extschema@.csat_deaccum,
	MSTYPE = @extschema@.csat_state, MINITCOND = '(0,0,0)', MFINALFUNC = @extschema@.csat,
	PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.csat_agg(integer) (
	SFUNC = @extschema@.csat_accum, STYPE = @extschema@.csat_state, INITCOND = '(0,0,0)',
	COMBINEFUNC = @extschema@.csat_combine,
	MSFUNC = @extschema@.csat_accum, MINVFUNC = @extschema@.csat_deaccum,
	MSTYPE = @extschema@.csat_state, MINITCOND = '(0,0,0)',
	PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.csat_agg(integer, integer) (
	SFUNC = @extschema@.csat_accum, STYPE = @extschema@.csat_state, INITCOND = '(0,0,0)',
	COMBINEFUNC = @extschema@.csat_combine,
	MSFUNC = @extschema@.csat_accum, MINVFUNC = @extschema@.csat_deaccum,
	MSTYPE = @extschema@.csat_state, MINITCOND = '(0,0,0)',
	PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.csat_merge(@extschema@.csat_state) (
	SFUNC = @extschema@.csat_combine, STYPE = @extschema@.csat_state, INITCOND = '(0,0,0)',
	COMBINEFUNC = @extschema@.csat_combine,
	MSFUNC = @extschema@.csat_combine, MINVFUNC = @extschema@.csat_uncombine,
	MSTYPE = @extschema@.csat_state, MINITCOND = '(0,0,0)',
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE @extschema@.csat(integer) IS 'CSAT of 1..5 answers: % in the top two boxes (4-5); NULL for no rows';
COMMENT ON AGGREGATE @extschema@.csat(integer, integer) IS 'CSAT of 1..scale answers: % in the top two boxes; NULL for no rows';
COMMENT ON AGGREGATE @extschema@.csat_agg(integer) IS 'mergeable CSAT state of 1..5 answers';
COMMENT ON AGGREGATE @extschema@.csat_agg(integer, integer) IS 'mergeable CSAT state of 1..scale answers';
COMMENT ON AGGREGATE @extschema@.csat_merge(@extschema@.csat_state) IS 'the sum of stored CSAT states of one scale (rollups)';
