#!/usr/bin/env bash
# Checks of the source tree that need no server, one result line each.
cd "$(dirname "$0")/.."
status=0

# report NAME COMMAND...: runs the command and prints pg_regress's line format.
report() {
	local name=$1
	shift
	if out=$("$@" 2>&1); then
		printf 'test %-28s ... ok\n' "$name"
	else
		printf 'test %-28s ... FAILED\n' "$name"
		printf '%s\n' "$out" | sed 's/^/    /'
		status=1
	fi
}

# META.json follows the PGXN Meta Spec 1.0 and this project's rules: its
# versions are mycc.control's, release_status follows the version's label,
# its files exist, and its PostgreSQL range is debian/pgversions' and
# src/mycc.h's (docs/operations.md, "META.json").
meta_json() {
	python3 tools/pgxn_meta.py META.json mycc.control debian/pgversions src/mycc.h
}

# The Debian package's version is mycc.control's: 0.3.0-dev is 0.3.0~dev-N
# (a ~ sorts before the release), and debian/control is what pg_buildext
# makes of debian/control.in.
debian_version() {
	local control package upstream
	control=$(sed -n "s/^default_version *= *'\(.*\)'/\1/p" mycc.control)
	package=$(dpkg-parsechangelog -l debian/changelog -S Version) || return 1
	upstream=${package%-*}
	[ "${upstream//\~/-}" = "$control" ] ||
		{ echo "debian/changelog says $package, mycc.control says $control (want ${control//-/\~}-1)"; return 1; }
	pg_buildext checkcontrol
}

# make stops at once, saying what is missing, without pg_config or without
# the server's headers (it used to go on, and exit 0 in a built tree).
make_needs_server_headers() {
	local out fake
	if out=$(make -s PG_CONFIG=/nonexistent 2>&1) ||
		! printf '%s\n' "$out" | grep -q 'PG_CONFIG=/nonexistent: no working pg_config'; then
		echo "make PG_CONFIG=/nonexistent: $out"
		return 1
	fi
	fake=$(mktemp -d)
	printf '#!/bin/sh\ncase $1 in --includedir-server) echo %s ;; *) exec %s "$@" ;; esac\n' \
		"$fake" "${PG_CONFIG:-pg_config}" >"$fake/pg_config"
	chmod +x "$fake/pg_config"
	out=$(make -s PG_CONFIG="$fake/pg_config" 2>&1)
	local status=$?
	rm -rf "$fake"
	if [ $status -eq 0 ] || ! printf '%s\n' "$out" | grep -q 'postgres.h is not in'; then
		echo "make with a pg_config whose server headers are missing: $out"
		return 1
	fi
}

# Every install-script part the Makefile lists exists, and none is left out.
sql_parts_listed() {
	local listed
	listed=$(make -s -f Makefile print-sql-parts 2>/dev/null | tr ' ' '\n' | sort)
	[ "$listed" = "$(ls src/sql/*.sql | sort)" ] || { echo "Makefile SQL_PARTS: $listed"; return 1; }
}

# The install script's parts: the \echo guard first, and no statement that
# would adopt or replace an object someone created before us (style.md).
install_script_hygiene() {
	local bad=0 f
	for f in src/sql/*.sql; do
		if [ "$f" = src/sql/mycc.sql ] && ! head -1 "$f" | grep -q '^\\echo Use "CREATE EXTENSION mycc"'; then
			echo "$f: the first line must be the \\echo guard"
			bad=1
		fi
		# A line that is a quoted string is dynamic SQL a function runs
		# later (tier_publish), not a statement of the script.
		if sed 's/--.*$//' "$f" | grep -vE "^[[:space:]]*'" | grep -inE 'OR[[:space:]]+REPLACE|IF[[:space:]]+NOT[[:space:]]+EXISTS'; then
			echo "$f: CREATE OR REPLACE / IF NOT EXISTS in the install script"
			bad=1
		fi
	done
	return $bad
}

# Released files are frozen: released/mycc--A.sql (the install script of
# each released version) and the upgrade scripts mycc--A--B.sql whose B is
# released match released/SHA256SUMS, and every one of them is listed; the
# version in development is not among them (docs/operations.md#upgrades).
released_frozen() {
	local bad=0 f v current listed
	current=$(sed -n "s/^default_version *= *'\(.*\)'/\1/p" mycc.control)
	sha256sum --quiet --strict -c released/SHA256SUMS || bad=1
	listed=$(awk '{print $2}' released/SHA256SUMS)
	for f in released/mycc--*.sql mycc--*--*.sql; do
		[ -e "$f" ] || continue
		v=${f##*--}
		v=${v%.sql}
		case $f in
		released/*) ;;
		*) [ -e "released/mycc--$v.sql" ] || continue ;;
		esac
		if ! printf '%s\n' "$listed" | grep -qxF "$f"; then
			echo "$f is released but not in released/SHA256SUMS"
			bad=1
		fi
	done
	if [ -e "released/mycc--$current.sql" ]; then
		echo "mycc.control's default_version $current is released: bump it and add mycc--$current--NEXT.sql"
		bad=1
	fi
	# The checksums are in the same tree; git's history is not: no commit
	# may change a released file once added (where there is a history).
	if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
		for f in $listed; do
			if [ -n "$(git log --format=%h --diff-filter=MDR -- "$f")" ] \
				|| ! git diff --quiet HEAD -- "$f" 2>/dev/null; then
				echo "$f was changed after its release: $(git log --format=%h --diff-filter=MDR -- "$f" | tr '\n' ' ')"
				bad=1
			fi
		done
	fi
	return $bad
}

# Upgrade scripts: the \echo guard first, no IF NOT EXISTS (CREATE OR
# REPLACE is how an upgrade changes a function; PostgreSQL refuses it on
# an object that is not mycc's), and one leads away from every released
# version.
upgrade_script_hygiene() {
	local bad=0 f v
	for f in mycc--*--*.sql; do
		[ -e "$f" ] || continue
		if ! head -1 "$f" | grep -qxF '\echo Use "ALTER EXTENSION mycc UPDATE" to load this file. \quit'; then
			echo "$f: the first line must be the \\echo guard"
			bad=1
		fi
		if sed 's/--.*$//' "$f" | grep -inE 'IF[[:space:]]+NOT[[:space:]]+EXISTS'; then
			echo "$f: IF NOT EXISTS in an upgrade script"
			bad=1
		fi
	done
	for f in released/mycc--*.sql; do
		v=${f#released/mycc--}
		v=${v%.sql}
		if ! ls "mycc--$v--"*.sql >/dev/null 2>&1; then
			echo "no upgrade script from released version $v (mycc--$v--NEXT.sql)"
			bad=1
		fi
	done
	return $bad
}

# The library keeps every C symbol a released or upgrade script names: a
# database still at version A (until its DBA runs ALTER EXTENSION mycc
# UPDATE) and CREATE EXTENSION mycc VERSION 'A' call the installed mycc.so
# by the symbols A's scripts gave its functions.  Each needs the function
# and its pg_finfo_ record.
released_c_symbols() {
	local bad=0 sym s exported
	[ -f mycc.so ] || { echo "mycc.so is not built (make first)"; return 1; }
	exported=$(nm -D --defined-only mycc.so | awk '{print $NF}')
	for sym in $(grep -ohE "'MODULE_PATHNAME', *'[A-Za-z0-9_]+'" released/mycc--*.sql mycc--*--*.sql 2>/dev/null |
			sed "s/.*, *'\([A-Za-z0-9_]*\)'/\1/" | sort -u); do
		for s in "$sym" "pg_finfo_$sym"; do
			if ! printf '%s\n' "$exported" | grep -qxF "$s"; then
				echo "mycc.so does not export $s, which a released or upgrade script names"
				bad=1
			fi
		done
	done
	return $bad
}

report meta_json meta_json
report debian_version debian_version
report make_needs_server_headers make_needs_server_headers
report install_script_hygiene install_script_hygiene
report sql_parts_listed sql_parts_listed
report released_frozen released_frozen
report upgrade_script_hygiene upgrade_script_hygiene
report released_c_symbols released_c_symbols
exit $status
