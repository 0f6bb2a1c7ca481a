# The integration cases, run in dom0 by /init: each case_NAME prints one FLBTEST line through result().
# Guests report through port 0xE9, which Xen prints as "(dN) ..." lines on its console; the helper
# follows Xen's console ring to read them.

FLB=/flb/bin/fixed-layout-build
HELPER=/flb/bin/flb-dom0-helper
CFG=/flb/cfg
BENCH=/tmp/bench.txt
: >"$BENCH"

result() {
    echo "FLBTEST $1 $2 $3"
}

# Destroys every domain but dom0; waits (bounded) until Xen has let go of them.
cleanup_domains() {
    local ids n=0
    ids=$(timeout 60 xl list 2>/dev/null | awk 'NR > 1 && $2 != 0 { print $2 }')
    [ -n "$ids" ] || return 0
    for id in $ids; do
        timeout 60 xl destroy "$id" >/dev/null 2>&1 || echo "  xl destroy $id failed"
    done
    while [ -n "$(leftovers)" ] && [ $n -lt 100 ]; do
        sleep 0.1
        n=$((n + 1))
    done
}

# "" when only dom0 is left, else the other domains' names.
leftovers() {
    timeout 60 xl list 2>/dev/null | awk 'NR > 1 && $2 != 0 { printf "%s%s", sep, $1; sep = "," }'
}

# Guests are built by the tool, or by xl create when the rig runs with --create-with xl
# (for work on the rig itself: xl knows no fixed layout, so layout checks fail there).
CREATE_WITH=$(sed -n 's/.*flbcreate=\([a-z]*\).*/\1/p' /proc/cmdline)

# create [OPTIONS] CFG [KEY=VALUE...]: builds a guest; sets RC, OUT (the output) and DOMID.
create() {
    if [ "$CREATE_WITH" = xl ]; then
        create_xl "$@"
    else
        OUT=$(timeout 120 "$FLB" "$@" 2>&1)
        RC=$?
        DOMID=$(echo "$OUT" | sed -n 's/^created domain \([0-9][0-9]*\) .*/\1/p' | head -n 1)
    fi
    echo "$OUT" | sed 's/^/  tool: /'
}

create_xl() {
    local a opts="" name="" cfg=""
    for a in "$@"; do
        case "$a" in
        -p | -F) opts="$opts $a" ;;
        --timeout | [0-9]*) ;;
        name=*) name=${a#name=}; opts="$opts name=\"$name\"" ;;
        *=*) opts="$opts $a" ;;
        *) cfg=$a ;;
        esac
    done
    [ -n "$name" ] || name=$(sed -n 's/^name *= *"\(.*\)"/\1/p' "$cfg")
    # shellcheck disable=SC2086
    OUT=$(timeout 120 xl create $cfg $opts 'on_poweroff="preserve"' 2>&1)
    RC=$?
    DOMID=$(xl domid "$name" 2>/dev/null)
    [ -z "$DOMID" ] || OUT="$OUT
created domain $DOMID ($name)"
}

# One line of the tool's output, for a reason.
first_line() {
    echo "$1" | grep -v '^ *$' | head -n 1 | cut -c1-160
}

# wait_guest DOMID SECONDS NEEDLE...: follows the console ring until a "(dDOMID) " line holds a
# NEEDLE, answering the test guest's grant offer on the way; the guest's lines go to /tmp/console.DOMID.
wait_guest() {
    local dom=$1 ms=$(($2 * 1000)) out rc
    shift 2
    out=$("$HELPER" wait "$dom" "$ms" "/tmp/console.$dom" "$@")
    rc=$?
    [ -z "$out" ] || echo "$out" | sed 's/^/  /'
    return $rc
}

# dry_run_and_create CASE CFG [KEY=VALUE...]: the dry-run to /tmp/CASE.json, then the build;
# on a failure prints the case's result and returns 1.
dry_run_and_create() {
    local c=$1
    shift
    xl dmesg -c >/dev/null # keeps the ring the helper reads short
    if ! "$FLB" --dry-run --format json "$@" >"/tmp/$c.json" 2>"/tmp/$c.err"; then
        result "$c" FAIL "dry-run failed: $(first_line "$(cat "/tmp/$c.err")")"
        return 1
    fi
    create "$@"
    if [ "$RC" != 0 ] || [ -z "$DOMID" ]; then
        result "$c" FAIL "build failed (status $RC): $(first_line "$OUT")"
        return 1
    fi
}

# guest_case CASE CFG "CHECKS THAT MUST PASS" [KEY=VALUE...]: builds the test guest, waits for
# its verdict, compares its memory map with the dry-run's.
guest_case() {
    local c=$1 cfg=$2 must=$3 k bad=""
    shift 3
    dry_run_and_create "$c" "$cfg" "$@" || return
    # Xen prints the guest's lines on the serial console too: no need to repeat them.
    if ! wait_guest "$DOMID" 90 "FLBG DONE"; then
        result "$c" FAIL "guest d$DOMID did not finish in 90 s"
        return
    fi
    local mm
    mm=$("$HELPER" memmap "/tmp/$c.json" "/tmp/console.$DOMID" "$DOMID") || bad="memmap differs from the dry-run;"
    echo "$mm" | sed 's/^/  /'
    if type "map_$c" >/dev/null 2>&1; then
        bad="$bad$("map_$c" "/tmp/$c.json")"
    fi
    for k in $(sed -n "s/^(d$DOMID) FLBG CHECK \([a-z0-9_]*\) FAIL.*/\1/p" "/tmp/console.$DOMID"); do
        bad="$bad $k failed;"
    done
    for k in $must; do
        grep -q "^(d$DOMID) FLBG CHECK $k \(PASS\|FAIL\)" "/tmp/console.$DOMID" || bad="$bad $k did not run (region missing?);"
    done
    xl destroy "$DOMID" >/dev/null 2>&1
    if [ -n "$bad" ]; then
        result "$c" FAIL "$bad"
    else
        result "$c" PASS "guest d$DOMID: $(grep -c "^(d$DOMID) FLBG CHECK .* PASS" "/tmp/console.$DOMID") checks passed, memmap equals the dry-run"
    fi
}

# No type in the OEM range in the dry-run.
no_special_regions() {
    ! grep -q '"type": *4[0-9]\{9\}' "$1"
}

case_small() {
    guest_case small "$CFG/small.cfg" "magic_version memmap_sorted shared_info grant_table grant_dom0"
}

case_gntv2() {
    guest_case gntv2 "$CFG/gntv2.cfg" "magic_version memmap_sorted shared_info grant_table grant_dom0 gnttab_status"
}

# Above 4032 MiB when dom0 can afford it, else the largest that fits, with the hole lowered.
case_highmem() {
    local free mem
    free=$(xl info free_memory)
    if [ "$free" -ge 4300 ]; then
        echo "  highmem: free_memory $free MiB: memory=4200"
        guest_case highmem "$CFG/highmem.cfg" "magic_version memmap_sorted high_ram shared_info grant_table grant_dom0" memory=4200
    else
        mem=$(((free - 100) / 64 * 64))
        echo "  highmem: free_memory $free MiB: memory=$mem with mmio_hole=3840 (RAM above 256 MiB goes high)"
        guest_case highmem "$CFG/highmem.cfg" "magic_version memmap_sorted high_ram shared_info grant_table grant_dom0" \
            memory=$mem mmio_hole=3840
    fi
}

# The dry-run must have RAM at 4 GiB.
map_highmem() {
    grep -q '"addr": *4294967296' "$1" || echo " the dry-run has no entry at 4 GiB;"
}

case_nofixed() {
    guest_case nofixed "$CFG/nofixed.cfg" "magic_version memmap_sorted"
}

map_nofixed() {
    no_special_regions "$1" || echo " the dry-run lists special regions;"
}

has_type() {
    grep -q "\"type\": *$2[,} ]" "$1"
}

# Grant v1: shared info and grant table, no status frames.
map_small() {
    has_type "$1" 4026531841 && has_type "$1" 4026531842 || echo " the dry-run lacks SHARED_INFO or GRANT_TABLE;"
    ! has_type "$1" 4026531843 || echo " the dry-run reserves status frames for grant v1;"
}

map_gntv2() {
    has_type "$1" 4026531843 || echo " the dry-run has no GNTTAB_STATUS region;"
}

# Debian's kernel as a PVH guest: its early E820 lists the special regions; it gets to mounting root.
case_linux() {
    local c=linux bad=""
    dry_run_and_create $c "$CFG/linux.cfg" || return
    if ! wait_guest "$DOMID" 240 "VFS: Cannot open root device" "VFS: Unable to mount root" "Kernel panic - not syncing"; then
        bad="no root-mount attempt within 240 s;"
    fi
    grep "^(d$DOMID) .*\(BIOS-e820\|VFS\|Kernel panic\)" "/tmp/console.$DOMID" | cut -c1-160 | sed 's/^/  /'
    local e8
    e8=$("$HELPER" linux-e820 /tmp/linux.json "/tmp/console.$DOMID" "$DOMID") || bad="$bad BIOS-e820 lacks a special region;"
    echo "$e8" | sed 's/^/  /'
    xl destroy "$DOMID" >/dev/null 2>&1
    if [ -n "$bad" ]; then
        grep "^(d$DOMID) " "/tmp/console.$DOMID" | tail -n 15 | cut -c1-160 | sed 's/^/  /'
        result $c FAIL "$bad"
    else
        result $c PASS "d$DOMID listed every special region in BIOS-e820 and reached the root mount"
    fi
}

# expect_failure CASE STATUSES WORD CFG [ARGS...]: the tool must fail with one of STATUSES
# ("1 2") and a message naming WORD, and leave no domain behind.
expect_failure() {
    local c=$1 statuses=$2 word=$3 bad=""
    shift 3
    create "$@"
    case " $statuses " in *" $RC "*) ;; *) bad="status $RC, expected one of: $statuses;" ;; esac
    echo "$OUT" | grep -qi "$word" || bad="$bad its message does not mention '$word';"
    sleep 0.5
    local left
    left=$(leftovers)
    [ -z "$left" ] || bad="$bad domains left behind: $left;"
    if [ -n "$bad" ]; then
        result "$c" FAIL "$bad"
    else
        result "$c" PASS "status $RC: $(first_line "$OUT")"
    fi
}

case_fail_nopvh() {
    expect_failure fail_nopvh 2 "pvh\|entry\|note" "$CFG/nopvh.cfg"
}

case_fail_grant_frames() {
    expect_failure fail_grant_frames "1 2" "grant" "$CFG/small.cfg" max_grant_frames=4096
}

case_fail_dup_name() {
    create -p "$CFG/quiet.cfg" name=flb-dup
    if [ "$RC" != 0 ] || [ -z "$DOMID" ]; then
        result fail_dup_name FAIL "the first build failed (status $RC): $(first_line "$OUT")"
        return
    fi
    local first=$DOMID
    create -p "$CFG/quiet.cfg" name=flb-dup
    local rc2=$RC out2=$OUT bad=""
    [ "$rc2" = 1 ] || [ "$rc2" = 2 ] || bad="status $rc2 of the second build, expected 1 or 2;"
    echo "$out2" | grep -qi "flb-dup\|name\|exist\|in use" || bad="$bad its message does not name the conflict;"
    [ "$(leftovers)" = "flb-dup" ] || bad="$bad domains after the second build: '$(leftovers)', expected flb-dup alone;"
    xl destroy "$first" >/dev/null 2>&1
    sleep 0.5
    [ -z "$(leftovers)" ] || bad="$bad left behind: $(leftovers);"
    if [ -n "$bad" ]; then
        result fail_dup_name FAIL "$bad"
    else
        result fail_dup_name PASS "status $rc2: $(first_line "$out2")"
    fi
}

# -F waits for the guest: cli;hlt makes Xen power the domain off, status 0.
case_wait() {
    xl dmesg -c >/dev/null
    create -F --timeout 60 "$CFG/quiet.cfg" name=flb-wait
    local bad=""
    [ "$RC" = 0 ] || bad="status $RC, expected 0 (poweroff);"
    [ -n "$DOMID" ] && xl dmesg | grep -q "^(d$DOMID) FLBG hello" || bad="$bad the guest never printed;"
    sleep 0.5
    [ -z "$(leftovers)" ] || bad="$bad left behind: $(leftovers);"
    if [ -n "$bad" ]; then
        result wait FAIL "$bad"
    else
        result wait PASS "the guest halted and --wait returned 0"
    fi
}

# -p leaves the guest paused: xl list shows 'p' and the guest has not run.
case_paused() {
    xl dmesg -c >/dev/null
    create -p "$CFG/quiet.cfg" name=flb-paused
    if [ "$RC" != 0 ] || [ -z "$DOMID" ]; then
        result paused FAIL "build failed (status $RC): $(first_line "$OUT")"
        return
    fi
    local state bad=""
    state=$(xl list flb-paused 2>/dev/null | awk 'NR == 2 { print $5 }')
    echo "  xl list state: $state"
    case "$state" in *p*) ;; *) bad="state '$state' has no 'p';" ;; esac
    sleep 1
    ! xl dmesg | grep -q "^(d$DOMID) FLBG" || bad="$bad the guest ran while paused;"
    xl unpause "$DOMID"
    wait_guest "$DOMID" 30 "FLBG hello" || bad="$bad the guest did not run after xl unpause;"
    xl destroy "$DOMID" >/dev/null 2>&1
    if [ -n "$bad" ]; then
        result paused FAIL "$bad"
    else
        result paused PASS "state '$state', ran only after xl unpause"
    fi
}

# Milliseconds since dom0 booted.
ms() {
    awk '{ printf "%d", $1 * 1000 }' /proc/uptime
}

# 50 build/destroy cycles: no domain and no memory left behind.
case_soak() {
    local before after i=0 bad="" t0 t n=0 t_build=0 t_run=0 t_destroy=0
    cleanup_domains
    # Xen frees a destroyed domain's memory after the domain is gone: wait until the figure holds.
    before=$(xl info free_memory)
    while [ $n -lt 50 ]; do
        sleep 0.2
        n=$((n + 1))
        after=$(xl info free_memory)
        [ "$after" != "$before" ] || break
        before=$after
    done
    n=0
    t0=$(ms)
    while [ $i -lt 50 ]; do
        i=$((i + 1))
        t=$(ms)
        create "$CFG/quiet.cfg" name=flb-soak >/dev/null
        t_build=$((t_build + $(ms) - t))
        if [ "$RC" != 0 ] || [ -z "$DOMID" ]; then
            bad="cycle $i: build failed (status $RC): $(first_line "$OUT");"
            break
        fi
        t=$(ms)
        wait_guest "$DOMID" 30 "FLBG hello" || { bad="cycle $i: d$DOMID never printed;"; break; }
        t_run=$((t_run + $(ms) - t))
        t=$(ms)
        xl destroy "$DOMID" >/dev/null 2>&1 || { bad="cycle $i: xl destroy $DOMID failed;"; break; }
        t_destroy=$((t_destroy + $(ms) - t))
    done
    echo "  soak: $i cycles; total ms: build $t_build, to first line $t_run, xl destroy $t_destroy"
    cleanup_domains
    after=$(xl info free_memory)
    while [ "$after" != "$before" ] && [ $n -lt 100 ]; do
        sleep 0.2
        n=$((n + 1))
        after=$(xl info free_memory)
    done
    [ -z "$(leftovers)" ] || bad="$bad left behind: $(leftovers);"
    [ "$after" = "$before" ] || bad="$bad free_memory $before MiB before, $after MiB after;"
    if [ -n "$bad" ]; then
        result soak FAIL "$bad"
    else
        result soak PASS "$i cycles in $((($(ms) - t0) / 1000)) s, free_memory $before MiB before and after"
    fi
}

median() {
    sort -n | awk '{ v[NR] = $1 } END { if (NR) print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; else print "-" }'
}

# bench_runs N FILE NEEDLE CMD...: N timed runs of CMD, each also timed to the first guest line
# with NEEDLE ("-": none); FILE gets "cmd_ms line_ms" per run, appended.
bench_runs() {
    local n=$1 file=$2 needle=$3 i=0 line
    shift 3
    while [ $i -lt "$n" ]; do
        i=$((i + 1))
        line=$("$HELPER" time 60000 "$needle" "$@" 2>/dev/null | tail -n 1)
        echo "$line" | sed -n 's/^cmd_ms=\([0-9.]*\) line_ms=\([0-9.]*\) status=0$/\1 \2/p' >>"$file"
        cleanup_domains
    done
}

bench_row() {
    echo "| $1 | $2 | $3 | $4 |" >>"$BENCH"
}

# Figures, not verdicts: the case passes when every measurement ran.
case_bench() {
    local runs=10 f_cmd f_line x_cmd x_line m=0 sizes free t0 steps bad=""
    cleanup_domains
    # Alternated, so that both see the same state of Xen (memory still being scrubbed, say).
    : >/tmp/b.flb
    : >/tmp/b.xl
    echo "  bench: $runs runs each of fixed-layout-build and xl create, alternated"
    while [ $m -lt $runs ]; do
        m=$((m + 1))
        bench_runs 1 /tmp/b.flb "FLBG hello" "$FLB" "$CFG/quiet.cfg" name=flb-bench
        bench_runs 1 /tmp/b.xl "FLBG hello" xl create -q "$CFG/xl-quiet.cfg"
    done
    f_cmd=$(cut -d' ' -f1 /tmp/b.flb | median)
    f_line=$(cut -d' ' -f2 /tmp/b.flb | median)
    x_cmd=$(cut -d' ' -f1 /tmp/b.xl | median)
    x_line=$(cut -d' ' -f2 /tmp/b.xl | median)
    [ "$(wc -l </tmp/b.flb)" = $runs ] || bad="only $(wc -l </tmp/b.flb) of $runs fixed-layout-build runs worked;"
    [ "$(wc -l </tmp/b.xl)" = $runs ] || bad="$bad only $(wc -l </tmp/b.xl) of $runs xl create runs worked;"
    bench_row "measure (median of $runs, ms)" "fixed-layout-build" "xl create" "ratio"
    bench_row "---" "---" "---" "---"
    bench_row "command start to exit (guest unpaused)" "$f_cmd" "$x_cmd" \
        "$(awk -v a="$f_cmd" -v b="$x_cmd" 'BEGIN { if (b > 0) printf "%.3f", a / b; else print "-" }')"
    bench_row "command start to first guest line" "$f_line" "$x_line" \
        "$(awk -v a="$f_line" -v b="$x_line" 'BEGIN { if (b > 0) printf "%.3f", a / b; else print "-" }')"
    : >/tmp/b.dry
    : >/tmp/b.ver
    bench_runs $runs /tmp/b.dry - "$FLB" --dry-run "$CFG/quiet.cfg"
    bench_row "dry-run of the same config (process start, parse, layout; no Xen)" \
        "$(cut -d' ' -f1 /tmp/b.dry | median)" "" ""
    bench_runs $runs /tmp/b.ver - "$FLB" --version
    bench_row "--version (process start alone)" "$(cut -d' ' -f1 /tmp/b.ver | median)" "" ""
    bench_row "" "" "" ""
    bench_row "guest memory (MiB)" "fixed-layout-build, start to exit (median of 2, ms)" \
        "start to first line" "of which populating guest memory (-v, ms)"
    bench_row "---" "---" "---" "---"
    free=$(xl info free_memory)
    sizes="128 512 2048"
    [ "$free" -lt 4300 ] || sizes="$sizes 4200"
    for m in $sizes; do
        [ "$m" -lt "$free" ] || continue
        : >/tmp/b.mem
        bench_runs 2 /tmp/b.mem "FLBG hello" "$FLB" "$CFG/quiet.cfg" name=flb-bench memory=$m
        "$FLB" -v "$CFG/quiet.cfg" name=flb-bench memory=$m >/tmp/b.v 2>&1
        sed "s/^/  -v memory=$m: /" /tmp/b.v
        cleanup_domains
        bench_row "$m" "$(cut -d' ' -f1 /tmp/b.mem | median)" "$(cut -d' ' -f2 /tmp/b.mem | median)" \
            "$(sed -n 's/.*populating guest memory: \([0-9.]*\) ms.*/\1/p' /tmp/b.v)"
        [ -s /tmp/b.mem ] || bad="$bad no run at $m MiB worked;"
    done
    bench_row "" "" "" ""
    bench_row "hypercalls on the special regions (-v)" "" "" ""
    bench_row "---" "" "" ""
    t0=$(ms)
    "$FLB" -v "$CFG/quiet.cfg" name=flb-bench >/tmp/b.v 2>&1
    t0=$(($(ms) - t0))
    sed 's/^/  -v: /' /tmp/b.v
    steps=$(sed -n 's/.*: \([0-9.]*\) ms$/\1/p' /tmp/b.v | awk '{ s += $1 } END { printf "%.1f", s }')
    bench_row "one -v build (128 MiB): wall ms / sum of its logged steps ms" "$t0 / $steps" "" ""
    grep -i 'hypercall\|add_to_physmap\|batch\|mapping' /tmp/b.v | cut -c1-150 | sed 's/|/\//g; s/^fixed-layout-build: //' |
        while read -r l; do bench_row "$l" "" "" ""; done
    grep -qi 'hypercall\|add_to_physmap' /tmp/b.v || bad="$bad -v printed no hypercall figures;"
    cleanup_domains
    if [ -n "$bad" ]; then
        result bench FAIL "$bad"
    else
        result bench PASS "median to first guest line: $f_line ms ours, $x_line ms xl create"
    fi
}

# The table, one FLBBENCH line per row, for the host to collect.
bench_report() {
    [ -s "$BENCH" ] && sed 's/^/FLBBENCH /' "$BENCH"
}
