#!/usr/bin/env bash
# For developers with several checkouts (git worktrees) on one machine:
# builds this checkout, installs it privately under debian/mycc (not into
# the system's PostgreSQL), and runs the suites against a throw-away server
# that loads mycc from there (pg_virtualenv -p, Debian's extension_destdir).
# Checkouts do not disturb each other's installs; give each its own port:
#	PGPORT=5471 bash tools/dev_check.sh [make target ...]
# With no target it runs every suite (tools/suites.sh).  Needs the packages
# tools/setup.sh installs.
set -euo pipefail
cd "$(dirname "$0")/.."
export PG_CONFIG=/usr/lib/postgresql/15/bin/pg_config

make -s WERROR=1 PG_CONFIG="$PG_CONFIG"
rm -rf debian/mycc
make -s install PG_CONFIG="$PG_CONFIG" DESTDIR="$PWD/debian/mycc" >/dev/null
if [ $# -eq 0 ]; then
	exec pg_virtualenv -t -p mycc -v 15 -o wal_level=logical bash tools/suites.sh
fi
exec pg_virtualenv -t -p mycc -v 15 make -s PG_CONFIG="$PG_CONFIG" "$@"
