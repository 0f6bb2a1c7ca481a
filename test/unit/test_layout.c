/* Layout engine edges not covered by the golden maps: overflow, limits, invariants. */
#include <string.h>

#include "check.h"
#include "core/hvm_start_info_abi.h"
#include "core/layout.h"
#include "core/output.h"

static void base_params(struct flb_layout_params *p, uint64_t memory_mib)
{
    memset(p, 0, sizeof(*p));
    p->memory_mib = memory_mib;
    p->mmio_hole_mib = FLB_UNSET;
    p->fixed = true;
    p->grant_frames = 64;
    p->grant_version = 1;
    p->foreign_region_mib = 512;
}

/* Computes the layout and returns its message ("" on success); the key blamed goes to *blame. */
static const char *compute(const struct flb_layout_params *p, struct flb_layout *layout, enum flb_key *blame,
                           int *rc)
{
    static struct flb_error err;

    memset(&err, 0, sizeof(err));
    *blame = FLB_KEY_COUNT;
    *rc = flb_layout_compute(p, layout, blame, &err);
    return err.msg;
}

static void test_address_space_limits(void)
{
    struct flb_layout_params p;
    struct flb_layout layout;
    enum flb_key blame;
    const char *msg;
    int rc;

    /* 2^32 MiB = 4 PiB = 2^52 bytes: high RAM alone crosses the limit. */
    base_params(&p, UINT64_C(1) << 32);
    msg = compute(&p, &layout, &blame, &rc);
    CHECK(rc == FLB_E_INPUT && blame == FLB_KEY_MEMORY, "status %d, blame %d", rc, blame);
    CHECK_STR(msg,
              "memory: the layout would end at 0x10000004000000, beyond the 52-bit guest physical address "
              "space (lower memory)");

    /* Sizes whose byte counts wrap 64 bits are refused, not wrapped. */
    base_params(&p, UINT64_MAX / 2);
    msg = compute(&p, &layout, &blame, &rc);
    CHECK(rc == FLB_E_INPUT && blame == FLB_KEY_MEMORY, "status %d, blame %d", rc, blame);
    CHECK_STR(msg, "memory: the layout does not fit in 64 bits (lower memory)");

    /* RAM fits but the foreign region would cross 2^52. */
    base_params(&p, (UINT64_C(1) << 32) - 4096);
    p.foreign_region_mib = UINT64_C(1) << 31;
    msg = compute(&p, &layout, &blame, &rc);
    CHECK(rc == FLB_E_INPUT && blame == FLB_KEY_FOREIGN_REGION_MIB, "status %d, blame %d", rc, blame);
    CHECK_STR(msg, "foreign_region_mib: the layout would end at 0x17ffff40041000, beyond the 52-bit guest "
                   "physical address space (lower foreign_region_mib or memory)");

    /* The grant table crosses it: 2^31 - 1 frames are 8 TiB. */
    base_params(&p, (UINT64_C(1) << 32) - 4096);
    p.grant_frames = 0x7FFFFFFF;
    msg = compute(&p, &layout, &blame, &rc);
    CHECK(rc == FLB_E_INPUT && blame == FLB_KEY_MAX_GRANT_FRAMES, "status %d, blame %d", rc, blame);
    CHECK_STR(msg, "max_grant_frames: the layout would end at 0x1007ff40000000, beyond the 52-bit guest "
                   "physical address space (lower max_grant_frames or memory)");

    /* RAM ending 960 MiB below the limit leaves the regions to start at the limit itself: RAM's fault. */
    base_params(&p, (UINT64_C(1) << 32) - 1024);
    msg = compute(&p, &layout, &blame, &rc);
    CHECK(rc == FLB_E_INPUT && blame == FLB_KEY_MEMORY, "status %d, blame %d", rc, blame);
    CHECK_STR(msg,
              "memory: the layout would end at 0x10000000001000, beyond the 52-bit guest physical address "
              "space (lower memory)");

    base_params(&p, 1024);
    p.foreign_region_mib = UINT64_MAX;
    msg = compute(&p, &layout, &blame, &rc);
    CHECK(rc == FLB_E_INPUT && blame == FLB_KEY_FOREIGN_REGION_MIB, "status %d, blame %d", rc, blame);
    CHECK_STR(msg,
              "foreign_region_mib: the layout does not fit in 64 bits (lower foreign_region_mib or memory)");

    /* Without the fixed layout only RAM counts: the same foreign size is no problem. */
    p.fixed = false;
    msg = compute(&p, &layout, &blame, &rc);
    CHECK(rc == FLB_OK && layout.map.nr == 2, "status %d (%s), %u entries", rc, msg, layout.map.nr);
    base_params(&p, UINT64_C(1) << 32);
    p.fixed = false;
    msg = compute(&p, &layout, &blame, &rc);
    CHECK(!strcmp(msg, "memory: the layout would end at 0x10000004000000, beyond the 52-bit guest physical "
                       "address space (lower memory)"),
          "message: %s", msg);
}

/* The layout's named regions are the entries of its memory map, in address order. */
static void test_regions_match_map(void)
{
    struct flb_layout_params p;
    struct flb_layout layout;
    enum flb_key blame;
    const char *msg;
    int rc;

    base_params(&p, 8192);
    p.grant_version = 2;
    msg = compute(&p, &layout, &blame, &rc);
    CHECK(rc == FLB_OK, "%s", msg);
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
    struct flb_memmap map = {2, {{0, 0x2000, 1}, {0x1000, 0x1000, 2}}};
    struct flb_error err = {{0}};

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
