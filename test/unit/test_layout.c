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
    CHECK(strstr(err.msg, "52-bit") != NULL);

    memset(&err, 0, sizeof(err));
    base_config(&cfg, UINT64_MAX / 2);
    CHECK(flb_layout_compute(&cfg, &layout, &err) == FLB_E_INPUT);

    /* RAM fits but the foreign region would cross 2^52. */
    memset(&err, 0, sizeof(err));
    base_config(&cfg, (UINT64_C(1) << 32) - 4096);
    cfg.foreign_region_mib = UINT64_C(1) << 31;
    CHECK(flb_layout_compute(&cfg, &layout, &err) == FLB_E_INPUT);
    CHECK(strstr(err.msg, "FOREIGN_REG") != NULL || strstr(err.msg, "room") != NULL);

    memset(&err, 0, sizeof(err));
    base_config(&cfg, 1024);
    cfg.foreign_region_mib = UINT64_MAX;
    CHECK(flb_layout_compute(&cfg, &layout, &err) == FLB_E_INPUT);
    CHECK(strstr(err.msg, "foreign_region_mib") != NULL);
}

static void test_regions_match_map(void)
{
    struct flb_config cfg;
    struct flb_layout layout;
    struct flb_error err = { { 0 } };

    base_config(&cfg, 8192);
    cfg.max_grant_version = 2;
    CHECK(flb_layout_compute(&cfg, &layout, &err) == FLB_OK);
    CHECK(layout.special_start == 0x240000000);
    CHECK(layout.grant_table.pages == 64 && layout.gnttab_status.pages == 8);
    CHECK(layout.end == layout.foreign.addr + layout.foreign.size);
    CHECK(layout.map.nr == 7);
    for (unsigned i = 0; i < layout.map.nr; i++)
        if (layout.map.entry[i].type == FLB_MEMMAP_GRANT_TABLE)
            CHECK(layout.map.entry[i].addr == layout.grant_table.addr);
}

static void test_memmap_check(void)
{
    struct flb_memmap map = { 2, { { 0, 0x2000, 1 }, { 0x1000, 0x1000, 2 } } };
    struct flb_error err = { { 0 } };

    CHECK(flb_memmap_check(&map, &err) != FLB_OK);
    map.entry[1].addr = 0x2800;
    memset(&err, 0, sizeof(err));
    CHECK(flb_memmap_check(&map, &err) != FLB_OK);
    map.entry[1].addr = 0x2000;
    memset(&err, 0, sizeof(err));
    CHECK(flb_memmap_check(&map, &err) == FLB_OK);
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
