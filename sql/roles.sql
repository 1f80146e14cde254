-- The roles mycc creates (src/sql/roles.sql, docs/operations.md#roles):
-- what each may do on every member relation and writer function, proved
-- both from the catalog (so a new table or function shows up here and its
-- rights must be decided) and by trying as a member of each role.
SET client_min_messages = warning;

SELECT rolname, rolsuper, rolcanlogin, rolcreaterole, rolcreatedb, rolreplication, rolbypassrls,
	left(shobj_description(oid, 'pg_authid'), 10) AS marker,
	(SELECT count(*) FROM pg_auth_members AS m WHERE m.member = r.oid) AS member_of
FROM pg_roles AS r WHERE rolname LIKE 'mycc\_%' ORDER BY 1;

-- Rights on every member table, view and sequence, by role.
CREATE FUNCTION pg_temp.rights(role text, rel regclass) RETURNS text LANGUAGE sql AS $$
	SELECT coalesce(string_agg(p, ',' ORDER BY n), '-')
	FROM unnest(CASE WHEN (SELECT relkind FROM pg_class WHERE oid = rel) = 'S'
			THEN '{USAGE,SELECT,UPDATE}'::text[]
			ELSE '{SELECT,INSERT,UPDATE,DELETE,TRUNCATE,REFERENCES,TRIGGER}'::text[] END)
		WITH ORDINALITY AS u(p, n)
	WHERE CASE WHEN (SELECT relkind FROM pg_class WHERE oid = rel) = 'S'
		THEN has_sequence_privilege(role, rel, p) ELSE has_table_privilege(role, rel, p) END
$$;
SELECT c.oid::regclass AS relation, c.relkind,
	pg_temp.rights('mycc_reader', c.oid) AS reader,
	pg_temp.rights('mycc_agent', c.oid) AS agent,
	pg_temp.rights('mycc_admin', c.oid) AS admin,
	pg_temp.rights('public', c.oid) AS public
FROM pg_depend AS d JOIN pg_class AS c ON d.classid = 'pg_class'::regclass AND c.oid = d.objid
WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'mycc') AND d.deptype = 'e'
ORDER BY c.oid::regclass::text;

-- VOLATILE functions (the writers, and citus_set_local, which writes
-- nothing): who may execute them.
SELECT p.oid::regprocedure AS writer,
	has_function_privilege('mycc_reader', p.oid, 'EXECUTE') AS reader,
	has_function_privilege('mycc_agent', p.oid, 'EXECUTE') AS agent,
	has_function_privilege('mycc_admin', p.oid, 'EXECUTE') AS admin,
	has_function_privilege('public', p.oid, 'EXECUTE') AS public
FROM pg_depend AS d JOIN pg_proc AS p ON d.classid = 'pg_proc'::regclass AND p.oid = d.objid
WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'mycc') AND d.deptype = 'e'
	AND p.provolatile = 'v'
ORDER BY p.oid::regprocedure::text;

-- Some rows to protect.
INSERT INTO mycc.customer (name, lifetime_value) VALUES ('王芳', 300);
INSERT INTO mycc.survey (customer_id, channel, tier, nps, answered_at)
SELECT id, 'wechat', tier, 9, '2026-10-01 10:00+00' FROM mycc.customer;

CREATE ROLE regress_mycc_bi;
CREATE ROLE regress_mycc_agent;
CREATE ROLE regress_mycc_admin;
GRANT mycc_reader TO regress_mycc_bi;
GRANT mycc_agent TO regress_mycc_agent;
GRANT mycc_admin TO regress_mycc_admin;

-- As a reader, every write to every member table fails with 42501.
CREATE FUNCTION pg_temp.try(stmt text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE stmt;
	RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE;
END
$$;
SET ROLE regress_mycc_bi;
SELECT c.oid::regclass AS tab, w.verb, pg_temp.try(format(w.stmt, c.oid::regclass, a.attname)) AS result
FROM pg_depend AS d JOIN pg_class AS c ON d.classid = 'pg_class'::regclass AND c.oid = d.objid
JOIN pg_attribute AS a ON a.attrelid = c.oid AND a.attnum = 1,
	(VALUES ('insert', 'INSERT INTO %s DEFAULT VALUES'), ('update', 'UPDATE %s SET %I = %2$I'),
		('delete', 'DELETE FROM %s'), ('truncate', 'TRUNCATE %s')) AS w(verb, stmt)
WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'mycc') AND d.deptype = 'e'
	AND c.relkind IN ('r', 'p')
ORDER BY c.oid::regclass::text, w.verb;
SELECT pg_temp.try('SELECT nextval(''mycc.customer_id_seq'')') AS nextval,
	pg_temp.try('SELECT * FROM mycc.customer') AS customers,
	pg_temp.try('SELECT * FROM mycc.survey') AS answers;
SELECT tier, n, nps FROM mycc.nps_daily;
SELECT tier, customers FROM mycc.tier_pyramid ORDER BY rank DESC;
SELECT mycc.tier_policy('mid') IS NOT NULL AS reads_policy;
RESET ROLE;

-- An agent looks customers up and records answers, and reads no BI view
-- and changes no customer or policy.
SET ROLE regress_mycc_agent;
SELECT name, tier FROM mycc.customer;
INSERT INTO mycc.survey (customer_id, channel, tier, csat)
SELECT id, 'phone', tier, 5 FROM mycc.customer;
SELECT pg_temp.try('SELECT * FROM mycc.nps_daily') AS nps_daily,
	pg_temp.try('SELECT * FROM mycc.tier_pyramid') AS tier_pyramid,
	pg_temp.try('UPDATE mycc.customer SET tier = ''high''') AS set_tier,
	pg_temp.try('DELETE FROM mycc.survey') AS delete_answers,
	pg_temp.try('UPDATE mycc.tier SET queue_priority = 0') AS change_policy;
RESET ROLE;

-- An admin changes the policy: a new tier, then without it again.
SET ROLE regress_mycc_admin;
INSERT INTO mycc.tier (name, rank, service_mode, first_response_target)
VALUES ('silver', 25, 'instant', '3 minutes');
SELECT name FROM mycc.tier ORDER BY rank DESC;
DELETE FROM mycc.tier WHERE name = 'silver';
SELECT pg_temp.try('DELETE FROM mycc.survey') AS delete_answers,
	pg_temp.try('TRUNCATE mycc.tier') AS truncate_tiers;
RESET ROLE;

-- Treatment rules are a policy like the tiers: an admin writes them (row
-- by row), agents and readers read them, and mycc.treatments() with them.
SET ROLE regress_mycc_admin;
INSERT INTO mycc.treatment_rule (condition, treatment, priority)
VALUES ('vip', 'kraft-paper packaging', 1), ('vip & new', 'welcome call', 2);
UPDATE mycc.treatment_rule SET enabled = false WHERE treatment = 'welcome call';
SELECT treatment FROM mycc.treatments('{vip, new}');
SELECT pg_temp.try('TRUNCATE mycc.treatment_rule') AS truncate_rules;
RESET ROLE;
SET ROLE regress_mycc_agent;
SELECT treatment, rules, tested, matched
FROM mycc.treatments('{vip, new}'), mycc.treatment_candidates('{vip, new}');
SELECT pg_temp.try('INSERT INTO mycc.treatment_rule (condition, treatment) VALUES (''vip'', ''gift'')') AS add_rule,
	pg_temp.try('UPDATE mycc.treatment_rule SET enabled = true') AS enable_rule,
	pg_temp.try('DELETE FROM mycc.treatment_rule') AS delete_rules;
RESET ROLE;
SET ROLE regress_mycc_bi;
SELECT treatment FROM mycc.treatments('{vip}');
RESET ROLE;
-- This backend has the rules cached now; a role that may not read them
-- still gets 42501, as it would from a fresh backend.
CREATE ROLE regress_mycc_nobody;
SET ROLE regress_mycc_nobody;
SELECT pg_temp.try('SELECT mycc.treatments(''{vip}'')') AS treatments,
	pg_temp.try('SELECT mycc.treatment_candidates(''{vip}'')') AS candidates,
	pg_temp.try('SELECT * FROM mycc.treatment_rule') AS rules;
RESET ROLE;
DROP ROLE regress_mycc_nobody;
SET ROLE regress_mycc_admin;
DELETE FROM mycc.treatment_rule;
RESET ROLE;

-- Deleting a tier reads every table with a customer_tier column, with
-- row security off: a table whose policy would hide the rows (and run its
-- owner's function with the admin's rights) makes the delete fail instead
-- of deleting a tier still in use.
CREATE ROLE regress_mycc_owner;
CREATE TABLE public.spied (who text);
GRANT INSERT ON public.spied TO PUBLIC;
CREATE SCHEMA regress_shop AUTHORIZATION regress_mycc_owner;
SET ROLE regress_mycc_owner;
CREATE FUNCTION regress_shop.spy() RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO public.spied VALUES (current_user);
	RETURN false;
END
$$;
CREATE TABLE regress_shop.member (tier mycc.customer_tier);
INSERT INTO regress_shop.member VALUES ('low');
ALTER TABLE regress_shop.member ENABLE ROW LEVEL SECURITY;
CREATE POLICY hide ON regress_shop.member USING (regress_shop.spy());
GRANT USAGE ON SCHEMA regress_shop TO PUBLIC;
GRANT SELECT ON regress_shop.member TO PUBLIC;
RESET ROLE;
SET ROLE regress_mycc_admin;
SELECT pg_temp.try('DELETE FROM mycc.tier WHERE name = ''low''') AS delete_used_tier;
RESET ROLE;
SELECT count(*) AS policy_ran FROM public.spied;
SELECT name FROM mycc.tier WHERE name = 'low';
DROP SCHEMA regress_shop CASCADE;
DROP TABLE public.spied;
DROP ROLE regress_mycc_owner;

-- Identity and routing.  The admin sets the policies up: queues, a rule,
-- agents, an identity guard.
SET ROLE regress_mycc_admin;
INSERT INTO mycc.queue (name, required_skills, is_default) VALUES ('general', '{}', true), ('vip', '{vip}', false);
INSERT INTO mycc.routing_rule (priority, condition, queue_id) SELECT 10, 'vip', id FROM mycc.queue WHERE name = 'vip';
INSERT INTO mycc.agent (name, skills, capacity, status) VALUES ('小王', '{vip, account_manager}', 2, 'offline');
UPDATE mycc.identity_limit SET max_per_customer = 3 WHERE kind = 'phone';
INSERT INTO mycc.identity_block (kind, value, reason) VALUES ('phone', '+861088888888', 'front desk');
RESET ROLE;

-- An agent resolves the caller, records the contact, routes it, takes it,
-- finishes it and reads the customer's timeline.
SET ROLE regress_mycc_agent;
SELECT mycc.resolve('phone', '138 0013 8000', 'ivr') AS caller \gset
SELECT mycc.lookup('phone', '+86 138 0013 8000') = :caller AS found_again;
INSERT INTO mycc.contact (customer_id, channel, identity_kind, identity_value, topic)
VALUES (:caller, 'phone', 'phone', '+8613800138000', 'refund') RETURNING id AS contact \gset
SELECT (mycc.route('{vip}')).rule IS NOT NULL AS vip_rule, q.name AS queue
FROM (SELECT mycc.enqueue(:contact) AS id OFFSET 0) AS e JOIN mycc.queue AS q USING (id);
UPDATE mycc.agent SET status = 'available' WHERE name = '小王';
SELECT mycc.next_contact(id) = :contact AS taken FROM mycc.agent WHERE name = '小王';
SELECT mycc.finish(:contact, 'resolved');
SELECT channel, topic, status, outcome FROM mycc.timeline(:caller);
-- The waiting contacts' table: the agent's rights are what enqueue, a
-- claim and abandon do with them (insert, lock, place, delete a row),
-- never a change of which contact a row stands for, nor TRUNCATE.
INSERT INTO mycc.contact (customer_id, channel, topic)
VALUES (:caller, 'phone', 'refund') RETURNING id AS waiting \gset
SELECT mycc.enqueue(:waiting) IS NOT NULL AS enqueued;
SELECT pg_temp.try('UPDATE mycc.contact_queue SET queue_key = queue_key, manager_id = manager_id') AS place_row,
	pg_temp.try('UPDATE mycc.contact_queue SET contact_id = contact_id') AS rekey_row,
	pg_temp.try('UPDATE mycc.contact_queue SET customer_id = customer_id') AS move_row,
	pg_temp.try('TRUNCATE mycc.contact_queue') AS truncate_queue;
SELECT mycc.abandon(:waiting) IS NOT NULL AS abandoned;
-- Identifiers are written through resolve and link only, which apply the
-- guards (they run with their owner's rights): the agent writes no
-- identifier directly (42501), neither a blocked one, nor one beyond its
-- kind's limit, nor one of a customer that does not exist.
SELECT pg_temp.try('INSERT INTO mycc.identity (kind, value, customer_id) SELECT ''phone'', ''+861088888888'', max(id) FROM mycc.customer') AS blocked_identifier,
	pg_temp.try('INSERT INTO mycc.identity (kind, value, customer_id) SELECT ''phone'', ''+86139000000'' || i, max(id) FROM mycc.customer, generate_series(10, 13) AS i GROUP BY i') AS over_the_limit,
	pg_temp.try('INSERT INTO mycc.identity (kind, value, customer_id) VALUES (''qq'', ''20002'', -1)') AS no_such_customer,
	pg_temp.try('UPDATE mycc.identity SET customer_id = -1') AS move_identifier;
RESET ROLE;
-- The table owner may (a back-fill, a restore): an identifier whose
-- customer does not exist is then an error of resolve, lookup and link
-- (23503; resolve returned NULL, link 40001 after 20 attempts), and
-- resolve creates no customer for it.
INSERT INTO mycc.identity (kind, value, customer_id) VALUES ('qq', '20002', -1);
SET ROLE regress_mycc_agent;
SELECT count(*) AS customers FROM mycc.customer \gset
SELECT mycc.resolve('qq', '20002');
\set VERBOSITY sqlstate
SELECT mycc.resolve('qq', '20002');
SELECT mycc.lookup('qq', ' 20002 ');
\set VERBOSITY default
SELECT count(*) = :customers AS no_customer_left FROM mycc.customer;
-- It reads no merge log, refused links, decision log, blocked identifier
-- or BI view, changes no customer or policy, deletes nothing, and may not
-- merge, unmerge or assign account managers.
SELECT pg_temp.try('SELECT * FROM mycc.customer_merge') AS merges,
	pg_temp.try('SELECT * FROM mycc.identity_conflict') AS conflicts,
	pg_temp.try('SELECT * FROM mycc.routing_decision') AS decisions,
	pg_temp.try('SELECT * FROM mycc.identity_block') AS blocked,
	pg_temp.try('SELECT * FROM mycc.queue_service_level') AS service_level,
	pg_temp.try('SELECT * FROM mycc.conversation') AS conversations;
SELECT pg_temp.try('UPDATE mycc.customer SET tier = ''high''') AS set_tier,
	pg_temp.try('DELETE FROM mycc.customer') AS delete_customers,
	pg_temp.try('DELETE FROM mycc.contact') AS delete_contacts,
	pg_temp.try('UPDATE mycc.contact SET customer_id = 0') AS move_contact,
	pg_temp.try('UPDATE mycc.agent SET capacity = 100') AS own_capacity,
	pg_temp.try('INSERT INTO mycc.routing_rule (condition, queue_id) VALUES (''x'', 1)') AS add_rule,
	pg_temp.try('UPDATE mycc.identity_limit SET max_per_customer = 100') AS change_limit;
SELECT pg_temp.try('SELECT mycc.link(''phone'', ''13800138000'', ''qq'', ''10001'')') AS link,
	pg_temp.try('SELECT mycc.unmerge(1)') AS unmerge,
	pg_temp.try('SELECT mycc.assign_account_managers(''high'')') AS assign,
	pg_temp.try('SELECT mycc.connected_components(''SELECT 1, 2'')') AS components;
RESET ROLE;

-- The admin merges and unmerges, assigns account managers, and may not
-- change a customer's name or delete customers, contacts or merges.
SET ROLE regress_mycc_admin;
SELECT mycc.resolve('qq', '10001') <> :caller AS another_customer;
SELECT mycc.link('qq', '10001', 'phone', '13800138000', 'agent verified') = :caller AS merged;
SELECT mycc.link('phone', '010 8888 8888', 'qq', '10001') IS NULL AS blocked;
SELECT mycc.unmerge(max(id)) AS absorbed FROM mycc.customer_merge \gset
SELECT :absorbed = mycc.lookup('qq', '10001') AS unmerged;
SELECT reason FROM mycc.identity_conflict;
SELECT mycc.assign_account_managers('free', 10) > 0 AS assigned;
SELECT count(*) AS components FROM mycc.connected_components('SELECT customer_id, customer_id FROM mycc.identity');
SELECT queue, offered, answered FROM mycc.queue_service_level;
SELECT pg_temp.try('UPDATE mycc.customer SET name = ''x''') AS rename_customer,
	pg_temp.try('DELETE FROM mycc.customer') AS delete_customers,
	pg_temp.try('DELETE FROM mycc.contact') AS delete_contacts,
	pg_temp.try('DELETE FROM mycc.customer_merge') AS delete_merges;
-- Nor does it write identifiers, merges or refused links but through
-- link and unmerge (42501): the guards hold for it too.
SELECT pg_temp.try('INSERT INTO mycc.identity (kind, value, customer_id) SELECT ''phone'', ''+861088888888'', max(id) FROM mycc.customer') AS blocked_identifier,
	pg_temp.try('UPDATE mycc.customer SET merged_into = 1, root_id = 1, merged_at = now() WHERE id = 2') AS merge_by_hand,
	pg_temp.try('INSERT INTO mycc.customer_merge (survivor_id, absorbed_id, kind_a, value_a, kind_b, value_b, absorbed_value, survivor_tier, merged_tier, absorbed_tier) VALUES (1, 2, ''qq'', ''1'', ''qq'', ''2'', 0, ''free'', ''free'', ''free'')') AS log_a_merge,
	pg_temp.try('UPDATE mycc.customer_merge SET undone_at = now()') AS undo_in_the_log,
	pg_temp.try('INSERT INTO mycc.identity_conflict (kind_a, value_a, kind_b, value_b, reason) VALUES (''qq'', ''1'', ''qq'', ''2'', ''x'')') AS log_a_conflict;
\set VERBOSITY sqlstate
SELECT mycc.link('qq', '20002', 'phone', '13800138000');
\set VERBOSITY default
RESET ROLE;

-- A reader sees the service level, conversations and routing policies,
-- and no identifier, contact or customer.
SET ROLE regress_mycc_bi;
SELECT queue, offered, answered FROM mycc.queue_service_level;
SELECT count(*) AS conversations FROM mycc.conversation;
SELECT name FROM mycc.queue ORDER BY name;
SELECT count(*) AS rules FROM mycc.routing_rule;
SELECT kind, max_per_customer FROM mycc.identity_limit WHERE kind = 'phone';
SELECT pg_temp.try('SELECT * FROM mycc.identity') AS identities,
	pg_temp.try('SELECT * FROM mycc.identity_block') AS blocked,
	pg_temp.try('SELECT * FROM mycc.contact') AS contacts,
	pg_temp.try('SELECT * FROM mycc.timeline(1)') AS timeline,
	pg_temp.try('SELECT mycc.lookup(''phone'', ''13800138000'')') AS lookup,
	pg_temp.try('SELECT mycc.resolve(''phone'', ''13900000000'')') AS resolve,
	pg_temp.try('SELECT mycc.next_contact(1)') AS next_contact;
RESET ROLE;
DELETE FROM mycc.routing_decision;
DELETE FROM mycc.contact;
DELETE FROM mycc.identity;
DELETE FROM mycc.customer_merge;
DELETE FROM mycc.identity_conflict;

-- Roles of these names that exist already: CREATE EXTENSION uses them only
-- if mycc made them and they are plain group roles; it names their members.
DELETE FROM mycc.survey;
DELETE FROM mycc.customer;
DROP EXTENSION mycc;
\set VERBOSITY terse
ALTER ROLE mycc_reader SUPERUSER;
CREATE EXTENSION mycc;
ALTER ROLE mycc_reader NOSUPERUSER CREATEROLE;
CREATE EXTENSION mycc;
ALTER ROLE mycc_reader NOCREATEROLE;
GRANT pg_read_all_data TO mycc_admin;
CREATE EXTENSION mycc;
REVOKE pg_read_all_data FROM mycc_admin;
COMMENT ON ROLE mycc_agent IS 'made by someone else';
CREATE EXTENSION mycc;
COMMENT ON ROLE mycc_agent IS 'mycc role: what a contact-center agent needs: resolves and reads customers and their contacts, records contacts and survey answers, routes, takes and finishes contacts';
CREATE EXTENSION mycc;
\set VERBOSITY default
SELECT extname FROM pg_extension WHERE extname = 'mycc';

DROP ROLE regress_mycc_bi, regress_mycc_agent, regress_mycc_admin;
