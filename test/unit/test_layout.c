/* Layout engine edges not covered by the golden maps: overflow, limits, invariants. */
#include <string.h>

#include "check.h"
#include "core/hvm_start_info_abi.h"
#include "core/layout.h"
#include "core/output.h"

static void base_config(struct flb_config *cfg, uint64_t memory_mib)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->name = "t";
    cfg->memory_mib = cfg->maxmem_mib = memory_mib;
    cfg->vcpus = cfg->maxvcpus = 1;
    cfg->mmio_hole_mib = FLB_UNSET;
    cfg->fixed_mem_layout = 1;
    cfg->max_grant_frames = 64;
    cfg->max_grant_version = 1;
    cfg->foreign_region_mib = 512;
}

static void test_address_space_limits(void)
{
    struct flb_config cfg;
    struct flb_layout layout;
    struct flb_error err = { { 0 } };

    /* 2^32 MiB = 4 PiB = 2^52 bytes: high RAM alone reaches the limit. */
    base_config(&cfg, UINT64_C(1) << 32);
    CHECK(flb_layout_compute(&cfg, &layout, &err) == FLB_E_INPUT);
    CHECK_STR(err.msg, "memory: 4294967296 MiB does not fit in the 52-bit guest physical address space");

    /* So many MiB that the byte count itself overflows 64 bits. */
    memset(&err, 0, sizeof(err));
    base_config(&cfg, UINT64_MAX / 2);
    CHECK(flb_layout_compute(&cfg, &layout, &err) == FLB_E_INPUT);
    CHECK_STR(err.msg, "memory: 9223372036854775807 MiB is too large");

    /*
     * RAM fits but the foreign region would cross 2^52: RAM ends at 2^52 - 4032 MiB, so the regions start
     * at the next GiB, 2^52 - 3 GiB, and the foreign region after 1 + 64 pages.
     */
    memset(&err, 0, sizeof(err));
    base_config(&cfg, (UINT64_C(1) << 32) - 4096);
    cfg.foreign_region_mib = UINT64_C(1) << 31;
    CHECK(flb_layout_compute(&cfg, &layout, &err) == FLB_E_INPUT);
    CHECK_STR(err.msg, "FOREIGN_REG region at 0xfffff40041000 does not fit in the 52-bit guest physical "
                       "address space");

    /* RAM ending 960 MiB below the limit leaves no GiB-aligned start for the regions. */
    memset(&err, 0, sizeof(err));
    base_config(&cfg, (UINT64_C(1) << 32) - 1024);
    CHECK(flb_layout_compute(&cfg, &layout, &err) == FLB_E_INPUT);
    CHECK_STR(err.msg, "memory: no room above RAM for the fixed layout regions");

    memset(&err, 0, sizeof(err));
    base_config(&cfg, 1024);
    cfg.foreign_region_mib = UINT64_MAX;
    CHECK(flb_layout_compute(&cfg, &layout, &err) == FLB_E_INPUT);
    CHECK_STR(err.msg, "foreign_region_mib: 18446744073709551615 MiB is too large");
}

/* The layout's named regions are the entries of its memory map, in address order. */
static void test_regions_match_map(void)
{
    struct flb_config cfg;
    struct flb_layout layout;
    struct flb_error err = { { 0 } };

    base_config(&cfg, 8192);
    cfg.max_grant_version = 2;
    CHECK(flb_layout_compute(&cfg, &layout, &err) == FLB_OK, "%s", err.msg);
    /* High RAM ends at 4 GiB + 8 GiB - 0xfc000000 = 0x204000000; the regions start at the next GiB. */
    CHECK(layout.special_start == 0x240000000);
    CHECK(layout.shared_info.addr == 0x240000000);
    CHECK(layout.grant_table.addr == 0x240001000);
    CHECK(layout.grant_table.pages == 64);
    /* 64 v2 frames hold 16384 entries, whose 2-byte status words fill 8 pages. */
    CHECK(layout.gnttab_status.addr == 0x240041000);
    CHECK(layout.gnttab_status.pages == 8);
    CHECK(layout.foreign.addr == 0x240049000);
    CHECK(layout.foreign.size == UINT64_C(512) << 20);
    CHECK(layout.end == 0x260049000);
    CHECK(layout.map.nr == 7, "%u entries", layout.map.nr);
    CHECK(layout.map.entry[3].type == FLB_MEMMAP_SHARED_INFO);
    CHECK(layout.map.entry[3].addr == layout.shared_info.addr);
    CHECK(layout.map.entry[4].type == FLB_MEMMAP_GRANT_TABLE);
    CHECK(layout.map.entry[4].addr == layout.grant_table.addr);
    CHECK(layout.map.entry[4].size == layout.grant_table.size);
    CHECK(layout.map.entry[5].type == FLB_MEMMAP_GNTTAB_STATUS);
    CHECK(layout.map.entry[5].addr == layout.gnttab_status.addr);
    CHECK(layout.map.entry[5].size == layout.gnttab_status.size);
    CHECK(layout.map.entry[6].type == FLB_MEMMAP_FOREIGN_REG);
    CHECK(layout.map.entry[6].addr == layout.foreign.addr);
    CHECK(layout.map.entry[6].size == layout.foreign.size);
}

static void test_memmap_check(void)
{
    struct flb_memmap map = { 2, { { 0, 0x2000, 1 }, { 0x1000, 0x1000, 2 } } };
    struct flb_error err = { { 0 } };

    CHECK(flb_memmap_check(&map, &err) == FLB_E_SYSTEM);
    CHECK_STR(err.msg, "memory map entries 0 and 1 overlap or are out of order");
    map.entry[1].addr = 0x2800;
    memset(&err, 0, sizeof(err));
    CHECK(flb_memmap_check(&map, &err) == FLB_E_SYSTEM);
    CHECK_STR(err.msg, "memory map entry 1 [0x2800, +0x1000) is not page aligned");
    map.entry[1].addr = 0x2000;
    memset(&err, 0, sizeof(err));
    CHECK(flb_memmap_check(&map, &err) == FLB_OK);
    CHECK_STR(err.msg, "");
}

static void test_names_and_sizes(void)
{
    char buf[32];

    CHECK(!strcmp(flb_memmap_type_name(0xF0000003u), "GNTTAB_STATUS"));
    CHECK(!strcmp(flb_memmap_type_name(99), "UNKNOWN"));
    flb_format_size(4096, buf, sizeof(buf));
    CHECK(!strcmp(buf, "4 KiB"));
    flb_format_size(0x104000000, buf, sizeof(buf));
    CHECK(!strcmp(buf, "4160 MiB"));
    flb_format_size(UINT64_C(3) << 29, buf, sizeof(buf));
    CHECK(!strcmp(buf, "1536 MiB"));
    flb_format_size(UINT64_C(1) << 30, buf, sizeof(buf));
    CHECK(!strcmp(buf, "1 GiB"));
    flb_format_size(512, buf, sizeof(buf));
    CHECK(!strcmp(buf, "512 B"));
}

int main(void)
{
    test_address_space_limits();
    test_regions_match_map();
    test_memmap_check();
    test_names_and_sizes();
    return check_summary();
}
