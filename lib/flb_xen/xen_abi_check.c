/* Compile-time proof that the core's own copies of Xen's ABI (PVH boot, shutdown codes) match its headers. */
#include <stddef.h>
#include <stdint.h>

#include <xen/xen.h>
#include <xen/arch-x86/hvm/start_info.h>
#include <xen/elfnote.h>
#include <xen/sched.h>

#include "core/hvm_start_info_abi.h"
#include "core/kernel_check.h"
#include "core/lifecycle.h"

#define SAME_FIELD(ours, theirs, field)                                                                      \
    _Static_assert(offsetof(struct ours, field) == offsetof(struct theirs, field) &&                         \
                       sizeof(((struct ours *)0)->field) == sizeof(((struct theirs *)0)->field),             \
                   #field " differs from Xen's " #theirs)

_Static_assert(FLB_START_INFO_MAGIC == XEN_HVM_START_MAGIC_VALUE, "start_info magic");
_Static_assert(sizeof(struct flb_hvm_start_info) == sizeof(struct hvm_start_info), "start_info size");
SAME_FIELD(flb_hvm_start_info, hvm_start_info, magic);
SAME_FIELD(flb_hvm_start_info, hvm_start_info, version);
SAME_FIELD(flb_hvm_start_info, hvm_start_info, flags);
SAME_FIELD(flb_hvm_start_info, hvm_start_info, nr_modules);
SAME_FIELD(flb_hvm_start_info, hvm_start_info, modlist_paddr);
SAME_FIELD(flb_hvm_start_info, hvm_start_info, cmdline_paddr);
SAME_FIELD(flb_hvm_start_info, hvm_start_info, rsdp_paddr);
SAME_FIELD(flb_hvm_start_info, hvm_start_info, memmap_paddr);
SAME_FIELD(flb_hvm_start_info, hvm_start_info, memmap_entries);
SAME_FIELD(flb_hvm_start_info, hvm_start_info, reserved);

_Static_assert(sizeof(struct flb_hvm_modlist_entry) == sizeof(struct hvm_modlist_entry), "modlist size");
SAME_FIELD(flb_hvm_modlist_entry, hvm_modlist_entry, paddr);
SAME_FIELD(flb_hvm_modlist_entry, hvm_modlist_entry, size);
SAME_FIELD(flb_hvm_modlist_entry, hvm_modlist_entry, cmdline_paddr);
SAME_FIELD(flb_hvm_modlist_entry, hvm_modlist_entry, reserved);

_Static_assert(sizeof(struct flb_hvm_memmap_entry) == sizeof(struct hvm_memmap_table_entry), "memmap size");
SAME_FIELD(flb_hvm_memmap_entry, hvm_memmap_table_entry, addr);
SAME_FIELD(flb_hvm_memmap_entry, hvm_memmap_table_entry, size);
SAME_FIELD(flb_hvm_memmap_entry, hvm_memmap_table_entry, type);
SAME_FIELD(flb_hvm_memmap_entry, hvm_memmap_table_entry, reserved);

_Static_assert(FLB_MEMMAP_RAM == XEN_HVM_MEMMAP_TYPE_RAM &&
                   FLB_MEMMAP_RESERVED == XEN_HVM_MEMMAP_TYPE_RESERVED &&
                   FLB_MEMMAP_ACPI == XEN_HVM_MEMMAP_TYPE_ACPI && FLB_MEMMAP_NVS == XEN_HVM_MEMMAP_TYPE_NVS &&
                   FLB_MEMMAP_UNUSABLE == XEN_HVM_MEMMAP_TYPE_UNUSABLE &&
                   FLB_MEMMAP_DISABLED == XEN_HVM_MEMMAP_TYPE_DISABLED &&
                   FLB_MEMMAP_PMEM == XEN_HVM_MEMMAP_TYPE_PMEM,
               "memory map types");
_Static_assert(FLB_ELFNOTE_PHYS32_ENTRY == XEN_ELFNOTE_PHYS32_ENTRY, "PVH entry note type");

/* flb_shutdown_reason_of() takes Xen's codes as they are. */
_Static_assert(FLB_SHUTDOWN_POWEROFF == SHUTDOWN_poweroff && FLB_SHUTDOWN_REBOOT == SHUTDOWN_reboot &&
                   FLB_SHUTDOWN_SUSPEND == SHUTDOWN_suspend && FLB_SHUTDOWN_CRASH == SHUTDOWN_crash &&
                   FLB_SHUTDOWN_WATCHDOG == SHUTDOWN_watchdog &&
                   FLB_SHUTDOWN_SOFT_RESET == SHUTDOWN_soft_reset,
               "shutdown reasons");
