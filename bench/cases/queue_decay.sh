#!/usr/bin/env bash
# bench/cases/queue_decay.sh: how claims slow down between two VACUUMs of
# the queue (issue 6).  Not one of design.md's cases: it runs only when
# named, `bash bench/run.sh --only queue_decay`.  Run by bench/driver.sh
# with BENCH_SMALL and the PG* variables of the throw-away cluster.
#
# A claim leaves the claimed contact's entry in the queue index until
# VACUUM removes it (the index is partial on status = 'queued': the entry
# of the version that waited stays, dead).  Claims take from the head of
# each queue, so the dead entries pile up where the next claim starts
# reading: every claim walks over all those claimed since the last VACUUM.
# The hand-written queue has the same index and the same walk.  This case
# measures it: autovacuum off on both tables, N waiting contacts (110,000;
# 25,000 with --small) in 4 queues as in the assignment case, and at each
# stage, for mycc and the plain queue alike, 5 rounds (after a warm-up) of
# 1 client x 500 claim + finish transactions (200 with --small; the "ms"
# of the table: their wall time, median of the rounds), then 8 clients claim
# and finish a quarter of the contacts (0, 25 %, 50 %, 75 % claimed), and
# at last a VACUUM of both tables.  Checks after each measured round: 500
# contacts claimed, none twice.
set -euo pipefail
cd "$(dirname "$0")/../.."
. bench/lib.sh
. bench/queue.sh

small=${BENCH_SMALL:-off}
if [ "$small" = on ]; then depth=25000 per_round=200; else depth=110000 per_round=500; fi
rounds=5
bulk=$((depth / 4))
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "== setup: $depth waiting contacts"
psql_q -v depth="$depth" <<'SQL'
\i bench/queue_setup.sql
-- Waiting contacts, set as mycc.enqueue sets them (queue, the tier's
-- priority, status, arrival; the trigger keys them), without routing them
-- and logging the decisions, which this case does not measure.
INSERT INTO mycc.contact (customer_id, id, channel, topic, status, queue_id, priority, enqueued_at)
SELECT c.id, c.id, 'phone', 'bench', 'queued', 1 + floor(pg_temp.u(c.id, 85) * 4)::integer,
	mycc.tier_priority(c.tier), now() - interval '1 hour' * pg_temp.u(c.id, 84)
FROM mycc.customer AS c
WHERE c.name LIKE 'bench %';
INSERT INTO mycc.agent (id, name, skills, capacity, status)
SELECT g, 'agent ' || g, '{general, refund, vip, bot}', 1, 'available' FROM generate_series(1, 8) AS g;

\i bench/queue_plain.sql
ALTER TABLE plain_queue SET (autovacuum_enabled = off);
ALTER TABLE mycc.contact SET (autovacuum_enabled = off);
COMMIT;
VACUUM ANALYZE mycc.contact, mycc.agent, plain_queue;
SQL

queue_scripts "$work"

export PGOPTIONS="-c mycc.account_manager_hold=2min"
failed=0
# measure SECTION: the rounds of every side at this stage, checked.
measure() {
	local section=$1 run label check
	for label in mycc plain floor; do
		bench_script queue_decay "$section" "$label" "$work/$label.sql"
	done
	for run in $(seq 0 "$rounds"); do
		for label in mycc plain floor; do
			psql_q -c "TRUNCATE claim_log"
			bench_pgbench "queue_decay: $label, $section" 1 "$per_round" -f "$work/$label.sql"
			check=$(psql_q -At -v kind="$label" -v n="$per_round" <<'SQL'
SELECT CASE WHEN :'kind' = 'floor' THEN :n || '|'
	ELSE count(DISTINCT contact_id) || '|' || concat_ws('; ',
		CASE WHEN count(*) <> count(DISTINCT contact_id) THEN (count(*) - count(DISTINCT contact_id)) || ' contacts given twice' END,
		CASE WHEN count(*) <> :n THEN count(*) || ' claims, not ' || :n END) END
FROM claim_log WHERE kind = :'kind';
SQL
)
			bench_result queue_decay "$section" "$label" "$run" "$per_round" "$tps" "$check" \
				"queue_decay: $label, run $run" || failed=1
		done
	done
	psql_q -v s="$section" -v n="$per_round" <<'SQL'
SELECT bench.report('queue_decay', :'s',
	format('claim + finish, 1 client, %s transactions: next_contact + finish vs UPDATE ... SKIP LOCKED LIMIT 1 queue', :n),
	'mycc', 'plain', 'floor', :n);
SQL
}

# Claims and finishes a quarter of the contacts on both sides, 8 clients.
claim_quarter() {
	local label
	for label in mycc plain; do
		psql_q -c "TRUNCATE claim_log"
		bench_pgbench "queue_decay: $label, bulk" 8 $((bulk / 8)) -f "$work/$label.sql"
	done
}

measure "after VACUUM"
for quarter in 1 2 3; do
	claim_quarter
	measure "$((quarter * 25)) % claimed since VACUUM"
done
psql_q -c "VACUUM mycc.contact, plain_queue"
measure "after VACUUM, 75 % claimed"

psql_q -v depth="$depth" -v n="$per_round" <<'SQL'
INSERT INTO bench.notes (case_name, note) VALUES ('queue_decay',
	format('%s waiting contacts at the start, 4 queues; autovacuum off on both tables; each stage: a warm-up and 5 rounds of 1 client x %s claim + finish', :depth, :n));
SELECT bench.note_ratio_across('queue_decay', 'after VACUUM', '75 % claimed since VACUUM', 'mycc');
SELECT bench.note_ratio_across('queue_decay', 'after VACUUM', '75 % claimed since VACUUM', 'plain');
SQL

psql_q <<'SQL'
DROP TABLE plain_queue, claim_log;
ALTER TABLE mycc.contact RESET (autovacuum_enabled);
DELETE FROM mycc.contact;
DELETE FROM mycc.agent;
DELETE FROM mycc.queue;
DELETE FROM mycc.customer WHERE name LIKE 'bench %';
SQL
exit $failed
