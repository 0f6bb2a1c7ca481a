/* The x86 PVH direct boot ABI: hvm_start_info version 1 and its memory map types. */
#ifndef FLB_HVM_START_INFO_ABI_H
#define FLB_HVM_START_INFO_ABI_H

#include <stddef.h>
#include <stdint.h>

/*
 * The structures as Xen's public header (arch-x86/hvm/start_info.h) defines
 * them, written out here so the pure core builds without Xen's headers. The
 * Xen backend checks at compile time that both agree.
 *
 * hvm_start_info, version 1 (little-endian, no padding, %ebx at entry):
 *
 *  0 +----------------+
 *    | magic          | 0x336ec578
 *  4 | version        | 1
 *  8 | flags          | SIF_xxx
 * 12 | nr_modules     |
 * 16 | modlist_paddr  | -> hvm_modlist_entry[nr_modules], 32 bytes each
 * 24 | cmdline_paddr  | -> NUL-terminated string, 0 if none
 * 32 | rsdp_paddr     | ACPI RSDP, 0 if none
 * 40 | memmap_paddr   | -> hvm_memmap_table_entry[memmap_entries]
 * 48 | memmap_entries | 0 means no memory map
 * 52 | reserved       | 0
 * 56 +----------------+
 *
 * hvm_memmap_table_entry: addr u64 @0, size u64 @8, type u32 @16,
 * reserved u32 @20 (0); 24 bytes.
 * hvm_modlist_entry: paddr u64 @0, size u64 @8, cmdline_paddr u64 @16,
 * reserved u64 @24; 32 bytes.
 */
#define FLB_START_INFO_MAGIC 0x336ec578u /* "xEn3" with 0x80 set on the "E" */
#define FLB_START_INFO_VERSION 1u
#define FLB_START_INFO_SIZE 56u
#define FLB_MODLIST_ENTRY_SIZE 32u
#define FLB_MEMMAP_ENTRY_SIZE 24u

struct flb_hvm_start_info {
    uint32_t magic;
    uint32_t version;
    uint32_t flags;
    uint32_t nr_modules;
    uint64_t modlist_paddr;
    uint64_t cmdline_paddr;
    uint64_t rsdp_paddr;
    uint64_t memmap_paddr;
    uint32_t memmap_entries;
    uint32_t reserved;
};

struct flb_hvm_modlist_entry {
    uint64_t paddr;
    uint64_t size;
    uint64_t cmdline_paddr;
    uint64_t reserved;
};

struct flb_hvm_memmap_entry {
    uint64_t addr;
    uint64_t size;
    uint32_t type;
    uint32_t reserved;
};

_Static_assert(sizeof(struct flb_hvm_start_info) == FLB_START_INFO_SIZE, "start_info size");
_Static_assert(offsetof(struct flb_hvm_start_info, magic) == 0, "magic offset");
_Static_assert(offsetof(struct flb_hvm_start_info, version) == 4, "version offset");
_Static_assert(offsetof(struct flb_hvm_start_info, flags) == 8, "flags offset");
_Static_assert(offsetof(struct flb_hvm_start_info, nr_modules) == 12, "nr_modules offset");
_Static_assert(offsetof(struct flb_hvm_start_info, modlist_paddr) == 16, "modlist offset");
_Static_assert(offsetof(struct flb_hvm_start_info, cmdline_paddr) == 24, "cmdline offset");
_Static_assert(offsetof(struct flb_hvm_start_info, rsdp_paddr) == 32, "rsdp offset");
_Static_assert(offsetof(struct flb_hvm_start_info, memmap_paddr) == 40, "memmap offset");
_Static_assert(offsetof(struct flb_hvm_start_info, memmap_entries) == 48, "memmap_entries offset");
_Static_assert(offsetof(struct flb_hvm_start_info, reserved) == 52, "reserved offset");

_Static_assert(sizeof(struct flb_hvm_modlist_entry) == FLB_MODLIST_ENTRY_SIZE, "modlist entry size");
_Static_assert(offsetof(struct flb_hvm_modlist_entry, paddr) == 0, "module paddr offset");
_Static_assert(offsetof(struct flb_hvm_modlist_entry, size) == 8, "module size offset");
_Static_assert(offsetof(struct flb_hvm_modlist_entry, cmdline_paddr) == 16, "module cmdline offset");
_Static_assert(offsetof(struct flb_hvm_modlist_entry, reserved) == 24, "module reserved offset");

_Static_assert(sizeof(struct flb_hvm_memmap_entry) == FLB_MEMMAP_ENTRY_SIZE, "memmap entry size");
_Static_assert(offsetof(struct flb_hvm_memmap_entry, addr) == 0, "memmap addr offset");
_Static_assert(offsetof(struct flb_hvm_memmap_entry, size) == 8, "memmap size offset");
_Static_assert(offsetof(struct flb_hvm_memmap_entry, type) == 16, "memmap type offset");
_Static_assert(offsetof(struct flb_hvm_memmap_entry, reserved) == 20, "memmap reserved offset");

/*
 * Memory map types. 1..7 are the ACPI address range types Xen's header
 * names XEN_HVM_MEMMAP_TYPE_*. The fixed-layout types were proposed for Xen but never
 * merged, so they live here, in the ACPI OEM range (0xF0000000-0xFFFFFFFF),
 * where a guest that does not know them treats them as reserved.
 */
enum flb_memmap_type {
    FLB_MEMMAP_RAM = 1,
    FLB_MEMMAP_RESERVED = 2,
    FLB_MEMMAP_ACPI = 3,
    FLB_MEMMAP_NVS = 4,
    FLB_MEMMAP_UNUSABLE = 5,
    FLB_MEMMAP_DISABLED = 6,
    FLB_MEMMAP_PMEM = 7,
    FLB_MEMMAP_SHARED_INFO = 0xF0000001u,   /* the shared info page */
    FLB_MEMMAP_GRANT_TABLE = 0xF0000002u,   /* all grant table frames */
    FLB_MEMMAP_GNTTAB_STATUS = 0xF0000003u, /* grant v2 status frames */
    FLB_MEMMAP_FOREIGN_REG = 0xF0000004u,   /* empty space for foreign mappings */
};

#endif
