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
#             the same work the same way (bench/queue.sh, reference.sql):
#             the waiting contacts in a queue table of their own
#             (ref_waiting: mycc.contact_queue's columns and indexes, its
#             order key), the contacts' history and state in a table shaped
#             as mycc.contact (ref_contact: its columns, constraints and
#             indexes, fillfactor 90, no index on a routing column), agents
#             with skills, status and capacity (ref_agent, mycc.agent's
#             checks), queues with required skills, target answer and
#             aging weight (ref_queue); the claim one statement: the
#             agent's place if available with room, the head of each queue
#             its skills cover, the best by effective priority (base +
#             aging), the agent's own account customers first, then the
#             first contact not held for an account manager of the best
#             queue that has a free one (DELETE ... FOR UPDATE SKIP LOCKED
#             ... RETURNING), the contact given; the finish one (the
#             contact closed, the place freed);
#   narrow    the reference before (the baseline until the audit in
#             docs/performance.md, "The reference audited"): one queue
#             ordered by base priority and arrival, agents' capacity only
#             (no skills, queues, aging, status, account managers or
#             checks);
#   plain     the hand-written single-table queue: UPDATE ... WHERE id =
#             (SELECT id ... WHERE status = 'queued' ORDER BY priority DESC,
#             enqueued_at, id LIMIT 1 FOR UPDATE SKIP LOCKED), then an
#             UPDATE that finishes it; a partial index serves the ORDER BY;
#   floor     the same two round trips doing nothing (SELECT).
# Two more hand-written queues show where mycc's time goes (notes, no
# target): capacity  the plain queue plus agents' capacity, kept as mycc keeps
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
psql_q -v depth="$depth" -f bench/assignment_setup.sql >/dev/null

queue_scripts "$work"
assignment_scripts "$work"

# Back to every contact waiting, every agent free, no claims logged.
reset() {
	psql_q -f bench/assignment_reset.sql
}

# Records the script's SQL for the report.
labels="mycc reference narrow plain capacity table floor"
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
		CASE WHEN :'kind' IN ('reference', 'narrow') AND (SELECT count(*) FROM ref_contact WHERE status = 'finished') <> count(*)
			THEN 'finished rows differ from claims' END,
		CASE WHEN :'kind' IN ('capacity', 'table', 'narrow') AND (SELECT sum(active_contacts) FROM plain_agent) <> 0
			THEN 'agents still busy' END,
		CASE WHEN :'kind' = 'reference' AND (SELECT sum(active_contacts) FROM ref_agent) <> 0
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
SELECT 'assignment', format('%s: median tps mycc %s, reference %s, narrow %s, plain %s, capacity %s, table %s, floor %s (tps = %s / median ms x 1000)', :'s',
	bench.fmt_tps('assignment', :'s', 'mycc', :txns), bench.fmt_tps('assignment', :'s', 'reference', :txns),
	bench.fmt_tps('assignment', :'s', 'narrow', :txns), bench.fmt_tps('assignment', :'s', 'plain', :txns),
	bench.fmt_tps('assignment', :'s', 'capacity', :txns), bench.fmt_tps('assignment', :'s', 'table', :txns),
	bench.fmt_tps('assignment', :'s', 'floor', :txns), :txns);
-- mycc against the single-table queue; where the time goes: capacity,
-- then mycc.contact's shape, then the rest.
SELECT bench.note_ratio('assignment', :'s', 'mycc', 'plain');
SELECT bench.note_ratio('assignment', :'s', 'mycc', 'narrow');
SELECT bench.note_ratio('assignment', :'s', 'reference', 'narrow');
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
DROP TABLE plain_queue, table_queue, ref_contact, narrow_queue, ref_agent, ref_queue, ref_waiting, plain_agent, claim_log;
DELETE FROM mycc.routing_rule;
DELETE FROM mycc.contact;
DELETE FROM mycc.agent;
DELETE FROM mycc.queue;
DELETE FROM mycc.customer WHERE name LIKE 'bench %';
SQL
exit $failed
