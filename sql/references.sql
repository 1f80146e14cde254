-- References between mycc's tables are kept by triggers (reference_check,
-- reference_release) with the rules of the foreign keys they replaced:
-- pg_restore -j loads tables' data in parallel whatever their foreign keys
-- (dump_restore shows such restores).  Here: each rule and its error.
SET client_min_messages = warning;
INSERT INTO mycc.queue (id, name, required_skills, target_answer, is_default)
VALUES (71, 'ref general', '{}', '5 minutes', false), (72, 'ref vip', '{}', '1 minute', false);
INSERT INTO mycc.agent (id, name, capacity, status) VALUES (71, 'Ref Sun', 1, 'available'), (72, 'Ref Zhou', 1, 'available');
INSERT INTO mycc.customer (id, name) VALUES (710001, 'ref one'), (710002, 'ref two');

-- customer.account_manager -> agent: must exist; deleting the agent clears it.
UPDATE mycc.customer SET account_manager = 71 WHERE id = 710001;
UPDATE mycc.customer SET account_manager = 79 WHERE id = 710002;
INSERT INTO mycc.customer (id, name, account_manager) VALUES (710003, 'ref three', 79);
UPDATE mycc.agent SET id = 73 WHERE id = 71;
DELETE FROM mycc.agent WHERE id = 71;
SELECT id, account_manager FROM mycc.customer WHERE id IN (710001, 710002) ORDER BY id;
UPDATE mycc.agent SET id = 73 WHERE id = 72;

-- routing_rule.queue_id -> queue: must exist; a queue with rules stays.
INSERT INTO mycc.routing_rule (id, priority, condition, queue_id) VALUES (71, 1, 'ref_vip', 72);
INSERT INTO mycc.routing_rule (id, priority, condition, queue_id) VALUES (72, 1, 'ref_vip', 79);
UPDATE mycc.routing_rule SET queue_id = 79 WHERE id = 71;
DELETE FROM mycc.queue WHERE id = 72;
UPDATE mycc.queue SET id = 74 WHERE id = 72;
DELETE FROM mycc.queue WHERE id = 71;
DELETE FROM mycc.routing_rule WHERE id = 71;
DELETE FROM mycc.queue WHERE id = 72;

-- While restoring (check_function_bodies = off, as pg_dump's scripts set
-- it) the referencing side is not checked: rows come in any order.
SELECT mycc.restoring() AS restoring;
BEGIN;
SET LOCAL check_function_bodies = off;
SELECT mycc.restoring() AS restoring;
INSERT INTO mycc.routing_rule (id, priority, condition, queue_id) VALUES (73, 1, 'ref_vip', 75);
INSERT INTO mycc.queue (id, name, required_skills, target_answer, is_default) VALUES (75, 'ref later', '{}', '5 minutes', false);
ROLLBACK;

-- Cleanup.
DELETE FROM mycc.customer WHERE id BETWEEN 710001 AND 710003;
DELETE FROM mycc.agent WHERE id IN (72, 73);
