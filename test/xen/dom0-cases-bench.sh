# The bench cases: timings of fixed-layout-build against xl create and the floor builder; the helper
# makes them a table. floor checks that the floor builder starts the guest it is compared with.

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

# floor_runs FILE ARGS: one timed run of the floor builder with ARGS, one argument a line, as
# bench_runs times a command.
floor_runs() {
    local file=$1 args=$2 IFS='
'
    # shellcheck disable=SC2086
    bench_runs 1 "$file" "FLBG hello" "$FLOOR" $args
}

# The floor builder starts the test guest with fixed-layout-build's memory map: the guest's map equals
# the dry-run's, and what it needs no xenstore for works (shared info is live, dom0 maps its grant).
case_floor() {
    local json=/tmp/floor.json args dom mm bad="" k
    "$FLB" --dry-run --format json "$CFG/small.cfg" >"$json" 2>/dev/null
    if ! args=$("$HELPER" floor-args "$json"); then
        result floor FAIL "floor-args: $args"
        return
    fi
    xl dmesg -c >/dev/null
    dom=$(IFS='
'
        # shellcheck disable=SC2086
        "$FLOOR" $args 2>/tmp/floor.err)
    if [ -z "$dom" ]; then
        result floor FAIL "the floor builder failed: $(first_line /tmp/floor.err)"
        return
    fi
    if ! wait_guest "$dom" 90 "FLBG DONE"; then
        result floor FAIL "guest d$dom did not finish in 90 s"
        return
    fi
    mm=$("$HELPER" memmap "$json" "/tmp/console.$dom" "$dom") || bad="memmap differs from the dry-run;"
    echo "$mm" | sed 's/^/  /'
    for k in magic_version memmap_sorted shared_info grant_dom0; do
        grep -q "^(d$dom) FLBG CHECK $k PASS" "/tmp/console.$dom" || bad="$bad $k did not pass;"
    done
    if [ -n "$bad" ]; then
        result floor FAIL "$bad"
    else
        result floor PASS "guest d$dom printed, its memmap equals the dry-run's, shared info live, grant mapped by dom0"
    fi
}

# Figures, not verdicts: the case passes when every measurement ran. The timings go to the files
# that `flb-dom0-helper bench-table` reads (see helper-bench.c), which writes the table; the Linux
# cases, run before, left theirs there too.
case_bench() {
    local runs=10 mem_runs=2 dir=$BENCH_DIR m=0 free sizes="" summary floor
    cleanup_domains
    mkdir -p "$dir"
    "$FLB" --dry-run --format json "$CFG/quiet.cfg" >"$dir/quiet.json" 2>/dev/null
    if ! floor=$("$HELPER" floor-args "$dir/quiet.json"); then
        result bench FAIL "floor-args: $floor"
        return
    fi
    # Alternated, so that all see the same state of Xen (memory still being scrubbed, say). The -v
    # builds give the budget: where the time goes.
    echo "  bench: $runs runs each of the floor builder, fixed-layout-build, fixed-layout-build -v and xl create, alternated"
    while [ $m -lt $runs ]; do
        m=$((m + 1))
        floor_runs "$dir/floor" "$floor"
        bench_runs 1 "$dir/flb" "FLBG hello" "$FLB" "$CFG/quiet.cfg" name=flb-bench
        "$HELPER" time -o "$dir/verbose-$m" 60000 "FLBG hello" "$FLB" -v "$CFG/quiet.cfg" name=flb-bench |
            tail -n 1 >>"$dir/verbose.time"
        cleanup_domains
        # Without the detached monitor: what forking it costs the process's exit.
        "$HELPER" time -o "$dir/verbose-e-$m" 60000 "FLBG hello" "$FLB" -v -e "$CFG/quiet.cfg" name=flb-bench |
            tail -n 1 >>"$dir/verbose-e.time"
        cleanup_domains
        bench_runs 1 "$dir/xl" "FLBG hello" xl create -q "$CFG/xl-quiet.cfg"
    done
    bench_runs $runs "$dir/dry-run" - "$FLB" --dry-run "$CFG/quiet.cfg"
    bench_runs $runs "$dir/version" - "$FLB" --version
    bench_runs $runs "$dir/true" - busybox true
    printf '%s %s\n' "fixed-layout-build" "$FLB" "floor builder" "$FLOOR" "xl" "$(command -v xl)" >"$dir/binaries"
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
    sed 's/^/  -v: /' "$dir/verbose-1"
    # Each run's timing, so that a median can be read against the runs behind it.
    for m in floor flb verbose.time verbose-e.time xl version; do
        sed "s/^/  $m: /" "$dir/$m"
    done
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
