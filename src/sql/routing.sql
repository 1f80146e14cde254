
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
-- An agent's id changed while customers name it: refused after the row
-- is written, as the foreign key's check was (AFTER, not BEFORE: every
-- claim and finish updates the agent's row, and a BEFORE UPDATE row
-- trigger, even one whose column list leaves it out, makes each update
-- fetch and lock the row first: one more WAL record each, two per claim
-- and finish).
CREATE TRIGGER agent_account_manager_renumber AFTER UPDATE OF id ON @extschema@.agent
	FOR EACH ROW WHEN (OLD.id IS DISTINCT FROM NEW.id)
	EXECUTE FUNCTION @extschema@.reference_release('customer', 'account_manager', 'restrict');

-- A contact's routing columns: where it is (status), the queue and base
-- priority it was routed with, who took it, when.  mycc.contact keeps the
-- history and the state; no index of it names these columns, so that
-- routing's updates of a contact (enqueue, claim, finish) are HOT updates
-- when its page has room (the table's fillfactor leaves it).
CREATE TYPE @extschema@.contact_status AS ENUM ('new', 'queued', 'assigned', 'finished', 'abandoned');
COMMENT ON TYPE @extschema@.contact_status IS 'where a contact is: new, queued (waiting for an agent), assigned, finished, abandoned';
ALTER TABLE @extschema@.contact
	ADD COLUMN queue_id bigint,
	ADD COLUMN agent_id bigint,
	ADD COLUMN status @extschema@.contact_status NOT NULL DEFAULT 'new',
	ADD COLUMN priority integer,
	ADD COLUMN enqueued_at timestamptz,
	ADD COLUMN assigned_at timestamptz,
	ADD COLUMN outcome text;
ALTER TABLE @extschema@.contact SET (fillfactor = 90);
-- A contact by its id alone (enqueue, finish, abandon).
CREATE INDEX contact_id_idx ON @extschema@.contact (id);
COMMENT ON COLUMN @extschema@.contact.queue_id IS 'the queue it was routed to (routing)';
COMMENT ON COLUMN @extschema@.contact.agent_id IS 'the agent who took it (routing)';
COMMENT ON COLUMN @extschema@.contact.status IS 'where the contact is';
COMMENT ON COLUMN @extschema@.contact.priority IS 'base queue priority, the customer''s tier''s (routing)';
COMMENT ON COLUMN @extschema@.contact.enqueued_at IS 'when it was first routed to a queue';
COMMENT ON COLUMN @extschema@.contact.assigned_at IS 'when an agent took it';
COMMENT ON COLUMN @extschema@.contact.outcome IS 'how it ended (resolved, callback, ...)';

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
		OR reason OPERATOR(pg_catalog.=) 'reroute' OR reason OPERATOR(pg_catalog.=) 'abandon')
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
COMMENT ON COLUMN @extschema@.routing_decision.reason IS 'enqueue; reroute (while it waited, the customer''s tier or tags changed, or it was merged or unmerged); abandon (the customer left the queue: mycc.abandon)';
COMMENT ON COLUMN @extschema@.routing_decision.decided_at IS 'when';

SELECT pg_catalog.pg_extension_config_dump('@extschema@.queue', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.queue_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.agent', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.agent_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.routing_rule', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.routing_rule_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.routing_decision', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.routing_decision_id_seq', '');
-- mycc.contact_queue is dumped with its rows, keys and holds as they were:
-- rebuilt while pg_restore -j loads contacts, queues and customers in
-- parallel, a contact's key or hold could miss a queue or customer row
-- another connection had not committed yet.  While restoring, the
-- triggers that keep it (contact_queue_sync, customer_queue_holds,
-- queue_rekey) leave it alone (mycc.restoring()).
SELECT pg_catalog.pg_extension_config_dump('@extschema@.contact_queue', '');

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
-- No SET search_path (RETURN body, as effective_priority).
CREATE FUNCTION @extschema@.contact_facts(customer_id bigint, contact_id bigint) RETURNS @extschema@.tagset
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

-- The contact row with this id, locked (mycc.contact_by_id's errors).
CREATE FUNCTION @extschema@.lock_contact(contact_id bigint) RETURNS @extschema@.contact
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
-- wait (or an unknown or infinite arrival) ages nothing, whatever the
-- weight: without the CASE an infinite weight (which mycc.queue refuses,
-- but a direct call can pass) made 0 * Infinity = NaN (found by the fuzz
-- test), and an arrival at -infinity failed the subtraction.  The one
-- formula: next_contact orders by it (and by queue_key, its form within
-- one queue); nothing else computes it.  No SET search_path: the body
-- (RETURN) is parsed when the function is created and resolves no name
-- when it runs, and a SET would keep the planner from inlining it (a
-- claim then set up the SQL function's executor at every call, twice).
CREATE FUNCTION @extschema@.effective_priority(base integer, enqueued_at timestamptz, target_answer interval,
		aging_weight double precision, at timestamptz DEFAULT pg_catalog.now()) RETURNS double precision
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
	-- OPERATOR() forms share one precedence: the parentheses are needed.
	RETURN COALESCE(base, 0)::double precision OPERATOR(pg_catalog.+)
		CASE WHEN at OPERATOR(pg_catalog.>) enqueued_at AND pg_catalog.isfinite(enqueued_at)
			THEN (pg_catalog.date_part('epoch', at OPERATOR(pg_catalog.-) enqueued_at)
				  OPERATOR(pg_catalog./) pg_catalog.date_part('epoch', target_answer)) OPERATOR(pg_catalog.*) aging_weight
			ELSE 0::double precision END;
COMMENT ON FUNCTION @extschema@.effective_priority(integer, timestamptz, interval, double precision, timestamptz) IS 'base priority + waited / target_answer * aging_weight: the order agents take contacts in';

-- A queue's waiting contacts in effective-priority order, as an index key.
-- Within one queue aging is linear with the same slope k = aging_weight /
-- target_answer, so base + (t - enqueued) * k = k * (t - key) with key =
-- enqueued - base / k: the smaller the key, the higher the contact at any
-- time t.  The key is stored with the waiting contact
-- (contact_queue_order_idx), so an agent reads each queue's best contact
-- from the index instead of sorting the queue.  Without aging (weight 0)
-- the key orders by base priority, then by arrival.  No SET search_path
-- (RETURN body, as effective_priority).
CREATE FUNCTION @extschema@.queue_key(base integer, enqueued_at timestamptz, target_answer interval,
		aging_weight double precision) RETURNS double precision
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
	RETURN CASE WHEN aging_weight OPERATOR(pg_catalog.>) 0::double precision
		THEN pg_catalog.date_part('epoch', enqueued_at) OPERATOR(pg_catalog.-)
			(COALESCE(base, 0)::double precision OPERATOR(pg_catalog.*)
			 (pg_catalog.date_part('epoch', target_answer) OPERATOR(pg_catalog./) aging_weight))
		ELSE pg_catalog.date_part('epoch', enqueued_at) OPERATOR(pg_catalog.-)
			(COALESCE(base, 0)::double precision OPERATOR(pg_catalog.*) 1e10::double precision)
		END;
COMMENT ON FUNCTION @extschema@.queue_key(integer, timestamptz, interval, double precision) IS 'the contact''s place in its queue: enqueued - base * target_answer / aging_weight (smaller is taken first)';

-- The account manager a customer's waiting contacts are held for: its
-- survivor's (the root of its merge tree), or NULL.  No SET search_path
-- (RETURN body, as effective_priority).
CREATE FUNCTION @extschema@.account_manager_of(customer_id bigint) RETURNS bigint
	LANGUAGE sql STABLE PARALLEL SAFE
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
CREATE FUNCTION @extschema@.queue_rekey() RETURNS trigger
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
COMMENT ON FUNCTION @extschema@.queue_rekey() IS 'trigger: recomputes the queue_key of a queue''s waiting contacts when its target or aging weight changes, or when it is created after them';
CREATE TRIGGER queue_rekey AFTER UPDATE OF target_answer, aging_weight ON @extschema@.queue
	FOR EACH ROW
	WHEN (OLD.target_answer IS DISTINCT FROM NEW.target_answer OR OLD.aging_weight IS DISTINCT FROM NEW.aging_weight)
	EXECUTE FUNCTION @extschema@.queue_rekey();
CREATE TRIGGER queue_key_restored AFTER INSERT ON @extschema@.queue
	FOR EACH ROW EXECUTE FUNCTION @extschema@.queue_rekey();

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

-- The contact with this id, unlocked: its customer, agent and status;
-- 42704 if there is none, 21000 when contacts of several customers have
-- the id (ids are unique with the customer id; one given by hand may
-- repeat another), which would leave the row to chance.
CREATE FUNCTION @extschema@.contact_by_id(contact_id bigint,
		OUT customer_id bigint, OUT agent_id bigint, OUT status @extschema@.contact_status)
	AS 'MODULE_PATHNAME', 'mycc_contact_by_id' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.contact_by_id(bigint) IS 'internal: the customer, agent and status of the contact with this id, unlocked (42704 if none, 21000 if several customers have one)';

-- Claiming (docs/routing.md#concurrency): rounds of one statement over
-- the heads of the agent's queues, then the contact given; the order, the
-- locks and why in src/assignment.c.  Lock order, here and in finish,
-- abandon and re-routing: the agent's row, then the waiting contact's row
-- of contact_queue, then the contact.
CREATE FUNCTION @extschema@.next_contact(agent_id bigint) RETURNS bigint
	AS 'MODULE_PATHNAME', 'mycc_claim_next_contact' LANGUAGE C VOLATILE STRICT PARALLEL UNSAFE;
COMMENT ON FUNCTION @extschema@.next_contact(bigint) IS 'gives the agent the waiting contact of highest effective priority it may take (its own account customers first), or NULL; never the same contact twice';

-- Closes an assigned contact: three statements, the contact read
-- unlocked (contact_by_id), its agent's place freed (the agent's lock
-- before the contact's, as in next_contact), the contact closed (by its
-- customer id: one shard on a Citus cluster).  If the contact then is not
-- the agent's to close, the error undoes the second.  A contact that had
-- no agent when read but is assigned once the claim holding it ends is
-- finished on a second round; at most two rounds.
CREATE FUNCTION @extschema@.finish(contact_id bigint, outcome text) RETURNS void
	AS 'MODULE_PATHNAME', 'mycc_claim_finish' LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION @extschema@.finish(bigint, text) IS 'closes an assigned contact with its outcome and frees the agent''s capacity (55000 if it is not assigned)';

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
-- A merge or unmerge (root_id) changes whose tier and tags a customer's
-- contacts are routed by: it re-routes them too.
CREATE TRIGGER customer_reroute AFTER UPDATE OF tier, tags, root_id ON @extschema@.customer
	FOR EACH ROW
	WHEN (@extschema@.tier_id(OLD.tier) IS DISTINCT FROM @extschema@.tier_id(NEW.tier)
		OR NOT @extschema@.tagset_eq(OLD.tags, NEW.tags)
		OR OLD.root_id IS DISTINCT FROM NEW.root_id)
	EXECUTE FUNCTION @extschema@.customer_reroute();

-- Replay: today's rules over past decisions' facts.  The decisions are
-- read first (MATERIALIZED), then routed: on a Citus cluster, where
-- mycc.routing_decision is distributed, the read runs on the shards and
-- route() on the coordinator, which has the rules (a worker's copy of
-- mycc.routing_rule is empty).  PL/pgSQL: Citus plans no query with the
-- parameter of a SQL function.
CREATE FUNCTION @extschema@.route_replay(since timestamptz,
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

CREATE FUNCTION @extschema@.timeline(customer bigint)
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
