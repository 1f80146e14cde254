#!/usr/bin/env bash
# Builds and installs Citus from ../shared/vendor/ (its README) for the
# Citus suite, unless the same version is installed already.  Exits 2 (and
# says so) when the vendored source is not there.  Needs the packages
# tools/setup.sh installs, and installs Citus's own build dependencies.
set -euo pipefail
cd "$(dirname "$0")/.."
version=13.2.2
tarball=../shared/vendor/citus-$version.tar.gz
export PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}

if [ ! -f "$tarball" ]; then
	echo "citus: $tarball is not here; the Citus suite is skipped"
	exit 2
fi
# The library names its release ("Citus 13.2.2 on ..."): reuse an install of this version.
if grep -aq "Citus $version on" "$($PG_CONFIG --pkglibdir)/citus.so" 2>/dev/null; then
	echo "citus: $version is installed"
	exit 0
fi
(cd ../shared/vendor && sha256sum --quiet --strict -c --ignore-missing SHA256SUMS)

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "== citus: installing its build dependencies"
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
	libkrb5-dev liblz4-dev libzstd-dev libcurl4-openssl-dev >/dev/null

build=build/citus
rm -rf "$build"
mkdir -p "$build"
tar -xzf "$tarball" -C "$build"
src=$build/citus-$version
# PostgreSQL 15.20 exports have_createdb_privilege(); Citus 13.2.2 defines a
# static inline copy for servers older than 16, which then does not compile.
if grep -q 'have_createdb_privilege' "$($PG_CONFIG --includedir-server)/commands/dbcommands.h"; then
	sed '/^static inline bool$/{N;/\nhave_createdb_privilege(void)$/{:a;N;/\n}$/!ba;d}}' \
		"$src/src/include/pg_version_compat.h" > "$src/compat.h"
	mv "$src/compat.h" "$src/src/include/pg_version_compat.h"
fi
echo "== citus: building $version (about 10 minutes on 2 cores, once)"
(cd "$src" && ./configure -q PG_CONFIG="$PG_CONFIG" >/dev/null && make -s -j"$(nproc)" >/dev/null && $sudo make -s install >/dev/null)
echo "citus: $version installed"
