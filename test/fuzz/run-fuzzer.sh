#!/bin/sh
# Builds one fuzz target with clang's libFuzzer (ASan and UBSan too) and runs it for a fixed time.
# usage: run-fuzzer.sh CLANG NAME SECONDS OUT_DIR SEED_DIR INCLUDE_DIR SOURCE... -- LINK_FLAG...
# Exits 77 (a skip for ctest) when there is no clang.
set -eu

clang=$1 name=$2 seconds=$3 out=$4 seeds=$5 include=$6
shift 6
sources=
while [ $# -gt 0 ] && [ "$1" != "--" ]; do
    sources="$sources $1"
    shift
done
[ $# -gt 0 ] && shift

if [ -z "$clang" ] || ! command -v "$clang" >/dev/null 2>&1; then
    echo "SKIP: clang not found; the libFuzzer targets need clang (the corpus replay tests still run)"
    exit 77
fi

mkdir -p "$out/$name-corpus"
# shellcheck disable=SC2086 # the source list is split on purpose
"$clang" -std=c11 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
    -I"$include" $sources -o "$out/$name" "$@"

# New inputs go to the first directory; the seeds in the source tree are only read. libFuzzer's
# usual failure status, 77, would read as a skip to ctest.
set +e
here=$(dirname "$0")
LSAN_OPTIONS="suppressions=$here/lsan.supp" "$out/$name" \
    -max_total_time="$seconds" -timeout=10 -error_exitcode=1 -print_final_stats=1 \
    -dict="$here/config.dict" -artifact_prefix="$out/$name-" "$out/$name-corpus" "$seeds"
rc=$?
set -e
if [ $rc -ne 0 ]; then
    echo "$name: failed; add the crash input above to $seeds to keep it as a regression test"
fi
exit $rc
