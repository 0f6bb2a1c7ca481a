# The xl.cfg(5) keys honoured beside the layout: each config is built paused once by the tool and once by
# xl create; what dom0 sees of the domain and what the guest reports of its CPUID must be the same.

# keys_view NAME: what dom0 sees of the paused domain NAME: each vCPU's hard / soft affinity, the weight
# and cap of the scheduler Xen runs (credit or credit2), the timer, altp2m and TSC modes Xen holds, and
# the driver domain directories with their permissions (the domain's id written D, so that two builds
# compare).
keys_view() {
    local name=$1 sched dom
    dom=$(xl domid "$name")
    xl vcpu-list "$name" | awk 'NR > 1 { print "vcpu", $3, "affinity", $(NF - 2), $(NF - 1), $NF }'
    sched=$(xl info | sed -n 's/^xen_scheduler *: *//p')
    case $sched in
    credit | credit2) xl "sched-$sched" -d "$name" | awk -v s="$sched" 'NR == 2 { print s, "weight", $3, "cap", $4 }' ;;
    *) echo "scheduler $sched" ;;
    esac
    "$HELPER" hvm-params "$dom"
    xenstore-ls -p "/local/domain/$dom" 2>/dev/null | awk '$1 == "libxl" || $1 == "device-model" { print "xenstore", $1, $NF }' |
        sed "s/\([nrwb]\)$dom\([,)]\)/\1D\2/g"
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
    else
        out=$(timeout 120 "$FLB" -p "$cfg" 2>&1)
        rc=$?
        echo "$out" >"$log"
    fi
    sed "s/^/  $with: /" "$log"
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

# cpuid_bit FILE LEAF REG BIT: bit BIT of register REG of leaf LEAF in the guest's CPUID lines.
cpuid_bit() {
    local v
    v=$(sed -n "s/^FLBG cpuid $2 .*$3=\(0x[0-9a-f]*\).*/\1/p" "$1")
    [ -n "$v" ] || { echo "?"; return; }
    echo $(((v >> $4) & 1))
}

# keys_case CASE CFG "VIEW LINE|..." ["LEAF REG BIT VALUE|..."]: both builds; PASS when dom0's views
# and the guest's CPUID lines are the same, the view holds every expected line (one ending in '*' as the
# start of a line) and each CPUID bit has its expected value.
keys_case() {
    local c=$1 cfg=$2 expected=$3 bits=$4 bad="" line got
    keys_build "$c" tool "$cfg" || bad="$(cat "/tmp/$c.tool.why");"
    keys_build "$c" xl "$cfg" || bad="$bad $(cat "/tmp/$c.xl.why");"
    if [ -z "$bad" ]; then
        cmp -s "/tmp/$c.tool.view" "/tmp/$c.xl.view" ||
            bad="dom0 sees the tool's guest as [$(tr '\n' ';' <"/tmp/$c.tool.view")], xl's as [$(tr '\n' ';' <"/tmp/$c.xl.view")];"
        [ -s "/tmp/$c.tool.cpuid" ] || bad="$bad the guest printed no CPUID line;"
        cmp -s "/tmp/$c.tool.cpuid" "/tmp/$c.xl.cpuid" || bad="$bad the guests' CPUID lines differ;"
        while IFS= read -r line; do
            case $line in
            "") ;;
            *'*') grep -qF "${line%\*}" "/tmp/$c.tool.view" || bad="$bad no '$line';" ;;
            *) grep -qxF "$line" "/tmp/$c.tool.view" || bad="$bad no '$line';" ;;
            esac
        done <<EOT
$(echo "$expected" | tr '|' '\n')
EOT
        while read -r leaf reg bit want; do
            [ -n "$leaf" ] || continue
            got=$(cpuid_bit "/tmp/$c.tool.cpuid" "$leaf" "$reg" "$bit")
            [ "$got" = "$want" ] || bad="$bad CPUID $leaf $reg bit $bit is $got, not $want;"
        done <<EOT
$(echo "$bits" | tr '|' '\n')
EOT
    fi
    verdict "$c" "$bad" "as xl create: $(tr '\n' ';' <"/tmp/$c.tool.view") $(wc -l <"/tmp/$c.tool.cpuid") CPUID leaves equal"
}

# cpus (a node, then a CPU, one per vCPU), cpus_soft (a string for both), cpu_weight and cap. The host
# has 2 CPUs in one node: nodes:0 is every CPU, "all" in xl's words.
case_keys_sched() {
    local sched
    sched=$(xl info | sed -n 's/^xen_scheduler *: *//p')
    keys_case keys_sched "$CFG/keys-sched.cfg" "vcpu 0 affinity all / 1|vcpu 1 affinity 1 / 1|$sched weight 512 cap 150"
}

# cpuid's string form: SSE3 (leaf 1 ECX bit 0) and LAHF/SAHF (0x80000001 ECX bit 0) off; driver_domain's
# directories, which the guest may write.
case_keys_cpuid() {
    keys_case keys_cpuid "$CFG/keys-cpuid.cfg" "xenstore libxl *|xenstore device-model *" "0x1 ecx 0 0|0x80000001 ecx 0 0"
}

# cpuid's list form: SSE3 (bit 0) and POPCNT (bit 23) of leaf 1 ECX off.
case_keys_cpuid_list() {
    keys_case keys_cpuid_list "$CFG/keys-cpuid-list.cfg" "" "0x1 ecx 0 0|0x1 ecx 23 0"
}

# nestedhvm = 1: the guest sees SVM (0x80000001 ECX bit 2) on this AMD-like QEMU CPU, as under xl.
case_keys_nested() {
    keys_case keys_nested "$CFG/keys-nested.cfg" "" "0x80000001 ecx 2 1"
}

# timer_mode and tsc_mode as Xen holds them (HVM_PARAM_TIMER_MODE 2, TSC mode 1), and the CPUID the
# emulated TSC brings (libxl offers the invariant TSC with it): the same as xl's guest.
case_keys_platform() {
    keys_case keys_platform "$CFG/keys-platform.cfg" "timer_mode 2|altp2m 0|tsc_mode 1"
}

# seclabel where Xen has no FLASK: the tool refuses (status 2, one line naming the key, no domain left),
# where xl builds the guest unlabelled with a warning. With FLASK, both builds must label it alike.
case_keys_seclabel() {
    local c=keys_seclabel cfg="$CFG/keys-seclabel.cfg" rc out bad="" flask
    flask=$(xl getenforce 2>/dev/null)
    echo "  xl getenforce: ${flask:-(fails)}"
    case $flask in
    Enforcing | Permissive)
        keys_case "$c" "$cfg" ""
        return
        ;;
    esac
    xl dmesg -c >/dev/null
    out=$(timeout 120 "$FLB" -p "$cfg" 2>&1)
    rc=$?
    echo "$out" | sed 's/^/  tool: /'
    [ "$rc" = 2 ] || bad="status $rc, not 2;"
    [ "$(echo "$out" | wc -l)" = 1 ] || bad="$bad not one line;"
    echo "$out" | grep -q "keys-seclabel.cfg:[0-9]*: seclabel: this Xen has no XSM/FLASK" || bad="$bad the line does not name the key;"
    [ -z "$(leftovers)" ] || bad="$bad left behind: $(leftovers);"
    create_xl /tmp/$c.xl.out -p "$cfg"
    rc=$?
    sed 's/^/  xl: /' /tmp/$c.xl.out
    [ "$rc" = 0 ] && [ -n "$(created_domid /tmp/$c.xl.out)" ] || bad="$bad xl create failed (status $rc);"
    cleanup_domains
    verdict "$c" "$bad" "no FLASK: the tool refused with status 2 naming seclabel, xl create built it unlabelled"
}
