#!/usr/bin/env bash
# bench/cases/queue_decay.sh: whether claims slow down as contacts pass
# through a queue (issues 6 and 14).  Not one of design.md's cases: it
# runs only when named, `bash bench/run.sh --only queue_decay`.  Run by
# bench/driver.sh with BENCH_SMALL and the PG* variables of the throw-away
# cluster.
#
# A claim leaves a dead row at the head of its queue until VACUUM removes
# it, and the next claims walk over them.  Since 0.3.0 the waiting
# contacts have a table of their own (mycc.contact_queue), with autovacuum
# settings mycc sets at install (by row count, no cost delay).  This case
# runs with autovacuum ON (the bench server has it off: switched on here
# with ALTER SYSTEM, at its default settings plus what mycc sets; the
# plain queue has the defaults), N waiting contacts (130,000; 30,000 with
# --small) in 4 queues as in the assignment case, and at each stage, for
# mycc and the plain single-table queue alike, 5 rounds (after a warm-up)
# of 1 client x 500 claim + finish transactions (200 with --small; the
# "ms" of the table: their wall time, median of the rounds): right after
# a VACUUM of both, then after each bulk of 8 clients claiming and
# finishing 25,000 contacts (6,000 with --small) on both sides, up to
# 100,000 (24,000) claims since the VACUUM.  Target: mycc after 100,000
# claims within 1.3x of right after the VACUUM.  Checks after each
# measured round: 500 contacts claimed, none twice.
set -euo pipefail
cd "$(dirname "$0")/../.."
. bench/lib.sh
. bench/queue.sh

small=${BENCH_SMALL:-off}
if [ "$small" = on ]; then depth=34000 per_round=200 bulk=6000; else depth=130000 per_round=500 bulk=25000; fi
rounds=5
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
COMMIT;
VACUUM ANALYZE mycc.contact, mycc.contact_queue, mycc.agent, plain_queue;
-- Autovacuum on, at its defaults (the bench server runs with it off).
ALTER SYSTEM SET autovacuum = on;
SELECT pg_reload_conf();
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

# Claims and finishes a bulk of contacts on both sides, 8 clients.
claim_quarter() {
	local label
	for label in mycc plain; do
		psql_q -c "TRUNCATE claim_log"
		bench_pgbench "queue_decay: $label, bulk" 8 $((bulk / 8)) -f "$work/$label.sql"
	done
}

measure "after VACUUM"
for n in 1 2 3 4; do
	claim_quarter
	measure "$((n * bulk)) claims since VACUUM"
done
psql_q -c "VACUUM mycc.contact, mycc.contact_queue, plain_queue"
measure "after VACUUM again"
psql_q -At -c "SELECT 'autovacuum of the queue tables: ' || string_agg(format('%s %s', relname, autovacuum_count), ', ' ORDER BY relname) FROM pg_stat_user_tables WHERE relname IN ('contact_queue', 'contact', 'plain_queue')"

psql_q -v depth="$depth" -v n="$per_round" -v last="$((4 * bulk)) claims since VACUUM" <<'SQL'
INSERT INTO bench.notes (case_name, note)
SELECT 'queue_decay',
	format('%s waiting contacts at the start, 4 queues; autovacuum on (defaults, plus mycc.contact_queue''s settings); each stage: a warm-up and 5 rounds of 1 client x %s claim + finish; autovacuum runs: %s', :depth, :n,
		(SELECT string_agg(format('%s %s', relname, autovacuum_count), ', ' ORDER BY relname) FROM pg_stat_user_tables
		 WHERE relname IN ('contact_queue', 'contact', 'plain_queue')));
-- issue 14: after 100,000 claims within 1.3x of right after VACUUM.
SELECT bench.note_ratio_across('queue_decay', :'last', 'after VACUUM', 'mycc');
SELECT bench.note_ratio_across('queue_decay', :'last', 'after VACUUM', 'plain');
ALTER SYSTEM RESET autovacuum;
SELECT pg_reload_conf();
SQL

psql_q <<'SQL'
DROP TABLE plain_queue, claim_log;
DELETE FROM mycc.contact;
DELETE FROM mycc.agent;
DELETE FROM mycc.queue;
DELETE FROM mycc.customer WHERE name LIKE 'bench %';
SQL
exit $failed
