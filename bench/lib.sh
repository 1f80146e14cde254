# bench/lib.sh: the shell helpers of the cases timed by pgbench
# (bench/cases/*.sh), sourced by them from the repository's root.  They
# run in the throw-away cluster of bench/run.sh (the PG* variables) and
# record into the tables of bench/lib.sql: a pgbench section's "ms" is
# pgbench's wall time for all its transactions (transactions / tps,
# without connection time), one sample per run, run 0 the untimed warm-up.

# psql, quiet, stopping at the first error.
psql_q() {
	psql -X -q -v ON_ERROR_STOP=1 "$@"
}

# Runs pgbench -n -M prepared -j 2 with CLIENTS clients of PER_CLIENT
# transactions each, and the further pgbench arguments given (-f script,
# -D variables, ...); sets tps to pgbench's figure without connection
# time.  Exits the case, printing pgbench's output, unless every
# transaction was processed and none failed (a client aborted by a failed
# check in its script counts as unprocessed).
# usage: bench_pgbench WHAT CLIENTS PER_CLIENT [pgbench arguments...]
bench_pgbench() {
	local what=$1 clients=$2 per_client=$3 out processed failed_txns
	shift 3
	out=$(pgbench -n -M prepared -c "$clients" -j 2 -t "$per_client" "$@" 2>&1) || {
		echo "$out"
		echo "$what: pgbench failed"
		exit 1
	}
	tps=$(sed -n 's/^tps = \([0-9.]*\) (without initial connection time)$/\1/p' <<<"$out")
	processed=$(sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' <<<"$out")
	failed_txns=$(sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p' <<<"$out")
	if [ -z "$tps" ] || [ "$processed" != $((clients * per_client)) ] || [ "${failed_txns:-0}" != 0 ]; then
		echo "$out"
		echo "$what: $processed of $((clients * per_client)) transactions"
		exit 1
	fi
}

# Records one run of a pgbench script: its time (TXNS / TPS, NULL for the
# warm-up run 0) and its answer, for bench.report().
# usage: bench_sample CASE SECTION LABEL RUN TXNS TPS ANSWER
bench_sample() {
	psql_q -v c="$1" -v s="$2" -v l="$3" -v r="$4" -v txns="$5" -v tps="$6" -v a="$7" <<'SQL'
INSERT INTO bench.samples (case_name, section, label, run, ms, answer)
VALUES (:'c', :'s', :'l', :r, CASE WHEN :r > 0 THEN 1000.0 * :txns / :tps END, :a);
SQL
}

# Records a pgbench script as the "SQL" of a query of the report, its
# lines joined by spaces.
# usage: bench_script CASE SECTION LABEL FILE
bench_script() {
	psql_q -v c="$1" -v s="$2" -v l="$3" -v q="$(tr '\n' ' ' <"$4" | sed 's/ *$//')" \
		<<<"INSERT INTO bench.queries VALUES (:'c', :'s', :'l', :'q');"
}

# Adds a FAILED row to the table for a run whose checks found problems.
# usage: bench_failed SECTION LABEL DETAIL
bench_failed() {
	psql_q -v s="$1" -v l="$2" -v d="$3" <<<"SELECT bench.status_row(:'s', :'l', 'FAILED', :'d');"
}

# One checked run: CHECK is "ANSWER|PROBLEMS" (no problems: all is well).
# Prints the run's line, adds a FAILED row if the check found problems,
# records the sample; returns 1 when there were problems.
# usage: bench_result CASE SECTION LABEL RUN TXNS TPS CHECK FAILED_LABEL
bench_result() {
	local answer=${7%%|*} problems=${7#*|} status=0
	[ -z "$problems" ] && problems=ok
	echo "$2, $3, run $4: tps $6, answer $answer, $problems"
	if [ "$problems" != ok ]; then
		status=1
		bench_failed "$2" "$8" "$problems"
	fi
	bench_sample "$1" "$2" "$3" "$4" "$5" "$6" "$answer"
	return $status
}
