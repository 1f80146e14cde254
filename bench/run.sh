#!/usr/bin/env bash
# The bench command (make bench): installs what mycc needs and builds and
# installs it (tools/setup.sh), starts a throw-away PostgreSQL 15 tuned for
# benchmarking (pg_virtualenv), and runs the cases of design.md section 7
# against the plain-SQL way a user would write them (bench/driver.sh).
# Prints one table of medians and ratios, also written to
# bench/results/latest.md; docs/performance.md explains the method and the
# settings.  Exits non-zero when a case fails or mycc's answer differs from
# the baseline's.  Missed performance targets are reported, not failures.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() {
	cat <<'USAGE'
usage: bash bench/run.sh [--small] [--runs N] [--no-setup] [--only CASE] [--method clock|explain]
  --small         a tenth of the data (NPS: 1,000,000 answers instead of 10,000,000;
                  tiers: 100,000 customers instead of 1,000,000); 5 runs
  --runs N        timed runs per query (default 7, or 5 with --small)
  --no-setup      skip tools/setup.sh (packages, build, install)
  --private       with --no-setup: build this checkout and load it from a private
                  install (build/install, as tools/dev_check.sh does), not the system's
  --only CASE[,CASE...]
                  run only bench/cases/CASE.* (the others are listed as not run);
                  growth and memory run only when named here
  --method M      clock (default): clock_timestamp() around EXECUTE in PL/pgSQL;
                  explain: EXPLAIN (ANALYZE, TIMING OFF, SUMMARY ON)'s Execution Time
USAGE
	exit "${1:-0}"
}

small=off
runs=""
setup=1
private=0
only=""
method=clock
while [ $# -gt 0 ]; do
	case $1 in
		--small) small=on ;;
		--runs) [ $# -ge 2 ] || usage 1; runs=$2; shift ;;
		--runs=*) runs=${1#--runs=} ;;
		--no-setup) setup=0 ;;
		--private) private=1 ;;
		--only) [ $# -ge 2 ] || usage 1; only=$2; shift ;;
		--only=*) only=${1#--only=} ;;
		--method) [ $# -ge 2 ] || usage 1; method=$2; shift ;;
		--method=*) method=${1#--method=} ;;
		-h|--help) usage 0 ;;
		*) echo "bench/run.sh: unknown argument \"$1\"" >&2; usage 1 >&2 ;;
	esac
	shift
done
if [ -z "$runs" ]; then
	runs=$([ "$small" = on ] && echo 5 || echo 7)
fi
if ! [[ "$runs" =~ ^[1-9][0-9]*$ ]]; then
	echo "bench/run.sh: --runs needs a positive integer, not \"$runs\"" >&2
	exit 1
fi
if [ "$method" != clock ] && [ "$method" != explain ]; then
	echo "bench/run.sh: --method is clock or explain, not \"$method\"" >&2
	exit 1
fi
if [ -n "$only" ]; then
	IFS=, read -ra only_cases <<<"$only"
	for c in "${only_cases[@]}"; do
		if [ ! -f "bench/cases/$c.sql" ] && [ ! -f "bench/cases/$c.sh" ]; then
			echo "bench/run.sh: no case bench/cases/$c.sql or .sh" >&2
			exit 1
		fi
	done
fi

if [ "$setup" = 1 ] && [ "$private" = 1 ]; then
	echo "bench/run.sh: --private needs --no-setup" >&2
	exit 1
fi
if [ "$setup" = 1 ]; then
	bash tools/setup.sh
fi
private_opts=()
if [ "$private" = 1 ]; then
	export PG_CONFIG=/usr/lib/postgresql/15/bin/pg_config
	. tools/private_install.sh
	private_install
fi

# The server's settings; docs/performance.md says why each.  Cases change
# only max_parallel_workers_per_gather (and planner costs) per section.
settings=(
	shared_buffers=4GB
	work_mem=256MB
	maintenance_work_mem=1GB
	max_parallel_workers_per_gather=0
	max_parallel_workers=8
	max_worker_processes=16
	jit=off
	autovacuum=off
	wal_level=minimal
	max_wal_senders=0
	max_wal_size=16GB
	checkpoint_timeout=1h
)
opts=()
names=()
for s in "${settings[@]}"; do
	opts+=(-o "$s")
	names+=("${s%%=*}")
done
# pg_virtualenv adds fsync=off itself; report it with the others.
names+=(fsync parallel_leader_participation)

commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
if [ -n "$(git status --porcelain --untracked-files=normal -- src Makefile mycc.control 2>/dev/null)" ]; then
	commit="$commit (plus uncommitted changes in src/, Makefile or mycc.control)"
fi

export BENCH_SMALL=$small BENCH_RUNS=$runs BENCH_METHOD=$method BENCH_ONLY=$only
export BENCH_COMMIT=$commit BENCH_SETTINGS="${names[*]}"
# -t: a private cluster directory even as root, so that a concurrent
# `make test` (which uses the fixed cluster 15/regress) does not collide.
exec pg_virtualenv -t "${private_opts[@]}" -v 15 "${opts[@]}" bash bench/driver.sh
