-- Routing (design.md section 5): queues, agents and rules; route() with
-- priorities, the id tie-break, disabled rules and the default queue; the
-- rule cache following changes; contact facts; enqueue, next_contact and
-- finish with every error path; effective priority (aging) worked
-- examples; account managers first within the hold; skills and capacity;
-- assign_account_managers; re-routing when a customer changes; the
-- decision log and route_replay; the queue_service_level view.
SET search_path = public, mycc;
SET TimeZone = 'UTC';
\set SHOW_CONTEXT never
TRUNCATE mycc.customer, mycc.identity, mycc.contact, mycc.customer_merge, mycc.identity_conflict,
	mycc.agent, mycc.queue, mycc.routing_rule, mycc.routing_decision RESTART IDENTITY;

-- An error's SQLSTATE and message, as one row (the error paths below are
-- also shown in full, with their detail and hint).
CREATE FUNCTION pg_temp.sqlstate_of(statement text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE statement;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE || ': ' || SQLERRM;
END
$$;

-- Queues: general is the default; each other queue needs a skill.
INSERT INTO mycc.queue (name, required_skills, service_mode, target_answer, aging_weight, is_default) VALUES
	('general', '{}', 'instant', '5 minutes', 10, true),
	('vip', '{vip_care}', 'dedicated', '1 minute', 10, false),
	('refund', '{refunds}', 'instant', '5 minutes', 10, false),
	('chinese', '{lang:zh}', 'instant', '10 minutes', 10, false),
	('self_service', '{}', 'self_service', '24 hours', 0, false);
SELECT id, name, required_skills, service_mode, target_answer, aging_weight, is_default FROM mycc.queue ORDER BY id;
-- Constraints: one default queue, a positive target, a finite weight.
INSERT INTO mycc.queue (name, is_default) VALUES ('second default', true);
INSERT INTO mycc.queue (name, target_answer) VALUES ('instant', '0 seconds');
INSERT INTO mycc.queue (name, aging_weight) VALUES ('runaway', 'Infinity');
INSERT INTO mycc.queue (name, aging_weight) VALUES ('backwards', -1);

-- Rules: rules 2 and 3 tie on priority (the lower id wins); rule 5 is disabled.
INSERT INTO mycc.routing_rule (priority, condition, queue_id, note) VALUES
	(100, 'tier:high', 2, 'high tier to the VIP desk'),
	(50, 'topic:refund & channel:wechat', 3, 'WeChat refunds'),
	(50, 'channel:wechat', 4, 'WeChat in Chinese'),
	(10, 'tier:free & !complainer', 5, 'free users to self service'),
	(200, 'vip', 2, 'retired: vip tag');
UPDATE mycc.routing_rule SET enabled = false WHERE id = 5;
INSERT INTO mycc.routing_rule (condition, queue_id) VALUES ('vip', 99);
INSERT INTO mycc.routing_rule (condition, queue_id) VALUES ('vip &', 1);
SELECT id, priority, condition, queue_id, enabled, note FROM mycc.routing_rule ORDER BY id;

-- route(): highest priority, then lowest id; disabled rules never apply;
-- the default queue (rule NULL) when nothing matches.
SELECT f.facts, r.queue, r.rule
FROM (VALUES (1, '{tier:high, channel:phone}'::tagset),
	(2, '{tier:mid, channel:wechat, topic:refund}'),
	(3, '{tier:mid, channel:wechat}'),
	(4, '{tier:high, channel:wechat, topic:refund}'),
	(5, '{tier:free, channel:web}'),
	(6, '{tier:free, channel:web, complainer}'),
	(7, '{vip, tier:mid}'),
	(8, '{}')) AS f(n, facts),
	LATERAL mycc.route(f.facts) AS r
ORDER BY f.n;
SELECT queue IS NULL AND rule IS NULL AS strict_null FROM mycc.route(NULL);

-- The rule cache follows INSERT, UPDATE and DELETE in the same session,
-- inside a transaction and after a rollback, and the default queue.
SELECT * FROM mycc.route('{vip, tier:mid}');
UPDATE mycc.routing_rule SET enabled = true WHERE id = 5;
SELECT * FROM mycc.route('{vip, tier:mid}');
UPDATE mycc.routing_rule SET priority = 0 WHERE id = 5;
SELECT * FROM mycc.route('{vip, tier:high}');
INSERT INTO mycc.routing_rule (priority, condition, queue_id) VALUES (1000, 'tier:high & vip', 4) RETURNING id;
SELECT * FROM mycc.route('{vip, tier:high}');
DELETE FROM mycc.routing_rule WHERE priority = 1000;
SELECT * FROM mycc.route('{vip, tier:high}');
BEGIN;
UPDATE mycc.routing_rule SET priority = 1000 WHERE id = 4;
SELECT * FROM mycc.route('{tier:free, tier:high}');
ROLLBACK;
SELECT * FROM mycc.route('{tier:free, tier:high}');
UPDATE mycc.routing_rule SET enabled = false, priority = 200 WHERE id = 5;
UPDATE mycc.queue SET is_default = false;
SELECT queue IS NULL AND rule IS NULL AS no_default FROM mycc.route('{}');
UPDATE mycc.queue SET is_default = true WHERE name = 'general';
SELECT * FROM mycc.route('{}');
-- In a parallel worker (a cache of its own, read with the query's snapshot).
SET force_parallel_mode = on;
SELECT * FROM mycc.route('{tier:high}');
SELECT f.n, r.queue, r.rule FROM generate_series(1, 3) AS f(n), mycc.route('{channel:wechat}') AS r ORDER BY f.n;
RESET force_parallel_mode;

-- Agents.  Alice and Eve are account managers.
INSERT INTO mycc.agent (name, skills, capacity, status) VALUES
	('Alice', '{vip_care, account_manager, refunds, lang:zh}', 2, 'available'),
	('Bob', '{refunds}', 1, 'available'),
	('Chen', '{lang:zh}', 1, 'available'),
	('Dan', '{}', 1, 'offline'),
	('Eve', '{account_manager}', 1, 'available');
INSERT INTO mycc.agent (name, capacity) VALUES ('nobody', -1);
SELECT id, name, skills, capacity, status, active_contacts, last_assigned_at FROM mycc.agent ORDER BY id;

-- Customers: Ada (high, vip, managed by Eve), Bo (mid, literary), Cy
-- (free), Di (low complainer); Ed (free) is merged into Bo.
INSERT INTO mycc.customer (name, tier, tags, lifetime_value, account_manager, created_at) VALUES
	('Ada', 'high', '{vip}', 5000, 5, '2026-01-01'),
	('Bo', 'mid', '{literary}', 300, NULL, '2026-01-02'),
	('Cy', 'free', '{}', 0, NULL, '2026-01-03'),
	('Di', 'low', '{complainer}', 10, NULL, '2026-01-04'),
	('Ed', 'free', '{ed_only}', 0, NULL, '2026-01-05');
INSERT INTO mycc.identity (kind, value, customer_id) VALUES ('email', 'bo@example.com', 2), ('email', 'ed@example.com', 5);
SELECT mycc.link('email', 'ed@example.com', 'email', 'bo@example.com', 'test') AS survivor;
SELECT id, name, tier, tags, merged_into FROM mycc.customer ORDER BY id;

-- Contacts.
INSERT INTO mycc.contact (customer_id, channel, topic, tags, started_at) VALUES
	(1, 'phone', NULL, '{lang:en}', '2026-11-30 08:00+00'),
	(2, 'wechat', 'refund', '{}', '2026-11-30 08:01+00'),
	(3, 'web', NULL, '{}', '2026-11-30 08:02+00'),
	(4, 'phone', 'billing', '{}', '2026-11-30 08:03+00'),
	(3, 'wechat', NULL, '{}', '2026-11-30 08:04+00'),
	(5, 'wechat', 'refund', '{lang:zh}', '2026-11-30 08:05+00');

-- contact_facts: customer tags, tier:, channel:, topic:, the contact's
-- tags; a merged customer's contact answers as its survivor (Bo), not
-- with its own tier and tags.
SELECT k.customer_id, k.id, mycc.contact_facts(k.customer_id, k.id) AS facts
FROM mycc.contact AS k ORDER BY k.id;
SELECT mycc.contact_facts(1, 999) IS NULL AS unknown_contact, mycc.contact_facts(2, 1) IS NULL AS wrong_customer;

-- enqueue: queue, the tier's base priority, the enqueued time, queued.
SELECT k.id, mycc.enqueue(k.id) AS queue FROM mycc.contact AS k ORDER BY k.id;
SELECT id, customer_id, status, queue_id, priority, enqueued_at IS NOT NULL AS enqueued, agent_id FROM mycc.contact ORDER BY id;
-- Every decision is logged: the facts, the rule (NULL: the default queue).
SELECT contact_id, customer_id, facts, rule_id, queue_id, priority, reason FROM mycc.routing_decision ORDER BY id;

-- Error paths: enqueue twice, an unknown contact, no rule and no default
-- queue (nothing is changed or logged), a contact of an unknown customer.
SELECT mycc.enqueue(1);
SELECT mycc.enqueue(999);
SELECT mycc.enqueue(NULL) IS NULL AS strict_null;
INSERT INTO mycc.contact (customer_id, channel, topic) VALUES (4, 'email', 'billing');
UPDATE mycc.queue SET is_default = false;
SELECT mycc.enqueue(7);
SELECT status, queue_id, (SELECT count(*) FROM mycc.routing_decision WHERE contact_id = 7) AS decisions FROM mycc.contact WHERE id = 7;
INSERT INTO mycc.contact (customer_id, channel) VALUES (404, 'sms');
SELECT mycc.enqueue(8);
SELECT (pg_temp.sqlstate_of('SELECT mycc.enqueue(1)')),
	(pg_temp.sqlstate_of('SELECT mycc.enqueue(999)')),
	(pg_temp.sqlstate_of('SELECT mycc.enqueue(8)')),
	(pg_temp.sqlstate_of('SELECT mycc.enqueue(7)')),
	(pg_temp.sqlstate_of('SELECT mycc.lock_contact(999)'));
UPDATE mycc.queue SET is_default = true WHERE name = 'general';
DELETE FROM mycc.contact WHERE id IN (7, 8);
SELECT (mycc.lock_contact(3)).status AS locked_status;

-- Effective priority = base + waited / target_answer * aging_weight.
-- Worked examples at a fixed time: a free contact (base 0) in a queue with
-- a 5 minute target and weight 10 against a fresh mid contact (base 50).
SELECT waited, mycc.effective_priority(0, '2026-11-30 09:00+00'::timestamptz - waited, '5 minutes', 10, '2026-11-30 09:00+00') AS free,
	mycc.effective_priority(50, '2026-11-30 09:00+00', '5 minutes', 10, '2026-11-30 09:00+00') AS fresh_mid,
	mycc.effective_priority(0, '2026-11-30 09:00+00'::timestamptz - waited, '5 minutes', 10, '2026-11-30 09:00+00')
		> mycc.effective_priority(50, '2026-11-30 09:00+00', '5 minutes', 10, '2026-11-30 09:00+00') AS free_first
FROM unnest('{0, 1 minute, 5 minutes, 24 minutes 59 seconds, 25 minutes, 25 minutes 1 second, 30 minutes}'::interval[]) AS waited
ORDER BY waited;
-- Never starved: whatever the fresh competition, a long enough wait wins;
-- with a zero weight there is no aging; a contact of the future (clock
-- skew) does not go below its base; no enqueued time or base: no aging, 0.
SELECT mycc.effective_priority(0, '2026-11-30 00:00+00', '4 hours', 10, '2026-11-30 18:00+00') AS free_18h_low_queue,
	mycc.effective_priority(0, '2026-11-30 00:00+00', '4 hours', 10, '2026-12-30 00:00+00')
		> mycc.effective_priority(1000000, '2026-12-30 00:00+00', '1 minute', 10, '2026-12-30 00:00+00') AS month_beats_a_million,
	mycc.effective_priority(0, '2020-01-01 00:00+00', '4 hours', 10, '2026-12-30 00:00+00')
		> mycc.effective_priority(100, '2026-12-30 00:00+00', '1 minute', 10, '2026-12-30 00:00+00') AS years_beat_high,
	mycc.effective_priority(20, '2026-11-30 00:00+00', '5 minutes', 0, '2026-12-30 00:00+00') AS no_weight,
	mycc.effective_priority(20, '2026-11-30 10:00+00', '5 minutes', 10, '2026-11-30 09:00+00') AS future,
	mycc.effective_priority(20, NULL, '5 minutes', 10, '2026-11-30 09:00+00') AS not_enqueued,
	mycc.effective_priority(NULL, '2026-11-30 08:55+00', '5 minutes', 10, '2026-11-30 09:00+00') AS no_base;
-- At any rate d > 0 of aging a waiting contact overtakes every fresh one:
-- base b waited w beats fresh base B once w > (B - b) / d.
SELECT bool_and(mycc.effective_priority(b, '2026-11-30 00:00+00'::timestamptz, '5 minutes', 10,
		'2026-11-30 00:00+00'::timestamptz + ((big - b) / 10.0 + 1) * interval '5 minutes')
	> mycc.effective_priority(big, '2026-11-30 00:00+00', '5 minutes', 10, '2026-11-30 00:00+00')) AS never_starved
FROM generate_series(0, 100, 10) AS b, generate_series(0, 1000, 50) AS big;
SELECT mycc.effective_priority(0, now() - interval '10 minutes', '5 minutes', 10) BETWEEN 20 AND 21 AS default_at_now;

-- next_contact.  Queued: 1 Ada (vip, 100, Eve's customer), 2 Bo (refund,
-- 50), 3 Cy (self_service, 0, no aging), 4 Di (general, 20), 5 Cy
-- (chinese, 0), 6 Ed as Bo (refund, 50).  Backdated: 6 has waited 10
-- minutes (50 + 20), 2 one minute (50 + 2), 5 one minute (0 + 1).
UPDATE mycc.contact SET enqueued_at = now() - interval '10 minutes' WHERE id = 6;
UPDATE mycc.contact SET enqueued_at = now() - interval '1 minute' WHERE id IN (2, 5);
-- Errors: unknown agent, an agent not available.
SELECT mycc.next_contact(999);
SELECT mycc.next_contact(4);
SELECT mycc.next_contact(NULL) IS NULL AS strict_null;
SELECT (pg_temp.sqlstate_of('SELECT mycc.next_contact(999)')), (pg_temp.sqlstate_of('SELECT mycc.next_contact(4)'));
-- Bob (refunds): contact 6 (aged) before 2; then he is at capacity.
SELECT mycc.next_contact(2) AS bob;
SELECT mycc.next_contact(2) AS bob_at_capacity;
-- Chen (lang:zh): Di's general contact (20) before the chinese queue's
-- (1); never refunds or vip.
SELECT mycc.next_contact(3) AS chen;
-- Alice may not take Ada's contact within Eve's hold: the refund (2, 52),
-- then the chinese queue's 5 (1) before self service (3, 0); then she is
-- at capacity.
SELECT mycc.next_contact(1) AS alice;
SELECT mycc.next_contact(1) AS alice;
SELECT mycc.next_contact(1) AS alice_at_capacity;
-- Eve has no vip_care skill but takes her own customer's contact.
SELECT mycc.next_contact(5) AS eve;
SELECT id, status, agent_id, assigned_at IS NOT NULL AS assigned FROM mycc.contact ORDER BY id;
SELECT id, name, active_contacts, last_assigned_at IS NOT NULL AS has_assigned FROM mycc.agent ORDER BY id;

-- finish frees capacity; errors: finished, queued, unknown, NULL.
SELECT mycc.finish(6, 'resolved');
SELECT status, outcome, ended_at >= started_at AS ended FROM mycc.contact WHERE id = 6;
SELECT active_contacts FROM mycc.agent WHERE id = 2;
SELECT mycc.finish(6, 'again');
SELECT mycc.finish(3, 'resolved');
SELECT mycc.finish(999, 'resolved');
SELECT mycc.finish(NULL, 'resolved');
SELECT (pg_temp.sqlstate_of($$SELECT mycc.finish(6, 'again')$$)), (pg_temp.sqlstate_of($$SELECT mycc.finish(3, 'x')$$)),
	(pg_temp.sqlstate_of($$SELECT mycc.finish(999, 'x')$$)), (pg_temp.sqlstate_of($$SELECT mycc.finish(NULL, 'x')$$));
-- A NULL outcome is allowed; the agent can take work again.
SELECT mycc.finish(2, NULL);
SELECT mycc.next_contact(1) AS alice_again;
SELECT mycc.next_contact(2) AS bob_nothing_for_him;
-- Capacity 0 and status changes.
UPDATE mycc.agent SET capacity = 0 WHERE id = 3;
SELECT mycc.finish(5, 'resolved');
SELECT mycc.next_contact(3) AS chen_zero_capacity;
UPDATE mycc.agent SET status = 'away' WHERE id = 2;
SELECT mycc.next_contact(2);
UPDATE mycc.agent SET status = 'busy' WHERE id = 2;
SELECT mycc.next_contact(2);
UPDATE mycc.agent SET status = 'available' WHERE id = 2;
SELECT id, name, capacity, active_contacts FROM mycc.agent ORDER BY id;
SELECT id, status, agent_id, outcome FROM mycc.contact ORDER BY id;

-- The account manager first: a new contact of Ada waits for Eve within
-- the hold, even against an aged contact Eve could take; Eve takes it
-- first.  After the hold (backdated, or a zero hold) anyone skilled may.
SELECT mycc.finish(1, 'resolved');
SELECT mycc.finish(3, 'resolved');
SELECT mycc.finish(4, 'resolved');
SELECT mycc.account_manager_hold();
INSERT INTO mycc.contact (customer_id, channel) VALUES (1, 'phone'), (4, 'phone');
SELECT mycc.enqueue(9) AS ada_vip, mycc.enqueue(10) AS di_general;
UPDATE mycc.contact SET enqueued_at = now() - interval '1 day' WHERE id = 10;
SELECT mycc.next_contact(5) AS eve_own_first;
SELECT mycc.finish(9, 'resolved');
SELECT mycc.next_contact(5) AS eve_then_general;
SELECT mycc.finish(10, 'resolved');
INSERT INTO mycc.contact (customer_id, channel) VALUES (1, 'phone');
SELECT mycc.enqueue(11);
SELECT mycc.next_contact(1) AS alice_within_hold;
UPDATE mycc.contact SET enqueued_at = now() - interval '3 minutes' WHERE id = 11;
SELECT mycc.next_contact(1) AS alice_after_hold;
SELECT mycc.finish(11, 'resolved');
INSERT INTO mycc.contact (customer_id, channel) VALUES (1, 'phone');
SELECT mycc.enqueue(12);
SELECT mycc.next_contact(1) AS alice_within_hold;
SET mycc.account_manager_hold = 0;
SELECT mycc.account_manager_hold();
SELECT mycc.next_contact(1) AS alice_zero_hold;
RESET mycc.account_manager_hold;
SET mycc.account_manager_hold = '5min';
SELECT mycc.account_manager_hold();
RESET mycc.account_manager_hold;
SET mycc.account_manager_hold = -1;
SELECT mycc.finish(12, 'resolved');
-- A merged customer's manager is its survivor's: Bo's manager takes Ed's contact.
UPDATE mycc.customer SET account_manager = 5 WHERE id = 2;
UPDATE mycc.customer SET account_manager = 3 WHERE id = 5;
INSERT INTO mycc.contact (customer_id, channel) VALUES (5, 'phone');
SELECT mycc.enqueue(13);
SELECT mycc.next_contact(1) AS alice_within_hold;
SELECT mycc.next_contact(5) AS eve_for_survivor;
SELECT mycc.finish(13, 'resolved');
UPDATE mycc.customer SET account_manager = NULL WHERE id IN (2, 5);
SELECT id, name, active_contacts FROM mycc.agent ORDER BY id;

-- Contacts written by hand (rolled back; explicit ids keep the sequence):
-- an assigned contact with no agent is finished and frees nobody; a queued
-- contact with no enqueued time, or an infinite one, does not age (as
-- effective_priority), and waits behind a contact of higher priority in
-- another queue.
BEGIN;
INSERT INTO mycc.contact (customer_id, id, channel, status) VALUES (4, 900001, 'phone', 'assigned');
SELECT mycc.finish(900001, 'by hand');
SELECT status, outcome, agent_id FROM mycc.contact WHERE id = 900001;
SELECT sum(active_contacts) AS places_taken FROM mycc.agent;
INSERT INTO mycc.contact (customer_id, id, channel, status, queue_id, priority, enqueued_at) VALUES
	(4, 900002, 'phone', 'queued', 3, 30, now()),
	(4, 900003, 'phone', 'queued', 1, 0, NULL);
SELECT k.id, mycc.effective_priority(k.priority, k.enqueued_at, q.target_answer, q.aging_weight) AS effective
FROM mycc.contact AS k JOIN mycc.queue AS q ON q.id = k.queue_id WHERE k.id > 900001 ORDER BY k.id;
UPDATE mycc.agent SET active_contacts = 0 WHERE id = 2;
SELECT mycc.next_contact(2) AS bob_takes_30;
UPDATE mycc.contact SET enqueued_at = '-infinity' WHERE id = 900003;
UPDATE mycc.agent SET active_contacts = 0 WHERE id = 2;
UPDATE mycc.contact SET status = 'queued', agent_id = NULL WHERE id = 900002;
SELECT mycc.next_contact(2) AS bob_takes_30_again;
ROLLBACK;

-- Re-routing: a waiting contact follows its customer's tier and tags in
-- the same statement; assigned and finished ones do not move; an update
-- that changes neither queue nor priority logs nothing.
TRUNCATE mycc.routing_decision;
INSERT INTO mycc.contact (customer_id, channel) VALUES (3, 'web'), (3, 'web'), (5, 'phone'), (4, 'phone'), (5, 'phone');
SELECT mycc.enqueue(id) FROM mycc.contact WHERE id >= 14 ORDER BY id;
SELECT mycc.next_contact(3) IS NULL AS chen_has_no_capacity;
UPDATE mycc.agent SET capacity = 1 WHERE id = 3;
SELECT mycc.next_contact(2) AS bob;
SELECT id, customer_id, status, queue_id, priority FROM mycc.contact WHERE id >= 14 ORDER BY id;
-- Cy becomes high: her waiting contacts go to the vip queue at 100; Bo
-- becomes high: Ed's waiting contact 18 follows, 16 (Bob's) stays.  (Two
-- statements: one UPDATE of both rows would log them in heap order.)
UPDATE mycc.customer SET tier = 'high' WHERE id = 3;
UPDATE mycc.customer SET tier = 'high' WHERE id = 2;
SELECT id, customer_id, status, queue_id, priority FROM mycc.contact WHERE id >= 14 ORDER BY id;
-- Di loses the complainer tag and becomes free: self service.
UPDATE mycc.customer SET tags = '{}', tier = 'free' WHERE id = 4;
-- No change in route or priority: nothing logged.
UPDATE mycc.customer SET tags = tags || '{gold_card}'::tagset WHERE id = 3;
UPDATE mycc.customer SET tier = 'high', name = 'Cy Y' WHERE id = 3;
-- Tags only of a merged customer: its facts are its survivor's; nothing.
UPDATE mycc.customer SET tags = '{vip}' WHERE id = 5;
SELECT contact_id, customer_id, facts, rule_id, queue_id, priority, reason FROM mycc.routing_decision ORDER BY id;
SELECT id, customer_id, status, queue_id, priority FROM mycc.contact WHERE id >= 14 ORDER BY id;
-- Rolled back with the customer change.
BEGIN;
UPDATE mycc.customer SET tier = 'free' WHERE id = 3;
SELECT queue_id, priority FROM mycc.contact WHERE id = 15;
ROLLBACK;
SELECT queue_id, priority, (SELECT count(*) FROM mycc.routing_decision) AS decisions FROM mycc.contact WHERE id = 15;

-- A merge re-routes: Fi (free) waits in self service; merged into Ada
-- (high) she is routed as Ada, to the vip queue at 100; unmerged, back.
INSERT INTO mycc.customer (name, tier, created_at) VALUES ('Fi', 'free', '2026-02-01') RETURNING id;
INSERT INTO mycc.identity (kind, value, customer_id) VALUES ('email', 'ada@example.com', 1), ('email', 'fi@example.com', 6);
INSERT INTO mycc.contact (customer_id, channel) VALUES (6, 'web') RETURNING id;
SELECT mycc.enqueue(19);
SELECT mycc.link('email', 'fi@example.com', 'email', 'ada@example.com', 'test') AS survivor;
SELECT queue_id, priority FROM mycc.contact WHERE id = 19;
SELECT mycc.unmerge(id) AS unmerged FROM mycc.customer_merge WHERE absorbed_id = 6;
SELECT queue_id, priority FROM mycc.contact WHERE id = 19;
SELECT facts, rule_id, queue_id, priority, reason FROM mycc.routing_decision WHERE contact_id = 19 ORDER BY id;
DELETE FROM mycc.routing_decision WHERE contact_id = 19;

-- route_replay: today's rules over logged facts.  Nothing differs yet;
-- moving the VIP desk's rule to the general queue and retiring the
-- self-service rule changes these decisions.
SELECT count(*) AS differences FROM mycc.route_replay('-infinity');
UPDATE mycc.routing_rule SET queue_id = 1 WHERE id = 1;
UPDATE mycc.routing_rule SET enabled = false WHERE id = 4;
SELECT contact_id, customer_id, facts, old_queue, old_rule, new_queue, new_rule FROM mycc.route_replay('-infinity');
SELECT count(*) AS future FROM mycc.route_replay('infinity');
SELECT count(*) AS strict_null FROM mycc.route_replay(NULL);
UPDATE mycc.routing_rule SET queue_id = 2 WHERE id = 1;
UPDATE mycc.routing_rule SET enabled = true WHERE id = 4;

-- assign_account_managers: errors first.
SELECT mycc.assign_account_managers('high', 0);
SELECT mycc.assign_account_managers(NULL, 10);
SELECT mycc.assign_account_managers('high', NULL);
SELECT (pg_temp.sqlstate_of($$SELECT mycc.assign_account_managers('high', 0)$$)),
	(pg_temp.sqlstate_of($$SELECT mycc.assign_account_managers(NULL, 10)$$));
-- Eve keeps Ada; eight more high customers; managers Alice and Eve and a
-- third, Fay.  Balanced: the least loaded fill first, the most valuable
-- customers are dealt first, at most per_manager each, and a WARNING for
-- those left over.  Merged customers are skipped, and do not count
-- against their manager: Ed, merged into Bo, keeps Fay as manager.
INSERT INTO mycc.agent (name, skills, status) VALUES ('Fay', '{account_manager}', 'away');
UPDATE mycc.customer SET account_manager = 5 WHERE id = 1;
UPDATE mycc.customer SET account_manager = (SELECT id FROM mycc.agent WHERE name = 'Fay') WHERE name = 'Ed';
INSERT INTO mycc.customer (name, tier, lifetime_value)
SELECT 'h' || i, 'high', 2000 + i FROM generate_series(1, 8) AS i;
SELECT mycc.assign_account_managers('high', 3) AS assigned;
SELECT c.name, c.lifetime_value, g.name AS manager FROM mycc.customer AS c LEFT JOIN mycc.agent AS g ON g.id = c.account_manager
WHERE c.tier >= 'high' ORDER BY c.lifetime_value DESC, c.id;
SELECT g.name, count(c.id) AS customers FROM mycc.agent AS g LEFT JOIN mycc.customer AS c ON c.account_manager = g.id AND c.merged_into IS NULL
WHERE g.skills ? 'account_manager' GROUP BY g.name ORDER BY g.name;
-- A second run with more room keeps every assignment and tops up evenly.
SELECT mycc.assign_account_managers('high', 4) AS assigned;
SELECT g.name, count(c.id) AS customers FROM mycc.agent AS g LEFT JOIN mycc.customer AS c ON c.account_manager = g.id AND c.merged_into IS NULL
WHERE g.skills ? 'account_manager' GROUP BY g.name ORDER BY g.name;
SELECT mycc.assign_account_managers('high') AS nothing_left;
SELECT mycc.assign_account_managers('mid') AS mid_and_up;
SELECT c.name, c.tier, c.account_manager IS NOT NULL AS managed FROM mycc.customer AS c WHERE c.id <= 5 ORDER BY c.id;

-- queue_service_level: by queue and day (in the business time zone,
-- mycc.time_zone, here UTC),
-- on backdated rows.  A contact never assigned counts as offered, not
-- answered; contacts never enqueued are not offered.
TRUNCATE mycc.contact;
-- Handle time is of the finished contacts (assigned to ended), abandon
-- rate of the offered ones.
INSERT INTO mycc.contact (customer_id, channel, status, queue_id, started_at, enqueued_at, assigned_at, ended_at) VALUES
	(1, 'phone', 'finished', 1, '2026-11-29 09:00+00', '2026-11-29 09:00+00', '2026-11-29 09:02+00', '2026-11-29 09:06+00'),
	(1, 'phone', 'finished', 1, '2026-11-29 10:00+00', '2026-11-29 10:00+00', '2026-11-29 10:05+00', '2026-11-29 10:13+00'),
	(1, 'phone', 'finished', 1, '2026-11-29 11:00+00', '2026-11-29 11:00+00', '2026-11-29 11:10+00', '2026-11-29 11:16+00'),
	(1, 'phone', 'abandoned', 1, '2026-11-29 12:00+00', '2026-11-29 12:00+00', NULL, '2026-11-29 12:03+00'),
	(1, 'phone', 'finished', 2, '2026-11-29 20:00+00', '2026-11-29 20:00+00', '2026-11-29 20:00:30+00', '2026-11-29 20:01:30+00'),
	(1, 'phone', 'finished', 2, '2026-11-30 01:00+00', '2026-11-30 01:00+00', '2026-11-30 01:02+00', '2026-11-30 01:32+00'),
	(1, 'phone', 'queued', 2, '2026-11-30 02:00+00', '2026-11-30 02:00+00', NULL, NULL),
	(1, 'phone', 'new', NULL, '2026-11-30 03:00+00', NULL, NULL, NULL);
SET mycc.time_zone = 'UTC';
SELECT * FROM mycc.queue_service_level ORDER BY queue_id, day;
-- In Beijing the evening contact of the 29th belongs to the 30th.
SET mycc.time_zone = 'Asia/Shanghai';
SELECT queue_id, queue, day, offered, answered, answer_rate, within_target, average_wait FROM mycc.queue_service_level ORDER BY queue_id, day;
RESET mycc.time_zone;

-- Re-routing finds the customers merged into one through customer_root_idx,
-- not by a scan of mycc.customer at every merge: the trigger function's
-- own query (from its source), planned as PL/pgSQL plans it once it keeps
-- a generic plan (NEW.id a parameter), over 5,000 customers, one in ten
-- merged, and 10,000 contacts, one in 50 waiting (the condition
-- m.root_id = NEW.id, which it replaced, scans mycc.customer here).
\getenv abs_srcdir PG_ABS_SRCDIR
\i :abs_srcdir/sql/include/plan_has.sql
INSERT INTO mycc.customer (id, merged_into, root_id, merged_at)
SELECT 100000 + k, CASE WHEN k % 10 = 0 THEN 100000 + k - 1 END, CASE WHEN k % 10 = 0 THEN 100000 + k - 1 END,
	CASE WHEN k % 10 = 0 THEN '2026-11-30 12:00+00'::timestamptz END
FROM generate_series(1, 5000) AS k;
INSERT INTO mycc.contact (customer_id, channel, status, queue_id, enqueued_at)
SELECT 100000 + 1 + j % 5000, 'phone', CASE WHEN j % 50 = 0 THEN 'queued' ELSE 'finished' END::mycc.contact_status,
	CASE WHEN j % 50 = 0 THEN 1 END, CASE WHEN j % 50 = 0 THEN '2026-11-30 12:00+00'::timestamptz END
FROM generate_series(1, 10000) AS j;
ANALYZE mycc.customer, mycc.contact;
SELECT format('PREPARE reroute_waiting(bigint) AS %s',
	replace((regexp_match(prosrc, 'FOR waiting IN\s+(.*ORDER BY 1, 2)\s+LOOP'))[1], 'NEW.id', '$1')) AS reroute_query
FROM pg_proc WHERE oid = 'mycc.customer_reroute()'::regprocedure \gset
:reroute_query;
SET plan_cache_mode = force_generic_plan;
SELECT pg_temp.plan_has('EXECUTE reroute_waiting(100009)', 'customer_root_idx on customer') AS root_index_used,
	pg_temp.plan_has('EXECUTE reroute_waiting(100009)', 'Seq Scan on customer') AS customer_scanned;
RESET plan_cache_mode;
DEALLOCATE reroute_waiting;

-- A queue with waiting contacts is not deleted, nor renumbered (2BP01):
-- they would wait for ever.  Once they are moved, it is.
INSERT INTO mycc.queue (id, name, required_skills, target_answer, is_default)
VALUES (90, 'closing', '{}', '5 min', false), (91, 'open', '{}', '5 min', false);
INSERT INTO mycc.contact (customer_id, id, channel, status, queue_id, priority, enqueued_at) VALUES
	(100001, 900001, 'phone', 'queued', 90, 0, '2026-11-30 12:00+00'),
	(100001, 900002, 'phone', 'finished', 90, 0, '2026-11-30 12:00+00');
\set VERBOSITY sqlstate
DELETE FROM mycc.queue WHERE id = 90;
\set VERBOSITY default
UPDATE mycc.queue SET id = 92 WHERE id = 90;
UPDATE mycc.queue SET name = 'closing soon' WHERE id = 90;
UPDATE mycc.contact SET queue_id = 91 WHERE queue_id = 90 AND status = 'queued';
DELETE FROM mycc.queue WHERE id = 90 RETURNING name;
SELECT k.id, k.status, k.queue_id, w.queue_key IS NOT NULL AS placed
FROM mycc.contact AS k LEFT JOIN mycc.contact_queue AS w ON w.customer_id = k.customer_id AND w.contact_id = k.id
WHERE k.id > 900000 ORDER BY k.id;
DELETE FROM mycc.contact WHERE id > 900000;
DELETE FROM mycc.queue WHERE id = 91;

-- One statement may enqueue, and re-route, any number of customers'
-- contacts: enqueue and the re-routing trigger wait for each other through
-- a FOR SHARE lock of the customer's row, kept in the row (an advisory
-- lock per customer filled the shared lock table: "out of shared memory"
-- after a few thousand customers).  20,000 customers, a contact each,
-- enqueued by one statement, then all made high by another (each contact
-- re-routed).
INSERT INTO mycc.customer (id, name, lifetime_value)
SELECT 200000 + k, 'bulk ' || k, 0 FROM generate_series(1, 20000) AS k;
INSERT INTO mycc.contact (customer_id, id, channel, started_at)
SELECT 200000 + k, 200000 + k, 'phone', '2026-11-30 12:00+00' FROM generate_series(1, 20000) AS k;
SELECT count(mycc.enqueue(id)) AS enqueued FROM mycc.contact WHERE id > 200000;
UPDATE mycc.customer SET lifetime_value = 5000, tier = mycc.tier_for_value(5000) WHERE id > 200000;
SELECT k.priority, count(*) AS contacts, count(*) FILTER (WHERE d.reason = 'reroute') AS rerouted
FROM mycc.contact AS k LEFT JOIN mycc.routing_decision AS d ON d.contact_id = k.id AND d.reason = 'reroute'
WHERE k.id > 200000 GROUP BY k.priority;
-- The lock helper: internal, not PUBLIC's (42501); an unknown customer
-- locks nothing.
SELECT mycc.lock_routing_customer(-1) AS unknown_customer;
CREATE ROLE regress_routing_nobody;
SET ROLE regress_routing_nobody;
SELECT mycc.lock_routing_customer(200001);
RESET ROLE;
DROP ROLE regress_routing_nobody;

-- The waiting contacts' table (mycc.contact_queue): a row per waiting
-- contact, kept by enqueue, claims, abandon, a hand edit, a delete.
TRUNCATE mycc.contact, mycc.routing_decision;
INSERT INTO mycc.queue (id, name, required_skills, target_answer, aging_weight) VALUES (95, 'desk', '{desk}', '5 minutes', 0);
INSERT INTO mycc.routing_rule (priority, condition, queue_id) VALUES (1000, 'topic:desk', 95);
INSERT INTO mycc.agent (id, name, skills, capacity, status) VALUES (95, 'Desk', '{desk}', 5, 'available');
INSERT INTO mycc.contact (customer_id, id, channel, topic, started_at)
SELECT 200000 + g, 300000 + g, 'phone', 'desk', '2026-12-01 09:00+00' FROM generate_series(1, 6) AS g;
SELECT count(mycc.enqueue(id)) AS enqueued FROM mycc.contact WHERE id > 300000;
UPDATE mycc.contact SET enqueued_at = started_at + (id - 300000) * interval '1 minute' WHERE id > 300000;
SELECT queue_id, contact_id, priority, enqueued_at, manager_id FROM mycc.contact_queue ORDER BY queue_id, queue_key, contact_id;
-- abandon: out of the queue, status abandoned, ended, logged; returns the
-- queue it left.  Errors: not waiting (55000), unknown (42704), NULL.
SELECT mycc.abandon(300002) AS left_queue;
SELECT id, status, ended_at IS NOT NULL AS ended FROM mycc.contact WHERE id = 300002;
SELECT reason, queue_id, priority FROM mycc.routing_decision WHERE contact_id = 300002 ORDER BY id;
SELECT mycc.abandon(300002);
SELECT mycc.abandon(-1);
SELECT mycc.abandon(NULL) IS NULL AS strict;
-- Claims take the first of the queue (300001), then the next (300003); a
-- claimed contact is no longer in the table; abandoning it is refused.
SELECT mycc.next_contact(95) AS first, mycc.next_contact(95) AS second;
SELECT mycc.abandon(300001);
SELECT contact_id FROM mycc.contact_queue ORDER BY queue_key, contact_id;
-- A contact set to another state by hand leaves its row behind: the next
-- claim drops it and takes the one after.  A contact deleted leaves.
UPDATE mycc.contact SET status = 'finished' WHERE id = 300004;
SELECT mycc.next_contact(95) AS skips_300004;
DELETE FROM mycc.contact WHERE id = 300006;
SELECT count(*) AS rows_left FROM mycc.contact_queue;
-- Moved to another queue by hand, it follows (and the queue can go).
UPDATE mycc.contact SET status = 'queued', agent_id = NULL, queue_id = 95 WHERE id = 300004;
SELECT contact_id, queue_id FROM mycc.contact_queue ORDER BY contact_id;
UPDATE mycc.contact SET queue_id = 1 WHERE id = 300004;
SELECT contact_id, queue_id FROM mycc.contact_queue ORDER BY contact_id;
-- Routing's updates of a contact are HOT: no index of mycc.contact names a
-- routing column (0.2.0's queue index, partial on status, made every
-- enqueue, claim and finish a non-HOT update).
BEGIN;
INSERT INTO mycc.contact (customer_id, id, channel, topic) SELECT 200000 + g, 310000 + g, 'phone', 'desk' FROM generate_series(1, 3) AS g;
SELECT count(mycc.enqueue(id)) AS enqueued FROM mycc.contact WHERE id > 310000;
SELECT count(mycc.finish(mycc.next_contact(95), 'done')) AS finished FROM generate_series(1, 3);
SELECT n_tup_upd >= 9 AS updated, n_tup_upd = n_tup_hot_upd AS all_hot
FROM pg_stat_xact_user_tables WHERE relid = 'mycc.contact'::regclass;
ROLLBACK;
-- What the install sets: autovacuum of the queue table by row count, not
-- share (docs/operations.md); room in mycc.contact's pages for HOT updates.
SELECT relname, reloptions FROM pg_class WHERE oid IN ('mycc.contact_queue'::regclass, 'mycc.contact'::regclass) ORDER BY relname;
DELETE FROM mycc.contact WHERE id > 300000;
DELETE FROM mycc.routing_rule WHERE queue_id = 95;
DELETE FROM mycc.agent WHERE id = 95;
DELETE FROM mycc.queue WHERE id = 95;

TRUNCATE mycc.customer, mycc.identity, mycc.contact, mycc.customer_merge, mycc.identity_conflict,
	mycc.agent, mycc.queue, mycc.routing_rule, mycc.routing_decision RESTART IDENTITY;

-- The internal lookups of the claim: a contact by id (42704 when there is
-- none) and the account manager a customer's waiting contacts are held
-- for (NULL for a customer with none, or none at all).
SELECT * FROM mycc.contact_by_id(-1);
SELECT mycc.account_manager_of(-1) IS NULL AS no_manager;
