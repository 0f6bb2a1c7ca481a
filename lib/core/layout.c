/* The layout engine: design.md section 2, as one pure function from config to memory map. */
#include "core/layout.h"

#include <string.h>

#include "core/hvm_start_info_abi.h"
#include "core/xen_pvh_layout.h"

static int add_overflows(uint64_t a, uint64_t b, uint64_t *sum)
{
    return __builtin_add_overflow(a, b, sum);
}

static uint64_t align_up(uint64_t v, uint64_t align)
{
    return (v + align - 1) & ~(align - 1);
}

static int push(struct flb_memmap *map, flb_gpa addr, uint64_t size, uint32_t type,
                struct flb_error *err)
{
    if (size == 0)
        return FLB_OK;
    if (map->nr == FLB_MEMMAP_MAX)
        return flb_fail(err, FLB_E_SYSTEM, "memory map: more than %d entries", FLB_MEMMAP_MAX);
    map->entry[map->nr++] = (struct flb_memmap_entry){ .addr = addr, .size = size, .type = type };
    return FLB_OK;
}

/* Places a region of `pages` pages at *cursor and advances it. */
static int place(struct flb_region *r, flb_gpa *cursor, uint64_t pages, const char *what,
                 struct flb_error *err)
{
    uint64_t size, end;

    if (pages == 0)
        return FLB_OK;
    if (__builtin_mul_overflow(pages, FLB_PAGE_SIZE, &size) || add_overflows(*cursor, size, &end) ||
        end > FLB_GUEST_PADDR_LIMIT)
        return flb_fail(err, FLB_E_INPUT,
                        "%s region at 0x%llx does not fit in the %d-bit guest physical address space",
                        what, (unsigned long long)*cursor, FLB_GUEST_PADDR_BITS);
    r->addr = *cursor;
    r->size = size;
    r->pages = pages;
    *cursor = end;
    return FLB_OK;
}

static int compute_ram(const struct flb_config *cfg, struct flb_layout *out, struct flb_error *err)
{
    uint64_t hole;

    if (__builtin_mul_overflow(cfg->memory_mib, FLB_MIB, &out->memory_bytes))
        return flb_fail(err, FLB_E_INPUT, "memory: %llu MiB is too large",
                        (unsigned long long)cfg->memory_mib);

    hole = cfg->mmio_hole_mib == FLB_UNSET ? FLB_DEFAULT_MMIO_HOLE : cfg->mmio_hole_mib * FLB_MIB;
    out->mmio_start = FLB_4GIB - hole;
    out->lowmem_end = out->memory_bytes < out->mmio_start ? out->memory_bytes : out->mmio_start;
    out->highmem_end = 0;
    if (out->memory_bytes > out->mmio_start) {
        uint64_t high = out->memory_bytes - out->mmio_start;
        if (add_overflows(FLB_HIGHMEM_START, high, &out->highmem_end) ||
            out->highmem_end > FLB_GUEST_PADDR_LIMIT)
            return flb_fail(err, FLB_E_INPUT,
                            "memory: %llu MiB does not fit in the %d-bit guest physical address space",
                            (unsigned long long)cfg->memory_mib, FLB_GUEST_PADDR_BITS);
    }
    return FLB_OK;
}

static int compute_special_regions(const struct flb_config *cfg, struct flb_layout *out,
                                   struct flb_error *err)
{
    flb_gpa ram_top = out->highmem_end > FLB_4GIB ? out->highmem_end : FLB_4GIB;
    flb_gpa cursor;
    uint64_t foreign_pages;
    int rc;

    if (ram_top > FLB_GUEST_PADDR_LIMIT - FLB_SPECIAL_REGION_ALIGN)
        return flb_fail(err, FLB_E_INPUT, "memory: no room above RAM for the fixed layout regions");
    out->special_start = align_up(ram_top, FLB_SPECIAL_REGION_ALIGN);
    cursor = out->special_start;

    rc = place(&out->shared_info, &cursor, 1, "SHARED_INFO", err);
    if (!rc)
        rc = place(&out->grant_table, &cursor, cfg->max_grant_frames, "GRANT_TABLE", err);
    /* Status frames only exist for grant v2; each holds 2048 two-byte entries. */
    if (!rc && cfg->max_grant_version >= 2)
        rc = place(&out->gnttab_status, &cursor, FLB_GRANT_STATUS_FRAMES(cfg->max_grant_frames),
                   "GNTTAB_STATUS", err);
    if (!rc) {
        if (__builtin_mul_overflow(cfg->foreign_region_mib, FLB_MIB / FLB_PAGE_SIZE, &foreign_pages))
            return flb_fail(err, FLB_E_INPUT, "foreign_region_mib: %llu MiB is too large",
                            (unsigned long long)cfg->foreign_region_mib);
        rc = place(&out->foreign, &cursor, foreign_pages, "FOREIGN_REG", err);
    }
    return rc;
}

int flb_layout_compute(const struct flb_config *cfg, struct flb_layout *out, struct flb_error *err)
{
    struct flb_memmap *map = &out->map;
    int rc;

    memset(out, 0, sizeof(*out));
    rc = compute_ram(cfg, out, err);
    if (rc)
        return rc;
    out->fixed = cfg->fixed_mem_layout == 1;
    if (out->fixed) {
        rc = compute_special_regions(cfg, out, err);
        if (rc)
            return rc;
    }

    /* Emitted in address order; flb_memmap_check() below proves it. */
    rc = push(map, FLB_LOWMEM_START, out->lowmem_end, FLB_MEMMAP_RAM, err);
    if (!rc)
        rc = push(map, FLB_SPECIAL_PAGES_START, FLB_SPECIAL_PAGES_SIZE, FLB_MEMMAP_RESERVED, err);
    if (!rc && out->highmem_end)
        rc = push(map, FLB_HIGHMEM_START, out->highmem_end - FLB_HIGHMEM_START, FLB_MEMMAP_RAM, err);
    if (!rc && out->fixed) {
        rc = push(map, out->shared_info.addr, out->shared_info.size, FLB_MEMMAP_SHARED_INFO, err);
        if (!rc)
            rc = push(map, out->grant_table.addr, out->grant_table.size, FLB_MEMMAP_GRANT_TABLE, err);
        if (!rc)
            rc = push(map, out->gnttab_status.addr, out->gnttab_status.size,
                      FLB_MEMMAP_GNTTAB_STATUS, err);
        if (!rc)
            rc = push(map, out->foreign.addr, out->foreign.size, FLB_MEMMAP_FOREIGN_REG, err);
    }
    if (rc)
        return rc;
    out->end = map->entry[map->nr - 1].addr + map->entry[map->nr - 1].size;
    return flb_memmap_check(map, err);
}
