#!/usr/bin/env bash
# The test command: installs dependencies, builds and installs mycc, then
# runs every suite against a throw-away PostgreSQL (pg_virtualenv).  Ends
# with the line "N passed, N failed" and exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/.."

if ! bash tools/setup.sh; then
	echo "setup failed: dependencies, build or install"
	echo "0 passed, 1 failed"
	exit 1
fi

mkdir -p build
log=build/test.log
pg_virtualenv -t -v 15 -o wal_level=logical bash tools/suites.sh 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

passed=$(grep -cE '\.\.\. ok( |$)' "$log")
failed=$(grep -cE '\.\.\. (FAILED|failed)' "$log")
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
	echo "a suite failed without reporting a test (exit status $status)"
	failed=1
fi
for diffs in regression.diffs output_iso/regression.diffs; do
	if [ -s "$diffs" ]; then
		echo "== $diffs"
		cat "$diffs"
	fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
