
-- ---------------------------------------------------------------------------
-- nps: Net Promoter Score (design.md section 1; docs/nps.md)
-- ---------------------------------------------------------------------------

-- nps_score: one 0..10 answer, one byte, passed by value.
CREATE TYPE @extschema@.nps_score;

CREATE FUNCTION @extschema@.nps_score_in(cstring) RETURNS @extschema@.nps_score
	AS 'MODULE_PATHNAME', 'mycc_nps_score_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.nps_score_out(@extschema@.nps_score) RETURNS cstring
	AS 'MODULE_PATHNAME', 'mycc_nps_score_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.nps_score_recv(internal) RETURNS @extschema@.nps_score
	AS 'MODULE_PATHNAME', 'mycc_nps_score_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.nps_score_send(@extschema@.nps_score) RETURNS bytea
	AS 'MODULE_PATHNAME', 'mycc_nps_score_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE @extschema@.nps_score (
	INPUT = @extschema@.nps_score_in,
	OUTPUT = @extschema@.nps_score_out,
	RECEIVE = @extschema@.nps_score_recv,
	SEND = @extschema@.nps_score_send,
	INTERNALLENGTH = 1,
	PASSEDBYVALUE,
	ALIGNMENT = char,
	STORAGE = plain
);

COMMENT ON TYPE @extschema@.nps_score IS 'an answer to "how likely are you to recommend us", 0 to 10 (one byte)';
COMMENT ON FUNCTION @extschema@.nps_score_in(cstring) IS 'text input of nps_score: an integer 0..10';
COMMENT ON FUNCTION @extschema@.nps_score_out(@extschema@.nps_score) IS 'text output of nps_score';
COMMENT ON FUNCTION @extschema@.nps_score_recv(internal) IS 'binary input of nps_score: one byte 0..10';
COMMENT ON FUNCTION @extschema@.nps_score_send(@extschema@.nps_score) IS 'binary output of nps_score: one byte';

-- Casts: from integers and numeric on assignment (range-checked), to integer implicitly.
CREATE FUNCTION @extschema@.nps_score(smallint) RETURNS @extschema@.nps_score
	AS 'MODULE_PATHNAME', 'mycc_nps_score_from_int2' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.nps_score(integer) RETURNS @extschema@.nps_score
	AS 'MODULE_PATHNAME', 'mycc_nps_score_from_int4' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.nps_score(bigint) RETURNS @extschema@.nps_score
	AS 'MODULE_PATHNAME', 'mycc_nps_score_from_int8' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.nps_score(numeric) RETURNS @extschema@.nps_score
	AS 'MODULE_PATHNAME', 'mycc_nps_score_from_numeric' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.nps_score_to_int4(@extschema@.nps_score) RETURNS integer
	AS 'MODULE_PATHNAME', 'mycc_nps_score_to_int4' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION @extschema@.nps_score(smallint) IS 'smallint to nps_score; 22003 outside 0..10';
COMMENT ON FUNCTION @extschema@.nps_score(integer) IS 'integer to nps_score; 22003 outside 0..10';
COMMENT ON FUNCTION @extschema@.nps_score(bigint) IS 'bigint to nps_score; 22003 outside 0..10';
COMMENT ON FUNCTION @extschema@.nps_score(numeric) IS 'numeric to nps_score; 22P02 unless integral, 22003 outside 0..10';
COMMENT ON FUNCTION @extschema@.nps_score_to_int4(@extschema@.nps_score) IS 'nps_score to integer';

CREATE CAST (smallint AS @extschema@.nps_score)
	WITH FUNCTION @extschema@.nps_score(smallint) AS ASSIGNMENT;
CREATE CAST (integer AS @extschema@.nps_score)
	WITH FUNCTION @extschema@.nps_score(integer) AS ASSIGNMENT;
CREATE CAST (bigint AS @extschema@.nps_score)
	WITH FUNCTION @extschema@.nps_score(bigint) AS ASSIGNMENT;
CREATE CAST (numeric AS @extschema@.nps_score)
	WITH FUNCTION @extschema@.nps_score(numeric) AS ASSIGNMENT;
CREATE CAST (@extschema@.nps_score AS integer)
	WITH FUNCTION @extschema@.nps_score_to_int4(@extschema@.nps_score) AS IMPLICIT;

COMMENT ON CAST (smallint AS @extschema@.nps_score) IS 'range-checked: 0..10';
COMMENT ON CAST (integer AS @extschema@.nps_score) IS 'range-checked: 0..10';
COMMENT ON CAST (bigint AS @extschema@.nps_score) IS 'range-checked: 0..10';
COMMENT ON CAST (numeric AS @extschema@.nps_score) IS 'integral values 0..10 only';
COMMENT ON CAST (@extschema@.nps_score AS integer) IS 'an answer as its integer value';

-- Comparison, btree and hash.
CREATE FUNCTION @extschema@.nps_score_eq(@extschema@.nps_score, @extschema@.nps_score) RETURNS boolean
	AS 'MODULE_PATHNAME', 'mycc_nps_score_eq' LANGUAGE C IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
CREATE FUNCTION @extschema@.nps_score_ne(@extschema@.nps_score, @extschema@.nps_score) RETURNS boolean
	AS 'MODULE_PATHNAME', 'mycc_nps_score_ne' LANGUAGE C IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
CREATE FUNCTION @extschema@.nps_score_lt(@extschema@.nps_score, @extschema@.nps_score) RETURNS boolean
	AS 'MODULE_PATHNAME', 'mycc_nps_score_lt' LANGUAGE C IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
CREATE FUNCTION @extschema@.nps_score_le(@extschema@.nps_score, @extschema@.nps_score) RETURNS boolean
	AS 'MODULE_PATHNAME', 'mycc_nps_score_le' LANGUAGE C IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
CREATE FUNCTION @extschema@.nps_score_gt(@extschema@.nps_score, @extschema@.nps_score) RETURNS boolean
	AS 'MODULE_PATHNAME', 'mycc_nps_score_gt' LANGUAGE C IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
CREATE FUNCTION @extschema@.nps_score_ge(@extschema@.nps_score, @extschema@.nps_score) RETURNS boolean
	AS 'MODULE_PATHNAME', 'mycc_nps_score_ge' LANGUAGE C IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
CREATE FUNCTION @extschema@.nps_score_cmp(@extschema@.nps_score, @extschema@.nps_score) RETURNS integer
	AS 'MODULE_PATHNAME', 'mycc_nps_score_cmp' LANGUAGE C IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
CREATE FUNCTION @extschema@.nps_score_hash(@extschema@.nps_score) RETURNS integer
	AS 'MODULE_PATHNAME', 'mycc_nps_score_hash' LANGUAGE C IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
CREATE FUNCTION @extschema@.nps_score_hash_extended(@extschema@.nps_score, bigint) RETURNS bigint
	AS 'MODULE_PATHNAME', 'mycc_nps_score_hash_extended' LANGUAGE C IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;

COMMENT ON FUNCTION @extschema@.nps_score_eq(@extschema@.nps_score, @extschema@.nps_score) IS 'implementation of = for nps_score';
COMMENT ON FUNCTION @extschema@.nps_score_ne(@extschema@.nps_score, @extschema@.nps_score) IS 'implementation of <> for nps_score';
COMMENT ON FUNCTION @extschema@.nps_score_lt(@extschema@.nps_score, @extschema@.nps_score) IS 'implementation of < for nps_score';
COMMENT ON FUNCTION @extschema@.nps_score_le(@extschema@.nps_score, @extschema@.nps_score) IS 'implementation of <= for nps_score';
COMMENT ON FUNCTION @extschema@.nps_score_gt(@extschema@.nps_score, @extschema@.nps_score) IS 'implementation of > for nps_score';
COMMENT ON FUNCTION @extschema@.nps_score_ge(@extschema@.nps_score, @extschema@.nps_score) IS 'implementation of >= for nps_score';
COMMENT ON FUNCTION @extschema@.nps_score_cmp(@extschema@.nps_score, @extschema@.nps_score) IS 'btree comparison support for nps_score';
COMMENT ON FUNCTION @extschema@.nps_score_hash(@extschema@.nps_score) IS 'hash support for nps_score';
COMMENT ON FUNCTION @extschema@.nps_score_hash_extended(@extschema@.nps_score, bigint) IS 'seeded 64-bit hash support for nps_score';

CREATE OPERATOR @extschema@.= (
	LEFTARG = @extschema@.nps_score, RIGHTARG = @extschema@.nps_score,
	FUNCTION = @extschema@.nps_score_eq,
	COMMUTATOR = OPERATOR(@extschema@.=), NEGATOR = OPERATOR(@extschema@.<>),
	RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES
);
CREATE OPERATOR @extschema@.<> (
	LEFTARG = @extschema@.nps_score, RIGHTARG = @extschema@.nps_score,
	FUNCTION = @extschema@.nps_score_ne,
	COMMUTATOR = OPERATOR(@extschema@.<>), NEGATOR = OPERATOR(@extschema@.=),
	RESTRICT = neqsel, JOIN = neqjoinsel
);
CREATE OPERATOR @extschema@.< (
	LEFTARG = @extschema@.nps_score, RIGHTARG = @extschema@.nps_score,
	FUNCTION = @extschema@.nps_score_lt,
	COMMUTATOR = OPERATOR(@extschema@.>), NEGATOR = OPERATOR(@extschema@.>=),
	RESTRICT = scalarltsel, JOIN = scalarltjoinsel
);
CREATE OPERATOR @extschema@.<= (
	LEFTARG = @extschema@.nps_score, RIGHTARG = @extschema@.nps_score,
	FUNCTION = @extschema@.nps_score_le,
	COMMUTATOR = OPERATOR(@extschema@.>=), NEGATOR = OPERATOR(@extschema@.>),
	RESTRICT = scalarlesel, JOIN = scalarlejoinsel
);
CREATE OPERATOR @extschema@.> (
	LEFTARG = @extschema@.nps_score, RIGHTARG = @extschema@.nps_score,
	FUNCTION = @extschema@.nps_score_gt,
	COMMUTATOR = OPERATOR(@extschema@.<), NEGATOR = OPERATOR(@extschema@.<=),
	RESTRICT = scalargtsel, JOIN = scalargtjoinsel
);
CREATE OPERATOR @extschema@.>= (
	LEFTARG = @extschema@.nps_score, RIGHTARG = @extschema@.nps_score,
	FUNCTION = @extschema@.nps_score_ge,
	COMMUTATOR = OPERATOR(@extschema@.<=), NEGATOR = OPERATOR(@extschema@.<),
	RESTRICT = scalargesel, JOIN = scalargejoinsel
);

COMMENT ON OPERATOR @extschema@.= (@extschema@.nps_score, @extschema@.nps_score) IS 'equal';
COMMENT ON OPERATOR @extschema@.<> (@extschema@.nps_score, @extschema@.nps_score) IS 'not equal';
COMMENT ON OPERATOR @extschema@.< (@extschema@.nps_score, @extschema@.nps_score) IS 'less than';
COMMENT ON OPERATOR @extschema@.<= (@extschema@.nps_score, @extschema@.nps_score) IS 'less than or equal';
COMMENT ON OPERATOR @extschema@.> (@extschema@.nps_score, @extschema@.nps_score) IS 'greater than';
COMMENT ON OPERATOR @extschema@.>= (@extschema@.nps_score, @extschema@.nps_score) IS 'greater than or equal';

CREATE OPERATOR CLASS @extschema@.nps_score_ops
	DEFAULT FOR TYPE @extschema@.nps_score USING btree AS
	OPERATOR 1 @extschema@.<,
	OPERATOR 2 @extschema@.<=,
	OPERATOR 3 @extschema@.=,
	OPERATOR 4 @extschema@.>=,
	OPERATOR 5 @extschema@.>,
	FUNCTION 1 @extschema@.nps_score_cmp(@extschema@.nps_score, @extschema@.nps_score);

CREATE OPERATOR CLASS @extschema@.nps_score_ops
	DEFAULT FOR TYPE @extschema@.nps_score USING hash AS
	OPERATOR 1 @extschema@.=,
	FUNCTION 1 @extschema@.nps_score_hash(@extschema@.nps_score),
	FUNCTION 2 @extschema@.nps_score_hash_extended(@extschema@.nps_score, bigint);

COMMENT ON OPERATOR CLASS @extschema@.nps_score_ops USING btree IS 'default btree operator class for nps_score';
COMMENT ON OPERATOR FAMILY @extschema@.nps_score_ops USING btree IS 'btree operator family for nps_score';
COMMENT ON OPERATOR CLASS @extschema@.nps_score_ops USING hash IS 'default hash operator class for nps_score';
COMMENT ON OPERATOR FAMILY @extschema@.nps_score_ops USING hash IS 'hash operator family for nps_score';

-- nps_class: detractor (0-6), passive (7-8), promoter (9-10).
CREATE TYPE @extschema@.nps_class AS ENUM ('detractor', 'passive', 'promoter');
COMMENT ON TYPE @extschema@.nps_class IS 'NPS class of an answer: detractor (0-6), passive (7-8), promoter (9-10)';

CREATE FUNCTION @extschema@.nps_class(@extschema@.nps_score) RETURNS @extschema@.nps_class
	AS 'MODULE_PATHNAME', 'mycc_nps_class' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.nps_class(integer) RETURNS @extschema@.nps_class
	AS 'MODULE_PATHNAME', 'mycc_nps_class_int4' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.nps_class(@extschema@.nps_score) IS 'the class of an answer: detractor (0-6), passive (7-8) or promoter (9-10)';
COMMENT ON FUNCTION @extschema@.nps_class(integer) IS 'the class of an integer answer (0..10, range-checked)';

-- nps_state: mergeable counts of promoters, passives and detractors.
CREATE TYPE @extschema@.nps_state;

CREATE FUNCTION @extschema@.nps_state_in(cstring) RETURNS @extschema@.nps_state
	AS 'MODULE_PATHNAME', 'mycc_nps_state_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.nps_state_out(@extschema@.nps_state) RETURNS cstring
	AS 'MODULE_PATHNAME', 'mycc_nps_state_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.nps_state_recv(internal) RETURNS @extschema@.nps_state
	AS 'MODULE_PATHNAME', 'mycc_nps_state_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.nps_state_send(@extschema@.nps_state) RETURNS bytea
	AS 'MODULE_PATHNAME', 'mycc_nps_state_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE @extschema@.nps_state (
	INPUT = @extschema@.nps_state_in,
	OUTPUT = @extschema@.nps_state_out,
	RECEIVE = @extschema@.nps_state_recv,
	SEND = @extschema@.nps_state_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = plain
);

COMMENT ON TYPE @extschema@.nps_state IS 'mergeable NPS aggregate state: counts of promoters, passives and detractors, written (promoters,passives,detractors)';
COMMENT ON FUNCTION @extschema@.nps_state_in(cstring) IS 'text input of nps_state: (promoters,passives,detractors)';
COMMENT ON FUNCTION @extschema@.nps_state_out(@extschema@.nps_state) IS 'text output of nps_state';
COMMENT ON FUNCTION @extschema@.nps_state_recv(internal) IS 'binary input of nps_state';
COMMENT ON FUNCTION @extschema@.nps_state_send(@extschema@.nps_state) IS 'binary output of nps_state';

CREATE FUNCTION @extschema@.nps_state(promoters bigint, passives bigint, detractors bigint) RETURNS @extschema@.nps_state
	AS 'MODULE_PATHNAME', 'mycc_nps_state_make' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.nps_state(bigint, bigint, bigint) IS 'an nps_state from counts of promoters, passives and detractors';

-- Aggregate support.
CREATE FUNCTION @extschema@.nps_accum(@extschema@.nps_state, @extschema@.nps_score) RETURNS @extschema@.nps_state
	AS 'MODULE_PATHNAME', 'mycc_nps_accum' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.nps_accum(@extschema@.nps_state, integer) RETURNS @extschema@.nps_state
	AS 'MODULE_PATHNAME', 'mycc_nps_accum_int4' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.nps_deaccum(@extschema@.nps_state, @extschema@.nps_score) RETURNS @extschema@.nps_state
	AS 'MODULE_PATHNAME', 'mycc_nps_deaccum' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.nps_deaccum(@extschema@.nps_state, integer) RETURNS @extschema@.nps_state
	AS 'MODULE_PATHNAME', 'mycc_nps_deaccum_int4' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.nps_combine(@extschema@.nps_state, @extschema@.nps_state) RETURNS @extschema@.nps_state
	AS 'MODULE_PATHNAME', 'mycc_nps_combine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.nps_uncombine(@extschema@.nps_state, @extschema@.nps_state) RETURNS @extschema@.nps_state
	AS 'MODULE_PATHNAME', 'mycc_nps_uncombine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION @extschema@.nps_accum(@extschema@.nps_state, @extschema@.nps_score) IS 'NPS aggregate transition: the state with one more answer';
COMMENT ON FUNCTION @extschema@.nps_accum(@extschema@.nps_state, integer) IS 'NPS aggregate transition: the state with one more answer (integer, range-checked)';
COMMENT ON FUNCTION @extschema@.nps_deaccum(@extschema@.nps_state, @extschema@.nps_score) IS 'NPS moving-aggregate inverse: the state with one answer fewer';
COMMENT ON FUNCTION @extschema@.nps_deaccum(@extschema@.nps_state, integer) IS 'NPS moving-aggregate inverse: the state with one answer fewer (integer)';
COMMENT ON FUNCTION @extschema@.nps_combine(@extschema@.nps_state, @extschema@.nps_state) IS 'the sum of two NPS states (aggregate combine function)';
COMMENT ON FUNCTION @extschema@.nps_uncombine(@extschema@.nps_state, @extschema@.nps_state) IS 'the first NPS state less the second (moving nps_merge inverse)';

CREATE OPERATOR @extschema@.+ (
	LEFTARG = @extschema@.nps_state, RIGHTARG = @extschema@.nps_state,
	FUNCTION = @extschema@.nps_combine,
	COMMUTATOR = OPERATOR(@extschema@.+)
);
COMMENT ON OPERATOR @extschema@.+ (@extschema@.nps_state, @extschema@.nps_state) IS 'merge two NPS states';

-- Accessors and statistics.
CREATE FUNCTION @extschema@.nps(@extschema@.nps_state) RETURNS double precision
	AS 'MODULE_PATHNAME', 'mycc_nps_score_of_state' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.nps_promoters(@extschema@.nps_state) RETURNS bigint
	AS 'MODULE_PATHNAME', 'mycc_nps_promoters' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.nps_passives(@extschema@.nps_state) RETURNS bigint
	AS 'MODULE_PATHNAME', 'mycc_nps_passives' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.nps_detractors(@extschema@.nps_state) RETURNS bigint
	AS 'MODULE_PATHNAME', 'mycc_nps_detractors' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.nps_count(@extschema@.nps_state) RETURNS bigint
	AS 'MODULE_PATHNAME', 'mycc_nps_count' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.nps_stderr(@extschema@.nps_state) RETURNS double precision
	AS 'MODULE_PATHNAME', 'mycc_nps_stderr' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.nps_moe(@extschema@.nps_state, confidence double precision DEFAULT 0.95) RETURNS double precision
	AS 'MODULE_PATHNAME', 'mycc_nps_moe' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.nps_ci(@extschema@.nps_state, confidence double precision DEFAULT 0.95,
		OUT low double precision, OUT high double precision)
	AS 'MODULE_PATHNAME', 'mycc_nps_ci' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.nps_compare(a @extschema@.nps_state, b @extschema@.nps_state,
		OUT difference double precision, OUT z double precision, OUT p_value double precision)
	AS 'MODULE_PATHNAME', 'mycc_nps_compare' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.nps_sample_size(margin double precision, confidence double precision DEFAULT 0.95,
		p double precision DEFAULT 0.5, d double precision DEFAULT 0.5) RETURNS integer
	AS 'MODULE_PATHNAME', 'mycc_nps_sample_size' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION @extschema@.nps(@extschema@.nps_state) IS 'Net Promoter Score of a state: 100 (promoters - detractors) / answers; NULL when empty';
COMMENT ON FUNCTION @extschema@.nps_promoters(@extschema@.nps_state) IS 'number of promoters (9-10) in a state';
COMMENT ON FUNCTION @extschema@.nps_passives(@extschema@.nps_state) IS 'number of passives (7-8) in a state';
COMMENT ON FUNCTION @extschema@.nps_detractors(@extschema@.nps_state) IS 'number of detractors (0-6) in a state';
COMMENT ON FUNCTION @extschema@.nps_count(@extschema@.nps_state) IS 'number of answers in a state';
COMMENT ON FUNCTION @extschema@.nps_stderr(@extschema@.nps_state) IS 'standard error of the NPS in points: 100 sqrt((p + d - (p - d)^2) / n)';
COMMENT ON FUNCTION @extschema@.nps_moe(@extschema@.nps_state, double precision) IS 'margin of error of the NPS in points at a confidence level (default 0.95)';
COMMENT ON FUNCTION @extschema@.nps_ci(@extschema@.nps_state, double precision) IS 'confidence interval (low, high) of the NPS, clamped to [-100, 100]';
COMMENT ON FUNCTION @extschema@.nps_compare(@extschema@.nps_state, @extschema@.nps_state) IS 'two-sided test of a difference in NPS between independent samples: (difference, z, p_value)';
COMMENT ON FUNCTION @extschema@.nps_sample_size(double precision, double precision, double precision, double precision) IS 'answers needed for a margin of error (points) at a confidence level, for expected promoter and detractor shares';

-- Aggregates: a real state type with combine and moving-aggregate support.
CREATE AGGREGATE @extschema@.nps(@extschema@.nps_score) (
	SFUNC = @extschema@.nps_accum, STYPE = @extschema@.nps_state, INITCOND = '(0,0,0)',
	FINALFUNC = @extschema@.nps, COMBINEFUNC = @extschema@.nps_combine,
	MSFUNC = @extschema@.nps_accum, MINVFUNC = @extschema@.nps_deaccum,
	MSTYPE = @extschema@.nps_state, MINITCOND = '(0,0,0)', MFINALFUNC = @extschema@.nps,
	PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.nps(integer) (
	SFUNC = @extschema@.nps_accum, STYPE = @extschema@.nps_state, INITCOND = '(0,0,0)',
	FINALFUNC = @extschema@.nps, COMBINEFUNC = @extschema@.nps_combine,
	MSFUNC = @extschema@.nps_accum, MINVFUNC = @extschema@.nps_deaccum,
	MSTYPE = @extschema@.nps_state, MINITCOND = '(0,0,0)', MFINALFUNC = @extschema@.nps,
	PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.nps_agg(@extschema@.nps_score) (
	SFUNC = @extschema@.nps_accum, STYPE = @extschema@.nps_state, INITCOND = '(0,0,0)',
	COMBINEFUNC = @extschema@.nps_combine,
	MSFUNC = @extschema@.nps_accum, MINVFUNC = @extschema@.nps_deaccum,
	MSTYPE = @extschema@.nps_state, MINITCOND = '(0,0,0)',
	PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.nps_agg(integer) (
	SFUNC = @extschema@.nps_accum, STYPE = @extschema@.nps_state, INITCOND = '(0,0,0)',
	COMBINEFUNC = @extschema@.nps_combine,
	MSFUNC = @extschema@.nps_accum, MINVFUNC = @extschema@.nps_deaccum,
	MSTYPE = @extschema@.nps_state, MINITCOND = '(0,0,0)',
	PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.nps_merge(@extschema@.nps_state) (
	SFUNC = @extschema@.nps_combine, STYPE = @extschema@.nps_state, INITCOND = '(0,0,0)',
	COMBINEFUNC = @extschema@.nps_combine,
	MSFUNC = @extschema@.nps_combine, MINVFUNC = @extschema@.nps_uncombine,
	MSTYPE = @extschema@.nps_state, MINITCOND = '(0,0,0)',
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE @extschema@.nps(@extschema@.nps_score) IS 'Net Promoter Score of the answers, -100..100; NULL for no rows';
COMMENT ON AGGREGATE @extschema@.nps(integer) IS 'Net Promoter Score of integer answers (0..10, range-checked); NULL for no rows';
COMMENT ON AGGREGATE @extschema@.nps_agg(@extschema@.nps_score) IS 'mergeable NPS state of the answers';
COMMENT ON AGGREGATE @extschema@.nps_agg(integer) IS 'mergeable NPS state of integer answers (0..10, range-checked)';
COMMENT ON AGGREGATE @extschema@.nps_merge(@extschema@.nps_state) IS 'the sum of stored NPS states (rollups)';
