/* The build sequence against the recording fake: golden call logs, failures, signals, start_info check. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/build.h"
#include "fake_backend.h"
#include "test_util.h"

static const uint8_t test_uuid[16] = { 0x5e, 0xed, 0x00, 0x01, 0x02, 0x03, 0x44, 0x05,
                                       0x86, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d };

struct run {
    struct flb_config cfg;
    struct flb_plan plan;
    struct flb_build_request req;
    struct flb_build_result res;
    struct flb_error err;
    int rc;
};

static const char *kernel_path(void)
{
    static const char *path;

    if (!path) {
        path = strdup(scratch_path("pvh-kernel"));
        make_elf_kernel(path, true, 0);
    }
    return path;
}

static void setup(struct run *r, bool grant_v2)
{
    memset(r, 0, sizeof(*r));
    config_worked_example(&r->cfg, kernel_path());
    if (grant_v2) {
        /* A smaller guest with a ramdisk, grant v2 and a status region to reserve. */
        static const char initrd[5000] = "initrd";
        const char *ramdisk = scratch_path("initrd.img");

        write_file(ramdisk, initrd, sizeof(initrd));
        r->cfg.name = "grant-v2";
        r->cfg.ramdisk = strdup(ramdisk);
        r->cfg.memory_mib = r->cfg.maxmem_mib = 2048;
        r->cfg.vcpus = 2;
        r->cfg.maxvcpus = 4;
        r->cfg.max_grant_frames = 32;
        r->cfg.max_grant_version = 2;
        r->cfg.foreign_region_mib = 256;
        r->cfg.final_cmdline = "console=hvc0 root=/dev/ram0";
    }
    plan_for(&r->cfg, &r->plan);
    r->req.plan = &r->plan;
    memcpy(r->req.uuid, test_uuid, sizeof(test_uuid));
    r->req.use_xenstore = true;
}

static void teardown(struct run *r)
{
    if (r->cfg.ramdisk)
        free(r->cfg.ramdisk);
}

static void build(struct fake *f, struct run *r)
{
    memset(&r->err, 0, sizeof(r->err));
    r->rc = flb_build(&f->be, &r->req, &r->res, &r->err);
}

/* Nothing may outlive a failed build. */
static void check_clean(const struct fake *f, const char *what)
{
    CHECK(!f->domain_exists, "%s: the domain still exists", what);
    CHECK(f->open_doms == 0, "%s: %d libxenguest images leaked", what, f->open_doms);
    CHECK(f->open_maps == 0, "%s: %d foreign mappings leaked", what, f->open_maps);
    CHECK(f->bound_ports == 0, "%s: %d event channels leaked", what, f->bound_ports);
    CHECK(fake_xs_count(f, "/local/domain/1") == 0, "%s: xenstore nodes left behind", what);
    CHECK(fake_xs_count(f, "/vm/5eed0001-0203-4405-8607-08090a0b0c0d") == 0,
          "%s: /vm nodes left behind", what);
    CHECK(fake_xs_count(f, "/libxl/1") == 0, "%s: /libxl nodes left behind", what);
}

static void test_golden(const char *name, bool grant_v2, bool paused)
{
    struct fake *f = fake_new(true);
    struct run r;
    char *log;

    setup(&r, grant_v2);
    r.req.paused = paused;
    build(f, &r);
    CHECK(r.rc == 0, "%s: build failed: %s", name, r.err.msg);
    CHECK(r.res.created && r.res.domid == 1, "%s: no domain 1", name);
    CHECK(f->unpaused == !paused, "%s: unpause state", name);
    CHECK(f->open_doms == 0 && f->open_maps == 0, "%s: leaks", name);
    CHECK(f->destroys == 0, "%s: destroyed a good domain", name);
    log = fake_log_text(f);
    CHECK(golden_check(name, log), "%s: golden call log", name);
    free(log);

    /* The teardown a --wait ends with removes everything, once. */
    CHECK(flb_teardown(&f->be, &r.res, &r.err) == 0, "%s: teardown: %s", name, r.err.msg);
    CHECK(f->destroys == 1, "%s: destroyed %u times", name, f->destroys);
    check_clean(f, name);
    teardown(&r);
    fake_free(f);
}

/* The first word of a recorded call is the library function it stands for. */
static void call_name(const char *line, char *name, size_t len)
{
    snprintf(name, len, "%.*s", (int)strcspn(line, " "), line);
}

static void test_each_call_fails(bool grant_v2)
{
    struct fake *f = fake_new(true);
    struct run r;
    unsigned total;

    setup(&r, grant_v2);
    build(f, &r);
    total = f->calls;
    CHECK(r.rc == 0 && total > 40, "baseline: %s (%u calls)", r.err.msg, total);
    fake_free(f);
    teardown(&r);

    for (unsigned n = 1; n <= total; n++) {
        char what[64], name[64] = "";

        f = fake_new(true);
        f->fail_at = n;
        setup(&r, grant_v2);
        build(f, &r);
        snprintf(what, sizeof(what), "%s, call %u fails", grant_v2 ? "v2" : "v1", n);
        for (size_t i = 0; i < f->nr_lines; i++)
            if (strstr(f->lines[i], " -> FAIL "))
                call_name(f->lines[i], name, sizeof(name));
        CHECK(r.rc == FLB_E_SYSTEM, "%s: status %d (%s)", what, r.rc, r.err.msg);
        CHECK(name[0] && strstr(r.err.msg, name), "%s: message '%s' does not name %s", what,
              r.err.msg, name);
        CHECK(strstr(r.err.msg, ": Invalid argument"), "%s: message '%s' lacks errno", what,
              r.err.msg);
        CHECK(f->destroys == (f->next_domid > 1 ? 1u : 0u), "%s: destroyed %u times", what,
              f->destroys);
        check_clean(f, what);
        if (getenv("FLB_TEST_VERBOSE"))
            fprintf(stderr, "%s: %s\n", what, r.err.msg);
        teardown(&r);
        fake_free(f);
    }
}

static void test_batch_frame_error(void)
{
    struct fake *f = fake_new(true);
    struct run r;

    setup(&r, false);
    f->batch_frame_error = 3;
    build(f, &r);
    CHECK(r.rc == FLB_E_SYSTEM, "status %d", r.rc);
    CHECK(strcmp(r.err.msg, "mapping grant frame 3 at 0x240004000: xc_domain_add_to_physmap_batch: "
                            "Invalid argument") == 0, "message: %s", r.err.msg);
    CHECK(f->destroys == 1, "destroyed %u times", f->destroys);
    check_clean(f, "frame error");
    fake_free(f);
}

static void test_batch_message(void)
{
    struct fake *f = fake_new(true);
    unsigned n = 0;
    struct run r;

    setup(&r, false);
    build(f, &r);
    for (size_t i = 0; i < f->nr_lines; i++)
        if (strncmp(f->lines[i], "xc_domain_add_to_physmap_batch", 30) == 0)
            n = (unsigned)i + 1;
    fake_free(f);
    f = fake_new(true);
    f->fail_at = n;
    build(f, &r);
    CHECK(strcmp(r.err.msg, "mapping grant frames at 0x240001000: xc_domain_add_to_physmap_batch: "
                            "Invalid argument") == 0, "message: %s", r.err.msg);
    fake_free(f);
}

static void test_batch_unsupported(void)
{
    struct fake *f = fake_new(true);
    struct run r;

    setup(&r, false);
    f->batch_unsupported = true;
    build(f, &r);
    CHECK(r.rc == 0, "fallback failed: %s", r.err.msg);
    /* shared info, the refused batch, then 64 frames one at a time */
    CHECK(f->physmap_calls == 1 + 1 + 64, "%u physmap calls", f->physmap_calls);
    fake_free(f);
}

static volatile sig_atomic_t stop_flag;

static void on_signal(int sig)
{
    (void)sig;
    stop_flag = 1;
}

static void raise_at_boot_mem_init(struct fake *f, unsigned call, const char *line, void *arg)
{
    (void)f, (void)call, (void)arg;
    if (strcmp(line, "xc_dom_boot_mem_init") == 0)
        raise(SIGINT);
}

static void test_signal_during_build(void)
{
    struct sigaction sa = { .sa_handler = on_signal }, old;
    struct fake *f = fake_new(true);
    struct run r;

    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old);
    stop_flag = 0;
    setup(&r, false);
    r.req.stop = &stop_flag;
    f->hook = raise_at_boot_mem_init;
    build(f, &r);
    sigaction(SIGINT, &old, NULL);
    CHECK(stop_flag == 1, "the signal was not delivered");
    CHECK(r.rc == FLB_E_SYSTEM && r.res.interrupted, "status %d: %s", r.rc, r.err.msg);
    CHECK(strcmp(r.err.msg, "interrupted before setting the memory map") == 0, "message: %s",
          r.err.msg);
    CHECK(f->destroys == 1, "destroyed %u times", f->destroys);
    CHECK(!f->unpaused, "unpaused an interrupted build");
    check_clean(f, "signal");
    fake_free(f);
}

/* Every byte libxenguest wrote is checked: flipping any one of them is caught. */
static void test_start_info_corruption(bool grant_v2)
{
    unsigned caught = 0, span;
    struct run r;

    setup(&r, grant_v2);
    span = 56 + 32 + 64 + 2048 + r.plan.layout.map.nr * 24;
    for (unsigned off = 0; off < span; off++) {
        struct fake *f = fake_new(false);

        f->corrupt_offset = off;
        r.req.use_xenstore = false;
        build(f, &r);
        if (r.rc) {
            caught++;
            CHECK(strstr(r.err.msg, "start"), "offset %u: unexpected failure: %s", off, r.err.msg);
            CHECK(f->destroys == 1 && !f->unpaused, "offset %u: not destroyed", off);
            check_clean(f, "corruption");
        }
        fake_free(f);
    }
    /* Bytes between the pieces are padding the guest never reads: at most those may pass. */
    CHECK(caught >= 56 + r.plan.layout.map.nr * 24, "only %u of %u flipped bytes caught", caught, span);
    teardown(&r);

    /* One byte inside the memory map gives the exact offset. */
    struct fake *f = fake_new(false);
    setup(&r, false);
    r.req.use_xenstore = false;
    /* header, "console=hvc0" rounded to 16, 2 module entries, 2 module command lines */
    f->corrupt_offset = 56 + 16 + 64 + 2048 + 3 * 24 + 8 + 3; /* high RAM size (after RAM, ACPI, reserved), byte 3 */
    build(f, &r);
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

    setup(&r, false);
    r.req.use_xenstore = false;
    for (unsigned off = 0; off < r.plan.acpi.size; off++) {
        struct fake *f = fake_new(false);
        char want[160];

        f->corrupt_acpi_offset = off;
        build(f, &r);
        snprintf(want, sizeof(want), "checking the ACPI tables at 0xfc000000: guest memory differs from the plan "
                 "at offset %u (0x%llx): 0x%02x, expected 0x%02x", off, 0xfc000000ull + off,
                 r.plan.acpi.blob[off] ^ 1, r.plan.acpi.blob[off]);
        caught += r.rc == FLB_E_SYSTEM && !strcmp(r.err.msg, want);
        CHECK(f->destroys == 1 && !f->unpaused, "offset %u: not destroyed", off);
        check_clean(f, "ACPI corruption");
        fake_free(f);
    }
    CHECK(caught == r.plan.acpi.size && caught > 0, "%u of %u flipped bytes caught", caught, r.plan.acpi.size);
    teardown(&r);
}

/* Without ACPI no module is handed over, rsdp_paddr is 0 and the allowance is the target plus the slack. */
static void test_no_acpi(void)
{
    struct fake *f = fake_new(false);
    struct run r;
    char *log;

    setup(&r, false);
    r.cfg.acpi = 0;
    plan_for(&r.cfg, &r.plan);
    r.req.use_xenstore = false;
    build(f, &r);
    log = fake_log_text(f);
    CHECK(r.rc == 0, "build failed: %s", r.err.msg);
    CHECK(!strstr(log, "acpi_modules"), "an ACPI module was handed over");
    CHECK(strstr(log, "xc_domain_setmaxmem domid=1 kib=8389632"), "allowance: %s", log);
    CHECK(f->mem[32] == 0 && f->mem[35] == 0, "rsdp_paddr is not 0");
    free(log);
    teardown(&r);
    fake_free(f);
}

/* If even the teardown fails, the message says a domain is left behind. */
static void test_destroy_fails(void)
{
    struct fake *f = fake_new(false);
    struct run r;

    setup(&r, false);
    r.req.use_xenstore = false;
    f->batch_frame_error = 0;
    f->destroy_fails = true;
    build(f, &r);
    CHECK(strcmp(r.err.msg, "mapping grant frame 0 at 0x240001000: xc_domain_add_to_physmap_batch: "
                            "Invalid argument; then destroying domain 1: xc_domain_destroy: Device "
                            "or resource busy: domain 1 is left behind") == 0, "message: %s",
          r.err.msg);
    CHECK(f->destroys == 1, "destroyed %u times", f->destroys);
    fake_free(f);
}

static void test_name_in_use(void)
{
    struct fake *f = fake_new(true);
    struct run r;

    fake_xs_set(f, "/local/domain/7/name", "example");
    setup(&r, false);
    build(f, &r);
    CHECK(r.rc == FLB_E_INPUT, "status %d: %s", r.rc, r.err.msg);
    CHECK(strcmp(r.err.msg, "name 'example' is already used by domain 7: pick another name or "
                            "destroy it") == 0, "message: %s", r.err.msg);
    CHECK(f->next_domid == 1 && f->destroys == 0, "a domain was created");
    fake_free(f);
}

/* A name is the user's: written whole, so the next build's name check sees it whole. */
static void test_long_name(void)
{
    struct fake *f = fake_new(true);
    struct run r;
    char name[201];

    memset(name, 'n', sizeof(name) - 1);
    name[sizeof(name) - 1] = '\0';
    setup(&r, false);
    r.cfg.name = name;
    plan_for(&r.cfg, &r.plan);
    build(f, &r);
    CHECK(r.rc == 0, "build failed: %s", r.err.msg);
    CHECK(fake_xs_get(f, "/local/domain/1/name") && !strcmp(fake_xs_get(f, "/local/domain/1/name"), name),
          "name stored as '%s'", fake_xs_get(f, "/local/domain/1/name"));
    CHECK(flb_teardown(&f->be, &r.res, &r.err) == 0, "teardown: %s", r.err.msg);

    /* A second build under the same long name is refused before anything is created. */
    fake_xs_set(f, "/local/domain/1/name", name);
    setup(&r, false);
    r.cfg.name = name;
    plan_for(&r.cfg, &r.plan);
    build(f, &r);
    CHECK(r.rc == FLB_E_INPUT, "second build with the same name: status %d", r.rc);
    fake_free(f);
}

int main(void)
{
    test_golden("worked-example.log", false, false);
    test_golden("grant-v2.log", true, true);
    test_each_call_fails(false);
    test_each_call_fails(true);
    test_batch_frame_error();
    test_batch_message();
    test_batch_unsupported();
    test_signal_during_build();
    test_start_info_corruption(false);
    test_start_info_corruption(true);
    test_acpi_corruption();
    test_no_acpi();
    test_destroy_fails();
    test_name_in_use();
    test_long_name();
    return check_summary();
}
