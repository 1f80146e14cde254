#!/usr/bin/env bash
# Runs every test suite against the server in the environment (PGHOST,
# PGPORT, ... as pg_virtualenv sets them).  Each test prints one line
# "test NAME ... ok" or "test NAME ... FAILED", the format pg_regress uses,
# which tools/test.sh counts.  Exits non-zero when any suite fails.
cd "$(dirname "$0")/.."
export PG_CONFIG=/usr/lib/postgresql/15/bin/pg_config
status=0

# Checks that are not SQL: each prints its own result line.
bash tools/static_checks.sh || status=1

# The pure parsers under libFuzzer with ASan and UBSan, briefly (make
# fuzz-parsers runs them longer; docs/operations.md#testing-robustness).
echo "== fuzz (${FUZZ_SECONDS:-5} s per parser)"
make -s fuzz-parsers FUZZ_SECONDS="${FUZZ_SECONDS:-5}" PG_CONFIG="$PG_CONFIG" || status=1

# Every pg_regress test, the SQL fuzz test included (make installcheck
# leaves it out).
echo "== pg_regress"
make -s regresscheck PG_CONFIG="$PG_CONFIG" || status=1

# Phone numbers against an independent reference (python3-phonenumbers)
# over generated spellings.
echo "== phone numbers against a reference"
bash tools/phone_reference.sh || status=1

echo "== isolation"
make -s isolationcheck PG_CONFIG="$PG_CONFIG" || status=1

# Users' tables of mycc types through logical replication (needs
# wal_level = logical, which tools/test.sh sets).
echo "== logical replication"
bash tools/logical_replication_check.sh || status=1

# Routing under concurrent load: pgbench, then invariants (no contact
# assigned twice, capacity bookkeeping, nothing left claimable).
echo "== routing stress (pgbench)"
bash tools/routing_stress.sh || status=1

# Work pushed to agents: the desktop's LISTEN loop with a real client
# (python3-psycopg2); no contact taken before its enqueue commits.
echo "== push loop (psycopg2)"
/usr/bin/python3 tools/push_loop.py || status=1

# The Python and Node examples of docs/clients.md with the real client
# libraries (python3-psycopg2, python3-psycopg, node-postgres from npm
# with the lock file in tools/clients/).
echo "== client examples (psycopg2, psycopg 3, node-postgres)"
/usr/bin/python3 tools/clients_check.py || status=1

# mycc on a Citus cluster (1 coordinator + 2 workers on loopback, its own
# servers), when ../shared/vendor/ has Citus's source.
echo "== citus"
bash tools/citus_check.sh || status=1

# The Debian package: built from this checkout with dpkg-buildpackage,
# installed, then CREATE EXTENSION mycc and make installcheck on a new
# cluster (tools/package_check.sh).  Last, because installing it replaces
# the files that the suites above ran against (it puts them back after).
echo "== Debian package (dpkg-buildpackage, install, installcheck)"
bash tools/package_check.sh || status=1

exit $status
