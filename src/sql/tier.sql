
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
-- customer_tier output reads mycc.tier and mycc.tier_retired, and runs
-- while logical decoding writes a user table's rows: both are user catalog
-- tables, which decoding may read.
ALTER TABLE @extschema@.tier SET (user_catalog_table = true);

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
ALTER TABLE @extschema@.tier_retired SET (user_catalog_table = true);
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
	-- (On a Citus worker, mycc.tier is the install script's: refused.)
	SELECT * INTO policy FROM @extschema@.tier AS t WHERE t.id OPERATOR(pg_catalog.=) @extschema@.tier_id($1)
		AND @extschema@.require_coordinator('tier');
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
	-- On a Citus coordinator, one connection per worker for the checks
	-- below: tier_publish then changes a function Citus distributes, which
	-- it refuses after a parallel query in the same transaction.
	PERFORM @extschema@.citus_set_local('citus.multi_shard_modify_mode', 'sequential');
	FOR col IN
		SELECT a.attrelid::pg_catalog.regclass AS tab, a.attname
		FROM pg_catalog.pg_attribute AS a JOIN pg_catalog.pg_class AS c ON c.oid OPERATOR(pg_catalog.=) a.attrelid
		WHERE a.atttypid OPERATOR(pg_catalog.=) '@extschema@.customer_tier'::pg_catalog.regtype
			AND a.attnum OPERATOR(pg_catalog.>) 0 AND NOT a.attisdropped
			AND c.relkind OPERATOR(pg_catalog.=) ANY (ARRAY['r', 'm']::"char"[])
		ORDER BY 1, 2
	LOOP
		-- SELECT 1, not SELECT: Citus plans no select list that is empty
		-- (the table may be distributed, docs/scaling.md).
		EXECUTE pg_catalog.format('SELECT EXISTS (SELECT 1 FROM %s WHERE @extschema@.tier_id(%I) OPERATOR(pg_catalog.=) $1)',
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

-- Tiers published in the schema, for restores (docs/tiers.md#dump-and-restore).
-- pg_dump writes table data in schema-name order (and pg_restore -j in
-- parallel), so a user's table holding a tier added after install may be
-- read before mycc.tier's rows.  Like an enum's labels, the tiers are
-- therefore also kept where a restore finds them before any data: this
-- trigger publishes every row of mycc.tier as mycc.tier_definitions()
-- (publish_definitions), as the text of a mycc.tier[] so that the function
-- depends on no member of the extension (which would make DROP EXTENSION
-- need CASCADE).  customer_tier input, output and comparison read it for
-- tiers mycc.tier does not have yet.
CREATE FUNCTION @extschema@.tier_publish() RETURNS trigger
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	PERFORM @extschema@.publish_definitions('tier_definitions', 'text',
		COALESCE((SELECT pg_catalog.array_agg(t ORDER BY t.id) FROM @extschema@.tier AS t)::text, '{}'),
		'the rows of mycc.tier, published by the tier_publish trigger so that a restore knows every tier before any data (not a member of the extension: pg_dump writes it)');
	RETURN NULL;
END
$$;
COMMENT ON FUNCTION @extschema@.tier_publish() IS 'trigger: publishes the rows of mycc.tier as the function mycc.tier_definitions(), which pg_dump writes before any data';
REVOKE ALL ON FUNCTION @extschema@.tier_publish() FROM PUBLIC;

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
CREATE TRIGGER tier_publish AFTER INSERT OR UPDATE OR DELETE ON @extschema@.tier
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.tier_publish();
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
