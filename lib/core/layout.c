/* The layout engine: the layout rules of lib/DESIGN.md, as one pure function from resolved values to a memory
 * map. */
#include "core/layout.h"

#include <string.h>

#include "core/hvm_start_info_abi.h"
#include "core/xen_pvh_layout.h"

static uint64_t align_up(uint64_t v, uint64_t align)
{
    return (v + align - 1) & ~(align - 1);
}

static int push(struct flb_memmap *map, flb_gpa addr, uint64_t size, uint32_t type, struct flb_error *err)
{
    if (size == 0)
        return FLB_OK;
    if (map->nr == FLB_MEMMAP_MAX)
        return flb_fail(err, FLB_E_SYSTEM, "memory map: more than %d entries", FLB_MEMMAP_MAX);
    map->entry[map->nr++] = (struct flb_memmap_entry){.addr = addr, .size = size, .type = type};
    return FLB_OK;
}

/* Places a region of `pages` pages at *cursor and advances it; false if the sums wrap. */
static bool place(struct flb_region *r, flb_gpa *cursor, uint64_t pages)
{
    uint64_t size, end;

    if (__builtin_mul_overflow(pages, FLB_PAGE_SIZE, &size) || __builtin_add_overflow(*cursor, size, &end))
        return false;
    if (pages) {
        r->addr = *cursor;
        r->size = size;
        r->pages = pages;
    }
    *cursor = end;
    return true;
}

/* RAM below the MMIO hole, the rest from 4 GiB; false if the sums wrap. */
static bool compute_ram(const struct flb_layout_params *p, struct flb_layout *out)
{
    uint64_t hole = p->mmio_hole_mib == FLB_UNSET ? FLB_DEFAULT_MMIO_HOLE : p->mmio_hole_mib * FLB_MIB;

    if (__builtin_mul_overflow(p->memory_mib, FLB_MIB, &out->memory_bytes) || hole > FLB_4GIB)
        return false;
    out->mmio_start = FLB_4GIB - hole;
    out->lowmem_end = out->memory_bytes < out->mmio_start ? out->memory_bytes : out->mmio_start;
    out->highmem_end = 0;
    if (out->memory_bytes > out->mmio_start)
        return !__builtin_add_overflow(FLB_HIGHMEM_START, out->memory_bytes - out->mmio_start,
                                       &out->highmem_end);
    return true;
}

static bool beyond_limit(flb_gpa end)
{
    return end > FLB_GUEST_PADDR_LIMIT;
}

/*
 * The special regions, packed from the first 1 GiB boundary at or above
 * max(4 GiB, end of RAM). False if they wrap or end beyond the limit, with
 * *blame set to the key whose region got there.
 */
static bool compute_special_regions(const struct flb_layout_params *p, struct flb_layout *out, flb_gpa *end,
                                    enum flb_key *blame)
{
    flb_gpa ram_top = out->highmem_end > FLB_4GIB ? out->highmem_end : FLB_4GIB;
    uint64_t foreign_pages;

    *blame = FLB_KEY_MEMORY;
    if (ram_top > UINT64_MAX - FLB_SPECIAL_REGION_ALIGN)
        return false;
    out->special_start = align_up(ram_top, FLB_SPECIAL_REGION_ALIGN);
    *end = out->special_start;
    if (!place(&out->shared_info, end, 1) || beyond_limit(*end))
        return false;
    /* Status frames only exist for grant v2; each holds 2048 two-byte entries. */
    *blame = FLB_KEY_MAX_GRANT_FRAMES;
    if (!place(&out->grant_table, end, p->grant_frames) ||
        (p->grant_version >= 2 &&
         !place(&out->gnttab_status, end, FLB_GRANT_STATUS_FRAMES(p->grant_frames))) ||
        beyond_limit(*end))
        return false;
    *blame = FLB_KEY_FOREIGN_REGION_MIB;
    return !__builtin_mul_overflow(p->foreign_region_mib, FLB_MIB / FLB_PAGE_SIZE, &foreign_pages) &&
           place(&out->foreign, end, foreign_pages) && !beyond_limit(*end);
}

/* "memory: ...": the key that pushed the layout past the limit, and what to lower. */
static int too_big(enum flb_key key, flb_gpa end, bool wrapped, struct flb_error *err)
{
    const char *also = key == FLB_KEY_MEMORY ? "" : " or memory";

    if (wrapped)
        return flb_fail(err, FLB_E_INPUT, "%s: the layout does not fit in 64 bits (lower %s%s)",
                        flb_key_name(key), flb_key_name(key), also);
    return flb_fail(
        err, FLB_E_INPUT,
        "%s: the layout would end at 0x%llx, beyond the %d-bit guest physical address space (lower "
        "%s%s)",
        flb_key_name(key), (unsigned long long)end, FLB_GUEST_PADDR_BITS, flb_key_name(key), also);
}

int flb_layout_compute(const struct flb_layout_params *p, struct flb_layout *out, enum flb_key *blame,
                       struct flb_error *err)
{
    struct flb_memmap *map = &out->map;
    flb_gpa end;
    int rc;

    memset(out, 0, sizeof(*out));
    out->fixed = p->fixed;
    if (p->acpi_bytes > FLB_ACPI_TABLES_MAX)
        return flb_fail(err, FLB_E_SYSTEM, "ACPI tables: %llu bytes do not fit below the local APIC",
                        (unsigned long long)p->acpi_bytes);
    if (p->acpi_bytes) {
        out->acpi.addr = FLB_ACPI_TABLES_START;
        out->acpi.pages = align_up(p->acpi_bytes, FLB_PAGE_SIZE) / FLB_PAGE_SIZE;
        out->acpi.size = out->acpi.pages * FLB_PAGE_SIZE;
    }
    *blame = FLB_KEY_MEMORY;
    if (!compute_ram(p, out))
        return too_big(FLB_KEY_MEMORY, 0, true, err);
    end = out->highmem_end ? out->highmem_end : out->lowmem_end;
    if (beyond_limit(end))
        return too_big(FLB_KEY_MEMORY, end, false, err);
    if (out->fixed && !compute_special_regions(p, out, &end, blame))
        return too_big(*blame, end, !beyond_limit(end), err);

    /* Emitted in address order; flb_memmap_check() below proves it. */
    rc = push(map, FLB_LOWMEM_START, out->lowmem_end, FLB_MEMMAP_RAM, err);
    /* In the MMIO hole, which always starts at or below the tables. */
    if (!rc)
        rc = push(map, out->acpi.addr, out->acpi.size, FLB_MEMMAP_ACPI, err);
    if (!rc)
        rc = push(map, FLB_SPECIAL_PAGES_START, FLB_SPECIAL_PAGES_SIZE, FLB_MEMMAP_RESERVED, err);
    if (!rc && out->highmem_end)
        rc = push(map, FLB_HIGHMEM_START, out->highmem_end - FLB_HIGHMEM_START, FLB_MEMMAP_RAM, err);
    if (!rc && out->fixed) {
        rc = push(map, out->shared_info.addr, out->shared_info.size, FLB_MEMMAP_SHARED_INFO, err);
        if (!rc)
            rc = push(map, out->grant_table.addr, out->grant_table.size, FLB_MEMMAP_GRANT_TABLE, err);
        if (!rc)
            rc = push(map, out->gnttab_status.addr, out->gnttab_status.size, FLB_MEMMAP_GNTTAB_STATUS, err);
        if (!rc)
            rc = push(map, out->foreign.addr, out->foreign.size, FLB_MEMMAP_FOREIGN_REG, err);
    }
    if (rc)
        return rc;
    out->end = map->entry[map->nr - 1].addr + map->entry[map->nr - 1].size;
    return flb_memmap_check(map, err);
}
