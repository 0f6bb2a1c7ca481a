# The guest's control interface: xl shutdown, xl reboot, xl sysrq and xl console, a triple fault.

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
    verdict $c "$bad" "d$dom rebooted by xl reboot as d$dom2, which xl shutdown powered off and its monitor destroyed"
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
    verdict $c "$bad" "d$dom triple-faulted: reboot, destroyed as on_reboot said, status 4"
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
    verdict $c "$bad" "d$dom: features written, sysrq in xl console and xenconsoled's log, rebooted as d$dom2, xl shutdown acknowledged"
}
