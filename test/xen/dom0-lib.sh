# What every dom0 case uses: building a guest, following its console, reporting, cleaning up.
# Sourced by /init before the dom0-cases-*.sh files. Guests report through port 0xE9, which Xen
# prints as "(dN) ..." lines on its console; the helper follows Xen's console ring to read them.

# Settings, set once here and read-only: the programs (FLOOR: the floor builder of test/bench) and
# configs in the image, where the cases
# leave what the benchmark table is made of (the bench case's timings, the Linux cases' consoles),
# where the bench case writes that table (/init prints it at the end), and what builds the guests:
# the tool, or xl create when the rig runs with --create-with xl (for work on the rig itself: xl
# knows no fixed layout, so layout checks fail there).
readonly FLB=/flb/bin/fixed-layout-build
readonly HELPER=/flb/bin/flb-dom0-helper
readonly FLOOR=/flb/bin/flb-floor-build
readonly CFG=/flb/cfg
readonly BENCH_DIR=/tmp/bench
readonly BENCH_TABLE=/tmp/bench.txt
CREATE_WITH=$(sed -n 's/.*flbcreate=\([a-z]*\).*/\1/p' /proc/cmdline)
readonly CREATE_WITH

# result CASE PASS|FAIL|SKIP REASON: the case's one line for the host to collect.
result() {
    echo "FLBTEST $1 $2 $3"
}

# verdict CASE BAD PASS_REASON: FAIL with BAD when the case found something wrong, else PASS.
verdict() {
    if [ -n "$2" ]; then
        result "$1" FAIL "$2"
    else
        result "$1" PASS "$3"
    fi
}

# Destroys every domain but dom0; waits (bounded) until Xen has let go of them.
cleanup_domains() {
    local ids id n=0
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

# create LOG [OPTIONS] CFG [KEY=VALUE...]: builds a guest; its output goes to the file LOG and,
# indented, to the console; returns the build's exit status.
create() {
    local log=$1 out rc
    shift
    if [ "$CREATE_WITH" = xl ]; then
        create_xl "$log" "$@"
        rc=$?
    else
        out=$(timeout 120 "$FLB" "$@" 2>&1)
        rc=$?
        echo "$out" >"$log"
    fi
    sed 's/^/  tool: /' "$log"
    return $rc
}

# create_xl LOG [OPTIONS] CFG [KEY=VALUE...]: the same build with xl create; LOG ends with the
# tool's "created domain N (NAME)" line when xl created the domain.
create_xl() {
    local log=$1 a opts="" name="" cfg="" out rc domid
    shift
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
    out=$(timeout 120 xl create $cfg $opts 'on_poweroff="preserve"' 2>&1)
    rc=$?
    domid=$(xl domid "$name" 2>/dev/null)
    echo "$out" >"$log"
    [ -z "$domid" ] || echo "created domain $domid ($name)" >>"$log"
    return $rc
}

# The id of the domain a build's LOG says it created, "" when it created none.
created_domid() {
    sed -n 's/^created domain \([0-9][0-9]*\) .*/\1/p' "$1" | head -n 1
}

# The first line of the file $1 that is not blank, cut short: for a result's reason.
first_line() {
    grep -v '^ *$' "$1" | head -n 1 | cut -c1-160
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

# free_memory_settled: Xen's free memory once it stops changing (a destroyed domain's memory comes back
# after the domain is gone), at most 10 s of waiting.
free_memory_settled() {
    local before after n=0
    before=$(xl info free_memory)
    while [ $n -lt 50 ]; do
        sleep 0.2
        n=$((n + 1))
        after=$(xl info free_memory)
        [ "$after" != "$before" ] || break
        before=$after
    done
    echo "$before"
}

# gone NAME SECONDS: waits until no domain is called NAME; fails if one still is after SECONDS.
gone() {
    local n=0
    while xl domid "$1" >/dev/null 2>&1; do
        [ $n -lt $(($2 * 10)) ] || return 1
        sleep 0.1
        n=$((n + 1))
    done
}

# monitors: the pids of the detached monitors still running, "" when none.
monitors() {
    pidof fixed-layout-build
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

# stop_rebooting NAME: destroys a guest that keeps rebooting until none is left and its monitor is gone.
stop_rebooting() {
    local n=0
    while { xl domid "$1" >/dev/null 2>&1 || [ -n "$(monitors)" ]; } && [ $n -lt 100 ]; do
        xl destroy "$1" >/dev/null 2>&1
        sleep 0.3
        n=$((n + 1))
    done
}
