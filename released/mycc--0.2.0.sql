\echo Use "CREATE EXTENSION mycc" to load this file. \quit

-- mycc install script, generated from src/sql/*.sql parts in the order the
-- Makefile lists them.  Every reference is schema-qualified; nothing is
-- CREATE OR REPLACE'd.

-- The schema: CREATE EXTENSION creates it, or uses one that exists already,
-- whoever owns it and whatever it holds.  A schema prepared by another role
-- would let that role plant functions and operators among ours (a closer
-- overload of a mycc function, bound by our own column defaults and views
-- or found by users' queries) and drop our objects later, so it is refused
-- unless a superuser owns it, it is empty and only superusers may create
-- objects in it (docs/operations.md#hostile-schemas).
DO $$
DECLARE
	nsp pg_catalog.oid := pg_catalog.to_regnamespace('@extschema@');
	owner_name pg_catalog.name;
	owner_super boolean;
	creator pg_catalog.text;
BEGIN
	SELECT r.rolname, r.rolsuper INTO owner_name, owner_super
	FROM pg_catalog.pg_namespace AS n JOIN pg_catalog.pg_roles AS r ON r.oid OPERATOR(pg_catalog.=) n.nspowner
	WHERE n.oid OPERATOR(pg_catalog.=) nsp;
	IF NOT owner_super THEN
		RAISE EXCEPTION 'schema "@extschema@" is owned by role "%", which is not a superuser', owner_name
			USING ERRCODE = '42501',
			DETAIL = 'The owner of mycc''s schema could replace what mycc installs in it.',
			HINT = 'Drop the schema, or make a superuser its owner, before CREATE EXTENSION mycc.';
	END IF;
	IF EXISTS (SELECT FROM pg_catalog.pg_depend AS d
			WHERE d.refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_namespace'::pg_catalog.regclass
				AND d.refobjid OPERATOR(pg_catalog.=) nsp
				AND d.classid OPERATOR(pg_catalog.<>) 'pg_catalog.pg_extension'::pg_catalog.regclass) THEN
		RAISE EXCEPTION 'schema "@extschema@" is not empty'
			USING ERRCODE = '42P06',
			DETAIL = 'Objects created in mycc''s schema before mycc could take the place of mycc''s own.',
			HINT = 'Move or drop them, then CREATE EXTENSION mycc again.';
	END IF;
	SELECT pg_catalog.string_agg(CASE WHEN a.grantee OPERATOR(pg_catalog.=) 0 THEN 'PUBLIC'
			ELSE pg_catalog.quote_ident(r.rolname::pg_catalog.text) END, ', ')
	INTO creator
	FROM pg_catalog.pg_namespace AS n
	CROSS JOIN LATERAL pg_catalog.aclexplode(n.nspacl) AS a
	LEFT JOIN pg_catalog.pg_roles AS r ON r.oid OPERATOR(pg_catalog.=) a.grantee
	WHERE n.oid OPERATOR(pg_catalog.=) nsp
		AND a.privilege_type OPERATOR(pg_catalog.=) 'CREATE'
		AND NOT COALESCE(r.rolsuper, false);
	IF creator IS NOT NULL THEN
		RAISE EXCEPTION 'schema "@extschema@" grants CREATE to %', creator
			USING ERRCODE = '42501',
			DETAIL = 'Roles that may create objects in mycc''s schema could plant functions and operators among mycc''s.',
			HINT = 'REVOKE CREATE ON SCHEMA @extschema@ from them before CREATE EXTENSION mycc.';
	END IF;
END
$$;

-- The types and pure functions are for everyone, like pg_catalog's; the
-- tables and views grant nothing until a DBA does (docs/operations.md).
GRANT USAGE ON SCHEMA @extschema@ TO PUBLIC;

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

-- ---------------------------------------------------------------------------
-- tier: customer tiers and their service policy (design.md section 2;
-- docs/tiers.md)
-- ---------------------------------------------------------------------------

CREATE TYPE @extschema@.service_mode AS ENUM ('dedicated', 'instant', 'deferred', 'self_service');
COMMENT ON TYPE @extschema@.service_mode IS 'how a tier is served: dedicated account manager, instant channels, deferred answers, or self service';

CREATE SEQUENCE @extschema@.tier_id_seq AS smallint MINVALUE 1;
COMMENT ON SEQUENCE @extschema@.tier_id_seq IS 'ids of mycc.tier';

CREATE TABLE @extschema@.tier (
	id smallint NOT NULL DEFAULT pg_catalog.nextval('@extschema@.tier_id_seq'::pg_catalog.regclass),
	name text NOT NULL,
	aliases text[] NOT NULL DEFAULT '{}',
	rank double precision NOT NULL,
	service_mode @extschema@.service_mode NOT NULL,
	queue_priority integer NOT NULL DEFAULT 0,
	first_response_target interval NOT NULL,
	min_value numeric NOT NULL DEFAULT 0,
	revenue_share double precision,
	seeded boolean NOT NULL DEFAULT false,
	CONSTRAINT tier_pkey PRIMARY KEY (id),
	CONSTRAINT tier_rank_key UNIQUE (rank),
	CONSTRAINT tier_id_positive CHECK (id OPERATOR(pg_catalog.>) 0),
	CONSTRAINT tier_rank_finite CHECK (rank OPERATOR(pg_catalog.>) '-Infinity'::double precision
		AND rank OPERATOR(pg_catalog.<) 'Infinity'::double precision),
	CONSTRAINT tier_min_value_valid CHECK (min_value OPERATOR(pg_catalog.>=) 0::numeric
		AND min_value OPERATOR(pg_catalog.<>) 'NaN'::numeric),
	CONSTRAINT tier_revenue_share_range CHECK (revenue_share OPERATOR(pg_catalog.>) 0::double precision
		AND revenue_share OPERATOR(pg_catalog.<=) 1::double precision),
	CONSTRAINT tier_first_response_positive CHECK (first_response_target OPERATOR(pg_catalog.>) '0'::interval)
);
ALTER SEQUENCE @extschema@.tier_id_seq OWNED BY @extschema@.tier.id;

COMMENT ON TABLE @extschema@.tier IS 'customer tiers: the value pyramid and each level''s service policy';
COMMENT ON COLUMN @extschema@.tier.id IS 'stable id stored in customer_tier values; never changes';
COMMENT ON COLUMN @extschema@.tier.name IS 'the name customer_tier values print; may be renamed';
COMMENT ON COLUMN @extschema@.tier.aliases IS 'other names accepted on input (e.g. Chinese names), matched like the name';
COMMENT ON COLUMN @extschema@.tier.rank IS 'order of tiers, higher is more valuable; frozen once created';
COMMENT ON COLUMN @extschema@.tier.service_mode IS 'how customers of the tier are served';
COMMENT ON COLUMN @extschema@.tier.queue_priority IS 'base queue priority of their contacts; higher is served first';
COMMENT ON COLUMN @extschema@.tier.first_response_target IS 'target time to the first response';
COMMENT ON COLUMN @extschema@.tier.min_value IS 'lifetime value at which a customer enters the tier (tier_for_value)';
COMMENT ON COLUMN @extschema@.tier.revenue_share IS 'cut-off on the cumulative revenue curve (pareto_tier); NULL: not a Pareto tier';
COMMENT ON COLUMN @extschema@.tier.seeded IS 'true for a tier the extension installed and nobody has changed';

-- Tombstones of deleted tiers.  Btree indexes on customer_tier columns may
-- hold a deleted tier's id long after its last row is gone (dead leaf
-- tuples until VACUUM, pivot keys of internal pages for ever), and compare
-- new keys with it by rank: the rank of every id ever used must stay known,
-- and no new tier may take a retired id or rank.
CREATE TABLE @extschema@.tier_retired (
	id smallint NOT NULL,
	rank double precision NOT NULL,
	name text NOT NULL,
	retired_at timestamp with time zone NOT NULL DEFAULT pg_catalog.now(),
	CONSTRAINT tier_retired_pkey PRIMARY KEY (id),
	CONSTRAINT tier_retired_rank_key UNIQUE (rank),
	CONSTRAINT tier_retired_id_positive CHECK (id OPERATOR(pg_catalog.>) 0),
	CONSTRAINT tier_retired_rank_finite CHECK (rank OPERATOR(pg_catalog.>) '-Infinity'::double precision
		AND rank OPERATOR(pg_catalog.<) 'Infinity'::double precision)
);
COMMENT ON TABLE @extschema@.tier_retired IS 'tombstones of deleted tiers: indexes may still hold their ids, so their ranks stay known and are never reused';
COMMENT ON COLUMN @extschema@.tier_retired.id IS 'the deleted tier''s id; no new tier may take it';
COMMENT ON COLUMN @extschema@.tier_retired.rank IS 'the deleted tier''s rank: orders its id in indexes; no new tier may take it';
COMMENT ON COLUMN @extschema@.tier_retired.name IS 'the deleted tier''s last name, for messages and output (input does not accept it)';
COMMENT ON COLUMN @extschema@.tier_retired.retired_at IS 'when the tier was deleted';

-- The type.
CREATE TYPE @extschema@.customer_tier;

CREATE FUNCTION @extschema@.customer_tier_in(cstring) RETURNS @extschema@.customer_tier
	AS 'MODULE_PATHNAME', 'mycc_customer_tier_in' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.customer_tier_out(@extschema@.customer_tier) RETURNS cstring
	AS 'MODULE_PATHNAME', 'mycc_customer_tier_out' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.customer_tier_recv(internal) RETURNS @extschema@.customer_tier
	AS 'MODULE_PATHNAME', 'mycc_customer_tier_recv' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.customer_tier_send(@extschema@.customer_tier) RETURNS bytea
	AS 'MODULE_PATHNAME', 'mycc_customer_tier_send' LANGUAGE C STABLE STRICT PARALLEL SAFE;

CREATE TYPE @extschema@.customer_tier (
	INPUT = @extschema@.customer_tier_in,
	OUTPUT = @extschema@.customer_tier_out,
	RECEIVE = @extschema@.customer_tier_recv,
	SEND = @extschema@.customer_tier_send,
	INTERNALLENGTH = 2,
	PASSEDBYVALUE,
	ALIGNMENT = int2,
	STORAGE = plain
);

COMMENT ON TYPE @extschema@.customer_tier IS 'a customer tier of mycc.tier: stored as its id, printed as its name, ordered by its rank';
COMMENT ON FUNCTION @extschema@.customer_tier_in(cstring) IS 'text input of customer_tier: a tier name or alias, case-insensitive';
COMMENT ON FUNCTION @extschema@.customer_tier_out(@extschema@.customer_tier) IS 'text output of customer_tier: the tier''s name';
COMMENT ON FUNCTION @extschema@.customer_tier_recv(internal) IS 'binary input of customer_tier: the name as text';
COMMENT ON FUNCTION @extschema@.customer_tier_send(@extschema@.customer_tier) IS 'binary output of customer_tier: the name as text';

CREATE FUNCTION @extschema@.tier_id(@extschema@.customer_tier) RETURNS smallint
	AS 'MODULE_PATHNAME', 'mycc_tier_id' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.tier_id(@extschema@.customer_tier) IS 'the stable id (mycc.tier.id) a customer_tier value stores';

-- Comparison by rank; btree and hash.
CREATE FUNCTION @extschema@.customer_tier_eq(@extschema@.customer_tier, @extschema@.customer_tier) RETURNS boolean
	AS 'MODULE_PATHNAME', 'mycc_customer_tier_eq' LANGUAGE C IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
CREATE FUNCTION @extschema@.customer_tier_ne(@extschema@.customer_tier, @extschema@.customer_tier) RETURNS boolean
	AS 'MODULE_PATHNAME', 'mycc_customer_tier_ne' LANGUAGE C IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
CREATE FUNCTION @extschema@.customer_tier_lt(@extschema@.customer_tier, @extschema@.customer_tier) RETURNS boolean
	AS 'MODULE_PATHNAME', 'mycc_customer_tier_lt' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.customer_tier_le(@extschema@.customer_tier, @extschema@.customer_tier) RETURNS boolean
	AS 'MODULE_PATHNAME', 'mycc_customer_tier_le' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.customer_tier_gt(@extschema@.customer_tier, @extschema@.customer_tier) RETURNS boolean
	AS 'MODULE_PATHNAME', 'mycc_customer_tier_gt' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.customer_tier_ge(@extschema@.customer_tier, @extschema@.customer_tier) RETURNS boolean
	AS 'MODULE_PATHNAME', 'mycc_customer_tier_ge' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.customer_tier_cmp(@extschema@.customer_tier, @extschema@.customer_tier) RETURNS integer
	AS 'MODULE_PATHNAME', 'mycc_customer_tier_cmp' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.customer_tier_hash(@extschema@.customer_tier) RETURNS integer
	AS 'MODULE_PATHNAME', 'mycc_customer_tier_hash' LANGUAGE C IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
CREATE FUNCTION @extschema@.customer_tier_hash_extended(@extschema@.customer_tier, bigint) RETURNS bigint
	AS 'MODULE_PATHNAME', 'mycc_customer_tier_hash_extended' LANGUAGE C IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
CREATE FUNCTION @extschema@.customer_tier_smaller(@extschema@.customer_tier, @extschema@.customer_tier) RETURNS @extschema@.customer_tier
	AS 'MODULE_PATHNAME', 'mycc_customer_tier_smaller' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.customer_tier_larger(@extschema@.customer_tier, @extschema@.customer_tier) RETURNS @extschema@.customer_tier
	AS 'MODULE_PATHNAME', 'mycc_customer_tier_larger' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION @extschema@.customer_tier_eq(@extschema@.customer_tier, @extschema@.customer_tier) IS 'implementation of = for customer_tier';
COMMENT ON FUNCTION @extschema@.customer_tier_ne(@extschema@.customer_tier, @extschema@.customer_tier) IS 'implementation of <> for customer_tier';
COMMENT ON FUNCTION @extschema@.customer_tier_lt(@extschema@.customer_tier, @extschema@.customer_tier) IS 'implementation of < for customer_tier (by rank)';
COMMENT ON FUNCTION @extschema@.customer_tier_le(@extschema@.customer_tier, @extschema@.customer_tier) IS 'implementation of <= for customer_tier (by rank)';
COMMENT ON FUNCTION @extschema@.customer_tier_gt(@extschema@.customer_tier, @extschema@.customer_tier) IS 'implementation of > for customer_tier (by rank)';
COMMENT ON FUNCTION @extschema@.customer_tier_ge(@extschema@.customer_tier, @extschema@.customer_tier) IS 'implementation of >= for customer_tier (by rank)';
COMMENT ON FUNCTION @extschema@.customer_tier_cmp(@extschema@.customer_tier, @extschema@.customer_tier) IS 'btree comparison support for customer_tier (by rank)';
COMMENT ON FUNCTION @extschema@.customer_tier_hash(@extschema@.customer_tier) IS 'hash support for customer_tier';
COMMENT ON FUNCTION @extschema@.customer_tier_hash_extended(@extschema@.customer_tier, bigint) IS 'seeded 64-bit hash support for customer_tier';
COMMENT ON FUNCTION @extschema@.customer_tier_smaller(@extschema@.customer_tier, @extschema@.customer_tier) IS 'the lower-ranked of two tiers (min support)';
COMMENT ON FUNCTION @extschema@.customer_tier_larger(@extschema@.customer_tier, @extschema@.customer_tier) IS 'the higher-ranked of two tiers (max support)';

CREATE OPERATOR @extschema@.= (
	LEFTARG = @extschema@.customer_tier, RIGHTARG = @extschema@.customer_tier,
	FUNCTION = @extschema@.customer_tier_eq,
	COMMUTATOR = OPERATOR(@extschema@.=), NEGATOR = OPERATOR(@extschema@.<>),
	RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES
);
CREATE OPERATOR @extschema@.<> (
	LEFTARG = @extschema@.customer_tier, RIGHTARG = @extschema@.customer_tier,
	FUNCTION = @extschema@.customer_tier_ne,
	COMMUTATOR = OPERATOR(@extschema@.<>), NEGATOR = OPERATOR(@extschema@.=),
	RESTRICT = neqsel, JOIN = neqjoinsel
);
CREATE OPERATOR @extschema@.< (
	LEFTARG = @extschema@.customer_tier, RIGHTARG = @extschema@.customer_tier,
	FUNCTION = @extschema@.customer_tier_lt,
	COMMUTATOR = OPERATOR(@extschema@.>), NEGATOR = OPERATOR(@extschema@.>=),
	RESTRICT = scalarltsel, JOIN = scalarltjoinsel
);
CREATE OPERATOR @extschema@.<= (
	LEFTARG = @extschema@.customer_tier, RIGHTARG = @extschema@.customer_tier,
	FUNCTION = @extschema@.customer_tier_le,
	COMMUTATOR = OPERATOR(@extschema@.>=), NEGATOR = OPERATOR(@extschema@.>),
	RESTRICT = scalarlesel, JOIN = scalarlejoinsel
);
CREATE OPERATOR @extschema@.> (
	LEFTARG = @extschema@.customer_tier, RIGHTARG = @extschema@.customer_tier,
	FUNCTION = @extschema@.customer_tier_gt,
	COMMUTATOR = OPERATOR(@extschema@.<), NEGATOR = OPERATOR(@extschema@.<=),
	RESTRICT = scalargtsel, JOIN = scalargtjoinsel
);
CREATE OPERATOR @extschema@.>= (
	LEFTARG = @extschema@.customer_tier, RIGHTARG = @extschema@.customer_tier,
	FUNCTION = @extschema@.customer_tier_ge,
	COMMUTATOR = OPERATOR(@extschema@.<=), NEGATOR = OPERATOR(@extschema@.<),
	RESTRICT = scalargesel, JOIN = scalargejoinsel
);

COMMENT ON OPERATOR @extschema@.= (@extschema@.customer_tier, @extschema@.customer_tier) IS 'same tier';
COMMENT ON OPERATOR @extschema@.<> (@extschema@.customer_tier, @extschema@.customer_tier) IS 'different tiers';
COMMENT ON OPERATOR @extschema@.< (@extschema@.customer_tier, @extschema@.customer_tier) IS 'lower rank';
COMMENT ON OPERATOR @extschema@.<= (@extschema@.customer_tier, @extschema@.customer_tier) IS 'lower or same rank';
COMMENT ON OPERATOR @extschema@.> (@extschema@.customer_tier, @extschema@.customer_tier) IS 'higher rank';
COMMENT ON OPERATOR @extschema@.>= (@extschema@.customer_tier, @extschema@.customer_tier) IS 'higher or same rank';

CREATE OPERATOR CLASS @extschema@.customer_tier_ops
	DEFAULT FOR TYPE @extschema@.customer_tier USING btree AS
	OPERATOR 1 @extschema@.<,
	OPERATOR 2 @extschema@.<=,
	OPERATOR 3 @extschema@.=,
	OPERATOR 4 @extschema@.>=,
	OPERATOR 5 @extschema@.>,
	FUNCTION 1 @extschema@.customer_tier_cmp(@extschema@.customer_tier, @extschema@.customer_tier);

CREATE OPERATOR CLASS @extschema@.customer_tier_ops
	DEFAULT FOR TYPE @extschema@.customer_tier USING hash AS
	OPERATOR 1 @extschema@.=,
	FUNCTION 1 @extschema@.customer_tier_hash(@extschema@.customer_tier),
	FUNCTION 2 @extschema@.customer_tier_hash_extended(@extschema@.customer_tier, bigint);

COMMENT ON OPERATOR CLASS @extschema@.customer_tier_ops USING btree IS 'default btree operator class for customer_tier (rank order)';
COMMENT ON OPERATOR FAMILY @extschema@.customer_tier_ops USING btree IS 'btree operator family for customer_tier';
COMMENT ON OPERATOR CLASS @extschema@.customer_tier_ops USING hash IS 'default hash operator class for customer_tier';
COMMENT ON OPERATOR FAMILY @extschema@.customer_tier_ops USING hash IS 'hash operator family for customer_tier';

CREATE AGGREGATE @extschema@.min(@extschema@.customer_tier) (
	SFUNC = @extschema@.customer_tier_smaller, STYPE = @extschema@.customer_tier,
	COMBINEFUNC = @extschema@.customer_tier_smaller, SORTOP = OPERATOR(@extschema@.<),
	PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.max(@extschema@.customer_tier) (
	SFUNC = @extschema@.customer_tier_larger, STYPE = @extschema@.customer_tier,
	COMBINEFUNC = @extschema@.customer_tier_larger, SORTOP = OPERATOR(@extschema@.>),
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.min(@extschema@.customer_tier) IS 'the lowest-ranked tier';
COMMENT ON AGGREGATE @extschema@.max(@extschema@.customer_tier) IS 'the highest-ranked tier';

-- Tiering by value and the policy of a tier.
CREATE FUNCTION @extschema@.tier_for_value(numeric) RETURNS @extschema@.customer_tier
	AS 'MODULE_PATHNAME', 'mycc_tier_for_value' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.tier_for_value(numeric) IS 'the highest tier whose min_value the lifetime value reaches (the lowest tier below every threshold)';

CREATE FUNCTION @extschema@.pareto_tier(numeric) RETURNS @extschema@.customer_tier
	AS 'MODULE_PATHNAME', 'mycc_pareto_tier' LANGUAGE C STABLE WINDOW PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.pareto_tier(numeric) IS 'window function, OVER (ORDER BY value DESC): the tier by place on the cumulative revenue curve (revenue_share cut-offs); ties share a tier';

CREATE FUNCTION @extschema@.service_mode(@extschema@.customer_tier) RETURNS @extschema@.service_mode
	AS 'MODULE_PATHNAME', 'mycc_service_mode' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.service_mode(@extschema@.customer_tier) IS 'how the tier is served';

CREATE FUNCTION @extschema@.tier_priority(@extschema@.customer_tier) RETURNS integer
	AS 'MODULE_PATHNAME', 'mycc_tier_priority' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.tier_priority(@extschema@.customer_tier) IS 'the tier''s base queue priority';

CREATE FUNCTION @extschema@.tier_policy(@extschema@.customer_tier) RETURNS @extschema@.tier
	LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	policy @extschema@.tier;
	retired_name text;
BEGIN
	SELECT * INTO policy FROM @extschema@.tier AS t WHERE t.id OPERATOR(pg_catalog.=) @extschema@.tier_id($1);
	IF NOT FOUND THEN
		SELECT r.name INTO retired_name FROM @extschema@.tier_retired AS r WHERE r.id OPERATOR(pg_catalog.=) @extschema@.tier_id($1);
		IF FOUND THEN
			RAISE EXCEPTION 'customer_tier with id % is the retired tier "%"', @extschema@.tier_id($1), retired_name
				USING ERRCODE = '42704',
				DETAIL = 'The tier was deleted; mycc.tier_retired keeps only its id, rank and name.',
				HINT = 'Move the value to a tier of mycc.tier.';
		END IF;
		-- As service_mode() and tier_priority() do: 42704, not a NULL row.
		RAISE EXCEPTION 'customer_tier with id % does not exist', @extschema@.tier_id($1)
			USING ERRCODE = '42704', HINT = 'The row of mycc.tier with this id was deleted, and mycc.tier_retired has no row for it.';
	END IF;
	RETURN policy;
END
$$;
COMMENT ON FUNCTION @extschema@.tier_policy(@extschema@.customer_tier) IS 'the tier''s row of mycc.tier';

CREATE FUNCTION @extschema@.tier_key(text) RETURNS text
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp
	AS $$ SELECT pg_catalog.translate(pg_catalog.btrim($1, E' \t\n\r\f'),
		'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz') $$;
COMMENT ON FUNCTION @extschema@.tier_key(text) IS 'how tier names and aliases are matched: trimmed, ASCII letters folded to lower case';

-- Guards of mycc.tier.
CREATE FUNCTION @extschema@.tier_before_write() RETURNS trigger
	LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	keys text[];
	clash text;
	existing @extschema@.tier;
	retired @extschema@.tier_retired;
BEGIN
	-- One writer of the tier policy at a time, so that the checks below see
	-- each other's rows (under READ COMMITTED).
	PERFORM pg_catalog.pg_advisory_xact_lock(TG_RELID::bigint);

	NEW.name := pg_catalog.btrim(NEW.name, E' \t\n\r\f');
	IF NEW.name OPERATOR(pg_catalog.=) '' OR pg_catalog.octet_length(NEW.name) OPERATOR(pg_catalog.>) 63 THEN
		RAISE EXCEPTION 'invalid tier name "%"', NEW.name
			USING ERRCODE = '22023', DETAIL = 'A tier name is 1 to 63 bytes, not counting surrounding spaces.';
	END IF;
	IF pg_catalog.array_position(NEW.aliases, NULL) IS NOT NULL THEN
		RAISE EXCEPTION 'aliases of tier "%" must not contain NULL', NEW.name USING ERRCODE = '22004';
	END IF;
	NEW.aliases := ARRAY(SELECT pg_catalog.btrim(a, E' \t\n\r\f') FROM pg_catalog.unnest(NEW.aliases) AS a);
	IF EXISTS (SELECT FROM pg_catalog.unnest(NEW.aliases) AS a
			WHERE a OPERATOR(pg_catalog.=) '' OR pg_catalog.octet_length(a) OPERATOR(pg_catalog.>) 63) THEN
		RAISE EXCEPTION 'invalid alias of tier "%"', NEW.name
			USING ERRCODE = '22023', DETAIL = 'An alias is 1 to 63 bytes, not counting surrounding spaces.';
	END IF;
	keys := ARRAY(SELECT @extschema@.tier_key(k) FROM pg_catalog.unnest(pg_catalog.array_prepend(NEW.name, NEW.aliases)) AS k);
	IF (SELECT pg_catalog.count(DISTINCT k) FROM pg_catalog.unnest(keys) AS k) OPERATOR(pg_catalog.<) pg_catalog.cardinality(keys) THEN
		RAISE EXCEPTION 'tier "%" lists the same name or alias twice', NEW.name
			USING ERRCODE = '23505', DETAIL = 'Names and aliases are compared trimmed, ignoring the case of ASCII letters.';
	END IF;

	IF TG_OP OPERATOR(pg_catalog.=) 'UPDATE' THEN
		IF NEW.id OPERATOR(pg_catalog.<>) OLD.id THEN
			RAISE EXCEPTION 'the id of tier "%" cannot change', OLD.name
				USING ERRCODE = '55000', DETAIL = 'Stored customer_tier values hold the id.';
		END IF;
		IF NEW.rank OPERATOR(pg_catalog.<>) OLD.rank THEN
			RAISE EXCEPTION 'the rank of tier "%" cannot change', OLD.name
				USING ERRCODE = '55000',
				DETAIL = 'Stored customer_tier values and their indexes depend on the order of ranks.',
				HINT = 'Insert a new tier with the rank you need, and move customers to it.';
		END IF;
		IF NEW IS DISTINCT FROM OLD THEN
			NEW.seeded := false;
		END IF;
	ELSE
		-- Indexes may still hold a deleted tier's id, placed by its rank:
		-- neither may ever mean another tier.
		SELECT * INTO retired FROM @extschema@.tier_retired AS r WHERE r.id OPERATOR(pg_catalog.=) NEW.id;
		IF FOUND THEN
			RAISE EXCEPTION 'id % belongs to the retired tier "%"', NEW.id, retired.name
				USING ERRCODE = '23505',
				DETAIL = 'The ids of deleted tiers are never reused: indexes on customer_tier columns may still hold them.',
				HINT = 'Leave id to its default, or choose an id that is in neither mycc.tier nor mycc.tier_retired.';
		END IF;
		SELECT * INTO retired FROM @extschema@.tier_retired AS r WHERE r.rank OPERATOR(pg_catalog.=) NEW.rank;
		IF FOUND THEN
			RAISE EXCEPTION 'rank % belongs to the retired tier "%"', NEW.rank, retired.name
				USING ERRCODE = '23505',
				DETAIL = 'The ranks of deleted tiers are never reused: indexes on customer_tier columns may still order their ids by them.',
				HINT = 'Choose a rank that is in neither mycc.tier nor mycc.tier_retired (ranks are double precision: any value between two others will do).';
		END IF;
		-- A row with the id and rank of an unchanged seeded tier redefines
		-- it: this is how pg_restore brings back changes to seeded tiers.
		-- (The nested UPDATE clears seeded unless nothing differs.)
		SELECT * INTO existing FROM @extschema@.tier AS t WHERE t.id OPERATOR(pg_catalog.=) NEW.id;
		IF FOUND AND existing.seeded AND existing.rank OPERATOR(pg_catalog.=) NEW.rank THEN
			UPDATE @extschema@.tier AS t
			SET name = NEW.name, aliases = NEW.aliases, service_mode = NEW.service_mode,
				queue_priority = NEW.queue_priority, first_response_target = NEW.first_response_target,
				min_value = NEW.min_value, revenue_share = NEW.revenue_share
			WHERE t.id OPERATOR(pg_catalog.=) NEW.id;
			RETURN NULL;
		END IF;
		-- Any other inserted row is the user's: pg_dump keeps it only if it
		-- is not marked seeded (the filter is WHERE NOT seeded).  Only the
		-- extension's scripts insert seeded rows, with this trigger not
		-- active (the install script creates it after seeding; an update
		-- script that adds a seeded tier disables it around its INSERT).
		NEW.seeded := false;
	END IF;

	SELECT t.name INTO clash FROM @extschema@.tier AS t
	WHERE t.id OPERATOR(pg_catalog.<>) NEW.id
		AND EXISTS (SELECT FROM pg_catalog.unnest(pg_catalog.array_prepend(t.name, t.aliases)) AS k
			WHERE @extschema@.tier_key(k) OPERATOR(pg_catalog.=) ANY (keys))
	LIMIT 1;
	IF clash IS NOT NULL THEN
		RAISE EXCEPTION 'a name or alias of tier "%" is already used by tier "%"', NEW.name, clash
			USING ERRCODE = '23505', DETAIL = 'Names and aliases are compared trimmed, ignoring the case of ASCII letters.';
	END IF;
	RETURN NEW;
END
$$;
COMMENT ON FUNCTION @extschema@.tier_before_write() IS 'trigger: validates names and aliases, keeps them unique, freezes id and rank, refuses retired ids and ranks, keeps user rows out of the seeded set';

-- row_security = off: a row-level security policy on a table the check
-- reads would hide rows that still use the tier (and the tier would be
-- deleted under them) and would run its owner's policy functions with the
-- deleting role's rights; with it off, such a table makes the delete fail
-- (42501) unless the deleting role bypasses row security.
CREATE FUNCTION @extschema@.tier_before_delete() RETURNS trigger
	LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp SET row_security = off AS $$
DECLARE
	col record;
	used boolean;
BEGIN
	-- As tier_before_write: a concurrent insert of a tier with this id or
	-- rank waits, then sees the tombstone this delete writes.
	PERFORM pg_catalog.pg_advisory_xact_lock(TG_RELID::bigint);
	FOR col IN
		SELECT a.attrelid::pg_catalog.regclass AS tab, a.attname
		FROM pg_catalog.pg_attribute AS a JOIN pg_catalog.pg_class AS c ON c.oid OPERATOR(pg_catalog.=) a.attrelid
		WHERE a.atttypid OPERATOR(pg_catalog.=) '@extschema@.customer_tier'::pg_catalog.regtype
			AND a.attnum OPERATOR(pg_catalog.>) 0 AND NOT a.attisdropped
			AND c.relkind OPERATOR(pg_catalog.=) ANY (ARRAY['r', 'm']::"char"[])
		ORDER BY 1, 2
	LOOP
		EXECUTE pg_catalog.format('SELECT EXISTS (SELECT FROM %s WHERE @extschema@.tier_id(%I) OPERATOR(pg_catalog.=) $1)',
			col.tab, col.attname) INTO used USING OLD.id;
		IF used THEN
			RAISE EXCEPTION 'tier "%" is still used by %.%', OLD.name, col.tab, col.attname
				USING ERRCODE = '2BP01',
				HINT = pg_catalog.format('Move those rows to another tier first: UPDATE %s SET %I = ... WHERE %I = %L.',
					col.tab, col.attname, col.attname, OLD.name);
		END IF;
	END LOOP;
	RETURN OLD;
END
$$;
COMMENT ON FUNCTION @extschema@.tier_before_delete() IS 'trigger: refuses to delete a tier that a customer_tier column still uses';

-- After the row is gone (so that tier_retired_before_insert finds no live
-- tier of that id), with the deleting role's rights.
CREATE FUNCTION @extschema@.tier_after_delete() RETURNS trigger
	LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	INSERT INTO @extschema@.tier_retired (id, rank, name) VALUES (OLD.id, OLD.rank, OLD.name);
	RETURN NULL;
END
$$;
COMMENT ON FUNCTION @extschema@.tier_after_delete() IS 'trigger: keeps a deleted tier''s id, rank and name in mycc.tier_retired';

CREATE FUNCTION @extschema@.tier_retired_before_insert() RETURNS trigger
	LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	live @extschema@.tier;
BEGIN
	-- Serialised with the writers of mycc.tier (tier_before_write).
	PERFORM pg_catalog.pg_advisory_xact_lock('@extschema@.tier'::pg_catalog.regclass::pg_catalog.oid::bigint);
	NEW.name := pg_catalog.btrim(NEW.name, E' \t\n\r\f');
	SELECT * INTO live FROM @extschema@.tier AS t
	WHERE t.id OPERATOR(pg_catalog.=) NEW.id OR t.rank OPERATOR(pg_catalog.=) NEW.rank
	ORDER BY t.id OPERATOR(pg_catalog.=) NEW.id DESC LIMIT 1;
	IF NOT FOUND THEN
		RETURN NEW;
	END IF;
	-- The tombstone of a seeded tier that is still installed unchanged:
	-- this is how pg_restore brings back the deletion of a seeded tier
	-- (CREATE EXTENSION installed it again).  Deleting it runs the usual
	-- checks and writes this tombstone (tier_after_delete).
	IF live.id OPERATOR(pg_catalog.=) NEW.id AND live.rank OPERATOR(pg_catalog.=) NEW.rank AND live.seeded THEN
		DELETE FROM @extschema@.tier AS t WHERE t.id OPERATOR(pg_catalog.=) NEW.id;
		RETURN NULL;
	END IF;
	RAISE EXCEPTION 'cannot retire tier "%": tier "%" uses its %', NEW.name, live.name,
		CASE WHEN live.id OPERATOR(pg_catalog.=) NEW.id THEN 'id' ELSE 'rank' END
		USING ERRCODE = '23505',
		DETAIL = 'A tier is retired by deleting it from mycc.tier, which writes its row of mycc.tier_retired.';
END
$$;
COMMENT ON FUNCTION @extschema@.tier_retired_before_insert() IS 'trigger: refuses a tombstone whose id or rank a live tier holds (but retires an unchanged seeded tier, for pg_restore)';

CREATE FUNCTION @extschema@.tier_retired_before_change() RETURNS trigger
	LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	RAISE EXCEPTION 'cannot % mycc.tier_retired', pg_catalog.lower(TG_OP)
		USING ERRCODE = '0A000',
		DETAIL = 'Indexes on customer_tier columns may hold the ids of retired tiers for ever (in their internal pages); comparing with them needs their ranks.';
END
$$;
COMMENT ON FUNCTION @extschema@.tier_retired_before_change() IS 'trigger: refuses to update, delete or truncate tombstones of retired tiers';

CREATE FUNCTION @extschema@.tier_before_truncate() RETURNS trigger
	LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	RAISE EXCEPTION 'cannot truncate mycc.tier'
		USING ERRCODE = '0A000', HINT = 'Delete tiers one at a time: a tier still in use cannot be deleted.';
END
$$;
COMMENT ON FUNCTION @extschema@.tier_before_truncate() IS 'trigger: refuses TRUNCATE of mycc.tier';

CREATE FUNCTION @extschema@.tier_invalidate() RETURNS trigger
	AS 'MODULE_PATHNAME', 'mycc_policy_invalidate' LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION @extschema@.tier_invalidate() IS 'trigger: makes every backend reload its cache of mycc.tier and mycc.tier_retired';

-- The brief's pyramid (values in the shop's currency, e.g. yuan: a game's
-- paying players spend from a 6-yuan top-up to thousands).
INSERT INTO @extschema@.tier (id, name, aliases, rank, service_mode, queue_priority,
		first_response_target, min_value, revenue_share, seeded) VALUES
	(1, 'high', '{高付费,vip}', 40, 'dedicated', 100, '1 minute', 2000, 0.5, true),
	(2, 'mid', '{中付费}', 30, 'instant', 50, '5 minutes', 250, 0.9, true),
	(3, 'low', '{低付费}', 20, 'deferred', 20, '4 hours', 0.01, 1.0, true),
	(4, 'free', '{免费}', 10, 'self_service', 0, '24 hours', 0, NULL, true);
SELECT pg_catalog.setval('@extschema@.tier_id_seq', 4);

CREATE TRIGGER tier_before_write BEFORE INSERT OR UPDATE ON @extschema@.tier
	FOR EACH ROW EXECUTE FUNCTION @extschema@.tier_before_write();
CREATE TRIGGER tier_before_delete BEFORE DELETE ON @extschema@.tier
	FOR EACH ROW EXECUTE FUNCTION @extschema@.tier_before_delete();
CREATE TRIGGER tier_after_delete AFTER DELETE ON @extschema@.tier
	FOR EACH ROW EXECUTE FUNCTION @extschema@.tier_after_delete();
CREATE TRIGGER tier_before_truncate BEFORE TRUNCATE ON @extschema@.tier
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.tier_before_truncate();
CREATE TRIGGER tier_invalidate AFTER INSERT OR UPDATE OR DELETE ON @extschema@.tier
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.tier_invalidate();
CREATE TRIGGER tier_retired_before_insert BEFORE INSERT ON @extschema@.tier_retired
	FOR EACH ROW EXECUTE FUNCTION @extschema@.tier_retired_before_insert();
CREATE TRIGGER tier_retired_before_change BEFORE UPDATE OR DELETE ON @extschema@.tier_retired
	FOR EACH ROW EXECUTE FUNCTION @extschema@.tier_retired_before_change();
CREATE TRIGGER tier_retired_before_truncate BEFORE TRUNCATE ON @extschema@.tier_retired
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.tier_retired_before_change();
CREATE TRIGGER tier_retired_invalidate AFTER INSERT OR UPDATE OR DELETE ON @extschema@.tier_retired
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.tier_invalidate();

SELECT pg_catalog.pg_extension_config_dump('@extschema@.tier', 'WHERE NOT seeded');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.tier_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.tier_retired', '');

-- ---------------------------------------------------------------------------
-- tags: tagset, tagquery, the GIN operator class, statistics and treatment
-- rules (design.md section 3; docs/tags.md)
-- ---------------------------------------------------------------------------

CREATE TYPE @extschema@.tagset;

CREATE FUNCTION @extschema@.tagset_in(cstring) RETURNS @extschema@.tagset
	AS 'MODULE_PATHNAME', 'mycc_tagset_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.tagset_out(@extschema@.tagset) RETURNS cstring
	AS 'MODULE_PATHNAME', 'mycc_tagset_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.tagset_recv(internal) RETURNS @extschema@.tagset
	AS 'MODULE_PATHNAME', 'mycc_tagset_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.tagset_send(@extschema@.tagset) RETURNS bytea
	AS 'MODULE_PATHNAME', 'mycc_tagset_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.tagset_typanalyze(internal) RETURNS boolean
	AS 'MODULE_PATHNAME', 'mycc_tagset_typanalyze' LANGUAGE C STRICT PARALLEL SAFE;

CREATE TYPE @extschema@.tagset (
	INPUT = @extschema@.tagset_in,
	OUTPUT = @extschema@.tagset_out,
	RECEIVE = @extschema@.tagset_recv,
	SEND = @extschema@.tagset_send,
	ANALYZE = @extschema@.tagset_typanalyze,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = int4,
	STORAGE = extended
);
COMMENT ON TYPE @extschema@.tagset IS 'sorted, de-duplicated set of UTF-8 tags, e.g. ''{vip, "sale 2024", region:北京}''';
COMMENT ON FUNCTION @extschema@.tagset_in(cstring) IS 'text input of tagset';
COMMENT ON FUNCTION @extschema@.tagset_out(@extschema@.tagset) IS 'text output of tagset';
COMMENT ON FUNCTION @extschema@.tagset_recv(internal) IS 'binary input of tagset (canonical form only)';
COMMENT ON FUNCTION @extschema@.tagset_send(@extschema@.tagset) IS 'binary output of tagset';
COMMENT ON FUNCTION @extschema@.tagset_typanalyze(internal) IS 'ANALYZE support: collects tag frequencies for the row estimates of @>, && and @@';

CREATE TYPE @extschema@.tagquery;

CREATE FUNCTION @extschema@.tagquery_in(cstring) RETURNS @extschema@.tagquery
	AS 'MODULE_PATHNAME', 'mycc_tagquery_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.tagquery_out(@extschema@.tagquery) RETURNS cstring
	AS 'MODULE_PATHNAME', 'mycc_tagquery_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.tagquery_recv(internal) RETURNS @extschema@.tagquery
	AS 'MODULE_PATHNAME', 'mycc_tagquery_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.tagquery_send(@extschema@.tagquery) RETURNS bytea
	AS 'MODULE_PATHNAME', 'mycc_tagquery_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE @extschema@.tagquery (
	INPUT = @extschema@.tagquery_in,
	OUTPUT = @extschema@.tagquery_out,
	RECEIVE = @extschema@.tagquery_recv,
	SEND = @extschema@.tagquery_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = int4,
	STORAGE = extended
);
COMMENT ON TYPE @extschema@.tagquery IS 'Boolean rule over tags: & | ! ( ) and prefixes, e.g. ''vip & !complainer'', ''region:*''';
COMMENT ON FUNCTION @extschema@.tagquery_in(cstring) IS 'text input of tagquery';
COMMENT ON FUNCTION @extschema@.tagquery_out(@extschema@.tagquery) IS 'text output of tagquery, canonical';
COMMENT ON FUNCTION @extschema@.tagquery_recv(internal) IS 'binary input of tagquery';
COMMENT ON FUNCTION @extschema@.tagquery_send(@extschema@.tagquery) IS 'binary output of tagquery';

-- Constructors and accessors.
CREATE FUNCTION @extschema@.tagset(text[]) RETURNS @extschema@.tagset
	AS 'MODULE_PATHNAME', 'mycc_tagset_from_array' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.tagset(text[]) IS 'tagset of the array''s elements, each one tag as written (no quoting)';
CREATE CAST (text[] AS @extschema@.tagset) WITH FUNCTION @extschema@.tagset(text[]);
COMMENT ON CAST (text[] AS @extschema@.tagset) IS 'each element one tag (mycc.tagset(text[]))';

CREATE FUNCTION @extschema@.tags(@extschema@.tagset) RETURNS SETOF text
	AS 'MODULE_PATHNAME', 'mycc_tagset_tags' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 8;
COMMENT ON FUNCTION @extschema@.tags(@extschema@.tagset) IS 'the tags of a set, one row each, in order';

-- Set operators.
CREATE FUNCTION @extschema@.tagset_contains(@extschema@.tagset, @extschema@.tagset) RETURNS boolean
	AS 'MODULE_PATHNAME', 'mycc_tagset_contains' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.tagset_contained(@extschema@.tagset, @extschema@.tagset) RETURNS boolean
	AS 'MODULE_PATHNAME', 'mycc_tagset_contained' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.tagset_overlap(@extschema@.tagset, @extschema@.tagset) RETURNS boolean
	AS 'MODULE_PATHNAME', 'mycc_tagset_overlap' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.tagset_has(@extschema@.tagset, text) RETURNS boolean
	AS 'MODULE_PATHNAME', 'mycc_tagset_has' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.tagset_union(@extschema@.tagset, @extschema@.tagset) RETURNS @extschema@.tagset
	AS 'MODULE_PATHNAME', 'mycc_tagset_union' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.tagset_add_tag(@extschema@.tagset, text) RETURNS @extschema@.tagset
	AS 'MODULE_PATHNAME', 'mycc_tagset_add_tag' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.tagset_minus(@extschema@.tagset, @extschema@.tagset) RETURNS @extschema@.tagset
	AS 'MODULE_PATHNAME', 'mycc_tagset_minus' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.tagset_minus_tag(@extschema@.tagset, text) RETURNS @extschema@.tagset
	AS 'MODULE_PATHNAME', 'mycc_tagset_minus_tag' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.tagset_intersect(@extschema@.tagset, @extschema@.tagset) RETURNS @extschema@.tagset
	AS 'MODULE_PATHNAME', 'mycc_tagset_intersect' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.tagset_count(@extschema@.tagset) RETURNS integer
	AS 'MODULE_PATHNAME', 'mycc_tagset_count' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.tagset_matches(@extschema@.tagset, @extschema@.tagquery) RETURNS boolean
	AS 'MODULE_PATHNAME', 'mycc_tagset_matches' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.tagquery_matched(@extschema@.tagquery, @extschema@.tagset) RETURNS boolean
	AS 'MODULE_PATHNAME', 'mycc_tagquery_matched' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.tagset_sel(internal, oid, internal, integer) RETURNS double precision
	AS 'MODULE_PATHNAME', 'mycc_tagset_sel' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.tagset_contains(@extschema@.tagset, @extschema@.tagset) IS 'implementation of @>: every tag of the right is in the left';
COMMENT ON FUNCTION @extschema@.tagset_contained(@extschema@.tagset, @extschema@.tagset) IS 'implementation of <@: every tag of the left is in the right';
COMMENT ON FUNCTION @extschema@.tagset_overlap(@extschema@.tagset, @extschema@.tagset) IS 'implementation of &&: the sets share a tag';
COMMENT ON FUNCTION @extschema@.tagset_has(@extschema@.tagset, text) IS 'implementation of ?: the set has the tag';
COMMENT ON FUNCTION @extschema@.tagset_union(@extschema@.tagset, @extschema@.tagset) IS 'implementation of ||: union';
COMMENT ON FUNCTION @extschema@.tagset_add_tag(@extschema@.tagset, text) IS 'implementation of || text: the set with one more tag';
COMMENT ON FUNCTION @extschema@.tagset_minus(@extschema@.tagset, @extschema@.tagset) IS 'implementation of -: the tags of the left not in the right';
COMMENT ON FUNCTION @extschema@.tagset_minus_tag(@extschema@.tagset, text) IS 'implementation of - text: the set without one tag';
COMMENT ON FUNCTION @extschema@.tagset_intersect(@extschema@.tagset, @extschema@.tagset) IS 'implementation of &: intersection';
COMMENT ON FUNCTION @extschema@.tagset_count(@extschema@.tagset) IS 'implementation of #: number of tags';
COMMENT ON FUNCTION @extschema@.tagset_matches(@extschema@.tagset, @extschema@.tagquery) IS 'implementation of tagset @@ tagquery: the set satisfies the query';
COMMENT ON FUNCTION @extschema@.tagquery_matched(@extschema@.tagquery, @extschema@.tagset) IS 'implementation of tagquery @@ tagset (commuted)';
COMMENT ON FUNCTION @extschema@.tagset_sel(internal, oid, internal, integer) IS 'restriction estimator of @>, <@, && and @@ from tag frequencies';

CREATE OPERATOR @extschema@.@> (
	LEFTARG = @extschema@.tagset, RIGHTARG = @extschema@.tagset,
	FUNCTION = @extschema@.tagset_contains, COMMUTATOR = OPERATOR(@extschema@.<@),
	RESTRICT = @extschema@.tagset_sel, JOIN = pg_catalog.contjoinsel
);
CREATE OPERATOR @extschema@.<@ (
	LEFTARG = @extschema@.tagset, RIGHTARG = @extschema@.tagset,
	FUNCTION = @extschema@.tagset_contained, COMMUTATOR = OPERATOR(@extschema@.@>),
	RESTRICT = @extschema@.tagset_sel, JOIN = pg_catalog.contjoinsel
);
CREATE OPERATOR @extschema@.&& (
	LEFTARG = @extschema@.tagset, RIGHTARG = @extschema@.tagset,
	FUNCTION = @extschema@.tagset_overlap, COMMUTATOR = OPERATOR(@extschema@.&&),
	RESTRICT = @extschema@.tagset_sel, JOIN = pg_catalog.contjoinsel
);
CREATE OPERATOR @extschema@.? (
	LEFTARG = @extschema@.tagset, RIGHTARG = text,
	FUNCTION = @extschema@.tagset_has,
	RESTRICT = pg_catalog.contsel, JOIN = pg_catalog.contjoinsel
);
CREATE OPERATOR @extschema@.|| (
	LEFTARG = @extschema@.tagset, RIGHTARG = @extschema@.tagset,
	FUNCTION = @extschema@.tagset_union, COMMUTATOR = OPERATOR(@extschema@.||)
);
CREATE OPERATOR @extschema@.|| (
	LEFTARG = @extschema@.tagset, RIGHTARG = text,
	FUNCTION = @extschema@.tagset_add_tag
);
CREATE OPERATOR @extschema@.- (
	LEFTARG = @extschema@.tagset, RIGHTARG = @extschema@.tagset,
	FUNCTION = @extschema@.tagset_minus
);
CREATE OPERATOR @extschema@.- (
	LEFTARG = @extschema@.tagset, RIGHTARG = text,
	FUNCTION = @extschema@.tagset_minus_tag
);
CREATE OPERATOR @extschema@.& (
	LEFTARG = @extschema@.tagset, RIGHTARG = @extschema@.tagset,
	FUNCTION = @extschema@.tagset_intersect, COMMUTATOR = OPERATOR(@extschema@.&)
);
CREATE OPERATOR @extschema@.# (
	RIGHTARG = @extschema@.tagset, FUNCTION = @extschema@.tagset_count
);
CREATE OPERATOR @extschema@.@@ (
	LEFTARG = @extschema@.tagset, RIGHTARG = @extschema@.tagquery,
	FUNCTION = @extschema@.tagset_matches, COMMUTATOR = OPERATOR(@extschema@.@@),
	RESTRICT = @extschema@.tagset_sel, JOIN = pg_catalog.contjoinsel
);
CREATE OPERATOR @extschema@.@@ (
	LEFTARG = @extschema@.tagquery, RIGHTARG = @extschema@.tagset,
	FUNCTION = @extschema@.tagquery_matched, COMMUTATOR = OPERATOR(@extschema@.@@),
	RESTRICT = @extschema@.tagset_sel, JOIN = pg_catalog.contjoinsel
);
COMMENT ON OPERATOR @extschema@.@> (@extschema@.tagset, @extschema@.tagset) IS 'contains: every tag of the right is in the left';
COMMENT ON OPERATOR @extschema@.<@ (@extschema@.tagset, @extschema@.tagset) IS 'is contained by: every tag of the left is in the right';
COMMENT ON OPERATOR @extschema@.&& (@extschema@.tagset, @extschema@.tagset) IS 'overlaps: the sets share a tag';
COMMENT ON OPERATOR @extschema@.? (@extschema@.tagset, text) IS 'has tag';
COMMENT ON OPERATOR @extschema@.|| (@extschema@.tagset, @extschema@.tagset) IS 'union';
COMMENT ON OPERATOR @extschema@.|| (@extschema@.tagset, text) IS 'add a tag';
COMMENT ON OPERATOR @extschema@.- (@extschema@.tagset, @extschema@.tagset) IS 'difference';
COMMENT ON OPERATOR @extschema@.- (@extschema@.tagset, text) IS 'remove a tag';
COMMENT ON OPERATOR @extschema@.& (@extschema@.tagset, @extschema@.tagset) IS 'intersection';
COMMENT ON OPERATOR @extschema@.# (NONE, @extschema@.tagset) IS 'number of tags';
COMMENT ON OPERATOR @extschema@.@@ (@extschema@.tagset, @extschema@.tagquery) IS 'the set satisfies the query';
COMMENT ON OPERATOR @extschema@.@@ (@extschema@.tagquery, @extschema@.tagset) IS 'the query is satisfied by the set';

-- Comparison, btree and hash.
CREATE FUNCTION @extschema@.tagset_eq(@extschema@.tagset, @extschema@.tagset) RETURNS boolean
	AS 'MODULE_PATHNAME', 'mycc_tagset_eq' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.tagset_ne(@extschema@.tagset, @extschema@.tagset) RETURNS boolean
	AS 'MODULE_PATHNAME', 'mycc_tagset_ne' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.tagset_lt(@extschema@.tagset, @extschema@.tagset) RETURNS boolean
	AS 'MODULE_PATHNAME', 'mycc_tagset_lt' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.tagset_le(@extschema@.tagset, @extschema@.tagset) RETURNS boolean
	AS 'MODULE_PATHNAME', 'mycc_tagset_le' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.tagset_gt(@extschema@.tagset, @extschema@.tagset) RETURNS boolean
	AS 'MODULE_PATHNAME', 'mycc_tagset_gt' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.tagset_ge(@extschema@.tagset, @extschema@.tagset) RETURNS boolean
	AS 'MODULE_PATHNAME', 'mycc_tagset_ge' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.tagset_cmp(@extschema@.tagset, @extschema@.tagset) RETURNS integer
	AS 'MODULE_PATHNAME', 'mycc_tagset_cmp' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.tagset_hash(@extschema@.tagset) RETURNS integer
	AS 'MODULE_PATHNAME', 'mycc_tagset_hash' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.tagset_hash_extended(@extschema@.tagset, bigint) RETURNS bigint
	AS 'MODULE_PATHNAME', 'mycc_tagset_hash_extended' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.tagset_eq(@extschema@.tagset, @extschema@.tagset) IS 'implementation of =';
COMMENT ON FUNCTION @extschema@.tagset_ne(@extschema@.tagset, @extschema@.tagset) IS 'implementation of <>';
COMMENT ON FUNCTION @extschema@.tagset_lt(@extschema@.tagset, @extschema@.tagset) IS 'implementation of <';
COMMENT ON FUNCTION @extschema@.tagset_le(@extschema@.tagset, @extschema@.tagset) IS 'implementation of <=';
COMMENT ON FUNCTION @extschema@.tagset_gt(@extschema@.tagset, @extschema@.tagset) IS 'implementation of >';
COMMENT ON FUNCTION @extschema@.tagset_ge(@extschema@.tagset, @extschema@.tagset) IS 'implementation of >=';
COMMENT ON FUNCTION @extschema@.tagset_cmp(@extschema@.tagset, @extschema@.tagset) IS 'btree support: tag by tag, bytewise';
COMMENT ON FUNCTION @extschema@.tagset_hash(@extschema@.tagset) IS 'hash support';
COMMENT ON FUNCTION @extschema@.tagset_hash_extended(@extschema@.tagset, bigint) IS 'hash support, seeded';

CREATE OPERATOR @extschema@.= (
	LEFTARG = @extschema@.tagset, RIGHTARG = @extschema@.tagset, FUNCTION = @extschema@.tagset_eq,
	COMMUTATOR = OPERATOR(@extschema@.=), NEGATOR = OPERATOR(@extschema@.<>),
	RESTRICT = pg_catalog.eqsel, JOIN = pg_catalog.eqjoinsel, HASHES, MERGES
);
CREATE OPERATOR @extschema@.<> (
	LEFTARG = @extschema@.tagset, RIGHTARG = @extschema@.tagset, FUNCTION = @extschema@.tagset_ne,
	COMMUTATOR = OPERATOR(@extschema@.<>), NEGATOR = OPERATOR(@extschema@.=),
	RESTRICT = pg_catalog.neqsel, JOIN = pg_catalog.neqjoinsel
);
CREATE OPERATOR @extschema@.< (
	LEFTARG = @extschema@.tagset, RIGHTARG = @extschema@.tagset, FUNCTION = @extschema@.tagset_lt,
	COMMUTATOR = OPERATOR(@extschema@.>), NEGATOR = OPERATOR(@extschema@.>=),
	RESTRICT = pg_catalog.scalarltsel, JOIN = pg_catalog.scalarltjoinsel
);
CREATE OPERATOR @extschema@.<= (
	LEFTARG = @extschema@.tagset, RIGHTARG = @extschema@.tagset, FUNCTION = @extschema@.tagset_le,
	COMMUTATOR = OPERATOR(@extschema@.>=), NEGATOR = OPERATOR(@extschema@.>),
	RESTRICT = pg_catalog.scalarlesel, JOIN = pg_catalog.scalarlejoinsel
);
CREATE OPERATOR @extschema@.> (
	LEFTARG = @extschema@.tagset, RIGHTARG = @extschema@.tagset, FUNCTION = @extschema@.tagset_gt,
	COMMUTATOR = OPERATOR(@extschema@.<), NEGATOR = OPERATOR(@extschema@.<=),
	RESTRICT = pg_catalog.scalargtsel, JOIN = pg_catalog.scalargtjoinsel
);
CREATE OPERATOR @extschema@.>= (
	LEFTARG = @extschema@.tagset, RIGHTARG = @extschema@.tagset, FUNCTION = @extschema@.tagset_ge,
	COMMUTATOR = OPERATOR(@extschema@.<=), NEGATOR = OPERATOR(@extschema@.<),
	RESTRICT = pg_catalog.scalargesel, JOIN = pg_catalog.scalargejoinsel
);
COMMENT ON OPERATOR @extschema@.= (@extschema@.tagset, @extschema@.tagset) IS 'same tags';
COMMENT ON OPERATOR @extschema@.<> (@extschema@.tagset, @extschema@.tagset) IS 'different tags';
COMMENT ON OPERATOR @extschema@.< (@extschema@.tagset, @extschema@.tagset) IS 'sorts before (tag by tag)';
COMMENT ON OPERATOR @extschema@.<= (@extschema@.tagset, @extschema@.tagset) IS 'sorts before or equal';
COMMENT ON OPERATOR @extschema@.> (@extschema@.tagset, @extschema@.tagset) IS 'sorts after (tag by tag)';
COMMENT ON OPERATOR @extschema@.>= (@extschema@.tagset, @extschema@.tagset) IS 'sorts after or equal';

CREATE OPERATOR CLASS @extschema@.tagset_btree_ops DEFAULT FOR TYPE @extschema@.tagset USING btree AS
	OPERATOR 1 @extschema@.<,
	OPERATOR 2 @extschema@.<=,
	OPERATOR 3 @extschema@.=,
	OPERATOR 4 @extschema@.>=,
	OPERATOR 5 @extschema@.>,
	FUNCTION 1 @extschema@.tagset_cmp(@extschema@.tagset, @extschema@.tagset);
CREATE OPERATOR CLASS @extschema@.tagset_hash_ops DEFAULT FOR TYPE @extschema@.tagset USING hash AS
	OPERATOR 1 @extschema@.=,
	FUNCTION 1 @extschema@.tagset_hash(@extschema@.tagset),
	FUNCTION 2 @extschema@.tagset_hash_extended(@extschema@.tagset, bigint);
COMMENT ON OPERATOR CLASS @extschema@.tagset_btree_ops USING btree IS 'btree order of tagsets (tag by tag, bytewise)';
COMMENT ON OPERATOR CLASS @extschema@.tagset_hash_ops USING hash IS 'hash of tagsets';
COMMENT ON OPERATOR FAMILY @extschema@.tagset_btree_ops USING btree IS 'btree order of tagsets';
COMMENT ON OPERATOR FAMILY @extschema@.tagset_hash_ops USING hash IS 'hash of tagsets';

-- GIN.
CREATE FUNCTION @extschema@.tagset_gin_extract_value(@extschema@.tagset, internal, internal) RETURNS internal
	AS 'MODULE_PATHNAME', 'mycc_tagset_gin_extract_value' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.tagset_gin_extract_query(@extschema@.tagset, internal, smallint, internal, internal, internal, internal) RETURNS internal
	AS 'MODULE_PATHNAME', 'mycc_tagset_gin_extract_query' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.tagset_gin_consistent(internal, smallint, @extschema@.tagset, integer, internal, internal, internal, internal) RETURNS boolean
	AS 'MODULE_PATHNAME', 'mycc_tagset_gin_consistent' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.tagset_gin_compare_partial(text, text, smallint, internal) RETURNS integer
	AS 'MODULE_PATHNAME', 'mycc_tagset_gin_compare_partial' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.tagset_gin_tri_consistent(internal, smallint, @extschema@.tagset, integer, internal, internal, internal) RETURNS "char"
	AS 'MODULE_PATHNAME', 'mycc_tagset_gin_tri_consistent' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.tagset_gin_extract_value(@extschema@.tagset, internal, internal) IS 'GIN support: the tags of a set';
COMMENT ON FUNCTION @extschema@.tagset_gin_extract_query(@extschema@.tagset, internal, smallint, internal, internal, internal, internal) IS 'GIN support: keys and search mode of a query';
COMMENT ON FUNCTION @extschema@.tagset_gin_consistent(internal, smallint, @extschema@.tagset, integer, internal, internal, internal, internal) IS 'GIN support: whether a row matches';
COMMENT ON FUNCTION @extschema@.tagset_gin_compare_partial(text, text, smallint, internal) IS 'GIN support: prefix terms (region:*)';
COMMENT ON FUNCTION @extschema@.tagset_gin_tri_consistent(internal, smallint, @extschema@.tagset, integer, internal, internal, internal) IS 'GIN support: whether a row matches, with unknown keys';

CREATE OPERATOR CLASS @extschema@.tagset_ops DEFAULT FOR TYPE @extschema@.tagset USING gin AS
	OPERATOR 1 @extschema@.&& (@extschema@.tagset, @extschema@.tagset),
	OPERATOR 2 @extschema@.@> (@extschema@.tagset, @extschema@.tagset),
	OPERATOR 3 @extschema@.<@ (@extschema@.tagset, @extschema@.tagset),
	OPERATOR 4 @extschema@.= (@extschema@.tagset, @extschema@.tagset),
	OPERATOR 5 @extschema@.@@ (@extschema@.tagset, @extschema@.tagquery),
	FUNCTION 1 pg_catalog.bttext_pattern_cmp(text, text),
	FUNCTION 2 @extschema@.tagset_gin_extract_value(@extschema@.tagset, internal, internal),
	FUNCTION 3 @extschema@.tagset_gin_extract_query(@extschema@.tagset, internal, smallint, internal, internal, internal, internal),
	FUNCTION 4 @extschema@.tagset_gin_consistent(internal, smallint, @extschema@.tagset, integer, internal, internal, internal, internal),
	FUNCTION 5 @extschema@.tagset_gin_compare_partial(text, text, smallint, internal),
	FUNCTION 6 @extschema@.tagset_gin_tri_consistent(internal, smallint, @extschema@.tagset, integer, internal, internal, internal),
	STORAGE text;
COMMENT ON OPERATOR CLASS @extschema@.tagset_ops USING gin IS 'GIN index of tagsets: && @> <@ = @@ (with prefixes)';
COMMENT ON OPERATOR FAMILY @extschema@.tagset_ops USING gin IS 'GIN index of tagsets';

-- Aggregates: the state is a tagset (real, mergeable, parallel safe).
CREATE FUNCTION @extschema@.tagset_agg_accum(@extschema@.tagset, text) RETURNS @extschema@.tagset
	AS 'MODULE_PATHNAME', 'mycc_tagset_agg_accum' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.tag_union_accum(@extschema@.tagset, @extschema@.tagset) RETURNS @extschema@.tagset
	AS 'MODULE_PATHNAME', 'mycc_tag_union_accum' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.tagset_agg_accum(@extschema@.tagset, text) IS 'transition of tagset_agg: adds a tag';
COMMENT ON FUNCTION @extschema@.tag_union_accum(@extschema@.tagset, @extschema@.tagset) IS 'transition and combine of tag_union and tagset_agg: union';

CREATE AGGREGATE @extschema@.tagset_agg(text) (
	SFUNC = @extschema@.tagset_agg_accum,
	STYPE = @extschema@.tagset,
	COMBINEFUNC = @extschema@.tag_union_accum,
	INITCOND = '{}',
	PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.tag_union(@extschema@.tagset) (
	SFUNC = @extschema@.tag_union_accum,
	STYPE = @extschema@.tagset,
	COMBINEFUNC = @extschema@.tag_union_accum,
	INITCOND = '{}',
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.tagset_agg(text) IS 'tagset of the tags (text, one tag a row) of a group; NULLs skipped';
COMMENT ON AGGREGATE @extschema@.tag_union(@extschema@.tagset) IS 'union of the tagsets of a group';

-- Treatment rules: "VIP -> kraft-paper packaging" (the reverse index is in
-- src/tag_rules.c; the cache follows changes through the trigger).
CREATE FUNCTION @extschema@.policy_invalidate() RETURNS trigger
	AS 'MODULE_PATHNAME', 'mycc_policy_invalidate' LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION @extschema@.policy_invalidate() IS 'trigger: makes every backend reload its cache of a rule table';

CREATE SEQUENCE @extschema@.treatment_rule_id_seq AS bigint;
COMMENT ON SEQUENCE @extschema@.treatment_rule_id_seq IS 'ids of mycc.treatment_rule';
CREATE TABLE @extschema@.treatment_rule (
	id bigint NOT NULL DEFAULT pg_catalog.nextval('@extschema@.treatment_rule_id_seq'::pg_catalog.regclass),
	condition @extschema@.tagquery NOT NULL,
	treatment text NOT NULL,
	priority integer NOT NULL DEFAULT 0,
	enabled boolean NOT NULL DEFAULT true,
	CONSTRAINT treatment_rule_pkey PRIMARY KEY (id),
	CONSTRAINT treatment_rule_treatment_not_empty CHECK (treatment OPERATOR(pg_catalog.<>) '')
);
ALTER SEQUENCE @extschema@.treatment_rule_id_seq OWNED BY @extschema@.treatment_rule.id;
COMMENT ON TABLE @extschema@.treatment_rule IS 'treatment rules: customers whose tags satisfy condition get treatment';
COMMENT ON COLUMN @extschema@.treatment_rule.id IS 'rule id; also the tie-break between equal priorities (lower first)';
COMMENT ON COLUMN @extschema@.treatment_rule.condition IS 'tag query a customer''s tags must satisfy';
COMMENT ON COLUMN @extschema@.treatment_rule.treatment IS 'what to do, e.g. kraft-paper packaging';
COMMENT ON COLUMN @extschema@.treatment_rule.priority IS 'higher first in mycc.treatments()';
COMMENT ON COLUMN @extschema@.treatment_rule.enabled IS 'false: kept but not applied';
CREATE TRIGGER treatment_rule_invalidate AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON @extschema@.treatment_rule
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.policy_invalidate();
SELECT pg_catalog.pg_extension_config_dump('@extschema@.treatment_rule', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.treatment_rule_id_seq', '');

CREATE FUNCTION @extschema@.treatments(tags @extschema@.tagset, OUT treatment text, OUT rule bigint) RETURNS SETOF record
	AS 'MODULE_PATHNAME', 'mycc_treatments' LANGUAGE C STABLE STRICT PARALLEL SAFE ROWS 3;
COMMENT ON FUNCTION @extschema@.treatments(@extschema@.tagset) IS 'the treatments whose rule the tags satisfy, highest priority first (then lowest rule id)';
CREATE FUNCTION @extschema@.treatment_candidates(tags @extschema@.tagset, OUT rules integer, OUT tested integer, OUT matched integer) RETURNS record
	AS 'MODULE_PATHNAME', 'mycc_treatment_candidates' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.treatment_candidates(@extschema@.tagset) IS 'how many enabled rules exist, how many treatments() tests for these tags, and how many match';

-- ---------------------------------------------------------------------------
-- customer: one person, whatever the channel (design.md section 4; the
-- identity capability adds identities, tags, merges and account managers)
-- and the tier_pyramid BI view (design.md section 2)
-- ---------------------------------------------------------------------------

CREATE SEQUENCE @extschema@.customer_id_seq AS bigint;
COMMENT ON SEQUENCE @extschema@.customer_id_seq IS 'ids of mycc.customer';

CREATE TABLE @extschema@.customer (
	id bigint NOT NULL DEFAULT pg_catalog.nextval('@extschema@.customer_id_seq'::pg_catalog.regclass),
	name text,
	tier @extschema@.customer_tier NOT NULL DEFAULT @extschema@.tier_for_value(0),
	tags @extschema@.tagset NOT NULL DEFAULT '{}',
	lifetime_value numeric NOT NULL DEFAULT 0,
	created_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
	tier_id smallint GENERATED ALWAYS AS (@extschema@.tier_id(tier)) STORED,
	account_manager bigint,
	merged_into bigint,
	root_id bigint,
	merged_at timestamptz,
	CONSTRAINT customer_pkey PRIMARY KEY (id),
	CONSTRAINT customer_merged_consistent CHECK ((merged_into IS NULL) OPERATOR(pg_catalog.=) (root_id IS NULL)
		AND (merged_into IS NULL) OPERATOR(pg_catalog.=) (merged_at IS NULL)),
	CONSTRAINT customer_tier_fkey FOREIGN KEY (tier_id) REFERENCES @extschema@.tier (id)
);
ALTER SEQUENCE @extschema@.customer_id_seq OWNED BY @extschema@.customer.id;
CREATE INDEX customer_tier_idx ON @extschema@.customer (tier);
CREATE INDEX customer_tags_idx ON @extschema@.customer USING gin (tags);
-- Every customer of a merge tree, by its root (mycc.customer_root).
CREATE INDEX customer_root_idx ON @extschema@.customer ((COALESCE(root_id, id)));
CREATE INDEX customer_merged_into_idx ON @extschema@.customer (merged_into) WHERE merged_into IS NOT NULL;
CREATE INDEX customer_account_manager_idx ON @extschema@.customer (account_manager) WHERE account_manager IS NOT NULL;

COMMENT ON TABLE @extschema@.customer IS 'customers: one row a person, whatever the channel';
COMMENT ON COLUMN @extschema@.customer.id IS 'customer id (the distribution column when scaled out)';
COMMENT ON COLUMN @extschema@.customer.name IS 'display name';
COMMENT ON COLUMN @extschema@.customer.tier IS 'value tier; defaults to the tier of a zero value';
COMMENT ON COLUMN @extschema@.customer.tags IS 'what we know about the customer: vip, literary, region:北京 (GIN indexed)';
COMMENT ON COLUMN @extschema@.customer.lifetime_value IS 'lifetime spend, in the shop''s currency';
COMMENT ON COLUMN @extschema@.customer.created_at IS 'when the customer was first seen';
COMMENT ON COLUMN @extschema@.customer.account_manager IS 'the dedicated account manager (an agent id), for tiers served 1:1';
COMMENT ON COLUMN @extschema@.customer.merged_into IS 'the customer this one was merged into by mycc.link (its parent in the merge forest); NULL for a customer of its own';
COMMENT ON COLUMN @extschema@.customer.root_id IS 'the surviving customer at the top of the merge forest; NULL when this customer is a root (use mycc.customer_root)';
COMMENT ON COLUMN @extschema@.customer.merged_at IS 'when this customer was merged into merged_into';
COMMENT ON COLUMN @extschema@.customer.tier_id IS 'the tier''s id, generated: its foreign key keeps the tier from being deleted and makes pg_dump restore mycc.tier first';

SELECT pg_catalog.pg_extension_config_dump('@extschema@.customer', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.customer_id_seq', '');

CREATE VIEW @extschema@.tier_pyramid AS
SELECT t.name AS tier, t.rank, t.service_mode,
	COALESCE(c.customers, 0) AS customers,
	COALESCE(c.customers, 0)::double precision
		OPERATOR(pg_catalog./) NULLIF(pg_catalog.sum(c.customers) OVER (), 0)::double precision AS share_of_customers,
	COALESCE(c.value, 0) AS value,
	COALESCE(c.value, 0) OPERATOR(pg_catalog./) NULLIF(pg_catalog.sum(c.value) OVER (), 0) AS share_of_value
FROM @extschema@.tier AS t
LEFT JOIN (
	SELECT @extschema@.tier_id(cu.tier) AS tier_id, pg_catalog.count(*) AS customers,
		pg_catalog.sum(cu.lifetime_value) AS value
	FROM @extschema@.customer AS cu
	WHERE cu.merged_into IS NULL
	GROUP BY 1
) AS c ON c.tier_id OPERATOR(pg_catalog.=) t.id;

COMMENT ON VIEW @extschema@.tier_pyramid IS 'the value pyramid: customers (merged ones counted once, as their survivor) and lifetime value per tier, with their shares';
COMMENT ON COLUMN @extschema@.tier_pyramid.tier IS 'tier name';
COMMENT ON COLUMN @extschema@.tier_pyramid.rank IS 'tier rank (order by it, descending, for the pyramid)';
COMMENT ON COLUMN @extschema@.tier_pyramid.service_mode IS 'how the tier is served';
COMMENT ON COLUMN @extschema@.tier_pyramid.customers IS 'customers in the tier';
COMMENT ON COLUMN @extschema@.tier_pyramid.share_of_customers IS 'customers in the tier / all customers (0 to 1)';
COMMENT ON COLUMN @extschema@.tier_pyramid.value IS 'their lifetime value';
COMMENT ON COLUMN @extschema@.tier_pyramid.share_of_value IS 'their lifetime value / all lifetime value (0 to 1)';

-- ---------------------------------------------------------------------------
-- survey: satisfaction answers and the nps_daily BI view
-- (design.md sections 1 and 4; the identity capability links surveys to
-- contacts and customers)
-- ---------------------------------------------------------------------------

CREATE TYPE @extschema@.channel AS ENUM (
	'phone', 'sms', 'email', 'wechat', 'qq', 'weibo', 'app', 'web', 'in_game', 'store', 'video'
);
COMMENT ON TYPE @extschema@.channel IS 'a contact channel; DBAs may add values with ALTER TYPE ... ADD VALUE';

CREATE SEQUENCE @extschema@.survey_id_seq AS bigint;
COMMENT ON SEQUENCE @extschema@.survey_id_seq IS 'ids of mycc.survey';

-- Keyed by customer first (design.md section 8: the distribution column is
-- in every key).  channel and tier are the contact's channel and the
-- customer's tier when the answer was given, kept so that trends by tier
-- do not move when a customer changes tier later.
CREATE TABLE @extschema@.survey (
	customer_id bigint NOT NULL,
	id bigint NOT NULL DEFAULT pg_catalog.nextval('@extschema@.survey_id_seq'::pg_catalog.regclass),
	contact_id bigint,
	channel @extschema@.channel NOT NULL,
	tier @extschema@.customer_tier NOT NULL,
	nps @extschema@.nps_score,
	csat smallint CONSTRAINT survey_csat_range
		CHECK (csat OPERATOR(pg_catalog.>=) 1 AND csat OPERATOR(pg_catalog.<=) 5),
	answered_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
	tier_id smallint GENERATED ALWAYS AS (@extschema@.tier_id(tier)) STORED,
	CONSTRAINT survey_pkey PRIMARY KEY (customer_id, id),
	CONSTRAINT survey_tier_fkey FOREIGN KEY (tier_id) REFERENCES @extschema@.tier (id),
	CONSTRAINT survey_has_answer CHECK (nps IS NOT NULL OR csat IS NOT NULL)
);
ALTER SEQUENCE @extschema@.survey_id_seq OWNED BY @extschema@.survey.id;
CREATE INDEX survey_answered_at_idx ON @extschema@.survey (answered_at);

COMMENT ON TABLE @extschema@.survey IS 'satisfaction survey answers: NPS (0-10) and CSAT (1-5), with the channel and tier at answer time';
COMMENT ON COLUMN @extschema@.survey.customer_id IS 'the customer who answered';
COMMENT ON COLUMN @extschema@.survey.id IS 'answer id, unique with customer_id';
COMMENT ON COLUMN @extschema@.survey.contact_id IS 'the contact the survey followed, if any';
COMMENT ON COLUMN @extschema@.survey.channel IS 'channel of that contact';
COMMENT ON COLUMN @extschema@.survey.tier IS 'customer tier when the answer was given';
COMMENT ON COLUMN @extschema@.survey.nps IS 'answer to "how likely are you to recommend us", 0-10';
COMMENT ON COLUMN @extschema@.survey.csat IS 'satisfaction rating 1-5 (CSAT counts 4 and 5)';
COMMENT ON COLUMN @extschema@.survey.answered_at IS 'when the answer was given';
COMMENT ON COLUMN @extschema@.survey.tier_id IS 'the tier''s id, generated, with a foreign key to mycc.tier (see mycc.customer.tier_id)';

SELECT pg_catalog.pg_extension_config_dump('@extschema@.survey', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.survey_id_seq', '');

CREATE VIEW @extschema@.nps_daily AS
SELECT d.day, d.channel, d.tier,
	@extschema@.nps_count(d.state) AS n,
	@extschema@.nps_promoters(d.state) AS promoters,
	@extschema@.nps_passives(d.state) AS passives,
	@extschema@.nps_detractors(d.state) AS detractors,
	@extschema@.nps(d.state) AS nps,
	@extschema@.nps_moe(d.state, 0.95::double precision) AS margin_of_error,
	d.state
FROM (
	SELECT CAST(s.answered_at AS date) AS day, s.channel, s.tier,
		@extschema@.nps_agg(s.nps) AS state
	FROM @extschema@.survey AS s
	WHERE s.nps IS NOT NULL
	GROUP BY 1, 2, 3
) AS d;

COMMENT ON VIEW @extschema@.nps_daily IS 'NPS by day (session time zone), channel and tier, with the 95% margin of error and the mergeable state for rollups';
COMMENT ON COLUMN @extschema@.nps_daily.day IS 'day of the answers, in the session time zone';
COMMENT ON COLUMN @extschema@.nps_daily.channel IS 'channel of the surveyed contact';
COMMENT ON COLUMN @extschema@.nps_daily.tier IS 'customer tier at answer time';
COMMENT ON COLUMN @extschema@.nps_daily.n IS 'number of NPS answers';
COMMENT ON COLUMN @extschema@.nps_daily.promoters IS 'answers 9-10';
COMMENT ON COLUMN @extschema@.nps_daily.passives IS 'answers 7-8';
COMMENT ON COLUMN @extschema@.nps_daily.detractors IS 'answers 0-6';
COMMENT ON COLUMN @extschema@.nps_daily.nps IS 'Net Promoter Score, -100..100';
COMMENT ON COLUMN @extschema@.nps_daily.margin_of_error IS 'margin of error of nps at 95% confidence, in points';
COMMENT ON COLUMN @extschema@.nps_daily.state IS 'nps_state of the group: merge with mycc.nps_merge for weeks, months or all channels';

-- ---------------------------------------------------------------------------
-- identity: one customer across every channel (design.md section 4;
-- docs/identity.md): identifier normalisation, the identity graph with
-- guarded merges and unmerge, contacts, conversations and the timeline.
--
-- Merges never rewrite customer_id in identity or contact rows (design.md
-- section 8): an absorbed customer points at its survivor (merged_into, a
-- forest) and at the survivor's root (root_id, flattened for reads).
-- ---------------------------------------------------------------------------

-- Normalisation.
CREATE FUNCTION @extschema@.identity_kinds() RETURNS text[]
	AS 'MODULE_PATHNAME', 'mycc_identity_kinds' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.identity_kinds() IS 'the identifier kinds mycc knows: phone, email, qq, wechat, wechat_unionid, weibo, app, in_game, web, store';

CREATE FUNCTION @extschema@.normalize_identity(kind text, value text) RETURNS text
	AS 'MODULE_PATHNAME', 'mycc_normalize_identity' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.normalize_identity(text, text) IS 'an identifier in canonical form: phones E.164 (national numbers get mycc.default_country_code), e-mail lower-cased, QQ digits, others trimmed; 22023 on bad input';

CREATE FUNCTION @extschema@.normalize_identity(kind text, value text, country_code text) RETURNS text
	AS 'MODULE_PATHNAME', 'mycc_normalize_identity_cc' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.normalize_identity(text, text, text) IS 'normalize_identity with an explicit default country calling code ('''' for none); immutable, for indexes and checks';

-- The identity graph's nodes: an identifier belongs to the customer that
-- first had it.  Keyed by the identifier (kind, value), not by customer, so
-- that the database itself guarantees one owner per identifier under any
-- concurrency and isolation level; scaled out, distribute it by value
-- (docs/identity.md#scaling-out).
CREATE TABLE @extschema@.identity (
	kind text NOT NULL,
	value text NOT NULL,
	customer_id bigint NOT NULL,
	source text,
	created_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
	CONSTRAINT identity_pkey PRIMARY KEY (kind, value),
	CONSTRAINT identity_normalized CHECK (@extschema@.normalize_identity(kind, value, '') OPERATOR(pg_catalog.=) value)
);
CREATE INDEX identity_customer_idx ON @extschema@.identity (customer_id);

COMMENT ON TABLE @extschema@.identity IS 'customer identifiers, one row a normalised identifier, owned by the customer that first had it (merges do not rewrite it)';
COMMENT ON COLUMN @extschema@.identity.kind IS 'identifier kind: one of mycc.identity_kinds()';
COMMENT ON COLUMN @extschema@.identity.value IS 'the identifier, as mycc.normalize_identity returns it';
COMMENT ON COLUMN @extschema@.identity.customer_id IS 'the customer the identifier was first seen with; mycc.customer_root gives whom it answers as';
COMMENT ON COLUMN @extschema@.identity.source IS 'where the identifier came from (free text: an app, an import, a link''s source)';
COMMENT ON COLUMN @extschema@.identity.created_at IS 'when the identifier was first seen';

SELECT pg_catalog.pg_extension_config_dump('@extschema@.identity', '');

-- Contacts: one interaction, keyed by customer (the distribution column).
-- No foreign key to mycc.customer: like identity rows, contacts keep the
-- customer id they were recorded under, and TRUNCATE of customers stays
-- possible.  The contact's own tags column (mycc.tagset) comes with the
-- tags capability, as the customer's does.
CREATE TYPE @extschema@.contact_status AS ENUM ('new', 'queued', 'assigned', 'finished', 'abandoned');
COMMENT ON TYPE @extschema@.contact_status IS 'where a contact is: new, queued (waiting for an agent), assigned, finished, abandoned';

CREATE SEQUENCE @extschema@.contact_id_seq AS bigint;
COMMENT ON SEQUENCE @extschema@.contact_id_seq IS 'ids of mycc.contact';

CREATE TABLE @extschema@.contact (
	customer_id bigint NOT NULL,
	id bigint NOT NULL DEFAULT pg_catalog.nextval('@extschema@.contact_id_seq'::pg_catalog.regclass),
	channel @extschema@.channel NOT NULL,
	identity_kind text,
	identity_value text,
	started_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
	ended_at timestamptz,
	topic text,
	case_ref text,
	tags @extschema@.tagset NOT NULL DEFAULT '{}',
	queue_id bigint,
	agent_id bigint,
	status @extschema@.contact_status NOT NULL DEFAULT 'new',
	priority integer,
	enqueued_at timestamptz,
	queue_key double precision,
	assigned_at timestamptz,
	outcome text,
	CONSTRAINT contact_pkey PRIMARY KEY (customer_id, id),
	CONSTRAINT contact_identity_pair CHECK ((identity_kind IS NULL) OPERATOR(pg_catalog.=) (identity_value IS NULL)),
	CONSTRAINT contact_ends_after_start CHECK (ended_at OPERATOR(pg_catalog.>=) started_at)
);
ALTER SEQUENCE @extschema@.contact_id_seq OWNED BY @extschema@.contact.id;
CREATE INDEX contact_customer_started_idx ON @extschema@.contact (customer_id, started_at);
CREATE INDEX contact_started_idx ON @extschema@.contact (started_at);
-- Routing: a contact by its id alone (enqueue, finish), and the waiting ones.
CREATE INDEX contact_id_idx ON @extschema@.contact (id);
-- The waiting contacts of a queue in the order agents take them (see
-- mycc.queue_key in src/sql/routing.sql).
CREATE INDEX contact_queued_idx ON @extschema@.contact (queue_id, queue_key, id)
	WHERE status OPERATOR(pg_catalog.=) 'queued'::@extschema@.contact_status;

COMMENT ON TABLE @extschema@.contact IS 'contacts: one interaction of a customer on a channel (a call, a chat, an e-mail thread, a form)';
COMMENT ON COLUMN @extschema@.contact.customer_id IS 'the customer, as resolved when the contact was recorded (never rewritten by merges)';
COMMENT ON COLUMN @extschema@.contact.id IS 'contact id, unique with customer_id';
COMMENT ON COLUMN @extschema@.contact.channel IS 'the channel the customer came by';
COMMENT ON COLUMN @extschema@.contact.identity_kind IS 'kind of the identifier the customer came with, if known';
COMMENT ON COLUMN @extschema@.contact.identity_value IS 'the identifier (normalised) the customer came with, if known';
COMMENT ON COLUMN @extschema@.contact.started_at IS 'when the contact started';
COMMENT ON COLUMN @extschema@.contact.ended_at IS 'when it ended; NULL while open';
COMMENT ON COLUMN @extschema@.contact.topic IS 'what it is about (refund, booking, ...)';
COMMENT ON COLUMN @extschema@.contact.case_ref IS 'case reference (an order, a booking, a ticket): contacts sharing one stay in one conversation';
COMMENT ON COLUMN @extschema@.contact.tags IS 'the contact''s own facts for routing (topic:refund, lang:en, ...)';
COMMENT ON COLUMN @extschema@.contact.queue_id IS 'the queue it was routed to (routing)';
COMMENT ON COLUMN @extschema@.contact.agent_id IS 'the agent who took it (routing)';
COMMENT ON COLUMN @extschema@.contact.status IS 'where the contact is';
COMMENT ON COLUMN @extschema@.contact.priority IS 'base queue priority, the customer''s tier''s (routing)';
COMMENT ON COLUMN @extschema@.contact.enqueued_at IS 'when it was first routed to a queue';
COMMENT ON COLUMN @extschema@.contact.queue_key IS 'its place in its queue: smaller is taken first (mycc.queue_key; routing)';
COMMENT ON COLUMN @extschema@.contact.assigned_at IS 'when an agent took it';
COMMENT ON COLUMN @extschema@.contact.outcome IS 'how it ended (resolved, callback, ...)';

SELECT pg_catalog.pg_extension_config_dump('@extschema@.contact', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.contact_id_seq', '');

-- The merge log: every merge mycc.link made, and its undoing.
CREATE SEQUENCE @extschema@.customer_merge_id_seq AS bigint;
COMMENT ON SEQUENCE @extschema@.customer_merge_id_seq IS 'ids of mycc.customer_merge';

CREATE TABLE @extschema@.customer_merge (
	id bigint NOT NULL DEFAULT pg_catalog.nextval('@extschema@.customer_merge_id_seq'::pg_catalog.regclass),
	survivor_id bigint NOT NULL,
	absorbed_id bigint NOT NULL,
	merged_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
	source text,
	kind_a text NOT NULL,
	value_a text NOT NULL,
	kind_b text NOT NULL,
	value_b text NOT NULL,
	absorbed_value numeric NOT NULL,
	survivor_tier @extschema@.customer_tier NOT NULL,
	merged_tier @extschema@.customer_tier NOT NULL,
	survivor_tags @extschema@.tagset NOT NULL DEFAULT '{}',
	merged_tags @extschema@.tagset NOT NULL DEFAULT '{}',
	undone_at timestamptz,
	survivor_tier_id smallint GENERATED ALWAYS AS (@extschema@.tier_id(survivor_tier)) STORED,
	merged_tier_id smallint GENERATED ALWAYS AS (@extschema@.tier_id(merged_tier)) STORED,
	CONSTRAINT customer_merge_pkey PRIMARY KEY (id),
	CONSTRAINT customer_merge_survivor_tier_fkey FOREIGN KEY (survivor_tier_id) REFERENCES @extschema@.tier (id),
	CONSTRAINT customer_merge_merged_tier_fkey FOREIGN KEY (merged_tier_id) REFERENCES @extschema@.tier (id),
	CONSTRAINT customer_merge_distinct CHECK (survivor_id OPERATOR(pg_catalog.<>) absorbed_id)
);
ALTER SEQUENCE @extschema@.customer_merge_id_seq OWNED BY @extschema@.customer_merge.id;
CREATE INDEX customer_merge_absorbed_idx ON @extschema@.customer_merge (absorbed_id);
CREATE INDEX customer_merge_survivor_idx ON @extschema@.customer_merge (survivor_id);

COMMENT ON TABLE @extschema@.customer_merge IS 'audit log of customer merges made by mycc.link; mycc.unmerge undoes one';
COMMENT ON COLUMN @extschema@.customer_merge.id IS 'merge id (the argument of mycc.unmerge)';
COMMENT ON COLUMN @extschema@.customer_merge.survivor_id IS 'the customer that survived (the older)';
COMMENT ON COLUMN @extschema@.customer_merge.absorbed_id IS 'the customer merged into it';
COMMENT ON COLUMN @extschema@.customer_merge.merged_at IS 'when';
COMMENT ON COLUMN @extschema@.customer_merge.source IS 'why: the source given to mycc.link';
COMMENT ON COLUMN @extschema@.customer_merge.kind_a IS 'kind of the first identifier of the link';
COMMENT ON COLUMN @extschema@.customer_merge.value_a IS 'the first identifier (normalised)';
COMMENT ON COLUMN @extschema@.customer_merge.kind_b IS 'kind of the second identifier';
COMMENT ON COLUMN @extschema@.customer_merge.value_b IS 'the second identifier (normalised)';
COMMENT ON COLUMN @extschema@.customer_merge.absorbed_value IS 'lifetime value the absorbed customer added to the survivor (taken back by unmerge)';
COMMENT ON COLUMN @extschema@.customer_merge.survivor_tier IS 'the survivor''s tier before the merge (restored by unmerge if unchanged since)';
COMMENT ON COLUMN @extschema@.customer_merge.merged_tier IS 'the survivor''s tier after the merge: the higher of the two';
COMMENT ON COLUMN @extschema@.customer_merge.survivor_tags IS 'the survivor''s tags before the merge (restored by unmerge if unchanged since)';
COMMENT ON COLUMN @extschema@.customer_merge.merged_tags IS 'the survivor''s tags after the merge: the union of the two';
COMMENT ON COLUMN @extschema@.customer_merge.survivor_tier_id IS 'survivor_tier''s id, generated: its foreign key makes pg_dump restore mycc.tier first (see mycc.customer.tier_id)';
COMMENT ON COLUMN @extschema@.customer_merge.merged_tier_id IS 'merged_tier''s id, generated, with a foreign key to mycc.tier';
COMMENT ON COLUMN @extschema@.customer_merge.undone_at IS 'when mycc.unmerge undid it; NULL while in force';

SELECT pg_catalog.pg_extension_config_dump('@extschema@.customer_merge', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.customer_merge_id_seq', '');

-- Refused links.
CREATE SEQUENCE @extschema@.identity_conflict_id_seq AS bigint;
COMMENT ON SEQUENCE @extschema@.identity_conflict_id_seq IS 'ids of mycc.identity_conflict';

CREATE TABLE @extschema@.identity_conflict (
	id bigint NOT NULL DEFAULT pg_catalog.nextval('@extschema@.identity_conflict_id_seq'::pg_catalog.regclass),
	kind_a text NOT NULL,
	value_a text NOT NULL,
	kind_b text NOT NULL,
	value_b text NOT NULL,
	customer_a bigint,
	customer_b bigint,
	reason text NOT NULL,
	detail text NOT NULL,
	source text,
	refused_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
	CONSTRAINT identity_conflict_pkey PRIMARY KEY (id),
	CONSTRAINT identity_conflict_reason CHECK (reason OPERATOR(pg_catalog.=) ANY ('{blocked,limit,size}'::text[]))
);
ALTER SEQUENCE @extschema@.identity_conflict_id_seq OWNED BY @extschema@.identity_conflict.id;

COMMENT ON TABLE @extschema@.identity_conflict IS 'links mycc.link refused because they would break a guard: nothing was merged, nothing is lost';
COMMENT ON COLUMN @extschema@.identity_conflict.id IS 'conflict id';
COMMENT ON COLUMN @extschema@.identity_conflict.kind_a IS 'kind of the first identifier of the link';
COMMENT ON COLUMN @extschema@.identity_conflict.value_a IS 'the first identifier (normalised)';
COMMENT ON COLUMN @extschema@.identity_conflict.kind_b IS 'kind of the second identifier';
COMMENT ON COLUMN @extschema@.identity_conflict.value_b IS 'the second identifier (normalised)';
COMMENT ON COLUMN @extschema@.identity_conflict.customer_a IS 'the customer of the first identifier then (NULL if new)';
COMMENT ON COLUMN @extschema@.identity_conflict.customer_b IS 'the customer of the second identifier then (NULL if new)';
COMMENT ON COLUMN @extschema@.identity_conflict.reason IS 'the guard: blocked (mycc.identity_block), limit (mycc.identity_limit), size (mycc.identity_max_per_customer)';
COMMENT ON COLUMN @extschema@.identity_conflict.detail IS 'the guard''s explanation';
COMMENT ON COLUMN @extschema@.identity_conflict.source IS 'the source given to mycc.link';
COMMENT ON COLUMN @extschema@.identity_conflict.refused_at IS 'when';

SELECT pg_catalog.pg_extension_config_dump('@extschema@.identity_conflict', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.identity_conflict_id_seq', '');

-- Guards: most identifiers of a kind per customer, and identifiers never
-- used to merge.  Seeded rows are dumped once changed (seeded turns false);
-- a restored row replaces the seeded row of the same key.
CREATE TABLE @extschema@.identity_limit (
	kind text NOT NULL,
	max_per_customer integer NOT NULL,
	seeded boolean NOT NULL DEFAULT false,
	CONSTRAINT identity_limit_pkey PRIMARY KEY (kind),
	CONSTRAINT identity_limit_kind CHECK (kind OPERATOR(pg_catalog.=) ANY (@extschema@.identity_kinds())),
	CONSTRAINT identity_limit_positive CHECK (max_per_customer OPERATOR(pg_catalog.>) 0)
);
COMMENT ON TABLE @extschema@.identity_limit IS 'over-merge guard: most identifiers of a kind one customer may have (1 = a unique kind, such as a WeChat unionid)';
COMMENT ON COLUMN @extschema@.identity_limit.kind IS 'identifier kind';
COMMENT ON COLUMN @extschema@.identity_limit.max_per_customer IS 'most identifiers of the kind per customer; a link beyond it is refused';
COMMENT ON COLUMN @extschema@.identity_limit.seeded IS 'true for a row the extension installed and nobody has changed';

CREATE TABLE @extschema@.identity_block (
	kind text NOT NULL,
	value text NOT NULL,
	reason text,
	seeded boolean NOT NULL DEFAULT false,
	CONSTRAINT identity_block_pkey PRIMARY KEY (kind, value),
	CONSTRAINT identity_block_kind CHECK (kind OPERATOR(pg_catalog.=) '*' OR kind OPERATOR(pg_catalog.=) ANY (@extschema@.identity_kinds()))
);
COMMENT ON TABLE @extschema@.identity_block IS 'over-merge guard: identifiers never used to merge customers (a front-desk phone, placeholders)';
COMMENT ON COLUMN @extschema@.identity_block.kind IS 'identifier kind, or * for a placeholder of every kind (matched ignoring ASCII case)';
COMMENT ON COLUMN @extschema@.identity_block.value IS 'the identifier, normalised (lower case for *)';
COMMENT ON COLUMN @extschema@.identity_block.reason IS 'why it is blocked';
COMMENT ON COLUMN @extschema@.identity_block.seeded IS 'true for a row the extension installed and nobody has changed';

CREATE FUNCTION @extschema@.identity_guard_before_write() RETURNS trigger
	LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	IF TG_OP OPERATOR(pg_catalog.=) 'UPDATE' THEN
		IF OLD.seeded AND NEW.seeded AND NEW IS DISTINCT FROM OLD THEN
			NEW.seeded := false;
		END IF;
	ELSIF TG_TABLE_NAME OPERATOR(pg_catalog.=) 'identity_limit' THEN
		DELETE FROM @extschema@.identity_limit AS l
		WHERE l.kind OPERATOR(pg_catalog.=) NEW.kind AND l.seeded AND NOT NEW.seeded;
	ELSE
		DELETE FROM @extschema@.identity_block AS b
		WHERE b.kind OPERATOR(pg_catalog.=) NEW.kind AND b.value OPERATOR(pg_catalog.=) NEW.value
			AND b.seeded AND NOT NEW.seeded;
	END IF;
	RETURN NEW;
END
$$;
COMMENT ON FUNCTION @extschema@.identity_guard_before_write() IS 'trigger: a changed seeded guard row is no longer seeded; an inserted row replaces the seeded row of its key (how pg_restore brings changes back)';

CREATE TRIGGER identity_limit_before_write BEFORE INSERT OR UPDATE ON @extschema@.identity_limit
	FOR EACH ROW EXECUTE FUNCTION @extschema@.identity_guard_before_write();
CREATE TRIGGER identity_block_before_write BEFORE INSERT OR UPDATE ON @extschema@.identity_block
	FOR EACH ROW EXECUTE FUNCTION @extschema@.identity_guard_before_write();

INSERT INTO @extschema@.identity_limit (kind, max_per_customer, seeded) VALUES
	('wechat_unionid', 1, true),
	('app', 1, true),
	('phone', 5, true),
	('email', 5, true),
	('qq', 3, true);
INSERT INTO @extschema@.identity_block (kind, value, reason, seeded) VALUES
	('*', '0', 'placeholder', true),
	('*', '-1', 'placeholder', true),
	('*', 'null', 'placeholder', true),
	('*', 'none', 'placeholder', true),
	('*', 'anonymous', 'placeholder', true),
	('*', 'unknown', 'placeholder', true),
	('*', 'undefined', 'placeholder', true);

SELECT pg_catalog.pg_extension_config_dump('@extschema@.identity_limit', 'WHERE NOT seeded');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.identity_block', 'WHERE NOT seeded');

-- Lookups.
CREATE FUNCTION @extschema@.customer_root(customer bigint) RETURNS bigint
	LANGUAGE sql STABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
SELECT COALESCE(c.root_id, c.id) FROM @extschema@.customer AS c WHERE c.id OPERATOR(pg_catalog.=) customer_root.customer
$$;
COMMENT ON FUNCTION @extschema@.customer_root(bigint) IS 'the customer a customer id answers as: itself, or the survivor it was merged into; NULL for no such customer';

-- PL/pgSQL, not SQL: PostgreSQL never inlines an SQL function with SET
-- search_path whose body reads tables, and plans its query again at every
-- statement that calls it; PL/pgSQL keeps the plan for the session.
-- resolve and link call it (up to four times a link) with values they
-- normalised already: normalising a normal form gives it back
-- (identity_normalize tests it, the identity fuzz target checks it).
CREATE FUNCTION @extschema@.lookup(kind text, value text) RETURNS bigint
	LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	root bigint;
BEGIN
	SELECT COALESCE(c.root_id, c.id) INTO root
	FROM @extschema@.identity AS i
	JOIN @extschema@.customer AS c ON c.id OPERATOR(pg_catalog.=) i.customer_id
	WHERE i.kind OPERATOR(pg_catalog.=) lookup.kind
		AND i.value OPERATOR(pg_catalog.=) @extschema@.normalize_identity(lookup.kind, lookup.value);
	RETURN root;
END
$$;
COMMENT ON FUNCTION @extschema@.lookup(text, text) IS 'the customer owning an identifier (the survivor, after merges), or NULL; creates nothing';

CREATE FUNCTION @extschema@.customer_identities(customer bigint)
	RETURNS TABLE (kind text, value text, customer_id bigint, source text, created_at timestamptz)
	LANGUAGE sql STABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
SELECT i.kind, i.value, i.customer_id, i.source, i.created_at
FROM @extschema@.customer AS c
JOIN @extschema@.identity AS i ON i.customer_id OPERATOR(pg_catalog.=) c.id
WHERE COALESCE(c.root_id, c.id) OPERATOR(pg_catalog.=) @extschema@.customer_root(customer_identities.customer)
ORDER BY i.kind, i.value
$$;
COMMENT ON FUNCTION @extschema@.customer_identities(bigint) IS 'every identifier of a customer and of the customers merged into it, with the customer each came with';

-- resolve: find or create.
CREATE FUNCTION @extschema@.resolve(kind text, value text, source text DEFAULT NULL) RETURNS bigint
	LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	normal text := @extschema@.normalize_identity(resolve.kind, resolve.value);
	found_id bigint;
	new_id bigint;
BEGIN
	IF normal IS NULL THEN
		RETURN NULL;
	END IF;
	found_id := @extschema@.lookup(resolve.kind, normal);
	IF found_id IS NOT NULL THEN
		RETURN found_id;
	END IF;
	-- A new identifier: a new customer owns it, unless another session
	-- inserts it first, in which case the unique key makes this insert
	-- wait for that session and then do nothing.  The loser's customer is
	-- rolled back with a subtransaction rather than deleted, so that
	-- calling resolve needs no DELETE right on mycc.customer (mycc_agent
	-- has none; docs/operations.md#roles).
	BEGIN
		INSERT INTO @extschema@.customer DEFAULT VALUES RETURNING id INTO new_id;
		INSERT INTO @extschema@.identity AS i (kind, value, customer_id, source)
		VALUES (resolve.kind, normal, new_id, resolve.source)
		ON CONFLICT ON CONSTRAINT identity_pkey DO NOTHING;
		IF FOUND THEN
			RETURN new_id;
		END IF;
		RAISE EXCEPTION 'lost the race' USING ERRCODE = 'MYC01';
	EXCEPTION
		WHEN SQLSTATE 'MYC01' THEN
			NULL;
	END;
	RETURN @extschema@.lookup(resolve.kind, normal);
END
$$;
COMMENT ON FUNCTION @extschema@.resolve(text, text, text) IS 'the customer owning an identifier, creating a customer for a new one; concurrent calls for one new identifier get one customer';

-- link: two identifiers are the same person.
CREATE FUNCTION @extschema@.link(kind_a text, value_a text, kind_b text, value_b text, source text DEFAULT NULL)
	RETURNS bigint
	LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	va text;
	vb text;
	ca bigint;
	cb bigint;
	locked bigint;
	survivor @extschema@.customer;
	absorbed @extschema@.customer;
	guard text;
	why text;
	merged_tier @extschema@.customer_tier;
	total numeric;
	attempt integer := 0;
BEGIN
	IF kind_a IS NULL OR value_a IS NULL OR kind_b IS NULL OR value_b IS NULL THEN
		RAISE EXCEPTION 'identifiers to link must not be null'
			USING ERRCODE = '22023';
	END IF;
	va := @extschema@.normalize_identity(kind_a, value_a);
	vb := @extschema@.normalize_identity(kind_b, value_b);
	IF kind_a OPERATOR(pg_catalog.=) kind_b AND va OPERATOR(pg_catalog.=) vb THEN
		RETURN @extschema@.resolve(kind_a, va, link.source);
	END IF;

	-- Guard: blocked identifiers never merge anything.
	SELECT pg_catalog.format('%s identifier "%s" is blocked (%s)', b.kind, b.value, COALESCE(b.reason, 'no reason given'))
	INTO why
	FROM @extschema@.identity_block AS b
	WHERE (b.kind OPERATOR(pg_catalog.=) kind_a AND b.value OPERATOR(pg_catalog.=) va)
		OR (b.kind OPERATOR(pg_catalog.=) kind_b AND b.value OPERATOR(pg_catalog.=) vb)
		OR (b.kind OPERATOR(pg_catalog.=) '*' AND (b.value OPERATOR(pg_catalog.=) pg_catalog.lower(va)
			OR b.value OPERATOR(pg_catalog.=) pg_catalog.lower(vb)))
	ORDER BY b.kind, b.value
	LIMIT 1;
	IF why IS NOT NULL THEN
		guard := 'blocked';
		ca := @extschema@.lookup(kind_a, va);
		cb := @extschema@.lookup(kind_b, vb);
	END IF;

	WHILE guard IS NULL LOOP
		attempt := attempt OPERATOR(pg_catalog.+) 1;
		BEGIN
			ca := @extschema@.lookup(kind_a, va);
			cb := @extschema@.lookup(kind_b, vb);
			IF ca IS NOT NULL AND ca OPERATOR(pg_catalog.=) cb THEN
				RETURN ca;
			END IF;

			-- Lock the roots involved, in id order, then check that nothing
			-- moved while waiting; if something did, roll this attempt back
			-- (releasing its locks) and start again.  Every change to a
			-- tree happens under its root's lock, so calls never deadlock
			-- one another (a caller's own earlier locks still can).
			SELECT pg_catalog.count(*) INTO locked FROM (
				SELECT c.id FROM @extschema@.customer AS c
				WHERE (c.id OPERATOR(pg_catalog.=) ca OR c.id OPERATOR(pg_catalog.=) cb)
					AND c.merged_into IS NULL
				ORDER BY c.id
				FOR UPDATE
			) AS l;
			IF locked OPERATOR(pg_catalog.<>) ((ca IS NOT NULL)::integer OPERATOR(pg_catalog.+) (cb IS NOT NULL)::integer)
				OR @extschema@.lookup(kind_a, va) IS DISTINCT FROM ca
				OR @extschema@.lookup(kind_b, vb) IS DISTINCT FROM cb THEN
				RAISE EXCEPTION 'retry' USING ERRCODE = 'MYC01';
			END IF;

			-- Guards on the customer the link would make: its identifiers
			-- (the two trees' and the new ones), per kind and in all.  A
			-- kind's limit refuses a link that takes the kind beyond it
			-- (a customer already beyond a lowered limit may still link
			-- identifiers of other kinds); the size breaker refuses any
			-- link that leaves a customer beyond it.
			WITH members AS (
				SELECT c.id, COALESCE(c.root_id, c.id) AS root FROM @extschema@.customer AS c
				WHERE COALESCE(c.root_id, c.id) OPERATOR(pg_catalog.=) ANY (ARRAY[ca, cb])
			), ids AS (
				SELECT i.kind, i.value, m.root IS NOT DISTINCT FROM ca AS in_a, m.root IS NOT DISTINCT FROM cb AS in_b
				FROM @extschema@.identity AS i
				JOIN members AS m ON m.id OPERATOR(pg_catalog.=) i.customer_id
				UNION
				SELECT kind_a, va, false, false WHERE ca IS NULL
				UNION
				SELECT kind_b, vb, false, false WHERE cb IS NULL
			), per_kind AS (
				SELECT ids.kind, pg_catalog.count(*) AS n,
					pg_catalog.count(*) FILTER (WHERE ids.in_a) AS n_a,
					pg_catalog.count(*) FILTER (WHERE ids.in_b) AS n_b
				FROM ids GROUP BY ids.kind
			)
			SELECT
				(SELECT pg_catalog.format('a customer may have %s %s identifier(s); this link would give it %s',
						l.max_per_customer, l.kind, p.n)
				 FROM per_kind AS p
				 JOIN @extschema@.identity_limit AS l ON l.kind OPERATOR(pg_catalog.=) p.kind
				 WHERE p.n OPERATOR(pg_catalog.>) l.max_per_customer
					AND p.n OPERATOR(pg_catalog.>) GREATEST(p.n_a, p.n_b)
				 ORDER BY l.kind
				 LIMIT 1),
				(SELECT pg_catalog.sum(p.n) FROM per_kind AS p)
			INTO why, total;
			IF why IS NOT NULL THEN
				guard := 'limit';
				EXIT;
			END IF;
			IF total OPERATOR(pg_catalog.>) pg_catalog.current_setting('mycc.identity_max_per_customer')::integer THEN
				guard := 'size';
				why := pg_catalog.format('a customer may have %s identifiers (mycc.identity_max_per_customer); this link would give it %s',
					pg_catalog.current_setting('mycc.identity_max_per_customer'), total);
				EXIT;
			END IF;

			IF ca IS NULL AND cb IS NULL THEN
				-- Both new: one new customer owns both.
				INSERT INTO @extschema@.customer DEFAULT VALUES RETURNING * INTO survivor;
				INSERT INTO @extschema@.identity AS i (kind, value, customer_id, source)
				VALUES (kind_a, va, survivor.id, link.source), (kind_b, vb, survivor.id, link.source)
				ON CONFLICT ON CONSTRAINT identity_pkey DO NOTHING;
				IF NOT FOUND THEN
					RAISE EXCEPTION 'retry' USING ERRCODE = 'MYC01';
				END IF;
				IF @extschema@.lookup(kind_a, va) IS DISTINCT FROM survivor.id
					OR @extschema@.lookup(kind_b, vb) IS DISTINCT FROM survivor.id THEN
					RAISE EXCEPTION 'retry' USING ERRCODE = 'MYC01';
				END IF;
				RETURN survivor.id;
			ELSIF ca IS NULL OR cb IS NULL THEN
				-- One new identifier joins the other's customer.
				INSERT INTO @extschema@.identity AS i (kind, value, customer_id, source)
				SELECT x.kind, x.value, COALESCE(ca, cb), link.source
				FROM (VALUES (kind_a, va, ca), (kind_b, vb, cb)) AS x(kind, value, owner)
				WHERE x.owner IS NULL
				ON CONFLICT ON CONSTRAINT identity_pkey DO NOTHING;
				IF NOT FOUND THEN
					RAISE EXCEPTION 'retry' USING ERRCODE = 'MYC01';
				END IF;
				RETURN COALESCE(ca, cb);
			END IF;

			-- Two customers: the older survives.
			SELECT * INTO survivor FROM @extschema@.customer AS c
			WHERE c.id OPERATOR(pg_catalog.=) ca OR c.id OPERATOR(pg_catalog.=) cb
			ORDER BY c.created_at, c.id LIMIT 1;
			SELECT * INTO absorbed FROM @extschema@.customer AS c
			WHERE (c.id OPERATOR(pg_catalog.=) ca OR c.id OPERATOR(pg_catalog.=) cb)
				AND c.id OPERATOR(pg_catalog.<>) survivor.id;
			merged_tier := GREATEST(survivor.tier, absorbed.tier);
			UPDATE @extschema@.customer AS c
			SET merged_into = survivor.id, merged_at = pg_catalog.now(), root_id = survivor.id
			WHERE c.id OPERATOR(pg_catalog.=) absorbed.id;
			-- Its tree follows (absorbed itself points at the survivor already).
			UPDATE @extschema@.customer AS c
			SET root_id = survivor.id
			WHERE COALESCE(c.root_id, c.id) OPERATOR(pg_catalog.=) absorbed.id;
			UPDATE @extschema@.customer AS c
			SET lifetime_value = c.lifetime_value OPERATOR(pg_catalog.+) absorbed.lifetime_value,
				tier = merged_tier,
				tags = survivor.tags OPERATOR(@extschema@.||) absorbed.tags
			WHERE c.id OPERATOR(pg_catalog.=) survivor.id;
			INSERT INTO @extschema@.customer_merge (survivor_id, absorbed_id, source, kind_a, value_a, kind_b, value_b,
				absorbed_value, survivor_tier, merged_tier, survivor_tags, merged_tags)
			VALUES (survivor.id, absorbed.id, link.source, kind_a, va, kind_b, vb,
				absorbed.lifetime_value, survivor.tier, merged_tier,
				survivor.tags, survivor.tags OPERATOR(@extschema@.||) absorbed.tags);
			RETURN survivor.id;
		EXCEPTION
			WHEN SQLSTATE 'MYC01' THEN
				IF attempt OPERATOR(pg_catalog.>=) 20 THEN
					RAISE EXCEPTION 'could not link % identifier "%" and % identifier "%" after % attempts',
						kind_a, va, kind_b, vb, attempt
						USING ERRCODE = '40001', HINT = 'Other sessions kept changing these customers; retry the transaction.';
				END IF;
		END;
	END LOOP;

	-- A guard refused the link: log it, nothing changes.
	INSERT INTO @extschema@.identity_conflict (kind_a, value_a, kind_b, value_b, customer_a, customer_b, reason, detail, source)
	VALUES (kind_a, va, kind_b, vb, ca, cb, guard, why, link.source);
	RAISE NOTICE 'link of % identifier "%" and % identifier "%" refused: %', kind_a, va, kind_b, vb, why
		USING DETAIL = 'The link is recorded in mycc.identity_conflict; nothing was merged.';
	RETURN NULL;
END
$$;
COMMENT ON FUNCTION @extschema@.link(text, text, text, text, text) IS 'the two identifiers are one person: merge their customers (the older survives; logged in mycc.customer_merge), or add a new identifier to the other''s customer; NULL with a NOTICE and a row in mycc.identity_conflict when a guard refuses';

-- unmerge: undo one merge.
CREATE FUNCTION @extschema@.unmerge(merge_id bigint) RETURNS bigint
	LANGUAGE plpgsql VOLATILE STRICT PARALLEL UNSAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	m @extschema@.customer_merge;
	absorbed @extschema@.customer;
	root bigint;
	attempt integer := 0;
BEGIN
	SELECT * INTO m FROM @extschema@.customer_merge AS cm WHERE cm.id OPERATOR(pg_catalog.=) merge_id FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'merge % does not exist', merge_id
			USING ERRCODE = '42704', HINT = 'Merges are listed in mycc.customer_merge.';
	END IF;
	IF m.undone_at IS NOT NULL THEN
		RAISE EXCEPTION 'merge % was already undone', merge_id
			USING ERRCODE = '55000', HINT = 'mycc.customer_merge.undone_at says when.';
	END IF;
	-- Lock the root of the tree first: every change to a tree happens
	-- under its root's lock (mycc.link locks roots only, in id order), so
	-- links and unmerges never deadlock.  If the root moved while this
	-- waited for it, roll the attempt back, releasing the lock on what is
	-- no longer a root (another unmerge holding the new root may need to
	-- update it: the two deadlocked in the identity stress test), and
	-- start again.
	LOOP
		attempt := attempt OPERATOR(pg_catalog.+) 1;
		BEGIN
			root := @extschema@.customer_root(m.absorbed_id);
			PERFORM FROM @extschema@.customer AS c
			WHERE c.id OPERATOR(pg_catalog.=) root AND c.merged_into IS NULL
			FOR UPDATE;
			IF NOT FOUND OR @extschema@.customer_root(m.absorbed_id) IS DISTINCT FROM root THEN
				RAISE EXCEPTION 'retry' USING ERRCODE = 'MYC01';
			END IF;
			EXIT;
		EXCEPTION
			WHEN SQLSTATE 'MYC01' THEN
				IF attempt OPERATOR(pg_catalog.>=) 20 THEN
					RAISE EXCEPTION 'could not undo merge % after % attempts', merge_id, attempt
						USING ERRCODE = '40001', HINT = 'Other sessions kept changing these customers; retry the transaction.';
				END IF;
		END;
	END LOOP;
	SELECT * INTO absorbed FROM @extschema@.customer AS c WHERE c.id OPERATOR(pg_catalog.=) m.absorbed_id;
	IF NOT FOUND OR absorbed.merged_into IS DISTINCT FROM m.survivor_id THEN
		RAISE EXCEPTION 'customer % is no longer merged into customer %', m.absorbed_id, m.survivor_id
			USING ERRCODE = '55000';
	END IF;
	-- The absorbed customer and everything merged into it before become a tree of their own.
	WITH RECURSIVE subtree(id) AS (
		SELECT c.id FROM @extschema@.customer AS c WHERE c.merged_into OPERATOR(pg_catalog.=) m.absorbed_id
		UNION ALL
		SELECT c.id FROM @extschema@.customer AS c JOIN subtree AS s ON c.merged_into OPERATOR(pg_catalog.=) s.id
	)
	UPDATE @extschema@.customer AS c SET root_id = m.absorbed_id
	FROM subtree AS s WHERE c.id OPERATOR(pg_catalog.=) s.id;
	UPDATE @extschema@.customer AS c SET merged_into = NULL, root_id = NULL, merged_at = NULL
	WHERE c.id OPERATOR(pg_catalog.=) m.absorbed_id;
	-- The survivor, and every customer it was merged into since, gave the
	-- absorbed value to the one above: take it back all the way up.  The
	-- survivor's tier and tags return to what they were if nobody changed
	-- them since.
	WITH RECURSIVE up(id) AS (
		SELECT m.survivor_id
		UNION ALL
		SELECT c.merged_into FROM @extschema@.customer AS c JOIN up ON c.id OPERATOR(pg_catalog.=) up.id
		WHERE c.merged_into IS NOT NULL
	)
	UPDATE @extschema@.customer AS c
	SET lifetime_value = c.lifetime_value OPERATOR(pg_catalog.-) m.absorbed_value
	FROM up WHERE c.id OPERATOR(pg_catalog.=) up.id;
	UPDATE @extschema@.customer AS c
	SET tier = m.survivor_tier
	WHERE c.id OPERATOR(pg_catalog.=) m.survivor_id AND c.tier OPERATOR(@extschema@.=) m.merged_tier;
	UPDATE @extschema@.customer AS c
	SET tags = m.survivor_tags
	WHERE c.id OPERATOR(pg_catalog.=) m.survivor_id AND c.tags OPERATOR(@extschema@.=) m.merged_tags;
	UPDATE @extschema@.customer_merge AS cm SET undone_at = pg_catalog.now() WHERE cm.id OPERATOR(pg_catalog.=) merge_id;
	RETURN m.absorbed_id;
END
$$;
COMMENT ON FUNCTION @extschema@.unmerge(bigint) IS 'undoes one merge of mycc.customer_merge: the absorbed customer comes back with the identities, contacts and merges it brought; returns its id';

-- Connected components (bulk back-fills of identity graphs).
CREATE FUNCTION @extschema@.connected_components(edges text, OUT node bigint, OUT component bigint)
	RETURNS SETOF record
	AS 'MODULE_PATHNAME', 'mycc_connected_components' LANGUAGE C VOLATILE STRICT PARALLEL UNSAFE;
COMMENT ON FUNCTION @extschema@.connected_components(text) IS 'the connected components of the graph whose edges (a, b) a query returns, by union-find: every node with the smallest node of its component';

-- Conversations.
CREATE FUNCTION @extschema@.session_id(ts timestamptz, gap interval) RETURNS bigint
	AS 'MODULE_PATHNAME', 'mycc_session_id' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.session_id(ts timestamptz, gap interval, case_ref text) RETURNS bigint
	AS 'MODULE_PATHNAME', 'mycc_session_id' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.session_id(timestamptz, interval) IS 'window function: conversation number, 1 up, a new one after more than gap of idle time (OVER (PARTITION BY customer ORDER BY ts))';
COMMENT ON FUNCTION @extschema@.session_id(timestamptz, interval, text) IS 'window function: conversation number, a new one after more than gap of idle time unless the contact has the previous contact''s case reference';

CREATE FUNCTION @extschema@.conversation_gap() RETURNS interval
	AS 'MODULE_PATHNAME', 'mycc_conversation_gap' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.conversation_gap() IS 'the mycc.conversation_gap setting as an interval';

CREATE VIEW @extschema@.conversation AS
SELECT s.customer_id, s.conversation,
	pg_catalog.min(s.started_at) AS started,
	pg_catalog.max(COALESCE(s.ended_at, s.started_at)) AS ended,
	pg_catalog.array_agg(DISTINCT s.channel ORDER BY s.channel) AS channels,
	pg_catalog.count(*) AS contacts
FROM (
	SELECT COALESCE(cu.root_id, cu.id) AS customer_id, c.started_at, c.ended_at, c.channel,
		@extschema@.session_id(c.started_at, @extschema@.conversation_gap(), c.case_ref)
			OVER (PARTITION BY COALESCE(cu.root_id, cu.id) ORDER BY c.started_at, c.id) AS conversation
	FROM @extschema@.contact AS c
	JOIN @extschema@.customer AS cu ON cu.id OPERATOR(pg_catalog.=) c.customer_id
) AS s
GROUP BY s.customer_id, s.conversation;

COMMENT ON VIEW @extschema@.conversation IS 'conversations: a customer''s contacts on every channel, split after mycc.conversation_gap of idle time unless a case reference carries on';
COMMENT ON COLUMN @extschema@.conversation.customer_id IS 'the customer (the survivor, after merges)';
COMMENT ON COLUMN @extschema@.conversation.conversation IS 'conversation number of the customer, 1 up in time order';
COMMENT ON COLUMN @extschema@.conversation.started IS 'start of its first contact';
COMMENT ON COLUMN @extschema@.conversation.ended IS 'latest end (or start) of its contacts';
COMMENT ON COLUMN @extschema@.conversation.channels IS 'the channels it used';
COMMENT ON COLUMN @extschema@.conversation.contacts IS 'number of contacts';

CREATE FUNCTION @extschema@.timeline(customer bigint)
	RETURNS TABLE (conversation bigint, contact_id bigint, started_at timestamptz, ended_at timestamptz,
		channel @extschema@.channel, identity_kind text, identity_value text, topic text, case_ref text,
		status @extschema@.contact_status, agent_id bigint, outcome text, customer_id bigint)
	LANGUAGE sql STABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
SELECT t.conversation, t.id, t.started_at, t.ended_at, t.channel, t.identity_kind, t.identity_value,
	t.topic, t.case_ref, t.status, t.agent_id, t.outcome, t.customer_id
FROM (
	SELECT @extschema@.session_id(c.started_at, @extschema@.conversation_gap(), c.case_ref)
			OVER (ORDER BY c.started_at, c.id) AS conversation, c.*
	FROM @extschema@.contact AS c
	JOIN @extschema@.customer AS cu ON cu.id OPERATOR(pg_catalog.=) c.customer_id
	WHERE COALESCE(cu.root_id, cu.id) OPERATOR(pg_catalog.=) @extschema@.customer_root(timeline.customer)
) AS t
ORDER BY t.started_at DESC, t.id DESC
$$;
COMMENT ON FUNCTION @extschema@.timeline(bigint) IS 'every contact of a customer (and of the customers merged into it) on every channel, newest first, with its conversation number';

-- ---------------------------------------------------------------------------
-- routing: queues, agents, routing rules, enqueue / claim / finish, account
-- managers, the decision log and replay, re-routing on change, service
-- levels (design.md section 5; docs/routing.md)
-- ---------------------------------------------------------------------------

CREATE TYPE @extschema@.agent_status AS ENUM ('offline', 'available', 'busy', 'away');
COMMENT ON TYPE @extschema@.agent_status IS 'whether an agent takes work: only available agents are given contacts';

CREATE SEQUENCE @extschema@.queue_id_seq AS bigint;
COMMENT ON SEQUENCE @extschema@.queue_id_seq IS 'ids of mycc.queue';
CREATE TABLE @extschema@.queue (
	id bigint NOT NULL DEFAULT pg_catalog.nextval('@extschema@.queue_id_seq'::pg_catalog.regclass),
	name text NOT NULL,
	required_skills @extschema@.tagset NOT NULL DEFAULT '{}',
	service_mode @extschema@.service_mode,
	target_answer interval NOT NULL DEFAULT '5 minutes',
	aging_weight double precision NOT NULL DEFAULT 10,
	is_default boolean NOT NULL DEFAULT false,
	CONSTRAINT queue_pkey PRIMARY KEY (id),
	CONSTRAINT queue_name_key UNIQUE (name),
	CONSTRAINT queue_target_positive CHECK (target_answer OPERATOR(pg_catalog.>) '0'::interval),
	CONSTRAINT queue_aging_weight_valid CHECK (aging_weight OPERATOR(pg_catalog.>=) 0::double precision
		AND aging_weight OPERATOR(pg_catalog.<) 'Infinity'::double precision)
);
ALTER SEQUENCE @extschema@.queue_id_seq OWNED BY @extschema@.queue.id;
CREATE UNIQUE INDEX queue_one_default ON @extschema@.queue (is_default) WHERE is_default;
COMMENT ON TABLE @extschema@.queue IS 'queues contacts wait in for an agent';
COMMENT ON COLUMN @extschema@.queue.id IS 'queue id';
COMMENT ON COLUMN @extschema@.queue.name IS 'queue name, unique';
COMMENT ON COLUMN @extschema@.queue.required_skills IS 'skills an agent needs to take this queue''s contacts';
COMMENT ON COLUMN @extschema@.queue.service_mode IS 'how the queue serves (informational)';
COMMENT ON COLUMN @extschema@.queue.target_answer IS 'target time to answer: the service level threshold and the unit of aging';
COMMENT ON COLUMN @extschema@.queue.aging_weight IS 'priority points a contact gains per target_answer waited';
COMMENT ON COLUMN @extschema@.queue.is_default IS 'true for the one queue contacts go to when no rule matches';
COMMENT ON INDEX @extschema@.queue_one_default IS 'at most one default queue';

CREATE SEQUENCE @extschema@.agent_id_seq AS bigint;
COMMENT ON SEQUENCE @extschema@.agent_id_seq IS 'ids of mycc.agent';
CREATE TABLE @extschema@.agent (
	id bigint NOT NULL DEFAULT pg_catalog.nextval('@extschema@.agent_id_seq'::pg_catalog.regclass),
	name text NOT NULL,
	skills @extschema@.tagset NOT NULL DEFAULT '{}',
	capacity integer NOT NULL DEFAULT 1,
	status @extschema@.agent_status NOT NULL DEFAULT 'offline',
	active_contacts integer NOT NULL DEFAULT 0,
	last_assigned_at timestamptz,
	CONSTRAINT agent_pkey PRIMARY KEY (id),
	CONSTRAINT agent_capacity_valid CHECK (capacity OPERATOR(pg_catalog.>=) 0),
	CONSTRAINT agent_active_valid CHECK (active_contacts OPERATOR(pg_catalog.>=) 0)
);
ALTER SEQUENCE @extschema@.agent_id_seq OWNED BY @extschema@.agent.id;
COMMENT ON TABLE @extschema@.agent IS 'agents who take contacts';
COMMENT ON COLUMN @extschema@.agent.id IS 'agent id';
COMMENT ON COLUMN @extschema@.agent.name IS 'display name';
COMMENT ON COLUMN @extschema@.agent.skills IS 'what the agent can handle; account_manager marks a dedicated account manager';
COMMENT ON COLUMN @extschema@.agent.capacity IS 'most contacts the agent handles at once';
COMMENT ON COLUMN @extschema@.agent.status IS 'offline, available, busy or away; only available agents are given contacts';
COMMENT ON COLUMN @extschema@.agent.active_contacts IS 'contacts assigned and not finished (kept by next_contact and finish)';
COMMENT ON COLUMN @extschema@.agent.last_assigned_at IS 'when the agent was last given a contact';

ALTER TABLE @extschema@.customer
	ADD CONSTRAINT customer_account_manager_fkey FOREIGN KEY (account_manager)
	REFERENCES @extschema@.agent (id) ON DELETE SET NULL;

CREATE SEQUENCE @extschema@.routing_rule_id_seq AS bigint;
COMMENT ON SEQUENCE @extschema@.routing_rule_id_seq IS 'ids of mycc.routing_rule';
CREATE TABLE @extschema@.routing_rule (
	id bigint NOT NULL DEFAULT pg_catalog.nextval('@extschema@.routing_rule_id_seq'::pg_catalog.regclass),
	priority integer NOT NULL DEFAULT 0,
	condition @extschema@.tagquery NOT NULL,
	queue_id bigint NOT NULL,
	enabled boolean NOT NULL DEFAULT true,
	note text,
	CONSTRAINT routing_rule_pkey PRIMARY KEY (id),
	CONSTRAINT routing_rule_queue_fkey FOREIGN KEY (queue_id) REFERENCES @extschema@.queue (id)
);
ALTER SEQUENCE @extschema@.routing_rule_id_seq OWNED BY @extschema@.routing_rule.id;
CREATE INDEX routing_rule_queue_idx ON @extschema@.routing_rule (queue_id);
COMMENT ON TABLE @extschema@.routing_rule IS 'routing rules: a contact whose facts satisfy condition goes to queue; the highest priority wins, then the lowest id';
COMMENT ON COLUMN @extschema@.routing_rule.id IS 'rule id; the tie-break between equal priorities (lower first)';
COMMENT ON COLUMN @extschema@.routing_rule.priority IS 'higher is tried first';
COMMENT ON COLUMN @extschema@.routing_rule.condition IS 'tag query over the contact''s facts (customer tags, tier:…, channel:…, topic:…, the contact''s tags)';
COMMENT ON COLUMN @extschema@.routing_rule.queue_id IS 'the queue a matching contact goes to';
COMMENT ON COLUMN @extschema@.routing_rule.enabled IS 'false: kept but not applied';
COMMENT ON COLUMN @extschema@.routing_rule.note IS 'why the rule exists';

CREATE TRIGGER queue_invalidate AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON @extschema@.queue
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.policy_invalidate();
CREATE TRIGGER routing_rule_invalidate AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON @extschema@.routing_rule
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.policy_invalidate();

CREATE SEQUENCE @extschema@.routing_decision_id_seq AS bigint;
COMMENT ON SEQUENCE @extschema@.routing_decision_id_seq IS 'ids of mycc.routing_decision';
CREATE TABLE @extschema@.routing_decision (
	customer_id bigint NOT NULL,
	id bigint NOT NULL DEFAULT pg_catalog.nextval('@extschema@.routing_decision_id_seq'::pg_catalog.regclass),
	contact_id bigint NOT NULL,
	facts @extschema@.tagset NOT NULL,
	rule_id bigint,
	queue_id bigint NOT NULL,
	priority integer NOT NULL,
	reason text NOT NULL,
	decided_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
	CONSTRAINT routing_decision_pkey PRIMARY KEY (customer_id, id),
	CONSTRAINT routing_decision_reason_valid CHECK (reason OPERATOR(pg_catalog.=) 'enqueue'
		OR reason OPERATOR(pg_catalog.=) 'reroute')
);
ALTER SEQUENCE @extschema@.routing_decision_id_seq OWNED BY @extschema@.routing_decision.id;
CREATE INDEX routing_decision_decided_idx ON @extschema@.routing_decision (decided_at);
COMMENT ON TABLE @extschema@.routing_decision IS 'every routing decision: which facts, which rule, which queue, when (explainable routing)';
COMMENT ON COLUMN @extschema@.routing_decision.customer_id IS 'the contact''s customer (part of the key, for Citus)';
COMMENT ON COLUMN @extschema@.routing_decision.id IS 'decision id';
COMMENT ON COLUMN @extschema@.routing_decision.contact_id IS 'the contact routed';
COMMENT ON COLUMN @extschema@.routing_decision.facts IS 'the facts the rules saw';
COMMENT ON COLUMN @extschema@.routing_decision.rule_id IS 'the rule that matched; NULL: the default queue';
COMMENT ON COLUMN @extschema@.routing_decision.queue_id IS 'the queue chosen';
COMMENT ON COLUMN @extschema@.routing_decision.priority IS 'the base priority given';
COMMENT ON COLUMN @extschema@.routing_decision.reason IS 'enqueue, or reroute (while it waited, the customer''s tier or tags changed, or it was merged or unmerged)';
COMMENT ON COLUMN @extschema@.routing_decision.decided_at IS 'when';

SELECT pg_catalog.pg_extension_config_dump('@extschema@.queue', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.queue_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.agent', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.agent_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.routing_rule', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.routing_rule_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.routing_decision', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.routing_decision_id_seq', '');

-- Routing.
CREATE FUNCTION @extschema@.route(facts @extschema@.tagset, OUT queue bigint, OUT rule bigint) RETURNS record
	AS 'MODULE_PATHNAME', 'mycc_route' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.route(@extschema@.tagset) IS 'the queue for these facts: the highest-priority enabled rule that matches (then lowest id), else the default queue with a NULL rule, else NULLs';

-- In C: calling it loads the library, which defines the GUC (a session's
-- first next_contact must not fail with "unrecognized configuration
-- parameter").
CREATE FUNCTION @extschema@.account_manager_hold() RETURNS interval
	AS 'MODULE_PATHNAME', 'mycc_account_manager_hold' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.account_manager_hold() IS 'GUC mycc.account_manager_hold as an interval: how long a customer''s contact waits for its account manager alone';

-- The facts of a contact: the customer's (its survivor's, after merges)
-- tags, tier:<tier>, channel:<channel>, topic:<topic>, the contact's tags.
CREATE FUNCTION @extschema@.contact_facts(customer_id bigint, contact_id bigint) RETURNS @extschema@.tagset
	LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp
	RETURN (SELECT c.tags OPERATOR(@extschema@.||) k.tags OPERATOR(@extschema@.||)
			@extschema@.tagset(pg_catalog.array_remove(ARRAY[
				'tier:' OPERATOR(pg_catalog.||) c.tier::text,
				'channel:' OPERATOR(pg_catalog.||) k.channel::text,
				'topic:' OPERATOR(pg_catalog.||) k.topic], NULL))
		FROM @extschema@.contact AS k
		JOIN @extschema@.customer AS c
			ON c.id OPERATOR(pg_catalog.=) @extschema@.customer_root(k.customer_id)
		WHERE k.customer_id OPERATOR(pg_catalog.=) contact_facts.customer_id
			AND k.id OPERATOR(pg_catalog.=) contact_facts.contact_id);
COMMENT ON FUNCTION @extschema@.contact_facts(bigint, bigint) IS 'the facts routing sees for a contact: customer tags, tier:…, channel:…, topic:…, the contact''s tags';

-- Routes one contact (locked by the caller) and logs the decision; a
-- re-route that changes neither queue nor priority changes nothing.
CREATE FUNCTION @extschema@.route_contact(k @extschema@.contact, reason text) RETURNS bigint
	LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	facts @extschema@.tagset := @extschema@.contact_facts(k.customer_id, k.id);
	r record;
	base integer;
BEGIN
	-- No facts: the contact's customer does not exist (contacts have no
	-- foreign key to mycc.customer).
	IF facts IS NULL THEN
		RAISE EXCEPTION 'customer % of contact % does not exist', k.customer_id, k.id
			USING ERRCODE = '42704';
	END IF;
	r := @extschema@.route(facts);
	IF r.queue IS NULL THEN
		RAISE EXCEPTION 'no routing rule matches contact % and there is no default queue', k.id
			USING ERRCODE = '55000',
				DETAIL = pg_catalog.format('Its facts are %s.', facts),
				HINT = 'Add a rule to mycc.routing_rule, or mark one queue is_default.';
	END IF;
	SELECT @extschema@.tier_priority(c.tier) INTO base
	FROM @extschema@.customer AS c
	WHERE c.id OPERATOR(pg_catalog.=) @extschema@.customer_root(k.customer_id);
	IF reason OPERATOR(pg_catalog.=) 'reroute' AND r.queue OPERATOR(pg_catalog.=) k.queue_id
			AND base IS NOT DISTINCT FROM k.priority THEN
		RETURN r.queue;
	END IF;
	UPDATE @extschema@.contact AS u
	SET queue_id = r.queue, priority = base, status = 'queued',
		enqueued_at = COALESCE(u.enqueued_at, pg_catalog.now())
	WHERE u.customer_id OPERATOR(pg_catalog.=) k.customer_id AND u.id OPERATOR(pg_catalog.=) k.id;
	INSERT INTO @extschema@.routing_decision (customer_id, contact_id, facts, rule_id, queue_id, priority, reason)
	VALUES (k.customer_id, k.id, facts, r.rule, r.queue, base, reason);
	RETURN r.queue;
END
$$;
COMMENT ON FUNCTION @extschema@.route_contact(@extschema@.contact, text) IS 'internal: routes a locked contact and logs the decision (enqueue and re-routing)';

-- The contact row with this id, locked, or 42704; 21000 when contacts of
-- several customers have the id (ids are unique with the customer id; one
-- given by hand may repeat another), which would leave the row to chance.
CREATE FUNCTION @extschema@.lock_contact(contact_id bigint) RETURNS @extschema@.contact
	LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	k @extschema@.contact;
BEGIN
	IF (SELECT pg_catalog.count(*) FROM (SELECT FROM @extschema@.contact AS c
			WHERE c.id OPERATOR(pg_catalog.=) lock_contact.contact_id LIMIT 2) AS c) OPERATOR(pg_catalog.>) 1 THEN
		RAISE EXCEPTION 'contact id % is not unique', contact_id
			USING ERRCODE = '21000', DETAIL = 'Contacts of more than one customer have this id.',
				HINT = 'Give contacts ids from mycc.contact_id_seq (the column''s default).';
	END IF;
	SELECT * INTO k FROM @extschema@.contact AS c
	WHERE c.id OPERATOR(pg_catalog.=) contact_id
	FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'contact % does not exist', contact_id USING ERRCODE = '42704';
	END IF;
	RETURN k;
END
$$;
COMMENT ON FUNCTION @extschema@.lock_contact(bigint) IS 'internal: the contact with this id, locked FOR UPDATE (42704 if none, 21000 if several customers have one)';

-- The row of the customer whose tier and tags route a contact of this
-- customer (its survivor's, when merged), locked FOR SHARE until the
-- transaction ends: an UPDATE of it (tier, tags, a merge: the re-routing
-- trigger's cause) waits for the caller, and the caller for an UPDATE in
-- progress.  A row lock, kept in the row: a transaction may enqueue any
-- number of contacts (advisory locks, one per customer, filled the shared
-- lock table after a few thousand).  SECURITY DEFINER: FOR SHARE needs an
-- UPDATE right on mycc.customer, which agents do not have; the function
-- locks and returns nothing.
CREATE FUNCTION @extschema@.lock_routing_customer(customer_id bigint) RETURNS void
	LANGUAGE plpgsql VOLATILE STRICT PARALLEL UNSAFE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	PERFORM FROM @extschema@.customer AS c
	WHERE c.id OPERATOR(pg_catalog.=) @extschema@.customer_root(lock_routing_customer.customer_id)
	FOR SHARE OF c;
END
$$;
COMMENT ON FUNCTION @extschema@.lock_routing_customer(bigint) IS 'internal: locks FOR SHARE the customer row (the survivor''s, when merged) whose tier and tags route this customer''s contacts, so that enqueue and a change of them wait for each other';

CREATE FUNCTION @extschema@.enqueue(contact_id bigint) RETURNS bigint
	LANGUAGE plpgsql VOLATILE STRICT PARALLEL UNSAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	k @extschema@.contact := @extschema@.lock_contact(contact_id);
BEGIN
	IF k.status OPERATOR(pg_catalog.<>) 'new' THEN
		RAISE EXCEPTION 'contact % is already %', contact_id, k.status
			USING ERRCODE = '55000',
				HINT = 'Only a new contact is enqueued; a queued one is re-routed when its customer changes.';
	END IF;
	-- The customer whose tier and tags route it, locked (shared): a
	-- concurrent change of them waits for this enqueue and then re-routes
	-- the contact, or this enqueue waits for it and routes by the new
	-- values; without the lock each misses the other.
	PERFORM @extschema@.lock_routing_customer(k.customer_id);
	RETURN @extschema@.route_contact(k, 'enqueue');
END
$$;
COMMENT ON FUNCTION @extschema@.enqueue(bigint) IS 'routes a new contact: sets its queue, base priority (its tier''s) and enqueued time, status queued; logs the decision; returns the queue';

-- Effective priority (docs/routing.md): base + aging, where aging is the
-- wait in units of the queue's target answer time times its weight.  No
-- wait (or an unknown one) ages nothing, whatever the weight: without the
-- CASE an infinite weight (which mycc.queue refuses, but a direct call
-- can pass) made 0 * Infinity = NaN (found by the fuzz test).
CREATE FUNCTION @extschema@.effective_priority(base integer, enqueued_at timestamptz, target_answer interval,
		aging_weight double precision, at timestamptz DEFAULT pg_catalog.now()) RETURNS double precision
	LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp
	-- OPERATOR() forms share one precedence: the parentheses are needed.
	RETURN COALESCE(base, 0)::double precision OPERATOR(pg_catalog.+)
		CASE WHEN at OPERATOR(pg_catalog.>) enqueued_at
			THEN (pg_catalog.date_part('epoch', at OPERATOR(pg_catalog.-) enqueued_at)
				  OPERATOR(pg_catalog./) pg_catalog.date_part('epoch', target_answer)) OPERATOR(pg_catalog.*) aging_weight
			ELSE 0::double precision END;
COMMENT ON FUNCTION @extschema@.effective_priority(integer, timestamptz, interval, double precision, timestamptz) IS 'base priority + waited / target_answer * aging_weight: the order agents take contacts in';

-- A queue's waiting contacts in effective-priority order, as an index key.
-- Within one queue aging is linear with the same slope k = aging_weight /
-- target_answer, so base + (t - enqueued) * k = k * (t - key) with key =
-- enqueued - base / k: the smaller the key, the higher the contact at any
-- time t.  The key is stored with the contact (contact_queued_idx), so an
-- agent reads each queue's best contact from the index instead of sorting
-- the queue.  Without aging (weight 0) the key orders by base priority,
-- then by arrival.
CREATE FUNCTION @extschema@.queue_key(base integer, enqueued_at timestamptz, target_answer interval,
		aging_weight double precision) RETURNS double precision
	LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp
	RETURN CASE WHEN aging_weight OPERATOR(pg_catalog.>) 0::double precision
		THEN pg_catalog.date_part('epoch', enqueued_at) OPERATOR(pg_catalog.-)
			(COALESCE(base, 0)::double precision OPERATOR(pg_catalog.*)
			 (pg_catalog.date_part('epoch', target_answer) OPERATOR(pg_catalog./) aging_weight))
		ELSE pg_catalog.date_part('epoch', enqueued_at) OPERATOR(pg_catalog.-)
			(COALESCE(base, 0)::double precision OPERATOR(pg_catalog.*) 1e10::double precision)
		END;
COMMENT ON FUNCTION @extschema@.queue_key(integer, timestamptz, interval, double precision) IS 'the contact''s place in its queue: enqueued - base * target_answer / aging_weight (smaller is taken first)';

-- A contact's key follows its queue, priority and arrival, however they
-- are set (routing, or an administrator's UPDATE).  A contact whose queue
-- row is not there keeps the key it comes with: pg_restore loads
-- mycc.contact's rows before mycc.queue's, and computed then, every
-- restored waiting contact lost its place (NULL keys: taken by id).
CREATE FUNCTION @extschema@.contact_queue_key() RETURNS trigger
	LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	settings record;
BEGIN
	SELECT q.target_answer, q.aging_weight INTO settings
	FROM @extschema@.queue AS q WHERE q.id OPERATOR(pg_catalog.=) NEW.queue_id;
	IF FOUND THEN
		NEW.queue_key := @extschema@.queue_key(NEW.priority, NEW.enqueued_at, settings.target_answer,
			settings.aging_weight);
	END IF;
	RETURN NEW;
END
$$;
COMMENT ON FUNCTION @extschema@.contact_queue_key() IS 'trigger: sets a contact''s queue_key from its queue, priority and enqueued time';
CREATE TRIGGER contact_queue_key BEFORE INSERT OR UPDATE OF queue_id, priority, enqueued_at ON @extschema@.contact
	FOR EACH ROW EXECUTE FUNCTION @extschema@.contact_queue_key();

-- A queue whose target or aging weight changes re-keys its waiting contacts.
CREATE FUNCTION @extschema@.queue_rekey() RETURNS trigger
	LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	UPDATE @extschema@.contact AS k
	SET queue_key = @extschema@.queue_key(k.priority, k.enqueued_at, NEW.target_answer, NEW.aging_weight)
	WHERE k.queue_id OPERATOR(pg_catalog.=) NEW.id AND k.status OPERATOR(pg_catalog.=) 'queued';
	RETURN NULL;
END
$$;
COMMENT ON FUNCTION @extschema@.queue_rekey() IS 'trigger: recomputes the queue_key of a queue''s waiting contacts when its target or aging weight changes';
CREATE TRIGGER queue_rekey AFTER UPDATE OF target_answer, aging_weight ON @extschema@.queue
	FOR EACH ROW
	WHEN (OLD.target_answer IS DISTINCT FROM NEW.target_answer OR OLD.aging_weight IS DISTINCT FROM NEW.aging_weight)
	EXECUTE FUNCTION @extschema@.queue_rekey();

-- A queue with waiting contacts is not deleted, nor given another id:
-- its contacts would wait for ever in a queue no agent takes from (rules
-- naming it are kept by their foreign key; contacts have none, so that
-- finished ones never pin a queue).  Row security off: a policy hiding
-- some of them would let them be stranded; with one in force for the
-- caller, the check errors instead (as tier_before_delete's).
CREATE FUNCTION @extschema@.queue_before_delete() RETURNS trigger
	LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE SET search_path = pg_catalog, pg_temp SET row_security = off AS $$
DECLARE
	waiting bigint;
BEGIN
	SELECT pg_catalog.count(*) INTO waiting FROM @extschema@.contact AS c
	WHERE c.queue_id OPERATOR(pg_catalog.=) OLD.id AND c.status OPERATOR(pg_catalog.=) 'queued';
	IF waiting OPERATOR(pg_catalog.>) 0 THEN
		RAISE EXCEPTION 'queue "%" still has waiting contacts (%)', OLD.name, waiting
			USING ERRCODE = '2BP01',
			HINT = pg_catalog.format('Move them to another queue first: UPDATE mycc.contact SET queue_id = ... WHERE queue_id = %s AND status = ''queued''.', OLD.id);
	END IF;
	IF TG_OP OPERATOR(pg_catalog.=) 'DELETE' THEN
		RETURN OLD;
	END IF;
	RETURN NEW;
END
$$;
COMMENT ON FUNCTION @extschema@.queue_before_delete() IS 'trigger: refuses to delete, or change the id of, a queue that has waiting contacts';
CREATE TRIGGER queue_before_delete BEFORE DELETE ON @extschema@.queue
	FOR EACH ROW EXECUTE FUNCTION @extschema@.queue_before_delete();
CREATE TRIGGER queue_before_renumber BEFORE UPDATE OF id ON @extschema@.queue
	FOR EACH ROW WHEN (OLD.id IS DISTINCT FROM NEW.id) EXECUTE FUNCTION @extschema@.queue_before_delete();

-- Agents take and finish contacts: C with prepared statements
-- (src/assignment.c explains the claim and its locks).
CREATE FUNCTION @extschema@.next_contact(agent_id bigint) RETURNS bigint
	AS 'MODULE_PATHNAME', 'mycc_next_contact' LANGUAGE C VOLATILE STRICT PARALLEL UNSAFE;
COMMENT ON FUNCTION @extschema@.next_contact(bigint) IS 'gives the agent the waiting contact of highest effective priority it may take (its own account customers first), or NULL; never the same contact twice';

CREATE FUNCTION @extschema@.finish(contact_id bigint, outcome text) RETURNS void
	AS 'MODULE_PATHNAME', 'mycc_finish' LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION @extschema@.finish(bigint, text) IS 'closes an assigned contact with its outcome and frees the agent''s capacity (55000 if it is not assigned)';

CREATE FUNCTION @extschema@.assign_account_managers(min_tier @extschema@.customer_tier, per_manager integer DEFAULT 200)
	RETURNS integer
	LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	assigned integer;
	left_over bigint;
BEGIN
	IF min_tier IS NULL OR per_manager IS NULL OR per_manager OPERATOR(pg_catalog.<) 1 THEN
		RAISE EXCEPTION 'per_manager must be at least 1 and min_tier not null'
			USING ERRCODE = '22023';
	END IF;
	-- One serialising lock: two concurrent runs would overfill managers.
	LOCK TABLE @extschema@.agent IN SHARE ROW EXCLUSIVE MODE;
	-- Each manager offers the free slots above what it already has (merged
	-- customers do not count: their survivor does); slots are dealt in
	-- order of slot number, so the least loaded fill first.
	-- No manager offers more slots than there are customers to assign:
	-- per_manager slots each made a large per_manager (300000000) run for
	-- minutes however few customers were waiting (found by the fuzz test).
	WITH todo_count AS (
		SELECT pg_catalog.count(*) AS n FROM @extschema@.customer AS c
		WHERE c.account_manager IS NULL AND c.merged_into IS NULL
			AND c.tier OPERATOR(@extschema@.>=) min_tier
	),
	managers AS (
		SELECT g.id, (SELECT pg_catalog.count(*) FROM @extschema@.customer AS c
					  WHERE c.account_manager OPERATOR(pg_catalog.=) g.id
						AND c.merged_into IS NULL) AS has
		FROM @extschema@.agent AS g
		WHERE g.skills OPERATOR(@extschema@.?) 'account_manager'
	),
	slots AS (
		SELECT m.id AS manager,
			pg_catalog.row_number() OVER (ORDER BY s.slot, m.id) AS n
		FROM managers AS m,
			pg_catalog.generate_series(m.has OPERATOR(pg_catalog.+) 1,
				LEAST(per_manager::bigint, m.has OPERATOR(pg_catalog.+) (SELECT t.n FROM todo_count AS t))) AS s(slot)
	),
	todo AS (
		SELECT c.id,
			pg_catalog.row_number() OVER (ORDER BY c.lifetime_value DESC, c.id) AS n
		FROM @extschema@.customer AS c
		WHERE c.account_manager IS NULL AND c.merged_into IS NULL
			AND c.tier OPERATOR(@extschema@.>=) min_tier
	)
	UPDATE @extschema@.customer AS c
	SET account_manager = slots.manager
	FROM todo JOIN slots ON slots.n OPERATOR(pg_catalog.=) todo.n
	WHERE c.id OPERATOR(pg_catalog.=) todo.id;
	GET DIAGNOSTICS assigned = ROW_COUNT;
	SELECT pg_catalog.count(*) INTO left_over FROM @extschema@.customer AS c
	WHERE c.account_manager IS NULL AND c.merged_into IS NULL AND c.tier OPERATOR(@extschema@.>=) min_tier;
	IF left_over OPERATOR(pg_catalog.>) 0 THEN
		RAISE WARNING '% customers at or above tier % still have no account manager', left_over, min_tier
			USING HINT = 'Add agents with the skill account_manager, or raise per_manager.';
	END IF;
	RETURN assigned;
END
$$;
COMMENT ON FUNCTION @extschema@.assign_account_managers(@extschema@.customer_tier, integer) IS 'gives customers at or above the tier a dedicated manager (an agent with skill account_manager), balanced, at most per_manager each, keeping existing assignments; returns how many were assigned';

-- Re-routing: a waiting contact follows its customer's new tier or tags,
-- and its new survivor after a merge (or itself again after an unmerge).
CREATE FUNCTION @extschema@.customer_reroute() RETURNS trigger
	LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	waiting record;
	k @extschema@.contact;
BEGIN
	-- The UPDATE that fired this waited for the enqueues of this
	-- customer's contacts in progress (their FOR SHARE lock of its row, see
	-- mycc.lock_routing_customer), so their contacts are found and
	-- re-routed too.
	-- The customer's own contacts and those of customers merged into it:
	-- the others of its tree, found through customer_root_idx (its
	-- expression written as the index's, so that the index serves it; a
	-- root's tree is itself and the customers whose root_id it is).
	FOR waiting IN
		SELECT c.customer_id, c.id FROM @extschema@.contact AS c
		WHERE c.customer_id OPERATOR(pg_catalog.=) NEW.id AND c.status OPERATOR(pg_catalog.=) 'queued'
		UNION ALL
		SELECT c.customer_id, c.id
		FROM @extschema@.customer AS m
		JOIN @extschema@.contact AS c ON c.customer_id OPERATOR(pg_catalog.=) m.id
		WHERE COALESCE(m.root_id, m.id) OPERATOR(pg_catalog.=) NEW.id AND m.id OPERATOR(pg_catalog.<>) NEW.id
			AND c.status OPERATOR(pg_catalog.=) 'queued'
		ORDER BY 1, 2
	LOOP
		-- Locked and checked again: an agent may have claimed it meanwhile.
		SELECT * INTO k FROM @extschema@.contact AS c
		WHERE c.customer_id OPERATOR(pg_catalog.=) waiting.customer_id
			AND c.id OPERATOR(pg_catalog.=) waiting.id
			AND c.status OPERATOR(pg_catalog.=) 'queued'
		FOR UPDATE;
		IF FOUND THEN
			PERFORM @extschema@.route_contact(k, 'reroute');
		END IF;
	END LOOP;
	RETURN NULL;
END
$$;
COMMENT ON FUNCTION @extschema@.customer_reroute() IS 'trigger: re-routes the waiting contacts of a customer whose tier or tags changed, or who was merged or unmerged';
-- A merge or unmerge (root_id) changes whose tier and tags a customer's
-- contacts are routed by: it re-routes them too.
CREATE TRIGGER customer_reroute AFTER UPDATE OF tier, tags, root_id ON @extschema@.customer
	FOR EACH ROW
	WHEN (@extschema@.tier_id(OLD.tier) IS DISTINCT FROM @extschema@.tier_id(NEW.tier)
		OR NOT @extschema@.tagset_eq(OLD.tags, NEW.tags)
		OR OLD.root_id IS DISTINCT FROM NEW.root_id)
	EXECUTE FUNCTION @extschema@.customer_reroute();

-- Replay: today's rules over past decisions' facts.
CREATE FUNCTION @extschema@.route_replay(since timestamptz,
		OUT customer_id bigint, OUT contact_id bigint, OUT decided_at timestamptz, OUT facts @extschema@.tagset,
		OUT old_queue bigint, OUT old_rule bigint, OUT new_queue bigint, OUT new_rule bigint)
	RETURNS SETOF record
	LANGUAGE sql STABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
SELECT d.customer_id, d.contact_id, d.decided_at, d.facts, d.queue_id, d.rule_id, r.queue, r.rule
FROM @extschema@.routing_decision AS d,
	LATERAL @extschema@.route(d.facts) AS r
WHERE d.decided_at OPERATOR(pg_catalog.>=) since
	AND (r.queue IS DISTINCT FROM d.queue_id OR r.rule IS DISTINCT FROM d.rule_id)
ORDER BY d.decided_at, d.customer_id, d.id
$$;
COMMENT ON FUNCTION @extschema@.route_replay(timestamptz) IS 'decisions since a time that today''s rules would make differently: the facts, the old and the new queue and rule';

-- BI: service level by queue and day (the session's time zone).
CREATE VIEW @extschema@.queue_service_level AS
SELECT q.id AS queue_id, q.name AS queue,
	(k.enqueued_at)::date AS day,
	pg_catalog.count(*) AS offered,
	pg_catalog.count(k.assigned_at) AS answered,
	pg_catalog.count(k.assigned_at)::double precision OPERATOR(pg_catalog./) pg_catalog.count(*) AS answer_rate,
	pg_catalog.count(*) FILTER (WHERE (k.assigned_at OPERATOR(pg_catalog.-) k.enqueued_at) OPERATOR(pg_catalog.<=) q.target_answer)::double precision
		OPERATOR(pg_catalog./) pg_catalog.count(*) AS within_target,
	pg_catalog.avg(k.assigned_at OPERATOR(pg_catalog.-) k.enqueued_at) AS average_wait
FROM @extschema@.contact AS k
JOIN @extschema@.queue AS q ON q.id OPERATOR(pg_catalog.=) k.queue_id
WHERE k.enqueued_at IS NOT NULL
GROUP BY q.id, q.name, (k.enqueued_at)::date;
COMMENT ON VIEW @extschema@.queue_service_level IS 'by queue and day: contacts offered, answered, answer rate, share answered within the target time, average wait';

-- ---------------------------------------------------------------------------
-- roles: grantable roles for BI readers, agents and policy admins
-- (design.md section 6; docs/operations.md#roles).  This part comes last:
-- it grants on the objects the parts before it create.  A capability that
-- adds a table, view or writer function adds its GRANT lines here.
-- ---------------------------------------------------------------------------

-- Roles belong to the cluster, not to a database: CREATE EXTENSION mycc in
-- a second database finds the roles the first one created, and DROP
-- EXTENSION leaves them.  A role of one of these names that exists already
-- is used only if a mycc install created it (its comment starts with "mycc
-- role:"; a DBA who made one for mycc marks it the same way) and it is
-- still a plain group role: not a superuser, no CREATEROLE, CREATEDB,
-- REPLICATION or BYPASSRLS, a member of no other role.  Anything else is
-- refused, so that no role someone prepared (or a superuser that DBAs would
-- then grant to their BI users as "mycc_reader") silently receives mycc's
-- rights.  Its members keep their membership and get the role's rights in
-- this database too: a WARNING names them (CREATE EXTENSION hides notices).
DO $$
DECLARE
	spec pg_catalog.text[];
	r record;
	members pg_catalog.text;
BEGIN
	FOREACH spec SLICE 1 IN ARRAY ARRAY[
		['mycc_reader', 'mycc role: reads the BI views and the policies (tiers, treatment rules, queues, routing rules, identity limits); nothing personal; writes nothing'],
		['mycc_agent', 'mycc role: what a contact-center agent needs: resolves and reads customers and their contacts, records contacts and survey answers, routes, takes and finishes contacts'],
		['mycc_admin', 'mycc role: maintains the policies (tiers, treatment rules, queues, routing rules, identity guards) and the agents, merges customers, reads everything']]
	LOOP
		SELECT a.oid, a.rolsuper, a.rolcreaterole, a.rolcreatedb, a.rolreplication, a.rolbypassrls,
			pg_catalog.shobj_description(a.oid, 'pg_authid') AS note
		INTO r
		FROM pg_catalog.pg_roles AS a WHERE a.rolname OPERATOR(pg_catalog.=) spec[1];
		IF NOT FOUND THEN
			EXECUTE pg_catalog.format('CREATE ROLE %I NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS',
				spec[1]);
			EXECUTE pg_catalog.format('COMMENT ON ROLE %I IS %L', spec[1], spec[2]);
			CONTINUE;
		END IF;
		IF NOT COALESCE(pg_catalog.starts_with(r.note, 'mycc role:'), false) THEN
			RAISE EXCEPTION 'role "%" exists already and was not created by mycc', spec[1]
				USING ERRCODE = '42710',
				DETAIL = 'mycc grants rights on its tables to this role; an unknown role of that name would receive them.',
				HINT = pg_catalog.format('Drop or rename the role. If it was made for mycc on purpose, mark it: COMMENT ON ROLE %I IS %L;',
					spec[1], spec[2]);
		END IF;
		IF r.rolsuper OR r.rolcreaterole OR r.rolcreatedb OR r.rolreplication OR r.rolbypassrls THEN
			RAISE EXCEPTION 'role "%" has attributes a mycc role must not have', spec[1]
				USING ERRCODE = '42501',
				DETAIL = 'A mycc role is granted to ordinary users: it must not be a superuser or have CREATEROLE, CREATEDB, REPLICATION or BYPASSRLS.',
				HINT = pg_catalog.format('ALTER ROLE %I NOSUPERUSER NOCREATEROLE NOCREATEDB NOREPLICATION NOBYPASSRLS;', spec[1]);
		END IF;
		IF EXISTS (SELECT FROM pg_catalog.pg_auth_members AS m WHERE m.member OPERATOR(pg_catalog.=) r.oid) THEN
			RAISE EXCEPTION 'role "%" is a member of other roles', spec[1]
				USING ERRCODE = '42501',
				DETAIL = 'Everyone granted a mycc role would also get the rights of those roles.',
				HINT = pg_catalog.format('Revoke them: SELECT roleid::regrole FROM pg_auth_members WHERE member = %L::regrole;', spec[1]);
		END IF;
		SELECT pg_catalog.string_agg(pg_catalog.quote_ident(u.rolname::pg_catalog.text), ', ' ORDER BY u.rolname)
		INTO members
		FROM pg_catalog.pg_auth_members AS m JOIN pg_catalog.pg_roles AS u ON u.oid OPERATOR(pg_catalog.=) m.member
		WHERE m.roleid OPERATOR(pg_catalog.=) r.oid;
		IF members IS NOT NULL THEN
			RAISE WARNING 'role "%" exists already; its members get its rights on mycc in this database too: %',
				spec[1], members;
		END IF;
	END LOOP;
END
$$;

-- mycc_reader: the BI views and the policies (tiers, treatment rules,
-- queues, routing rules, identity limits), nothing personal: no
-- customers, identifiers (phone numbers, e-mail addresses), contacts,
-- merges, refused links, routing decisions, agents, nor the blocked
-- identifiers (mycc.identity_block holds real numbers).  The views run
-- with their owner's rights, so mycc.conversation (customer ids, times,
-- channels, counts: no identifier) and mycc.queue_service_level need no
-- right on mycc.contact.
GRANT SELECT ON @extschema@.nps_daily, @extschema@.tier_pyramid, @extschema@.tier,
	@extschema@.tier_retired, @extschema@.treatment_rule TO mycc_reader;
GRANT SELECT ON @extschema@.queue_service_level, @extschema@.conversation, @extschema@.queue,
	@extschema@.routing_rule, @extschema@.identity_limit TO mycc_reader;

-- mycc_agent: looks customers and tiers up, records survey answers, asks
-- mycc.treatments() what a customer's tags call for (which reads
-- mycc.treatment_rule with the caller's rights).
GRANT SELECT ON @extschema@.customer, @extschema@.tier, @extschema@.tier_retired,
	@extschema@.treatment_rule TO mycc_agent;
GRANT SELECT, INSERT ON @extschema@.survey TO mycc_agent;
GRANT USAGE ON SEQUENCE @extschema@.survey_id_seq TO mycc_agent;
-- Identity and routing calls run with the caller's rights (no SECURITY
-- DEFINER), so the agent holds what they do and nothing more:
-- resolve/lookup read and add identifiers and add customers (a new
-- customer gets only default values: INSERT on the name column alone is
-- the least right an INSERT ... DEFAULT VALUES needs); timeline reads
-- contacts; recording a contact inserts it; route, enqueue and
-- next_contact read the queues and rules (the rule cache checks SELECT
-- on both on every call) and the agents; enqueue, next_contact and finish
-- move a contact through its states (UPDATE of those columns only, which
-- also allows their FOR UPDATE locks) and keep the agent's counters;
-- enqueue logs its decision.  An agent sets its own status.  No DELETE,
-- no TRUNCATE, no merge log, refused links, decision log or BI view.
GRANT SELECT ON @extschema@.identity, @extschema@.contact, @extschema@.queue, @extschema@.routing_rule,
	@extschema@.agent TO mycc_agent;
GRANT INSERT (name) ON @extschema@.customer TO mycc_agent;
GRANT USAGE ON SEQUENCE @extschema@.customer_id_seq TO mycc_agent;
GRANT INSERT ON @extschema@.identity TO mycc_agent;
GRANT INSERT ON @extschema@.contact TO mycc_agent;
GRANT USAGE ON SEQUENCE @extschema@.contact_id_seq TO mycc_agent;
GRANT UPDATE (queue_id, priority, status, enqueued_at, agent_id, assigned_at, outcome, ended_at)
	ON @extschema@.contact TO mycc_agent;
GRANT UPDATE (status, active_contacts, last_assigned_at) ON @extschema@.agent TO mycc_agent;
GRANT INSERT ON @extschema@.routing_decision TO mycc_agent;
GRANT USAGE ON SEQUENCE @extschema@.routing_decision_id_seq TO mycc_agent;

-- mycc_admin: maintains the policies (tiers, treatment rules); reads
-- everything (deleting a tier reads every table with a customer_tier
-- column).  No TRUNCATE: a policy table is changed row by row.
GRANT SELECT, INSERT, UPDATE, DELETE ON @extschema@.tier, @extschema@.treatment_rule TO mycc_admin;
GRANT USAGE ON SEQUENCE @extschema@.tier_id_seq, @extschema@.treatment_rule_id_seq TO mycc_admin;
-- Deleting a tier writes its tombstone (trigger tier_after_delete, with the
-- deleting role's rights); tombstones are never updated or deleted.
GRANT SELECT, INSERT ON @extschema@.tier_retired TO mycc_admin;
GRANT SELECT ON @extschema@.customer, @extschema@.survey, @extschema@.nps_daily, @extschema@.tier_pyramid TO mycc_admin;
-- The routing and identity policies (queues, rules, identity guards) and
-- the agents are the admin's, row by row.  It reads everything else too
-- (deleting a tier reads mycc.customer_merge's tier columns).
GRANT SELECT, INSERT, UPDATE, DELETE ON @extschema@.queue, @extschema@.routing_rule, @extschema@.agent,
	@extschema@.identity_limit, @extschema@.identity_block TO mycc_admin;
GRANT USAGE ON SEQUENCE @extschema@.queue_id_seq, @extschema@.routing_rule_id_seq, @extschema@.agent_id_seq
	TO mycc_admin;
GRANT SELECT ON @extschema@.identity, @extschema@.contact, @extschema@.customer_merge,
	@extschema@.identity_conflict, @extschema@.routing_decision, @extschema@.conversation,
	@extschema@.queue_service_level TO mycc_admin;
-- The admin merges and unmerges customers (link, unmerge) and assigns
-- account managers: those calls change only these columns of a customer
-- (its name, and its value outside a merge, stay the application's), add
-- customers and identifiers, log merges and refused links, and re-route
-- the waiting contacts of a customer whose tier or tags a merge changed
-- (the customer_reroute trigger, which runs with the admin's rights).
GRANT INSERT (name), UPDATE (tier, tags, lifetime_value, merged_into, merged_at, root_id, account_manager)
	ON @extschema@.customer TO mycc_admin;
GRANT USAGE ON SEQUENCE @extschema@.customer_id_seq TO mycc_admin;
GRANT INSERT ON @extschema@.identity, @extschema@.customer_merge, @extschema@.identity_conflict TO mycc_admin;
GRANT UPDATE (undone_at) ON @extschema@.customer_merge TO mycc_admin;
GRANT USAGE ON SEQUENCE @extschema@.customer_merge_id_seq, @extschema@.identity_conflict_id_seq TO mycc_admin;
-- queue_key: changing a queue's target or aging weight re-keys its
-- waiting contacts (the queue_rekey trigger, with the admin's rights).
GRANT UPDATE (queue_id, priority, status, enqueued_at, queue_key) ON @extschema@.contact TO mycc_admin;
GRANT INSERT ON @extschema@.routing_decision TO mycc_admin;
GRANT USAGE ON SEQUENCE @extschema@.routing_decision_id_seq TO mycc_admin;

-- Writers (VOLATILE functions) are not for PUBLIC.  Triggers fire whatever
-- the writing role's rights on their function: revoking keeps other roles
-- from attaching them to their own tables (policy_invalidate would then
-- send invalidations on every write there) and from calling them.
REVOKE EXECUTE ON FUNCTION @extschema@.tier_before_write() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.tier_before_delete() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.tier_after_delete() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.tier_retired_before_insert() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.tier_retired_before_change() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.tier_before_truncate() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.tier_invalidate() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.policy_invalidate() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.contact_queue_key() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.queue_rekey() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.queue_before_delete() FROM PUBLIC;
-- The typanalyze function is VOLATILE too (no marking given) and takes
-- internal, so no SQL call can reach it; ANALYZE calls it directly, with
-- no EXECUTE check, for whoever may analyze the table.  Revoked like the
-- other writers so that the rule "no VOLATILE function is executable by
-- PUBLIC" has no exception to explain.
REVOKE EXECUTE ON FUNCTION @extschema@.tagset_typanalyze(internal) FROM PUBLIC;

-- The writers of identity and routing: revoked from PUBLIC, granted to
-- the role whose calls they are.  The internal helpers (lock_contact,
-- route_contact, lock_routing_customer) run inside enqueue and the re-routing trigger with the
-- caller's rights, so the callers' roles need them too; the trigger
-- functions need no grant to fire.
REVOKE EXECUTE ON FUNCTION @extschema@.resolve(text, text, text) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.link(text, text, text, text, text) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.unmerge(bigint) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.connected_components(text) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.identity_guard_before_write() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.enqueue(bigint) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.next_contact(bigint) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.finish(bigint, text) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.lock_contact(bigint) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.route_contact(@extschema@.contact, text) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.lock_routing_customer(bigint) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.assign_account_managers(@extschema@.customer_tier, integer) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.customer_reroute() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION @extschema@.resolve(text, text, text), @extschema@.enqueue(bigint),
	@extschema@.next_contact(bigint), @extschema@.finish(bigint, text), @extschema@.lock_contact(bigint),
	@extschema@.route_contact(@extschema@.contact, text), @extschema@.lock_routing_customer(bigint) TO mycc_agent;
-- connected_components runs the caller's own query with the caller's
-- rights: a back-fill tool for the admin.
GRANT EXECUTE ON FUNCTION @extschema@.resolve(text, text, text), @extschema@.link(text, text, text, text, text),
	@extschema@.unmerge(bigint), @extschema@.connected_components(text),
	@extschema@.route_contact(@extschema@.contact, text),
	@extschema@.assign_account_managers(@extschema@.customer_tier, integer) TO mycc_admin;
