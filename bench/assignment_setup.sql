-- bench/assignment_setup.sql: the data of the assignment case
-- (bench/cases/assignment.sh; also bench/ab/assignment_audit.sh), run by
-- psql with the variable depth: depth contacts waiting in mycc's 4 queues,
-- 16 agents, and the same contacts, agents and queues in the hand-written
-- queues' tables.  Commits.
\i bench/queue_setup.sql
INSERT INTO mycc.routing_rule (priority, condition, queue_id) VALUES
	(30, 'tier:high', 3), (20, 'topic:refund', 2), (10, 'tier:free', 4);
-- One contact each, arrived over the last hour, then routed by enqueue.
INSERT INTO mycc.contact (customer_id, id, channel, topic, enqueued_at)
SELECT i, i, (ARRAY['qq', 'in_game', 'wechat', 'phone']::mycc.channel[])[1 + floor(pg_temp.u(i, 82) * 4)::integer],
	(ARRAY['payment', 'refund', 'account', 'bug']::text[])[1 + floor(pg_temp.u(i, 83) * 4)::integer],
	now() - interval '1 hour' * pg_temp.u(i, 84)
FROM generate_series(1, :depth) AS i;
SELECT count(mycc.enqueue(id)) AS enqueued FROM mycc.contact;
-- 16 agents with every skill, capacity 1 (one per pgbench client).
INSERT INTO mycc.agent (id, name, skills, capacity, status)
SELECT g, 'agent ' || g, '{general, refund, vip, bot}', 1, 'available' FROM generate_series(1, 16) AS g;

\i bench/queue_plain.sql

-- Agents' capacity, for the narrow, capacity and table queues.
CREATE TABLE plain_agent (
	id integer PRIMARY KEY,
	capacity integer NOT NULL,
	active_contacts integer NOT NULL DEFAULT 0,
	last_assigned_at timestamptz
);
INSERT INTO plain_agent (id, capacity) SELECT g, 1 FROM generate_series(1, 16) AS g;
-- The same queue on a table shaped as mycc.contact, with its indexes.
CREATE TABLE table_queue (LIKE mycc.contact INCLUDING DEFAULTS INCLUDING CONSTRAINTS);
INSERT INTO table_queue SELECT * FROM mycc.contact;
ALTER TABLE table_queue ADD PRIMARY KEY (customer_id, id);
CREATE INDEX ON table_queue (customer_id, started_at);
CREATE INDEX ON table_queue (started_at);
CREATE INDEX ON table_queue (id);
CREATE INDEX table_queue_next ON table_queue (priority DESC, enqueued_at, id) WHERE status = 'queued';
-- The contacts' history and state as mycc keeps it (the reference and
-- narrow queues): mycc.contact's columns, constraints and indexes.
CREATE TABLE ref_contact (LIKE mycc.contact INCLUDING DEFAULTS INCLUDING CONSTRAINTS) WITH (fillfactor = 90);
INSERT INTO ref_contact SELECT * FROM mycc.contact;
ALTER TABLE ref_contact ADD PRIMARY KEY (customer_id, id);
CREATE INDEX ON ref_contact (customer_id, started_at);
CREATE INDEX ON ref_contact (started_at);
CREATE INDEX ON ref_contact (id);
-- The narrow queue: one queue table, one order (base priority, arrival).
CREATE TABLE narrow_queue (id bigint PRIMARY KEY, customer_id bigint NOT NULL, priority integer NOT NULL,
	enqueued_at timestamptz NOT NULL);
CREATE INDEX narrow_queue_next ON narrow_queue (priority DESC, enqueued_at, id);
-- The reference (issue 14): mycc's work written by hand.  Agents with
-- skills, status and capacity (mycc.agent's checks); queues with required
-- skills, target answer and aging weight; the waiting contacts in a table
-- of their own with mycc.contact_queue's columns and indexes (its order
-- key is mycc.queue_key's, copied at reset: computing it is enqueue's work,
-- not timed).
CREATE TABLE ref_agent (
	id bigint PRIMARY KEY,
	skills text[] NOT NULL,
	capacity integer NOT NULL CHECK (capacity >= 0),
	status text NOT NULL,
	active_contacts integer NOT NULL DEFAULT 0 CHECK (active_contacts >= 0),
	last_assigned_at timestamptz
);
INSERT INTO ref_agent (id, skills, capacity, status)
SELECT id, skills::text::text[], capacity, status::text FROM mycc.agent;
CREATE TABLE ref_queue (id bigint PRIMARY KEY, required_skills text[] NOT NULL,
	target_answer interval NOT NULL, aging_weight double precision NOT NULL);
INSERT INTO ref_queue SELECT id, required_skills::text::text[], target_answer, aging_weight FROM mycc.queue;
CREATE TABLE ref_waiting (queue_id bigint NOT NULL, queue_key double precision, customer_id bigint NOT NULL,
	id bigint NOT NULL, priority integer, enqueued_at timestamptz, manager_id bigint,
	PRIMARY KEY (customer_id, id));
CREATE INDEX ref_waiting_next ON ref_waiting (queue_id, queue_key, id);
CREATE INDEX ref_waiting_manager ON ref_waiting (manager_id, queue_id) WHERE manager_id IS NOT NULL;

COMMIT;
