# Sourced by tools/dev_check.sh, tools/package_check.sh and the benchmarks.
#
# private_install [MAKE VARIABLES]: builds this checkout and installs it
# under build/install (not into the system's PostgreSQL), then sets
# private_opts (below) for it.  Checkouts on one machine do not disturb
# each other's installs.  Needs PG_CONFIG.
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
