-- next_contact and finish are statements on the tables (PL/pgSQL; since
-- 0.3.0 no executor bypass): they behave as the UPDATE statements they
-- are: row triggers (column triggers by the columns set), constraints,
-- rules, row-level security, rights, several calls in one statement.
SET search_path = public, mycc;
SET TimeZone = 'UTC';
\set SHOW_CONTEXT never
TRUNCATE mycc.customer, mycc.identity, mycc.contact, mycc.customer_merge, mycc.identity_conflict,
	mycc.agent, mycc.queue, mycc.routing_rule, mycc.routing_decision RESTART IDENTITY;

-- Two queues, one agent for each and one for both; customers of three
-- tiers, one contact each, waiting since 09:00 (high, mid) and 08:00 (free).
INSERT INTO mycc.queue (id, name, required_skills, target_answer, aging_weight, is_default) VALUES
	(1, 'general', '{}', '5 minutes', 10, true), (2, 'vip', '{vip_care}', '1 minute', 10, false);
INSERT INTO mycc.routing_rule (priority, condition, queue_id) VALUES (10, 'tier:high', 2);
INSERT INTO mycc.agent (id, name, skills, capacity, status) VALUES
	(1, 'general agent', '{}', 5, 'available'), (2, 'vip agent', '{vip_care}', 5, 'available'),
	(3, 'both', '{vip_care}', 5, 'available');
INSERT INTO mycc.customer (id, name, lifetime_value) VALUES (1, 'Wang Fang', 5000), (2, 'Li Lei', 1000), (3, 'Zhao Min', 0);
UPDATE mycc.customer SET tier = mycc.tier_for_value(lifetime_value);
INSERT INTO mycc.contact (customer_id, id, channel, started_at) VALUES
	(1, 11, 'phone', '2026-11-02 09:00'), (2, 12, 'phone', '2026-11-02 09:00'), (3, 13, 'phone', '2026-11-02 08:00');
SELECT mycc.enqueue(id) AS queue FROM mycc.contact ORDER BY id;
UPDATE mycc.contact SET enqueued_at = started_at;
-- What a reset puts back: every contact waiting, every agent free.
CREATE FUNCTION pg_temp.reset() RETURNS void LANGUAGE sql AS $$
	UPDATE mycc.contact SET status = 'queued', agent_id = NULL, assigned_at = NULL, ended_at = NULL, outcome = NULL;
	UPDATE mycc.agent SET active_contacts = 0, last_assigned_at = NULL;
$$;

-- Row triggers fire for each row a claim or finish sets, BEFORE and AFTER,
-- with the columns it sets: a trigger on status fires, one on queue_id
-- does not.  A BEFORE trigger's change to the row is kept.
CREATE TABLE pg_temp.fired (what text, contact bigint, status mycc.contact_status, outcome text);
CREATE FUNCTION pg_temp.log_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO fired VALUES (TG_ARGV[0], NEW.id, NEW.status, NEW.outcome);
	IF TG_WHEN = 'BEFORE' AND NEW.outcome = 'shout' THEN
		NEW.outcome := 'SHOUT';
	END IF;
	RETURN NEW;
END
$$;
CREATE TRIGGER regress_before BEFORE UPDATE OF status ON mycc.contact
	FOR EACH ROW EXECUTE FUNCTION pg_temp.log_row('before status');
CREATE TRIGGER regress_after AFTER UPDATE ON mycc.contact
	FOR EACH ROW EXECUTE FUNCTION pg_temp.log_row('after');
CREATE TRIGGER regress_queue BEFORE UPDATE OF queue_id ON mycc.contact
	FOR EACH ROW EXECUTE FUNCTION pg_temp.log_row('before queue_id');
CREATE FUNCTION pg_temp.log_agent() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO fired VALUES ('agent ' || NEW.id || ': ' || OLD.active_contacts || ' -> ' || NEW.active_contacts);
	RETURN NEW;
END
$$;
CREATE TRIGGER regress_agent AFTER UPDATE OF active_contacts ON mycc.agent
	FOR EACH ROW EXECUTE FUNCTION pg_temp.log_agent();
SELECT mycc.next_contact(2) AS vip_agent_takes;
SELECT mycc.finish(11, 'shout');
SELECT what, contact, status, outcome FROM fired ORDER BY what, status;
SELECT id, status, agent_id, outcome, assigned_at IS NOT NULL AS assigned, ended_at IS NOT NULL AS ended
FROM mycc.contact WHERE id = 11;
DROP TRIGGER regress_before ON mycc.contact;
DROP TRIGGER regress_after ON mycc.contact;
DROP TRIGGER regress_queue ON mycc.contact;
DROP TRIGGER regress_agent ON mycc.agent;
TRUNCATE fired;

-- Several claims and finishes in one statement each see the one before:
-- agent 3 takes all three (best first), then closes them.
SELECT pg_temp.reset();
SELECT mycc.next_contact(3) AS first, mycc.next_contact(3) AS second, mycc.next_contact(3) AS third,
	mycc.next_contact(3) AS none;
SELECT active_contacts FROM mycc.agent WHERE id = 3;
SELECT mycc.finish(11, 'a'), mycc.finish(12, 'b'), mycc.finish(13, 'c');
SELECT id, status, outcome FROM mycc.contact ORDER BY id;
SELECT active_contacts FROM mycc.agent WHERE id = 3;
-- ... and an agent added by the statement itself is found.
SELECT pg_temp.reset();
WITH a AS (INSERT INTO mycc.agent (id, name, skills, status) VALUES (4, 'new', '{}', 'available') RETURNING id)
SELECT mycc.next_contact(a.id) FROM a;
DELETE FROM mycc.agent WHERE id = 4;

-- Constraints hold: a check constraint the finish breaks fails it (23514),
-- and nothing is written: the agent keeps its contact.
SELECT pg_temp.reset();
ALTER TABLE mycc.contact ADD CONSTRAINT regress_polite CHECK (outcome IS DISTINCT FROM 'rude');
SELECT mycc.next_contact(1) AS general_agent_takes;
\set VERBOSITY terse
SELECT mycc.finish(13, 'rude');
\set VERBOSITY default
SELECT id, status, outcome FROM mycc.contact WHERE id = 13;
SELECT active_contacts FROM mycc.agent WHERE id = 1;
SELECT mycc.finish(13, 'polite');
ALTER TABLE mycc.contact DROP CONSTRAINT regress_polite;

-- A statement trigger: claims and finishes go through SQL (the trigger
-- fires once per UPDATE statement), with the same answers.
SELECT pg_temp.reset();
CREATE FUNCTION pg_temp.log_statement() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO fired VALUES (TG_TABLE_NAME || ' statement', NULL, NULL, NULL);
	RETURN NULL;
END
$$;
CREATE TRIGGER regress_statement AFTER UPDATE ON mycc.contact
	FOR EACH STATEMENT EXECUTE FUNCTION pg_temp.log_statement();
SELECT mycc.next_contact(3) AS first, mycc.next_contact(3) AS second;
SELECT mycc.finish(11, 'by sql');
SELECT what, count(*) FROM fired GROUP BY what;
SELECT id, status, agent_id, outcome FROM mycc.contact ORDER BY id;
DROP TRIGGER regress_statement ON mycc.contact;
TRUNCATE fired;

-- Row-level security: a team that sees only the general queue's contacts
-- is given only those, though the VIP contact is better.
SELECT pg_temp.reset();
CREATE ROLE regress_team_general;
GRANT mycc_agent TO regress_team_general;
ALTER TABLE mycc.contact ENABLE ROW LEVEL SECURITY;
CREATE POLICY regress_general ON mycc.contact TO regress_team_general USING (queue_id = 1);
SET ROLE regress_team_general;
SELECT mycc.next_contact(3) AS team_takes, mycc.next_contact(3) AS then, mycc.next_contact(3) AS none;
SELECT mycc.finish(12, 'seen');
SELECT mycc.finish(11, 'unseen');
RESET ROLE;
SELECT id, status, agent_id, outcome FROM mycc.contact ORDER BY id;
-- The owner is not subject to the policy: all three.
SELECT pg_temp.reset();
SELECT mycc.next_contact(3) AS first, mycc.next_contact(3) AS second, mycc.next_contact(3) AS third;
DROP POLICY regress_general ON mycc.contact;
ALTER TABLE mycc.contact DISABLE ROW LEVEL SECURITY;

-- Rights: a role with mycc_agent's rights but no UPDATE of outcome cannot
-- finish (the statement's error, 42501), and its claim works.
SELECT pg_temp.reset();
CREATE ROLE regress_no_outcome;
GRANT SELECT ON mycc.contact, mycc.agent, mycc.queue, mycc.customer, mycc.routing_rule TO regress_no_outcome;
GRANT UPDATE (status, agent_id, assigned_at, ended_at) ON mycc.contact TO regress_no_outcome;
GRANT UPDATE (active_contacts, last_assigned_at) ON mycc.agent TO regress_no_outcome;
GRANT SELECT, INSERT, UPDATE, DELETE ON mycc.contact_queue TO regress_no_outcome;
GRANT USAGE ON SCHEMA mycc TO regress_no_outcome;
GRANT EXECUTE ON FUNCTION mycc.next_contact(bigint), mycc.finish(bigint, text) TO regress_no_outcome;
SET ROLE regress_no_outcome;
SELECT mycc.next_contact(3) AS takes;
SELECT mycc.finish(11, 'no right');
RESET ROLE;
SELECT id, status, outcome FROM mycc.contact WHERE id = 11;
REVOKE ALL ON mycc.contact, mycc.agent, mycc.queue, mycc.customer, mycc.routing_rule, mycc.contact_queue FROM regress_no_outcome;
REVOKE ALL ON SCHEMA mycc FROM regress_no_outcome;
REVOKE ALL ON FUNCTION mycc.next_contact(bigint), mycc.finish(bigint, text) FROM regress_no_outcome;
DROP ROLE regress_no_outcome, regress_team_general;

-- A table changed under a session (an index renamed, a column added and
-- dropped): the statements are planned again and answer the same.
SELECT pg_temp.reset();
SELECT mycc.next_contact(3);
ALTER INDEX mycc.contact_id_idx RENAME TO regress_renamed_idx;
SELECT mycc.finish(11, 'without the index');
ALTER INDEX mycc.regress_renamed_idx RENAME TO contact_id_idx;
ALTER TABLE mycc.contact ADD COLUMN regress_note text;
SELECT mycc.next_contact(3), mycc.finish(13, 'with a new column');
ALTER TABLE mycc.contact DROP COLUMN regress_note;
SELECT mycc.next_contact(3), mycc.finish(12, 'after the drop');
SELECT id, status, agent_id, outcome FROM mycc.contact ORDER BY id;
SELECT active_contacts FROM mycc.agent WHERE id = 3;

-- finish ends the contact now (the transaction's start), as the statement did.
SELECT pg_temp.reset();
BEGIN;
SELECT mycc.next_contact(3) AS taken;
SELECT mycc.finish(11, 'now');
SELECT ended_at = now() AS ended_now, assigned_at = now() AS assigned_now FROM mycc.contact WHERE id = 11;
COMMIT;

-- A read-only transaction may not claim or finish (25006), as the SQL
-- (FOR UPDATE, UPDATE) may not; the functions say so before running it.
SELECT pg_temp.reset();
SELECT mycc.next_contact(3) AS taken;
BEGIN READ ONLY;
SELECT mycc.next_contact(3);
ROLLBACK;
BEGIN READ ONLY;
SELECT mycc.finish(11, 'read only');
ROLLBACK;
SELECT id, status, outcome FROM mycc.contact WHERE id = 11;

-- A BEFORE trigger that skips the close: finish reports it (40001) and
-- frees no place, as the UPDATE's 0 rows did.
CREATE FUNCTION pg_temp.skip_close() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RETURN CASE WHEN NEW.status = 'finished' THEN NULL ELSE NEW END;
END
$$;
CREATE TRIGGER regress_skip BEFORE UPDATE ON mycc.contact FOR EACH ROW EXECUTE FUNCTION pg_temp.skip_close();
SELECT mycc.finish(11, 'skipped');
DROP TRIGGER regress_skip ON mycc.contact;
SELECT id, status, outcome FROM mycc.contact WHERE id = 11;
SELECT active_contacts FROM mycc.agent WHERE id = 3;

-- A rewrite rule on UPDATE applies: finishes and claims go through SQL
-- and the rule logs them (a claim gives the contact in an UPDATE of its
-- own, which a DO ALSO rule may follow; until 0.3.0 it was part of a WITH,
-- and with such a rule claims failed).
SELECT pg_temp.reset();
SELECT mycc.next_contact(3) AS taken;
CREATE TABLE regress_audit (contact bigint, status mycc.contact_status);
CREATE RULE regress_audit AS ON UPDATE TO mycc.contact DO ALSO INSERT INTO regress_audit VALUES (NEW.id, NEW.status);
SELECT mycc.finish(11, 'audited');
SELECT contact, status FROM regress_audit ORDER BY status;
SELECT mycc.next_contact(3);
SELECT contact, status FROM regress_audit ORDER BY status;
DROP RULE regress_audit ON mycc.contact;
DROP TABLE regress_audit;

-- A column that became nullable: an agent without skills covers no queue.
SELECT pg_temp.reset();
ALTER TABLE mycc.agent ALTER COLUMN skills DROP NOT NULL;
UPDATE mycc.agent SET skills = NULL WHERE id = 3;
SELECT mycc.next_contact(3) AS no_skills;
UPDATE mycc.agent SET skills = '{vip_care}' WHERE id = 3;
ALTER TABLE mycc.agent ALTER COLUMN skills SET NOT NULL;


-- Errors caught in a subtransaction undo only what it did: a finish a
-- check constraint stops; a claim undone is given again.
SELECT pg_temp.reset();
ALTER TABLE mycc.contact ADD CONSTRAINT regress_polite CHECK (outcome IS DISTINCT FROM 'rude');
DO $$
DECLARE
	k bigint := mycc.next_contact(3);
BEGIN
	BEGIN
		PERFORM mycc.finish(k, 'rude');
	EXCEPTION WHEN check_violation THEN
		RAISE NOTICE 'finish of % stopped: %', k, SQLERRM;
	END;
	PERFORM mycc.finish(k, 'polite');
	BEGIN
		RAISE NOTICE 'agent 3 takes %', mycc.next_contact(3);
		RAISE EXCEPTION 'changed my mind';
	EXCEPTION WHEN raise_exception THEN
		RAISE NOTICE 'claim undone: %', SQLERRM;
	END;
	RAISE NOTICE 'then agent 3 takes %', mycc.next_contact(3);
END
$$;
ALTER TABLE mycc.contact DROP CONSTRAINT regress_polite;
SELECT id, status, outcome FROM mycc.contact ORDER BY id;
SELECT active_contacts FROM mycc.agent WHERE id = 3;

-- The agent's triggers on a finish: as between the two statements of the
-- SQL, its AFTER trigger sees the contact still assigned, and a BEFORE
-- trigger that changes the contact leaves it to be closed as changed.
SELECT pg_temp.reset();
SELECT mycc.next_contact(3) AS taken;
CREATE FUNCTION pg_temp.agent_sees() RETURNS trigger LANGUAGE plpgsql SET search_path = public, mycc AS $$
BEGIN
	IF TG_WHEN = 'BEFORE' THEN
		UPDATE mycc.contact SET tags = tags || 'seen_by_agent_trigger'::text
		WHERE agent_id = NEW.id AND status = 'assigned';
	ELSE
		INSERT INTO fired SELECT 'agent after', id, status, outcome FROM mycc.contact WHERE agent_id = NEW.id;
	END IF;
	RETURN NEW;
END
$$;
CREATE TRIGGER regress_agent_before BEFORE UPDATE ON mycc.agent FOR EACH ROW EXECUTE FUNCTION pg_temp.agent_sees();
CREATE TRIGGER regress_agent_after AFTER UPDATE ON mycc.agent FOR EACH ROW EXECUTE FUNCTION pg_temp.agent_sees();
TRUNCATE fired;
SELECT mycc.finish(11, 'closed');
SELECT what, contact, status, outcome FROM fired;
SELECT id, status, outcome, tags FROM mycc.contact WHERE id = 11;
DROP TRIGGER regress_agent_before ON mycc.agent;
DROP TRIGGER regress_agent_after ON mycc.agent;
-- Foreign keys: mycc's own (customer.account_manager) fires on no update
-- of active_contacts, so a finish reads the contact once; one on
-- active_contacts (legal, if odd) counts as the agent's trigger, and the
-- finish's update cascades to the referencing row.
ALTER TABLE mycc.agent ADD CONSTRAINT regress_agent_load UNIQUE (id, active_contacts);
CREATE TABLE regress_board (agent_id bigint, load integer,
	FOREIGN KEY (agent_id, load) REFERENCES mycc.agent (id, active_contacts) ON UPDATE CASCADE);
SELECT pg_temp.reset();
SELECT mycc.next_contact(3) AS taken;
INSERT INTO regress_board SELECT id, active_contacts FROM mycc.agent WHERE id = 3;
SELECT mycc.finish(11, 'closed with a board');
SELECT b.load, a.active_contacts, k.status FROM regress_board AS b JOIN mycc.agent AS a ON a.id = b.agent_id,
	mycc.contact AS k WHERE k.id = 11;
DROP TABLE regress_board;
ALTER TABLE mycc.agent DROP CONSTRAINT regress_agent_load;

-- A contact id that contacts of two customers have (ids are unique with
-- the customer id; one given by hand may repeat another) names no contact:
-- finish, enqueue and abandon refuse it (21000) rather than take one
-- of them by chance.
SELECT pg_temp.reset();
SELECT mycc.next_contact(3) AS taken;
INSERT INTO mycc.contact (customer_id, id, channel) VALUES (2, 11, 'sms');
\set VERBOSITY sqlstate
SELECT mycc.finish(11, 'which one?');
\set VERBOSITY default
SELECT mycc.enqueue(11);
SELECT mycc.abandon(11);
DELETE FROM mycc.contact WHERE customer_id = 2 AND id = 11;
SELECT mycc.finish(11, 'this one');
SELECT id, status, outcome FROM mycc.contact WHERE id = 11;

-- A contact in its hold (all arrive now) waits for its account manager
-- (agent 2 manages Wang Fang); once the customer's row is gone (contacts have no foreign
-- key) it is held for no one and given.  Past the hold the customer is not
-- read.  The same with a statement trigger on mycc.contact.
SET mycc.account_manager_hold = '1h';
UPDATE mycc.customer SET account_manager = 2 WHERE id = 1;
CREATE FUNCTION pg_temp.hold_round(via_sql boolean) RETURNS TABLE (held bigint, gone bigint, past bigint)
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_temp.reset();
	UPDATE mycc.contact SET enqueued_at = now();
	IF via_sql THEN
		CREATE TRIGGER regress_statement AFTER UPDATE ON mycc.contact
			FOR EACH STATEMENT EXECUTE FUNCTION pg_temp.log_statement();
	END IF;
	-- Agent 3 takes the two others, not Wang Fang's.
	PERFORM mycc.next_contact(3), mycc.next_contact(3);
	held := mycc.next_contact(3);
	DELETE FROM mycc.customer WHERE id = 1;
	gone := mycc.next_contact(3);
	-- Past the hold, with no customer rows at all.
	PERFORM pg_temp.reset();
	DELETE FROM mycc.customer;
	SET LOCAL mycc.account_manager_hold = 0;
	past := mycc.next_contact(3);
	IF via_sql THEN
		DROP TRIGGER regress_statement ON mycc.contact;
	END IF;
	RAISE EXCEPTION USING ERRCODE = 'P0004';	-- undoes the round: customers back
EXCEPTION WHEN assert_failure THEN
	RETURN NEXT;
END
$$;
SELECT 'plain' AS way, * FROM pg_temp.hold_round(false)
UNION ALL SELECT 'statement trigger', * FROM pg_temp.hold_round(true);
SELECT count(*) AS customers FROM mycc.customer;
RESET mycc.account_manager_hold;

-- The tables every claim and finish updates (mycc.agent, mycc.contact) and
-- deletes from (mycc.contact_queue) have no BEFORE row trigger of mycc's
-- for UPDATE or DELETE: one, even with a column list the claim leaves out,
-- makes each update fetch and lock the row first (one more WAL record).
-- Renumbering an agent that customers name is refused all the same (the
-- references test), after the row is written.
SELECT t.tgrelid::regclass AS "table", t.tgname AS before_row_trigger
FROM pg_trigger AS t
WHERE t.tgrelid IN ('mycc.agent'::regclass, 'mycc.contact'::regclass, 'mycc.contact_queue'::regclass)
	AND NOT t.tgisinternal AND t.tgname NOT LIKE 'regress%'
	AND t.tgtype::integer & 1 <> 0 AND t.tgtype::integer & 2 <> 0 AND t.tgtype::integer & (8 | 16) <> 0;

TRUNCATE mycc.customer, mycc.contact, mycc.agent, mycc.queue, mycc.routing_rule, mycc.routing_decision RESTART IDENTITY;
