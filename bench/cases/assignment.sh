#!/usr/bin/env bash
# bench/cases/assignment.sh: assignment throughput (design.md section 7,
# issue 6), run by bench/driver.sh with BENCH_SMALL, BENCH_RUNS,
# BENCH_METHOD and the PG* variables of the throw-away cluster.
#
# C agents (pgbench clients, 8 then 16) each run T transactions (200 each
# with --small, 500 full) of "take the next contact, then finish it" —
# two statements, two transactions — against a queue of 16 T + 1000
# waiting contacts:
#   mycc      mycc.next_contact(agent) then mycc.finish(contact, outcome),
#             over mycc.contact with 4 queues, their required skills, agents
#             with capacity 1, tier priorities and aging (all in play:
#             every agent has every skill, so every claim succeeds);
#   reference the baseline (issue 14): the best hand-written design doing
#             the same work the same way: the waiting contacts in a
#             queue table of their own (ref_queue, ordered by priority and
#             arrival), the contacts' history and state in a table shaped
#             as mycc.contact (ref_contact: its columns, constraints and
#             indexes, fillfactor 90, no index on a routing column),
#             agents' capacity on a table; the claim one statement
#             (capacity, DELETE ... WHERE ... = (SELECT ... FOR UPDATE SKIP
#             LOCKED LIMIT 1) RETURNING, the contact's update), the finish
#             one (the contact closed, the agent's place freed);
#   plain     the hand-written single-table queue: UPDATE ... WHERE id =
#             (SELECT id ... WHERE status = 'queued' ORDER BY priority DESC,
#             enqueued_at, id LIMIT 1 FOR UPDATE SKIP LOCKED), then an
#             UPDATE that finishes it; a partial index serves the ORDER BY;
#   floor     the same two round trips doing nothing (SELECT).
# Two more hand-written queues show where mycc's time goes (notes, no
# target): capacity  the baseline plus agents' capacity, kept as mycc keeps
#                    it (a row per agent: the claim counts the contact when
#                    the agent has room, the finish frees the place);
#           table    the same on a table shaped as mycc.contact (its
#                    columns, check constraints and four other indexes,
#                    which every non-HOT update of a contact writes).
# Both log every claim to a table in the claiming statement; afterwards
# each run is checked: C x T contacts claimed, none twice (a contact given
# twice fails the case), and for mycc every claimed contact finished and
# every agent's active_contacts back to 0.  The queues are reset before
# every run.  The table's "ms" is pgbench's wall time for the C x T
# transactions (C x T / tps, without connection time); tps are in the
# notes.  The answer is the number of distinct contacts claimed.
set -euo pipefail
cd "$(dirname "$0")/../.."
. bench/lib.sh
. bench/queue.sh

small=${BENCH_SMALL:-off}
runs=${BENCH_RUNS:-7}
if [ "$small" = on ]; then per_client=200; else per_client=500; fi
depth=$((16 * per_client + 1000))
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "== setup: $depth waiting contacts, $per_client transactions per client"
psql_q -v depth="$depth" <<'SQL'
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

-- Agents' capacity, for the capacity and table queues.
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
-- The reference: a queue table of its own, and the history as mycc keeps it.
CREATE TABLE ref_contact (LIKE mycc.contact INCLUDING DEFAULTS INCLUDING CONSTRAINTS) WITH (fillfactor = 90);
INSERT INTO ref_contact SELECT * FROM mycc.contact;
ALTER TABLE ref_contact ADD PRIMARY KEY (customer_id, id);
CREATE INDEX ON ref_contact (customer_id, started_at);
CREATE INDEX ON ref_contact (started_at);
CREATE INDEX ON ref_contact (id);
CREATE TABLE ref_queue (id bigint PRIMARY KEY, customer_id bigint NOT NULL, priority integer NOT NULL,
	enqueued_at timestamptz NOT NULL);
CREATE INDEX ref_queue_next ON ref_queue (priority DESC, enqueued_at, id);
INSERT INTO ref_queue SELECT id, customer_id, priority, enqueued_at FROM ref_contact WHERE status = 'queued';

COMMIT;
SQL

queue_scripts "$work"
# The hand-written queue with capacity, on plain_queue ($1) or table_queue.
capacity_script() {
	sed "s/QUEUE/$1/g; s/KIND/$2/g" <<'PGB'
\set aid :client_id + 1
WITH g AS (UPDATE plain_agent SET active_contacts = active_contacts + 1, last_assigned_at = now() WHERE id = :aid AND active_contacts < capacity RETURNING id), c AS (UPDATE QUEUE SET status = 'assigned', agent_id = (SELECT id FROM g), assigned_at = now() WHERE id = (SELECT id FROM QUEUE WHERE status = 'queued' AND EXISTS (SELECT FROM g) ORDER BY priority DESC, enqueued_at, id LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING id), ins AS (INSERT INTO claim_log SELECT 'KIND', id, :aid FROM c RETURNING contact_id) SELECT coalesce((SELECT contact_id FROM ins), 0) AS k \gset
WITH f AS (UPDATE QUEUE SET status = 'finished', outcome = 'resolved', ended_at = now() WHERE id = :k AND status = 'assigned' RETURNING agent_id) UPDATE plain_agent SET active_contacts = active_contacts - 1 WHERE id = (SELECT agent_id FROM f);
PGB
}
capacity_script plain_queue capacity >"$work/capacity.sql"
capacity_script table_queue table >"$work/table.sql"
cat >"$work/reference.sql" <<'PGB'
\set aid :client_id + 1
WITH g AS (UPDATE plain_agent SET active_contacts = active_contacts + 1, last_assigned_at = now() WHERE id = :aid AND active_contacts < capacity RETURNING id), q AS (DELETE FROM ref_queue WHERE id = (SELECT id FROM ref_queue WHERE EXISTS (SELECT FROM g) ORDER BY priority DESC, enqueued_at, id LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING customer_id, id), c AS (UPDATE ref_contact AS k SET status = 'assigned', agent_id = :aid, assigned_at = now() FROM q WHERE k.customer_id = q.customer_id AND k.id = q.id RETURNING k.id), ins AS (INSERT INTO claim_log SELECT 'reference', id, :aid FROM c RETURNING contact_id) SELECT coalesce((SELECT contact_id FROM ins), 0) AS k \gset
WITH f AS (UPDATE ref_contact SET status = 'finished', outcome = 'resolved', ended_at = now() WHERE id = :k AND status = 'assigned' RETURNING agent_id) UPDATE plain_agent SET active_contacts = active_contacts - 1 WHERE id = (SELECT agent_id FROM f);
PGB

# Back to every contact waiting, every agent free, no claims logged.
reset() {
	psql_q <<'SQL'
UPDATE mycc.contact SET status = 'queued', agent_id = NULL, assigned_at = NULL, ended_at = NULL, outcome = NULL
WHERE status <> 'queued';
UPDATE mycc.agent SET active_contacts = 0, last_assigned_at = NULL;
UPDATE plain_queue SET status = 'queued', agent_id = NULL, assigned_at = NULL, ended_at = NULL, outcome = NULL
WHERE status <> 'queued';
UPDATE table_queue SET status = 'queued', agent_id = NULL, assigned_at = NULL, ended_at = NULL, outcome = NULL
WHERE status <> 'queued';
UPDATE plain_agent SET active_contacts = 0, last_assigned_at = NULL;
INSERT INTO ref_queue SELECT id, customer_id, priority, enqueued_at FROM ref_contact WHERE status <> 'queued';
UPDATE ref_contact SET status = 'queued', agent_id = NULL, assigned_at = NULL, ended_at = NULL, outcome = NULL
WHERE status <> 'queued';
TRUNCATE claim_log;
VACUUM ANALYZE mycc.contact, mycc.contact_queue, mycc.agent, plain_queue, table_queue, ref_contact, ref_queue,
	plain_agent, claim_log;
SQL
}

# Records the script's SQL for the report.
labels="mycc reference plain capacity table floor"
for label in $labels; do
	for clients in 8 16; do
		bench_script assignment "pgbench, $clients clients" "$label" "$work/$label.sql"
	done
done

failed=0
for clients in 8 16; do
	section="pgbench, $clients clients"
	txns=$((clients * per_client))
	for run in $(seq 0 "$runs"); do
		for label in $labels; do
			reset
			# The setting given at connection: mycc.next_contact reads
			# mycc.account_manager_hold, which exists only once mycc's library is
			# loaded, and a pgbench session calls no C function of mycc first.
			PGOPTIONS="-c mycc.account_manager_hold=2min" \
				bench_pgbench "assignment: $label, $clients clients" "$clients" "$per_client" -f "$work/$label.sql"
			# The checks; the answer is the number of distinct contacts claimed.
			check=$(psql_q -At -v kind="$label" -v txns="$txns" <<'SQL'
SELECT CASE WHEN :'kind' = 'floor' THEN :txns || '|ok'
	ELSE count(DISTINCT contact_id) || '|' || concat_ws('; ',
		CASE WHEN count(*) <> count(DISTINCT contact_id) THEN (count(*) - count(DISTINCT contact_id)) || ' contacts given twice' END,
		CASE WHEN count(*) <> :txns THEN count(*) || ' claims, not ' || :txns END,
		CASE WHEN :'kind' = 'mycc' AND (SELECT count(*) FROM mycc.contact WHERE status = 'finished') <> count(*)
			THEN 'finished contacts differ from claims' END,
		CASE WHEN :'kind' = 'mycc' AND (SELECT sum(active_contacts) FROM mycc.agent) <> 0
			THEN 'agents still busy' END,
		CASE WHEN :'kind' IN ('plain', 'capacity') AND (SELECT count(*) FROM plain_queue WHERE status = 'finished') <> count(*)
			THEN 'finished rows differ from claims' END,
		CASE WHEN :'kind' = 'table' AND (SELECT count(*) FROM table_queue WHERE status = 'finished') <> count(*)
			THEN 'finished rows differ from claims' END,
		CASE WHEN :'kind' = 'reference' AND (SELECT count(*) FROM ref_contact WHERE status = 'finished') <> count(*)
			THEN 'finished rows differ from claims' END,
		CASE WHEN :'kind' IN ('capacity', 'table', 'reference') AND (SELECT sum(active_contacts) FROM plain_agent) <> 0
			THEN 'agents still busy' END) END
FROM claim_log WHERE kind = :'kind';
SQL
)
			bench_result assignment "$section" "$label" "$run" "$txns" "$tps" "$check" \
				"assignment: $label, run $run" || failed=1
		done
	done
	psql_q -v s="$section" -v txns="$txns" -v clients="$clients" <<'SQL'
-- issue 14: next_contact + finish no slower than the reference queue
-- (a queue table of its own, capacity, DELETE ... RETURNING).
SELECT bench.report('assignment', :'s',
	format('assignment, %s clients: next_contact + finish vs the reference queue (queue table, capacity, DELETE ... RETURNING; ms for %s claims)', :clients, :txns),
	'mycc', 'reference', 'floor', :txns, 1.0);
INSERT INTO bench.notes (case_name, note)
SELECT 'assignment', format('%s: median tps mycc %s, reference %s, plain %s, capacity %s, table %s, floor %s (tps = %s / median ms x 1000)', :'s',
	bench.fmt_tps('assignment', :'s', 'mycc', :txns), bench.fmt_tps('assignment', :'s', 'reference', :txns),
	bench.fmt_tps('assignment', :'s', 'plain', :txns),
	bench.fmt_tps('assignment', :'s', 'capacity', :txns), bench.fmt_tps('assignment', :'s', 'table', :txns),
	bench.fmt_tps('assignment', :'s', 'floor', :txns), :txns);
-- mycc against the single-table queue; where the time goes: capacity,
-- then mycc.contact's shape, then the rest.
SELECT bench.note_ratio('assignment', :'s', 'mycc', 'plain');
SELECT bench.note_ratio('assignment', :'s', 'reference', 'plain');
SELECT bench.note_ratio('assignment', :'s', 'capacity', 'plain');
SELECT bench.note_ratio('assignment', :'s', 'table', 'plain');
SELECT bench.note_ratio('assignment', :'s', 'mycc', 'table');
SQL
done

psql_q <<SQL
INSERT INTO bench.notes (case_name, note) VALUES ('assignment',
	'$depth waiting contacts at the start of each run (4 queues, 2 % high, 8 % mid, 30 % low, 60 % free), $per_client transactions per client, pgbench -M prepared -j 2; each transaction = claim + finish');
SQL

psql_q <<'SQL'
DROP TABLE plain_queue, table_queue, ref_contact, ref_queue, plain_agent, claim_log;
DELETE FROM mycc.routing_rule;
DELETE FROM mycc.contact;
DELETE FROM mycc.agent;
DELETE FROM mycc.queue;
DELETE FROM mycc.customer WHERE name LIKE 'bench %';
SQL
exit $failed
