#!/usr/bin/env bash
# For developers with several checkouts (git worktrees) on one machine:
# builds this checkout, installs it privately under build/install (not into
# the system's PostgreSQL: tools/private_install.sh), and runs the suites
# against a throw-away server that loads mycc from there.  Give each
# checkout its own port:
#	PGPORT=5471 bash tools/dev_check.sh [make target ...]
# With no target it runs every suite (tools/suites.sh); its Debian package
# check then unpacks the package privately too (tools/package_check.sh).
# Needs the packages tools/setup.sh installs.
set -euo pipefail
cd "$(dirname "$0")/.."
export PG_CONFIG=/usr/lib/postgresql/15/bin/pg_config
. tools/private_install.sh

private_install WERROR=1
if [ $# -eq 0 ]; then
	export MYCC_PACKAGE_INSTALL=private
	exec pg_virtualenv -t "${private_opts[@]}" -v 15 -o wal_level=logical bash tools/suites.sh
fi
exec pg_virtualenv -t "${private_opts[@]}" -v 15 make -s PG_CONFIG="$PG_CONFIG" "$@"
