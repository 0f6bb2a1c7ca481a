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
    verdict wait "$bad" "the guest halted and --wait returned 0"
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
    verdict paused "$bad" "state '$state', ran only after xl unpause"
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
    verdict soak "$bad" "$i cycles in $((($(ms) - t0) / 1000)) s, free_memory $before MiB before and after"
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
    verdict $c "$bad" "d$dom powered off, its monitor destroyed it and exited, free_memory $before MiB again"
}

# on_reboot = "restart", the default: the guest that reboots comes back as a new domain of the same
# name whose guest prints the same memory map as the dry-run, the fixed regions where they were.
case_restart() {
    local c=restart name=flb-restart dom dom2 bad=""
    set -- "$CFG/small.cfg" name=$name cmdline="flbg.case=small flbg.end=reboot"
    "$FLB" --dry-run --format json "$@" >/tmp/$c.json
    create /tmp/$c.out "$@"
    dom=$(created_domid /tmp/$c.out)
    if [ -z "$dom" ] || ! wait_guest "$dom" 90 "FLBG DONE"; then
        result $c FAIL "the first boot did not finish"
        return
    fi
    "$HELPER" memmap /tmp/$c.json "/tmp/console.$dom" "$dom" | sed 's/^/  /' || bad="d$dom's memory map differs;"
    if ! dom2=$(next_boot $name "$dom" 60) || ! wait_guest "$dom2" 90 "FLBG DONE"; then
        bad="$bad no second boot;"
    else
        "$HELPER" memmap /tmp/$c.json "/tmp/console.$dom2" "$dom2" | sed 's/^/  /' ||
            bad="$bad d$dom2's memory map differs;"
        sed -n "s/^(d$dom) \(FLBG e820 .*\)/\1/p" "/tmp/console.$dom" >/tmp/$c.1
        sed -n "s/^(d$dom2) \(FLBG e820 .*\)/\1/p" "/tmp/console.$dom2" >/tmp/$c.2
        [ -s /tmp/$c.1 ] && cmp -s /tmp/$c.1 /tmp/$c.2 || bad="$bad the two boots printed different maps;"
    fi
    stop_rebooting $name
    verdict $c "$bad" "d$dom rebooted, came back as d$dom2 with the same memory map, the dry-run's"
}

# on_crash = "preserve": the crashed domain stays, and -F exits 3.
case_crash() {
    local c=crash name=flb-crash rc state bad=""
    create /tmp/$c.out -F --timeout 60 "$CFG/quiet.cfg" name=$name cmdline="flbg.quiet flbg.end=crash" \
        on_crash=preserve
    rc=$?
    [ "$rc" = 3 ] || bad="status $rc, expected 3;"
    state=$(xl list $name 2>/dev/null | awk 'NR == 2 { print $5 }')
    case "$state" in *c*) ;; *) bad="$bad state '$state', not crashed;" ;; esac
    [ -z "$(monitors)" ] || bad="$bad a monitor is still running;"
    xl destroy $name >/dev/null 2>&1
    verdict $c "$bad" "status 3, the domain kept in state '$state' until xl destroy"
}

# -e: no monitor, so the guest that powered off stays, shut down, until xl destroy.
case_keep() {
    local c=keep name=flb-keep rc dom state bad=""
    create /tmp/$c.out -e "$CFG/quiet.cfg" name=$name
    rc=$?
    dom=$(created_domid /tmp/$c.out)
    [ "$rc" = 0 ] && [ -n "$dom" ] || bad="build failed (status $rc);"
    wait_guest "$dom" 30 "FLBG hello" >/dev/null || bad="$bad d$dom never printed;"
    sleep 1
    state=$(xl list $name 2>/dev/null | awk 'NR == 2 { print $5 }')
    case "$state" in *s*) ;; *) bad="$bad state '$state', not shut down;" ;; esac
    [ -z "$(monitors)" ] || bad="$bad a monitor runs;"
    xl destroy $name >/dev/null 2>&1
    verdict $c "$bad" "d$dom powered off and stayed, state '$state'"
}

# 20 restarts in a row, then xl destroy: free memory as before, no monitor left.
case_cycles() {
    local c=cycles name=flb-cycles before after n=0 count=0 t0 bad=""
    cleanup_domains
    before=$(free_memory_settled)
    t0=$(ms)
    create /tmp/$c.out "$CFG/quiet.cfg" name=$name cmdline="flbg.quiet flbg.end=reboot" >/dev/null
    while [ "$count" -lt 20 ] && [ $n -lt 600 ]; do
        sleep 0.5
        n=$((n + 1))
        count=$(grep -c "$name restarted as domain" /var/log/messages)
    done
    echo "  $count restarts in $((($(ms) - t0) / 1000)) s"
    [ "$count" -ge 20 ] || bad="only $count restarts;"
    stop_rebooting $name
    [ -z "$(leftovers)" ] || bad="$bad left behind: $(leftovers);"
    after=$(free_memory_settled)
    [ "$after" = "$before" ] || bad="$bad free_memory $before MiB before, $after MiB after;"
    verdict $c "$bad" "$count restarts, then xl destroy: free_memory $before MiB before and after"
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
    verdict $c "$bad" "records as documented, with --record and with -c (on stderr; stdout the console alone)"
}

# Bad input on a live build: exit 2, one line naming the key or the options, nothing on standard
# output, no domain created.
case_bad_input() {
    local c=bad_input args rc bad=""
    # Each: the arguments, then what the message must name.
    for args in "on_crash=coredump-destroy|on_crash" "on_poweroff=soft-reset|on_poweroff" \
        "on_reboot=explode|on_reboot" "-e -F|-F"; do
        case "$args" in
        -*) "$FLB" ${args%|*} "$CFG/quiet.cfg" name=flb-bad >/tmp/$c.out 2>/tmp/$c.err ;;
        *) "$FLB" "$CFG/quiet.cfg" name=flb-bad "${args%|*}" >/tmp/$c.out 2>/tmp/$c.err ;;
        esac
        rc=$?
        echo "  ${args%|*}: status $rc: $(cat /tmp/$c.err)"
        [ "$rc" = 2 ] || bad="$bad ${args%|*}: status $rc;"
        [ "$(wc -l </tmp/$c.err)" = 1 ] || bad="$bad ${args%|*}: not one line;"
        [ ! -s /tmp/$c.out ] || bad="$bad ${args%|*}: stdout not empty;"
        grep -qF -- "${args#*|}" /tmp/$c.err || bad="$bad ${args%|*}: the message does not name ${args#*|};"
        [ -z "$(leftovers)" ] || bad="$bad ${args%|*}: a domain was created;"
    done
    verdict $c "$bad" "each refused with status 2 and one line, nothing built"
}

# The reaction to a shutdown: the guest powers off the moment dom0 acknowledges its grant; the time
# from that acknowledgement to the monitor (-F -v) seeing the shutdown, five times. Figures, not a
# verdict: the case fails only when a measurement is missing. The median goes to the bench table.
case_react() {
    local c=react i=0 dom ack seen out figures="" median
    while [ $i -lt 5 ]; do
        i=$((i + 1))
        "$FLB" -F -v --timeout 60 "$CFG/quiet.cfg" name=flb-react cmdline="flbg.quiet flbg.ack flbg.end=poweroff" \
            >/tmp/$c.out 2>/tmp/$c.err &
        local pid=$!
        dom=""
        while [ -z "$dom" ] && kill -0 $pid 2>/dev/null; do
            sleep 0.1
            dom=$(created_domid /tmp/$c.out)
        done
        out=$(wait_guest "$dom" 60 "FLBG grant offer")
        wait $pid
        ack=$(echo "$out" | sed -n 's/.*acknowledged at \([0-9.]*\) s.*/\1/p')
        seen=$(sed -n 's/.*powered off: seen at \([0-9.]*\) s.*/\1/p' /tmp/$c.err)
        [ -n "$ack" ] && [ -n "$seen" ] || continue
        figures="$figures $(awk -v a="$ack" -v s="$seen" 'BEGIN { printf "%.1f", (s - a) * 1000 }')"
    done
    echo "  acknowledgement to the monitor seeing the shutdown, ms:$figures"
    median=$(echo $figures | tr ' ' '\n' | sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }')
    if [ "$(echo $figures | wc -w)" != 5 ]; then
        result $c FAIL "only $(echo $figures | wc -w) of 5 measurements:$figures"
    else
        echo "| shutdown to the monitor's reaction (ms, median of 5) | $median |" >>"$BENCH_TABLE"
        result $c PASS "median $median ms (runs:$figures)"
    fi
}

# on_reboot = "rename-restart": xl reboot keeps the domain, renamed NAME-YYYYMMDDTHHMMZ under a new
# UUID, and the guest comes back under its own name and UUID in a new domain.
case_rename() {
    local c=rename name=flb-rename dom dom2 kept vm1 vm2 vmk bad=""
    create /tmp/$c.out "$CFG/quiet.cfg" name=$name cmdline="flbg.quiet flbg.end=control" on_reboot=rename-restart
    dom=$(created_domid /tmp/$c.out)
    if [ -z "$dom" ] || ! wait_guest "$dom" 60 "FLBG end control ready"; then
        result $c FAIL "d$dom never got ready"
        return
    fi
    vm1=$(xenstore-read /local/domain/$dom/vm)
    xl reboot $name || bad="xl reboot failed;"
    if ! dom2=$(next_boot $name "$dom" 30) || ! wait_guest "$dom2" 60 "FLBG end control ready"; then
        bad="$bad no new $name;"
    fi
    kept=$(xenstore-read /local/domain/$dom/name 2>&1)
    vmk=$(xenstore-read /local/domain/$dom/vm 2>&1)
    vm2=$(xenstore-read /local/domain/${dom2:-0}/vm 2>&1)
    echo "  d$dom kept as '$kept' ($vmk); d${dom2:-?} is $name ($vm2); it was $vm1"
    echo "$kept" | grep -q "^$name-[0-9]\{8\}T[0-9]\{4\}Z$" || bad="$bad d$dom is named '$kept';"
    [ "$vm2" = "$vm1" ] && [ "$vmk" != "$vm1" ] || bad="$bad the UUIDs are not as xl leaves them;"
    grep -q "domain $dom kept as $kept" /var/log/messages || bad="$bad syslog does not say it;"
    xl shutdown $name >/dev/null 2>&1
    gone $name 30 || bad="$bad $name did not go;"
    xl destroy "$dom" >/dev/null 2>&1
    verdict $c "$bad" "d$dom kept as $kept, $name restarted as d$dom2 with its UUID"
}

# --no-xenstore: the monitor would need VIRQ_DOM_EXC, which xenstored holds here, so the build is
# refused before anything exists (status 1, the message says why); with -e it builds.
case_noxs() {
    local c=noxs rc dom bad=""
    "$FLB" --no-xenstore "$CFG/quiet.cfg" >/tmp/$c.out 2>&1
    rc=$?
    sed 's/^/  /' /tmp/$c.out
    [ "$rc" = 1 ] || bad="status $rc, expected 1;"
    grep -q "VIRQ_DOM_EXC" /tmp/$c.out || bad="$bad the message does not name VIRQ_DOM_EXC;"
    [ -z "$(leftovers)" ] || bad="$bad a domain was created: $(leftovers);"
    create /tmp/$c.2 -e --no-xenstore "$CFG/quiet.cfg"
    rc=$?
    dom=$(created_domid /tmp/$c.2)
    [ "$rc" = 0 ] && [ -n "$dom" ] || bad="$bad -e --no-xenstore: status $rc;"
    [ -n "$dom" ] && xl destroy "$dom" >/dev/null 2>&1
    verdict $c "$bad" "refused with status 1 naming VIRQ_DOM_EXC; built with -e"
}
