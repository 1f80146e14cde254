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
-- - Channels added with ALTER TYPE are published for restores
--   (channel_publish event trigger, mycc.channel_definitions()).
-- - Tiers are published in the schema for restores (tier_publish, the
--   function mycc.tier_definitions()): a user table holding a tier added
--   after install no longer comes back empty from pg_dump / pg_restore.
-- - The foreign keys from customer, survey and customer_merge to mycc.tier
--   are dropped (pg_restore -j loads their data before mycc.tier's), and
--   those from customer to agent and from routing_rule to queue become
--   triggers (reference_check, reference_release) with the same rules,
--   which a restore does not trip over.

-- Restore-safe tiers --------------------------------------------------------

-- Publishing for restores (docs/tiers.md#dump-and-restore): writes the SQL
-- function @extschema@.<name>() returning a constant, not a member of the
-- extension (pg_dump writes it, right after CREATE EXTENSION and before any
-- data) but dependent on it (DROP EXTENSION drops it).  pg_dump does not
-- write that dependency: a restored function gets it back at its next
-- publishing.  The body is SELECT '<literal>'::<type>, which C may read
-- with the raw parser instead of running it (tier.c).  Used by the
-- tier_publish trigger and the channel_publish event trigger; from an
-- extension script the function would become a member, so update scripts
-- publish and then drop it from the extension.
CREATE FUNCTION @extschema@.depend_on_extension(fn regprocedure, description text) RETURNS void
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	IF (SELECT pg_catalog.count(*) FROM pg_catalog.pg_depend AS d
			WHERE d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_proc'::pg_catalog.regclass
				AND d.objid OPERATOR(pg_catalog.=) fn
				AND d.refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_extension'::pg_catalog.regclass
				AND d.deptype OPERATOR(pg_catalog.=) 'x') OPERATOR(pg_catalog.=) 0 THEN
		EXECUTE pg_catalog.format('ALTER FUNCTION %s DEPENDS ON EXTENSION mycc', fn);
		EXECUTE pg_catalog.format('COMMENT ON FUNCTION %s IS %L', fn, description);
	END IF;
END
$$;
COMMENT ON FUNCTION @extschema@.depend_on_extension(regprocedure, text) IS 'internal: makes a published function depend on the extension (DROP EXTENSION drops it), which pg_dump does not restore, and comments it';
REVOKE ALL ON FUNCTION @extschema@.depend_on_extension(regprocedure, text) FROM PUBLIC;

CREATE FUNCTION @extschema@.publish_definitions(name text, result_type text, literal text, description text)
	RETURNS void
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	fn text := pg_catalog.format('@extschema@.%I()', name);
BEGIN
	EXECUTE pg_catalog.format(
		'CREATE OR REPLACE FUNCTION %s RETURNS %s '
		'LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS %L',
		fn, result_type, pg_catalog.format('SELECT %L::%s', literal, result_type));
	PERFORM @extschema@.depend_on_extension(pg_catalog.to_regprocedure(fn), description);
END
$$;
COMMENT ON FUNCTION @extschema@.publish_definitions(text, text, text, text) IS 'internal: writes the function @extschema@.<name>() returning a constant, outside the extension but dependent on it, so that pg_dump restores it before any data';
REVOKE ALL ON FUNCTION @extschema@.publish_definitions(text, text, text, text) FROM PUBLIC;

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

CREATE TRIGGER tier_publish AFTER INSERT OR UPDATE OR DELETE ON @extschema@.tier
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.tier_publish();

-- Publish the tiers of this database now, so that its next dump restores
-- them before any data.  Created from this script, the function became a
-- member of the extension: it must not be one (pg_dump would not write it).
UPDATE @extschema@.tier SET id = id WHERE false;   -- fires the statement trigger
ALTER EXTENSION mycc DROP FUNCTION @extschema@.tier_definitions();

-- The foreign keys from mycc's tables to mycc.tier go: pg_restore -j loads
-- tables' data in parallel, whatever their foreign keys, and customers,
-- surveys and merges of an added tier failed there.  A tier in use is
-- still never deleted (tier_before_delete checks every customer_tier
-- column); the tier_id columns stay, generated from the tier.
ALTER TABLE @extschema@.customer DROP CONSTRAINT customer_tier_fkey;
ALTER TABLE @extschema@.survey DROP CONSTRAINT survey_tier_fkey;
ALTER TABLE @extschema@.customer_merge DROP CONSTRAINT customer_merge_survivor_tier_fkey;
ALTER TABLE @extschema@.customer_merge DROP CONSTRAINT customer_merge_merged_tier_fkey;
COMMENT ON COLUMN @extschema@.customer.tier_id IS 'the tier''s id, generated from tier';
COMMENT ON COLUMN @extschema@.survey.tier_id IS 'the tier''s id, generated from tier';
COMMENT ON COLUMN @extschema@.customer_merge.survivor_tier_id IS 'survivor_tier''s id, generated from survivor_tier';
COMMENT ON COLUMN @extschema@.customer_merge.merged_tier_id IS 'merged_tier''s id, generated from merged_tier';

-- References between mycc's tables by triggers ------------------------------

ALTER TABLE @extschema@.customer DROP CONSTRAINT customer_account_manager_fkey;
ALTER TABLE @extschema@.routing_rule DROP CONSTRAINT routing_rule_queue_fkey;
-- References between mycc's tables are kept by triggers, not foreign keys:
-- pg_restore -j loads tables' data in parallel whatever their foreign keys
-- (a customer's row before its account manager's, a rule before its
-- queue), and a foreign key failed such a restore.  The rules are those of
-- the foreign keys they replace; while restoring (check_function_bodies =
-- off, as every script pg_dump writes and pg_restore runs sets it) the
-- referencing side is not checked: the dump was consistent.
CREATE FUNCTION @extschema@.reference_check() RETURNS trigger
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	-- TG_ARGV: the referencing column, the referenced table (key column id).
	key text := pg_catalog.to_jsonb(NEW) OPERATOR(pg_catalog.->>) TG_ARGV[0];
	found bigint;
BEGIN
	IF key IS NULL OR NOT pg_catalog.current_setting('check_function_bodies')::boolean THEN
		RETURN NEW;
	END IF;
	-- FOR KEY SHARE, as a foreign key: the row cannot go until we commit.
	EXECUTE pg_catalog.format('SELECT t.id FROM @extschema@.%I AS t WHERE t.id OPERATOR(pg_catalog.=) $1::bigint FOR KEY SHARE',
		TG_ARGV[1]) INTO found USING key;
	IF found IS NULL THEN
		RAISE EXCEPTION 'insert or update on table "%" violates reference "%"', TG_TABLE_NAME, TG_NAME
			USING ERRCODE = '23503',
			DETAIL = pg_catalog.format('Key (%s)=(%s) is not present in table "%s".', TG_ARGV[0], key, TG_ARGV[1]);
	END IF;
	RETURN NEW;
END
$$;
REVOKE ALL ON FUNCTION @extschema@.reference_check() FROM PUBLIC;
COMMENT ON FUNCTION @extschema@.reference_check() IS 'trigger: the referencing side of a reference between mycc tables (a foreign key that pg_restore -j can load in any order)';

CREATE FUNCTION @extschema@.reference_release() RETURNS trigger
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp SET row_security = off AS $$
DECLARE
	-- TG_ARGV: the referencing table, its column, and 'set null' or 'restrict'.
	used bigint;
BEGIN
	IF TG_ARGV[2] OPERATOR(pg_catalog.=) 'set null' AND TG_OP OPERATOR(pg_catalog.=) 'DELETE' THEN
		EXECUTE pg_catalog.format('UPDATE @extschema@.%I SET %I = NULL WHERE %I OPERATOR(pg_catalog.=) $1',
			TG_ARGV[0], TG_ARGV[1], TG_ARGV[1]) USING OLD.id;
		RETURN OLD;
	END IF;
	EXECUTE pg_catalog.format('SELECT pg_catalog.count(*) FROM @extschema@.%I WHERE %I OPERATOR(pg_catalog.=) $1',
		TG_ARGV[0], TG_ARGV[1]) INTO used USING OLD.id;
	IF used OPERATOR(pg_catalog.>) 0 THEN
		RAISE EXCEPTION 'update or delete on table "%" violates reference "%" from table "%"', TG_TABLE_NAME, TG_NAME, TG_ARGV[0]
			USING ERRCODE = '23503',
			DETAIL = pg_catalog.format('Key (id)=(%s) is still referenced from table "%s" (%s rows).', OLD.id, TG_ARGV[0], used);
	END IF;
	IF TG_OP OPERATOR(pg_catalog.=) 'DELETE' THEN
		RETURN OLD;
	END IF;
	RETURN NEW;
END
$$;
REVOKE ALL ON FUNCTION @extschema@.reference_release() FROM PUBLIC;
COMMENT ON FUNCTION @extschema@.reference_release() IS 'trigger: the referenced side of a reference between mycc tables: clears (set null) or refuses (restrict) references to a row that goes or changes its id';

-- customer.account_manager -> agent (id), ON DELETE SET NULL.
CREATE TRIGGER customer_account_manager_check BEFORE INSERT OR UPDATE OF account_manager ON @extschema@.customer
	FOR EACH ROW WHEN (NEW.account_manager IS NOT NULL)
	EXECUTE FUNCTION @extschema@.reference_check('account_manager', 'agent');
CREATE TRIGGER agent_account_manager_release AFTER DELETE ON @extschema@.agent
	FOR EACH ROW EXECUTE FUNCTION @extschema@.reference_release('customer', 'account_manager', 'set null');
CREATE TRIGGER agent_account_manager_renumber BEFORE UPDATE OF id ON @extschema@.agent
	FOR EACH ROW WHEN (OLD.id IS DISTINCT FROM NEW.id)
	EXECUTE FUNCTION @extschema@.reference_release('customer', 'account_manager', 'restrict');
-- routing_rule.queue_id -> queue (id), restrict (see reference_check).
CREATE TRIGGER routing_rule_queue_check BEFORE INSERT OR UPDATE OF queue_id ON @extschema@.routing_rule
	FOR EACH ROW EXECUTE FUNCTION @extschema@.reference_check('queue_id', 'queue');
CREATE TRIGGER queue_routing_rule_release BEFORE DELETE ON @extschema@.queue
	FOR EACH ROW EXECUTE FUNCTION @extschema@.reference_release('routing_rule', 'queue_id', 'restrict');
CREATE TRIGGER queue_routing_rule_renumber BEFORE UPDATE OF id ON @extschema@.queue
	FOR EACH ROW WHEN (OLD.id IS DISTINCT FROM NEW.id)
	EXECUTE FUNCTION @extschema@.reference_release('routing_rule', 'queue_id', 'restrict');

-- Restore-safe channels ----------------------------------------------------

-- Channels published in the schema, for restores (docs/reference.md, mycc.channel).
-- PostgreSQL does not dump the values added to an extension's enum, and a
-- user table holding one came back empty.  So every ALTER TYPE of
-- mycc.channel publishes its labels, in order, as the SQL function
-- mycc.channel_definitions() (not a member of the extension: pg_dump
-- writes it, after CREATE EXTENSION and before any data), and when a
-- restore creates that function this event trigger adds the labels the
-- freshly created type lacks, each after its predecessor, before any data
-- is read.  (A restore in one transaction, pg_restore --single-transaction,
-- cannot use enum values added in it: restore such a dump without it.)
CREATE FUNCTION @extschema@.channel_publish() RETURNS event_trigger
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	description constant text := 'the labels of mycc.channel in order, published by the channel_publish event trigger so that a restore adds the ones added after install before any data (not a member of the extension: pg_dump writes it)';
	cmd record;
	previous text;
	label text;
BEGIN
	FOR cmd IN SELECT * FROM pg_catalog.pg_event_trigger_ddl_commands() LOOP
		IF cmd.command_tag OPERATOR(pg_catalog.=) 'ALTER TYPE'
				AND cmd.objid OPERATOR(pg_catalog.=) '@extschema@.channel'::pg_catalog.regtype THEN
			PERFORM @extschema@.publish_definitions('channel_definitions', 'text[]',
				ARRAY(SELECT e.enumlabel::text FROM pg_catalog.pg_enum AS e
					WHERE e.enumtypid OPERATOR(pg_catalog.=) '@extschema@.channel'::pg_catalog.regtype
					ORDER BY e.enumsortorder)::text,
				description);
		ELSIF cmd.command_tag OPERATOR(pg_catalog.=) 'CREATE FUNCTION'
				AND cmd.objid OPERATOR(pg_catalog.=) pg_catalog.to_regprocedure('@extschema@.channel_definitions()') THEN
			-- Created by a restore (or by publish_definitions above): add the
			-- labels the type lacks (each ADD VALUE publishes again, through
			-- the branch above), and the dependency pg_dump does not restore.
			FOREACH label IN ARRAY @extschema@.channel_definitions() LOOP
				IF (SELECT pg_catalog.count(*) FROM pg_catalog.pg_enum AS e
						WHERE e.enumtypid OPERATOR(pg_catalog.=) '@extschema@.channel'::pg_catalog.regtype
							AND e.enumlabel OPERATOR(pg_catalog.=) label) OPERATOR(pg_catalog.=) 0 THEN
					IF previous IS NULL THEN
						EXECUTE pg_catalog.format('ALTER TYPE @extschema@.channel ADD VALUE %L BEFORE %L', label,
							(SELECT e.enumlabel FROM pg_catalog.pg_enum AS e
							WHERE e.enumtypid OPERATOR(pg_catalog.=) '@extschema@.channel'::pg_catalog.regtype
							ORDER BY e.enumsortorder LIMIT 1));
					ELSE
						EXECUTE pg_catalog.format('ALTER TYPE @extschema@.channel ADD VALUE %L AFTER %L', label, previous);
					END IF;
				END IF;
				previous := label;
			END LOOP;
			PERFORM @extschema@.depend_on_extension(cmd.objid::pg_catalog.regprocedure, description);
		END IF;
	END LOOP;
END
$$;
COMMENT ON FUNCTION @extschema@.channel_publish() IS 'event trigger: publishes the labels of mycc.channel as mycc.channel_definitions() (which pg_dump writes), and on restore adds the published labels the type lacks';
REVOKE ALL ON FUNCTION @extschema@.channel_publish() FROM PUBLIC;
CREATE EVENT TRIGGER mycc_channel_publish ON ddl_command_end WHEN TAG IN ('ALTER TYPE', 'CREATE FUNCTION')
	EXECUTE FUNCTION @extschema@.channel_publish();
COMMENT ON EVENT TRIGGER mycc_channel_publish IS 'publishes the labels of mycc.channel for restores (channel_publish)';

-- Publish this database's channels now (a value may have been added since
-- install).  Created from this script, the function became a member of the
-- extension: it must not be one (pg_dump would not write it).
SELECT @extschema@.publish_definitions('channel_definitions', 'text[]',
	ARRAY(SELECT e.enumlabel::text FROM pg_catalog.pg_enum AS e
		WHERE e.enumtypid OPERATOR(pg_catalog.=) '@extschema@.channel'::pg_catalog.regtype
		ORDER BY e.enumsortorder)::text,
	'the labels of mycc.channel in order, published by the channel_publish event trigger so that a restore adds the ones added after install before any data (not a member of the extension: pg_dump writes it)');
ALTER EXTENSION mycc DROP FUNCTION @extschema@.channel_definitions();

-- customer_tier output reads mycc.tier and mycc.tier_retired, and runs
-- while logical decoding writes a user table's rows: both are user catalog
-- tables, which decoding may read.
ALTER TABLE @extschema@.tier SET (user_catalog_table = true);
ALTER TABLE @extschema@.tier_retired SET (user_catalog_table = true);

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
