#!/usr/bin/env bash
# bench/driver.sh: runs inside the throw-away cluster that bench/run.sh
# starts (pg_virtualenv sets PGHOST, PGPORT, PGUSER, PGDATABASE).  Installs
# bench/lib.sql, runs each case of design.md section 7 that has a file in
# bench/cases/, lists the others as missing, prints the table and writes it
# to bench/results/latest.md.  Exits non-zero when a case fails or a mycc
# answer differs from its baseline's.
#
# A case is bench/cases/NAME.sql, run by psql with the variables small
# (on/off), runs and method; or bench/cases/NAME.sh, run by bash with the
# same values in BENCH_SMALL, BENCH_RUNS and BENCH_METHOD.  Either reports
# its rows through bench.measure() and bench.report() (see bench/lib.sql).
set -uo pipefail
cd "$(dirname "$0")/.."

: "${BENCH_SMALL:=off}" "${BENCH_RUNS:=7}" "${BENCH_METHOD:=clock}" "${BENCH_ONLY:=}"
: "${BENCH_COMMIT:=unknown}" "${BENCH_SETTINGS:=}"
export BENCH_SMALL BENCH_RUNS BENCH_METHOD

out=bench/results
mkdir -p "$out"

# The cases of design.md section 7, in its order (with tiers, from issue 3,
# after NPS, and resolve, from issue 5, after identity): file name | what
# it measures.
cases=(
	"nps|NPS over N answers: mycc.nps(score) vs count(*) FILTER arithmetic, floor count(*)"
	"tier|tiering N customers: mycc.pareto_tier() vs running sum() + CASE over the cut-offs; mycc.tier_for_value() vs LEFT JOIN LATERAL ... LIMIT 1"
	"tags|tag match, 1M customers: tags @@ 'vip & !complainer' (GIN, seq scan) vs text[] @>/&& with GIN, intarray query_int"
	"sessions|sessionize 10M contacts: mycc.session_id() window vs lag() + running sum() gaps-and-islands"
	"identity|identity components, 1M links: mycc.connected_components vs recursive CTE label propagation"
	"resolve|resolve and link throughput, pgbench 8 clients: mycc.resolve (creating, found), mycc.link vs find-or-create ... ON CONFLICT DO NOTHING on plain tables"
	"routing|route 1M contacts, 500 rules: mycc.route(facts) vs LATERAL (... WHERE facts @@ condition ORDER BY priority LIMIT 1)"
	"assignment|assignment throughput, pgbench 8-16 clients: mycc.next_contact vs UPDATE ... SKIP LOCKED LIMIT 1 queue"
)
# Cases outside design.md's table, run only when named by --only (they
# take longer and measure something else): how cost grows with the data,
# and peak backend memory.
optional_cases=(
	"growth|how cost grows: tag match, sessionizer, connected components at 3 sizes each"
	"memory|peak backend memory: connected_components on 1M links, tag_union over 1M customers, nps_agg over 10M answers"
	"queue_decay|claims between two VACUUMs: next_contact + finish vs the SKIP LOCKED queue as claimed contacts pile up in the queue index"
)

# Whether BENCH_ONLY (empty, or names separated by commas) selects a case.
selected() {
	[ -z "$BENCH_ONLY" ] && return 0
	case ",$BENCH_ONLY," in *",$1,"*) return 0 ;; esac
	return 1
}

psql_q() {
	psql -X -q -v ON_ERROR_STOP=1 "$@"
}

# Adds a row without numbers: bench.status_row(section, label, status).
status_row() {
	psql_q -v section="$1" -v label="$2" -v status="$3" -v detail="${4:-}" \
		<<<"SELECT bench.status_row(:'section', :'label', :'status', nullif(:'detail', ''));" >/dev/null
}

if ! psql_q -c "CREATE EXTENSION mycc" -c "CREATE EXTENSION pg_prewarm" \
		-f bench/lib.sql >"$out/setup.log" 2>&1; then
	cat "$out/setup.log"
	echo "bench: could not install mycc, pg_prewarm or bench/lib.sql"
	exit 1
fi

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
status=0
for entry in "${cases[@]}" "${optional_cases[@]/#/optional:}"; do
	optional=0
	if [[ $entry == optional:* ]]; then
		optional=1
		entry=${entry#optional:}
	fi
	name=${entry%%|*}
	label=${entry#*|}
	if [ $optional = 1 ] && { [ -z "$BENCH_ONLY" ] || ! selected "$name"; }; then
		continue
	fi
	file=""
	for f in "bench/cases/$name.sql" "bench/cases/$name.sh"; do
		[ -f "$f" ] && file=$f && break
	done
	if [ -z "$file" ]; then
		status_row "not built yet" "$name: $label" missing
		continue
	fi
	if ! selected "$name"; then
		status_row "not run (--only $BENCH_ONLY)" "$name: $label" skipped
		continue
	fi
	log="$out/$name.log"
	echo "== $name ($file, log in $log)"
	started=$SECONDS
	case $file in
		*.sql) psql_q -v small="$BENCH_SMALL" -v runs="$BENCH_RUNS" -v method="$BENCH_METHOD" \
				-f "$file" >"$log" 2>&1 ;;
		*.sh) bash "$file" >"$log" 2>&1 ;;
	esac
	rc=$?
	if [ $rc -ne 0 ]; then
		tail -20 "$log"
		status_row failed "$name: $label" FAILED "exit status $rc; see $log"
		status=1
	fi
	echo "   $((SECONDS - started)) s"
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# The report: facts about the run, the table, the targets, notes, spread.
settings=$(psql_q -At -v names="$BENCH_SETTINGS" <<<"
	SELECT string_agg(format('%s=%s', name, current_setting(name)), ', ' ORDER BY ord)
	FROM unnest(string_to_array(:'names', ' ')) WITH ORDINALITY AS n(name, ord);")
server=$(psql_q -At -c "SELECT version()")
mycc_version=$(psql_q -At -c "SELECT extversion FROM pg_extension WHERE extname = 'mycc'")
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
mem=$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
scale=$([ "$BENCH_SMALL" = on ] && echo "--small" || echo "full")

table=$(psql_q -At -c "SELECT bench.render()")
targets=$(psql_q -At -c "SELECT bench.render_targets()")
notes=$(psql_q -At -c "SELECT coalesce(string_agg(format('- %s: %s', case_name, note), E'\n' ORDER BY ord), '(none)') FROM bench.notes")
checks=$(psql_q -At -c "SELECT coalesce(string_agg(format('- %s, %s: %s%s', section, case_label, check_result, coalesce(' — ' || detail, '')), E'\n' ORDER BY ord), '(none)') FROM bench.results WHERE check_result NOT IN ('missing', 'skipped')")
spread=$(psql_q -At -c "SELECT bench.render_samples()")
growth=$(psql_q -At -c "SELECT bench.render_growth()")
memory=$(psql_q -At -c "SELECT bench.render_memory()")
failures=$(psql_q -At -c "SELECT bench.failures()")
psql_q -c "\copy (SELECT case_name, section, label, run, ms, answer FROM bench.samples ORDER BY id) TO '$out/samples.csv' CSV HEADER"

header="Run $(date -u '+%Y-%m-%d %H:%M UTC'), commit $BENCH_COMMIT, scale $scale, $BENCH_RUNS timed runs per query, timing method $BENCH_METHOD.

Machine: $(nproc) CPUs ($cpu), $mem RAM, $(uname -sr); load average $load_before before the cases, $load_after after.
Server: $server; mycc $mycc_version.
Settings: $settings."

{
	echo "# mycc benchmark: latest run"
	echo
	echo "$header"
	echo
	echo "$table"
	echo
	echo "Targets:"
	echo
	echo "$targets"
	echo
	echo "Answer checks (mycc vs baseline within 1e-9; floor counted every row):"
	echo
	echo "$checks"
	echo
	if [ -n "$growth" ]; then
		echo "How cost grows (medians; \"size ×\" and \"time ×\": against the previous size):"
		echo
		echo "$growth"
		echo
	fi
	if [ -n "$memory" ]; then
		echo "Peak backend memory (fresh backend per query, /proc/self/status):"
		echo
		echo "$memory"
		echo
	fi
	echo "Notes:"
	echo
	echo "$notes"
	echo
	echo "Spread of the timed runs, and the SQL of each query:"
	echo
	echo "$spread"
} >"$out/latest.md"

echo
echo "$header"
echo
echo "$table"
echo
echo "Targets:"
echo "$targets"
echo
if [ -n "$growth" ]; then
	echo "How cost grows:"
	echo "$growth"
	echo
fi
if [ -n "$memory" ]; then
	echo "Peak backend memory:"
	echo "$memory"
	echo
fi
echo "Written to $out/latest.md (with the spread of every query and its SQL)."

if [ "$failures" != 0 ]; then
	echo "bench: $failures row(s) failed: a case broke or mycc's answer differs from the baseline's"
	echo "$checks"
	status=1
fi
exit $status
