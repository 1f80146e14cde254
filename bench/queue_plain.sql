-- bench/queue_plain.sql: the hand-written queue of the assignment and
-- queue_decay cases, on a plain table with mycc.contact's waiting contacts
-- and base priorities, and the log both sides write their claims to.
CREATE TABLE plain_queue (
	id bigint PRIMARY KEY,
	priority integer NOT NULL,
	enqueued_at timestamptz NOT NULL,
	status text NOT NULL,
	agent_id integer,
	assigned_at timestamptz,
	ended_at timestamptz,
	outcome text
);
INSERT INTO plain_queue (id, priority, enqueued_at, status)
SELECT id, priority, enqueued_at, 'queued' FROM mycc.contact;
CREATE INDEX plain_queue_next ON plain_queue (priority DESC, enqueued_at, id) WHERE status = 'queued';
CREATE TABLE claim_log (kind text NOT NULL, contact_id bigint NOT NULL, agent_id integer NOT NULL);
