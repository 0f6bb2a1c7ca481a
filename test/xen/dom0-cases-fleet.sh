# The fleet cases: several guests from one invocation, the all-or-nothing rule when one of them
# cannot be built, and what one invocation saves against one per guest and against xl create.

# The fleet's guest: the test guest in 32 MiB (the most of twenty that fit the rig's smallest Xen,
# 2 GiB of QEMU memory less dom0's 512 MiB, with room to spare).
readonly FLEET_MEMORY=32

# fleet_args EXTRA NAME...: the arguments of a fixed-layout-build run of one quiet.cfg guest per
# NAME, each config followed by its overrides (EXTRA, one override, among them), one a line.
fleet_args() {
    local extra=$1 n
    shift
    for n in "$@"; do
        printf '%s\n' "$CFG/quiet.cfg" "name=$n" "memory=$FLEET_MEMORY" "$extra"
    done
}

# monitor_pids NAME...: the pids of the detached monitors whose syslog line says they preserved each
# NAME's powered-off domain, one a line, each once; "" for a NAME without such a line.
monitor_pids() {
    local n
    for n in "$@"; do
        grep "($n): poweroff (code 0): preserve" /var/log/messages | tail -n 1 |
            sed -n 's/.*fixed-layout-build\[\([0-9]*\)\].*/\1/p'
    done | sort -u
}

# Five guests from one invocation, each left by its on_poweroff once it halts: each prints its
# first line and is in xl list, and one detached monitor, the same for all (syslog), kept each one
# as it powered off, then exited. -F waits for three guests, one of which crashes. Then the last of three configs is refused at build time (its name
# is taken by a running domain): status 2, and none of the two guests built before it is left, nor
# a monitor; with --keep-going those two stay.
case_fleet() {
    local c=fleet n=5 i names="" doms="" dom rc bad="" pids pidlist args IFS
    cleanup_domains
    i=0
    while [ $i -lt $n ]; do
        i=$((i + 1))
        names="$names flb-fleet-$i"
    done
    # One argument a line: the command line of the five guests.
    # shellcheck disable=SC2086
    args=$(fleet_args on_poweroff=preserve $names)
    IFS='
'
    # shellcheck disable=SC2086
    timeout 120 "$FLB" $args >/tmp/$c.out 2>/tmp/$c.err
    rc=$?
    unset IFS
    sed 's/^/  tool: /' /tmp/$c.out /tmp/$c.err
    [ "$rc" = 0 ] || bad="status $rc: $(first_line /tmp/$c.err);"
    [ "$(grep -c '^created domain ' /tmp/$c.out)" = $n ] || bad="$bad not $n created lines;"
    i=0
    for name in $names; do
        i=$((i + 1))
        dom=$(sed -n "${i}s/^created domain \([0-9]*\) ($name)$/\1/p" /tmp/$c.out)
        if [ -z "$dom" ]; then
            bad="$bad line $i is not $name's;"
            continue
        fi
        doms="$doms $dom"
        wait_guest "$dom" 60 "FLBG hello" || bad="$bad d$dom ($name) never printed;"
        xl list "$name" >/dev/null 2>&1 || bad="$bad $name is not in xl list;"
    done
    # Each halted guest kept by the one monitor, which then has nothing left to watch.
    i=0
    while [ -n "$(monitors)" ] && [ $i -lt 100 ]; do
        sleep 0.2
        i=$((i + 1))
    done
    # shellcheck disable=SC2086
    pids=$(monitor_pids $names)
    pidlist=$(echo "$pids" | tr '\n' ' ')
    echo "  monitor pids in syslog: $pidlist"
    [ "$(echo "$pids" | wc -w)" = 1 ] && [ "$(for name in $names; do monitor_pids "$name"; done | wc -l)" = $n ] ||
        bad="$bad the guests' poweroffs were not all kept by one monitor: pids '$pidlist';"
    [ -z "$(monitors)" ] || bad="$bad the monitor still runs after the last guest: $(monitors);"
    [ "$(leftovers | tr ',' ' ' | wc -w)" = $n ] || bad="$bad domains left: '$(leftovers)';"
    cleanup_domains
    bad="$bad$(fleet_wait)"
    fleet_refused "$bad" "$n guests from one invocation ($doms ) printed, were in xl list, one monitor (pid ${pidlist% }) kept each on its poweroff"
}

# -F with three guests, the second of which crashes: the command waits for all three, says the
# crash, exits 3 (the first status that is not 0), and every guest is gone. Prints what is wrong.
fleet_wait() {
    local c=fleet rc
    timeout 120 "$FLB" -F --timeout 60 "$CFG/quiet.cfg" name=flb-fleet-w1 memory=$FLEET_MEMORY \
        "$CFG/quiet.cfg" name=flb-fleet-w2 memory=$FLEET_MEMORY "cmdline=flbg.quiet flbg.end=crash" \
        "$CFG/quiet.cfg" name=flb-fleet-w3 memory=$FLEET_MEMORY >/tmp/$c.wait 2>/tmp/$c.wait.err
    rc=$?
    sed 's/^/  -F: /' /tmp/$c.wait /tmp/$c.wait.err >&2
    [ "$rc" = 3 ] || echo " -F: status $rc, expected 3 (the second guest's crash);"
    [ "$(grep -c '^created domain ' /tmp/$c.wait)" = 3 ] || echo " -F: not 3 created lines;"
    grep -q "^fixed-layout-build: domain [0-9]* (flb-fleet-w2) crashed: destroyed$" /tmp/$c.wait.err ||
        echo " -F: the crash of flb-fleet-w2 is not said;"
    [ "$(wc -l </tmp/$c.wait.err)" = 1 ] || echo " -F: more than the crash on stderr;"
    [ -z "$(leftovers)" ] || echo " -F: left behind: $(leftovers);"
}

# The failure half of case_fleet: BAD so far, PASS_REASON of the first half.
fleet_refused() {
    local c=fleet bad=$1 rc args IFS taken
    "$FLB" -e -p "$CFG/quiet.cfg" name=flb-fleet-taken memory=$FLEET_MEMORY >/tmp/$c.taken 2>&1 ||
        bad="$bad the blocker could not be built: $(first_line /tmp/$c.taken);"
    taken=$(created_domid /tmp/$c.taken)
    args=$(fleet_args on_poweroff=preserve flb-fleet-x1 flb-fleet-x2 flb-fleet-taken)
    IFS='
'
    # shellcheck disable=SC2086
    timeout 120 "$FLB" $args >/tmp/$c.out 2>/tmp/$c.err
    rc=$?
    unset IFS
    sed 's/^/  all or nothing: /' /tmp/$c.out /tmp/$c.err
    [ "$rc" = 2 ] || bad="$bad all or nothing: status $rc, expected 2;"
    [ ! -s /tmp/$c.out ] || bad="$bad all or nothing: stdout not empty;"
    grep -q "quiet.cfg (flb-fleet-taken): .*name 'flb-fleet-taken' is already used by domain $taken.*; the guests built before it were destroyed: domain [0-9]* (flb-fleet-x1), domain [0-9]* (flb-fleet-x2)$" /tmp/$c.err ||
        bad="$bad all or nothing: the error does not name the guest and the guests destroyed;"
    sleep 0.5
    [ "$(leftovers)" = flb-fleet-taken ] || bad="$bad all or nothing: domains '$(leftovers)', expected flb-fleet-taken alone;"
    [ -z "$(monitors)" ] || bad="$bad all or nothing: a monitor runs: $(monitors);"
    # --keep-going: the two guests stay (kept by their monitor once they halt); the status is the failure's.
    IFS='
'
    # shellcheck disable=SC2086
    timeout 120 "$FLB" --keep-going $args >/tmp/$c.out 2>/tmp/$c.err
    rc=$?
    unset IFS
    sed 's/^/  keep going: /' /tmp/$c.out /tmp/$c.err
    [ "$rc" = 2 ] || bad="$bad keep going: status $rc, expected 2;"
    [ "$(grep -c '^created domain ' /tmp/$c.out)" = 2 ] || bad="$bad keep going: not 2 created lines;"
    sleep 0.5
    [ "$(leftovers | tr ',' '\n' | sort | tr '\n' ',')" = flb-fleet-taken,flb-fleet-x1,flb-fleet-x2, ] ||
        bad="$bad keep going: domains '$(leftovers)';"
    cleanup_domains
    verdict $c "$bad" "$2; -F waited for three and exited 3 for the second's crash; a taken third name: status 2, the two built before it destroyed, with --keep-going kept"
}

# bench_names N: the names of the benchmark's N guests, flb-fb-1 ... flb-fb-N.
bench_names() {
    local i=0
    while [ $i -lt "$1" ]; do
        i=$((i + 1))
        printf ' flb-fb-%s' $i
    done
}

# fleet_round DIR GUESTS: one round of the benchmark: GUESTS guests started by one invocation, by
# GUESTS invocations one after the other, and by GUESTS xl create one after the other; each timed
# from the command's start until every guest printed its first line, and until the command exits.
fleet_round() {
    local dir=$1 n=$2 names args IFS
    names=$(bench_names "$n")
    # shellcheck disable=SC2086
    args=$(fleet_args "on_poweroff=destroy" $names)
    IFS='
'
    # shellcheck disable=SC2086
    "$HELPER" time -n "$n" 300000 "FLBG hello" "$FLB" $args 2>/dev/null | tail -n 1 >>"$dir/one"
    unset IFS
    fleet_settle
    # The same guests, one invocation each: a script of the commands, so that one command is timed.
    for name in $names; do
        echo "\"$FLB\" \"$CFG/quiet.cfg\" name=$name memory=$FLEET_MEMORY || exit 1"
    done >"$dir/many.sh"
    "$HELPER" time -n "$n" 300000 "FLBG hello" sh "$dir/many.sh" 2>/dev/null | tail -n 1 >>"$dir/many"
    fleet_settle
    for name in $names; do
        echo "xl create -q \"$CFG/xl-quiet.cfg\" 'name=\"$name\"' memory=$FLEET_MEMORY || exit 1"
    done >"$dir/xl.sh"
    "$HELPER" time -n "$n" 300000 "FLBG hello" sh "$dir/xl.sh" 2>/dev/null | tail -n 1 >>"$dir/xl"
    fleet_settle
}

# No guest and no monitor left (the guests halt and their monitors destroy them): the next
# measurement starts from the same state.
fleet_settle() {
    local n=0
    cleanup_domains
    while { [ -n "$(monitors)" ] || pidof xl >/dev/null; } && [ $n -lt 100 ]; do
        sleep 0.2
        n=$((n + 1))
    done
}

# fleet_budget DIR GUESTS: one more invocation of GUESTS guests, with -v, untimed: where its time goes,
# each part summed over the guests, largest first, as lines of the case's log.
fleet_budget() {
    local dir=$1 n=$2 names args IFS
    names=$(bench_names "$n")
    # shellcheck disable=SC2086
    args=$(fleet_args "on_poweroff=destroy" $names)
    IFS='
'
    # shellcheck disable=SC2086
    "$FLB" -v $args >/dev/null 2>"$dir/one.v"
    unset IFS
    fleet_settle
    sed -n 's/^fixed-layout-build: \(.*\): \([0-9.]*\) ms$/\2 \1/p' "$dir/one.v" |
        awk '{ ms = $1; $1 = ""; sum[substr($0, 2)] += ms; cnt[substr($0, 2)]++ }
            END { for (k in sum) printf "%10.1f ms %3d x  %s\n", sum[k], cnt[k], k }' |
        sort -rn | head -n 25 | sed 's/^/  -v, all guests: /'
}

# Twenty guests: one invocation against twenty invocations and twenty xl create, medians of three
# rounds, alternated; the rows go to the benchmark table (bench.txt). Figures, not verdicts: the
# case passes when every round worked.
case_fleet_bench() {
    local c=fleet_bench dir=/tmp/fleet-bench guests=20 rounds=3 r=0 summary
    rm -rf "$dir"
    mkdir -p "$dir"
    fleet_settle
    while [ $r -lt $rounds ]; do
        r=$((r + 1))
        fleet_round "$dir" $guests
        echo "  round $r: one $(tail -n 1 "$dir/one"); many $(tail -n 1 "$dir/many"); xl $(tail -n 1 "$dir/xl")"
    done
    fleet_budget "$dir" $guests
    if summary=$("$HELPER" fleet-table "$dir" "$BENCH_TABLE" $guests $rounds); then
        result $c PASS "$summary"
    else
        result $c FAIL "$(echo "$summary" | tr '\n' ' ')"
    fi
    sed -n '/guests, median of/,$p' "$BENCH_TABLE" | sed 's/^/  /'
}
