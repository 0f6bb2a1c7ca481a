/* start_info v1: field offsets, encode/decode round trip, and detection of damaged images. */
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "core/hvm_start_info_abi.h"
#include "core/start_info.h"

static uint64_t rd64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)rd64((const uint8_t[8]){p[0], p[1], p[2], p[3], 0, 0, 0, 0});
}

/* A start_info laid out the way a builder might: header, modules, memmap, cmdline. */
static void sample(struct flb_start_info *si)
{
    struct flb_layout layout = {0};

    layout.map.nr = 3;
    layout.map.entry[0] = (struct flb_memmap_entry){0, 0x10000000, FLB_MEMMAP_RAM};
    layout.map.entry[1] = (struct flb_memmap_entry){0xfeff8000, 0x8000, FLB_MEMMAP_RESERVED};
    layout.map.entry[2] = (struct flb_memmap_entry){0x100000000, 0x1000, FLB_MEMMAP_SHARED_INFO};
    flb_start_info_from_layout(si, &layout, "console=hvc0 earlyprintk=xen");
    si->base = 0x1000;
    si->nr_modules = 1;
    si->modlist_paddr = 0x1038;
    si->module[0] = (struct flb_si_module){0x200000, 0x12345, 0};
    si->memmap_paddr = 0x1058;
    si->cmdline_paddr = 0x10a0; /* right after the memmap: no gaps */
    si->rsdp_paddr = 0;
}

static void test_offsets(void)
{
    struct flb_start_info si;
    uint8_t buf[0x200];
    struct flb_error err = {{0}};

    sample(&si);
    si.flags = 0x11223344;
    si.rsdp_paddr = 0xAABBCCDD;
    CHECK(flb_start_info_encode(&si, buf, sizeof(buf), &err) == FLB_OK);
    CHECK(rd32(buf + 0) == 0x336ec578);
    CHECK(rd32(buf + 4) == 1);
    CHECK(rd32(buf + 8) == 0x11223344);
    CHECK(rd32(buf + 12) == 1);
    CHECK(rd64(buf + 16) == 0x1038);
    CHECK(rd64(buf + 24) == 0x10a0);
    CHECK(rd64(buf + 32) == 0xAABBCCDD);
    CHECK(rd64(buf + 40) == 0x1058);
    CHECK(rd32(buf + 48) == 3);
    CHECK(rd32(buf + 52) == 0);
    /* module entry at 0x38: paddr, size, cmdline, reserved */
    CHECK(rd64(buf + 0x38) == 0x200000);
    CHECK(rd64(buf + 0x38 + 8) == 0x12345);
    CHECK(rd64(buf + 0x38 + 16) == 0);
    CHECK(rd64(buf + 0x38 + 24) == 0);
    /* third memmap entry: 24-byte stride, type at 16, reserved at 20 */
    CHECK(rd64(buf + 0x58 + 2 * 24) == 0x100000000);
    CHECK(rd64(buf + 0x58 + 2 * 24 + 8) == 0x1000);
    CHECK(rd32(buf + 0x58 + 2 * 24 + 16) == 0xF0000001u);
    CHECK(rd32(buf + 0x58 + 2 * 24 + 20) == 0);
    CHECK(!strcmp((const char *)buf + 0xa0, "console=hvc0 earlyprintk=xen"));
    CHECK(flb_start_info_span(&si) == 0xa0 + strlen("console=hvc0 earlyprintk=xen") + 1);
}

static void test_round_trip(void)
{
    struct flb_start_info si, back;
    uint8_t buf[0x200], again[0x200];
    struct flb_error err = {{0}};

    sample(&si);
    CHECK(flb_start_info_encode(&si, buf, sizeof(buf), &err) == FLB_OK);
    CHECK(flb_start_info_decode(buf, sizeof(buf), si.base, &back, &err) == FLB_OK);
    CHECK(back.magic == 0x336ec578);
    CHECK(back.version == 1);
    CHECK(back.nr_modules == 1);
    CHECK(back.memmap_entries == 3);
    CHECK(back.memmap.nr == 3);
    CHECK(back.memmap.entry[2].type == FLB_MEMMAP_SHARED_INFO);
    CHECK(back.module[0].size == 0x12345);
    CHECK_STR(back.cmdline, "console=hvc0 earlyprintk=xen");
    CHECK(flb_start_info_encode(&back, again, sizeof(again), &err) == FLB_OK);
    CHECK(!memcmp(buf, again, sizeof(buf)));
}

/* Any single damaged byte in a piece changes what decode+encode gives back. */
static void test_corruption_detected(void)
{
    struct flb_start_info si, back;
    uint8_t good[0x200], bad[0x200], again[0x200];
    struct flb_error err = {{0}};
    size_t span;
    int undetected = 0;

    sample(&si);
    CHECK(flb_start_info_encode(&si, good, sizeof(good), &err) == FLB_OK);
    span = flb_start_info_span(&si);
    /* The loop below damages each of these bytes; a short span would leave pieces untried. */
    CHECK(span == 0xa0 + sizeof("console=hvc0 earlyprintk=xen"), "span %zu", span);
    for (size_t i = 0; i < span; i++) {
        memcpy(bad, good, sizeof(bad));
        bad[i] ^= 0x40;
        memset(&err, 0, sizeof(err));
        if (flb_start_info_decode(bad, sizeof(bad), si.base, &back, &err) != FLB_OK)
            continue; /* refused outright: detected */
        if (flb_start_info_encode(&back, again, sizeof(again), &err) != FLB_OK ||
            memcmp(again, good, span) != 0)
            continue;
        undetected++;
    }
    /* Bytes between pieces (padding) are not part of the ABI; there are none in sample(). */
    CHECK(undetected == 0, "%d damaged bytes undetected", undetected);
}

static void test_bad_images(void)
{
    struct flb_start_info si, back;
    uint8_t buf[0x200];
    struct flb_error err = {{0}};

    sample(&si);
    /* 0xa4 bytes hold the header, modules and memmap but not all of the command line at 0xa0. */
    CHECK(flb_start_info_encode(&si, buf, 0xa4, &err) == FLB_E_SYSTEM);
    CHECK_STR(err.msg, "start_info: command line at 0x10a0 is outside the image");

    CHECK(flb_start_info_encode(&si, buf, sizeof(buf), &(struct flb_error){{0}}) == FLB_OK);
    memset(&err, 0, sizeof(err));
    buf[0] ^= 1;
    CHECK(flb_start_info_decode(buf, sizeof(buf), si.base, &back, &err) == FLB_E_SYSTEM);
    CHECK_STR(err.msg, "start_info: bad magic 0x336ec579");
    buf[0] ^= 1;
    buf[48] = 200; /* memmap_entries beyond what we accept */
    memset(&err, 0, sizeof(err));
    CHECK(flb_start_info_decode(buf, sizeof(buf), si.base, &back, &err) == FLB_E_SYSTEM);
    CHECK_STR(err.msg, "start_info: 1 modules, 200 memmap entries: too many");
    memset(&err, 0, sizeof(err));
    CHECK(flb_start_info_decode(buf, 10, si.base, &back, &err) == FLB_E_SYSTEM);
    CHECK_STR(err.msg, "start_info: 10 bytes is shorter than the header");
}

int main(void)
{
    test_offsets();
    test_round_trip();
    test_corruption_detected();
    test_bad_images();
    return check_summary();
}
