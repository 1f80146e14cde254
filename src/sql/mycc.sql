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

-- The types and pure functions are for everyone, like pg_catalog's; the
-- tables and views grant nothing until a DBA does (docs/operations.md).
GRANT USAGE ON SCHEMA @extschema@ TO PUBLIC;
