#!/usr/bin/env bash
# Builds the identity fuzz target with AddressSanitizer and
# UndefinedBehaviorSanitizer and runs it: with libFuzzer when clang has it
# (for SECONDS seconds, default 30), else the pseudo-random driver.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
if clang -fsanitize=fuzzer,address,undefined -g -O1 -Isrc fuzz/identity_fuzz.c \
		src/identity_parse.c src/unionfind.c -o "$out/identity_fuzz" 2>/dev/null; then
	"$out/identity_fuzz" -max_total_time="${SECONDS_TO_RUN:-30}" -max_len=1100 "$out" 2>&1 | tail -3
else
	cc -g -O1 -DFUZZ_STANDALONE -fsanitize=address,undefined -fno-sanitize-recover=all -Isrc \
		fuzz/identity_fuzz.c src/identity_parse.c src/unionfind.c -o "$out/identity_fuzz"
	"$out/identity_fuzz" "${ITERATIONS:-300000}"
fi
