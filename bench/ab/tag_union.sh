#!/usr/bin/env bash
# A/B benchmark of the aggregates tag_union and tagset_agg: this checkout's
# C code against that of a base revision (default main), side by side in
# one throw-away server, on the tag customers of bench/gen.sql.
#	bash bench/ab/tag_union.sh [BASE]	(N=1000000 RUNS=5 by default)
# The base's src/tagset.c and src/tag_parse.c are built into a small
# library (linked -Bsymbolic, so that it calls its own functions) whose
# transition functions back the aggregates base.tag_union and
# base.tagset_agg; mycc's types, operators and everything else are this
# checkout's (installed privately, as tools/dev_check.sh does).  Each query
# runs RUNS times, the queries interleaved, each execution in a fresh
# backend; prints the median and spread of the times and the median peak
# memory each execution added (VmHWM).  Needs the packages tools/setup.sh
# installs; run it on an otherwise idle machine.
set -euo pipefail
cd "$(dirname "$0")/../.."
base=${1:-main}
export PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}
export N=${N:-1000000} RUNS=${RUNS:-5}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
chmod 755 "$work"
git archive "$base" src | tar -x -C "$work"
printf '#include "postgres.h"\n#include "fmgr.h"\nPG_MODULE_MAGIC;\n' >"$work/magic.c"
read -ra cflags <<<"$($PG_CONFIG --cflags) $($PG_CONFIG --cflags_sl)"
for f in src/tagset.c src/tag_parse.c magic.c; do
	cc "${cflags[@]}" -I"$($PG_CONFIG --includedir-server)" -I"$work/src" \
		-DMYCC_VERSION='"base"' -c "$work/$f" -o "$work/$(basename "$f" .c).o"
done
cc -shared -Wl,-Bsymbolic -o "$work/mycc_base.so" "$work"/tagset.o "$work"/tag_parse.o "$work"/magic.o
head_rev=$(git rev-parse --short HEAD)
if [ -n "$(git status --porcelain --untracked-files=no -- src 2>/dev/null)" ]; then
	head_rev="$head_rev plus uncommitted changes in src/"
fi
export BASE_LIB=$work/mycc_base.so BASE_REV=$(git rev-parse --short "$base") HEAD_REV=$head_rev

. tools/private_install.sh
private_install
pg_virtualenv -t "${private_opts[@]}" -v 15 -o shared_buffers=1GB -o work_mem=256MB \
	-o max_parallel_workers_per_gather=0 -o jit=off -o autovacuum=off \
	bash -c 'psql -X -q -v ON_ERROR_STOP=1 -v n="$N" -v runs="$RUNS" -v base_lib="$BASE_LIB" \
		-v base_rev="$BASE_REV" -v head_rev="$HEAD_REV" -f bench/ab/tag_union.sql'
