#!/usr/bin/env bash
# Runs each libFuzzer harness for a bounded time: fuzz/run.sh SECONDS NAME...
# Starts from the seed corpus fuzz/corpus/NAME (read only) and keeps what
# it finds in fuzz/build/corpus/NAME; a crash or sanitizer report leaves
# its input in fuzz/build/ and makes the target FAILED.  Prints one line per
# target in pg_regress's format, which tools/test.sh counts.
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift
status=0
for name in "$@"; do
	mkdir -p "fuzz/build/corpus/$name"
	log="fuzz/build/fuzz_$name.log"
	if "fuzz/build/fuzz_$name" -max_total_time="$seconds" -max_len=4096 -timeout=10 \
		-rss_limit_mb=1024 -artifact_prefix="fuzz/build/${name}-" -print_final_stats=1 \
		"fuzz/build/corpus/$name" "fuzz/corpus/$name" >"$log" 2>&1 &&
		! grep -qE 'runtime error|ERROR: (AddressSanitizer|LeakSanitizer)' "$log"; then
		runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
		printf 'test %-28s ... ok           %s runs in %ss\n' "fuzz_$name" "${runs:-?}" "$seconds"
	else
		printf 'test %-28s ... FAILED\n' "fuzz_$name"
		grep -E -A12 'runtime error|ERROR:|Test unit written' "$log" | head -40 | sed 's/^/    /'
		status=1
	fi
done
exit $status
