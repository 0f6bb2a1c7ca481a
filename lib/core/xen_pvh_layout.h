/* Guest physical layout of a Xen x86 PVH guest without a device model, in address order. */
#ifndef FLB_XEN_PVH_LAYOUT_H
#define FLB_XEN_PVH_LAYOUT_H

#include <stdint.h>

#define FLB_PAGE_SHIFT 12
#define FLB_PAGE_SIZE (UINT64_C(1) << FLB_PAGE_SHIFT)
#define FLB_MIB (UINT64_C(1) << 20)
#define FLB_GIB (UINT64_C(1) << 30)

/*
 * Below 4 GiB: RAM from 0 up to the MMIO hole. The default hole starts at the
 * lowest of the three things Xen and libxl place under 4 GiB for PVH.
 */
#define FLB_LOWMEM_START UINT64_C(0)
#define FLB_ACPI_INFO_START UINT64_C(0xFC000000) /* libacpi's info page, then tables */
#define FLB_LAPIC_START UINT64_C(0xFEE00000)     /* local APIC, emulated by Xen */
/* Our ACPI tables, RSDP first, where libxl puts its own: from the start of that area up to the local APIC. */
#define FLB_ACPI_TABLES_START FLB_ACPI_INFO_START
#define FLB_ACPI_TABLES_MAX (FLB_LAPIC_START - FLB_ACPI_TABLES_START)
#define FLB_SPECIAL_PAGES_START UINT64_C(0xFEFF8000) /* libxenguest's 8 HVM special pages */
#define FLB_SPECIAL_PAGES_COUNT 8u
#define FLB_SPECIAL_PAGES_SIZE (FLB_SPECIAL_PAGES_COUNT * FLB_PAGE_SIZE)
#define FLB_SPECIAL_PAGES_END (FLB_SPECIAL_PAGES_START + FLB_SPECIAL_PAGES_SIZE)
#define FLB_4GIB (UINT64_C(1) << 32)

#define FLB_MIN3(a, b, c) ((a) < (b) ? ((a) < (c) ? (a) : (c)) : ((b) < (c) ? (b) : (c)))
#define FLB_DEFAULT_MMIO_START FLB_MIN3(FLB_ACPI_INFO_START, FLB_LAPIC_START, FLB_SPECIAL_PAGES_START)
#define FLB_DEFAULT_MMIO_HOLE (FLB_4GIB - FLB_DEFAULT_MMIO_START) /* 64 MiB */

/* mmio_hole bounds, in MiB, as xl accepts them for HVM guests. */
#define FLB_MMIO_HOLE_MIN_MIB UINT64_C(256)
#define FLB_MMIO_HOLE_MAX_MIB UINT64_C(3840)

/* Above 4 GiB: high RAM from 4 GiB, then the fixed-layout regions. */
#define FLB_HIGHMEM_START FLB_4GIB
#define FLB_SPECIAL_REGION_ALIGN FLB_GIB /* regions start at a 1 GiB boundary */

/* x86 guests may use at most 52 bits of physical address. */
#define FLB_GUEST_PADDR_BITS 52
#define FLB_GUEST_PADDR_LIMIT (UINT64_C(1) << FLB_GUEST_PADDR_BITS)

/* Grant table geometry (Xen 4.17, xen/common/grant_table.c). */
#define FLB_GRANT_V2_ENTRY_SIZE 16u           /* grant_entry_v2_t */
#define FLB_GRANT_STATUS_SIZE 2u              /* grant_status_t */
#define FLB_DEFAULT_MAX_GRANT_FRAMES 64u      /* Xen's gnttab_max_frames default */
#define FLB_DEFAULT_MAX_MAPTRACK_FRAMES 1024u /* Xen's gnttab_max_maptrack_frames */
/* Status frames for G shared frames: ceil(G * (4096/16) / (4096/2)) = ceil(G/8). */
#define FLB_GRANT_STATUS_FRAMES(g)                                                                           \
    (((uint64_t)(g) * (FLB_PAGE_SIZE / FLB_GRANT_V2_ENTRY_SIZE) + (FLB_PAGE_SIZE / FLB_GRANT_STATUS_SIZE) -  \
      1) /                                                                                                   \
     (FLB_PAGE_SIZE / FLB_GRANT_STATUS_SIZE))

#define FLB_DEFAULT_FOREIGN_REGION_MIB UINT64_C(512)

#endif
