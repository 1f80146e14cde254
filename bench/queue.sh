# bench/queue.sh: what the assignment and queue_decay cases share, sourced
# by both (after bench/lib.sh).  Their SQL setup includes
# bench/queue_setup.sql and bench/queue_plain.sql.

# Writes the pgbench scripts, one claim + finish a transaction, each claim
# logged to claim_log, into directory $1: mycc.sql (next_contact, finish),
# plain.sql (the hand-written UPDATE ... SKIP LOCKED LIMIT 1 queue) and
# floor.sql (the same two round trips doing nothing).
queue_scripts() {
	cat >"$1/mycc.sql" <<'PGB'
\set aid :client_id + 1
WITH c AS (SELECT mycc.next_contact(:aid) AS k), ins AS (INSERT INTO claim_log SELECT 'mycc', k, :aid FROM c WHERE k IS NOT NULL RETURNING contact_id) SELECT coalesce((SELECT contact_id FROM ins), 0) AS k \gset
SELECT mycc.finish(:k, 'resolved') WHERE :k <> 0;
PGB
	cat >"$1/plain.sql" <<'PGB'
\set aid :client_id + 1
WITH c AS (UPDATE plain_queue SET status = 'assigned', agent_id = :aid, assigned_at = now() WHERE id = (SELECT id FROM plain_queue WHERE status = 'queued' ORDER BY priority DESC, enqueued_at, id LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING id), ins AS (INSERT INTO claim_log SELECT 'plain', id, :aid FROM c RETURNING contact_id) SELECT coalesce((SELECT contact_id FROM ins), 0) AS k \gset
UPDATE plain_queue SET status = 'finished', outcome = 'resolved', ended_at = now() WHERE id = :k;
PGB
	cat >"$1/floor.sql" <<'PGB'
\set aid :client_id + 1
SELECT :aid AS k \gset
SELECT :k WHERE false;
PGB
}

# Writes the assignment case's other pgbench scripts into directory $1
# (bench/cases/assignment.sh says what each does): reference.sql (issue
# 14's baseline: mycc's work written by hand), narrow.sql (the reference
# without skills, queues, aging, agent status and account managers: the
# baseline before), capacity.sql and table.sql.
assignment_scripts() {
	cat >"$1/reference.sql" <<'PGB'
\set aid :client_id + 1
WITH g AS (UPDATE ref_agent SET active_contacts = active_contacts + 1, last_assigned_at = now()
		WHERE id = :aid AND status = 'available' AND active_contacts < capacity RETURNING skills),
	hd AS (SELECT q.id, f.priority + CASE WHEN now() > f.enqueued_at THEN extract(epoch FROM now() - f.enqueued_at)
			/ extract(epoch FROM q.target_answer) * q.aging_weight ELSE 0 END AS bound
		FROM g JOIN ref_queue AS q ON q.required_skills <@ g.skills
		CROSS JOIN LATERAL (SELECT w.priority, w.enqueued_at FROM ref_waiting AS w WHERE w.queue_id = q.id
			ORDER BY w.queue_key, w.id LIMIT 1) AS f),
	nxt AS (SELECT * FROM (SELECT w.customer_id, w.id FROM ref_waiting AS w JOIN ref_queue AS q ON q.id = w.queue_id
			WHERE w.manager_id = :aid AND EXISTS (SELECT FROM g)
			ORDER BY w.priority + extract(epoch FROM now() - w.enqueued_at) / extract(epoch FROM q.target_answer)
				* q.aging_weight DESC, w.enqueued_at, w.id LIMIT 1 FOR UPDATE OF w SKIP LOCKED) AS own
		UNION ALL
		SELECT t.* FROM (SELECT hd.id FROM hd ORDER BY hd.bound DESC, hd.id) AS h
		CROSS JOIN LATERAL (SELECT w.customer_id, w.id FROM ref_waiting AS w WHERE w.queue_id = h.id
			AND (w.manager_id IS NULL OR w.enqueued_at <= now() - interval '2 min')
			ORDER BY w.queue_key, w.id LIMIT 1 FOR UPDATE SKIP LOCKED) AS t
		LIMIT 1),
	q AS (DELETE FROM ref_waiting AS w USING nxt WHERE w.customer_id = nxt.customer_id AND w.id = nxt.id
		RETURNING w.customer_id, w.id),
	c AS (UPDATE ref_contact AS k SET status = 'assigned', agent_id = :aid, assigned_at = now() FROM q
		WHERE k.customer_id = q.customer_id AND k.id = q.id AND k.status = 'queued' RETURNING k.id),
	ins AS (INSERT INTO claim_log SELECT 'reference', id, :aid FROM c RETURNING contact_id)
SELECT coalesce((SELECT contact_id FROM ins), 0) AS k \gset
WITH f AS (UPDATE ref_contact SET status = 'finished', outcome = 'resolved',
		ended_at = GREATEST(started_at, COALESCE(ended_at, now()))
		WHERE id = :k AND status = 'assigned' RETURNING agent_id)
UPDATE ref_agent SET active_contacts = GREATEST(active_contacts - 1, 0) WHERE id = (SELECT agent_id FROM f);
PGB
	cat >"$1/narrow.sql" <<'PGB'
\set aid :client_id + 1
WITH g AS (UPDATE plain_agent SET active_contacts = active_contacts + 1, last_assigned_at = now() WHERE id = :aid AND active_contacts < capacity RETURNING id), q AS (DELETE FROM narrow_queue WHERE id = (SELECT id FROM narrow_queue WHERE EXISTS (SELECT FROM g) ORDER BY priority DESC, enqueued_at, id LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING customer_id, id), c AS (UPDATE ref_contact AS k SET status = 'assigned', agent_id = :aid, assigned_at = now() FROM q WHERE k.customer_id = q.customer_id AND k.id = q.id RETURNING k.id), ins AS (INSERT INTO claim_log SELECT 'narrow', id, :aid FROM c RETURNING contact_id) SELECT coalesce((SELECT contact_id FROM ins), 0) AS k \gset
WITH f AS (UPDATE ref_contact SET status = 'finished', outcome = 'resolved', ended_at = now() WHERE id = :k AND status = 'assigned' RETURNING agent_id) UPDATE plain_agent SET active_contacts = active_contacts - 1 WHERE id = (SELECT agent_id FROM f);
PGB
	capacity_script plain_queue capacity >"$1/capacity.sql"
	capacity_script table_queue table >"$1/table.sql"
}

# The hand-written queue with capacity, on table $1 (plain_queue or
# table_queue), logging its claims as kind $2.
capacity_script() {
	sed "s/QUEUE/$1/g; s/KIND/$2/g" <<'PGB'
\set aid :client_id + 1
WITH g AS (UPDATE plain_agent SET active_contacts = active_contacts + 1, last_assigned_at = now() WHERE id = :aid AND active_contacts < capacity RETURNING id), c AS (UPDATE QUEUE SET status = 'assigned', agent_id = (SELECT id FROM g), assigned_at = now() WHERE id = (SELECT id FROM QUEUE WHERE status = 'queued' AND EXISTS (SELECT FROM g) ORDER BY priority DESC, enqueued_at, id LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING id), ins AS (INSERT INTO claim_log SELECT 'KIND', id, :aid FROM c RETURNING contact_id) SELECT coalesce((SELECT contact_id FROM ins), 0) AS k \gset
WITH f AS (UPDATE QUEUE SET status = 'finished', outcome = 'resolved', ended_at = now() WHERE id = :k AND status = 'assigned' RETURNING agent_id) UPDATE plain_agent SET active_contacts = active_contacts - 1 WHERE id = (SELECT agent_id FROM f);
PGB
}

# In the throw-away server of an A/B script of bench/ab (after bench/lib.sh):
# mycc and the extensions named created, the assignment case's data loaded
# for TXNS transactions (bench/assignment_setup.sql), its pgbench scripts
# written; sets work to the scratch directory that holds them, removed at
# exit.
#	assignment_ab_setup TXNS [EXTENSION...]
assignment_ab_setup() {
	local txns=$1 extension
	shift
	work=$(mktemp -d)
	trap 'rm -rf "$work"' EXIT
	for extension in mycc "$@"; do
		psql_q -c "CREATE EXTENSION $extension"
	done
	psql_q -v depth=$((txns + 1000)) -f bench/assignment_setup.sql >/dev/null
	queue_scripts "$work"
	assignment_scripts "$work"
}
