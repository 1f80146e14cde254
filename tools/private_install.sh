# Sourced by tools/dev_check.sh, tools/package_check.sh and the benchmarks.
#
# private_install [MAKE VARIABLES]: builds this checkout and installs it
# under build/install (not into the system's PostgreSQL), then sets
# private_opts (below) for it.  Checkouts on one machine do not disturb
# each other's installs.  Needs PG_CONFIG.
#
# private_bench [PG_VIRTUALENV OPTIONS] COMMAND...: private_install (with
# PostgreSQL 15's pg_config unless PG_CONFIG is set), then runs COMMAND in a throw-away server that loads this private install, with
# the settings of the A/B benchmarks in bench/ab (shared_buffers 1GB, no
# JIT, no autovacuum, minimal WAL), and the options given.  Replaces the
# shell (exec).
#
# private_server DIR: sets private_opts to the pg_virtualenv options that
# make a throw-away server load mycc from DIR, a tree laid out like / (as
# make install DESTDIR=DIR or dpkg-deb -x make it): extension_destdir (a
# Debian patch of PostgreSQL) and dynamic_library_path.
private_install() {
	make -s "$@" PG_CONFIG="$PG_CONFIG"
	rm -rf build/install
	make -s install PG_CONFIG="$PG_CONFIG" DESTDIR="$PWD/build/install" >/dev/null
	private_server "$PWD/build/install"
}

private_server() {
	local libdir
	libdir=$("$PG_CONFIG" --pkglibdir)
	private_opts=(-o "extension_destdir=$1" -o "dynamic_library_path=$1$libdir:$libdir")
}

private_bench() {
	export PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}
	private_install
	exec pg_virtualenv -t "${private_opts[@]}" -v 15 -o shared_buffers=1GB -o jit=off -o autovacuum=off \
		-o wal_level=minimal -o max_wal_senders=0 "$@"
}
