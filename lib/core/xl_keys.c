/*
 * The status of every xl.cfg(5) key of Xen 4.17 for a PVH guest. The reasons are read by users twice: in
 * the warning or error a key gets, and in the table of fixed-layout-build.cfg(5), which is generated from
 * this one (test/config/xl_keys_man.c checks the page against it).
 */
#include "core/xl_keys.h"

#include <stdlib.h>
#include <string.h>

#define HONOURED(reason) FLB_XL_HONOURED, reason
#define NOT_PVH(reason) FLB_XL_NOT_PVH, reason
#define REFUSED(reason) FLB_XL_REFUSED, reason

/* The same reasons, written once. */
#define SEE_KEYS "see its entry under KEYS"
#define LIFECYCLE "what to do when the guest stops, as xl does; see its entry under KEYS"
#define DEVICE                                                                                               \
    "this tool builds device-less guests (console and xenstore only): build with -p, attach the device "     \
    "with the toolstack of choice, then unpause the guest"
#define HOST_HARDWARE                                                                                        \
    "this tool builds device-less guests and passes no host hardware through: build with -p, grant it "      \
    "with the toolstack of choice, then unpause the guest"
#define HVM_ONLY "an option of HVM guests' emulated hardware or firmware, which xl does not use for PVH"
#define DEVICE_MODEL "an option of the device model, which a PVH guest built here does not have"
#define DISPLAY "an option of an emulated display, which xl sets up only for HVM guests"
#define SPICE "a SPICE display option, which xl sets up only for HVM guests"
#define ARM_ONLY "an Arm option, which xl does not use on x86"
#define PV_ONLY "an option of PV guests, which xl does not use for PVH"
#define STUBDOM "an option of a device model stub domain, which a PVH guest built here does not have"
#define PCI_OPTION "a default for pci= devices, which this tool does not attach (see pci)"
#define SCHED_OTHER                                                                                          \
    "a parameter of the retired SEDF or of the RTDS scheduler, not applied here: set it after building "     \
    "with -p (xl sched-rtds), then unpause the guest"
#define NOT_YET "not implemented here yet: build this guest with xl create"

/* clang-format off */
static const struct flb_xl_key table[] = {
    {"acpi", HONOURED(SEE_KEYS)},
    {"acpi_firmware", NOT_PVH(HVM_ONLY)},
    {"acpi_laptop_slate", NOT_PVH(HVM_ONLY)},
    {"acpi_s3", NOT_PVH(HVM_ONLY)},
    {"acpi_s4", NOT_PVH(HVM_ONLY)},
    {"altp2m", HONOURED(SEE_KEYS)},
    {"altp2mhvm", NOT_PVH("the HVM-only spelling of altp2m, which xl reads only for HVM guests")},
    {"apic", NOT_PVH(HVM_ONLY)},
    {"bios", NOT_PVH(HVM_ONLY)},
    {"bios_path_override", NOT_PVH(HVM_ONLY)},
    {"boot", NOT_PVH(HVM_ONLY)},
    {"bootloader", REFUSED("this tool loads the kernel itself and runs no bootloader: set kernel (and ramdisk) "
                           "to the files the bootloader would pick")},
    {"bootloader_args", REFUSED("this tool runs no bootloader (see bootloader): leave it out")},
    {"builder", REFUSED("the old spelling of type, for PV and HVM guests: write type = \"pvh\" instead")},
    {"cap", HONOURED(SEE_KEYS)},
    {"channel", REFUSED(DEVICE)},
    {"cmdline", HONOURED(SEE_KEYS)},
    {"cpu_weight", HONOURED(SEE_KEYS)},
    {"cpuid", HONOURED(SEE_KEYS)},
    {"cpus", HONOURED(SEE_KEYS)},
    {"cpus_soft", HONOURED(SEE_KEYS)},
    {"device_model", NOT_PVH("xl itself ignores it for every guest (it was replaced by device_model_override)")},
    {"device_model_args", NOT_PVH(DEVICE_MODEL)},
    {"device_model_args_hvm", NOT_PVH(DEVICE_MODEL)},
    {"device_model_args_pv", NOT_PVH(DEVICE_MODEL)},
    {"device_model_override", NOT_PVH(DEVICE_MODEL)},
    {"device_model_stubdomain_override", NOT_PVH(STUBDOM)},
    {"device_model_stubdomain_seclabel", NOT_PVH(STUBDOM)},
    {"device_model_user", NOT_PVH(DEVICE_MODEL)},
    {"device_model_version", NOT_PVH(DEVICE_MODEL)},
    {"device_tree", NOT_PVH(ARM_ONLY)},
    {"disk", REFUSED(DEVICE)},
    {"display", NOT_PVH(DISPLAY)},
    {"dm_restrict", NOT_PVH(DEVICE_MODEL)},
    {"driver_domain", HONOURED(SEE_KEYS)},
    {"dtdev", NOT_PVH(ARM_ONLY)},
    {"e820_host", NOT_PVH(PV_ONLY)},
    {"extra", HONOURED(SEE_KEYS)},
    {"extratime", REFUSED(SCHED_OTHER)},
    {"firmware", REFUSED("for a PVH guest xl takes only pvgrub32 or pvgrub64, PV bootloaders this tool does not "
                         "run: set kernel to the guest's own PVH kernel")},
    {"firmware_override", NOT_PVH(HVM_ONLY)},
    {"gfx_passthru", NOT_PVH(HVM_ONLY)},
    {"gic_version", NOT_PVH(ARM_ONLY)},
    {"hap", HONOURED(SEE_KEYS)},
    {"hdtype", NOT_PVH(HVM_ONLY)},
    {"hpet", NOT_PVH(HVM_ONLY)},
    {"init_seclabel", HONOURED(SEE_KEYS)},
    {"iomem", REFUSED(HOST_HARDWARE)},
    {"ioports", REFUSED(HOST_HARDWARE)},
    {"irqs", REFUSED(HOST_HARDWARE)},
    {"kernel", HONOURED(SEE_KEYS)},
    {"keymap", NOT_PVH(DISPLAY)},
    {"latency", REFUSED(SCHED_OTHER)},
    {"localtime", HONOURED(SEE_KEYS)},
    {"max_event_channels", HONOURED(SEE_KEYS)},
    {"max_grant_frames", HONOURED(SEE_KEYS)},
    {"max_grant_version", HONOURED(SEE_KEYS)},
    {"max_maptrack_frames", HONOURED(SEE_KEYS)},
    {"maxmem", HONOURED(SEE_KEYS)},
    {"maxvcpus", HONOURED(SEE_KEYS)},
    {"mca_caps", NOT_PVH(HVM_ONLY)},
    {"memory", HONOURED(SEE_KEYS)},
    {"mmio_hole", HONOURED(SEE_KEYS)},
    {"ms_vm_genid", NOT_PVH(HVM_ONLY)},
    {"msr_relaxed", HONOURED(SEE_KEYS)},
    {"name", HONOURED(SEE_KEYS)},
    {"nestedhvm", HONOURED(SEE_KEYS)},
    {"nographic", NOT_PVH(DISPLAY)},
    {"nomigrate", REFUSED("xl uses it to offer the guest an invariant TSC; not implemented here yet: build this "
                          "guest with xl create")},
    {"nx", NOT_PVH(HVM_ONLY)},
    {"on_crash", HONOURED(LIFECYCLE)},
    {"on_poweroff", HONOURED(LIFECYCLE)},
    {"on_reboot", HONOURED(LIFECYCLE)},
    {"on_soft_reset", HONOURED("what to do when the guest asks for a soft reset, which this tool carries out "
                               "as a restart; see its entry under KEYS")},
    {"on_watchdog", HONOURED(LIFECYCLE)},
    {"oos", HONOURED(SEE_KEYS)},
    {"opengl", NOT_PVH(DISPLAY)},
    {"p9", REFUSED(DEVICE)},
    {"pae", NOT_PVH(HVM_ONLY)},
    {"passthrough", REFUSED(HOST_HARDWARE)},
    {"pci", REFUSED(DEVICE)},
    {"pci_msitranslate", NOT_PVH(PCI_OPTION)},
    {"pci_permissive", NOT_PVH(PCI_OPTION)},
    {"pci_power_mgmt", NOT_PVH(PCI_OPTION)},
    {"pci_seize", NOT_PVH(PCI_OPTION)},
    {"period", REFUSED(SCHED_OTHER)},
    {"pool", REFUSED("the domain is created in cpupool 0: build with -p, move it with xl cpupool-migrate, then "
                     "unpause the guest")},
    {"pvcalls", REFUSED(DEVICE)},
    {"pvshim", REFUSED("a PV guest inside a PVH shim is not a PVH kernel this tool can lay out: build it with xl "
                       "create")},
    {"pvshim_cmdline", REFUSED("an option of pvshim, which this tool does not build (see pvshim)")},
    {"pvshim_extra", REFUSED("an option of pvshim, which this tool does not build (see pvshim)")},
    {"pvshim_path", REFUSED("an option of pvshim, which this tool does not build (see pvshim)")},
    {"ramdisk", HONOURED(SEE_KEYS)},
    {"rdm", NOT_PVH(HVM_ONLY)},
    {"rdm_mem_boundary", NOT_PVH(HVM_ONLY)},
    {"root", HONOURED(SEE_KEYS)},
    {"rtc_timeoffset", HONOURED(SEE_KEYS)},
    {"sdl", NOT_PVH(DISPLAY)},
    {"seclabel", HONOURED(SEE_KEYS)},
    {"serial", NOT_PVH("an emulated serial port, which xl sets up only for HVM guests; the PV console is always "
                       "there")},
    {"shadow_memory", HONOURED(SEE_KEYS)},
    {"slice", REFUSED(SCHED_OTHER)},
    {"smbios_firmware", NOT_PVH(HVM_ONLY)},
    {"soundhw", NOT_PVH(HVM_ONLY)},
    {"spice", NOT_PVH(SPICE)},
    {"spice_clipboard_sharing", NOT_PVH(SPICE)},
    {"spice_image_compression", NOT_PVH(SPICE)},
    {"spice_streaming_video", NOT_PVH(SPICE)},
    {"spiceagent_mouse", NOT_PVH(SPICE)},
    {"spicedisable_ticketing", NOT_PVH(SPICE)},
    {"spicehost", NOT_PVH(SPICE)},
    {"spicepasswd", NOT_PVH(SPICE)},
    {"spiceport", NOT_PVH(SPICE)},
    {"spicetls_port", NOT_PVH(SPICE)},
    {"spiceusbredirection", NOT_PVH(SPICE)},
    {"spicevdagent", NOT_PVH(SPICE)},
    {"stdvga", NOT_PVH(HVM_ONLY)},
    {"stubdomain_cmdline", NOT_PVH(STUBDOM)},
    {"stubdomain_kernel", NOT_PVH(STUBDOM)},
    {"stubdomain_memory", NOT_PVH(STUBDOM)},
    {"stubdomain_ramdisk", NOT_PVH(STUBDOM)},
    {"tee", NOT_PVH(ARM_ONLY)},
    {"timer_mode", HONOURED(SEE_KEYS)},
    {"tsc_mode", HONOURED(SEE_KEYS)},
    {"type", HONOURED(SEE_KEYS)},
    {"usb", NOT_PVH(HVM_ONLY)},
    {"usbctrl", REFUSED(DEVICE)},
    {"usbdev", REFUSED(DEVICE)},
    {"usbdevice", NOT_PVH(HVM_ONLY)},
    {"usbversion", NOT_PVH(HVM_ONLY)},
    {"uuid", HONOURED(SEE_KEYS)},
    {"vcpus", HONOURED(SEE_KEYS)},
    {"vdispl", REFUSED(DEVICE)},
    {"vendor_device", NOT_PVH(HVM_ONLY)},
    {"vfb", REFUSED(DEVICE)},
    {"vga", NOT_PVH(HVM_ONLY)},
    {"videoram", NOT_PVH(HVM_ONLY)},
    {"vif", REFUSED(DEVICE)},
    {"vif2", NOT_PVH("xl itself ignores it for every guest (netchannel2 is gone)")},
    {"viridian", NOT_PVH(HVM_ONLY)},
    {"vkb", REFUSED(DEVICE)},
    {"vkb_device", NOT_PVH(HVM_ONLY)},
    {"vmtrace_buf_kb", HONOURED(SEE_KEYS)},
    {"vnc", NOT_PVH(DISPLAY)},
    {"vncdisplay", NOT_PVH(DISPLAY)},
    {"vnclisten", NOT_PVH(DISPLAY)},
    {"vncpasswd", NOT_PVH(DISPLAY)},
    {"vncunused", NOT_PVH(DISPLAY)},
    {"vncviewer", NOT_PVH("xl itself ignores it for every guest (xl create -V starts a viewer)")},
    {"vnuma", REFUSED(NOT_YET)},
    {"vpmu", HONOURED(SEE_KEYS)},
    {"vpt_align", NOT_PVH(HVM_ONLY)},
    {"vsnd", REFUSED(DEVICE)},
    {"vtpm", REFUSED(DEVICE)},
    {"vuart", NOT_PVH(ARM_ONLY)},
    {"xauthority", NOT_PVH(DISPLAY)},
    {"xen_platform_pci", NOT_PVH(HVM_ONLY)},
    {"xend_suspend_evtchn_compat", NOT_PVH(HVM_ONLY)},
};
/* clang-format on */

#define NR_KEYS (sizeof(table) / sizeof(table[0]))

const struct flb_xl_key *flb_xl_keys(size_t *n)
{
    *n = NR_KEYS;
    return table;
}

static int cmp_name(const void *key, const void *entry)
{
    return strcmp(key, ((const struct flb_xl_key *)entry)->name);
}

const struct flb_xl_key *flb_xl_key_find(const char *name)
{
    return bsearch(name, table, NR_KEYS, sizeof(table[0]), cmp_name);
}

const char *flb_xl_status_name(enum flb_xl_status status)
{
    switch (status) {
    case FLB_XL_HONOURED: return "honoured";
    case FLB_XL_NOT_PVH: return "not for PVH";
    default: return "refused";
    }
}
