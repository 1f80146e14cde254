-- bench/assignment_reset.sql: the assignment case's queues back to every
-- contact waiting, every agent free, no claims logged (before every run).
UPDATE mycc.contact SET status = 'queued', agent_id = NULL, assigned_at = NULL, ended_at = NULL, outcome = NULL
WHERE status <> 'queued';
UPDATE mycc.agent SET active_contacts = 0, last_assigned_at = NULL;
UPDATE plain_queue SET status = 'queued', agent_id = NULL, assigned_at = NULL, ended_at = NULL, outcome = NULL
WHERE status <> 'queued';
UPDATE table_queue SET status = 'queued', agent_id = NULL, assigned_at = NULL, ended_at = NULL, outcome = NULL
WHERE status <> 'queued';
UPDATE plain_agent SET active_contacts = 0, last_assigned_at = NULL;
UPDATE ref_agent SET active_contacts = 0, last_assigned_at = NULL;
UPDATE ref_contact SET status = 'queued', agent_id = NULL, assigned_at = NULL, ended_at = NULL, outcome = NULL
WHERE status <> 'queued';
TRUNCATE narrow_queue, ref_waiting, claim_log;
INSERT INTO narrow_queue SELECT id, customer_id, priority, enqueued_at FROM ref_contact;
INSERT INTO ref_waiting SELECT queue_id, queue_key, customer_id, contact_id, priority, enqueued_at, manager_id
FROM mycc.contact_queue;
VACUUM ANALYZE mycc.contact, mycc.contact_queue, mycc.agent, mycc.queue, plain_queue, table_queue, ref_contact,
	narrow_queue, ref_agent, ref_queue, ref_waiting, plain_agent, claim_log;
