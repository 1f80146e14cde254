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

# META.json's versions equal the control file's default_version.
meta_version() {
	local control meta
	control=$(sed -n "s/^default_version *= *'\(.*\)'/\1/p" mycc.control)
	meta=$(grep -oE '"version": *"[0-9][^"]*"' META.json | grep -v '"1.0.0"' | sed 's/.*"\([^"]*\)"$/\1/' | sort -u)
	[ "$meta" = "$control" ] || { echo "META.json says '$meta', mycc.control says '$control'"; return 1; }
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
		if sed 's/--.*$//' "$f" | grep -inE 'OR[[:space:]]+REPLACE|IF[[:space:]]+NOT[[:space:]]+EXISTS'; then
			echo "$f: CREATE OR REPLACE / IF NOT EXISTS in the install script"
			bad=1
		fi
	done
	return $bad
}

report meta_version meta_version
report install_script_hygiene install_script_hygiene
report sql_parts_listed sql_parts_listed
exit $status
