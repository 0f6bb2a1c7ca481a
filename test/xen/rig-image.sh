# The dom0 initramfs: busybox, the real Xen tools with their libraries, the Xen modules, our binaries.
# Sourced by run-xen-tests; reads its setting here (the rig's source directory) and uses its die and log.

readonly xen_tools="xl xenstored xen-init-dom0 xenconsoled xenconsole"
readonly xen_modules="xen-privcmd xen-evtchn xen-gntdev xen-gntalloc xenfs"

# image_put STAGE FILE PATH: copies FILE into the image staged in STAGE, at PATH (absolute, inside
# the image).
image_put() {
    mkdir -p "$1$(dirname "$3")"
    cp -L "$2" "$1$3"
}

# image_libs STAGE PKGROOT ELF: copies the libraries ELF needs, resolved first in the packages
# unpacked in PKGROOT, so that dom0's Xen libraries match its hypervisor.
image_libs() {
    local stage=$1 pkgroot=$2 elf=$3 deps lib path
    # A static executable needs nothing; ldd fails on one that is not position-independent.
    if ! deps=$(LD_LIBRARY_PATH="$pkgroot/usr/lib/x86_64-linux-gnu:$pkgroot/usr/lib/xen-4.17/lib/x86_64-linux-gnu" \
        ldd "$elf" 2>&1); then
        case "$deps" in *"not a dynamic executable"*) return 0 ;; esac
        die "ldd $elf failed: $deps"
    fi
    case "$deps" in *"not found"*) die "libraries of $elf not found: $(echo "$deps" | grep 'not found' | paste -sd' ')" ;; esac
    echo "$deps" | awk '/=> \// { print $3 } /^\t\/[^ ]+ \(/ { print $1 }' |
        while read -r lib; do
            path=${lib#"$pkgroot"}
            case "$path" in /lib/* | /lib64/*) path=/usr$path ;; esac
            [ -e "$stage$path" ] || image_put "$stage" "$lib" "$path"
        done
}

# image_module STAGE PKGROOT NAME: finds module NAME of the unpacked kernel and stores it
# uncompressed as /flb/modules/NAME.ko.
image_module() {
    local stage=$1 pkgroot=$2 name=$3 m
    m=$(find "$pkgroot/lib/modules" -name "$name.ko*" -print -quit)
    [ -n "$m" ] || die "kernel module $name not found in the kernel package"
    mkdir -p "$stage/flb/modules"
    case "$m" in
    *.ko.xz) xz -dc "$m" >"$stage/flb/modules/$name.ko" ;;
    *.ko.zst) zstd -qdc "$m" >"$stage/flb/modules/$name.ko" ;;
    *) cp "$m" "$stage/flb/modules/$name.ko" ;;
    esac
}

# dom0_kernel PKGROOT: the kernel of the unpacked kernel package.
dom0_kernel() {
    local k=("$1"/boot/vmlinuz-*)
    [ -f "${k[0]}" ] || die "no vmlinuz in the kernel package"
    echo "${k[0]}"
}

# pack_cpio STAGE IMAGE: the tree in STAGE as a gzip-compressed newc archive, IMAGE.
pack_cpio() {
    (cd "$1" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) | gzip -1 >"$2"
}

# build_linux_initramfs STAGE IMAGE: the Linux guest's initramfs, staged in STAGE and packed as
# IMAGE: the static busybox and linux-init.sh as /init (the kernel's own /dev/console comes first).
build_linux_initramfs() {
    local stage=$1 image=$2
    rm -rf "$stage"
    mkdir -p "$stage"/{bin,proc,sys}
    cp /bin/busybox "$stage/bin/busybox"
    cp "$here/linux-init.sh" "$stage/init"
    chmod 755 "$stage/init"
    pack_cpio "$stage" "$image"
    log "Linux guest initramfs: $(du -h "$image" | cut -f1)"
}

# build_initramfs PKGROOT STAGE IMAGE FLB HELPER FLOOR GUEST GUEST_NOPVH LINUX_INITRD: stages the image
# in STAGE from the packages unpacked in PKGROOT, our binaries (FLOOR: the floor builder of
# test/bench), the Linux guest's initramfs and the rig's dom0 scripts, and packs it as IMAGE.
build_initramfs() {
    local pkgroot=$1 stage=$2 image=$3 flb=$4 helper=$5 floor=$6 guest=$7 guest_nopvh=$8 linux_initrd=$9
    local t m f libgcc
    rm -rf "$stage"
    mkdir -p "$stage"/{usr/bin,usr/sbin,usr/lib/x86_64-linux-gnu,usr/lib64,dev,proc,sys,tmp,run,etc/xen}
    mkdir -p "$stage"/var/{run/xen,lib/xen,lib/xenstored,log/xen} "$stage/flb"/{bin,guest,cfg,cases}
    ln -s usr/bin "$stage/bin"
    ln -s usr/sbin "$stage/sbin"
    ln -s usr/lib "$stage/lib"
    ln -s usr/lib64 "$stage/lib64"
    # As Debian's base-files has it: xenconsole and xl lock there.
    ln -s ../run/lock "$stage/var/lock"
    cp /bin/busybox "$stage/usr/bin/busybox"
    for t in $xen_tools; do
        image_put "$stage" "$pkgroot/usr/lib/xen-4.17/bin/$t" "/usr/lib/xen-4.17/bin/$t"
        ln -s "/usr/lib/xen-4.17/bin/$t" "$stage/usr/sbin/$t"
        image_libs "$stage" "$pkgroot" "$pkgroot/usr/lib/xen-4.17/bin/$t"
    done
    image_put "$stage" "$pkgroot/usr/bin/xenstore" /usr/bin/xenstore
    for t in xenstore-ls xenstore-read xenstore-write xenstore-list; do ln -s xenstore "$stage/usr/bin/$t"; done
    image_libs "$stage" "$pkgroot" "$pkgroot/usr/bin/xenstore"
    image_put "$stage" "$flb" /flb/bin/fixed-layout-build
    image_libs "$stage" "$pkgroot" "$flb"
    image_put "$stage" "$helper" /flb/bin/flb-dom0-helper
    image_libs "$stage" "$pkgroot" "$helper"
    image_put "$stage" "$floor" /flb/bin/flb-floor-build
    image_libs "$stage" "$pkgroot" "$floor"
    # glibc loads libgcc_s for thread cancellation; xl aborts on its error path without it.
    libgcc=$(ldconfig -p 2>/dev/null | awk '/libgcc_s.so.1 .*x86-64/ && !n++ { print $NF }')
    [ -n "$libgcc" ] || libgcc=/lib/x86_64-linux-gnu/libgcc_s.so.1
    image_put "$stage" "$libgcc" /usr/lib/x86_64-linux-gnu/libgcc_s.so.1
    for m in $xen_modules; do image_module "$stage" "$pkgroot" "$m"; done
    image_put "$stage" "$guest" /flb/guest/flb-test-guest
    image_put "$stage" "$guest_nopvh" /flb/guest/flb-test-guest-nopvh
    image_put "$stage" "$(dom0_kernel "$pkgroot")" /flb/guest/vmlinuz
    image_put "$stage" "$linux_initrd" /flb/guest/linux-initrd.gz
    # xl: dom0's memory is fixed by dom0_mem, so no ballooning.
    echo 'autoballoon="off"' >"$stage/etc/xen/xl.conf"
    cp "$here"/cfg/*.cfg "$stage/flb/cfg/"
    image_put "$stage" "$here/dom0-lib.sh" /flb/lib.sh
    for f in "$here"/dom0-cases-*.sh; do
        image_put "$stage" "$f" "/flb/cases/$(basename "$f")"
    done
    image_put "$stage" "$here/dom0-init.sh" /init
    chmod 755 "$stage/init"
    pack_cpio "$stage" "$image"
    log "dom0 initramfs: $(du -h "$image" | cut -f1)"
}
