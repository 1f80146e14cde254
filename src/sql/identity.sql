
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
COMMENT ON FUNCTION @extschema@.normalize_identity(text, text) IS 'an identifier in canonical form: phones libphonenumber''s E.164 of a valid number (national numbers of mycc.default_region), extension after ;ext=; e-mail with its domain in IDNA form; QQ digits; others trimmed of Unicode white space; 22023 on bad input';

CREATE FUNCTION @extschema@.normalize_identity(kind text, value text, country_code text) RETURNS text
	AS 'MODULE_PATHNAME', 'mycc_normalize_identity_cc' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.normalize_identity(text, text, text) IS 'normalize_identity with the region of national phone numbers as an argument (CN; a calling code such as 86, deprecated; '''' for none); immutable, for indexes and checks';

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
-- tags capability, as the customer's does; its routing columns (status,
-- queue, agent, ...) with routing (src/sql/routing.sql).

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
	CONSTRAINT contact_pkey PRIMARY KEY (customer_id, id),
	CONSTRAINT contact_identity_pair CHECK ((identity_kind IS NULL) OPERATOR(pg_catalog.=) (identity_value IS NULL)),
	CONSTRAINT contact_ends_after_start CHECK (ended_at OPERATOR(pg_catalog.>=) started_at)
);
ALTER SEQUENCE @extschema@.contact_id_seq OWNED BY @extschema@.contact.id;
CREATE INDEX contact_customer_started_idx ON @extschema@.contact (customer_id, started_at);
CREATE INDEX contact_started_idx ON @extschema@.contact (started_at);

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
	absorbed_tier @extschema@.customer_tier NOT NULL,
	absorbed_tags @extschema@.tagset NOT NULL DEFAULT '{}',
	owned_tags @extschema@.tagset NOT NULL DEFAULT '{}',
	base_tier @extschema@.customer_tier,
	CONSTRAINT customer_merge_pkey PRIMARY KEY (id),
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
COMMENT ON COLUMN @extschema@.customer_merge.absorbed_value IS 'lifetime value the survivor holds from the absorbed customer''s tree (what unmerge takes back; lowered when a merge inside that tree is undone)';
COMMENT ON COLUMN @extschema@.customer_merge.survivor_tier IS 'the survivor''s tier before the merge (a record; unmerge uses absorbed_tier and base_tier)';
COMMENT ON COLUMN @extschema@.customer_merge.merged_tier IS 'the survivor''s tier after the merge: the higher of the two';
COMMENT ON COLUMN @extschema@.customer_merge.survivor_tags IS 'the survivor''s tags before the merge (a record; unmerge uses absorbed_tags and owned_tags)';
COMMENT ON COLUMN @extschema@.customer_merge.merged_tags IS 'the survivor''s tags after the merge: the union of the two';
COMMENT ON COLUMN @extschema@.customer_merge.survivor_tier_id IS 'survivor_tier''s id, generated from survivor_tier';
COMMENT ON COLUMN @extschema@.customer_merge.merged_tier_id IS 'merged_tier''s id, generated from merged_tier';
COMMENT ON COLUMN @extschema@.customer_merge.undone_at IS 'when mycc.unmerge undid it; NULL while in force';
COMMENT ON COLUMN @extschema@.customer_merge.absorbed_tier IS 'the tier the absorbed customer''s tree gives the survivor (lowered when a merge inside that tree is undone)';
COMMENT ON COLUMN @extschema@.customer_merge.absorbed_tags IS 'the tags the absorbed customer''s tree gives the survivor (fewer when a merge inside that tree is undone)';
COMMENT ON COLUMN @extschema@.customer_merge.owned_tags IS 'the survivor''s tags that it has through this merge alone and loses when it is undone (passed to another merge in force that brings them too)';
COMMENT ON COLUMN @extschema@.customer_merge.base_tier IS 'set when the survivor''s tier is this merge''s: the tier the survivor has without its merges, which unmerge restores if the tier is unchanged since; NULL otherwise';

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
	AND @extschema@.require_coordinator('customer')
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
	owner bigint;
	root bigint;
BEGIN
	SELECT i.customer_id, COALESCE(c.root_id, c.id) INTO owner, root
	FROM @extschema@.identity AS i
	LEFT JOIN @extschema@.customer AS c ON c.id OPERATOR(pg_catalog.=) i.customer_id
	WHERE i.kind OPERATOR(pg_catalog.=) lookup.kind
		AND i.value OPERATOR(pg_catalog.=) @extschema@.normalize_identity(lookup.kind, lookup.value)
		AND @extschema@.require_coordinator('identity');
	-- A known identifier of no customer (a row written directly): an
	-- error, not "unknown", so that resolve does not create a second
	-- owner's customer in vain and link does not retry.
	IF owner IS NOT NULL AND root IS NULL THEN
		RAISE EXCEPTION '% identifier "%" belongs to customer %, which does not exist', lookup.kind,
			@extschema@.normalize_identity(lookup.kind, lookup.value), owner
			USING ERRCODE = '23503',
			HINT = 'The row of mycc.identity was written without mycc.resolve or mycc.link; delete it or restore the customer.';
	END IF;
	RETURN root;
END
$$;
COMMENT ON FUNCTION @extschema@.lookup(text, text) IS 'the customer owning an identifier (the survivor, after merges), or NULL; creates nothing; 23503 for an identifier whose customer does not exist';

CREATE FUNCTION @extschema@.customer_identities(customer bigint)
	RETURNS TABLE (kind text, value text, customer_id bigint, source text, created_at timestamptz)
	LANGUAGE sql STABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
SELECT i.kind, i.value, i.customer_id, i.source, i.created_at
FROM @extschema@.customer AS c
JOIN @extschema@.identity AS i ON i.customer_id OPERATOR(pg_catalog.=) c.id
WHERE COALESCE(c.root_id, c.id) OPERATOR(pg_catalog.=) @extschema@.customer_root(customer_identities.customer)
	AND @extschema@.require_coordinator('customer')
ORDER BY i.kind, i.value
$$;
COMMENT ON FUNCTION @extschema@.customer_identities(bigint) IS 'every identifier of a customer and of the customers merged into it, with the customer each came with';

-- resolve: find or create.
CREATE FUNCTION @extschema@.resolve(kind text, value text, source text DEFAULT NULL) RETURNS bigint
	LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
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
	LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
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
	base_tier @extschema@.customer_tier;
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
			-- A merge that raises the survivor's tier owns it, with the
			-- tier the survivor has without merges: the previous owner's
			-- if the tier is still that owner's; else the tier it has now,
			-- its own (set by hand, if a merge in force brings more: then
			-- it caps what those merges bring, so that undoing this one
			-- never brings their tier back).  docs/identity.md#undoing-a-merge.
			base_tier := NULL;
			IF absorbed.tier OPERATOR(@extschema@.>) survivor.tier THEN
				UPDATE @extschema@.customer_merge AS cm SET base_tier = NULL
				FROM (SELECT o.id, o.base_tier, o.absorbed_tier FROM @extschema@.customer_merge AS o
					WHERE o.survivor_id OPERATOR(pg_catalog.=) survivor.id AND o.undone_at IS NULL
						AND o.base_tier IS NOT NULL) AS o
				WHERE cm.id OPERATOR(pg_catalog.=) o.id
				RETURNING CASE WHEN o.absorbed_tier OPERATOR(@extschema@.=) survivor.tier THEN o.base_tier END
				INTO base_tier;
				IF base_tier IS NULL THEN
					base_tier := survivor.tier;
					UPDATE @extschema@.customer_merge AS cm SET absorbed_tier = survivor.tier
					WHERE cm.survivor_id OPERATOR(pg_catalog.=) survivor.id AND cm.undone_at IS NULL
						AND cm.absorbed_tier OPERATOR(@extschema@.>) survivor.tier;
				END IF;
			END IF;
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
				absorbed_value, survivor_tier, merged_tier, survivor_tags, merged_tags,
				absorbed_tier, absorbed_tags, owned_tags, base_tier)
			VALUES (survivor.id, absorbed.id, link.source, kind_a, va, kind_b, vb,
				absorbed.lifetime_value, survivor.tier, merged_tier,
				survivor.tags, survivor.tags OPERATOR(@extschema@.||) absorbed.tags,
				absorbed.tier, absorbed.tags, absorbed.tags OPERATOR(@extschema@.-) survivor.tags, base_tier);
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

-- One step of unmerge's walk up a tree: the merge merge_id into survivor
-- brings lost_value, lost_tags and (if its tier was lost_tier) less than
-- it did, or nothing at all once undone.  The survivor gives the value
-- back; of the lost tags, those the merge alone accounted for
-- (owned_tags) leave it, unless another merge in force into it brings them
-- too, which then accounts for them (the oldest such); if the merge owned
-- the survivor's tier and the tier is still the merge's, it goes to the
-- highest tier the merges in force still bring, or to the tier the
-- survivor has without merges (base_tier).  Returns the tags that left and
-- the tier before and after.  The caller holds the tree's root lock.
CREATE FUNCTION @extschema@.merge_take_back(survivor bigint, merge_id bigint, lost_value numeric,
	lost_tags @extschema@.tagset, lost_tier @extschema@.customer_tier,
	OUT removed_tags @extschema@.tagset, OUT old_tier @extschema@.customer_tier, OUT new_tier @extschema@.customer_tier)
	LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	c @extschema@.customer_merge;
	owned @extschema@.tagset;
	heir @extschema@.customer_merge;
BEGIN
	SELECT * INTO c FROM @extschema@.customer_merge AS cm
	WHERE cm.id OPERATOR(pg_catalog.=) merge_id AND cm.survivor_id OPERATOR(pg_catalog.=) survivor;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'merge % into customer % does not exist', merge_id, survivor USING ERRCODE = '42704';
	END IF;
	SELECT cu.tier INTO old_tier FROM @extschema@.customer AS cu WHERE cu.id OPERATOR(pg_catalog.=) survivor FOR UPDATE;
	owned := c.owned_tags OPERATOR(@extschema@.&) lost_tags;
	UPDATE @extschema@.customer_merge AS cm SET owned_tags = cm.owned_tags OPERATOR(@extschema@.-) lost_tags
	WHERE cm.id OPERATOR(pg_catalog.=) merge_id;
	UPDATE @extschema@.customer_merge AS cm SET owned_tags = cm.owned_tags OPERATOR(@extschema@.||) h.tags
	FROM (
		SELECT x.heir, @extschema@.tagset_agg(x.tag) AS tags
		FROM (
			SELECT t.tag, (SELECT pg_catalog.min(o.id) FROM @extschema@.customer_merge AS o
				WHERE o.survivor_id OPERATOR(pg_catalog.=) survivor AND o.undone_at IS NULL
					AND o.id OPERATOR(pg_catalog.<>) merge_id AND o.absorbed_tags OPERATOR(@extschema@.?) t.tag) AS heir
			FROM @extschema@.tags(owned) AS t(tag)
		) AS x
		WHERE x.heir IS NOT NULL
		GROUP BY x.heir
	) AS h
	WHERE cm.id OPERATOR(pg_catalog.=) h.heir;
	removed_tags := owned OPERATOR(@extschema@.-) COALESCE((
		SELECT @extschema@.tag_union(o.absorbed_tags) FROM @extschema@.customer_merge AS o
		WHERE o.survivor_id OPERATOR(pg_catalog.=) survivor AND o.undone_at IS NULL
			AND o.id OPERATOR(pg_catalog.<>) merge_id), '{}');

	new_tier := old_tier;
	IF c.base_tier IS NOT NULL THEN
		UPDATE @extschema@.customer_merge AS cm SET base_tier = NULL WHERE cm.id OPERATOR(pg_catalog.=) merge_id;
		IF old_tier OPERATOR(@extschema@.=) lost_tier THEN
			SELECT * INTO heir FROM @extschema@.customer_merge AS o
			WHERE o.survivor_id OPERATOR(pg_catalog.=) survivor AND o.undone_at IS NULL
				AND o.absorbed_tier OPERATOR(@extschema@.>) c.base_tier
			ORDER BY o.absorbed_tier DESC, o.id
			LIMIT 1;
			-- Never higher than now (a tier lowered by hand stays lowered).
			new_tier := LEAST(COALESCE(heir.absorbed_tier, c.base_tier), old_tier);
			UPDATE @extschema@.customer_merge AS cm SET base_tier = c.base_tier WHERE cm.id OPERATOR(pg_catalog.=) heir.id;
		END IF;
	END IF;
	UPDATE @extschema@.customer AS cu
	SET lifetime_value = cu.lifetime_value OPERATOR(pg_catalog.-) lost_value,
		tags = cu.tags OPERATOR(@extschema@.-) removed_tags,
		tier = new_tier
	WHERE cu.id OPERATOR(pg_catalog.=) survivor;
END
$$;
COMMENT ON FUNCTION @extschema@.merge_take_back(bigint, bigint, numeric, @extschema@.tagset, @extschema@.customer_tier) IS 'internal, one step of mycc.unmerge: a survivor takes back what a merge into it no longer brings (value, the tags only it accounted for, the tier it set)';

-- unmerge: undo one merge.
CREATE FUNCTION @extschema@.unmerge(merge_id bigint) RETURNS bigint
	LANGUAGE plpgsql VOLATILE STRICT PARALLEL UNSAFE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	m @extschema@.customer_merge;
	absorbed @extschema@.customer;
	root bigint;
	attempt integer := 0;
	y bigint;
	via bigint;
	lost_tags @extschema@.tagset;
	lost_tier @extschema@.customer_tier;
	step record;
	up @extschema@.customer_merge;
BEGIN
	-- Not locked here: merge rows change only under their tree's root
	-- lock (unmerge, and link passing the survivor's tier on), taken
	-- below; the row is read again under it.
	SELECT * INTO m FROM @extschema@.customer_merge AS cm WHERE cm.id OPERATOR(pg_catalog.=) merge_id;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'merge % does not exist', merge_id
			USING ERRCODE = '42704', HINT = 'Merges are listed in mycc.customer_merge.';
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
			EXIT WHEN root IS NULL;		-- no such customer: refused below
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
	SELECT * INTO m FROM @extschema@.customer_merge AS cm WHERE cm.id OPERATOR(pg_catalog.=) merge_id;
	IF m.undone_at IS NOT NULL THEN
		RAISE EXCEPTION 'merge % was already undone', merge_id
			USING ERRCODE = '55000', HINT = 'mycc.customer_merge.undone_at says when.';
	END IF;
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
	-- The survivor, and every customer it was merged into since, give
	-- back what the absorbed tree brought: each takes it back from the
	-- merge above it in turn, which then brings that much less.
	UPDATE @extschema@.customer_merge AS cm SET undone_at = pg_catalog.now() WHERE cm.id OPERATOR(pg_catalog.=) merge_id;
	y := m.survivor_id;
	via := m.id;
	lost_tags := m.absorbed_tags;
	lost_tier := m.absorbed_tier;
	LOOP
		SELECT * INTO step FROM @extschema@.merge_take_back(y, via, m.absorbed_value, lost_tags, lost_tier);
		SELECT * INTO up FROM @extschema@.customer_merge AS cm
		WHERE cm.absorbed_id OPERATOR(pg_catalog.=) y AND cm.undone_at IS NULL;
		EXIT WHEN NOT FOUND;
		UPDATE @extschema@.customer_merge AS cm
		SET absorbed_value = cm.absorbed_value OPERATOR(pg_catalog.-) m.absorbed_value,
			absorbed_tags = cm.absorbed_tags OPERATOR(@extschema@.-) step.removed_tags,
			absorbed_tier = CASE WHEN step.new_tier OPERATOR(@extschema@.<) step.old_tier
				THEN LEAST(cm.absorbed_tier, step.new_tier) ELSE cm.absorbed_tier END
		WHERE cm.id OPERATOR(pg_catalog.=) up.id;
		y := up.survivor_id;
		via := up.id;
		lost_tags := step.removed_tags;
		lost_tier := up.absorbed_tier;
	END LOOP;
	RETURN m.absorbed_id;
END
$$;
COMMENT ON FUNCTION @extschema@.unmerge(bigint) IS 'undoes one merge of mycc.customer_merge: the absorbed customer comes back with the identities, contacts and merges it brought, and the customers above it give back exactly the value, tags and tier it brought; returns its id';

-- Repair of identifiers stored under earlier normalisation rules
-- (docs/identity.md#repairing-identifiers-stored-under-earlier-rules).
CREATE FUNCTION @extschema@.renormalize_identity(kind text, value text) RETURNS text
	AS 'MODULE_PATHNAME', 'mycc_renormalize_identity' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.renormalize_identity(text, text) IS 'the normal form under today''s rules (and mycc.default_region) of an identifier stored under earlier ones, reading 0.2.0''s "+" code and national digits; NULL when it has none';

CREATE SEQUENCE @extschema@.identity_repair_id_seq AS bigint;
COMMENT ON SEQUENCE @extschema@.identity_repair_id_seq IS 'ids of mycc.identity_repair';

CREATE TABLE @extschema@.identity_repair (
	id bigint NOT NULL DEFAULT pg_catalog.nextval('@extschema@.identity_repair_id_seq'::pg_catalog.regclass),
	kind text NOT NULL,
	value text NOT NULL,
	new_value text,
	customer_id bigint NOT NULL,
	action text NOT NULL,
	merge_id bigint,
	conflict_id bigint,
	repaired_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
	CONSTRAINT identity_repair_pkey PRIMARY KEY (id),
	CONSTRAINT identity_repair_action CHECK (action OPERATOR(pg_catalog.=) ANY ('{rewritten,duplicate,merged,conflict,invalid}'::text[]))
);
ALTER SEQUENCE @extschema@.identity_repair_id_seq OWNED BY @extschema@.identity_repair.id;

COMMENT ON TABLE @extschema@.identity_repair IS 'identifiers mycc.renormalize_identities changed because the normalisation rules changed: what each was, what it became, and what was done';
COMMENT ON COLUMN @extschema@.identity_repair.id IS 'repair id';
COMMENT ON COLUMN @extschema@.identity_repair.kind IS 'identifier kind';
COMMENT ON COLUMN @extschema@.identity_repair.value IS 'the value as it was stored (contacts keep it in identity_value)';
COMMENT ON COLUMN @extschema@.identity_repair.new_value IS 'its normal form today; NULL when it has none';
COMMENT ON COLUMN @extschema@.identity_repair.customer_id IS 'the customer the identity row belonged to';
COMMENT ON COLUMN @extschema@.identity_repair.action IS 'rewritten (the row now holds new_value), duplicate (the customer had new_value already: row removed), merged (another customer had it: merged by mycc.link, merge_id), conflict (a guard refused that merge: conflict_id; row removed), invalid (no normal form: row removed)';
COMMENT ON COLUMN @extschema@.identity_repair.merge_id IS 'the mycc.customer_merge row of a merged repair (mycc.unmerge undoes it)';
COMMENT ON COLUMN @extschema@.identity_repair.conflict_id IS 'the mycc.identity_conflict row of a refused merge';
COMMENT ON COLUMN @extschema@.identity_repair.repaired_at IS 'when';

SELECT pg_catalog.pg_extension_config_dump('@extschema@.identity_repair', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.identity_repair_id_seq', '');

-- One stored identifier whose normal form is now another customer's:
-- merge the two customers through mycc.link (its guards, its log).  link
-- addresses customers by normal forms, and the old row has none of its
-- own, so the customer is given a temporary web identifier for the call;
-- the log rows then name the old identifier.  Returns the merge id, or
-- the conflict id negated when a guard refused.
CREATE FUNCTION @extschema@.renormalize_merge(kind text, value text, new_value text, customer_id bigint) RETURNS bigint
	LANGUAGE plpgsql VOLATILE STRICT PARALLEL UNSAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	handle text := pg_catalog.format('mycc.renormalize_identities: customer %s', customer_id);
	why text := pg_catalog.format('mycc.renormalize_identities: %s identifier "%s" is now "%s"', kind, value, new_value);
	log_id bigint;
BEGIN
	INSERT INTO @extschema@.identity AS i (kind, value, customer_id, source)
	VALUES ('web', handle, renormalize_merge.customer_id, why);
	IF @extschema@.link(kind, new_value, 'web', handle, why) IS NOT NULL THEN
		UPDATE @extschema@.customer_merge AS m SET kind_b = renormalize_merge.kind, value_b = renormalize_merge.value
		WHERE m.id OPERATOR(pg_catalog.=) (SELECT pg_catalog.max(l.id) FROM @extschema@.customer_merge AS l
			WHERE l.kind_b OPERATOR(pg_catalog.=) 'web' AND l.value_b OPERATOR(pg_catalog.=) handle)
		RETURNING m.id INTO log_id;
	ELSE
		UPDATE @extschema@.identity_conflict AS c SET kind_b = renormalize_merge.kind, value_b = renormalize_merge.value
		WHERE c.id OPERATOR(pg_catalog.=) (SELECT pg_catalog.max(l.id) FROM @extschema@.identity_conflict AS l
			WHERE l.kind_b OPERATOR(pg_catalog.=) 'web' AND l.value_b OPERATOR(pg_catalog.=) handle)
		RETURNING OPERATOR(pg_catalog.-) c.id INTO log_id;
	END IF;
	DELETE FROM @extschema@.identity AS i
	WHERE i.kind OPERATOR(pg_catalog.=) 'web' AND i.value OPERATOR(pg_catalog.=) handle;
	RETURN log_id;
END
$$;
COMMENT ON FUNCTION @extschema@.renormalize_merge(text, text, text, bigint) IS 'internal to mycc.renormalize_identities: merges the customer of a stored identifier with the customer owning its new normal form through mycc.link; the merge id, or minus the conflict id';

-- The repair itself, row by row in (kind, value) order.
CREATE FUNCTION @extschema@.renormalize_apply() RETURNS SETOF @extschema@.identity_repair
	LANGUAGE plpgsql VOLATILE STRICT PARALLEL UNSAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	r record;
	nv text;
	owner bigint;
	action text;
	log_id bigint;
	done @extschema@.identity_repair;
BEGIN
	FOR r IN SELECT i.kind, i.value, i.customer_id FROM @extschema@.identity AS i ORDER BY i.kind, i.value LOOP
		nv := @extschema@.renormalize_identity(r.kind, r.value);
		CONTINUE WHEN nv IS NOT DISTINCT FROM r.value;
		log_id := NULL;
		SELECT i.customer_id INTO owner FROM @extschema@.identity AS i
		WHERE i.kind OPERATOR(pg_catalog.=) r.kind AND i.value OPERATOR(pg_catalog.=) nv;
		IF nv IS NOT NULL AND owner IS NULL THEN
			UPDATE @extschema@.identity AS i SET value = nv
			WHERE i.kind OPERATOR(pg_catalog.=) r.kind AND i.value OPERATOR(pg_catalog.=) r.value;
			action := 'rewritten';
		ELSE
			DELETE FROM @extschema@.identity AS i
			WHERE i.kind OPERATOR(pg_catalog.=) r.kind AND i.value OPERATOR(pg_catalog.=) r.value;
			IF nv IS NULL THEN
				action := 'invalid';
			ELSIF @extschema@.customer_root(owner) OPERATOR(pg_catalog.=) @extschema@.customer_root(r.customer_id) THEN
				action := 'duplicate';
			ELSE
				log_id := @extschema@.renormalize_merge(r.kind, r.value, nv, r.customer_id);
				action := CASE WHEN log_id OPERATOR(pg_catalog.>) 0 THEN 'merged' ELSE 'conflict' END;
			END IF;
		END IF;
		INSERT INTO @extschema@.identity_repair AS x (kind, value, new_value, customer_id, action, merge_id, conflict_id)
		VALUES (r.kind, r.value, nv, r.customer_id, action,
			CASE WHEN log_id OPERATOR(pg_catalog.>) 0 THEN log_id END,
			CASE WHEN log_id OPERATOR(pg_catalog.<) 0 THEN OPERATOR(pg_catalog.-) log_id END)
		RETURNING * INTO done;
		RETURN NEXT done;
	END LOOP;
END
$$;
COMMENT ON FUNCTION @extschema@.renormalize_apply() IS 'internal to mycc.renormalize_identities: applies the repair and returns its log rows';

CREATE FUNCTION @extschema@.renormalize_identities(apply boolean DEFAULT false)
	RETURNS TABLE (kind text, value text, new_value text, customer_id bigint, action text, merge_id bigint, conflict_id bigint)
	LANGUAGE plpgsql VOLATILE STRICT PARALLEL UNSAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	done @extschema@.identity_repair[];
BEGIN
	-- A preview applies the repair in a subtransaction and rolls it back.
	BEGIN
		SELECT pg_catalog.array_agg(x ORDER BY x.id) INTO done FROM @extschema@.renormalize_apply() AS x;
		IF NOT apply THEN
			RAISE EXCEPTION 'preview' USING ERRCODE = 'MYC02';
		END IF;
	EXCEPTION
		WHEN SQLSTATE 'MYC02' THEN
			NULL;
	END;
	RETURN QUERY
	SELECT x.kind, x.value, x.new_value, x.customer_id, x.action,
		CASE WHEN apply THEN x.merge_id END, CASE WHEN apply THEN x.conflict_id END
	FROM pg_catalog.unnest(done) AS x ORDER BY x.id;
END
$$;
COMMENT ON FUNCTION @extschema@.renormalize_identities(boolean) IS 'brings every stored identifier to its normal form under today''s rules and mycc.default_region: rewrites it, or merges its customer into the owner of the new form through mycc.link (a refusal goes to mycc.identity_conflict), or removes a value with no normal form; every change logged in mycc.identity_repair; apply false (the default) only shows what it would do';

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
	CAST(pg_catalog.array_agg(DISTINCT s.channel ORDER BY s.channel) AS pg_catalog.text[]) AS channels,
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
COMMENT ON COLUMN @extschema@.conversation.channels IS 'the channels it used, in mycc.channel''s order (text[])';
COMMENT ON COLUMN @extschema@.conversation.contacts IS 'number of contacts';

-- mycc.timeline(customer), which shows the contacts' routing columns, is
-- in src/sql/routing.sql.
