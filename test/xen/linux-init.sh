#!/bin/busybox sh
# /init of the Linux guest's initramfs (busybox alone): prints what Linux made of the vCPUs, the
# memory map and the ACPI tables it was given, one "FLBL ..." line each, on its console (hvc0),
# then powers off as an init does at the end. The dom0 cases read these lines with
# `flb-dom0-helper linux-cpus`, `linux-memmap` and `linux-acpi`.
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
# Kernel messages no longer go to the console: they would cut into our lines. dmesg still has them.
dmesg -n 1

# Files are read with the shell's own read where it can: each process costs a lot under emulation.
read -r release </proc/sys/kernel/osrelease
echo "FLBL up: Linux $release"
echo "FLBL nproc $(nproc)"
read -r online </sys/devices/system/cpu/online
read -r possible </sys/devices/system/cpu/possible
echo "FLBL online $online"
echo "FLBL possible $possible"
dmesg | sed -n -e '/smpboot: Allowing/s/^/FLBL dmesg /p' -e '/smp: Brought up/s/^/FLBL dmesg /p'

# /sys/firmware/memmap/N, in N's order: the map the firmware (here: the domain builder) gave.
i=0
while [ -d "/sys/firmware/memmap/$i" ]; do
    m=/sys/firmware/memmap/$i
    read -r start <"$m/start"
    read -r end <"$m/end"
    read -r type <"$m/type"
    echo "FLBL memmap $start $end $type"
    i=$((i + 1))
done
echo "FLBL memmap-entries $i"

for t in APIC FACP; do
    if [ -r "/sys/firmware/acpi/tables/$t" ]; then
        od -An -tx1 -v "/sys/firmware/acpi/tables/$t" | sed "s/^/FLBL acpi $t/"
    else
        echo "FLBL acpi $t none"
    fi
done

echo "FLBL done"
poweroff -f
# Only when the power-off call returned: say so, so that the rig reports it instead of a timeout.
echo "FLBL poweroff returned"
sleep 3600
