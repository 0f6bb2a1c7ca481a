# The xl.cfg(5) keys honoured beside the layout: each config is built paused once by the tool and once by
# xl create; what dom0 sees of the domain and what the guest reports of its CPUID must be the same.

# keys_view NAME: what dom0 sees of the paused domain NAME: each vCPU's hard / soft affinity, and the
# weight and cap of the scheduler Xen runs (credit or credit2).
keys_view() {
    local name=$1 sched
    xl vcpu-list "$name" | awk 'NR > 1 { print "vcpu", $3, "affinity", $(NF - 2), $(NF - 1), $NF }'
    sched=$(xl info | sed -n 's/^xen_scheduler *: *//p')
    case $sched in
    credit | credit2) xl "sched-$sched" -d "$name" | awk -v s="$sched" 'NR == 2 { print s, "weight", $3, "cap", $4 }' ;;
    *) echo "scheduler $sched" ;;
    esac
}

# keys_build CASE tool|xl CFG: builds CFG paused with one builder, writes /tmp/CASE.BUILDER.view (dom0's
# view) and /tmp/CASE.BUILDER.cpuid (the guest's CPUID lines once unpaused); returns 1 on a failure,
# with the reason in /tmp/CASE.BUILDER.why.
keys_build() {
    local c=$1 with=$2 cfg=$3 log="/tmp/$1.$2.out" name dom rc out
    name=$(sed -n 's/^name *= *"\(.*\)"/\1/p' "$cfg")
    : >"/tmp/$c.$with.view"
    : >"/tmp/$c.$with.cpuid"
    xl dmesg -c >/dev/null
    if [ "$with" = xl ]; then
        create_xl "$log" -p "$cfg"
        rc=$?
        sed 's/^/  xl: /' "$log"
    else
        out=$(timeout 120 "$FLB" -p "$cfg" 2>&1)
        rc=$?
        echo "$out" >"$log"
        sed 's/^/  tool: /' "$log"
    fi
    dom=$(xl domid "$name" 2>/dev/null)
    if [ "$rc" != 0 ] || [ -z "$dom" ]; then
        echo "$with: build failed (status $rc): $(first_line "$log")" >"/tmp/$c.$with.why"
        xl destroy "$name" >/dev/null 2>&1
        return 1
    fi
    keys_view "$name" >"/tmp/$c.$with.view"
    sed "s/^/  $with: /" "/tmp/$c.$with.view"
    xl unpause "$dom"
    if ! wait_guest "$dom" 90 "FLBG DONE"; then
        echo "$with: guest d$dom did not finish in 90 s" >"/tmp/$c.$with.why"
        xl destroy "$dom" >/dev/null 2>&1
        return 1
    fi
    grep -o 'FLBG cpuid .*' "/tmp/console.$dom" >"/tmp/$c.$with.cpuid"
    sed "s/^/  $with: /" "/tmp/$c.$with.cpuid"
    xl destroy "$dom" >/dev/null 2>&1
    return 0
}

# keys_case CASE CFG "EXPECTED LINE|...": both builds; PASS when dom0's views and the guest's CPUID lines
# are the same and dom0's view holds every expected line.
keys_case() {
    local c=$1 cfg=$2 expected=$3 bad="" line
    keys_build "$c" tool "$cfg" || bad="$(cat "/tmp/$c.tool.why");"
    keys_build "$c" xl "$cfg" || bad="$bad $(cat "/tmp/$c.xl.why");"
    if [ -z "$bad" ]; then
        cmp -s "/tmp/$c.tool.view" "/tmp/$c.xl.view" ||
            bad="dom0 sees the tool's guest as [$(tr '\n' ';' <"/tmp/$c.tool.view")], xl's as [$(tr '\n' ';' <"/tmp/$c.xl.view")];"
        [ -s "/tmp/$c.tool.cpuid" ] || bad="$bad the guest printed no CPUID line;"
        cmp -s "/tmp/$c.tool.cpuid" "/tmp/$c.xl.cpuid" || bad="$bad the guests' CPUID lines differ;"
        while IFS= read -r line; do
            grep -qxF "$line" "/tmp/$c.tool.view" || bad="$bad no '$line';"
        done <<EOT
$(echo "$expected" | tr '|' '\n')
EOT
    fi
    if [ -n "$bad" ]; then
        result "$c" FAIL "$bad"
    else
        result "$c" PASS "as xl create: $(tr '\n' ';' <"/tmp/$c.tool.view") $(wc -l <"/tmp/$c.tool.cpuid") CPUID leaves equal"
    fi
}

# cpus (a node, then a CPU, one per vCPU), cpus_soft (a string for both), cpu_weight and cap. The host
# has 2 CPUs in one node: nodes:0 is every CPU, "all" in xl's words.
case_keys_sched() {
    local sched
    sched=$(xl info | sed -n 's/^xen_scheduler *: *//p')
    keys_case keys_sched "$CFG/keys-sched.cfg" "vcpu 0 affinity all / 1|vcpu 1 affinity 1 / 1|$sched weight 512 cap 150"
}
