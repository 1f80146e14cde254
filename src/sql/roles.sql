
-- ---------------------------------------------------------------------------
-- roles: grantable roles for BI readers, agents and policy admins
-- (design.md section 6; docs/operations.md#roles).  This part comes last:
-- it grants on the objects the parts before it create.  A capability that
-- adds a table, view or writer function adds its GRANT lines here.
-- ---------------------------------------------------------------------------

-- Roles belong to the cluster, not to a database: CREATE EXTENSION mycc in
-- a second database finds the roles the first one created, and DROP
-- EXTENSION leaves them.  A role of one of these names that exists already
-- is used only if a mycc install created it (its comment starts with "mycc
-- role:"; a DBA who made one for mycc marks it the same way) and it is
-- still a plain group role: not a superuser, no CREATEROLE, CREATEDB,
-- REPLICATION or BYPASSRLS, a member of no other role.  Anything else is
-- refused, so that no role someone prepared (or a superuser that DBAs would
-- then grant to their BI users as "mycc_reader") silently receives mycc's
-- rights.  Its members keep their membership and get the role's rights in
-- this database too: a WARNING names them (CREATE EXTENSION hides notices).
DO $$
DECLARE
	spec pg_catalog.text[];
	r record;
	members pg_catalog.text;
BEGIN
	FOREACH spec SLICE 1 IN ARRAY ARRAY[
		['mycc_reader', 'mycc role: reads the BI views and the policies (tiers, treatment rules, queues, routing rules, identity limits); nothing personal; writes nothing'],
		['mycc_agent', 'mycc role: what a contact-center agent needs: resolves and reads customers and their contacts, records contacts and survey answers, routes, takes and finishes contacts'],
		['mycc_admin', 'mycc role: maintains the policies (tiers, treatment rules, queues, routing rules, identity guards) and the agents, merges customers, reads everything']]
	LOOP
		SELECT a.oid, a.rolsuper, a.rolcreaterole, a.rolcreatedb, a.rolreplication, a.rolbypassrls,
			pg_catalog.shobj_description(a.oid, 'pg_authid') AS note
		INTO r
		FROM pg_catalog.pg_roles AS a WHERE a.rolname OPERATOR(pg_catalog.=) spec[1];
		IF NOT FOUND THEN
			EXECUTE pg_catalog.format('CREATE ROLE %I NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS',
				spec[1]);
			EXECUTE pg_catalog.format('COMMENT ON ROLE %I IS %L', spec[1], spec[2]);
			CONTINUE;
		END IF;
		IF NOT COALESCE(pg_catalog.starts_with(r.note, 'mycc role:'), false) THEN
			RAISE EXCEPTION 'role "%" exists already and was not created by mycc', spec[1]
				USING ERRCODE = '42710',
				DETAIL = 'mycc grants rights on its tables to this role; an unknown role of that name would receive them.',
				HINT = pg_catalog.format('Drop or rename the role. If it was made for mycc on purpose, mark it: COMMENT ON ROLE %I IS %L;',
					spec[1], spec[2]);
		END IF;
		IF r.rolsuper OR r.rolcreaterole OR r.rolcreatedb OR r.rolreplication OR r.rolbypassrls THEN
			RAISE EXCEPTION 'role "%" has attributes a mycc role must not have', spec[1]
				USING ERRCODE = '42501',
				DETAIL = 'A mycc role is granted to ordinary users: it must not be a superuser or have CREATEROLE, CREATEDB, REPLICATION or BYPASSRLS.',
				HINT = pg_catalog.format('ALTER ROLE %I NOSUPERUSER NOCREATEROLE NOCREATEDB NOREPLICATION NOBYPASSRLS;', spec[1]);
		END IF;
		IF EXISTS (SELECT FROM pg_catalog.pg_auth_members AS m WHERE m.member OPERATOR(pg_catalog.=) r.oid) THEN
			RAISE EXCEPTION 'role "%" is a member of other roles', spec[1]
				USING ERRCODE = '42501',
				DETAIL = 'Everyone granted a mycc role would also get the rights of those roles.',
				HINT = pg_catalog.format('Revoke them: SELECT roleid::regrole FROM pg_auth_members WHERE member = %L::regrole;', spec[1]);
		END IF;
		SELECT pg_catalog.string_agg(pg_catalog.quote_ident(u.rolname::pg_catalog.text), ', ' ORDER BY u.rolname)
		INTO members
		FROM pg_catalog.pg_auth_members AS m JOIN pg_catalog.pg_roles AS u ON u.oid OPERATOR(pg_catalog.=) m.member
		WHERE m.roleid OPERATOR(pg_catalog.=) r.oid;
		IF members IS NOT NULL THEN
			RAISE WARNING 'role "%" exists already; its members get its rights on mycc in this database too: %',
				spec[1], members;
		END IF;
	END LOOP;
END
$$;

-- mycc_reader: the BI views and the policies (tiers, treatment rules,
-- queues, routing rules, identity limits), nothing personal: no
-- customers, identifiers (phone numbers, e-mail addresses), contacts,
-- merges, refused links, routing decisions, agents, nor the blocked
-- identifiers (mycc.identity_block holds real numbers).  The views run
-- with their owner's rights, so mycc.conversation (customer ids, times,
-- channels, counts: no identifier) and mycc.queue_service_level need no
-- right on mycc.contact.
GRANT SELECT ON @extschema@.nps_daily, @extschema@.csat_daily, @extschema@.tier_pyramid, @extschema@.tier,
	@extschema@.tier_retired, @extschema@.treatment_rule TO mycc_reader;
GRANT SELECT ON @extschema@.queue_service_level, @extschema@.conversation, @extschema@.queue,
	@extschema@.routing_rule, @extschema@.identity_limit TO mycc_reader;
-- The answers without who gave them: on a Citus cluster a view runs on the
-- workers with the reader's own rights (Citus queries a distributed
-- table's shards as the current user, whoever owns the view), so
-- mycc.nps_daily over the distributed mycc.survey needs these columns
-- (docs/scaling.md#roles); granted on one server too, so that a role has
-- the same rights on both.
GRANT SELECT (channel, tier, nps, csat, answered_at, tier_id) ON @extschema@.survey TO mycc_reader;
-- Staffing: the view, and the function it reads (which runs with its
-- owner's rights, as a view does, and reports per queue, never a contact)
-- for other hours.  The Erlang C functions are arithmetic, open to all.
GRANT SELECT ON @extschema@.queue_staffing TO mycc_reader;

-- mycc_agent: looks customers and tiers up, records survey answers, asks
-- mycc.treatments() what a customer's tags call for (which reads
-- mycc.treatment_rule with the caller's rights).
GRANT SELECT ON @extschema@.customer, @extschema@.tier, @extschema@.tier_retired,
	@extschema@.treatment_rule TO mycc_agent;
GRANT SELECT, INSERT ON @extschema@.survey TO mycc_agent;
GRANT USAGE ON SEQUENCE @extschema@.survey_id_seq TO mycc_agent;
-- Identity and routing calls run with the caller's rights (no SECURITY
-- DEFINER), so the agent holds what they do and nothing more, except the
-- writers of the identity graph: resolve, link and unmerge run with their
-- owner's rights (SECURITY DEFINER), so that identifiers and merges are
-- written only through them and their guards (docs/identity.md#guards-for-every-writer):
-- no role of mycc writes mycc.identity, mycc.customer_merge or
-- mycc.identity_conflict, or a customer's merge columns, directly.
-- lookup reads identifiers; an agent may add a customer with a name
-- only (INSERT on the name column: a walk-in customer); timeline reads
-- contacts; recording a contact inserts it; route, enqueue and
-- next_contact read the queues and rules (the rule cache checks SELECT
-- on both on every call) and the agents; enqueue, next_contact and finish
-- move a contact through its states (UPDATE of those columns only, which
-- also allows their FOR UPDATE locks) and keep the agent's counters;
-- enqueue logs its decision.  An agent sets its own status.  No DELETE,
-- no TRUNCATE, no merge log, refused links, decision log or BI view.
GRANT SELECT ON @extschema@.identity, @extschema@.contact, @extschema@.queue, @extschema@.routing_rule,
	@extschema@.agent TO mycc_agent;
GRANT INSERT (name) ON @extschema@.customer TO mycc_agent;
GRANT USAGE ON SEQUENCE @extschema@.customer_id_seq TO mycc_agent;
GRANT INSERT ON @extschema@.contact TO mycc_agent;
GRANT USAGE ON SEQUENCE @extschema@.contact_id_seq TO mycc_agent;
GRANT UPDATE (queue_id, priority, status, enqueued_at, agent_id, assigned_at, outcome, ended_at)
	ON @extschema@.contact TO mycc_agent;
GRANT UPDATE (status, active_contacts, last_assigned_at) ON @extschema@.agent TO mycc_agent;
GRANT INSERT ON @extschema@.routing_decision TO mycc_agent;
GRANT USAGE ON SEQUENCE @extschema@.routing_decision_id_seq TO mycc_agent;
-- The waiting contacts (mycc.contact_queue): enqueue writes a contact's
-- row, a claim locks and deletes it (and puts back one it took but did not
-- give), abandon deletes it, all with the agent's rights.  They give an
-- agent nothing its UPDATE of mycc.contact's routing columns does not (it
-- may move, reprioritise or close a waiting contact by hand, and the row
-- follows); they stay the caller's rather than SECURITY DEFINER
-- functions', which would need a pinned search_path (design.md section
-- 6): a SET on every claim and finish.  UPDATE only of the columns that
-- place a row (which also allows locking it), never of its key, the
-- contact it stands for; no TRUNCATE.
GRANT SELECT, INSERT, DELETE ON @extschema@.contact_queue TO mycc_agent;
GRANT UPDATE (queue_id, queue_key, priority, enqueued_at, manager_id) ON @extschema@.contact_queue TO mycc_agent;

-- mycc_admin: maintains the policies (tiers, treatment rules); reads
-- everything (deleting a tier reads every table with a customer_tier
-- column).  No TRUNCATE: a policy table is changed row by row.
GRANT SELECT, INSERT, UPDATE, DELETE ON @extschema@.tier, @extschema@.treatment_rule TO mycc_admin;
GRANT USAGE ON SEQUENCE @extschema@.tier_id_seq, @extschema@.treatment_rule_id_seq TO mycc_admin;
-- Deleting a tier writes its tombstone (trigger tier_after_delete, with the
-- deleting role's rights); tombstones are never updated or deleted.
GRANT SELECT, INSERT ON @extschema@.tier_retired TO mycc_admin;
GRANT SELECT ON @extschema@.customer, @extschema@.survey, @extschema@.nps_daily, @extschema@.csat_daily,
	@extschema@.tier_pyramid TO mycc_admin;
-- The routing and identity policies (queues, rules, identity guards) and
-- the agents are the admin's, row by row.  It reads everything else too
-- (deleting a tier reads mycc.customer_merge's tier columns).
GRANT SELECT, INSERT, UPDATE, DELETE ON @extschema@.queue, @extschema@.routing_rule, @extschema@.agent,
	@extschema@.identity_limit, @extschema@.identity_block TO mycc_admin;
GRANT USAGE ON SEQUENCE @extschema@.queue_id_seq, @extschema@.routing_rule_id_seq, @extschema@.agent_id_seq
	TO mycc_admin;
GRANT SELECT ON @extschema@.identity, @extschema@.contact, @extschema@.customer_merge,
	@extschema@.identity_conflict, @extschema@.identity_repair, @extschema@.routing_decision, @extschema@.conversation,
	@extschema@.queue_service_level, @extschema@.queue_staffing TO mycc_admin;
-- The admin merges and unmerges customers (link and unmerge, which write
-- with their owner's rights), assigns account managers, and corrects a
-- customer's tier, tags and lifetime value (a later change, which an
-- unmerge keeps); its name stays the application's.  A tier or tags
-- changed by hand re-route the customer's waiting contacts (the
-- customer_reroute trigger, with the admin's rights).
GRANT INSERT (name), UPDATE (tier, tags, lifetime_value, account_manager)
	ON @extschema@.customer TO mycc_admin;
GRANT USAGE ON SEQUENCE @extschema@.customer_id_seq TO mycc_admin;
-- The sequences of the merge log and of refused links are link's: no
-- role has a right on them.  (Revoked explicitly, as the update from 0.2.0
-- does, so that a new install and an updated one have the same ACL.)
REVOKE ALL ON SEQUENCE @extschema@.customer_merge_id_seq, @extschema@.identity_conflict_id_seq FROM mycc_admin;
-- Changing a queue's target or aging weight re-keys its waiting contacts
-- (the queue_rekey trigger, with the admin's rights); the admin may move
-- waiting contacts to another queue (their rows of contact_queue follow).
GRANT UPDATE (queue_id, priority, status, enqueued_at) ON @extschema@.contact TO mycc_admin;
GRANT SELECT, INSERT, DELETE ON @extschema@.contact_queue TO mycc_admin;
GRANT UPDATE (queue_id, queue_key, priority, enqueued_at, manager_id) ON @extschema@.contact_queue TO mycc_admin;
GRANT INSERT ON @extschema@.routing_decision TO mycc_admin;
GRANT USAGE ON SEQUENCE @extschema@.routing_decision_id_seq TO mycc_admin;

-- Writers (VOLATILE functions) are not for PUBLIC.  Triggers fire whatever
-- the writing role's rights on their function: revoking keeps other roles
-- from attaching them to their own tables (policy_invalidate would then
-- send invalidations on every write there) and from calling them.
REVOKE EXECUTE ON FUNCTION @extschema@.tier_before_write() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.tier_before_delete() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.tier_after_delete() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.tier_retired_before_insert() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.tier_retired_before_change() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.tier_before_truncate() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.tier_invalidate() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.policy_invalidate() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.contact_queue_sync() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.contact_queue_drop() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.customer_queue_holds() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.queue_rekey() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.queue_before_delete() FROM PUBLIC;
-- The typanalyze function is VOLATILE too (no marking given) and takes
-- internal, so no SQL call can reach it; ANALYZE calls it directly, with
-- no EXECUTE check, for whoever may analyze the table.  Revoked like the
-- other writers so that the rule "no VOLATILE function is executable by
-- PUBLIC" has no exception to explain.
REVOKE EXECUTE ON FUNCTION @extschema@.tagset_typanalyze(internal) FROM PUBLIC;

-- The writers of identity and routing: revoked from PUBLIC, granted to
-- the role whose calls they are.  The internal helpers (lock_contact,
-- route_contact, lock_routing_customer) run inside enqueue and the re-routing trigger with the
-- caller's rights, so the callers' roles need them too; the trigger
-- functions need no grant to fire.
REVOKE EXECUTE ON FUNCTION @extschema@.resolve(text, text, text) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.link(text, text, text, text, text) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.unmerge(bigint) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.merge_take_back(bigint, bigint, numeric, @extschema@.tagset, @extschema@.customer_tier) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.connected_components(text) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.identity_guard_before_write() FROM PUBLIC;
-- The repair of identifiers rewrites and removes identity rows, which no
-- role may: it is the extension owner's (a DBA's, and the update's).
REVOKE EXECUTE ON FUNCTION @extschema@.renormalize_identities(boolean) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.renormalize_apply() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.renormalize_merge(text, text, text, bigint) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.enqueue(bigint) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.next_contact(bigint) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.finish(bigint, text) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.abandon(bigint) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.lock_contact(bigint) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.route_contact(@extschema@.contact, text) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.lock_routing_customer(bigint) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.assign_account_managers(@extschema@.customer_tier, integer) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.customer_reroute() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.queue_staffing_at(timestamptz, interval) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION @extschema@.queue_staffing_at(timestamptz, interval) TO mycc_reader, mycc_admin;
GRANT EXECUTE ON FUNCTION @extschema@.resolve(text, text, text), @extschema@.enqueue(bigint),
	@extschema@.next_contact(bigint), @extschema@.finish(bigint, text), @extschema@.abandon(bigint),
	@extschema@.lock_contact(bigint),
	@extschema@.route_contact(@extschema@.contact, text), @extschema@.lock_routing_customer(bigint) TO mycc_agent;
-- connected_components runs the caller's own query with the caller's
-- rights: a back-fill tool for the admin.
GRANT EXECUTE ON FUNCTION @extschema@.resolve(text, text, text), @extschema@.link(text, text, text, text, text),
	@extschema@.unmerge(bigint), @extschema@.connected_components(text),
	@extschema@.route_contact(@extschema@.contact, text),
	@extschema@.assign_account_managers(@extschema@.customer_tier, integer) TO mycc_admin;
