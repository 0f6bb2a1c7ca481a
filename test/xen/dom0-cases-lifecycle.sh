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
