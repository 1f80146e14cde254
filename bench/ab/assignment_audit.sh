#!/usr/bin/env bash
# The assignment case's work per transaction, side by side
# (docs/performance.md, "The reference audited"): each queue of
# bench/cases/assignment.sh (mycc, reference, narrow, plain by default)
# runs TXNS claim + finish transactions on CLIENTS pgbench clients (TXNS /
# CLIENTS each; with more than one, claims meet), against the
# case's data, in a throw-away server with pg_stat_statements; for each it
# prints, per transaction, the statements run (top level and nested: calls,
# microseconds of execution, rows), the rows each table gained, updated
# (HOT among them) and lost, and the WAL written (pg_stat_wal).  Builds and
# loads this checkout privately, as bench/run.sh --private does.
#	bash bench/ab/assignment_audit.sh [TXNS] [LABELS] [CLIENTS]	(2000, "mycc reference narrow plain", 1)
set -euo pipefail
cd "$(dirname "$0")/../.."

if [ "${1:-}" != --inside ]; then
	. tools/private_install.sh
	private_bench -o shared_preload_libraries=pg_stat_statements -o pg_stat_statements.track=all \
		bash "$0" --inside "${1:-2000}" "${2:-mycc reference narrow plain}" "${3:-1}"
fi
txns=$2
labels=$3
clients=$4
. bench/lib.sh
. bench/queue.sh
assignment_ab_setup "$txns" pg_stat_statements
for label in $labels; do
	psql_q -f bench/assignment_reset.sql
	psql_q -c "SET client_min_messages = warning" -c "DROP TABLE IF EXISTS audit_t0, audit_w0" -c "CREATE TABLE audit_t0 AS SELECT relid, n_tup_ins, n_tup_upd, n_tup_hot_upd, n_tup_del FROM pg_stat_user_tables" \
		-c "CREATE TABLE audit_w0 AS SELECT wal_records, wal_fpi, wal_bytes FROM pg_stat_wal" -c "SELECT pg_stat_statements_reset()" >/dev/null
	PGOPTIONS="-c mycc.account_manager_hold=2min" bench_pgbench "audit: $label" "$clients" $((txns / clients)) -f "$work/$label.sql"
	sleep 1	# the backend's table counts reach the shared statistics
	echo "== $label: $txns transactions on $clients client(s), $tps tps; per transaction:"
	psql -X -v ON_ERROR_STOP=1 -v n="$txns" <<'SQL'
SELECT CASE WHEN toplevel THEN 'top' ELSE 'nested' END AS level, round(calls::numeric / :n, 2) AS calls,
	round((total_exec_time * 1000 / :n)::numeric, 1) AS us, round(rows::numeric / :n, 2) AS rows,
	left(regexp_replace(query, '\s+', ' ', 'g'), 90) AS statement
FROM pg_stat_statements WHERE calls >= :n / 20 AND query NOT LIKE '%audit_%'
ORDER BY toplevel DESC, total_exec_time DESC;
SELECT s.relname AS "table", round((s.n_tup_ins - t.n_tup_ins)::numeric / :n, 2) AS inserted,
	round((s.n_tup_upd - t.n_tup_upd)::numeric / :n, 2) AS updated,
	round((s.n_tup_hot_upd - t.n_tup_hot_upd)::numeric / :n, 2) AS hot,
	round((s.n_tup_del - t.n_tup_del)::numeric / :n, 2) AS deleted
FROM pg_stat_user_tables AS s JOIN audit_t0 AS t USING (relid)
WHERE (s.n_tup_ins, s.n_tup_upd, s.n_tup_del) <> (t.n_tup_ins, t.n_tup_upd, t.n_tup_del)
	AND s.relname NOT LIKE 'audit_%'
ORDER BY 1;
SELECT round((w.wal_records - w0.wal_records)::numeric / :n, 2) AS wal_records,
	round((w.wal_fpi - w0.wal_fpi)::numeric / :n, 2) AS full_pages,
	round((w.wal_bytes - w0.wal_bytes)::numeric / :n) AS wal_bytes
FROM pg_stat_wal AS w, audit_w0 AS w0;
SQL
done
