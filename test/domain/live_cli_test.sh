#!/bin/sh
# The live path's refusals that need no Xen: kernel problems exit 2, a machine without Xen exits 1.
# usage: live_cli_test.sh FIXED_LAYOUT_BUILD PVH_KERNEL_MAKER
set -u
flb=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail=0

# expect STATUS MESSAGE CFG_KERNEL [ARGS...]: ARGS before the config file, $after (KEY=VALUE) after it.
after=""
expect() {
    want_rc=$1 want_msg=$2 kernel=$3
    shift 3
    printf 'name = "live-cli"\ntype = "pvh"\nmemory = 256\nkernel = "%s"\n' "$kernel" >"$dir/g.cfg"
    # shellcheck disable=SC2086
    "$flb" "$@" "$dir/g.cfg" $after >"$dir/out" 2>"$dir/err"
    rc=$?
    if [ "$rc" != "$want_rc" ] || [ "$(cat "$dir/err")" != "$want_msg" ] || [ -s "$dir/out" ]; then
        echo "FAIL: kernel $kernel $*: status $rc (want $want_rc)" >&2
        echo "  stderr: $(cat "$dir/err")" >&2
        echo "  want:   $want_msg" >&2
        fail=1
    fi
}

printf 'not a kernel\n' >"$dir/text"
expect 2 "fixed-layout-build: kernel '$dir/missing': No such file or directory" "$dir/missing"
expect 2 "fixed-layout-build: kernel '$dir/text': neither an ELF file nor a bzImage" "$dir/text"
expect 2 "fixed-layout-build: kernel '$dir/text': neither an ELF file nor a bzImage" "$dir/text" -F --timeout 5

"$2" "$dir/pvh"

# With --format json, a name JSON cannot carry is refused before Xen is opened: once the guest
# exists there would be no line to report it with.
printf 'name = "bad\377"\ntype = "pvh"\nmemory = 256\nkernel = "%s"\n' "$dir/pvh" >"$dir/n.cfg"
"$flb" --format json "$dir/n.cfg" >"$dir/out" 2>"$dir/err"
rc=$?
want="fixed-layout-build: $dir/n.cfg:1: name: not valid UTF-8 (byte 0xff at offset 3)"
if [ "$rc" != 2 ] || [ "$(cat "$dir/err")" != "$want" ] || [ -s "$dir/out" ]; then
    echo "FAIL: a name that is not UTF-8 with --format json: status $rc, stderr $(cat "$dir/err")" >&2
    fail=1
fi

# Refused before Xen is asked anything: a bad action (exact texts in test_config.c), -e with -F, a
# record file that cannot be written.
after=on_crash=explode
expect 2 "fixed-layout-build: override 'on_crash=explode': on_crash: unknown action 'explode' (expected destroy, restart, rename-restart or preserve)" "$dir/pvh"
after=on_poweroff=soft-reset
expect 2 "fixed-layout-build: override 'on_poweroff=soft-reset': on_poweroff: 'soft-reset' only applies to on_soft_reset" "$dir/pvh"
after=""
expect 2 "fixed-layout-build: -e starts no monitor: it cannot be combined with -F, --timeout or -c (see --help)" "$dir/pvh" -e -F
expect 2 "fixed-layout-build: --record: cannot write '$dir/none/r.json': No such file or directory" "$dir/pvh" --record "$dir/none/r.json"

# A valid PVH ELF on a machine that is not a Xen dom0: one line, status 1.
if [ ! -e /dev/xen/privcmd ]; then
    expect 1 "fixed-layout-build: /dev/xen/privcmd not found: this must run in a Xen dom0 with the xen-privcmd driver loaded" "$dir/pvh"
fi
exit $fail
