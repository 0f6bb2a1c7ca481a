# The layout cases: test guests whose memory map must be the dry-run's.

# dry_run_and_create CASE CFG [KEY=VALUE...]: the dry-run to /tmp/CASE.json, then the build, its
# output in /tmp/CASE.out; on a failure prints the case's result and returns 1.
dry_run_and_create() {
    local c=$1 rc
    shift
    xl dmesg -c >/dev/null # keeps the ring the helper reads short
    if ! "$FLB" --dry-run --format json "$@" >"/tmp/$c.json" 2>"/tmp/$c.err"; then
        result "$c" FAIL "dry-run failed: $(first_line "/tmp/$c.err")"
        return 1
    fi
    create "/tmp/$c.out" "$@"
    rc=$?
    if [ "$rc" != 0 ] || [ -z "$(created_domid "/tmp/$c.out")" ]; then
        result "$c" FAIL "build failed (status $rc): $(first_line "/tmp/$c.out")"
        return 1
    fi
}

# guest_case CASE CFG "CHECKS THAT MUST PASS" "MAP RULES" [KEY=VALUE...]: builds the test guest,
# waits for its verdict, compares its memory map with the dry-run's, which must meet the rules of
# `flb-dom0-helper map-check`.
guest_case() {
    local c=$1 cfg=$2 must=$3 rules=$4 dom k mm checks bad=""
    shift 4
    dry_run_and_create "$c" "$cfg" "$@" || return
    dom=$(created_domid "/tmp/$c.out")
    # Xen prints the guest's lines on the serial console too: no need to repeat them.
    if ! wait_guest "$dom" 90 "FLBG DONE"; then
        result "$c" FAIL "guest d$dom did not finish in 90 s"
        return
    fi
    mm=$("$HELPER" memmap "/tmp/$c.json" "/tmp/console.$dom" "$dom") || bad="memmap differs from the dry-run;"
    echo "$mm" | sed 's/^/  /'
    # shellcheck disable=SC2086
    checks=$("$HELPER" map-check "/tmp/$c.json" $rules) || bad="$bad $(echo "$checks" | tr '\n' ';');"
    echo "$checks" | sed 's/^/  /'
    for k in $(sed -n "s/^(d$dom) FLBG CHECK \([a-z0-9_]*\) FAIL.*/\1/p" "/tmp/console.$dom"); do
        bad="$bad $k failed;"
    done
    for k in $must; do
        grep -q "^(d$dom) FLBG CHECK $k \(PASS\|FAIL\)" "/tmp/console.$dom" || bad="$bad $k did not run (region missing?);"
    done
    xl destroy "$dom" >/dev/null 2>&1
    verdict "$c" "$bad" "guest d$dom: $(grep -c "^(d$dom) FLBG CHECK .* PASS" "/tmp/console.$dom") checks passed, memmap equals the dry-run"
}

# Grant v1: shared info and grant table, no status frames.
case_small() {
    guest_case small "$CFG/small.cfg" "magic_version memmap_sorted shared_info grant_table grant_dom0" \
        "SHARED_INFO GRANT_TABLE !GNTTAB_STATUS"
}

case_gntv2() {
    guest_case gntv2 "$CFG/gntv2.cfg" "magic_version memmap_sorted shared_info grant_table grant_dom0 gnttab_status" \
        "GNTTAB_STATUS"
}

# Above 4032 MiB when dom0 can afford it, else the largest that fits, with the hole lowered; either
# way the dry-run must have RAM at 4 GiB.
case_highmem() {
    local free mem must="magic_version memmap_sorted high_ram shared_info grant_table grant_dom0"
    free=$(xl info free_memory)
    if [ "$free" -ge 4300 ]; then
        echo "  highmem: free_memory $free MiB: memory=4200"
        guest_case highmem "$CFG/highmem.cfg" "$must" "RAM@0x100000000" memory=4200
    else
        mem=$(((free - 100) / 64 * 64))
        echo "  highmem: free_memory $free MiB: memory=$mem with mmio_hole=3840 (RAM above 256 MiB goes high)"
        guest_case highmem "$CFG/highmem.cfg" "$must" "RAM@0x100000000" memory=$mem mmio_hole=3840
    fi
}

# No fixed layout: no special region at all.
case_nofixed() {
    guest_case nofixed "$CFG/nofixed.cfg" "magic_version memmap_sorted" "!special"
}
