
-- ---------------------------------------------------------------------------
-- routing: queues, agents, routing rules, enqueue / claim / finish, account
-- managers, the decision log and replay, re-routing on change, service
-- levels (design.md section 5; docs/routing.md)
-- ---------------------------------------------------------------------------

CREATE TYPE @extschema@.agent_status AS ENUM ('offline', 'available', 'busy', 'away');
COMMENT ON TYPE @extschema@.agent_status IS 'whether an agent takes work: only available agents are given contacts';

CREATE SEQUENCE @extschema@.queue_id_seq AS bigint;
COMMENT ON SEQUENCE @extschema@.queue_id_seq IS 'ids of mycc.queue';
CREATE TABLE @extschema@.queue (
	id bigint NOT NULL DEFAULT pg_catalog.nextval('@extschema@.queue_id_seq'::pg_catalog.regclass),
	name text NOT NULL,
	required_skills @extschema@.tagset NOT NULL DEFAULT '{}',
	service_mode @extschema@.service_mode,
	target_answer interval NOT NULL DEFAULT '5 minutes',
	aging_weight double precision NOT NULL DEFAULT 10,
	is_default boolean NOT NULL DEFAULT false,
	CONSTRAINT queue_pkey PRIMARY KEY (id),
	CONSTRAINT queue_name_key UNIQUE (name),
	CONSTRAINT queue_target_positive CHECK (target_answer OPERATOR(pg_catalog.>) '0'::interval),
	CONSTRAINT queue_aging_weight_valid CHECK (aging_weight OPERATOR(pg_catalog.>=) 0::double precision
		AND aging_weight OPERATOR(pg_catalog.<) 'Infinity'::double precision)
);
ALTER SEQUENCE @extschema@.queue_id_seq OWNED BY @extschema@.queue.id;
CREATE UNIQUE INDEX queue_one_default ON @extschema@.queue (is_default) WHERE is_default;
COMMENT ON TABLE @extschema@.queue IS 'queues contacts wait in for an agent';
COMMENT ON COLUMN @extschema@.queue.id IS 'queue id';
COMMENT ON COLUMN @extschema@.queue.name IS 'queue name, unique';
COMMENT ON COLUMN @extschema@.queue.required_skills IS 'skills an agent needs to take this queue''s contacts';
COMMENT ON COLUMN @extschema@.queue.service_mode IS 'how the queue serves (informational)';
COMMENT ON COLUMN @extschema@.queue.target_answer IS 'target time to answer: the service level threshold and the unit of aging';
COMMENT ON COLUMN @extschema@.queue.aging_weight IS 'priority points a contact gains per target_answer waited';
COMMENT ON COLUMN @extschema@.queue.is_default IS 'true for the one queue contacts go to when no rule matches';
COMMENT ON INDEX @extschema@.queue_one_default IS 'at most one default queue';

CREATE SEQUENCE @extschema@.agent_id_seq AS bigint;
COMMENT ON SEQUENCE @extschema@.agent_id_seq IS 'ids of mycc.agent';
CREATE TABLE @extschema@.agent (
	id bigint NOT NULL DEFAULT pg_catalog.nextval('@extschema@.agent_id_seq'::pg_catalog.regclass),
	name text NOT NULL,
	skills @extschema@.tagset NOT NULL DEFAULT '{}',
	capacity integer NOT NULL DEFAULT 1,
	status @extschema@.agent_status NOT NULL DEFAULT 'offline',
	active_contacts integer NOT NULL DEFAULT 0,
	last_assigned_at timestamptz,
	CONSTRAINT agent_pkey PRIMARY KEY (id),
	CONSTRAINT agent_capacity_valid CHECK (capacity OPERATOR(pg_catalog.>=) 0),
	CONSTRAINT agent_active_valid CHECK (active_contacts OPERATOR(pg_catalog.>=) 0)
);
ALTER SEQUENCE @extschema@.agent_id_seq OWNED BY @extschema@.agent.id;
COMMENT ON TABLE @extschema@.agent IS 'agents who take contacts';
COMMENT ON COLUMN @extschema@.agent.id IS 'agent id';
COMMENT ON COLUMN @extschema@.agent.name IS 'display name';
COMMENT ON COLUMN @extschema@.agent.skills IS 'what the agent can handle; account_manager marks a dedicated account manager';
COMMENT ON COLUMN @extschema@.agent.capacity IS 'most contacts the agent handles at once';
COMMENT ON COLUMN @extschema@.agent.status IS 'offline, available, busy or away; only available agents are given contacts';
COMMENT ON COLUMN @extschema@.agent.active_contacts IS 'contacts assigned and not finished (kept by next_contact and finish)';
COMMENT ON COLUMN @extschema@.agent.last_assigned_at IS 'when the agent was last given a contact';

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

CREATE SEQUENCE @extschema@.routing_rule_id_seq AS bigint;
COMMENT ON SEQUENCE @extschema@.routing_rule_id_seq IS 'ids of mycc.routing_rule';
CREATE TABLE @extschema@.routing_rule (
	id bigint NOT NULL DEFAULT pg_catalog.nextval('@extschema@.routing_rule_id_seq'::pg_catalog.regclass),
	priority integer NOT NULL DEFAULT 0,
	condition @extschema@.tagquery NOT NULL,
	queue_id bigint NOT NULL,
	enabled boolean NOT NULL DEFAULT true,
	note text,
	CONSTRAINT routing_rule_pkey PRIMARY KEY (id)
);
ALTER SEQUENCE @extschema@.routing_rule_id_seq OWNED BY @extschema@.routing_rule.id;
CREATE INDEX routing_rule_queue_idx ON @extschema@.routing_rule (queue_id);
COMMENT ON TABLE @extschema@.routing_rule IS 'routing rules: a contact whose facts satisfy condition goes to queue; the highest priority wins, then the lowest id';
COMMENT ON COLUMN @extschema@.routing_rule.id IS 'rule id; the tie-break between equal priorities (lower first)';
COMMENT ON COLUMN @extschema@.routing_rule.priority IS 'higher is tried first';
COMMENT ON COLUMN @extschema@.routing_rule.condition IS 'tag query over the contact''s facts (customer tags, tier:…, channel:…, topic:…, the contact''s tags)';
COMMENT ON COLUMN @extschema@.routing_rule.queue_id IS 'the queue a matching contact goes to';
COMMENT ON COLUMN @extschema@.routing_rule.enabled IS 'false: kept but not applied';
COMMENT ON COLUMN @extschema@.routing_rule.note IS 'why the rule exists';

CREATE TRIGGER queue_invalidate AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON @extschema@.queue
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.policy_invalidate();
CREATE TRIGGER routing_rule_invalidate AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON @extschema@.routing_rule
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.policy_invalidate();

CREATE SEQUENCE @extschema@.routing_decision_id_seq AS bigint;
COMMENT ON SEQUENCE @extschema@.routing_decision_id_seq IS 'ids of mycc.routing_decision';
CREATE TABLE @extschema@.routing_decision (
	customer_id bigint NOT NULL,
	id bigint NOT NULL DEFAULT pg_catalog.nextval('@extschema@.routing_decision_id_seq'::pg_catalog.regclass),
	contact_id bigint NOT NULL,
	facts @extschema@.tagset NOT NULL,
	rule_id bigint,
	queue_id bigint NOT NULL,
	priority integer NOT NULL,
	reason text NOT NULL,
	decided_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
	CONSTRAINT routing_decision_pkey PRIMARY KEY (customer_id, id),
	CONSTRAINT routing_decision_reason_valid CHECK (reason OPERATOR(pg_catalog.=) 'enqueue'
		OR reason OPERATOR(pg_catalog.=) 'reroute')
);
ALTER SEQUENCE @extschema@.routing_decision_id_seq OWNED BY @extschema@.routing_decision.id;
CREATE INDEX routing_decision_decided_idx ON @extschema@.routing_decision (decided_at);
COMMENT ON TABLE @extschema@.routing_decision IS 'every routing decision: which facts, which rule, which queue, when (explainable routing)';
COMMENT ON COLUMN @extschema@.routing_decision.customer_id IS 'the contact''s customer (part of the key, for Citus)';
COMMENT ON COLUMN @extschema@.routing_decision.id IS 'decision id';
COMMENT ON COLUMN @extschema@.routing_decision.contact_id IS 'the contact routed';
COMMENT ON COLUMN @extschema@.routing_decision.facts IS 'the facts the rules saw';
COMMENT ON COLUMN @extschema@.routing_decision.rule_id IS 'the rule that matched; NULL: the default queue';
COMMENT ON COLUMN @extschema@.routing_decision.queue_id IS 'the queue chosen';
COMMENT ON COLUMN @extschema@.routing_decision.priority IS 'the base priority given';
COMMENT ON COLUMN @extschema@.routing_decision.reason IS 'enqueue, or reroute (while it waited, the customer''s tier or tags changed, or it was merged or unmerged)';
COMMENT ON COLUMN @extschema@.routing_decision.decided_at IS 'when';

SELECT pg_catalog.pg_extension_config_dump('@extschema@.queue', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.queue_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.agent', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.agent_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.routing_rule', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.routing_rule_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.routing_decision', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.routing_decision_id_seq', '');

-- Routing.
CREATE FUNCTION @extschema@.route(facts @extschema@.tagset, OUT queue bigint, OUT rule bigint) RETURNS record
	AS 'MODULE_PATHNAME', 'mycc_route' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.route(@extschema@.tagset) IS 'the queue for these facts: the highest-priority enabled rule that matches (then lowest id), else the default queue with a NULL rule, else NULLs';

-- In C: calling it loads the library, which defines the GUC (a session's
-- first next_contact must not fail with "unrecognized configuration
-- parameter").
CREATE FUNCTION @extschema@.account_manager_hold() RETURNS interval
	AS 'MODULE_PATHNAME', 'mycc_account_manager_hold' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.account_manager_hold() IS 'GUC mycc.account_manager_hold as an interval: how long a customer''s contact waits for its account manager alone';

-- The facts of a contact: the customer's (its survivor's, after merges)
-- tags, tier:<tier>, channel:<channel>, topic:<topic>, the contact's tags.
CREATE FUNCTION @extschema@.contact_facts(customer_id bigint, contact_id bigint) RETURNS @extschema@.tagset
	LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp
	RETURN (SELECT c.tags OPERATOR(@extschema@.||) k.tags OPERATOR(@extschema@.||)
			@extschema@.tagset(pg_catalog.array_remove(ARRAY[
				'tier:' OPERATOR(pg_catalog.||) c.tier::text,
				'channel:' OPERATOR(pg_catalog.||) k.channel::text,
				'topic:' OPERATOR(pg_catalog.||) k.topic], NULL))
		FROM @extschema@.contact AS k
		JOIN @extschema@.customer AS c
			ON c.id OPERATOR(pg_catalog.=) @extschema@.customer_root(k.customer_id)
		WHERE k.customer_id OPERATOR(pg_catalog.=) contact_facts.customer_id
			AND k.id OPERATOR(pg_catalog.=) contact_facts.contact_id);
COMMENT ON FUNCTION @extschema@.contact_facts(bigint, bigint) IS 'the facts routing sees for a contact: customer tags, tier:…, channel:…, topic:…, the contact''s tags';

-- Routes one contact (locked by the caller) and logs the decision; a
-- re-route that changes neither queue nor priority changes nothing.
CREATE FUNCTION @extschema@.route_contact(k @extschema@.contact, reason text) RETURNS bigint
	LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	facts @extschema@.tagset := @extschema@.contact_facts(k.customer_id, k.id);
	r record;
	base integer;
BEGIN
	-- No facts: the contact's customer does not exist (contacts have no
	-- foreign key to mycc.customer).
	IF facts IS NULL THEN
		RAISE EXCEPTION 'customer % of contact % does not exist', k.customer_id, k.id
			USING ERRCODE = '42704';
	END IF;
	r := @extschema@.route(facts);
	IF r.queue IS NULL THEN
		RAISE EXCEPTION 'no routing rule matches contact % and there is no default queue', k.id
			USING ERRCODE = '55000',
				DETAIL = pg_catalog.format('Its facts are %s.', facts),
				HINT = 'Add a rule to mycc.routing_rule, or mark one queue is_default.';
	END IF;
	SELECT @extschema@.tier_priority(c.tier) INTO base
	FROM @extschema@.customer AS c
	WHERE c.id OPERATOR(pg_catalog.=) @extschema@.customer_root(k.customer_id);
	IF reason OPERATOR(pg_catalog.=) 'reroute' AND r.queue OPERATOR(pg_catalog.=) k.queue_id
			AND base IS NOT DISTINCT FROM k.priority THEN
		RETURN r.queue;
	END IF;
	UPDATE @extschema@.contact AS u
	SET queue_id = r.queue, priority = base, status = 'queued',
		enqueued_at = COALESCE(u.enqueued_at, pg_catalog.now())
	WHERE u.customer_id OPERATOR(pg_catalog.=) k.customer_id AND u.id OPERATOR(pg_catalog.=) k.id;
	INSERT INTO @extschema@.routing_decision (customer_id, contact_id, facts, rule_id, queue_id, priority, reason)
	VALUES (k.customer_id, k.id, facts, r.rule, r.queue, base, reason);
	RETURN r.queue;
END
$$;
COMMENT ON FUNCTION @extschema@.route_contact(@extschema@.contact, text) IS 'internal: routes a locked contact and logs the decision (enqueue and re-routing)';

-- The contact row with this id, locked, or 42704; 21000 when contacts of
-- several customers have the id (ids are unique with the customer id; one
-- given by hand may repeat another), which would leave the row to chance.
CREATE FUNCTION @extschema@.lock_contact(contact_id bigint) RETURNS @extschema@.contact
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

-- The row of the customer whose tier and tags route a contact of this
-- customer (its survivor's, when merged), locked FOR SHARE until the
-- transaction ends: an UPDATE of it (tier, tags, a merge: the re-routing
-- trigger's cause) waits for the caller, and the caller for an UPDATE in
-- progress.  A row lock, kept in the row: a transaction may enqueue any
-- number of contacts (advisory locks, one per customer, filled the shared
-- lock table after a few thousand).  SECURITY DEFINER: FOR SHARE needs an
-- UPDATE right on mycc.customer, which agents do not have; the function
-- locks and returns nothing.
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

CREATE FUNCTION @extschema@.enqueue(contact_id bigint) RETURNS bigint
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
COMMENT ON FUNCTION @extschema@.enqueue(bigint) IS 'routes a new contact: sets its queue, base priority (its tier''s) and enqueued time, status queued; logs the decision; returns the queue';

-- Effective priority (docs/routing.md): base + aging, where aging is the
-- wait in units of the queue's target answer time times its weight.  No
-- wait (or an unknown one) ages nothing, whatever the weight: without the
-- CASE an infinite weight (which mycc.queue refuses, but a direct call
-- can pass) made 0 * Infinity = NaN (found by the fuzz test).
CREATE FUNCTION @extschema@.effective_priority(base integer, enqueued_at timestamptz, target_answer interval,
		aging_weight double precision, at timestamptz DEFAULT pg_catalog.now()) RETURNS double precision
	LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp
	-- OPERATOR() forms share one precedence: the parentheses are needed.
	RETURN COALESCE(base, 0)::double precision OPERATOR(pg_catalog.+)
		CASE WHEN at OPERATOR(pg_catalog.>) enqueued_at
			THEN (pg_catalog.date_part('epoch', at OPERATOR(pg_catalog.-) enqueued_at)
				  OPERATOR(pg_catalog./) pg_catalog.date_part('epoch', target_answer)) OPERATOR(pg_catalog.*) aging_weight
			ELSE 0::double precision END;
COMMENT ON FUNCTION @extschema@.effective_priority(integer, timestamptz, interval, double precision, timestamptz) IS 'base priority + waited / target_answer * aging_weight: the order agents take contacts in';

-- A queue's waiting contacts in effective-priority order, as an index key.
-- Within one queue aging is linear with the same slope k = aging_weight /
-- target_answer, so base + (t - enqueued) * k = k * (t - key) with key =
-- enqueued - base / k: the smaller the key, the higher the contact at any
-- time t.  The key is stored with the contact (contact_queued_idx), so an
-- agent reads each queue's best contact from the index instead of sorting
-- the queue.  Without aging (weight 0) the key orders by base priority,
-- then by arrival.
CREATE FUNCTION @extschema@.queue_key(base integer, enqueued_at timestamptz, target_answer interval,
		aging_weight double precision) RETURNS double precision
	LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp
	RETURN CASE WHEN aging_weight OPERATOR(pg_catalog.>) 0::double precision
		THEN pg_catalog.date_part('epoch', enqueued_at) OPERATOR(pg_catalog.-)
			(COALESCE(base, 0)::double precision OPERATOR(pg_catalog.*)
			 (pg_catalog.date_part('epoch', target_answer) OPERATOR(pg_catalog./) aging_weight))
		ELSE pg_catalog.date_part('epoch', enqueued_at) OPERATOR(pg_catalog.-)
			(COALESCE(base, 0)::double precision OPERATOR(pg_catalog.*) 1e10::double precision)
		END;
COMMENT ON FUNCTION @extschema@.queue_key(integer, timestamptz, interval, double precision) IS 'the contact''s place in its queue: enqueued - base * target_answer / aging_weight (smaller is taken first)';

-- A contact's key follows its queue, priority and arrival, however they
-- are set (routing, or an administrator's UPDATE).  A contact whose queue
-- row is not there keeps the key it comes with: pg_restore loads
-- mycc.contact's rows before mycc.queue's, and computed then, every
-- restored waiting contact lost its place (NULL keys: taken by id).
CREATE FUNCTION @extschema@.contact_queue_key() RETURNS trigger
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
COMMENT ON FUNCTION @extschema@.contact_queue_key() IS 'trigger: sets a contact''s queue_key from its queue, priority and enqueued time';
CREATE TRIGGER contact_queue_key BEFORE INSERT OR UPDATE OF queue_id, priority, enqueued_at ON @extschema@.contact
	FOR EACH ROW EXECUTE FUNCTION @extschema@.contact_queue_key();

-- A queue whose target or aging weight changes re-keys its waiting contacts.
CREATE FUNCTION @extschema@.queue_rekey() RETURNS trigger
	LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	UPDATE @extschema@.contact AS k
	SET queue_key = @extschema@.queue_key(k.priority, k.enqueued_at, NEW.target_answer, NEW.aging_weight)
	WHERE k.queue_id OPERATOR(pg_catalog.=) NEW.id AND k.status OPERATOR(pg_catalog.=) 'queued';
	RETURN NULL;
END
$$;
COMMENT ON FUNCTION @extschema@.queue_rekey() IS 'trigger: recomputes the queue_key of a queue''s waiting contacts when its target or aging weight changes';
CREATE TRIGGER queue_rekey AFTER UPDATE OF target_answer, aging_weight ON @extschema@.queue
	FOR EACH ROW
	WHEN (OLD.target_answer IS DISTINCT FROM NEW.target_answer OR OLD.aging_weight IS DISTINCT FROM NEW.aging_weight)
	EXECUTE FUNCTION @extschema@.queue_rekey();

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
-- routing_rule.queue_id -> queue (id), restrict (see reference_check).
CREATE TRIGGER routing_rule_queue_check BEFORE INSERT OR UPDATE OF queue_id ON @extschema@.routing_rule
	FOR EACH ROW EXECUTE FUNCTION @extschema@.reference_check('queue_id', 'queue');
CREATE TRIGGER queue_routing_rule_release BEFORE DELETE ON @extschema@.queue
	FOR EACH ROW EXECUTE FUNCTION @extschema@.reference_release('routing_rule', 'queue_id', 'restrict');
CREATE TRIGGER queue_routing_rule_renumber BEFORE UPDATE OF id ON @extschema@.queue
	FOR EACH ROW WHEN (OLD.id IS DISTINCT FROM NEW.id)
	EXECUTE FUNCTION @extschema@.reference_release('routing_rule', 'queue_id', 'restrict');

-- Agents take and finish contacts: C with prepared statements
-- (src/assignment.c explains the claim and its locks).
CREATE FUNCTION @extschema@.next_contact(agent_id bigint) RETURNS bigint
	AS 'MODULE_PATHNAME', 'mycc_next_contact' LANGUAGE C VOLATILE STRICT PARALLEL UNSAFE;
COMMENT ON FUNCTION @extschema@.next_contact(bigint) IS 'gives the agent the waiting contact of highest effective priority it may take (its own account customers first), or NULL; never the same contact twice';

CREATE FUNCTION @extschema@.finish(contact_id bigint, outcome text) RETURNS void
	AS 'MODULE_PATHNAME', 'mycc_finish' LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION @extschema@.finish(bigint, text) IS 'closes an assigned contact with its outcome and frees the agent''s capacity (55000 if it is not assigned)';

CREATE FUNCTION @extschema@.assign_account_managers(min_tier @extschema@.customer_tier, per_manager integer DEFAULT 200)
	RETURNS integer
	LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	assigned integer;
	left_over bigint;
BEGIN
	IF min_tier IS NULL OR per_manager IS NULL OR per_manager OPERATOR(pg_catalog.<) 1 THEN
		RAISE EXCEPTION 'per_manager must be at least 1 and min_tier not null'
			USING ERRCODE = '22023';
	END IF;
	-- One serialising lock: two concurrent runs would overfill managers.
	LOCK TABLE @extschema@.agent IN SHARE ROW EXCLUSIVE MODE;
	-- Each manager offers the free slots above what it already has (merged
	-- customers do not count: their survivor does); slots are dealt in
	-- order of slot number, so the least loaded fill first.
	-- No manager offers more slots than there are customers to assign:
	-- per_manager slots each made a large per_manager (300000000) run for
	-- minutes however few customers were waiting (found by the fuzz test).
	WITH todo_count AS (
		SELECT pg_catalog.count(*) AS n FROM @extschema@.customer AS c
		WHERE c.account_manager IS NULL AND c.merged_into IS NULL
			AND c.tier OPERATOR(@extschema@.>=) min_tier
	),
	managers AS (
		SELECT g.id, (SELECT pg_catalog.count(*) FROM @extschema@.customer AS c
					  WHERE c.account_manager OPERATOR(pg_catalog.=) g.id
						AND c.merged_into IS NULL) AS has
		FROM @extschema@.agent AS g
		WHERE g.skills OPERATOR(@extschema@.?) 'account_manager'
	),
	slots AS (
		SELECT m.id AS manager,
			pg_catalog.row_number() OVER (ORDER BY s.slot, m.id) AS n
		FROM managers AS m,
			pg_catalog.generate_series(m.has OPERATOR(pg_catalog.+) 1,
				LEAST(per_manager::bigint, m.has OPERATOR(pg_catalog.+) (SELECT t.n FROM todo_count AS t))) AS s(slot)
	),
	todo AS (
		SELECT c.id,
			pg_catalog.row_number() OVER (ORDER BY c.lifetime_value DESC, c.id) AS n
		FROM @extschema@.customer AS c
		WHERE c.account_manager IS NULL AND c.merged_into IS NULL
			AND c.tier OPERATOR(@extschema@.>=) min_tier
	)
	UPDATE @extschema@.customer AS c
	SET account_manager = slots.manager
	FROM todo JOIN slots ON slots.n OPERATOR(pg_catalog.=) todo.n
	WHERE c.id OPERATOR(pg_catalog.=) todo.id;
	GET DIAGNOSTICS assigned = ROW_COUNT;
	SELECT pg_catalog.count(*) INTO left_over FROM @extschema@.customer AS c
	WHERE c.account_manager IS NULL AND c.merged_into IS NULL AND c.tier OPERATOR(@extschema@.>=) min_tier;
	IF left_over OPERATOR(pg_catalog.>) 0 THEN
		RAISE WARNING '% customers at or above tier % still have no account manager', left_over, min_tier
			USING HINT = 'Add agents with the skill account_manager, or raise per_manager.';
	END IF;
	RETURN assigned;
END
$$;
COMMENT ON FUNCTION @extschema@.assign_account_managers(@extschema@.customer_tier, integer) IS 'gives customers at or above the tier a dedicated manager (an agent with skill account_manager), balanced, at most per_manager each, keeping existing assignments; returns how many were assigned';

-- Re-routing: a waiting contact follows its customer's new tier or tags,
-- and its new survivor after a merge (or itself again after an unmerge).
CREATE FUNCTION @extschema@.customer_reroute() RETURNS trigger
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
COMMENT ON FUNCTION @extschema@.customer_reroute() IS 'trigger: re-routes the waiting contacts of a customer whose tier or tags changed, or who was merged or unmerged';
-- A merge or unmerge (root_id) changes whose tier and tags a customer's
-- contacts are routed by: it re-routes them too.
CREATE TRIGGER customer_reroute AFTER UPDATE OF tier, tags, root_id ON @extschema@.customer
	FOR EACH ROW
	WHEN (@extschema@.tier_id(OLD.tier) IS DISTINCT FROM @extschema@.tier_id(NEW.tier)
		OR NOT @extschema@.tagset_eq(OLD.tags, NEW.tags)
		OR OLD.root_id IS DISTINCT FROM NEW.root_id)
	EXECUTE FUNCTION @extschema@.customer_reroute();

-- Replay: today's rules over past decisions' facts.
CREATE FUNCTION @extschema@.route_replay(since timestamptz,
		OUT customer_id bigint, OUT contact_id bigint, OUT decided_at timestamptz, OUT facts @extschema@.tagset,
		OUT old_queue bigint, OUT old_rule bigint, OUT new_queue bigint, OUT new_rule bigint)
	RETURNS SETOF record
	LANGUAGE sql STABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
SELECT d.customer_id, d.contact_id, d.decided_at, d.facts, d.queue_id, d.rule_id, r.queue, r.rule
FROM @extschema@.routing_decision AS d,
	LATERAL @extschema@.route(d.facts) AS r
WHERE d.decided_at OPERATOR(pg_catalog.>=) since
	AND (r.queue IS DISTINCT FROM d.queue_id OR r.rule IS DISTINCT FROM d.rule_id)
ORDER BY d.decided_at, d.customer_id, d.id
$$;
COMMENT ON FUNCTION @extschema@.route_replay(timestamptz) IS 'decisions since a time that today''s rules would make differently: the facts, the old and the new queue and rule';

-- BI: service level by queue and day (the session's time zone).
CREATE VIEW @extschema@.queue_service_level AS
SELECT q.id AS queue_id, q.name AS queue,
	(k.enqueued_at)::date AS day,
	pg_catalog.count(*) AS offered,
	pg_catalog.count(k.assigned_at) AS answered,
	pg_catalog.count(k.assigned_at)::double precision OPERATOR(pg_catalog./) pg_catalog.count(*) AS answer_rate,
	pg_catalog.count(*) FILTER (WHERE (k.assigned_at OPERATOR(pg_catalog.-) k.enqueued_at) OPERATOR(pg_catalog.<=) q.target_answer)::double precision
		OPERATOR(pg_catalog./) pg_catalog.count(*) AS within_target,
	pg_catalog.avg(k.assigned_at OPERATOR(pg_catalog.-) k.enqueued_at) AS average_wait
FROM @extschema@.contact AS k
JOIN @extschema@.queue AS q ON q.id OPERATOR(pg_catalog.=) k.queue_id
WHERE k.enqueued_at IS NOT NULL
GROUP BY q.id, q.name, (k.enqueued_at)::date;
COMMENT ON VIEW @extschema@.queue_service_level IS 'by queue and day: contacts offered, answered, answer rate, share answered within the target time, average wait';
