# The concurrency cases: builds of one name or many at once, builders killed mid-build.

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
    verdict $c "$bad" "one built, the other refused: $(cat /tmp/$c.$lost)"
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
    verdict $c "$bad" "8 builds at once, 8 domains"
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
    verdict $c "$bad" "killed three times, at most one domain each, xl destroy removed it, the next build ran"
}
