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
-- - Staffing: Erlang C (mycc.erlang_c, service_level, agents_needed,
--   offered_load), each queue's service_level_goal, and the staffing of
--   each queue from its traffic (mycc.queue_staffing_at, the view
--   mycc.queue_staffing).

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

-- routing v2 (issue 14): the waiting contacts in mycc.contact_queue, a
-- table of their own; next_contact and finish in PL/pgSQL (no C claim);
-- mycc.abandon; NOTIFY mycc_queue; abandonment and handle time in
-- mycc.queue_service_level.  The waiting contacts of the database move
-- into the new table with the keys they had: their places are kept.
-- The waiting contacts, one row each, in a small table of their own
-- (docs/routing.md#the-waiting-contacts): enqueue and re-routing write a
-- contact's row (the contact_queue_sync trigger), a claim deletes it in
-- one statement (DELETE ... FOR UPDATE SKIP LOCKED ... RETURNING), abandon
-- deletes it.  The row carries all a claim needs (the contact's place, its
-- base priority and arrival, the account manager it is held for), so a
-- claim reads no other customer-keyed table: on a Citus cluster this table
-- stays coordinator-local (not distributed: a claim takes the best row of
-- a queue, whatever the customer, which on a distributed table is a query
-- over every shard), and a claim is a single-node operation.  Autovacuum
-- settings of its own: every claim leaves a dead row at the head of its
-- queue's index, which the next claims walk until VACUUM removes it.
CREATE TABLE @extschema@.contact_queue (
	queue_id bigint NOT NULL,
	queue_key double precision,
	customer_id bigint NOT NULL,
	contact_id bigint NOT NULL,
	priority integer,
	enqueued_at timestamptz,
	manager_id bigint,
	CONSTRAINT contact_queue_pkey PRIMARY KEY (customer_id, contact_id)
) WITH (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 500,
	autovacuum_vacuum_insert_scale_factor = 0, autovacuum_vacuum_insert_threshold = 500,
	autovacuum_analyze_scale_factor = 0, autovacuum_analyze_threshold = 500,
	autovacuum_vacuum_cost_delay = 0);
-- A queue's waiting contacts in the order agents take them (mycc.queue_key).
CREATE INDEX contact_queue_order_idx ON @extschema@.contact_queue (queue_id, queue_key, contact_id);
-- The waiting contacts held for an account manager.
CREATE INDEX contact_queue_manager_idx ON @extschema@.contact_queue (manager_id, queue_id)
	WHERE manager_id IS NOT NULL;
COMMENT ON TABLE @extschema@.contact_queue IS 'the waiting contacts, one row each (kept by enqueue, re-routing, next_contact and abandon; coordinator-local on a Citus cluster)';
COMMENT ON COLUMN @extschema@.contact_queue.queue_id IS 'the queue it waits in';
COMMENT ON COLUMN @extschema@.contact_queue.queue_key IS 'its place in the queue: smaller is taken first (mycc.queue_key); NULL (taken last) while its queue is missing (pg_restore) or its arrival unknown';
COMMENT ON COLUMN @extschema@.contact_queue.customer_id IS 'the contact''s customer (with contact_id, the contact''s key)';
COMMENT ON COLUMN @extschema@.contact_queue.contact_id IS 'the waiting contact';
COMMENT ON COLUMN @extschema@.contact_queue.priority IS 'its base priority (mycc.contact.priority)';
COMMENT ON COLUMN @extschema@.contact_queue.enqueued_at IS 'when it was first routed (mycc.contact.enqueued_at)';
COMMENT ON COLUMN @extschema@.contact_queue.manager_id IS 'the account manager of its customer (of the survivor, when merged), whom it waits for alone during mycc.account_manager_hold; NULL: none';
COMMENT ON INDEX @extschema@.contact_queue_order_idx IS 'a queue''s waiting contacts in the order agents take them';
COMMENT ON INDEX @extschema@.contact_queue_manager_idx IS 'the waiting contacts held for each account manager';
ALTER TABLE @extschema@.routing_decision DROP CONSTRAINT routing_decision_reason_valid;
ALTER TABLE @extschema@.routing_decision ADD CONSTRAINT routing_decision_reason_valid CHECK (reason OPERATOR(pg_catalog.=) 'enqueue'
		OR reason OPERATOR(pg_catalog.=) 'reroute' OR reason OPERATOR(pg_catalog.=) 'abandon');
COMMENT ON COLUMN @extschema@.routing_decision.reason IS 'enqueue; reroute (while it waited, the customer''s tier or tags changed, or it was merged or unmerged); abandon (the customer left the queue: mycc.abandon)';

-- Effective priority (docs/routing.md): base + aging, where aging is the
-- wait in units of the queue's target answer time times its weight.  No
-- wait (or an unknown or infinite arrival) ages nothing, whatever the
-- weight: without the CASE an infinite weight (which mycc.queue refuses,
-- but a direct call can pass) made 0 * Infinity = NaN (found by the fuzz
-- test), and an arrival at -infinity failed the subtraction.  The one
-- formula: next_contact orders by it (and by queue_key, its form within
-- one queue); nothing else computes it.  No SET search_path: the body
-- (RETURN) is parsed when the function is created and resolves no name
-- when it runs, and a SET would keep the planner from inlining it (a
-- claim then set up the SQL function's executor at every call, twice).
CREATE OR REPLACE FUNCTION @extschema@.effective_priority(base integer, enqueued_at timestamptz, target_answer interval,
		aging_weight double precision, at timestamptz DEFAULT pg_catalog.now()) RETURNS double precision
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
	-- OPERATOR() forms share one precedence: the parentheses are needed.
	RETURN COALESCE(base, 0)::double precision OPERATOR(pg_catalog.+)
		CASE WHEN at OPERATOR(pg_catalog.>) enqueued_at AND pg_catalog.isfinite(enqueued_at)
			THEN (pg_catalog.date_part('epoch', at OPERATOR(pg_catalog.-) enqueued_at)
				  OPERATOR(pg_catalog./) pg_catalog.date_part('epoch', target_answer)) OPERATOR(pg_catalog.*) aging_weight
			ELSE 0::double precision END;
COMMENT ON FUNCTION @extschema@.effective_priority(integer, timestamptz, interval, double precision, timestamptz) IS 'base priority + waited / target_answer * aging_weight: the order agents take contacts in';

-- The account manager a customer's waiting contacts are held for: its
-- survivor's (the root of its merge tree), or NULL.
CREATE FUNCTION @extschema@.account_manager_of(customer_id bigint) RETURNS bigint
	LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp
	RETURN (SELECT c.account_manager FROM @extschema@.customer AS c
		WHERE c.id OPERATOR(pg_catalog.=) @extschema@.customer_root(account_manager_of.customer_id));
COMMENT ON FUNCTION @extschema@.account_manager_of(bigint) IS 'internal: the account manager of the customer''s merge tree (its survivor''s), whom its waiting contacts are held for';

-- A waiting contact's row of mycc.contact_queue follows the contact,
-- however it became or stays queued (routing, re-routing, an
-- administrator's UPDATE or INSERT, pg_restore loading mycc.contact): its
-- queue, key, base priority, arrival and account manager.  A contact that
-- stops waiting is taken out by whoever moves it (next_contact, abandon);
-- a row a hand edit leaves behind is dropped by the next claim that meets
-- it.  A contact whose queue row is not there (pg_restore loads
-- mycc.contact before mycc.queue) waits without a key until the queue
-- comes (queue_rekey).  A contact that comes into a queue is announced on
-- the channel mycc_queue (payload: the queue id), sent at commit.
CREATE FUNCTION @extschema@.contact_queue_sync() RETURNS trigger
	LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	settings record;
	key double precision;
BEGIN
	SELECT q.target_answer, q.aging_weight INTO settings
	FROM @extschema@.queue AS q WHERE q.id OPERATOR(pg_catalog.=) NEW.queue_id;
	IF FOUND THEN
		key := @extschema@.queue_key(NEW.priority, NEW.enqueued_at, settings.target_answer, settings.aging_weight);
	END IF;
	INSERT INTO @extschema@.contact_queue AS w
		(queue_id, queue_key, customer_id, contact_id, priority, enqueued_at, manager_id)
	VALUES (NEW.queue_id, key, NEW.customer_id, NEW.id, NEW.priority, NEW.enqueued_at,
		@extschema@.account_manager_of(NEW.customer_id))
	ON CONFLICT ON CONSTRAINT contact_queue_pkey DO UPDATE
	SET queue_id = EXCLUDED.queue_id, queue_key = EXCLUDED.queue_key, priority = EXCLUDED.priority,
		enqueued_at = EXCLUDED.enqueued_at, manager_id = EXCLUDED.manager_id;
	IF TG_OP OPERATOR(pg_catalog.=) 'INSERT' OR OLD.status OPERATOR(pg_catalog.<>) 'queued'
			OR OLD.queue_id IS DISTINCT FROM NEW.queue_id THEN
		PERFORM pg_catalog.pg_notify('mycc_queue', NEW.queue_id::text);
	END IF;
	RETURN NULL;
END
$$;
COMMENT ON FUNCTION @extschema@.contact_queue_sync() IS 'trigger: keeps a waiting contact''s row of mycc.contact_queue (queue, key, priority, arrival, account manager) and announces a contact new to a queue on the channel mycc_queue';
CREATE TRIGGER contact_queue_sync AFTER INSERT OR UPDATE OF queue_id, priority, enqueued_at, status
	ON @extschema@.contact
	FOR EACH ROW WHEN (NEW.status OPERATOR(pg_catalog.=) 'queued'::@extschema@.contact_status)
	EXECUTE FUNCTION @extschema@.contact_queue_sync();

-- A waiting contact deleted (or all of them, TRUNCATE) leaves its queue.
CREATE FUNCTION @extschema@.contact_queue_drop() RETURNS trigger
	LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	IF TG_OP OPERATOR(pg_catalog.=) 'TRUNCATE' THEN
		DELETE FROM @extschema@.contact_queue;
	ELSE
		DELETE FROM @extschema@.contact_queue AS w
		WHERE w.customer_id OPERATOR(pg_catalog.=) OLD.customer_id AND w.contact_id OPERATOR(pg_catalog.=) OLD.id;
	END IF;
	RETURN NULL;
END
$$;
COMMENT ON FUNCTION @extschema@.contact_queue_drop() IS 'trigger: takes a deleted waiting contact (TRUNCATE: all) out of mycc.contact_queue';
CREATE TRIGGER contact_queue_drop AFTER DELETE ON @extschema@.contact
	FOR EACH ROW WHEN (OLD.status OPERATOR(pg_catalog.=) 'queued'::@extschema@.contact_status)
	EXECUTE FUNCTION @extschema@.contact_queue_drop();
CREATE TRIGGER contact_queue_truncate AFTER TRUNCATE ON @extschema@.contact
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.contact_queue_drop();

-- The account manager the waiting contacts of a customer (and of the
-- customers merged into it) are held for follows the customer: a new
-- account manager, a merge or unmerge, a customer deleted (holds them for
-- no one), one inserted with a manager or a merge (pg_restore loads
-- mycc.contact before mycc.customer).
CREATE FUNCTION @extschema@.customer_queue_holds() RETURNS trigger
	LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	who bigint := CASE WHEN TG_OP OPERATOR(pg_catalog.=) 'DELETE' THEN OLD.id ELSE NEW.id END;
BEGIN
	UPDATE @extschema@.contact_queue AS w SET manager_id = m.manager
	FROM (SELECT DISTINCT q.customer_id, @extschema@.account_manager_of(q.customer_id) AS manager
		FROM @extschema@.contact_queue AS q
		WHERE q.customer_id OPERATOR(pg_catalog.=) who
			OR EXISTS (SELECT FROM @extschema@.customer AS c WHERE c.id OPERATOR(pg_catalog.=) q.customer_id
				AND COALESCE(c.root_id, c.id) OPERATOR(pg_catalog.=) who)) AS m
	WHERE w.customer_id OPERATOR(pg_catalog.=) m.customer_id AND w.manager_id IS DISTINCT FROM m.manager;
	RETURN NULL;
END
$$;
COMMENT ON FUNCTION @extschema@.customer_queue_holds() IS 'trigger: sets the account manager the waiting contacts of a customer (and of its merge tree) are held for when its manager or merge changes, or it is inserted or deleted';
CREATE TRIGGER customer_queue_holds AFTER INSERT ON @extschema@.customer
	FOR EACH ROW WHEN (NEW.account_manager IS NOT NULL OR NEW.root_id IS NOT NULL)
	EXECUTE FUNCTION @extschema@.customer_queue_holds();
CREATE TRIGGER customer_queue_unholds AFTER DELETE ON @extschema@.customer
	FOR EACH ROW EXECUTE FUNCTION @extschema@.customer_queue_holds();
CREATE TRIGGER customer_queue_rehold AFTER UPDATE OF account_manager, root_id ON @extschema@.customer
	FOR EACH ROW
	WHEN (OLD.account_manager IS DISTINCT FROM NEW.account_manager OR OLD.root_id IS DISTINCT FROM NEW.root_id)
	EXECUTE FUNCTION @extschema@.customer_queue_holds();

-- A queue whose target or aging weight changes re-keys its waiting
-- contacts; so does a queue that comes after its waiting contacts
-- (pg_restore).
CREATE OR REPLACE FUNCTION @extschema@.queue_rekey() RETURNS trigger
	LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	UPDATE @extschema@.contact_queue AS w
	SET queue_key = @extschema@.queue_key(w.priority, w.enqueued_at, NEW.target_answer, NEW.aging_weight)
	WHERE w.queue_id OPERATOR(pg_catalog.=) NEW.id;
	RETURN NULL;
END
$$;
COMMENT ON FUNCTION @extschema@.queue_rekey() IS 'trigger: recomputes the queue_key of a queue''s waiting contacts when its target or aging weight changes, or when it is created after them';
CREATE TRIGGER queue_key_restored AFTER INSERT ON @extschema@.queue
	FOR EACH ROW EXECUTE FUNCTION @extschema@.queue_rekey();

-- A queue with waiting contacts is not deleted, nor given another id:
-- its contacts would wait for ever in a queue no agent takes from (rules
-- naming it are kept by their foreign key; contacts have none, so that
-- finished ones never pin a queue).  Row security off: a policy hiding
-- some of them would let them be stranded; with one in force for the
-- caller, the check errors instead (as tier_before_delete's).
CREATE OR REPLACE FUNCTION @extschema@.queue_before_delete() RETURNS trigger
	LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE SET search_path = pg_catalog, pg_temp SET row_security = off AS $$
DECLARE
	waiting bigint;
BEGIN
	SELECT pg_catalog.count(*) INTO waiting FROM @extschema@.contact_queue AS w
	WHERE w.queue_id OPERATOR(pg_catalog.=) OLD.id;
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

-- The contact with this id, unlocked: its customer, agent and status;
-- 42704 if there is none, 21000 when contacts of several customers have
-- the id (ids are unique with the customer id; one given by hand may
-- repeat another), which would leave the row to chance.
CREATE FUNCTION @extschema@.contact_by_id(contact_id bigint,
		OUT customer_id bigint, OUT agent_id bigint, OUT status @extschema@.contact_status)
	AS 'MODULE_PATHNAME', 'mycc_contact_by_id' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.contact_by_id(bigint) IS 'internal: the customer, agent and status of the contact with this id, unlocked (42704 if none, 21000 if several customers have one)';

-- The contact row with this id, locked (mycc.contact_by_id's errors).
CREATE OR REPLACE FUNCTION @extschema@.lock_contact(contact_id bigint) RETURNS @extschema@.contact
	LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	k @extschema@.contact;
BEGIN
	SELECT c.* INTO k FROM @extschema@.contact_by_id(contact_id) AS f
	JOIN @extschema@.contact AS c ON c.customer_id OPERATOR(pg_catalog.=) f.customer_id
		AND c.id OPERATOR(pg_catalog.=) lock_contact.contact_id
	FOR UPDATE OF c;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'contact % does not exist', contact_id USING ERRCODE = '42704';
	END IF;
	RETURN k;
END
$$;
COMMENT ON FUNCTION @extschema@.lock_contact(bigint) IS 'internal: the contact with this id, locked FOR UPDATE (42704 if none, 21000 if several customers have one)';

-- The customer hung up while waiting: out of its queue (the queue row
-- first, a claim's lock order: waits for a claim that holds it), status
-- abandoned, ended now, logged in mycc.routing_decision.
CREATE FUNCTION @extschema@.abandon(contact_id bigint) RETURNS bigint
	LANGUAGE plpgsql VOLATILE STRICT PARALLEL UNSAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	k record;
	left_queue record;
BEGIN
	k := @extschema@.contact_by_id(contact_id);
	DELETE FROM @extschema@.contact_queue AS w
	WHERE w.customer_id OPERATOR(pg_catalog.=) k.customer_id AND w.contact_id OPERATOR(pg_catalog.=) abandon.contact_id;
	UPDATE @extschema@.contact AS u
	SET status = 'abandoned', ended_at = GREATEST(u.started_at, COALESCE(u.ended_at, pg_catalog.now()))
	WHERE u.customer_id OPERATOR(pg_catalog.=) k.customer_id AND u.id OPERATOR(pg_catalog.=) abandon.contact_id
		AND u.status OPERATOR(pg_catalog.=) 'queued'
	RETURNING u.queue_id, u.priority INTO left_queue;
	IF NOT FOUND THEN
		k := @extschema@.contact_by_id(contact_id);
		RAISE EXCEPTION 'contact % is %, not queued', contact_id, k.status
			USING ERRCODE = '55000', HINT = 'Only a waiting contact is abandoned.';
	END IF;
	INSERT INTO @extschema@.routing_decision (customer_id, contact_id, facts, rule_id, queue_id, priority, reason)
	VALUES (k.customer_id, contact_id, COALESCE(@extschema@.contact_facts(k.customer_id, contact_id), '{}'),
		NULL, left_queue.queue_id, COALESCE(left_queue.priority, 0), 'abandon');
	RETURN left_queue.queue_id;
END
$$;
COMMENT ON FUNCTION @extschema@.abandon(bigint) IS 'the customer left while waiting: takes the contact out of its queue, status abandoned, logs it; returns the queue it left (55000 if it is not queued)';

-- Re-routing: a waiting contact follows its customer's new tier or tags,
-- and its new survivor after a merge (or itself again after an unmerge).
CREATE OR REPLACE FUNCTION @extschema@.customer_reroute() RETURNS trigger
	LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	waiting record;
	k @extschema@.contact;
BEGIN
	-- The UPDATE that fired this waited for the enqueues of this
	-- customer's contacts in progress (their FOR SHARE lock of its row, see
	-- mycc.lock_routing_customer), so their contacts are found and
	-- re-routed too.
	-- The customer's own waiting contacts and those of customers merged
	-- into it: the others of its tree, found through customer_root_idx (its
	-- expression written as the index's, so that the index serves it; a
	-- root's tree is itself and the customers whose root_id it is).
	FOR waiting IN
		SELECT w.customer_id, w.contact_id FROM @extschema@.contact_queue AS w
		WHERE w.customer_id OPERATOR(pg_catalog.=) NEW.id
		UNION ALL
		SELECT w.customer_id, w.contact_id
		FROM @extschema@.customer AS m
		JOIN @extschema@.contact_queue AS w ON w.customer_id OPERATOR(pg_catalog.=) m.id
		WHERE COALESCE(m.root_id, m.id) OPERATOR(pg_catalog.=) NEW.id AND m.id OPERATOR(pg_catalog.<>) NEW.id
		ORDER BY 1, 2
	LOOP
		-- Its queue row, then the contact (a claim's lock order), locked and
		-- checked again: an agent may have claimed it meanwhile.
		PERFORM FROM @extschema@.contact_queue AS w
		WHERE w.customer_id OPERATOR(pg_catalog.=) waiting.customer_id
			AND w.contact_id OPERATOR(pg_catalog.=) waiting.contact_id
		FOR UPDATE;
		CONTINUE WHEN NOT FOUND;
		SELECT * INTO k FROM @extschema@.contact AS c
		WHERE c.customer_id OPERATOR(pg_catalog.=) waiting.customer_id
			AND c.id OPERATOR(pg_catalog.=) waiting.contact_id
			AND c.status OPERATOR(pg_catalog.=) 'queued'
		FOR UPDATE;
		CONTINUE WHEN NOT FOUND;
		PERFORM @extschema@.route_contact(k, 'reroute');
	END LOOP;
	RETURN NULL;
END
$$;
COMMENT ON FUNCTION @extschema@.customer_reroute() IS 'trigger: re-routes the waiting contacts of a customer whose tier or tags changed, or who was merged or unmerged';

-- Replay: today's rules over past decisions' facts.  The decisions are
-- read first (MATERIALIZED), then routed: on a Citus cluster, where
-- mycc.routing_decision is distributed, the read runs on the shards and
-- route() on the coordinator, which has the rules (a worker's copy of
-- mycc.routing_rule is empty).  PL/pgSQL: Citus plans no query with the
-- parameter of a SQL function.
CREATE OR REPLACE FUNCTION @extschema@.route_replay(since timestamptz,
		OUT customer_id bigint, OUT contact_id bigint, OUT decided_at timestamptz, OUT facts @extschema@.tagset,
		OUT old_queue bigint, OUT old_rule bigint, OUT new_queue bigint, OUT new_rule bigint)
	RETURNS SETOF record
	LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	RETURN QUERY
	WITH d AS MATERIALIZED (
		SELECT d.customer_id, d.id, d.contact_id, d.decided_at, d.facts, d.queue_id, d.rule_id
		FROM @extschema@.routing_decision AS d
		WHERE d.decided_at OPERATOR(pg_catalog.>=) since AND d.reason OPERATOR(pg_catalog.<>) 'abandon')
	SELECT d.customer_id, d.contact_id, d.decided_at, d.facts, d.queue_id, d.rule_id, r.queue, r.rule
	FROM d, LATERAL @extschema@.route(d.facts) AS r
	WHERE r.queue IS DISTINCT FROM d.queue_id OR r.rule IS DISTINCT FROM d.rule_id
	ORDER BY d.decided_at, d.customer_id, d.id;
END
$$;
COMMENT ON FUNCTION @extschema@.route_replay(timestamptz) IS 'routing decisions (enqueue, reroute) since a time that today''s rules would make differently: the facts, the old and the new queue and rule';

-- BI: service level by queue and day (the session's time zone).  Times as
-- intervals, and as seconds (double precision) for tools that chart
-- numbers.
CREATE OR REPLACE VIEW @extschema@.queue_service_level AS
SELECT q.id AS queue_id, q.name AS queue,
	(k.enqueued_at)::date AS day,
	pg_catalog.count(*) AS offered,
	pg_catalog.count(k.assigned_at) AS answered,
	pg_catalog.count(k.assigned_at)::double precision OPERATOR(pg_catalog./) pg_catalog.count(*) AS answer_rate,
	pg_catalog.count(*) FILTER (WHERE (k.assigned_at OPERATOR(pg_catalog.-) k.enqueued_at) OPERATOR(pg_catalog.<=) q.target_answer)::double precision
		OPERATOR(pg_catalog./) pg_catalog.count(*) AS within_target,
	pg_catalog.avg(k.assigned_at OPERATOR(pg_catalog.-) k.enqueued_at) AS average_wait,
	pg_catalog.count(*) FILTER (WHERE k.status OPERATOR(pg_catalog.=) 'abandoned'::@extschema@.contact_status) AS abandoned,
	pg_catalog.count(*) FILTER (WHERE k.status OPERATOR(pg_catalog.=) 'abandoned'::@extschema@.contact_status)::double precision
		OPERATOR(pg_catalog./) pg_catalog.count(*) AS abandon_rate,
	pg_catalog.avg(pg_catalog.date_part('epoch', k.assigned_at OPERATOR(pg_catalog.-) k.enqueued_at)) AS average_speed_of_answer,
	pg_catalog.avg(k.ended_at OPERATOR(pg_catalog.-) k.assigned_at)
		FILTER (WHERE k.status OPERATOR(pg_catalog.=) 'finished'::@extschema@.contact_status) AS average_handle_time,
	pg_catalog.avg(pg_catalog.date_part('epoch', k.ended_at OPERATOR(pg_catalog.-) k.assigned_at))
		FILTER (WHERE k.status OPERATOR(pg_catalog.=) 'finished'::@extschema@.contact_status) AS average_handle_seconds
FROM @extschema@.contact AS k
JOIN @extschema@.queue AS q ON q.id OPERATOR(pg_catalog.=) k.queue_id
WHERE k.enqueued_at IS NOT NULL
GROUP BY q.id, q.name, (k.enqueued_at)::date;
COMMENT ON VIEW @extschema@.queue_service_level IS 'by queue and day: contacts offered, answered, answer rate, share answered within the target time, average wait (speed of answer), abandoned contacts and rate, average handle time';
COMMENT ON COLUMN @extschema@.queue_service_level.queue_id IS 'queue id';
COMMENT ON COLUMN @extschema@.queue_service_level.queue IS 'queue name';
COMMENT ON COLUMN @extschema@.queue_service_level.day IS 'the day the contacts were enqueued (session time zone)';
COMMENT ON COLUMN @extschema@.queue_service_level.offered IS 'contacts routed to the queue that day';
COMMENT ON COLUMN @extschema@.queue_service_level.answered IS 'of them, taken by an agent';
COMMENT ON COLUMN @extschema@.queue_service_level.answer_rate IS 'answered / offered (0 to 1)';
COMMENT ON COLUMN @extschema@.queue_service_level.within_target IS 'share of offered contacts answered within the queue''s target_answer (0 to 1)';
COMMENT ON COLUMN @extschema@.queue_service_level.average_wait IS 'average speed of answer: average time from enqueue to an agent, of the answered contacts (interval)';
COMMENT ON COLUMN @extschema@.queue_service_level.abandoned IS 'contacts whose customer left while waiting (mycc.abandon)';
COMMENT ON COLUMN @extschema@.queue_service_level.abandon_rate IS 'abandoned / offered (0 to 1)';
COMMENT ON COLUMN @extschema@.queue_service_level.average_speed_of_answer IS 'average_wait in seconds (double precision)';
COMMENT ON COLUMN @extschema@.queue_service_level.average_handle_time IS 'average time from an agent taking a contact to its finish, of the finished contacts (interval)';
COMMENT ON COLUMN @extschema@.queue_service_level.average_handle_seconds IS 'average_handle_time in seconds (double precision)';

-- The waiting contacts move, in queue order, with the keys they had.
INSERT INTO @extschema@.contact_queue (queue_id, queue_key, customer_id, contact_id, priority, enqueued_at, manager_id)
SELECT k.queue_id, k.queue_key, k.customer_id, k.id, k.priority, k.enqueued_at,
	@extschema@.account_manager_of(k.customer_id)
FROM @extschema@.contact AS k
WHERE k.status OPERATOR(pg_catalog.=) 'queued' AND k.queue_id IS NOT NULL
ORDER BY k.queue_id, k.queue_key, k.id;
DROP TRIGGER contact_queue_key ON @extschema@.contact;
DROP FUNCTION @extschema@.contact_queue_key();
DROP INDEX @extschema@.contact_queued_idx;
ALTER TABLE @extschema@.contact DROP COLUMN queue_key;
ALTER TABLE @extschema@.contact SET (fillfactor = 90);

-- Rights (src/sql/roles.sql).
GRANT SELECT, INSERT, UPDATE, DELETE ON @extschema@.contact_queue TO mycc_agent;
GRANT SELECT, INSERT, UPDATE, DELETE ON @extschema@.contact_queue TO mycc_admin;
REVOKE EXECUTE ON FUNCTION @extschema@.contact_queue_sync() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.contact_queue_drop() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.customer_queue_holds() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.abandon(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION @extschema@.abandon(bigint) TO mycc_agent;

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

-- While restoring (mycc.restoring(): check_function_bodies off, as in every
-- script pg_dump writes), the triggers that keep one table from another
-- leave their work out; mycc.contact_queue is dumped with its rows, keys
-- and holds (rebuilt under pg_restore -j, a key or hold could miss a queue
-- or customer row another connection had not committed yet).
CREATE FUNCTION @extschema@.restoring() RETURNS boolean
	LANGUAGE sql STABLE PARALLEL SAFE
	RETURN NOT pg_catalog.current_setting('check_function_bodies')::boolean;
COMMENT ON FUNCTION @extschema@.restoring() IS 'true while check_function_bodies is off, as in every script pg_dump writes: mycc''s triggers that keep one table from another leave their work out then';

CREATE OR REPLACE FUNCTION @extschema@.reference_check() RETURNS trigger
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	-- TG_ARGV: the referencing column, the referenced table (key column id).
	key text := pg_catalog.to_jsonb(NEW) OPERATOR(pg_catalog.->>) TG_ARGV[0];
	found bigint;
BEGIN
	IF key IS NULL OR @extschema@.restoring() THEN
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

CREATE OR REPLACE FUNCTION @extschema@.contact_queue_sync() RETURNS trigger
	LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	settings record;
	key double precision;
BEGIN
	IF @extschema@.restoring() THEN
		RETURN NULL;
	END IF;
	SELECT q.target_answer, q.aging_weight INTO settings
	FROM @extschema@.queue AS q WHERE q.id OPERATOR(pg_catalog.=) NEW.queue_id;
	IF FOUND THEN
		key := @extschema@.queue_key(NEW.priority, NEW.enqueued_at, settings.target_answer, settings.aging_weight);
	END IF;
	INSERT INTO @extschema@.contact_queue AS w
		(queue_id, queue_key, customer_id, contact_id, priority, enqueued_at, manager_id)
	VALUES (NEW.queue_id, key, NEW.customer_id, NEW.id, NEW.priority, NEW.enqueued_at,
		@extschema@.account_manager_of(NEW.customer_id))
	ON CONFLICT ON CONSTRAINT contact_queue_pkey DO UPDATE
	SET queue_id = EXCLUDED.queue_id, queue_key = EXCLUDED.queue_key, priority = EXCLUDED.priority,
		enqueued_at = EXCLUDED.enqueued_at, manager_id = EXCLUDED.manager_id;
	IF TG_OP OPERATOR(pg_catalog.=) 'INSERT' OR OLD.status OPERATOR(pg_catalog.<>) 'queued'
			OR OLD.queue_id IS DISTINCT FROM NEW.queue_id THEN
		PERFORM pg_catalog.pg_notify('mycc_queue', NEW.queue_id::text);
	END IF;
	RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION @extschema@.customer_queue_holds() RETURNS trigger
	LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	who bigint := CASE WHEN TG_OP OPERATOR(pg_catalog.=) 'DELETE' THEN OLD.id ELSE NEW.id END;
BEGIN
	IF @extschema@.restoring() THEN
		RETURN NULL;
	END IF;
	UPDATE @extschema@.contact_queue AS w SET manager_id = m.manager
	FROM (SELECT DISTINCT q.customer_id, @extschema@.account_manager_of(q.customer_id) AS manager
		FROM @extschema@.contact_queue AS q
		WHERE q.customer_id OPERATOR(pg_catalog.=) who
			OR EXISTS (SELECT FROM @extschema@.customer AS c WHERE c.id OPERATOR(pg_catalog.=) q.customer_id
				AND COALESCE(c.root_id, c.id) OPERATOR(pg_catalog.=) who)) AS m
	WHERE w.customer_id OPERATOR(pg_catalog.=) m.customer_id AND w.manager_id IS DISTINCT FROM m.manager;
	RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION @extschema@.queue_rekey() RETURNS trigger
	LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	IF @extschema@.restoring() THEN
		RETURN NULL;
	END IF;
	UPDATE @extschema@.contact_queue AS w
	SET queue_key = @extschema@.queue_key(w.priority, w.enqueued_at, NEW.target_answer, NEW.aging_weight)
	WHERE w.queue_id OPERATOR(pg_catalog.=) NEW.id;
	RETURN NULL;
END
$$;
SELECT pg_catalog.pg_extension_config_dump('@extschema@.contact_queue', '');

-- SQL functions with RETURN bodies pin no search_path (issue 19)
-- Their bodies are parsed when they are created and resolve no name when
-- they run; a SET only kept the planner from inlining them.
ALTER FUNCTION @extschema@.contact_facts(bigint, bigint) RESET search_path;
ALTER FUNCTION @extschema@.queue_key(integer, timestamptz, interval, double precision) RESET search_path;
ALTER FUNCTION @extschema@.account_manager_of(bigint) RESET search_path;
-- scaling (docs/scaling.md): Citus settings from mycc's functions
-- (citus_set_local); published definitions on a Citus coordinator and its
-- workers; tier_before_delete's check on distributed tables;
-- mycc.distribute(); mycc_reader reads the answer columns of mycc.survey
CREATE FUNCTION @extschema@.require_coordinator(relation text) RETURNS boolean
	AS 'MODULE_PATHNAME', 'mycc_require_coordinator' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.require_coordinator(text) IS 'internal: true, or 55000 on a Citus worker, where mycc''s copy of the table mycc.<relation> is empty';
CREATE OR REPLACE FUNCTION @extschema@.customer_root(customer bigint) RETURNS bigint
	LANGUAGE sql STABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
SELECT COALESCE(c.root_id, c.id) FROM @extschema@.customer AS c WHERE c.id OPERATOR(pg_catalog.=) customer_root.customer
	AND @extschema@.require_coordinator('customer')
$$;
COMMENT ON FUNCTION @extschema@.customer_root(bigint) IS 'the customer a customer id answers as: itself, or the survivor it was merged into; NULL for no such customer';
CREATE OR REPLACE FUNCTION @extschema@.customer_identities(customer bigint)
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
CREATE OR REPLACE FUNCTION @extschema@.tier_policy(@extschema@.customer_tier) RETURNS @extschema@.tier
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
CREATE OR REPLACE FUNCTION @extschema@.contact_facts(customer_id bigint, contact_id bigint) RETURNS @extschema@.tagset
	LANGUAGE sql STABLE PARALLEL SAFE
	RETURN (SELECT c.tags OPERATOR(@extschema@.||) k.tags OPERATOR(@extschema@.||)
			@extschema@.tagset(pg_catalog.array_remove(ARRAY[
				'tier:' OPERATOR(pg_catalog.||) c.tier::text,
				'channel:' OPERATOR(pg_catalog.||) k.channel::text,
				'topic:' OPERATOR(pg_catalog.||) k.topic], NULL))
		FROM @extschema@.contact AS k
		JOIN @extschema@.customer AS c
			ON c.id OPERATOR(pg_catalog.=) @extschema@.customer_root(k.customer_id)
		WHERE k.customer_id OPERATOR(pg_catalog.=) contact_facts.customer_id
			AND k.id OPERATOR(pg_catalog.=) contact_facts.contact_id
			AND @extschema@.require_coordinator('contact'));
COMMENT ON FUNCTION @extschema@.contact_facts(bigint, bigint) IS 'the facts routing sees for a contact: customer tags, tier:…, channel:…, topic:…, the contact''s tags';
CREATE OR REPLACE FUNCTION @extschema@.timeline(customer bigint)
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
		AND @extschema@.require_coordinator('contact')
) AS t
ORDER BY t.started_at DESC, t.id DESC
$$;
COMMENT ON FUNCTION @extschema@.timeline(bigint) IS 'every contact of a customer (and of the customers merged into it) on every channel, newest first, with its conversation number';
CREATE FUNCTION @extschema@.citus_set_local(setting text, value text) RETURNS text
	LANGUAGE sql VOLATILE PARALLEL UNSAFE
BEGIN ATOMIC
	SELECT CASE WHEN p.previous IS NULL OR NOT pg_catalog.starts_with(setting, 'citus.') THEN NULL
		WHEN pg_catalog.set_config(setting, value, true) IS NOT NULL THEN p.previous END
	FROM (SELECT pg_catalog.current_setting(setting, true) AS previous OFFSET 0) AS p;
END;
COMMENT ON FUNCTION @extschema@.citus_set_local(text, text) IS 'internal: sets a Citus setting (citus.*) for the rest of the transaction when Citus is loaded, else nothing; returns the value before (NULL if nothing was done); no more than set_config allows the caller';
CREATE OR REPLACE FUNCTION @extschema@.depend_on_extension(fn regprocedure, description text) RETURNS void
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	IF (SELECT pg_catalog.count(*) FROM pg_catalog.pg_depend AS d
			WHERE d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_proc'::pg_catalog.regclass
				AND d.objid OPERATOR(pg_catalog.=) fn
				AND d.refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_extension'::pg_catalog.regclass
				AND d.deptype OPERATOR(pg_catalog.=) 'x') OPERATOR(pg_catalog.=) 0 THEN
		-- Off until the transaction ends, not for these statements only:
		-- what publishes next in the transaction (the channels' labels on
		-- the workers, through connections of their own) waits for the
		-- metadata Citus would otherwise send for the function through
		-- this transaction's connections, which never commit first.
		PERFORM @extschema@.citus_set_local('citus.enable_ddl_propagation', 'off');
		EXECUTE pg_catalog.format('ALTER FUNCTION %s DEPENDS ON EXTENSION mycc', fn);
		EXECUTE pg_catalog.format('COMMENT ON FUNCTION %s IS %L', fn, description);
	END IF;
END
$$;
COMMENT ON FUNCTION @extschema@.depend_on_extension(regprocedure, text) IS 'internal: makes a published function depend on the extension (DROP EXTENSION drops it), which pg_dump does not restore, and comments it';
REVOKE ALL ON FUNCTION @extschema@.depend_on_extension(regprocedure, text) FROM PUBLIC;
CREATE FUNCTION @extschema@.on_citus_coordinator() RETURNS boolean
	LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	IF (SELECT pg_catalog.count(*) FROM pg_catalog.pg_extension WHERE extname OPERATOR(pg_catalog.=) 'citus')
			OPERATOR(pg_catalog.=) 0 THEN
		RETURN false;
	END IF;
	RETURN (SELECT c FROM pg_catalog.citus_is_coordinator() AS c);
END
$$;
COMMENT ON FUNCTION @extschema@.on_citus_coordinator() IS 'internal: true where Citus is installed and this node is its coordinator';
CREATE FUNCTION @extschema@.run_on_workers(statement text, what text) RETURNS void
	LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	failed text;
BEGIN
	IF NOT @extschema@.on_citus_coordinator() THEN
		RETURN;
	END IF;
	SELECT pg_catalog.string_agg(pg_catalog.format('%s:%s: %s', w.nodename, w.nodeport, w.result), '; ')
	INTO failed
	FROM pg_catalog.run_command_on_workers(pg_catalog.format('DO %L',
		'BEGIN PERFORM pg_catalog.set_config(''citus.enable_ddl_propagation'', ''off'', true); '
		|| statement || '; END')) AS w
	WHERE NOT w.success;
	IF failed IS NOT NULL THEN
		RAISE EXCEPTION 'could not % on the Citus workers', what
			USING ERRCODE = '55000', DETAIL = failed;
	END IF;
END
$$;
COMMENT ON FUNCTION @extschema@.run_on_workers(text, text) IS 'internal: on a Citus coordinator, runs one PL/pgSQL statement on every worker in a DO block with DDL propagation off; 55000 naming the workers where it failed; nothing elsewhere';
REVOKE ALL ON FUNCTION @extschema@.run_on_workers(text, text) FROM PUBLIC;
CREATE FUNCTION @extschema@.distribute_published(fn regprocedure) RETURNS void
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	IF fn IS NULL OR NOT @extschema@.on_citus_coordinator() THEN
		RETURN;
	END IF;
	IF EXISTS (SELECT FROM pg_catalog.pg_dist_object AS o
			WHERE o.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_proc'::pg_catalog.regclass
				AND o.objid OPERATOR(pg_catalog.=) fn) THEN
		RETURN;
	END IF;
	EXECUTE pg_catalog.format('ALTER FUNCTION %s NO DEPENDS ON EXTENSION mycc', fn);
	PERFORM pg_catalog.create_distributed_function(fn);
	PERFORM @extschema@.depend_on_extension(fn, pg_catalog.obj_description(fn, 'pg_proc'));
END
$$;
COMMENT ON FUNCTION @extschema@.distribute_published(regprocedure) IS 'internal: on a Citus coordinator, makes a published function (tiers, channels) one Citus distributes, so that a worker added later gets it; nothing elsewhere, for NULL, or if it is distributed already';
REVOKE ALL ON FUNCTION @extschema@.distribute_published(regprocedure) FROM PUBLIC;
CREATE FUNCTION @extschema@.publish_definitions_on_workers(name text) RETURNS void
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	fn pg_catalog.regprocedure := pg_catalog.to_regprocedure(pg_catalog.format('@extschema@.%I()', name));
	published text;
	result_type text;
BEGIN
	IF fn IS NULL OR NOT @extschema@.on_citus_coordinator() THEN
		RETURN;
	END IF;
	EXECUTE pg_catalog.format('SELECT %s::text', fn) INTO published;
	SELECT pg_catalog.format_type(p.prorettype, NULL) INTO result_type
	FROM pg_catalog.pg_proc AS p WHERE p.oid OPERATOR(pg_catalog.=) fn;
	PERFORM @extschema@.run_on_workers(pg_catalog.format('PERFORM @extschema@.publish_definitions(%L, %L, %L, %L)',
		name, result_type, published, pg_catalog.obj_description(fn, 'pg_proc')),
		pg_catalog.format('publish %s()', name));
END
$$;
COMMENT ON FUNCTION @extschema@.publish_definitions_on_workers(text) IS 'internal: on a Citus coordinator, publishes a published function''s result on every worker (run_on_workers); nothing elsewhere';
REVOKE ALL ON FUNCTION @extschema@.publish_definitions_on_workers(text) FROM PUBLIC;
CREATE OR REPLACE FUNCTION @extschema@.channel_publish() RETURNS event_trigger
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
			-- Citus propagates neither an extension's ALTER TYPE nor DDL run
			-- by an event trigger: on a coordinator, the workers publish the
			-- same labels, and add them; then Citus keeps the function for a
			-- worker added later (docs/scaling.md#tiers-and-channels).
			PERFORM @extschema@.publish_definitions_on_workers('channel_definitions');
			PERFORM @extschema@.distribute_published(pg_catalog.to_regprocedure('@extschema@.channel_definitions()'));
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
CREATE OR REPLACE FUNCTION @extschema@.tier_before_delete() RETURNS trigger
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
CREATE FUNCTION @extschema@.distribute(OUT table_name regclass, OUT placement text)
	RETURNS SETOF record
	LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE SET search_path = pg_catalog, pg_temp
	SET client_min_messages = warning AS $$
DECLARE
	-- (mycc.identity stays: docs/scaling.md#why-the-identifiers-stay.)
	distributed pg_catalog.regclass[] := ARRAY['@extschema@.survey'::pg_catalog.regclass,
		'@extschema@.routing_decision'::pg_catalog.regclass];
	t pg_catalog.regclass;
	published text;
	mode text;
BEGIN
	IF (SELECT pg_catalog.count(*) FROM pg_catalog.pg_extension WHERE extname OPERATOR(pg_catalog.=) 'citus')
			OPERATOR(pg_catalog.=) 0 THEN
		RAISE EXCEPTION 'mycc.distribute() needs the citus extension in this database'
			USING ERRCODE = '55000',
			HINT = 'On the coordinator: CREATE EXTENSION citus, add the workers, then SELECT * FROM mycc.distribute() (docs/scaling.md).';
	END IF;
	-- Dynamic: the function must be created where Citus is not installed.
	IF NOT (SELECT c FROM pg_catalog.citus_is_coordinator() AS c) THEN
		IF (SELECT g.groupid FROM pg_catalog.pg_dist_local_group AS g) OPERATOR(pg_catalog.=) 0 THEN
			RAISE EXCEPTION 'mycc.distribute() needs a Citus cluster, and this one has no nodes yet'
				USING ERRCODE = '55000',
				HINT = 'Add them first: SELECT citus_set_coordinator_host(...); SELECT citus_add_node(...) for each worker (docs/scaling.md).';
		END IF;
		RAISE EXCEPTION 'mycc.distribute() runs on the coordinator, not on a worker'
			USING ERRCODE = '55000';
	END IF;
	-- One connection per worker (until this function returns): Citus
	-- distributes a function only in a transaction that has not queried
	-- shards in parallel.
	mode := @extschema@.citus_set_local('citus.multi_shard_modify_mode', 'sequential');
	-- Before any row moves to a worker, the worker must know every tier
	-- and channel the rows use: mycc itself on every worker (Citus creates
	-- it there only with the first table that needs it, in this
	-- transaction, too late for the publishing below, which runs over
	-- connections of its own), the tiers and channels published there, and
	-- both published functions made ones Citus distributes (Citus then
	-- sends a tier change to the workers, and both to a worker added later;
	-- docs/scaling.md#tiers-and-channels).
	PERFORM @extschema@.run_on_workers(pg_catalog.format(
		'IF (SELECT pg_catalog.count(*) FROM pg_catalog.pg_extension WHERE extname OPERATOR(pg_catalog.=) ''mycc'') '
		'OPERATOR(pg_catalog.=) 0 THEN CREATE EXTENSION mycc VERSION %L; END IF',
		(SELECT e.extversion FROM pg_catalog.pg_extension AS e WHERE e.extname OPERATOR(pg_catalog.=) 'mycc')),
		'create mycc');
	FOREACH published IN ARRAY ARRAY['tier_definitions', 'channel_definitions'] LOOP
		PERFORM @extschema@.publish_definitions_on_workers(published);
	END LOOP;
	FOREACH published IN ARRAY ARRAY['tier_definitions', 'channel_definitions'] LOOP
		PERFORM @extschema@.distribute_published(pg_catalog.to_regprocedure(pg_catalog.format('@extschema@.%I()', published)));
	END LOOP;
	FOREACH t IN ARRAY distributed LOOP
		IF (SELECT pg_catalog.count(*) FROM pg_catalog.pg_dist_partition AS p
				WHERE p.logicalrelid OPERATOR(pg_catalog.=) t) OPERATOR(pg_catalog.=) 0 THEN
			-- Co-located with mycc.survey: a customer's rows on one worker.
			PERFORM pg_catalog.create_distributed_table(t, 'customer_id',
				colocate_with => CASE WHEN t OPERATOR(pg_catalog.=) distributed[1] THEN 'default'
					ELSE distributed[1]::text END);
			-- Citus copied the rows into the shards; the coordinator's copy
			-- would only be found by code that reads the table directly.
			PERFORM pg_catalog.truncate_local_data_after_distributing_table(t);
		END IF;
	END LOOP;
	PERFORM @extschema@.citus_set_local('citus.multi_shard_modify_mode', mode);
	RETURN QUERY
	SELECT c.oid::pg_catalog.regclass,
		CASE WHEN p.partmethod OPERATOR(pg_catalog.=) 'h'
				THEN 'distributed by ' || pg_catalog.column_to_column_name(c.oid, p.partkey)
			WHEN p.partmethod OPERATOR(pg_catalog.=) 'n' THEN 'reference table'
			ELSE 'coordinator' END
	FROM pg_catalog.pg_class AS c
	LEFT JOIN pg_catalog.pg_dist_partition AS p ON p.logicalrelid OPERATOR(pg_catalog.=) c.oid
	WHERE c.relnamespace OPERATOR(pg_catalog.=) '@extschema@'::pg_catalog.regnamespace
		AND c.relkind OPERATOR(pg_catalog.=) 'r'
		AND EXISTS (SELECT FROM pg_catalog.pg_depend AS d
			WHERE d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_class'::pg_catalog.regclass
				AND d.objid OPERATOR(pg_catalog.=) c.oid AND d.deptype OPERATOR(pg_catalog.=) 'e')
	ORDER BY 2 DESC, c.relname;
END
$$;
COMMENT ON FUNCTION @extschema@.distribute() IS 'on a Citus coordinator: distributes mycc.survey and mycc.routing_decision by customer_id, brings the published tiers and channels to the workers (idempotent), and lists where each of mycc''s tables is';
REVOKE ALL ON FUNCTION @extschema@.distribute() FROM PUBLIC;
GRANT SELECT (channel, tier, nps, csat, answered_at, tier_id) ON @extschema@.survey TO mycc_reader;
-- staffing ------------------------------------------------------------------

-- Erlang C and the staffing of each queue (docs/routing.md#staffing), as
-- src/sql/staffing.sql creates them, and their grants (src/sql/roles.sql).

CREATE FUNCTION @extschema@.offered_load(arrivals_per_hour double precision, handle_seconds double precision)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'mycc_offered_load' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.offered_load(double precision, double precision) IS 'offered load in erlangs (agents kept busy on average): arrivals an hour times handle seconds / 3600';

CREATE FUNCTION @extschema@.erlang_c(agents integer, arrivals_per_hour double precision, handle_seconds double precision)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'mycc_erlang_c' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.erlang_c(integer, double precision, double precision) IS 'Erlang C: the probability that a contact waits for one of so many agents (1 when the load is at least the agents: no steady state)';

CREATE FUNCTION @extschema@.service_level(agents integer, arrivals_per_hour double precision, handle_seconds double precision,
		target_seconds double precision)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'mycc_service_level' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.service_level(integer, double precision, double precision, double precision) IS 'Erlang C: the share of contacts so many agents answer within target_seconds (0 when the load is at least the agents)';

CREATE FUNCTION @extschema@.agents_needed(arrivals_per_hour double precision, handle_seconds double precision,
		target_seconds double precision, goal double precision)
	RETURNS integer
	AS 'MODULE_PATHNAME', 'mycc_agents_needed' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.agents_needed(double precision, double precision, double precision, double precision) IS 'Erlang C: the smallest number of agents that answers the goal share (0 to 1, exclusive) of contacts within target_seconds';

-- Each queue's service level goal: the share of its contacts to answer
-- within its target_answer (80 % in 20 seconds is the classic call
-- center's).
ALTER TABLE @extschema@.queue
	ADD COLUMN service_level_goal double precision NOT NULL DEFAULT 0.8,
	ADD CONSTRAINT queue_service_level_goal_valid CHECK (service_level_goal OPERATOR(pg_catalog.>) 0::double precision
		AND service_level_goal OPERATOR(pg_catalog.<) 1::double precision);
COMMENT ON COLUMN @extschema@.queue.service_level_goal IS 'share of contacts to answer within target_answer (strictly between 0 and 1); what mycc.queue_staffing staffs for';

-- The staffing of each queue for the traffic of the span before a time:
-- arrivals are the contacts enqueued in it, the handle time the average of
-- the contacts finished in it.  Runs with its owner's rights, as a BI view
-- does: it reports counts and averages per queue, never a contact.
CREATE FUNCTION @extschema@.queue_staffing_at(at timestamptz, span interval DEFAULT '1 hour',
		OUT queue_id bigint, OUT queue text, OUT period_start timestamptz, OUT period_end timestamptz,
		OUT arrivals bigint, OUT arrivals_per_hour double precision, OUT finished bigint,
		OUT handle_seconds double precision, OUT target_seconds double precision, OUT goal double precision,
		OUT offered_load double precision, OUT agents_needed integer, OUT probability_of_wait double precision,
		OUT service_level double precision)
	RETURNS SETOF record
	LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
	hours double precision := pg_catalog.date_part('epoch', span) OPERATOR(pg_catalog./) 3600;
	since timestamptz := at OPERATOR(pg_catalog.-) span;
BEGIN
	IF NOT (hours OPERATOR(pg_catalog.>) 0 AND hours OPERATOR(pg_catalog.<) 'Infinity'::double precision) THEN
		RAISE EXCEPTION 'span % is out of range', span
			USING ERRCODE = '22023', DETAIL = 'The span of traffic staffed for is a positive, finite interval, such as 1 hour.';
	END IF;
	RETURN QUERY
	WITH traffic AS (
		SELECT k.queue_id,
			pg_catalog.count(*) FILTER (WHERE k.enqueued_at OPERATOR(pg_catalog.>) since
				AND k.enqueued_at OPERATOR(pg_catalog.<=) at) AS arrivals,
			pg_catalog.count(*) FILTER (WHERE k.status OPERATOR(pg_catalog.=) 'finished'::@extschema@.contact_status
				AND k.assigned_at IS NOT NULL
				AND k.ended_at OPERATOR(pg_catalog.>) since AND k.ended_at OPERATOR(pg_catalog.<=) at) AS finished,
			pg_catalog.avg(pg_catalog.date_part('epoch', k.ended_at OPERATOR(pg_catalog.-) k.assigned_at))
				FILTER (WHERE k.status OPERATOR(pg_catalog.=) 'finished'::@extschema@.contact_status
				AND k.assigned_at IS NOT NULL
				AND k.ended_at OPERATOR(pg_catalog.>) since AND k.ended_at OPERATOR(pg_catalog.<=) at) AS handle
		FROM @extschema@.contact AS k
		WHERE k.queue_id IS NOT NULL
			AND ((k.enqueued_at OPERATOR(pg_catalog.>) since AND k.enqueued_at OPERATOR(pg_catalog.<=) at)
				OR (k.ended_at OPERATOR(pg_catalog.>) since AND k.ended_at OPERATOR(pg_catalog.<=) at))
		GROUP BY k.queue_id
	), rates AS (
		-- With no arrivals there is no load, whatever the handle time.
		SELECT q.id, q.name, COALESCE(t.arrivals, 0) AS arrivals,
			COALESCE(t.arrivals, 0)::double precision OPERATOR(pg_catalog./) hours AS per_hour,
			COALESCE(t.finished, 0) AS finished, t.handle,
			CASE WHEN COALESCE(t.arrivals, 0) OPERATOR(pg_catalog.=) 0 THEN 0::double precision ELSE t.handle END AS load_handle,
			pg_catalog.date_part('epoch', q.target_answer) AS target, q.service_level_goal AS goal
		FROM @extschema@.queue AS q
		LEFT JOIN traffic AS t ON t.queue_id OPERATOR(pg_catalog.=) q.id
	)
	SELECT r.id, r.name, since, at, r.arrivals, r.per_hour, r.finished, r.handle, r.target, r.goal,
		@extschema@.offered_load(r.per_hour, r.load_handle), n.agents,
		@extschema@.erlang_c(n.agents, r.per_hour, r.load_handle),
		@extschema@.service_level(n.agents, r.per_hour, r.load_handle, r.target)
	FROM rates AS r,
		LATERAL (SELECT @extschema@.agents_needed(r.per_hour, r.load_handle, r.target, r.goal) AS agents) AS n
	ORDER BY r.id;
END
$$;
COMMENT ON FUNCTION @extschema@.queue_staffing_at(timestamptz, interval) IS 'by queue: the traffic of the span (default 1 hour) before a time (contacts enqueued, average handle time of those finished) and the agents Erlang C says it needs for the queue''s target_answer and service_level_goal';

-- BI: the staffing of each queue for the last hour's traffic.
CREATE VIEW @extschema@.queue_staffing AS
SELECT s.queue_id, s.queue, s.period_start, s.period_end, s.arrivals, s.arrivals_per_hour, s.finished,
	s.handle_seconds, s.target_seconds, s.goal, s.offered_load, s.agents_needed, s.probability_of_wait,
	s.service_level
FROM @extschema@.queue_staffing_at(pg_catalog.now()) AS s;
COMMENT ON VIEW @extschema@.queue_staffing IS 'by queue: the last hour''s traffic and the agents Erlang C says it needs to answer the queue''s service_level_goal of contacts within its target_answer';
COMMENT ON COLUMN @extschema@.queue_staffing.queue_id IS 'queue id';
COMMENT ON COLUMN @extschema@.queue_staffing.queue IS 'queue name';
COMMENT ON COLUMN @extschema@.queue_staffing.period_start IS 'start of the hour observed (excluded): now - 1 hour';
COMMENT ON COLUMN @extschema@.queue_staffing.period_end IS 'end of the hour observed (included): now';
COMMENT ON COLUMN @extschema@.queue_staffing.arrivals IS 'contacts enqueued in the queue during the hour';
COMMENT ON COLUMN @extschema@.queue_staffing.arrivals_per_hour IS 'arrival rate: arrivals per hour (double precision)';
COMMENT ON COLUMN @extschema@.queue_staffing.finished IS 'contacts of the queue an agent finished during the hour (the handle time sample)';
COMMENT ON COLUMN @extschema@.queue_staffing.handle_seconds IS 'average handle time in seconds (from an agent taking a contact to its finish) of the finished contacts; NULL when none finished';
COMMENT ON COLUMN @extschema@.queue_staffing.target_seconds IS 'the queue''s target_answer in seconds';
COMMENT ON COLUMN @extschema@.queue_staffing.goal IS 'the queue''s service_level_goal: share of contacts to answer within the target (0 to 1)';
COMMENT ON COLUMN @extschema@.queue_staffing.offered_load IS 'offered load in erlangs: arrivals_per_hour * handle_seconds / 3600, the agents kept busy on average';
COMMENT ON COLUMN @extschema@.queue_staffing.agents_needed IS 'the fewest agents that answer the goal share within the target (Erlang C); NULL when contacts arrived but none finished';
COMMENT ON COLUMN @extschema@.queue_staffing.probability_of_wait IS 'with agents_needed agents: the probability that a contact waits (Erlang C, 0 to 1)';
COMMENT ON COLUMN @extschema@.queue_staffing.service_level IS 'with agents_needed agents: the share of contacts answered within the target (0 to 1, at least goal)';
GRANT SELECT ON @extschema@.queue_staffing TO mycc_reader, mycc_admin;
REVOKE EXECUTE ON FUNCTION @extschema@.queue_staffing_at(timestamptz, interval) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION @extschema@.queue_staffing_at(timestamptz, interval) TO mycc_reader, mycc_admin;
-- BI views of plain SQL types in the business time zone; JSON and arrays for apps (issue 17)

-- The views change column types (tier, channel and service_mode as text,
-- channels as text[]), nps_daily gives up its state column (rebuild one
-- with mycc.nps_state(promoters, passives, detractors)) and the daily
-- views cut days in mycc.time_zone.  CREATE OR REPLACE VIEW cannot change
-- a column's type: each is dropped and created again, with its rights (no
-- object of mycc depends on them).
DROP VIEW @extschema@.nps_daily;
DROP VIEW @extschema@.tier_pyramid;
DROP VIEW @extschema@.conversation;
DROP VIEW @extschema@.queue_service_level;

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

-- BI: the business day and plain-typed dimensions (docs/clients.md#bi-tools).
-- The daily views cut days in the business time zone (mycc.time_zone), not
-- in the reading session's (src/bi.c: why parallel workers agree).
CREATE FUNCTION @extschema@.time_zone() RETURNS text
	AS 'MODULE_PATHNAME', 'mycc_time_zone' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.time_zone() IS 'the business time zone of the daily BI views: mycc.time_zone, by default the TimeZone the session started with (a later SET TimeZone does not change it)';

CREATE FUNCTION @extschema@.business_day(ts timestamptz) RETURNS date
	LANGUAGE sql STABLE STRICT PARALLEL SAFE
	RETURN CAST(pg_catalog.timezone(@extschema@.time_zone(), ts) AS date);
COMMENT ON FUNCTION @extschema@.business_day(timestamptz) IS 'the day of a time in the business time zone (mycc.time_zone()): the day column of every daily BI view';

-- From pg_enum, not enum_range(): that one refuses a label added in the
-- current transaction (55P04) even when the channel is another.
CREATE FUNCTION @extschema@.channel_rank(@extschema@.channel) RETURNS integer
	LANGUAGE sql STABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
	SELECT CAST(pg_catalog.count(*) AS integer)
	FROM pg_catalog.pg_enum AS e, pg_catalog.pg_enum AS this
	WHERE this.enumtypid OPERATOR(pg_catalog.=) CAST('@extschema@.channel' AS pg_catalog.regtype)
		AND this.enumlabel OPERATOR(pg_catalog.=) CAST(CAST($1 AS pg_catalog.text) AS pg_catalog.name)
		AND e.enumtypid OPERATOR(pg_catalog.=) this.enumtypid
		AND e.enumsortorder OPERATOR(pg_catalog.<=) this.enumsortorder;
END;
COMMENT ON FUNCTION @extschema@.channel_rank(@extschema@.channel) IS 'the position of a channel in mycc.channel''s order, 1 up: the channel_rank column of the BI views';

-- The BI views show tiers and channels as text (a filter such as tier =
-- 'mid' then needs no mycc operator on the search_path), each with a rank
-- to order by, and every figure with its 95% interval.
CREATE VIEW @extschema@.nps_daily AS
SELECT d.day, CAST(d.channel AS pg_catalog.text) AS channel, @extschema@.channel_rank(d.channel) AS channel_rank,
	CAST(d.tier AS pg_catalog.text) AS tier, t.rank AS tier_rank,
	@extschema@.nps_count(d.state) AS n,
	@extschema@.nps_promoters(d.state) AS promoters,
	@extschema@.nps_passives(d.state) AS passives,
	@extschema@.nps_detractors(d.state) AS detractors,
	@extschema@.nps(d.state) AS nps,
	@extschema@.nps_moe(d.state, 0.95::double precision) AS margin_of_error,
	ci.low AS nps_low, ci.high AS nps_high
FROM (
	SELECT @extschema@.business_day(s.answered_at) AS day, s.channel, s.tier,
		@extschema@.nps_agg(s.nps) AS state
	FROM @extschema@.survey AS s
	WHERE s.nps IS NOT NULL
	GROUP BY 1, 2, 3
) AS d
CROSS JOIN LATERAL @extschema@.nps_ci(d.state, 0.95::double precision) AS ci
LEFT JOIN @extschema@.tier AS t ON t.id OPERATOR(pg_catalog.=) @extschema@.tier_id(d.tier);

COMMENT ON VIEW @extschema@.nps_daily IS 'NPS by business day (mycc.time_zone), channel and tier, with its 95% margin of error and interval; plain SQL types for BI tools';
COMMENT ON COLUMN @extschema@.nps_daily.day IS 'day of the answers in the business time zone (mycc.time_zone())';
COMMENT ON COLUMN @extschema@.nps_daily.channel IS 'channel of the surveyed contact (a mycc.channel label, as text)';
COMMENT ON COLUMN @extschema@.nps_daily.channel_rank IS 'position of the channel in mycc.channel''s order, 1 up: order channels by it';
COMMENT ON COLUMN @extschema@.nps_daily.tier IS 'customer tier at answer time (the tier''s name, as text)';
COMMENT ON COLUMN @extschema@.nps_daily.tier_rank IS 'the tier''s rank (higher is more valuable): order tiers by it';
COMMENT ON COLUMN @extschema@.nps_daily.n IS 'number of NPS answers';
COMMENT ON COLUMN @extschema@.nps_daily.promoters IS 'answers 9-10';
COMMENT ON COLUMN @extschema@.nps_daily.passives IS 'answers 7-8';
COMMENT ON COLUMN @extschema@.nps_daily.detractors IS 'answers 0-6';
COMMENT ON COLUMN @extschema@.nps_daily.nps IS 'Net Promoter Score, -100..100';
COMMENT ON COLUMN @extschema@.nps_daily.margin_of_error IS 'margin of error of nps at 95% confidence, in points';
COMMENT ON COLUMN @extschema@.nps_daily.nps_low IS 'low end of the 95% confidence interval of nps (at least -100)';
COMMENT ON COLUMN @extschema@.nps_daily.nps_high IS 'high end of the 95% confidence interval of nps (at most 100)';

CREATE VIEW @extschema@.csat_daily AS
SELECT d.day, CAST(d.channel AS pg_catalog.text) AS channel, @extschema@.channel_rank(d.channel) AS channel_rank,
	CAST(d.tier AS pg_catalog.text) AS tier, t.rank AS tier_rank,
	@extschema@.csat_count(d.state) AS n,
	@extschema@.csat_satisfied(d.state) AS satisfied,
	@extschema@.csat(d.state) AS csat,
	@extschema@.csat_moe(d.state, 0.95::double precision) AS margin_of_error,
	ci.low AS csat_low, ci.high AS csat_high
FROM (
	SELECT @extschema@.business_day(s.answered_at) AS day, s.channel, s.tier,
		@extschema@.csat_agg(CAST(s.csat AS integer)) AS state
	FROM @extschema@.survey AS s
	WHERE s.csat IS NOT NULL
	GROUP BY 1, 2, 3
) AS d
CROSS JOIN LATERAL @extschema@.csat_ci(d.state, 0.95::double precision) AS ci
LEFT JOIN @extschema@.tier AS t ON t.id OPERATOR(pg_catalog.=) @extschema@.tier_id(d.tier);

COMMENT ON VIEW @extschema@.csat_daily IS 'CSAT by business day (mycc.time_zone), channel and tier, with its 95% margin of error and interval; plain SQL types for BI tools';
COMMENT ON COLUMN @extschema@.csat_daily.day IS 'day of the answers in the business time zone (mycc.time_zone())';
COMMENT ON COLUMN @extschema@.csat_daily.channel IS 'channel of the surveyed contact (a mycc.channel label, as text)';
COMMENT ON COLUMN @extschema@.csat_daily.channel_rank IS 'position of the channel in mycc.channel''s order, 1 up: order channels by it';
COMMENT ON COLUMN @extschema@.csat_daily.tier IS 'customer tier at answer time (the tier''s name, as text)';
COMMENT ON COLUMN @extschema@.csat_daily.tier_rank IS 'the tier''s rank (higher is more valuable): order tiers by it';
COMMENT ON COLUMN @extschema@.csat_daily.n IS 'number of CSAT answers (1-5)';
COMMENT ON COLUMN @extschema@.csat_daily.satisfied IS 'answers 4-5';
COMMENT ON COLUMN @extschema@.csat_daily.csat IS 'CSAT: % of answers 4-5, 0..100';
COMMENT ON COLUMN @extschema@.csat_daily.margin_of_error IS 'margin of error of csat at 95% confidence, in points';
COMMENT ON COLUMN @extschema@.csat_daily.csat_low IS 'low end of the 95% confidence interval of csat (at least 0)';
COMMENT ON COLUMN @extschema@.csat_daily.csat_high IS 'high end of the 95% confidence interval of csat (at most 100)';

CREATE VIEW @extschema@.tier_pyramid AS
SELECT t.name AS tier, t.rank, CAST(t.service_mode AS pg_catalog.text) AS service_mode,
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
COMMENT ON COLUMN @extschema@.tier_pyramid.service_mode IS 'how the tier is served (a mycc.service_mode label, as text)';
COMMENT ON COLUMN @extschema@.tier_pyramid.customers IS 'customers in the tier';
COMMENT ON COLUMN @extschema@.tier_pyramid.share_of_customers IS 'customers in the tier / all customers (0 to 1)';
COMMENT ON COLUMN @extschema@.tier_pyramid.value IS 'their lifetime value';
COMMENT ON COLUMN @extschema@.tier_pyramid.share_of_value IS 'their lifetime value / all lifetime value (0 to 1)';

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

-- BI: service level by queue and business day (mycc.business_day).  Times
-- as intervals, and as seconds (double precision) for tools that chart
-- numbers.
CREATE VIEW @extschema@.queue_service_level AS
SELECT q.id AS queue_id, q.name AS queue,
	@extschema@.business_day(k.enqueued_at) AS day,
	pg_catalog.count(*) AS offered,
	pg_catalog.count(k.assigned_at) AS answered,
	pg_catalog.count(k.assigned_at)::double precision OPERATOR(pg_catalog./) pg_catalog.count(*) AS answer_rate,
	pg_catalog.count(*) FILTER (WHERE (k.assigned_at OPERATOR(pg_catalog.-) k.enqueued_at) OPERATOR(pg_catalog.<=) q.target_answer)::double precision
		OPERATOR(pg_catalog./) pg_catalog.count(*) AS within_target,
	pg_catalog.avg(k.assigned_at OPERATOR(pg_catalog.-) k.enqueued_at) AS average_wait,
	pg_catalog.count(*) FILTER (WHERE k.status OPERATOR(pg_catalog.=) 'abandoned'::@extschema@.contact_status) AS abandoned,
	pg_catalog.count(*) FILTER (WHERE k.status OPERATOR(pg_catalog.=) 'abandoned'::@extschema@.contact_status)::double precision
		OPERATOR(pg_catalog./) pg_catalog.count(*) AS abandon_rate,
	pg_catalog.avg(pg_catalog.date_part('epoch', k.assigned_at OPERATOR(pg_catalog.-) k.enqueued_at)) AS average_speed_of_answer,
	pg_catalog.avg(k.ended_at OPERATOR(pg_catalog.-) k.assigned_at)
		FILTER (WHERE k.status OPERATOR(pg_catalog.=) 'finished'::@extschema@.contact_status) AS average_handle_time,
	pg_catalog.avg(pg_catalog.date_part('epoch', k.ended_at OPERATOR(pg_catalog.-) k.assigned_at))
		FILTER (WHERE k.status OPERATOR(pg_catalog.=) 'finished'::@extschema@.contact_status) AS average_handle_seconds
FROM @extschema@.contact AS k
JOIN @extschema@.queue AS q ON q.id OPERATOR(pg_catalog.=) k.queue_id
WHERE k.enqueued_at IS NOT NULL
GROUP BY q.id, q.name, @extschema@.business_day(k.enqueued_at);
COMMENT ON VIEW @extschema@.queue_service_level IS 'by queue and business day (mycc.time_zone): contacts offered, answered, answer rate, share answered within the target time, average wait (speed of answer), abandoned contacts and rate, average handle time';
COMMENT ON COLUMN @extschema@.queue_service_level.queue_id IS 'queue id';
COMMENT ON COLUMN @extschema@.queue_service_level.queue IS 'queue name';
COMMENT ON COLUMN @extschema@.queue_service_level.day IS 'the day the contacts were enqueued, in the business time zone (mycc.time_zone())';
COMMENT ON COLUMN @extschema@.queue_service_level.offered IS 'contacts routed to the queue that day';
COMMENT ON COLUMN @extschema@.queue_service_level.answered IS 'of them, taken by an agent';
COMMENT ON COLUMN @extschema@.queue_service_level.answer_rate IS 'answered / offered (0 to 1)';
COMMENT ON COLUMN @extschema@.queue_service_level.within_target IS 'share of offered contacts answered within the queue''s target_answer (0 to 1)';
COMMENT ON COLUMN @extschema@.queue_service_level.average_wait IS 'average speed of answer: average time from enqueue to an agent, of the answered contacts (interval)';
COMMENT ON COLUMN @extschema@.queue_service_level.abandoned IS 'contacts whose customer left while waiting (mycc.abandon)';
COMMENT ON COLUMN @extschema@.queue_service_level.abandon_rate IS 'abandoned / offered (0 to 1)';
COMMENT ON COLUMN @extschema@.queue_service_level.average_speed_of_answer IS 'average_wait in seconds (double precision)';
COMMENT ON COLUMN @extschema@.queue_service_level.average_handle_time IS 'average time from an agent taking a contact to its finish, of the finished contacts (interval)';
COMMENT ON COLUMN @extschema@.queue_service_level.average_handle_seconds IS 'average_handle_time in seconds (double precision)';

GRANT SELECT ON @extschema@.nps_daily, @extschema@.csat_daily, @extschema@.tier_pyramid,
	@extschema@.conversation, @extschema@.queue_service_level TO mycc_reader, mycc_admin;

-- Arrays and JSON for applications (docs/clients.md).
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
-- routing: claim and finish throughput (issue 14)
--
-- next_contact, finish and contact_by_id lose their SET clauses (every
-- name in them is qualified); a claim is two statements and a finish three,
-- none mixing mycc.contact with the coordinator-local tables; a move of a
-- waiting contact whose queue row another transaction holds fails at once
-- (55P03) instead of deadlocking with it; agents and admins update a
-- waiting contact's row only in the columns that place it, never its key.

-- Routing's hot path (contact_by_id, next_contact, finish) is C running
-- SQL statements through SPI (src/assignment.c): each statement prepared
-- once per backend with a generic plan, run with the caller's rights and
-- search_path (no SET clause: a SET on a function makes every call push a
-- GUC nest level, apply the value and restore it at exit, a few
-- microseconds on the path every contact takes twice).  What a pinned
-- search_path would give is kept otherwise: every table, type, function
-- and operator the statements name is schema-qualified (mycc.,
-- pg_catalog., OPERATOR(pg_catalog.=)), and they use no construct that
-- looks an operator up by name (IS DISTINCT FROM, IN, NULLIF, CASE x
-- WHEN, row comparison).  The security test calls them under the most
-- hostile path (trojans in public, before pg_catalog).

-- Claiming (docs/routing.md#concurrency): rounds of one statement over
-- the heads of the agent's queues, then the contact given; the order, the
-- locks and why in src/assignment.c.  Lock order, here and in finish,
-- abandon and re-routing: the agent's row, then the waiting contact's row
-- of contact_queue, then the contact.
CREATE OR REPLACE FUNCTION @extschema@.next_contact(agent_id bigint) RETURNS bigint
	AS 'MODULE_PATHNAME', 'mycc_claim_next_contact' LANGUAGE C VOLATILE STRICT PARALLEL UNSAFE;
COMMENT ON FUNCTION @extschema@.next_contact(bigint) IS 'gives the agent the waiting contact of highest effective priority it may take (its own account customers first), or NULL; never the same contact twice';

-- Closes an assigned contact: three statements, the contact read
-- unlocked (contact_by_id), its agent's place freed (the agent's lock
-- before the contact's, as in next_contact), the contact closed (by its
-- customer id: one shard on a Citus cluster).  If the contact then is not
-- the agent's to close, the error undoes the second.  A contact that had
-- no agent when read but is assigned once the claim holding it ends is
-- finished on a second round; at most two rounds.
CREATE OR REPLACE FUNCTION @extschema@.finish(contact_id bigint, outcome text) RETURNS void
	AS 'MODULE_PATHNAME', 'mycc_claim_finish' LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION @extschema@.finish(bigint, text) IS 'closes an assigned contact with its outcome and frees the agent''s capacity (55000 if it is not assigned)';

-- A waiting contact's row of mycc.contact_queue follows the contact,
-- however it became or stays queued (routing, re-routing, an
-- administrator's UPDATE or INSERT, pg_restore loading mycc.contact): its
-- queue, key, base priority, arrival and account manager.  A contact that
-- stops waiting is taken out by whoever moves it (next_contact, abandon);
-- a row a hand edit leaves behind is dropped by the next claim that meets
-- it.  A contact whose queue row is not there (pg_restore loads
-- mycc.contact before mycc.queue) waits without a key until the queue
-- comes (queue_rekey).  A contact that comes into a queue is announced on
-- the channel mycc_queue (payload: the queue id), sent at commit.
CREATE OR REPLACE FUNCTION @extschema@.contact_queue_sync() RETURNS trigger
	LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	settings record;
	key double precision;
BEGIN
	IF @extschema@.restoring() THEN
		RETURN NULL;
	END IF;
	-- Its row, locked without waiting.  This statement holds the contact
	-- (an AFTER trigger runs once the row is written); whoever else holds
	-- the queue row (a claim, abandon or re-route, which lock the queue row
	-- first) wants the contact next, so waiting would deadlock (40P01,
	-- after deadlock_timeout, and the claim was the one cancelled).  The
	-- statement that took the locks out of order gives way, at once.
	PERFORM FROM @extschema@.contact_queue AS w
	WHERE w.customer_id OPERATOR(pg_catalog.=) NEW.customer_id AND w.contact_id OPERATOR(pg_catalog.=) NEW.id
	FOR NO KEY UPDATE SKIP LOCKED;
	IF NOT FOUND AND EXISTS (SELECT FROM @extschema@.contact_queue AS w
			WHERE w.customer_id OPERATOR(pg_catalog.=) NEW.customer_id AND w.contact_id OPERATOR(pg_catalog.=) NEW.id) THEN
		RAISE EXCEPTION 'waiting contact % is being claimed, abandoned or re-routed by another transaction', NEW.id
			USING ERRCODE = '55P03',
				HINT = 'Retry the change when that transaction has ended; an UPDATE with AND status = ''queued'' then leaves a contact given meanwhile alone.';
	END IF;
	SELECT q.target_answer, q.aging_weight INTO settings
	FROM @extschema@.queue AS q WHERE q.id OPERATOR(pg_catalog.=) NEW.queue_id;
	IF FOUND THEN
		key := @extschema@.queue_key(NEW.priority, NEW.enqueued_at, settings.target_answer, settings.aging_weight);
	END IF;
	INSERT INTO @extschema@.contact_queue AS w
		(queue_id, queue_key, customer_id, contact_id, priority, enqueued_at, manager_id)
	VALUES (NEW.queue_id, key, NEW.customer_id, NEW.id, NEW.priority, NEW.enqueued_at,
		@extschema@.account_manager_of(NEW.customer_id))
	ON CONFLICT ON CONSTRAINT contact_queue_pkey DO UPDATE
	SET queue_id = EXCLUDED.queue_id, queue_key = EXCLUDED.queue_key, priority = EXCLUDED.priority,
		enqueued_at = EXCLUDED.enqueued_at, manager_id = EXCLUDED.manager_id;
	IF TG_OP OPERATOR(pg_catalog.=) 'INSERT' OR OLD.status OPERATOR(pg_catalog.<>) 'queued'
			OR OLD.queue_id IS DISTINCT FROM NEW.queue_id THEN
		PERFORM pg_catalog.pg_notify('mycc_queue', NEW.queue_id::text);
	END IF;
	RETURN NULL;
END
$$;
COMMENT ON FUNCTION @extschema@.contact_queue_sync() IS 'trigger: keeps a waiting contact''s row of mycc.contact_queue (queue, key, priority, arrival, account manager) and announces a contact new to a queue on the channel mycc_queue';

-- Rights (src/sql/roles.sql): the waiting contacts' rows are placed, never
-- re-keyed.
REVOKE UPDATE ON @extschema@.contact_queue FROM mycc_agent, mycc_admin;
GRANT UPDATE (queue_id, queue_key, priority, enqueued_at, manager_id) ON @extschema@.contact_queue TO mycc_agent;
GRANT UPDATE (queue_id, queue_key, priority, enqueued_at, manager_id) ON @extschema@.contact_queue TO mycc_admin;

-- routing: claim and finish without a BEFORE trigger on mycc.agent (issue 14)
-- An agent's id changed while customers name it: refused after the row
-- is written, as the foreign key's check was (AFTER, not BEFORE: every
-- claim and finish updates the agent's row, and a BEFORE UPDATE row
-- trigger, even one whose column list leaves it out, makes each update
-- fetch and lock the row first: one more WAL record each, two per claim
-- and finish).
DROP TRIGGER agent_account_manager_renumber ON @extschema@.agent;
CREATE TRIGGER agent_account_manager_renumber AFTER UPDATE OF id ON @extschema@.agent
	FOR EACH ROW WHEN (OLD.id IS DISTINCT FROM NEW.id)
	EXECUTE FUNCTION @extschema@.reference_release('customer', 'account_manager', 'restrict');
