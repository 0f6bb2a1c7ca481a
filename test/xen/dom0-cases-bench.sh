# The bench case: timings of fixed-layout-build against xl create; the helper makes them a table.

# bench_runs N FILE NEEDLE CMD...: N timed runs of CMD, each also timed to the first guest line
# with NEEDLE ("-": none); FILE gets the helper's timing line of each run, appended.
bench_runs() {
    local n=$1 file=$2 needle=$3 i=0
    shift 3
    while [ $i -lt "$n" ]; do
        i=$((i + 1))
        "$HELPER" time 60000 "$needle" "$@" 2>/dev/null | tail -n 1 >>"$file"
        cleanup_domains
    done
}

# Figures, not verdicts: the case passes when every measurement ran. The timings go to the files
# that `flb-dom0-helper bench-table` reads (see helper-bench.c), which writes the table; the Linux
# cases, run before, left theirs there too.
case_bench() {
    local runs=10 mem_runs=2 dir=$BENCH_DIR m=0 free sizes="" summary
    cleanup_domains
    mkdir -p "$dir"
    # Alternated, so that both see the same state of Xen (memory still being scrubbed, say).
    echo "  bench: $runs runs each of fixed-layout-build and xl create, alternated"
    while [ $m -lt $runs ]; do
        m=$((m + 1))
        bench_runs 1 "$dir/flb" "FLBG hello" "$FLB" "$CFG/quiet.cfg" name=flb-bench
        bench_runs 1 "$dir/xl" "FLBG hello" xl create -q "$CFG/xl-quiet.cfg"
    done
    bench_runs $runs "$dir/dry-run" - "$FLB" --dry-run "$CFG/quiet.cfg"
    bench_runs $runs "$dir/version" - "$FLB" --version
    free=$(xl info free_memory)
    for m in 128 512 2048 4200; do
        # 4200 MiB only with room to spare, as the highmem case does; none that does not fit.
        if [ "$m" -ge "$free" ] || { [ "$m" = 4200 ] && [ "$free" -lt 4300 ]; }; then
            continue
        fi
        sizes="$sizes $m"
        bench_runs $mem_runs "$dir/mem-$m" "FLBG hello" "$FLB" "$CFG/quiet.cfg" name=flb-bench memory=$m
        "$FLB" -v "$CFG/quiet.cfg" name=flb-bench memory=$m >"$dir/mem-$m.v" 2>&1
        sed "s/^/  -v memory=$m: /" "$dir/mem-$m.v"
        cleanup_domains
    done
    "$HELPER" time -o "$dir/verbose" 60000 - "$FLB" -v "$CFG/quiet.cfg" name=flb-bench >"$dir/verbose.time"
    sed 's/^/  -v: /' "$dir/verbose"
    cleanup_domains
    # shellcheck disable=SC2086
    if summary=$("$HELPER" bench-table "$dir" "$BENCH_TABLE" $runs $mem_runs $sizes); then
        result bench PASS "$summary"
    else
        result bench FAIL "$summary"
    fi
}

# The table, one FLBBENCH line per row, for the host to collect.
bench_report() {
    [ -s "$BENCH_TABLE" ] && sed 's/^/FLBBENCH /' "$BENCH_TABLE"
}
