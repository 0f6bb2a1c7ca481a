#!/bin/sh
# The Debian package on a fresh Debian 12: a minimal bookworm system (debian12_base.sh, cached in
# WORK_DIR) unpacked into a chroot, the .deb installed there with apt-get, which resolves its
# Depends: from the archive, then the installed binary prints -V and --help and dry-runs every
# installed example. Needs root: without it the test is skipped (77), or fails when CI is set.
# usage: chroot_test.sh BUILD_DIR WORK_DIR
set -u
build=$1 work=$2
here=$(dirname "$0")
start=$(date +%s)

if [ "$(id -u)" != 0 ]; then
    if [ -n "${CI:-}" ]; then
        echo "FAIL: installing the package into a chroot needs root: run this test as root"
        exit 1
    fi
    echo "skipped: installing the package into a chroot needs root (under CI this fails)"
    exit 77
fi
for tool in cpack unshare chroot zstd; do
    command -v $tool >/dev/null || { echo "FAIL: $tool not found: run test/install-deps"; exit 1; }
done

# Fixed names, so a run that was killed leaves nothing the next run does not remove. Nothing is
# ever mounted under them here (see in_chroot), so removing them cannot reach the host's files.
root=$work/chroot
out=$work/chroot-out
cleanup() {
    rm -rf --one-file-system "$root" "$out"
}
trap cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM
cleanup
fail=0
bad() {
    echo "FAIL: $*"
    fail=1
}

# Each command runs in mount and PID namespaces of its own with /proc mounted there: the mount
# goes with the namespace however the command ends, even when this script is killed.
in_chroot() {
    unshare --mount --pid --fork --mount-proc="$root/proc" chroot "$root" /usr/bin/env -i \
        PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LC_ALL=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"
}

sh "$here/debian12_base.sh" "$work" || exit 1
mkdir -p "$out" "$root"
if ! cpack --config "$build/CPackConfig.cmake" -G DEB -B "$out/deb" >"$out/cpack.log" 2>&1; then
    cat "$out/cpack.log"
    echo "FAIL: cpack could not build the package (its log above)"
    exit 1
fi
deb=$(ls "$out"/deb/*.deb)
tar --zstd -xf "$work/debian12-minbase.tar.zst" -C "$root" || { echo "FAIL: unpacking the base system"; exit 1; }
cp "$deb" "$root/tmp/" && cp -L /etc/resolv.conf "$root/etc/resolv.conf" || exit 1

# As a user would: fresh package lists, then the file, its Depends: from the archive.
if ! in_chroot apt-get update -qq >"$out/apt.log" 2>&1 ||
    ! in_chroot apt-get install -y -q "/tmp/$(basename "$deb")" >>"$out/apt.log" 2>&1; then
    tail -n 20 "$out/apt.log"
    echo "FAIL: apt-get could not install $(basename "$deb") on Debian 12 (its log above)"
    exit 1
fi
version=$(dpkg-deb -f "$deb" Version)
# shellcheck disable=SC2016 # dpkg-query's fields, not the shell's
status=$(in_chroot dpkg-query -W -f '${Status} ${Version}' fixed-layout-build)
[ "$status" = "install ok installed $version" ] || bad "dpkg says '$status', not installed at $version"
in_chroot apt-get check -q >"$out/check" 2>&1 || bad "apt-get check: $(tail -n 3 "$out/check")"
path=$(in_chroot sh -c 'command -v fixed-layout-build')
[ "$path" = /usr/bin/fixed-layout-build ] || bad "the installed command is '$path'"

in_chroot fixed-layout-build -V >"$out/v" 2>"$out/err"
rc=$?
[ $rc = 0 ] && [ ! -s "$out/err" ] && [ "$(head -n 1 "$out/v")" = "fixed-layout-build ${version%%-*}" ] ||
    bad "-V: status $rc, stdout $(head -n 1 "$out/v"), stderr $(cat "$out/err")"
sed 's/^/  -V: /' "$out/v"
in_chroot fixed-layout-build --help >"$out/help" 2>"$out/err"
rc=$?
[ $rc = 0 ] && [ ! -s "$out/err" ] && grep -q '^usage: fixed-layout-build' "$out/help" ||
    bad "--help: status $rc, stderr $(cat "$out/err")"

# Every installed example dry-runs; the test guest's, whose kernel is the installed guest, with no
# warning at all.
examples=/usr/share/doc/fixed-layout-build/examples
[ -f "$root$examples/test-guest.cfg" ] || bad "no $examples/test-guest.cfg installed"
for cfg in "$root$examples"/*; do
    name=$(basename "$cfg")
    in_chroot fixed-layout-build --dry-run "$examples/$name" >"$out/dry" 2>"$out/err"
    rc=$?
    e820=$(grep '^E820 (' "$out/dry")
    echo "  dry-run $name: status $rc, $e820"
    [ $rc = 0 ] && [ -n "$e820" ] || bad "dry-run of $examples/$name: status $rc, stderr $(cat "$out/err")"
    [ "$name" != test-guest.cfg ] || [ ! -s "$out/err" ] || bad "dry-run of $name warned: $(cat "$out/err")"
done

[ $fail = 0 ] && echo "package: $(basename "$deb") installs and runs on Debian 12 ($(($(date +%s) - start)) s)"
exit $fail
