# The Linux cases: Debian's kernel and a busybox initramfs (cfg/linux.cfg, linux-init.sh) as a PVH
# guest that reaches userspace, reports what it was given and powers off: built by the tool with
# ACPI (the default) and without, and by xl create from the same config.

readonly LINUX_CFG=$CFG/linux.cfg
# Seconds a Linux guest may take from its build to its power-off (about 100 here, 250 on a loaded
# host), and to power off once its init said "FLBL done" (a second or two).
readonly LINUX_TIMEOUT=600 LINUX_POWEROFF_S=60

# linux_lines CONSOLE: what the guest's init printed but its tables' bytes, and the kernel's lines
# about its timers, Xen errors, panics and power-off, indented.
linux_lines() {
    tr -d '\r' <"$1" | grep -a -e '^FLBL' -e 'reboot: ' -e 'Kernel panic' -e '^created domain' \
        -e 'Xen timer' -e 'legacy timer' -e 'MADT' -e 'xen:manage' |
        grep -v '^FLBL acpi [A-Z]* [0-9a-f]' | cut -c1-160 | sed 's/^/  /'
}

# linux_wait PID CONSOLE: waits for the builder PID following a Linux guest; stops it (SIGTERM:
# it destroys the guest) when the guest still runs LINUX_POWEROFF_S seconds after CONSOLE got its
# init's last line. Returns the builder's status.
linux_wait() {
    local pid=$1 n=0
    while kill -0 "$pid" 2>/dev/null; do
        if grep -q '^FLBL done' "$2" 2>/dev/null; then
            n=$((n + 1))
            if [ $n -gt $LINUX_POWEROFF_S ]; then
                echo "  the guest still runs $LINUX_POWEROFF_S s after 'FLBL done': stopping its builder"
                kill "$pid"
                break
            fi
        fi
        sleep 1
    done
    wait "$pid"
}

# linux_tool CASE [KEY=VALUE...]: the dry-run of linux.cfg (its JSON to /tmp/CASE.json, its tables
# to /tmp/CASE.tables, its messages to /tmp/CASE.dry.err), then the guest, built and followed to
# its end with -F -c (its console to /tmp/CASE.console, the tool's messages to /tmp/CASE.err).
# Returns the build's status, 255 when the dry-run failed.
linux_tool() {
    local c=$1 rc pid
    shift
    rm -rf "/tmp/$c.tables"
    "$FLB" --dry-run --format json --dump-tables "/tmp/$c.tables" "$LINUX_CFG" "$@" >"/tmp/$c.json" 2>"/tmp/$c.dry.err"
    rc=$?
    sed 's/^/  dry-run: /' "/tmp/$c.dry.err"
    [ "$rc" = 0 ] || return 255
    xl dmesg -c >/dev/null # keeps what linux_xen_faults looks for to this guest
    "$FLB" -F -c --timeout "$LINUX_TIMEOUT" "$LINUX_CFG" "$@" >"/tmp/$c.console" 2>"/tmp/$c.err" &
    pid=$!
    linux_wait $pid "/tmp/$c.console"
    rc=$?
    sed 's/^/  tool: /' "/tmp/$c.err"
    echo "  tool: exit status $rc"
    linux_lines "/tmp/$c.console"
    return $rc
}

# linux_xen_faults: " Xen: ...;" with what Xen said about a triple fault since its ring was last
# cleared, "" when nothing; the vCPU's registers Xen dumped with it go to stderr, indented, so that
# the case's log shows where the vCPU was. (Under emulation a guest's vCPU has been seen to
# triple-fault right after an rdtsc.)
linux_xen_faults() {
    local said
    said=$(xl dmesg | grep -a 'Triple fault' | head -n 2 | paste -sd ' ')
    [ -n "$said" ] || return 0
    xl dmesg | grep -a -A 14 -m 1 'Triple fault' | sed 's/^(XEN) */  Xen: /' >&2
    echo " Xen: $said;"
}

# linux_check HELPER_ARGS...: one check of the helper, its findings indented; its status.
linux_check() {
    local out rc
    out=$("$HELPER" "$@")
    rc=$?
    echo "$out" | sed 's/^/  /'
    return $rc
}

# linux_result CASE CONSOLE BAD PASS_REASON: the case's line; on a failure, the console's last lines.
linux_result() {
    if [ -n "$3" ]; then
        echo "  the guest's last lines:"
        tr -d '\r' <"$2" | grep -a -v '^FLBL acpi [A-Z]* [0-9a-f]' | tail -n 25 | cut -c1-160 | sed 's/^/  | /'
        result "$1" FAIL "$3"
    else
        result "$1" PASS "$4"
    fi
}

# vcpus = 2, maxvcpus = 4: the kernel allows 4 CPUs, brings up 2, installs its Xen timer and powers
# off; its memory map and its APIC and FACP tables are the dry-run's.
case_linux() {
    local c=linux rc bad=""
    linux_tool $c
    rc=$?
    if [ "$rc" = 255 ]; then
        result $c FAIL "dry-run failed: $(first_line /tmp/$c.dry.err)"
        return
    fi
    [ "$rc" = 0 ] || bad="status $rc, expected 0: the guest did not power off;$(linux_xen_faults)"
    ! grep -q "acpi = 0" /tmp/$c.dry.err /tmp/$c.err || bad="$bad a warning about acpi = 0 with ACPI on;"
    grep -q 'installing Xen timer for CPU 0' /tmp/$c.console || bad="$bad the kernel installed no Xen timer;"
    linux_check linux-cpus /tmp/$c.console 4 2 || bad="$bad CPUs;"
    linux_check linux-memmap /tmp/$c.json /tmp/$c.console || bad="$bad memory map;"
    linux_check linux-acpi /tmp/$c.tables /tmp/$c.console APIC FACP || bad="$bad ACPI tables;"
    mkdir -p "$BENCH_DIR"
    cp /tmp/$c.console "$BENCH_DIR/linux-flb.console"
    cp /tmp/$c.json "$BENCH_DIR/linux.json"
    linux_result $c /tmp/$c.console "$bad" \
        "2 of 4 CPUs up, memory map and APIC, FACP as the dry-run's; powered off, --wait returned 0"
}

# acpi = 0: the tool warns, in the dry-run and in the build, that the guest sees one CPU and that
# Linux gets no timer interrupt; the guest sees one CPU and no tables, and, as warned, its kernel
# installs no timer (Linux 6.1 on PVH sets up its local APIC timer from the MADT, and PVH has no
# PIT), so its init stops at its first sleep and the case stops it.
case_linux_noacpi() {
    local c=linux_noacpi rc bad="" warn="acpi = 0: no ACPI tables: the guest sees one CPU of its 2 unless it starts the others itself (VCPUOP_up), and Linux gets no timer interrupt"
    linux_tool $c acpi=0
    rc=$?
    if [ "$rc" = 255 ]; then
        result $c FAIL "dry-run failed: $(first_line /tmp/$c.dry.err)"
        return
    fi
    grep -qF "$warn" /tmp/$c.dry.err || bad="$bad the dry-run did not warn '$warn';"
    grep -qF "$warn" /tmp/$c.err || bad="$bad the build did not warn '$warn';"
    ! grep -q 'installing Xen timer' /tmp/$c.console || bad="$bad a timer was installed: the warning is wrong;"
    grep -q 'Failed to register legacy timer interrupt' /tmp/$c.console ||
        bad="$bad the kernel did not say it had no timer;"
    linux_check linux-cpus /tmp/$c.console 1 1 || bad="$bad CPUs;"
    linux_check linux-memmap /tmp/$c.json /tmp/$c.console || bad="$bad memory map;"
    linux_check linux-acpi /tmp/$c.tables /tmp/$c.console APIC FACP || bad="$bad ACPI tables;"
    linux_result $c /tmp/$c.console "$bad" \
        "warned '$warn'; 1 CPU, no ACPI tables, no timer as warned (builder stopped, status $rc)"
}

# The same config through xl create -F: its guest (libxl's ACPI tables) brings up as many CPUs as
# the linux case's. Its console comes from xenconsoled's log (see dom0-init.sh).
case_linux_xl() {
    local c=linux_xl name=flb-linux-xl rc n=0 bad="" log
    log=/var/log/xen/console/guest-$name.log
    rm -f "$log"
    xl dmesg -c >/dev/null
    timeout "$LINUX_TIMEOUT" xl create -F "$LINUX_CFG" "name=\"$name\"" 'on_poweroff="preserve"' \
        'on_reboot="preserve"' 'on_crash="preserve"' >/tmp/$c.err 2>&1 &
    linux_wait $! "$log"
    rc=$?
    sed 's/^/  xl: /' /tmp/$c.err
    # xenconsoled may still be writing the guest's last lines.
    while ! grep -q '^FLBL done' "$log" 2>/dev/null && [ $n -lt 50 ]; do
        sleep 0.1
        n=$((n + 1))
    done
    cp "$log" /tmp/$c.console 2>/dev/null || : >/tmp/$c.console
    linux_lines /tmp/$c.console
    [ "$rc" = 0 ] || bad="xl create -F: status $rc;"
    grep -q "has shut down, reason code 0 " /tmp/$c.err || bad="$bad the guest did not power off;$(linux_xen_faults)"
    linux_check linux-cpus /tmp/$c.console 4 2 || bad="$bad xl's guest: CPUs;"
    echo "  the linux case's guest, built by fixed-layout-build:"
    linux_check linux-cpus /tmp/linux.console 4 2 || bad="$bad fixed-layout-build's guest (case linux): CPUs;"
    mkdir -p "$BENCH_DIR"
    cp /tmp/$c.console "$BENCH_DIR/linux-xl.console"
    xl destroy "$name" >/dev/null 2>&1
    linux_result $c /tmp/$c.console "$bad" "2 of 4 CPUs up with xl create as with fixed-layout-build; powered off"
}
