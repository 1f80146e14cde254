#!/usr/bin/env bash
# bench/push_latency.sh: how soon an agent desktop takes a contact after
# the transaction that enqueued it commits (issue 14: median under 20 ms).
# Runs tools/push_loop.py (the LISTEN loop of docs/routing.md, Debian's
# python3-psycopg2) with N contacts (default 500), one at a time, in a
# throw-away cluster loading this checkout's private install (build it
# first: PGPORT=... bash tools/dev_check.sh installcheck REGRESS=install).
# Prints the median, 90th percentile and maximum of COMMIT -> claim.
#	PGPORT=5473 bash bench/push_latency.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-500}
exec pg_virtualenv -t -p mycc -v 15 -o autovacuum=on /usr/bin/python3 tools/push_loop.py "$n"
