# The failure cases: builds Xen or the tool must refuse, with a clear message and no domain left behind.

# expect_failure CASE STATUSES WORD CFG [ARGS...]: the tool must fail with one of STATUSES
# ("1 2") and a message naming WORD, and leave no domain behind.
expect_failure() {
    local c=$1 statuses=$2 word=$3 rc left bad=""
    shift 3
    create "/tmp/$c.out" "$@"
    rc=$?
    case " $statuses " in *" $rc "*) ;; *) bad="status $rc, expected one of: $statuses;" ;; esac
    grep -qi "$word" "/tmp/$c.out" || bad="$bad its message does not mention '$word';"
    sleep 0.5
    left=$(leftovers)
    [ -z "$left" ] || bad="$bad domains left behind: $left;"
    verdict "$c" "$bad" "status $rc: $(first_line "/tmp/$c.out")"
}

case_fail_nopvh() {
    expect_failure fail_nopvh 2 "pvh\|entry\|note" "$CFG/nopvh.cfg"
}

case_fail_grant_frames() {
    expect_failure fail_grant_frames "1 2" "grant" "$CFG/small.cfg" max_grant_frames=4096
}

# A second guest of the same name is refused while the first one stays.
case_fail_dup_name() {
    local c=fail_dup_name rc first rc2 bad=""
    create "/tmp/$c.1.out" -p "$CFG/quiet.cfg" name=flb-dup
    rc=$?
    first=$(created_domid "/tmp/$c.1.out")
    if [ "$rc" != 0 ] || [ -z "$first" ]; then
        result $c FAIL "the first build failed (status $rc): $(first_line "/tmp/$c.1.out")"
        return
    fi
    create "/tmp/$c.2.out" -p "$CFG/quiet.cfg" name=flb-dup
    rc2=$?
    [ "$rc2" = 1 ] || [ "$rc2" = 2 ] || bad="status $rc2 of the second build, expected 1 or 2;"
    grep -qi "flb-dup\|name\|exist\|in use" "/tmp/$c.2.out" || bad="$bad its message does not name the conflict;"
    [ "$(leftovers)" = "flb-dup" ] || bad="$bad domains after the second build: '$(leftovers)', expected flb-dup alone;"
    xl destroy "$first" >/dev/null 2>&1
    sleep 0.5
    [ -z "$(leftovers)" ] || bad="$bad left behind: $(leftovers);"
    verdict $c "$bad" "status $rc2: $(first_line "/tmp/$c.2.out")"
}
