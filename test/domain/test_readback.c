/* What the guest will read, checked in its memory before it runs: every corrupted byte of start_info and the
 * ACPI tables caught. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sequence_run.h"

/* Every byte libxenguest wrote is checked: flipping any one of them is caught. */
static void test_start_info_corruption(bool grant_v2)
{
    unsigned caught = 0, span;
    struct run r;

    run_setup(&r, grant_v2);
    span = 56 + 32 + 64 + 2048 + r.plan.layout.map.nr * 24;
    for (unsigned off = 0; off < span; off++) {
        struct fake *f = fake_new(false);

        f->corrupt_offset = off;
        r.req.use_xenstore = false;
        run_build(f, &r);
        if (r.rc) {
            caught++;
            CHECK(strstr(r.err.msg, "start"), "offset %u: unexpected failure: %s", off, r.err.msg);
            CHECK(f->destroys == 1 && !f->unpaused, "offset %u: not destroyed", off);
            run_check_clean(f, "corruption");
        }
        fake_free(f);
    }
    /* Bytes between the pieces are padding the guest never reads: at most those may pass. */
    CHECK(caught >= 56 + r.plan.layout.map.nr * 24, "only %u of %u flipped bytes caught", caught, span);
    run_teardown(&r);

    /* One byte inside the memory map gives the exact offset. */
    struct fake *f = fake_new(false);
    run_setup(&r, false);
    r.req.use_xenstore = false;
    /* header, "console=hvc0" rounded to 16, 2 module entries, 2 module command lines */
    f->corrupt_offset =
        56 + 16 + 64 + 2048 + 3 * 24 + 8 + 3; /* high RAM size (after RAM, ACPI, reserved), byte 3 */
    run_build(f, &r);
    CHECK(strcmp(r.err.msg, "checking the start info at 0x2000000: guest memory differs from our "
                            "encoding at offset 2267 (0x20008db): 0x05, expected 0x04") == 0,
          "message: %s", r.err.msg);
    fake_free(f);
}

/* Every byte of the ACPI tables is checked in guest memory; the first difference is named. */
static void test_acpi_corruption(void)
{
    struct run r;
    unsigned caught = 0;

    run_setup(&r, false);
    r.req.use_xenstore = false;
    for (unsigned off = 0; off < r.plan.acpi.size; off++) {
        struct fake *f = fake_new(false);
        char want[160];

        f->corrupt_acpi_offset = off;
        run_build(f, &r);
        snprintf(want, sizeof(want),
                 "checking the ACPI tables at 0xfc000000: guest memory differs from the plan "
                 "at offset %u (0x%llx): 0x%02x, expected 0x%02x",
                 off, 0xfc000000ull + off, r.plan.acpi.blob[off] ^ 1, r.plan.acpi.blob[off]);
        caught += r.rc == FLB_E_SYSTEM && !strcmp(r.err.msg, want);
        CHECK(f->destroys == 1 && !f->unpaused, "offset %u: not destroyed", off);
        run_check_clean(f, "ACPI corruption");
        fake_free(f);
    }
    CHECK(caught == r.plan.acpi.size && caught > 0, "%u of %u flipped bytes caught", caught,
          r.plan.acpi.size);
    run_teardown(&r);
}

/* Without ACPI no module is handed over, rsdp_paddr is 0 and the allowance is the target plus the slack. */
static void test_no_acpi(void)
{
    struct fake *f = fake_new(false);
    struct run r;
    char *log;

    run_setup(&r, false);
    r.cfg.acpi = 0;
    plan_for(&r.cfg, &r.plan);
    r.req.use_xenstore = false;
    run_build(f, &r);
    log = fake_log_text(f);
    CHECK(r.rc == 0, "build failed: %s", r.err.msg);
    CHECK(!strstr(log, "acpi_modules"), "an ACPI module was handed over");
    CHECK(strstr(log, "xc_domain_setmaxmem domid=1 kib=8389632"), "allowance: %s", log);
    CHECK(f->mem[32] == 0 && f->mem[35] == 0, "rsdp_paddr is not 0");
    free(log);
    run_teardown(&r);
    fake_free(f);
}

/* A start_info that runs past its first page is read in a second mapping, and checked too. */
static void test_start_info_two_pages(void)
{
    struct run r;
    char line[256];
    struct fake *f = fake_new(false);
    int at;

    run_setup(&r, false);
    r.req.use_xenstore = false;
    f->start_info_offset = 3072;
    run_build(f, &r);
    CHECK(r.rc == 0, "%s", r.err.msg);
    at = fake_find_line(f, "xenforeignmemory_map domid=1 gfn=0x2000 ", 0, line, sizeof(line));
    CHECK_STR(line, "xenforeignmemory_map domid=1 gfn=0x2000 pages=1 ro");
    CHECK(fake_find_line(f, "xenforeignmemory_map domid=1 gfn=0x2000 ", at + 1, line, sizeof(line)) > at,
          "no second mapping");
    CHECK_STR(line, "xenforeignmemory_map domid=1 gfn=0x2000 pages=2 ro");
    CHECK(flb_teardown(&f->be, &r.res, &r.err) == 0, "%s", r.err.msg);
    fake_free(f);

    /* A byte of the memory map, on the second page, is caught; so is one of the first page's header. */
    for (int k = 0; k < 2; k++) {
        f = fake_new(false);
        f->start_info_offset = 3072;
        f->corrupt_offset = k ? 4 : 56 + 16 + 64 + 2048 + 3;
        run_build(f, &r);
        CHECK(r.rc != 0 && strstr(r.err.msg, "start"), "offset %ld not caught: %s", f->corrupt_offset,
              r.err.msg);
        CHECK(f->destroys == 1 && !f->unpaused, "not destroyed");
        fake_free(f);
    }
    run_teardown(&r);
}

int main(void)
{
    test_start_info_corruption(false);
    test_start_info_corruption(true);
    test_acpi_corruption();
    test_no_acpi();
    test_start_info_two_pages();
    return check_summary();
}
