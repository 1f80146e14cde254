\echo Use "ALTER EXTENSION mycc UPDATE" to load this file. \quit

-- mycc 0.2.0 -> 0.3.0-dev (in development).
--
-- A development version: main always carries the next version with the
-- "-dev" label.  When 0.3.0 is released this script is renamed
-- mycc--0.2.0--0.3.0.sql and frozen; no script ever leads from a -dev
-- version, so ALTER EXTENSION mycc UPDATE never takes a database built
-- from main for a release (docs/operations.md#the-release-rule).
--
-- What changed:

-- identity: exact undo, guards for every writer (issue 15)
--
-- A merge records what the absorbed tree gives the survivor (absorbed_value,
-- absorbed_tier, absorbed_tags, kept current) and what only it accounts for
-- (owned_tags; base_tier when it set the survivor's tier); unmerge walks up
-- the tree with merge_take_back.  Merges made before this update: what they
-- bring is read from the absorbed customer as it is now; a survivor's tier
-- belongs to its latest merge in force that raised it, with the tier the
-- survivor had before its first merge in force.  resolve, link and unmerge
-- run with their owner's rights; no mycc role writes identifiers, merges or
-- refused links directly any more.  lookup raises 23503 for an identifier
-- whose customer does not exist.
ALTER TABLE @extschema@.customer_merge
	ADD COLUMN absorbed_tier @extschema@.customer_tier,
	ADD COLUMN absorbed_tags @extschema@.tagset NOT NULL DEFAULT '{}',
	ADD COLUMN owned_tags @extschema@.tagset NOT NULL DEFAULT '{}',
	ADD COLUMN base_tier @extschema@.customer_tier;
UPDATE @extschema@.customer_merge AS m
SET absorbed_tier = COALESCE((SELECT c.tier FROM @extschema@.customer AS c WHERE c.id OPERATOR(pg_catalog.=) m.absorbed_id),
		m.merged_tier),
	absorbed_tags = COALESCE((SELECT c.tags FROM @extschema@.customer AS c WHERE c.id OPERATOR(pg_catalog.=) m.absorbed_id),
		m.merged_tags OPERATOR(@extschema@.-) m.survivor_tags),
	owned_tags = m.merged_tags OPERATOR(@extschema@.-) m.survivor_tags;
UPDATE @extschema@.customer_merge AS m
SET base_tier = (SELECT f.survivor_tier FROM @extschema@.customer_merge AS f
	WHERE f.survivor_id OPERATOR(pg_catalog.=) m.survivor_id AND f.undone_at IS NULL ORDER BY f.id LIMIT 1)
WHERE m.id OPERATOR(pg_catalog.=) ANY (ARRAY(
	SELECT DISTINCT ON (o.survivor_id) o.id FROM @extschema@.customer_merge AS o
	WHERE o.undone_at IS NULL AND o.merged_tier OPERATOR(@extschema@.>) o.survivor_tier
	ORDER BY o.survivor_id, o.id DESC));
ALTER TABLE @extschema@.customer_merge ALTER COLUMN absorbed_tier SET NOT NULL;
COMMENT ON COLUMN @extschema@.customer_merge.absorbed_value IS 'lifetime value the survivor holds from the absorbed customer''s tree (what unmerge takes back; lowered when a merge inside that tree is undone)';
COMMENT ON COLUMN @extschema@.customer_merge.survivor_tier IS 'the survivor''s tier before the merge (a record; unmerge uses absorbed_tier and base_tier)';
COMMENT ON COLUMN @extschema@.customer_merge.survivor_tags IS 'the survivor''s tags before the merge (a record; unmerge uses absorbed_tags and owned_tags)';
COMMENT ON COLUMN @extschema@.customer_merge.absorbed_tier IS 'the tier the absorbed customer''s tree gives the survivor (lowered when a merge inside that tree is undone)';
COMMENT ON COLUMN @extschema@.customer_merge.absorbed_tags IS 'the tags the absorbed customer''s tree gives the survivor (fewer when a merge inside that tree is undone)';
COMMENT ON COLUMN @extschema@.customer_merge.owned_tags IS 'the survivor''s tags that it has through this merge alone and loses when it is undone (passed to another merge in force that brings them too)';
COMMENT ON COLUMN @extschema@.customer_merge.base_tier IS 'set when the survivor''s tier is this merge''s: the tier the survivor has without its merges, which unmerge restores if the tier is unchanged since; NULL otherwise';

CREATE OR REPLACE FUNCTION @extschema@.lookup(kind text, value text) RETURNS bigint
	LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	owner bigint;
	root bigint;
BEGIN
	SELECT i.customer_id, COALESCE(c.root_id, c.id) INTO owner, root
	FROM @extschema@.identity AS i
	LEFT JOIN @extschema@.customer AS c ON c.id OPERATOR(pg_catalog.=) i.customer_id
	WHERE i.kind OPERATOR(pg_catalog.=) lookup.kind
		AND i.value OPERATOR(pg_catalog.=) @extschema@.normalize_identity(lookup.kind, lookup.value);
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

CREATE OR REPLACE FUNCTION @extschema@.resolve(kind text, value text, source text DEFAULT NULL) RETURNS bigint
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

CREATE OR REPLACE FUNCTION @extschema@.link(kind_a text, value_a text, kind_b text, value_b text, source text DEFAULT NULL)
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

CREATE OR REPLACE FUNCTION @extschema@.unmerge(merge_id bigint) RETURNS bigint
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

REVOKE EXECUTE ON FUNCTION @extschema@.merge_take_back(bigint, bigint, numeric, @extschema@.tagset, @extschema@.customer_tier) FROM PUBLIC;
REVOKE INSERT ON @extschema@.identity FROM mycc_agent;
REVOKE INSERT ON @extschema@.identity, @extschema@.customer_merge, @extschema@.identity_conflict FROM mycc_admin;
REVOKE UPDATE (undone_at) ON @extschema@.customer_merge FROM mycc_admin;
REVOKE UPDATE (merged_into, merged_at, root_id) ON @extschema@.customer FROM mycc_admin;
REVOKE USAGE ON SEQUENCE @extschema@.customer_merge_id_seq, @extschema@.identity_conflict_id_seq FROM mycc_admin;
