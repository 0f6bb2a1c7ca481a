#!/bin/sh
# The Debian package: cpack builds it, its Depends: covers every shared library the binary needs,
# lintian finds no error, and the binary unpacked with dpkg -x dry-runs the installed example with the
# installed guest.
# usage: package_test.sh BUILD_DIR
set -u
build=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail=0
bad() {
    echo "FAIL: $*" >&2
    fail=1
}

if ! cpack --config "$build/CPackConfig.cmake" -G DEB -B "$dir/out" >"$dir/cpack.log" 2>&1; then
    cat "$dir/cpack.log" >&2
    bad "cpack failed"
    exit 1
fi
deb=$(ls "$dir"/out/fixed-layout-build_*_amd64.deb 2>/dev/null || ls "$dir"/out/*.deb)
[ -f "$deb" ] || { bad "no .deb in $dir/out"; exit 1; }

# Every shared library the binary loads comes from a package that Depends: names.
dpkg -x "$deb" "$dir/root"
bin=$dir/root/usr/bin/fixed-layout-build
depends=$(dpkg-deb -f "$deb" Depends)
echo "Depends: $depends"
# A static-pie binary (FLB_STATIC_PIE) loads none: no Depends: is then right. Any other needs libc's.
needed=$(readelf -d "$bin" | grep -c '(NEEDED)' || true)
if [ "$needed" -gt 0 ] && [ -z "$depends" ]; then
    bad "no Depends:, for a binary that loads $needed shared objects"
elif [ "$needed" -eq 0 ] && [ -n "$depends" ]; then
    bad "Depends: $depends, for a binary that loads no shared object"
fi
for lib in $(readelf -d "$bin" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
    path=$(ldconfig -p | awk -v l="$lib" '$1 == l && /x86-64/ { print $NF; exit }')
    # dpkg may know the file under /lib or /usr/lib (merged /usr): ask for both.
    pkg=$( (dpkg -S "$path" || dpkg -S "$(readlink -f "$path")") 2>/dev/null | head -n 1 | cut -d: -f1)
    case ", $depends" in
    *", $pkg "* | *", $pkg,"* | *", $pkg") echo "  $lib: $pkg" ;;
    *) bad "$lib (from '${pkg:-no package}') is not in Depends: $depends" ;;
    esac
done

# lintian: no error (the overrides it reads from the package say why each one is intended).
lintian --tag-display-limit 0 --fail-on error "$deb" >"$dir/lintian" 2>&1
rc=$?
sed 's/^/  lintian: /' "$dir/lintian"
[ $rc = 0 ] && ! grep -q '^E: ' "$dir/lintian" || bad "lintian: status $rc, errors above"

# The files, at their places.
for f in usr/bin/fixed-layout-build usr/lib/fixed-layout-build/flb-test-guest \
    usr/share/man/man1/fixed-layout-build.1.gz usr/share/man/man5/fixed-layout-build.cfg.5.gz \
    usr/share/bash-completion/completions/fixed-layout-build usr/share/doc/fixed-layout-build/copyright \
    usr/share/doc/fixed-layout-build/examples/test-guest.cfg usr/share/doc/fixed-layout-build/examples/large.cfg \
    usr/share/fixed-layout-build/schema/dry-run.schema.json; do
    [ -f "$dir/root/$f" ] || bad "the package has no $f"
done

# The installed example names the installed guest; the unpacked binary dry-runs it with the unpacked
# guest in its place (the kernel check reads the file): status 0, nothing on stderr.
example=$dir/root/usr/share/doc/fixed-layout-build/examples/test-guest.cfg
grep -qx 'kernel = "/usr/lib/fixed-layout-build/flb-test-guest"' "$example" ||
    bad "the example's kernel is not the installed guest: $(grep kernel "$example")"
"$bin" --dry-run "$example" kernel="$dir/root/usr/lib/fixed-layout-build/flb-test-guest" >"$dir/out.txt" 2>"$dir/err"
rc=$?
[ $rc = 0 ] && [ ! -s "$dir/err" ] && grep -q '^E820 (6 entries)$' "$dir/out.txt" ||
    bad "installed dry-run: status $rc, stderr $(cat "$dir/err"), stdout $(head -n 5 "$dir/out.txt")"
"$bin" -V | sed 's/^/  -V: /'

[ $fail = 0 ] && echo "package: $(basename "$deb") passes"
exit $fail
