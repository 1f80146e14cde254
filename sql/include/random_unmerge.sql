-- public.random_unmerge(): undoes a random merge in force and returns its
-- id; NULL when there is none, or when another session undid it first
-- (55000).  Shared by the identity tests that run pgbench (a function of
-- its own schema, not pg_temp, so that pgbench's sessions can call it);
-- each includes this file with \i from PG_ABS_SRCDIR and drops the
-- function at its end.
CREATE FUNCTION public.random_unmerge() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
	m bigint;
BEGIN
	-- random() drawn in id order, not in the table's physical order (which
	-- moves with the stored size of its rows): a seeded run picks the same.
	SELECT id INTO m FROM (SELECT id FROM mycc.customer_merge WHERE undone_at IS NULL ORDER BY id) AS open
	ORDER BY random() LIMIT 1;
	IF m IS NOT NULL THEN
		PERFORM mycc.unmerge(m);
	END IF;
	RETURN m;
EXCEPTION WHEN object_not_in_prerequisite_state THEN
	RETURN NULL;
END
$$;
