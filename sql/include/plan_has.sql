-- pg_temp.plan_has(query, node): whether EXPLAIN (COSTS OFF) of the query
-- names the node (a plan node, an index, "Partial").  Shared by the tests
-- that check a plan: each includes this file with \i from PG_ABS_SRCDIR
-- (which pg_regress sets), and the function is temporary, so that every
-- test also runs alone.
CREATE FUNCTION pg_temp.plan_has(query text, node text) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
	line text;
BEGIN
	FOR line IN EXECUTE 'EXPLAIN (COSTS OFF) ' || query LOOP
		IF line LIKE '%' || node || '%' THEN
			RETURN true;
		END IF;
	END LOOP;
	RETURN false;
END
$$;
