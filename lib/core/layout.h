/* The layout engine: from a finished config to the guest's memory map, computed once, as data. */
#ifndef FLB_LAYOUT_H
#define FLB_LAYOUT_H

#include <stdbool.h>
#include <stdint.h>

#include "core/config.h"
#include "core/error.h"

/* A guest physical address. */
typedef uint64_t flb_gpa;

struct flb_memmap_entry {
    flb_gpa addr;
    uint64_t size; /* bytes */
    uint32_t type; /* enum flb_memmap_type */
};

#define FLB_MEMMAP_MAX 16

/* Sorted by address, never overlapping, every entry page aligned. */
struct flb_memmap {
    unsigned nr;
    struct flb_memmap_entry entry[FLB_MEMMAP_MAX];
};

/* A region of the fixed layout; size 0 means absent. */
struct flb_region {
    flb_gpa addr;
    uint64_t size;
    uint64_t pages;
};

struct flb_layout {
    struct flb_memmap map;

    uint64_t memory_bytes;
    flb_gpa mmio_start;     /* start of the hole below 4 GiB */
    flb_gpa lowmem_end;     /* RAM is [0, lowmem_end) */
    flb_gpa highmem_end;    /* RAM is [4 GiB, highmem_end); 0 if no high RAM */
    struct flb_region acpi; /* the ACPI tables' pages, in the MMIO hole; size 0 without tables */

    bool fixed;            /* fixed_mem_layout */
    flb_gpa special_start; /* first 1 GiB boundary after RAM; 0 unless fixed */
    struct flb_region shared_info;
    struct flb_region grant_table;
    struct flb_region gnttab_status; /* reserved only: Xen cannot pre-map it */
    struct flb_region foreign;
    flb_gpa end; /* highest address the map covers, exclusive */
};

/* What the layout depends on, every value resolved (the config's, its defaults', the host's). */
struct flb_layout_params {
    uint64_t memory_mib;
    uint64_t mmio_hole_mib; /* FLB_UNSET: the default hole below 4 GiB */
    bool fixed;             /* fixed_mem_layout: place the special regions */
    uint64_t grant_frames;
    unsigned grant_version;
    uint64_t foreign_region_mib;
    uint64_t acpi_bytes; /* the ACPI tables' size; 0: none */
};

/*
 * Pure: no I/O, no Xen. On failure the message starts with the key to blame,
 * which is also stored in *blame, so the caller can say where that key was set.
 */
int flb_layout_compute(const struct flb_layout_params *p, struct flb_layout *out, enum flb_key *blame,
                       struct flb_error *err);

/* "RAM", "RESERVED", ..., "SHARED_INFO", ...; "UNKNOWN" otherwise. */
const char *flb_memmap_type_name(uint32_t type);

/* Checks the invariants: sorted, non-overlapping, page aligned, in range. */
int flb_memmap_check(const struct flb_memmap *map, struct flb_error *err);

#endif
