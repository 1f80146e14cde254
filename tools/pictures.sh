#!/usr/bin/env bash
# make pictures: draws the PNGs of docs/ (tools/pictures.py) from the demo's
# data.  Builds and installs this checkout privately (tools/private_install.sh),
# starts a throw-away PostgreSQL 15 (pg_virtualenv), runs the demo's story
# (tools/demo_show.sh: the sample, the morning of routed traffic) with its
# output discarded, and draws from its database.  Needs the packages
# tools/setup.sh installs (Debian's python3-matplotlib and python3-psycopg2,
# hence /usr/bin/python3).
set -euo pipefail
cd "$(dirname "$0")/.."
export PG_CONFIG="${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}"
. tools/private_install.sh

private_install WERROR=1
pg_virtualenv -t "${private_opts[@]}" -v 15 \
	bash -c 'bash tools/demo_show.sh > /dev/null && /usr/bin/python3 tools/pictures.py mycc_demo docs'
