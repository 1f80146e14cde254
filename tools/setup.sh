#!/usr/bin/env bash
# Installs what mycc needs from Debian's packages, then builds and installs
# the extension.  Shared by the demo, test and bench commands.
set -euo pipefail
cd "$(dirname "$0")/.."

# clang-14 and its sanitizer runtimes build the libFuzzer harnesses (make fuzz-parsers).
# Phone numbers: libphonenumber (C++, hence g++); e-mail domains: libidn2;
# python3-phonenumbers is the independent reference of the phone_reference test.
# build-essential, debhelper and postgresql-server-dev-all (pg_buildext's
# dh sequence) build the Debian package (tools/package_check.sh);
# python3 checks META.json (tools/pgxn_meta.py); python3-psycopg2 runs the
# agent-desktop push loop (tools/push_loop.py); python3-matplotlib draws
# the pictures of docs/ (make pictures, tools/pictures.py); python3-psycopg2,
# python3-psycopg and nodejs (with npm, below) run the examples of
# docs/clients.md (tools/clients_check.py).
packages=(make gcc g++ libc6-dev postgresql-15 postgresql-server-dev-15 postgresql-common
	clang-14 libclang-rt-14-dev libphonenumber-dev libidn2-dev python3-phonenumbers
	build-essential debhelper postgresql-server-dev-all python3 python3-psycopg2 python3-psycopg python3-matplotlib nodejs)
# npm runs the Node examples of docs/clients.md (npm ci).  Debian's npm
# package goes with Debian's nodejs; a nodejs from elsewhere (NodeSource)
# brings its own npm and conflicts with Debian's.
if ! command -v npm >/dev/null 2>&1; then
	packages+=(npm)
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
	sudo="sudo"
fi

echo "== installing Debian packages: ${packages[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null

export PG_CONFIG=/usr/lib/postgresql/15/bin/pg_config
echo "== building mycc $(sed -n "s/^default_version *= *'\(.*\)'/\1/p" mycc.control) for $($PG_CONFIG --version)"
make -s WERROR=1 PG_CONFIG="$PG_CONFIG"
$sudo make -s install PG_CONFIG="$PG_CONFIG"
