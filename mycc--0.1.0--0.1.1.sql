\echo Use "ALTER EXTENSION mycc UPDATE" to load this file. \quit

-- mycc 0.1.0 -> 0.1.1 (in development: this script is edited until 0.1.1
-- is released, then frozen like every released file).
--
-- What changed:
-- - next_contact and finish are C (src/assignment.c), no longer PL/pgSQL:
--   prepared statements; a claim locks about one contact instead of the
--   first contact of every queue the agent covers.  Same signatures,
--   results, errors and rights; finish adds 40001 for a contact given to
--   another agent while it waited.
-- - lookup is PL/pgSQL, no longer SQL, so that its plan is kept for the
--   session: resolve and link, which call it, make 3 to 4 and 2.7 times
--   as many calls a second (docs/performance.md#resolve-and-link).  Same
--   signature, markings, comment and results.
-- - The re-routing trigger function customer_reroute finds the customers
--   merged into one through customer_root_idx, not by a scan of
--   mycc.customer at every merge.
--
-- The upgrade regression test proves the result equals a fresh install by
-- comparing the catalog after ALTER EXTENSION mycc UPDATE with a fresh
-- CREATE EXTENSION mycc.
--
-- Every SQL change to the parts in src/sql/ is repeated here, in the same
-- words (docs/operations.md#upgrades): new objects with their COMMENT and
-- GRANT lines, a changed function by CREATE OR REPLACE FUNCTION with the
-- part's text (PostgreSQL refuses to replace an object that is not a member
-- of mycc), a column added at the end of its CREATE TABLE.  Every reference
-- is schema-qualified (@extschema@., pg_catalog.), as in the install script.

-- Agents take and finish contacts: C with prepared statements
-- (src/assignment.c explains the claim and its locks).
CREATE OR REPLACE FUNCTION @extschema@.next_contact(agent_id bigint) RETURNS bigint
	AS 'MODULE_PATHNAME', 'mycc_next_contact' LANGUAGE C VOLATILE STRICT PARALLEL UNSAFE;
CREATE OR REPLACE FUNCTION @extschema@.finish(contact_id bigint, outcome text) RETURNS void
	AS 'MODULE_PATHNAME', 'mycc_finish' LANGUAGE C VOLATILE PARALLEL UNSAFE;

-- mycc.lookup is PL/pgSQL, no longer SQL: its plan is kept for the
-- session instead of being made again at every statement that calls it
-- (resolve calls it once, a merging link four times).  Same signature,
-- markings, comment and results.
CREATE OR REPLACE FUNCTION @extschema@.lookup(kind text, value text) RETURNS bigint
	LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	root bigint;
BEGIN
	SELECT COALESCE(c.root_id, c.id) INTO root
	FROM @extschema@.identity AS i
	JOIN @extschema@.customer AS c ON c.id OPERATOR(pg_catalog.=) i.customer_id
	WHERE i.kind OPERATOR(pg_catalog.=) lookup.kind
		AND i.value OPERATOR(pg_catalog.=) @extschema@.normalize_identity(lookup.kind, lookup.value);
	RETURN root;
END
$$;

-- The re-routing trigger finds the customers merged into one through
-- customer_root_idx instead of scanning mycc.customer at every merge.
CREATE OR REPLACE FUNCTION @extschema@.customer_reroute() RETURNS trigger
	LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	waiting record;
	k @extschema@.contact;
BEGIN
	-- Waits for enqueues of this customer's contacts in progress (see
	-- mycc.enqueue), so that their contacts are re-routed too.
	PERFORM pg_catalog.pg_advisory_xact_lock(1836671843, pg_catalog.hashint8(NEW.id));
	-- The customer's own contacts and those of customers merged into it:
	-- the others of its tree, found through customer_root_idx (its
	-- expression written as the index's, so that the index serves it; a
	-- root's tree is itself and the customers whose root_id it is).
	FOR waiting IN
		SELECT c.customer_id, c.id FROM @extschema@.contact AS c
		WHERE c.customer_id OPERATOR(pg_catalog.=) NEW.id AND c.status OPERATOR(pg_catalog.=) 'queued'
		UNION ALL
		SELECT c.customer_id, c.id
		FROM @extschema@.customer AS m
		JOIN @extschema@.contact AS c ON c.customer_id OPERATOR(pg_catalog.=) m.id
		WHERE COALESCE(m.root_id, m.id) OPERATOR(pg_catalog.=) NEW.id AND m.id OPERATOR(pg_catalog.<>) NEW.id
			AND c.status OPERATOR(pg_catalog.=) 'queued'
		ORDER BY 1, 2
	LOOP
		-- Locked and checked again: an agent may have claimed it meanwhile.
		SELECT * INTO k FROM @extschema@.contact AS c
		WHERE c.customer_id OPERATOR(pg_catalog.=) waiting.customer_id
			AND c.id OPERATOR(pg_catalog.=) waiting.id
			AND c.status OPERATOR(pg_catalog.=) 'queued'
		FOR UPDATE;
		IF FOUND THEN
			PERFORM @extschema@.route_contact(k, 'reroute');
		END IF;
	END LOOP;
	RETURN NULL;
END
$$;
