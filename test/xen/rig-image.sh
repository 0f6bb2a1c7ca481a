# The dom0 initramfs: busybox, the real Xen tools with their libraries, the Xen modules, our binaries.
# Sourced by run-xen-tests; uses its variables flb, guest, guest_nopvh, helper, here.

xen_tools="xl xenstored xen-init-dom0 xenconsoled"
xen_modules="xen-privcmd xen-evtchn xen-gntdev xen-gntalloc xenfs"

# Copies file $1 into the image at path $2 (absolute, inside the image).
image_put() {
    mkdir -p "$stage$(dirname "$2")"
    cp -L "$1" "$stage$2"
}

# Copies the libraries ELF $1 needs, resolved first in the unpacked packages, so that dom0's
# Xen libraries match its hypervisor.
image_libs() {
    local elf=$1 deps lib path
    deps=$(LD_LIBRARY_PATH="$pkgroot/usr/lib/x86_64-linux-gnu:$pkgroot/usr/lib/xen-4.17/lib/x86_64-linux-gnu" \
        ldd "$elf") || die "ldd $elf failed"
    case "$deps" in *"not found"*) die "libraries of $elf not found: $(echo "$deps" | grep 'not found' | paste -sd' ')" ;; esac
    echo "$deps" | awk '/=> \// { print $3 } /^\t\/[^ ]+ \(/ { print $1 }' |
        while read -r lib; do
            path=${lib#"$pkgroot"}
            case "$path" in /lib/* | /lib64/*) path=/usr$path ;; esac
            [ -e "$stage$path" ] || image_put "$lib" "$path"
        done
}

# Finds module $1 of the unpacked kernel and stores it uncompressed as /flb/modules/$1.ko.
image_module() {
    local m
    m=$(find "$pkgroot/lib/modules" -name "$1.ko*" -print -quit)
    [ -n "$m" ] || die "kernel module $1 not found in the kernel package"
    mkdir -p "$stage/flb/modules"
    case "$m" in
    *.ko.xz) xz -dc "$m" >"$stage/flb/modules/$1.ko" ;;
    *.ko.zst) zstd -qdc "$m" >"$stage/flb/modules/$1.ko" ;;
    *) cp "$m" "$stage/flb/modules/$1.ko" ;;
    esac
}

# The kernel of the unpacked kernel package.
dom0_kernel() {
    local k=("$1"/boot/vmlinuz-*)
    [ -f "${k[0]}" ] || die "no vmlinuz in the kernel package"
    echo "${k[0]}"
}

build_initramfs() {
    local t m f libgcc
    pkgroot=$1 stage=$2
    rm -rf "$stage"
    mkdir -p "$stage"/{usr/bin,usr/sbin,usr/lib/x86_64-linux-gnu,usr/lib64,dev,proc,sys,tmp,run,etc/xen}
    mkdir -p "$stage"/var/{run/xen,lib/xen,lib/xenstored,log/xen} "$stage/flb"/{bin,guest,cfg,cases}
    ln -s usr/bin "$stage/bin"
    ln -s usr/sbin "$stage/sbin"
    ln -s usr/lib "$stage/lib"
    ln -s usr/lib64 "$stage/lib64"
    cp /bin/busybox "$stage/usr/bin/busybox"
    for t in $xen_tools; do
        image_put "$pkgroot/usr/lib/xen-4.17/bin/$t" "/usr/lib/xen-4.17/bin/$t"
        ln -s "/usr/lib/xen-4.17/bin/$t" "$stage/usr/sbin/$t"
        image_libs "$pkgroot/usr/lib/xen-4.17/bin/$t"
    done
    image_put "$pkgroot/usr/bin/xenstore" /usr/bin/xenstore
    for t in xenstore-ls xenstore-read xenstore-write xenstore-list; do ln -s xenstore "$stage/usr/bin/$t"; done
    image_libs "$pkgroot/usr/bin/xenstore"
    image_put "$flb" /flb/bin/fixed-layout-build
    image_libs "$flb"
    image_put "$helper" /flb/bin/flb-dom0-helper
    image_libs "$helper"
    # glibc loads libgcc_s for thread cancellation; xl aborts on its error path without it.
    libgcc=$(ldconfig -p 2>/dev/null | awk '/libgcc_s.so.1 .*x86-64/ && !n++ { print $NF }')
    [ -n "$libgcc" ] || libgcc=/lib/x86_64-linux-gnu/libgcc_s.so.1
    image_put "$libgcc" /usr/lib/x86_64-linux-gnu/libgcc_s.so.1
    for m in $xen_modules; do image_module "$m"; done
    image_put "$guest" /flb/guest/flb-test-guest
    image_put "$guest_nopvh" /flb/guest/flb-test-guest-nopvh
    image_put "$(dom0_kernel "$pkgroot")" /flb/guest/vmlinuz
    # xl: dom0's memory is fixed by dom0_mem, so no ballooning.
    echo 'autoballoon="off"' >"$stage/etc/xen/xl.conf"
    cp "$here"/cfg/*.cfg "$stage/flb/cfg/"
    image_put "$here/dom0-lib.sh" /flb/lib.sh
    for f in "$here"/dom0-cases-*.sh; do
        image_put "$f" "/flb/cases/$(basename "$f")"
    done
    image_put "$here/dom0-init.sh" /init
    chmod 755 "$stage/init"
    (cd "$stage" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) | gzip -1 >"$3"
    log "dom0 initramfs: $(du -h "$3" | cut -f1)"
}
