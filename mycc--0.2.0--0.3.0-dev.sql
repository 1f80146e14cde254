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

-- identifiers as people write them (issue 15): phone numbers through
-- libphonenumber (mycc.default_region), e-mail domains in IDNA form,
-- Unicode white space trimmed, control characters refused.  The C changed;
-- the functions keep their names and signatures.
COMMENT ON FUNCTION @extschema@.normalize_identity(text, text) IS 'an identifier in canonical form: phones libphonenumber''s E.164 of a valid number (national numbers of mycc.default_region), extension after ;ext=; e-mail with its domain in IDNA form; QQ digits; others trimmed of Unicode white space; 22023 on bad input';
COMMENT ON FUNCTION @extschema@.normalize_identity(text, text, text) IS 'normalize_identity with the region of national phone numbers as an argument (CN; a calling code such as 86, deprecated; '''' for none); immutable, for indexes and checks';

-- The repair of identifiers stored under the earlier rules: new objects
-- (as in src/sql/identity.sql and src/sql/roles.sql), then the repair
-- itself, with the settings of the session that runs the update
-- (mycc.default_region: docs/identity.md#repairing-identifiers-stored-under-earlier-rules).
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

REVOKE EXECUTE ON FUNCTION @extschema@.renormalize_identities(boolean) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.renormalize_apply() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.renormalize_merge(text, text, text, bigint) FROM PUBLIC;
GRANT SELECT ON @extschema@.identity_repair TO mycc_admin;

SELECT pg_catalog.count(*) FROM @extschema@.renormalize_identities(true);
