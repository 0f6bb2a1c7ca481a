# The lifecycle cases: waiting for the guest, leaving it paused, many build/destroy cycles, the monitor's
# actions on a shutdown.

# -F waits for the guest: cli;hlt makes Xen power the domain off, status 0.
case_wait() {
    local rc dom bad=""
    xl dmesg -c >/dev/null
    create /tmp/wait.out -F --timeout 60 "$CFG/quiet.cfg" name=flb-wait
    rc=$?
    dom=$(created_domid /tmp/wait.out)
    [ "$rc" = 0 ] || bad="status $rc, expected 0 (poweroff);"
    [ -n "$dom" ] && xl dmesg | grep -q "^(d$dom) FLBG hello" || bad="$bad the guest never printed;"
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
    local rc dom state bad=""
    xl dmesg -c >/dev/null
    create /tmp/paused.out -p "$CFG/quiet.cfg" name=flb-paused
    rc=$?
    dom=$(created_domid /tmp/paused.out)
    if [ "$rc" != 0 ] || [ -z "$dom" ]; then
        result paused FAIL "build failed (status $rc): $(first_line /tmp/paused.out)"
        return
    fi
    state=$(xl list flb-paused 2>/dev/null | awk 'NR == 2 { print $5 }')
    echo "  xl list state: $state"
    case "$state" in *p*) ;; *) bad="state '$state' has no 'p';" ;; esac
    sleep 1
    ! xl dmesg | grep -q "^(d$dom) FLBG" || bad="$bad the guest ran while paused;"
    xl unpause "$dom"
    wait_guest "$dom" 30 "FLBG hello" || bad="$bad the guest did not run after xl unpause;"
    xl destroy "$dom" >/dev/null 2>&1
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

# 50 build/destroy cycles: no domain and no memory left behind. -e: the cycles destroy the guest
# themselves, so no monitor may do it first.
case_soak() {
    local before after i=0 rc dom bad="" t0 t n=0 t_build=0 t_run=0 t_destroy=0
    cleanup_domains
    # Xen frees a destroyed domain's memory after the domain is gone: wait until the figure holds.
    before=$(free_memory_settled)
    t0=$(ms)
    while [ $i -lt 50 ]; do
        i=$((i + 1))
        t=$(ms)
        create /tmp/soak.out -e "$CFG/quiet.cfg" name=flb-soak >/dev/null
        rc=$?
        dom=$(created_domid /tmp/soak.out)
        t_build=$((t_build + $(ms) - t))
        if [ "$rc" != 0 ] || [ -z "$dom" ]; then
            bad="cycle $i: build failed (status $rc): $(first_line /tmp/soak.out);"
            break
        fi
        t=$(ms)
        wait_guest "$dom" 30 "FLBG hello" || { bad="cycle $i: d$dom never printed;"; break; }
        t_run=$((t_run + $(ms) - t))
        t=$(ms)
        xl destroy "$dom" >/dev/null 2>&1 || { bad="cycle $i: xl destroy $dom failed;"; break; }
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

# The default: a detached monitor destroys the guest when it powers off (on_poweroff's default), then
# exits; the guest's memory comes back, and syslog has the monitor's lines.
case_poweroff() {
    local c=poweroff rc dom before after bad=""
    cleanup_domains
    before=$(free_memory_settled)
    create /tmp/$c.out "$CFG/quiet.cfg" name=flb-$c
    rc=$?
    dom=$(created_domid /tmp/$c.out)
    if [ "$rc" != 0 ] || [ -z "$dom" ]; then
        result $c FAIL "build failed (status $rc): $(first_line /tmp/$c.out)"
        return
    fi
    wait_guest "$dom" 30 "FLBG hello" || bad="d$dom never printed;"
    gone flb-$c 20 || bad="$bad d$dom still there 20 s after it powered off;"
    after=$(free_memory_settled)
    [ "$after" = "$before" ] || bad="$bad free_memory $before MiB before, $after MiB after;"
    sleep 0.5
    [ -z "$(monitors)" ] || bad="$bad a monitor is still running: $(monitors);"
    grep "fixed-layout-build" /var/log/messages | sed 's/^/  syslog: /'
    grep -q "domain $dom (flb-$c): poweroff (code 0): destroy" /var/log/messages ||
        bad="$bad syslog lacks the monitor's poweroff line;"
    if [ -n "$bad" ]; then
        result $c FAIL "$bad"
    else
        result $c PASS "d$dom powered off, its monitor destroyed it and exited, free_memory $before MiB again"
    fi
}

# next_boot NAME DOMID SECONDS: waits, at most SECONDS, for a domain called NAME other than DOMID ("" for
# any); prints its domid.
next_boot() {
    local name=$1 old=$2 n=0 dom
    while :; do
        dom=$(xl domid "$name" 2>/dev/null)
        [ -n "$dom" ] && [ "$dom" != "$old" ] && break
        [ $n -lt $(($3 * 10)) ] || return 1
        sleep 0.1
        n=$((n + 1))
    done
    echo "$dom"
}

# Linux, as xl users drive it: it writes its control features (no EACCES any more), xl console
# attaches and xl sysrq reaches it, xenconsoled logs it, xl reboot restarts it (on_reboot's default)
# as a new domain of the same name, and it acknowledges xl shutdown. A PVH kernel without ACPI has no
# way to power itself off, so whether it then goes is only said; the case control shows the rest.
case_linux_ctl() {
    local c=linux_ctl name=flb-lxctl rc dom dom2 feat log went t bad=""
    t=$(ms)
    create /tmp/$c.out "$CFG/linux-ctl.cfg"
    rc=$?
    echo "  the first build took $(($(ms) - t)) ms"
    dom=$(created_domid /tmp/$c.out)
    if [ "$rc" != 0 ] || [ -z "$dom" ]; then
        result $c FAIL "build failed (status $rc): $(first_line /tmp/$c.out)"
        return
    fi
    if ! wait_guest "$dom" 300 "Waiting for root device"; then
        result $c FAIL "d$dom did not reach the root device wait in 300 s"
        return
    fi
    ! grep -q "Error -13 writing feature" "/tmp/console.$dom" || bad="the guest could not write its features;"
    feat=$(xenstore-read "/local/domain/$dom/control/feature-poweroff" 2>&1)
    [ "$feat" = 1 ] || bad="$bad control/feature-poweroff is '$feat';"
    # xenconsole ends at its stdin's end: give it one that stays open and silent. It flushes what came
    # before it attached, and under emulation attaching takes seconds: ask twice.
    sleep 35 | timeout 30 xl console $name >/tmp/$c.console 2>&1 &
    sleep 6
    xl sysrq $name h || bad="$bad xl sysrq failed;"
    sleep 6
    xl sysrq $name h
    sleep 6
    grep -q "HELP" /tmp/$c.console || bad="$bad xl console did not show the sysrq help;"
    head -c 300 /tmp/$c.console | cat -v | sed 's/^/  xl console: /' 
    log=/var/log/xen/console/guest-$name.log
    grep -q "HELP" "$log" 2>/dev/null || bad="$bad xenconsoled's $log lacks it;"
    grep -a "HELP" /tmp/$c.console | head -n 1 | cut -c1-100 | sed 's/^/  xl console: /'
    xl reboot $name || bad="$bad xl reboot failed;"
    if ! dom2=$(next_boot $name "$dom" 60); then
        bad="$bad no new $name after xl reboot;"
    elif ! wait_guest "$dom2" 300 "Waiting for root device"; then
        bad="$bad d$dom2 did not boot again;"
    else
        # xl returns once the guest has cleared control/shutdown: its acknowledgement.
        xl shutdown $name || bad="$bad xl shutdown was not acknowledged;"
        if gone $name 30; then went="and powered off"; else went="(it cannot power off: destroyed)"; fi
        echo "  xl shutdown acknowledged by d$dom2 $went"
    fi
    grep "fixed-layout-build.*$name\|fixed-layout-build.*domain $dom" /var/log/messages | sed 's/^/  syslog: /'
    grep -q "domain $dom ($name): reboot (code 1): restart" /var/log/messages || bad="$bad no reboot line in syslog;"
    xl destroy $name >/dev/null 2>&1
    if [ -n "$bad" ]; then
        result $c FAIL "$bad"
    else
        result $c PASS "d$dom: features written, sysrq in xl console and xenconsoled's log, rebooted as d$dom2, xl shutdown acknowledged"
    fi
}

# The test guest obeys control/shutdown: xl reboot restarts it as a new domain, xl shutdown powers it
# off, and its monitor destroys it.
case_control() {
    local c=control name=flb-control rc dom dom2 bad=""
    create /tmp/$c.out "$CFG/quiet.cfg" name=$name cmdline="flbg.quiet flbg.end=control"
    rc=$?
    dom=$(created_domid /tmp/$c.out)
    if [ "$rc" != 0 ] || [ -z "$dom" ]; then
        result $c FAIL "build failed (status $rc): $(first_line /tmp/$c.out)"
        return
    fi
    if ! wait_guest "$dom" 60 "FLBG end control ready" "FLBG end cannot"; then
        result $c FAIL "d$dom never got ready"
        return
    fi
    grep -q "FLBG end control ready" "/tmp/console.$dom" || bad="d$dom could not write its features;"
    xl reboot $name || bad="$bad xl reboot failed;"
    if ! dom2=$(next_boot $name "$dom" 30) || ! wait_guest "$dom2" 60 "FLBG end control ready"; then
        bad="$bad no new $name ready after xl reboot;"
    else
        xl shutdown $name || bad="$bad xl shutdown failed;"
        gone $name 30 || bad="$bad $name still there 30 s after xl shutdown;"
        grep -q "FLBG control poweroff" "/tmp/console.$dom2" 2>/dev/null || wait_guest "$dom2" 5 "FLBG control poweroff" ||
            bad="$bad d$dom2 never saw the request;"
    fi
    grep -q "domain ${dom2:-?} ($name): poweroff (code 0): destroy" /var/log/messages ||
        bad="$bad no poweroff line in syslog;"
    if [ -n "$bad" ]; then
        result $c FAIL "$bad"
    else
        result $c PASS "d$dom rebooted by xl reboot as d$dom2, which xl shutdown powered off and its monitor destroyed"
    fi
}

# A triple fault is a reboot, as Xen and xl make it: with on_reboot = "destroy", -F exits 4.
case_triple() {
    local c=triple rc dom bad=""
    create /tmp/$c.out -F --timeout 60 "$CFG/quiet.cfg" name=flb-$c cmdline="flbg.quiet flbg.end=triple" \
        on_reboot=destroy
    rc=$?
    dom=$(created_domid /tmp/$c.out)
    [ "$rc" = 4 ] || bad="status $rc, expected 4 (a reboot);"
    grep -q "rebooted\|reboot" /tmp/$c.out || bad="$bad no word of a reboot;"
    [ -z "$(leftovers)" ] || bad="$bad left behind: $(leftovers);"
    if [ -n "$bad" ]; then
        result $c FAIL "$bad"
    else
        result $c PASS "d$dom triple-faulted: reboot, destroyed as on_reboot said, status 4"
    fi
}

# Two builds of one name at once: exactly one succeeds; the other exits 2 naming the conflict and
# leaves nothing. Paused (-p), the guests stay, so that both would show; they cost no CPU meanwhile.
case_same_name() {
    local c=same_name name=flb-same rc1 rc2 won lost bad=""
    "$FLB" -p "$CFG/quiet.cfg" name=$name >/tmp/$c.1 2>&1 &
    local p1=$!
    "$FLB" -p "$CFG/quiet.cfg" name=$name >/tmp/$c.2 2>&1 &
    local p2=$!
    wait $p1
    rc1=$?
    wait $p2
    rc2=$?
    sed 's/^/  1: /' /tmp/$c.1
    sed 's/^/  2: /' /tmp/$c.2
    case "$rc1 $rc2" in
    "0 2") won=1 lost=2 ;;
    "2 0") won=2 lost=1 ;;
    *) bad="statuses $rc1 and $rc2, expected 0 and 2;" ;;
    esac
    if [ -n "$lost" ]; then
        [ "$(wc -l </tmp/$c.$lost)" = 1 ] || bad="$bad the loser said more than one line;"
        grep -q "name '$name' is already used by domain $(created_domid /tmp/$c.$won)" /tmp/$c.$lost ||
            bad="$bad the loser does not name the conflict;"
    fi
    sleep 0.5
    [ "$(leftovers)" = "$name" ] || bad="$bad domains: '$(leftovers)', expected $name alone;"
    xl destroy $name >/dev/null 2>&1
    if [ -n "$bad" ]; then
        result $c FAIL "$bad"
    else
        result $c PASS "one built, the other refused: $(cat /tmp/$c.$lost)"
    fi
}

# Eight builds of eight names at once: all succeed, eight domains (paused) are there.
case_eight() {
    local c=eight i pids="" rc n bad=""
    for i in 1 2 3 4 5 6 7 8; do
        "$FLB" -p "$CFG/quiet.cfg" name=flb-8-$i >/tmp/$c.$i 2>&1 &
        pids="$pids $!"
    done
    i=0
    for p in $pids; do
        i=$((i + 1))
        wait "$p"
        rc=$?
        [ "$rc" = 0 ] || bad="$bad build $i: status $rc ($(first_line /tmp/$c.$i));"
    done
    n=$(leftovers | tr ',' '\n' | grep -c '^flb-8-')
    [ "$n" = 8 ] || bad="$bad $n domains run: $(leftovers);"
    cleanup_domains
    if [ -n "$bad" ]; then
        result $c FAIL "$bad"
    else
        result $c PASS "8 builds at once, 8 domains"
    fi
}

# kill_at STEP: builds flb-kill with -v and SIGKILLs the builder the moment its log says STEP is done,
# then says how far it had got. At most one domain is left, which xl destroy removes.
kill_at() {
    local step=$1 reached ids
    reached=$("$HELPER" killat "fixed-layout-build: $step: " "$FLB" -v -p "$CFG/quiet.cfg" name=flb-kill |
        sed -n 's/^killed after: fixed-layout-build: //p')
    ids=$(timeout 60 xl list 2>/dev/null | awk 'NR > 1 && $2 != 0 { print $2 }')
    echo "  killed after '${reached:-nothing}'; domains left: ${ids:-none}"
    [ -n "$reached" ] || echo "  NEVER REACHED"
    [ "$(echo "$ids" | grep -c .)" -le 1 ] || echo "  MORE THAN ONE DOMAIN LEFT"
    for id in $ids; do
        xl destroy "$id" || echo "  XL DESTROY $id FAILED"
    done
}

# SIGKILL at three points of the build (the lock held, the domain just created, guest memory
# populated): at most one domain left each time, xl destroy removes it, and no lock is left, so the
# next build of the name succeeds.
case_sigkill() {
    local c=sigkill step rc dom bad="" out
    for step in "taking the creation lock" "creating the domain" "populating guest memory"; do
        out=$(kill_at "$step")
        echo "$out"
        case "$out" in *"NEVER REACHED"* | *"MORE THAN ONE"* | *"FAILED"*) bad="$bad after '$step': $out;" ;; esac
        [ -z "$(leftovers)" ] || bad="$bad after '$step': left behind: $(leftovers);"
    done
    create /tmp/$c.out -F --timeout 60 "$CFG/quiet.cfg" name=flb-kill
    rc=$?
    [ "$rc" = 0 ] || bad="$bad the build after the kills: status $rc;"
    if [ -n "$bad" ]; then
        result $c FAIL "$bad"
    else
        result $c PASS "killed three times, at most one domain each, xl destroy removed it, the next build ran"
    fi
}

# With --format json the records: created (its plan the dry-run's document), ended (poweroff, destroy,
# 0). With -c standard output is the console alone (the guest's one line), the records on standard
# error.
case_record() {
    local c=record rc bad=""
    set -- "$CFG/quiet.cfg" name=flb-record cmdline="flbg.quiet flbg.pvcon"
    "$FLB" --dry-run --format json "$@" >/tmp/$c.json
    "$FLB" -F --timeout 60 --format json --record /tmp/$c.rec "$@" >/tmp/$c.out 2>/tmp/$c.err
    rc=$?
    [ "$rc" = 0 ] || bad="--record: status $rc: $(first_line /tmp/$c.err);"
    [ ! -s /tmp/$c.out ] || bad="$bad --record: standard output is not empty;"
    "$HELPER" records /tmp/$c.rec /tmp/$c.json poweroff destroy 0 | sed 's/^/  /' || bad="$bad --record's records;"
    "$FLB" -c --timeout 60 --format json "$@" >/tmp/$c.con 2>/tmp/$c.rec2
    rc=$?
    [ "$rc" = 0 ] || bad="$bad -c: status $rc;"
    echo "  -c stdout: $(head -c 100 /tmp/$c.con | cat -v)"
    [ "$(cat /tmp/$c.con)" = "FLBG pv console, ending" ] || bad="$bad -c: standard output is not the console alone;"
    "$HELPER" records /tmp/$c.rec2 /tmp/$c.json poweroff destroy 0 | sed 's/^/  /' || bad="$bad -c: stderr's records;"
    if [ -n "$bad" ]; then
        result $c FAIL "$bad"
    else
        result $c PASS "records as documented, with --record and with -c (on stderr; stdout the console alone)"
    fi
}
