
-- ---------------------------------------------------------------------------
-- scaling: mycc on a Citus cluster (design.md section 8; docs/scaling.md)
-- ---------------------------------------------------------------------------

-- The layout mycc supports on a Citus coordinator, one row per table:
-- mycc.survey distributed by customer_id (the answers grow without bound
-- and every NPS and CSAT aggregate pushes down to the workers), and
-- mycc.routing_decision with it (the routing log: a row or more for every
-- contact; written by one statement of its own, read by route_replay and
-- by hand); every other table stays where it is, on the coordinator,
-- because its triggers and functions read other tables in the same
-- statement or C reads it directly
-- (docs/scaling.md#what-stays-on-the-coordinator).  Idempotent: a table
-- that is already a Citus table is left as it is.  Not SECURITY DEFINER:
-- distributing a table needs its owner.  Citus's notices while it copies
-- the rows are left out: they end with a hint to truncate the
-- coordinator's copy, which this function does itself.
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
