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

-- While restoring: every script pg_dump writes (and pg_restore runs, in
-- each of its connections) sets check_function_bodies = off, the setting
-- PostgreSQL itself relaxes validation under while restoring.  mycc's
-- triggers that keep one table from another (references, the waiting
-- contacts' table) leave their work out then: the dump holds the result,
-- and pg_restore -j loads tables in parallel, in any order.
CREATE FUNCTION @extschema@.restoring() RETURNS boolean
	LANGUAGE sql STABLE PARALLEL SAFE
	RETURN NOT pg_catalog.current_setting('check_function_bodies')::boolean;
COMMENT ON FUNCTION @extschema@.restoring() IS 'true while check_function_bodies is off, as in every script pg_dump writes: mycc''s triggers that keep one table from another leave their work out then';

-- Citus (docs/scaling.md): sets one of Citus's settings locally, when
-- Citus is loaded (its settings exist); nothing otherwise.  Everyone may
-- call it (triggers that run as the user do): it does no more than
-- set_config, which checks the caller's right to the setting.  The change
-- lasts until the transaction ends (a calling function's SET clause
-- restores only the settings it names); it returns the value before, which
-- a caller that needs the setting for a few statements only puts back with
-- a second call; NULL when it did nothing.
CREATE FUNCTION @extschema@.citus_set_local(setting text, value text) RETURNS text
	LANGUAGE sql VOLATILE PARALLEL UNSAFE
BEGIN ATOMIC
	SELECT CASE WHEN p.previous IS NULL OR NOT pg_catalog.starts_with(setting, 'citus.') THEN NULL
		WHEN pg_catalog.set_config(setting, value, true) IS NOT NULL THEN p.previous END
	FROM (SELECT pg_catalog.current_setting(setting, true) AS previous OFFSET 0) AS p;
END;
COMMENT ON FUNCTION @extschema@.citus_set_local(text, text) IS 'internal: sets a Citus setting (citus.*) for the rest of the transaction when Citus is loaded, else nothing; returns the value before (NULL if nothing was done); no more than set_config allows the caller';

-- Citus (docs/scaling.md#coordinator-functions): true, or 55000 on a Citus
-- worker, where mycc's copy of the named table (of schema mycc) is empty.
-- The SQL functions that read a table mycc keeps on the coordinator put it
-- in their WHERE clause (evaluated once per call), so that over the rows of
-- a distributed table, where Citus runs them on the workers, they fail
-- instead of answering NULL.  The rule caches of route and treatments call
-- the same guard in C (src/citus.c).
CREATE FUNCTION @extschema@.require_coordinator(relation text) RETURNS boolean
	AS 'MODULE_PATHNAME', 'mycc_require_coordinator' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.require_coordinator(text) IS 'internal: true, or 55000 on a Citus worker, where mycc''s copy of the table mycc.<relation> is empty';

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
--
-- On a Citus coordinator, Citus sends the CREATE OR REPLACE FUNCTION to
-- every worker in the same transaction (the workers then know a tier added
-- on the coordinator), and refuses to make a function it distributes
-- depend on an extension: the dependency is made on the coordinator alone,
-- with Citus's DDL propagation off for that one statement
-- (docs/scaling.md#tiers-and-channels).
CREATE FUNCTION @extschema@.depend_on_extension(fn regprocedure, description text) RETURNS void
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

-- True on a Citus coordinator: Citus installed in this database, and this
-- node the coordinator of a cluster (citus_is_coordinator(): not where
-- Citus has no nodes yet).  Dynamic: mycc is created where Citus is not
-- installed.
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

-- On a Citus coordinator: runs one PL/pgSQL statement on every worker,
-- each worker in a transaction of its own (Citus's run_command_on_workers),
-- in a DO block: a command of several statements answers with the first
-- one's result, and a later one's error would go unseen.  Citus's DDL
-- propagation is off there: a worker would send the DDL on to the other
-- nodes, which Citus refuses on a worker.  55000 naming the workers where
-- it failed; `what` says what was being done.  Nothing elsewhere.
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

-- On a Citus coordinator (docs/scaling.md#tiers-and-channels): publishes
-- a published function's current result on every worker (run_on_workers),
-- where the worker's own mycc acts on it as a restore would (the
-- channel_publish event trigger adds the labels its type lacks).  Each
-- worker commits on its own: for channels, whose labels are never removed
-- (a label the coordinator then rolls back stays on the workers, where no
-- query from the coordinator can name it, in the coordinator's order), and
-- for mycc.distribute(), before rows move to the shards.  Tiers, which
-- change and are renamed, otherwise reach the workers in the coordinator's
-- transaction: Citus sends tier_publish's CREATE OR REPLACE FUNCTION to
-- them (distribute_published).  Elsewhere, nothing.
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

-- On a Citus coordinator: makes a published function one Citus
-- distributes (pg_dist_object), so that Citus sends the CREATE OR REPLACE
-- FUNCTION that publishes it again to the workers, and creates it on a
-- worker added later with citus_add_node, where the worker's own mycc acts
-- on it as a restore would (a new worker knows every tier and channel
-- before a shard moves to it).  Citus distributes no function that depends
-- on an extension: the dependency is dropped for the call and made again
-- on the coordinator alone (depend_on_extension).  Call it after
-- publishing on the workers in the same transaction, not before: Citus
-- sends the function through the transaction's connections, and the
-- workers' own publishing would wait for them.  Nothing elsewhere, for a
-- function not published yet (NULL), or one distributed already.
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

-- The types and pure functions are for everyone, like pg_catalog's; the
-- tables and views grant nothing until a DBA does (docs/operations.md).
GRANT USAGE ON SCHEMA @extschema@ TO PUBLIC;
