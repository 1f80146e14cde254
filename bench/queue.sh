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
