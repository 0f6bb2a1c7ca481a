# Host side of the Xen rig: host packages, the Debian packages for the dom0 image, the QEMU boot.
# Sourced by run-xen-tests; uses its die, log and skip (which reads its setting out).

readonly xen_packages="xen-hypervisor-4.17-amd64 xen-utils-4.17 xen-utils-common xenstore-utils
    libxenmisc4.17 libxenstore4 libxencall1 libxenevtchn1 libxenforeignmemory1 libxengnttab1
    libxentoollog1 libxentoolcore1 libxendevicemodel1 libxenhypfs1 libyajl2"

# host_packages APT_LOG: installs what the rig runs on the host, or says what is missing.
host_packages() {
    local apt_log=$1 missing=""
    command -v qemu-system-x86_64 >/dev/null || missing="$missing qemu-system-x86"
    [ -x /bin/busybox ] && ! ldd /bin/busybox >/dev/null 2>&1 || missing="$missing busybox-static"
    command -v cpio >/dev/null || missing="$missing cpio"
    command -v gzip >/dev/null || missing="$missing gzip"
    [ -z "$missing" ] && return 0
    if [ "$(id -u)" != 0 ]; then
        skip "missing host packages:$missing (as root: apt-get install$missing)"
    fi
    log "installing host packages:$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >"$apt_log" 2>&1 || die "apt-get update failed; see $apt_log"
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $missing >>"$apt_log" 2>&1 ||
        die "apt-get install$missing failed; see $apt_log"
}

# The kernel package the metapackage points at, e.g. linux-image-6.1.0-56-amd64.
kernel_package() {
    apt-cache depends linux-image-amd64 2>/dev/null |
        awk '$1 == "Depends:" && $2 ~ /^linux-image-[0-9]/ && !n++ { print $2 }'
}

# fetch_packages CACHE APT_LOG: downloads and unpacks the hypervisor, the tools, their libraries
# and dom0's kernel into CACHE, once.
fetch_packages() {
    local cache=$1 apt_log=$2 kpkg f
    if [ -f "$cache/versions.txt" ] && [ -d "$cache/root" ]; then
        log "using cached packages in $cache:"
        sed 's/^/flb-xen:   /' "$cache/versions.txt" >&2
        return 0
    fi
    rm -rf "$cache/debs" "$cache/root" "$cache/versions.tmp"
    mkdir -p "$cache/debs" "$cache/root"
    kpkg=$(kernel_package)
    if [ -z "$kpkg" ] && [ "$(id -u)" = 0 ]; then
        apt-get update -qq >"$apt_log" 2>&1 || die "apt-get update failed; see $apt_log"
        kpkg=$(kernel_package)
    fi
    [ -n "$kpkg" ] || die "cannot resolve the kernel behind linux-image-amd64 (apt-get update as root first)"
    log "downloading Xen 4.17 packages and $kpkg"
    # A second try for a mirror's passing hiccup.
    # shellcheck disable=SC2086
    (cd "$cache/debs" && apt-get download $xen_packages "$kpkg") >"$cache/download.log" 2>&1 ||
        (sleep 5 && cd "$cache/debs" && apt-get download $xen_packages "$kpkg") >>"$cache/download.log" 2>&1 ||
        die "apt-get download failed; see $cache/download.log"
    for f in "$cache"/debs/*.deb; do
        dpkg-deb -x "$f" "$cache/root"
        dpkg-deb -f "$f" Package Version | sed 's/^[^:]*: //' | paste -sd' ' >>"$cache/versions.tmp"
    done
    mv "$cache/versions.tmp" "$cache/versions.txt"
    log "packages used:"
    sed 's/^/flb-xen:   /' "$cache/versions.txt" >&2
    local host_ver pkg_ver
    host_ver=$(dpkg-query -W -f '${Version}' libxen-dev 2>/dev/null || true)
    pkg_ver=$(awk '$1 == "xen-hypervisor-4.17-amd64" { print $2 }' "$cache/versions.txt")
    if [ -n "$host_ver" ] && [ "$host_ver" != "$pkg_ver" ]; then
        log "warning: host libxen-dev $host_ver differs from the hypervisor $pkg_ver; dom0 gets the $pkg_ver libraries"
    fi
}

# QEMU's memory: room for a guest above 4 GiB when the host can afford it.
qemu_memory_mib() {
    local avail
    avail=$(awk '/^MemAvailable:/ { print int($2 / 1024) }' /proc/meminfo)
    if [ "${avail:-0}" -ge 9216 ]; then echo 6144; else echo 2048; fi
}

# boot_xen DIR CASES CREATE_WITH SMP LIMIT: boots Xen and dom0 (DIR/dom0-initrd.gz, packages
# in DIR/cache) under QEMU with SMP CPUs, the cases and how to build guests on the dom0 command
# line, for at most LIMIT seconds; checks the log.
boot_xen() {
    local dir=$1 cases=$2 create_with=$3 smp=$4 limit=$5 root="$1/cache/root" xen vmlinuz mem rc=0 start end
    xen="$dir/cache/xen"
    [ -f "$xen" ] || gunzip -c "$root/boot/xen-4.17-amd64.gz" >"$xen"
    vmlinuz=$(dom0_kernel "$root")
    mem=$(qemu_memory_mib)
    local xen_args="console=com1 com1=115200,8n1 loglvl=all guest_loglvl=all conring_size=4M"
    xen_args="$xen_args bootscrub=0 dom0_mem=512M,max:512M dom0_max_vcpus=1"
    local dom0_args="console=hvc0 earlyprintk=xen loglevel=5 flbcases=${cases// /,,} flbcreate=$create_with"
    log "booting Xen under QEMU (-smp $smp -m $mem, timeout ${limit}s), cases: $cases"
    start=$(date +%s)
    timeout --kill-after=15 "$limit" qemu-system-x86_64 -accel tcg -machine pc \
        -cpu qemu64,+svm,+npt -smp "$smp" -m "$mem" -display none -monitor none \
        -serial stdio -no-reboot -kernel "$xen" -append "$xen_args" \
        -initrd "$vmlinuz $dom0_args,$dir/dom0-initrd.gz" </dev/null >>"$dir/serial.log" 2>"$dir/qemu.err" ||
        rc=$?
    end=$(date +%s)
    log "QEMU ran $((end - start)) s, exit status $rc"
    check_log "$dir" "$rc" "$limit"
}

# check_log DIR QEMU_STATUS LIMIT: collects DIR/results.txt and DIR/bench.txt from DIR/serial.log;
# a loud failure on a panic, a dom0 crash, a timeout or a missing end marker.
check_log() {
    local dir=$1 rc=$2 limit=$3 log_file="$1/serial.log" bad=""
    tr -d '\r' <"$log_file" >"$log_file.tmp" && mv "$log_file.tmp" "$log_file"
    grep -a -o 'FLBTEST [a-z0-9_]* \(PASS\|FAIL\|SKIP\).*' "$log_file" >"$dir/results.txt" || true
    grep -a -o 'FLBBENCH .*' "$log_file" | sed 's/^FLBBENCH //' >"$dir/bench.txt" || true
    if grep -a -q 'Panic on CPU' "$log_file"; then bad="Xen panicked"
    elif grep -a -q 'Hardware Dom0 crashed' "$log_file"; then bad="dom0 crashed"
    elif [ "$rc" = 124 ] || [ "$rc" = 137 ]; then bad="timed out after ${limit}s"
    elif ! grep -a -q '^FLBRIG DONE' "$log_file"; then bad="dom0 never reached the end of the cases (QEMU status $rc)"
    fi
    # QEMU that exits at once, before Xen's first line, truly cannot run here.
    if [ "$rc" != 0 ] && [ "$rc" != 124 ] && [ "$rc" != 137 ] && ! grep -a -q '(XEN)' "$log_file"; then
        skip "qemu-system-x86_64 could not start Xen (status $rc): $(head -c 300 "$dir/qemu.err")"
    fi
    if [ -n "$bad" ]; then
        echo "flb-xen: FAILURE: $bad; last lines of $log_file:" >&2
        tail -n 40 "$log_file" >&2
        if [ -s "$dir/qemu.err" ]; then sed 's/^/qemu: /' "$dir/qemu.err" >&2; fi
        exit 1
    fi
    log "results ($dir/results.txt):"
    cat "$dir/results.txt" >&2
    if [ -s "$dir/bench.txt" ]; then
        log "benchmarks ($dir/bench.txt):"
        cat "$dir/bench.txt" >&2
    fi
}
