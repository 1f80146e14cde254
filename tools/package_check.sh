#!/usr/bin/env bash
# The Debian package as a user builds and installs it (docs/operations.md,
# "The Debian package"): copies this checkout's files to a scratch
# directory, builds postgresql-15-mycc there with dpkg-buildpackage -us -uc
# -b (pg_buildext: out of tree, per version in debian/pgversions; its
# build-time tests skipped, as the same tests run below on the installed
# package), installs the .deb, and on a new throw-away cluster runs
# CREATE EXTENSION mycc and make installcheck (every pg_regress test
# but the slow SQL fuzz test, which the test command runs, and every
# isolation test) against what the package installed.  Prints one line
# "test debian_package ... ok" (or FAILED, then the output of the failing
# step) for tools/test.sh to count.
#
# MYCC_PACKAGE_INSTALL=system (the default: tools/test.sh, CI; root or
# sudo) installs the .deb with apt-get.  Afterwards it removes the package
# and puts back the make install of this checkout that tools/setup.sh made
# (unless the package was installed before), so the system is left as the
# demo and the other suites use it.  MYCC_PACKAGE_INSTALL=private
# (tools/dev_check.sh) unpacks the .deb into the scratch directory and
# points the cluster at it (extension_destdir), leaving the system alone.
set -uo pipefail
cd "$(dirname "$0")/.."
export PG_CONFIG=/usr/lib/postgresql/15/bin/pg_config
. tools/private_install.sh
package=postgresql-15-mycc

# Run by pg_virtualenv in the new cluster: CREATE EXTENSION mycc gives
# this checkout's version; then make installcheck in the copy SRC.
in_cluster() {
	local src=$1 version=$2 got
	set -e
	createdb mycc_package
	got=$(psql -X -At -v ON_ERROR_STOP=1 -d mycc_package -c 'CREATE EXTENSION mycc' \
		-c "SELECT extversion FROM pg_extension WHERE extname = 'mycc'" | tail -n 1)
	echo "CREATE EXTENSION mycc: version $got"
	[ "$got" = "$version" ]
	cd "$src"
	make installcheck PG_CONFIG="$PG_CONFIG"
}
if [ "${1:-}" = --in-cluster ]; then
	in_cluster "$2" "$3"
	exit
fi

mode=${MYCC_PACKAGE_INSTALL:-system}
version=$(sed -n "s/^default_version *= *'\(.*\)'/\1/p" mycc.control)
sudo=""
if [ "$(id -u)" -ne 0 ]; then
	sudo="sudo"
fi
scratch=$(mktemp -d -t mycc-package.XXXXXX)
chmod 755 "$scratch" # the server (user postgres) reads the private install
src=$scratch/mycc
log=$scratch/log
was_installed=0
if dpkg-query -W -f '${Status}' "$package" 2>/dev/null | grep -q ' installed$'; then
	was_installed=1
fi

cleanup() {
	if [ "$mode" = system ] && [ "$was_installed" = 0 ] &&
		dpkg-query -W -f '${Status}' "$package" 2>/dev/null | grep -q ' installed$'; then
		$sudo dpkg --purge "$package" >/dev/null &&
			$sudo make -s install PG_CONFIG="$PG_CONFIG" >/dev/null ||
			echo "tools/package_check.sh: could not remove $package and make install again"
	fi
	rm -rf "$scratch"
}
trap cleanup EXIT

# step DESCRIPTION COMMAND...: runs the command with its output in the log;
# on failure prints the result line, the end of the log without the
# server's log lines (and with pg_regress's "... ok" lines reworded, so
# that tools/test.sh does not count them), the diffs, and exits.
step() {
	local what=$1 diffs
	shift
	echo "== $what" >>"$log"
	if ! "$@" >>"$log" 2>&1; then
		printf 'test %-28s ... FAILED\n' debian_package
		echo "    $what failed:"
		grep -vE '^[0-9]{4}-[0-9]{2}-[0-9]{2} |^'$'\t' "$log" | tail -n 50 |
			sed 's/\.\.\. */: /; s/^/    /'
		for diffs in "$src"/regression.diffs "$src"/output_iso/regression.diffs; do
			if [ -s "$diffs" ]; then sed 's/^/    /' "$diffs"; fi
		done
		exit 1
	fi
}

# This checkout's files: tracked and new ones, not ignored ones (no build
# products); outside a git checkout, everything but build/.
copy_source() {
	mkdir "$src" || return 1
	if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
		git ls-files -z --cached --others --exclude-standard |
			while IFS= read -r -d '' f; do if [ -e "$f" ]; then printf '%s\0' "$f"; fi; done |
			xargs -0 -r cp --parents -t "$src" --
	else
		tar --exclude=./build -cf - . | tar -C "$src" -xf -
	fi
}

build() {
	(cd "$src" && DEB_BUILD_OPTIONS="nocheck parallel=2" DEB_BUILD_PROFILES=nocheck \
		dpkg-buildpackage -us -uc -b)
}

install_package() {
	if [ "$mode" = system ]; then
		$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$deb" &&
			dpkg -S "$("$PG_CONFIG" --pkglibdir)/mycc.so"
	else
		dpkg-deb -x "$deb" "$scratch/root"
	fi
}

# A new cluster, not the one the other suites use, that loads mycc from
# where the package put it.
installcheck() {
	local opts=()
	if [ "$mode" = private ]; then
		private_server "$scratch/root"
		opts=("${private_opts[@]}")
	fi
	env -u PGPORT -u PGHOST -u PGDATABASE -u PGUSER -u PGPASSWORD -u PGVERSION \
		-u PGCLUSTER -u PG_CLUSTER_CONF_ROOT -u PGSYSCONFDIR \
		pg_virtualenv -t "${opts[@]}" -v 15 bash "$PWD/tools/package_check.sh" --in-cluster "$src" "$version"
}

SECONDS=0
step "copying the source" copy_source
step "dpkg-buildpackage -us -uc -b" build
built=$SECONDS
deb=$(ls "$scratch"/${package}_*.deb 2>/dev/null | head -n 1)
step "finding the built $package .deb" test -n "$deb"
step "installing $(basename "$deb") ($mode)" install_package
installed=$SECONDS
step "CREATE EXTENSION mycc and make installcheck on a new cluster" installcheck
printf 'test %-28s ... ok          %s, %d s (build %d s, install %d s, installcheck %d s)\n' \
	debian_package "$(basename "$deb")" "$SECONDS" "$built" $((installed - built)) $((SECONDS - installed))
