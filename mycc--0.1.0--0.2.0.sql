\echo Use "ALTER EXTENSION mycc UPDATE" to load this file. \quit

-- mycc 0.1.0 -> 0.2.0 (released 2026-12-07; frozen).
--
-- What changed:
-- - next_contact and finish are C (src/assignment.c), no longer PL/pgSQL:
--   prepared statements; a claim locks about one contact instead of the
--   first contact of every queue the agent covers.  Same signatures,
--   results, errors and rights; finish adds 40001 for a contact given to
--   another agent while it waited.
-- - unmerge releases the lock on a customer that stopped being a root
--   while it waited for it (it rolls that attempt back, as link does):
--   two unmerges in one tree deadlocked when a link moved the tree under
--   a new root meanwhile (found by the identity stress test; an isolation
--   spec cannot order the two unmerges' wake-ups deterministically).
-- - lookup is PL/pgSQL, no longer SQL, so that its plan is kept for the
--   session: resolve and link, which call it, make 3 to 4 and 2.7 times
--   as many calls a second (docs/performance.md#resolve-and-link).  Same
--   signature, markings, comment and results.
-- - The re-routing trigger function customer_reroute finds the customers
--   merged into one through customer_root_idx, not by a scan of
--   mycc.customer at every merge.
-- - contact_queue_key keeps a contact's queue_key when its queue row is
--   not there: a restore loads contacts before queues, and every waiting
--   contact restored had lost its place (a NULL key).
-- - A queue with waiting contacts can no longer be deleted or given
--   another id (new trigger function queue_before_delete, 2BP01): its
--   contacts waited for ever, given to no agent.
-- - enqueue (lock_contact) and finish refuse a contact id that contacts of
--   several customers have (21000): they took one of them by chance.
-- - enqueue and the re-routing trigger wait for each other through a
--   FOR SHARE lock of the customer's row (new lock_routing_customer), no
--   longer an advisory lock per customer: a statement that enqueued, or
--   changed the tier of, more than a few thousand customers failed with
--   "out of shared memory".
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

-- unmerge: a root locked in vain is released.
CREATE OR REPLACE FUNCTION @extschema@.unmerge(merge_id bigint) RETURNS bigint
	LANGUAGE plpgsql VOLATILE STRICT PARALLEL UNSAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	m @extschema@.customer_merge;
	absorbed @extschema@.customer;
	root bigint;
	attempt integer := 0;
BEGIN
	SELECT * INTO m FROM @extschema@.customer_merge AS cm WHERE cm.id OPERATOR(pg_catalog.=) merge_id FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'merge % does not exist', merge_id
			USING ERRCODE = '42704', HINT = 'Merges are listed in mycc.customer_merge.';
	END IF;
	IF m.undone_at IS NOT NULL THEN
		RAISE EXCEPTION 'merge % was already undone', merge_id
			USING ERRCODE = '55000', HINT = 'mycc.customer_merge.undone_at says when.';
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
	-- The survivor, and every customer it was merged into since, gave the
	-- absorbed value to the one above: take it back all the way up.  The
	-- survivor's tier and tags return to what they were if nobody changed
	-- them since.
	WITH RECURSIVE up(id) AS (
		SELECT m.survivor_id
		UNION ALL
		SELECT c.merged_into FROM @extschema@.customer AS c JOIN up ON c.id OPERATOR(pg_catalog.=) up.id
		WHERE c.merged_into IS NOT NULL
	)
	UPDATE @extschema@.customer AS c
	SET lifetime_value = c.lifetime_value OPERATOR(pg_catalog.-) m.absorbed_value
	FROM up WHERE c.id OPERATOR(pg_catalog.=) up.id;
	UPDATE @extschema@.customer AS c
	SET tier = m.survivor_tier
	WHERE c.id OPERATOR(pg_catalog.=) m.survivor_id AND c.tier OPERATOR(@extschema@.=) m.merged_tier;
	UPDATE @extschema@.customer AS c
	SET tags = m.survivor_tags
	WHERE c.id OPERATOR(pg_catalog.=) m.survivor_id AND c.tags OPERATOR(@extschema@.=) m.merged_tags;
	UPDATE @extschema@.customer_merge AS cm SET undone_at = pg_catalog.now() WHERE cm.id OPERATOR(pg_catalog.=) merge_id;
	RETURN m.absorbed_id;
END
$$;

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
	-- The UPDATE that fired this waited for the enqueues of this
	-- customer's contacts in progress (their FOR SHARE lock of its row, see
	-- mycc.lock_routing_customer), so their contacts are found and
	-- re-routed too.
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

-- enqueue and a change of the customer's tier, tags or merges wait for
-- each other through a row lock of the customer, not an advisory lock per
-- customer (the shared lock table filled after a few thousand).
CREATE FUNCTION @extschema@.lock_routing_customer(customer_id bigint) RETURNS void
	LANGUAGE plpgsql VOLATILE STRICT PARALLEL UNSAFE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	PERFORM FROM @extschema@.customer AS c
	WHERE c.id OPERATOR(pg_catalog.=) @extschema@.customer_root(lock_routing_customer.customer_id)
	FOR SHARE OF c;
END
$$;
COMMENT ON FUNCTION @extschema@.lock_routing_customer(bigint) IS 'internal: locks FOR SHARE the customer row (the survivor''s, when merged) whose tier and tags route this customer''s contacts, so that enqueue and a change of them wait for each other';

CREATE OR REPLACE FUNCTION @extschema@.enqueue(contact_id bigint) RETURNS bigint
	LANGUAGE plpgsql VOLATILE STRICT PARALLEL UNSAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	k @extschema@.contact := @extschema@.lock_contact(contact_id);
BEGIN
	IF k.status OPERATOR(pg_catalog.<>) 'new' THEN
		RAISE EXCEPTION 'contact % is already %', contact_id, k.status
			USING ERRCODE = '55000',
				HINT = 'Only a new contact is enqueued; a queued one is re-routed when its customer changes.';
	END IF;
	-- The customer whose tier and tags route it, locked (shared): a
	-- concurrent change of them waits for this enqueue and then re-routes
	-- the contact, or this enqueue waits for it and routes by the new
	-- values; without the lock each misses the other.
	PERFORM @extschema@.lock_routing_customer(k.customer_id);
	RETURN @extschema@.route_contact(k, 'enqueue');
END
$$;

REVOKE EXECUTE ON FUNCTION @extschema@.lock_routing_customer(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION @extschema@.lock_routing_customer(bigint) TO mycc_agent;

-- A contact whose queue row is not there (yet: pg_restore loads contacts
-- before queues) keeps the queue_key it comes with.
CREATE OR REPLACE FUNCTION @extschema@.contact_queue_key() RETURNS trigger
	LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	settings record;
BEGIN
	SELECT q.target_answer, q.aging_weight INTO settings
	FROM @extschema@.queue AS q WHERE q.id OPERATOR(pg_catalog.=) NEW.queue_id;
	IF FOUND THEN
		NEW.queue_key := @extschema@.queue_key(NEW.priority, NEW.enqueued_at, settings.target_answer,
			settings.aging_weight);
	END IF;
	RETURN NEW;
END
$$;

-- A queue with waiting contacts is not deleted, nor given another id:
-- its contacts would wait for ever in a queue no agent takes from (rules
-- naming it are kept by their foreign key; contacts have none, so that
-- finished ones never pin a queue).  Row security off: a policy hiding
-- some of them would let them be stranded; with one in force for the
-- caller, the check errors instead (as tier_before_delete's).
CREATE FUNCTION @extschema@.queue_before_delete() RETURNS trigger
	LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE SET search_path = pg_catalog, pg_temp SET row_security = off AS $$
DECLARE
	waiting bigint;
BEGIN
	SELECT pg_catalog.count(*) INTO waiting FROM @extschema@.contact AS c
	WHERE c.queue_id OPERATOR(pg_catalog.=) OLD.id AND c.status OPERATOR(pg_catalog.=) 'queued';
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
CREATE TRIGGER queue_before_delete BEFORE DELETE ON @extschema@.queue
	FOR EACH ROW EXECUTE FUNCTION @extschema@.queue_before_delete();
CREATE TRIGGER queue_before_renumber BEFORE UPDATE OF id ON @extschema@.queue
	FOR EACH ROW WHEN (OLD.id IS DISTINCT FROM NEW.id) EXECUTE FUNCTION @extschema@.queue_before_delete();
REVOKE EXECUTE ON FUNCTION @extschema@.queue_before_delete() FROM PUBLIC;

-- A contact id that contacts of several customers have is refused (21000).
CREATE OR REPLACE FUNCTION @extschema@.lock_contact(contact_id bigint) RETURNS @extschema@.contact
	LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	k @extschema@.contact;
BEGIN
	IF (SELECT pg_catalog.count(*) FROM (SELECT FROM @extschema@.contact AS c
			WHERE c.id OPERATOR(pg_catalog.=) lock_contact.contact_id LIMIT 2) AS c) OPERATOR(pg_catalog.>) 1 THEN
		RAISE EXCEPTION 'contact id % is not unique', contact_id
			USING ERRCODE = '21000', DETAIL = 'Contacts of more than one customer have this id.',
				HINT = 'Give contacts ids from mycc.contact_id_seq (the column''s default).';
	END IF;
	SELECT * INTO k FROM @extschema@.contact AS c
	WHERE c.id OPERATOR(pg_catalog.=) contact_id
	FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'contact % does not exist', contact_id USING ERRCODE = '42704';
	END IF;
	RETURN k;
END
$$;
COMMENT ON FUNCTION @extschema@.lock_contact(bigint) IS 'internal: the contact with this id, locked FOR UPDATE (42704 if none, 21000 if several customers have one)';
