#!/usr/bin/env bash
# The demo command (README): installs what mycc needs, builds and installs
# it, then runs tools/demo_show.sh against a throw-away PostgreSQL 15
# (pg_virtualenv creates the cluster and removes it afterwards).  Exits
# non-zero if any step fails.
set -euo pipefail
cd "$(dirname "$0")/.."

bash tools/setup.sh
echo "== starting a throw-away PostgreSQL 15 (pg_virtualenv)"
# -t: the cluster lives in a temporary directory even as root, so the demo
# does not collide with a test run's cluster (both would be 15/regress).
pg_virtualenv -t -v 15 bash tools/demo_show.sh
