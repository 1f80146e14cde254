#!/usr/bin/env bash
# A/B of the assignment case (bench/cases/assignment.sh, issue 6): this
# checkout against a base revision, side by side on one machine.  The base
# is checked out in a scratch worktree; each side is built and installed
# privately (bench/run.sh --private) and runs the whole case, the sides
# alternating, ROUNDS times each.  Prints one line per run and case row:
# the side, the round, the clients, mycc's and the baseline's milliseconds
# (each the median of the case's pgbench rounds) and their ratio.  Needs
# the packages tools/setup.sh installs; run it on an otherwise idle machine.
#	bash bench/ab/assignment.sh BASE [ROUNDS]	(ROUNDS 2 by default)
set -euo pipefail
cd "$(dirname "$0")/../.."
base=${1:?usage: bash bench/ab/assignment.sh BASE [ROUNDS]}
rounds=${2:-2}
base_rev=$(git rev-parse --short "$base")
head_rev=$(git rev-parse --short HEAD)
if [ -n "$(git status --porcelain --untracked-files=no -- src 2>/dev/null)" ]; then
	head_rev="$head_rev+"
fi

work=$(mktemp -d)
chmod 755 "$work"	# the server reads the base's private install in it
git worktree add --detach --force "$work/base" "$base" >/dev/null 2>&1
trap 'git worktree remove --force "$work/base"; rm -rf "$work"' EXIT

# Runs the case in checkout $1, logging to $2; prints its assignment rows
# as "clients mycc_ms baseline_ms ratio".
run_case() {
	(cd "$1" && bash bench/run.sh --no-setup --private --only assignment) >"$2" 2>&1 || {
		cat "$2" >&2
		echo "bench/ab/assignment.sh: the case failed in $1" >&2
		exit 1
	}
	awk -F'|' '/^\| assignment, [0-9]+ clients/ {
		match($2, /[0-9]+ clients/); clients = substr($2, RSTART, RLENGTH - 8)
		gsub(/[ ,]/, "", $3); gsub(/[ ,]/, "", $4); gsub(/ /, "", $5)
		print clients, $3, $4, $5 }' "$2"
}

echo "side rev round clients mycc_ms baseline_ms mycc/baseline"
for round in $(seq "$rounds"); do
	run_case "$work/base" "$work/base.$round.log" | sed "s/^/base $base_rev $round /"
	run_case "$PWD" "$work/head.$round.log" | sed "s/^/head $head_rev $round /"
done
