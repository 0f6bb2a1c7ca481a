#!/bin/busybox sh
# dom0's /init: brings up the Xen toolstack, runs the cases named by flbcases= on the kernel
# command line (each case_NAME, from /flb/cases/*.sh, prints one "FLBTEST <case> PASS|FAIL|SKIP
# <reason>" line), prints "FLBRIG DONE" and powers the machine off.
/bin/busybox --install -s /bin
export PATH=/usr/sbin:/usr/bin:/sbin:/bin:/flb/bin
export LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu:/usr/lib/xen-4.17/lib/x86_64-linux-gnu
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /tmp
mount -t tmpfs tmpfs /run
mkdir -p /run/xen /run/lock /var/run/xen /var/run/xenstored

# rig_fail REASON: the rig itself failed; the host reports it and the boot as failed.
rig_fail() {
    echo "FLBRIG FAIL $*"
    echo "FLBRIG DONE"
    sync
    poweroff -f
}

echo "FLBRIG dom0 up: $(uname -r)"
for m in xen-privcmd xen-evtchn xen-gntdev xen-gntalloc xenfs; do
    insmod /flb/modules/$m.ko || rig_fail "insmod $m"
done
mount -t xenfs xenfs /proc/xen || rig_fail "mount xenfs"
xenstored --pid-file /run/xen/xenstored.pid || rig_fail "xenstored"
xen-init-dom0 >/tmp/xen-init-dom0.log 2>&1 || { cat /tmp/xen-init-dom0.log; rig_fail "xen-init-dom0"; }
# Each guest's console (what xl's guests print on hvc0) goes to /var/log/xen/console/guest-NAME.log.
mkdir -p /var/log/xen/console
xenconsoled --pid-file=/run/xen/xenconsoled.pid --log=guest --log-dir=/var/log/xen/console || rig_fail "xenconsoled"
# The detached monitors log here (LOG_DAEMON); the lifecycle cases read it.
mkdir -p /var/log
syslogd -O /var/log/messages || rig_fail "syslogd"
echo "FLBRIG toolstack ready"

# run_cases CASE...: each in turn, with no domain left over for the next.
run_cases() {
    local c
    for c in "$@"; do
        echo "FLBRIG case $c"
        if type "case_$c" >/dev/null 2>&1; then
            "case_$c"
        else
            result "$c" FAIL "no such case"
        fi
        cleanup_domains
    done
}

. /flb/lib.sh
for f in /flb/cases/*.sh; do
    . "$f"
done
# shellcheck disable=SC2046
run_cases $(sed -n 's/.*flbcases=\([^ ]*\).*/\1/p' /proc/cmdline | tr ',' ' ')
bench_report
echo "FLBRIG DONE"
sync
poweroff -f
