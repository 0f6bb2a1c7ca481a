/* Memory map vocabulary and invariants shared by every reader of the map. */
#include "core/layout.h"

#include "core/hvm_start_info_abi.h"
#include "core/xen_pvh_layout.h"

const char *flb_memmap_type_name(uint32_t type)
{
    switch (type) {
    case FLB_MEMMAP_RAM: return "RAM";
    case FLB_MEMMAP_RESERVED: return "RESERVED";
    case FLB_MEMMAP_ACPI: return "ACPI";
    case FLB_MEMMAP_NVS: return "NVS";
    case FLB_MEMMAP_UNUSABLE: return "UNUSABLE";
    case FLB_MEMMAP_DISABLED: return "DISABLED";
    case FLB_MEMMAP_PMEM: return "PMEM";
    case FLB_MEMMAP_SHARED_INFO: return "SHARED_INFO";
    case FLB_MEMMAP_GRANT_TABLE: return "GRANT_TABLE";
    case FLB_MEMMAP_GNTTAB_STATUS: return "GNTTAB_STATUS";
    case FLB_MEMMAP_FOREIGN_REG: return "FOREIGN_REG";
    default: return "UNKNOWN";
    }
}

int flb_memmap_check(const struct flb_memmap *map, struct flb_error *err)
{
    for (unsigned i = 0; i < map->nr; i++) {
        const struct flb_memmap_entry *e = &map->entry[i];
        uint64_t end;

        if (e->size == 0)
            return flb_fail(err, FLB_E_SYSTEM, "memory map entry %u is empty", i);
        if ((e->addr | e->size) & (FLB_PAGE_SIZE - 1))
            return flb_fail(err, FLB_E_SYSTEM, "memory map entry %u [0x%llx, +0x%llx) is not page aligned", i,
                            (unsigned long long)e->addr, (unsigned long long)e->size);
        if (__builtin_add_overflow(e->addr, e->size, &end) || end > FLB_GUEST_PADDR_LIMIT)
            return flb_fail(err, FLB_E_INPUT,
                            "memory map entry %u ends beyond the %d-bit guest physical address space", i,
                            FLB_GUEST_PADDR_BITS);
        if (i + 1 < map->nr && end > map->entry[i + 1].addr)
            return flb_fail(err, FLB_E_SYSTEM, "memory map entries %u and %u overlap or are out of order", i,
                            i + 1);
    }
    return FLB_OK;
}
