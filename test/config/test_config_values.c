/* The config's values: defaults, the command line xl would build, warnings, direct sets, overrides and the
 * lifecycle actions. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/plan.h"
#include "test_config.h"
#include "test_util.h"

/* The plan's grant values and whether each was assumed rather than set. */
static void plan_defaults(const struct flb_config *cfg, uint32_t frames, uint32_t version, bool assumed)
{
    struct flb_host host;
    struct flb_plan plan;
    struct flb_error err = {{0}};

    flb_host_assumed(&host);
    CHECK(flb_plan_make(cfg, &host, &plan, &err) == FLB_OK, "plan: %s", err.msg);
    CHECK(plan.domain.max_grant_frames == frames, "grant frames %u", plan.domain.max_grant_frames);
    CHECK(plan.domain.max_grant_version == version, "grant version %u", plan.domain.max_grant_version);
    CHECK(plan.assumed_max_grant_frames == assumed, "grant frames assumed: %d",
          plan.assumed_max_grant_frames);
    CHECK(plan.assumed_max_grant_version == assumed, "grant version assumed: %d",
          plan.assumed_max_grant_version);
}

void test_defaults(void)
{
    struct flb_config cfg;
    const char *got = run(&cfg, XL, BASE_XL "memory = 256\n", NULL);

    CHECK_STR(got, "");
    CHECK_STR(cfg.type, "pvh");
    CHECK(cfg.maxmem_mib == 256, "%llu", (unsigned long long)cfg.maxmem_mib);
    CHECK(cfg.vcpus == 1, "%llu", (unsigned long long)cfg.vcpus);
    CHECK(cfg.maxvcpus == 1, "%llu", (unsigned long long)cfg.maxvcpus);
    /* Xen decides these two: the config leaves them unset, and the plan takes the host's. */
    CHECK(cfg.max_grant_frames == FLB_UNSET, "%llu", (unsigned long long)cfg.max_grant_frames);
    CHECK(cfg.max_grant_version == FLB_UNSET, "%llu", (unsigned long long)cfg.max_grant_version);
    plan_defaults(&cfg, 64, 2, true);
    CHECK(cfg.max_maptrack_frames == 1024, "%llu", (unsigned long long)cfg.max_maptrack_frames);
    CHECK(cfg.acpi == 1, "%d", cfg.acpi);
    CHECK(cfg.mmio_hole_mib == FLB_UNSET, "mmio_hole stays unset: the layout uses its default hole");
    CHECK(cfg.fixed_mem_layout == 0, "%d", cfg.fixed_mem_layout);
    CHECK(cfg.foreign_region_mib == 512, "%llu", (unsigned long long)cfg.foreign_region_mib);
    CHECK(cfg.final_cmdline == NULL, "%s", cfg.final_cmdline);
    CHECK(cfg.nr_warnings == 0, "%s", warning(&cfg, 0));
    flb_config_free(&cfg);

    got = run(&cfg, XL, BASE_XL "memory = 256\nvcpus = 4\nmax_grant_frames = 32\nmax_grant_version = 1\n",
              NULL);
    CHECK_STR(got, "");
    CHECK(cfg.maxvcpus == 4, "%llu", (unsigned long long)cfg.maxvcpus);
    plan_defaults(&cfg, 32, 1, false);
    flb_config_free(&cfg);
}

/* Without ACPI a guest learns of one CPU, and Linux of no timer: said once, naming where acpi was set. */
void test_acpi_off_warning(void)
{
    struct flb_config cfg;
    const char *ov[] = {"acpi=0", NULL};

    CHECK_STR(run(&cfg, XL, BASE_XL "memory = 256\nvcpus = 4\nacpi = 0\n", NULL), "");
    CHECK(cfg.nr_warnings == 1, "%d warnings", cfg.nr_warnings);
    CHECK_STR(warning(&cfg, 0),
              "guest.cfg:5: acpi = 0: no ACPI tables: the guest sees one CPU of its 4 unless it "
              "starts the others itself (VCPUOP_up), and Linux gets no timer interrupt (it "
              "stops at its first sleep)");
    flb_config_free(&cfg);
    CHECK_STR(run(&cfg, XL, BASE_XL "memory = 256\nvcpus = 2\n", ov), "");
    CHECK_STR(warning(&cfg, 0),
              "override 'acpi=0': acpi = 0: no ACPI tables: the guest sees one CPU of its 2 unless it "
              "starts the others itself (VCPUOP_up), and Linux gets no timer interrupt (it stops at its "
              "first sleep)");
    flb_config_free(&cfg);
    CHECK_STR(run(&cfg, XL, BASE_XL "memory = 256\nacpi = 0\n", NULL), "");
    CHECK(cfg.nr_warnings == 1, "%d warnings", cfg.nr_warnings);
    CHECK_STR(warning(&cfg, 0),
              "guest.cfg:4: acpi = 0: no ACPI tables: Linux gets no timer interrupt without "
              "them (it stops at its first sleep)");
    flb_config_free(&cfg);
}

void test_cmdline(void)
{
    static const struct {
        const char *keys, *want, *warning;
    } cases[] = {
        {"root = \"/dev/xvda1\"\nextra = \"quiet\"\n", "root=/dev/xvda1 quiet", NULL},
        {"root = \"/dev/xvda1\"\n", "root=/dev/xvda1", NULL},
        {"extra = \"console=hvc0\"\n", "console=hvc0", NULL},
        {"cmdline = \"a b\"\nextra = \"x\"\n", "a b", "guest.cfg:4: extra ignored because cmdline is set"},
        {"cmdline = \"a\"\nroot = \"r\"\nextra = \"x\"\n", "a",
         "guest.cfg:4: root and extra ignored because cmdline is set"},
        {"extra = \"a\"\nextra += \" b\"\n", "a b", NULL},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char text[512];
        struct flb_config cfg;
        /* NULL in the table: no warning at all. */
        const char *want_warning = cases[i].warning ? cases[i].warning : "(none)";

        snprintf(text, sizeof(text), BASE_XL "memory = 64\n%s", cases[i].keys);
        const char *got = run(&cfg, XL, text, NULL);
        CHECK(!strcmp(got, ""), "case %zu: %s", i, got);
        CHECK(!strcmp(or_null(cfg.final_cmdline), cases[i].want), "case %zu: %s", i,
              or_null(cfg.final_cmdline));
        CHECK(cfg.nr_warnings == (cases[i].warning ? 1 : 0), "case %zu: %d warnings", i, cfg.nr_warnings);
        CHECK(!strcmp(warning(&cfg, 0), want_warning), "case %zu: %s", i, warning(&cfg, 0));
        flb_config_free(&cfg);
    }
}

/* The kernel command line holds at most 1023 bytes and its NUL, however it is put together. */
void test_cmdline_length(void)
{
    char chars[2001], text[2100], override[2100], want[200];
    const char *ov[] = {override, NULL};
    struct flb_config cfg;

    snprintf(text, sizeof(text), BASE_XL "memory = 256\nextra = \"%s\"\n", repeat(chars, 'x', 1023));
    CHECK_STR(run(&cfg, XL, text, NULL), "");
    CHECK_STR(cfg.final_cmdline, chars);
    flb_config_free(&cfg);

    snprintf(text, sizeof(text), BASE_XL "memory = 256\nextra = \"%s\"\n", repeat(chars, 'x', 1024));
    CHECK_STR(run(&cfg, XL, text, NULL),
              "guest.cfg:4: extra: the kernel command line would be 1024 bytes, at most 1023 fit");
    flb_config_free(&cfg);

    /* "root=/dev/xvda " is 15 bytes. */
    snprintf(text, sizeof(text), BASE_XL "memory = 256\nroot = \"/dev/xvda\"\nextra = \"%s\"\n",
             repeat(chars, 'x', 1010));
    CHECK_STR(run(&cfg, XL, text, NULL),
              "guest.cfg:5: extra: the kernel command line would be 1025 bytes, at most 1023 fit");
    flb_config_free(&cfg);

    /* A long override is quoted by its first 64 bytes. */
    snprintf(override, sizeof(override), "cmdline=%s", repeat(chars, 'y', 2000));
    snprintf(want, sizeof(want),
             "override 'cmdline=%.56s...': cmdline: the kernel command line would be 2000 bytes, "
             "at most 1023 fit",
             chars);
    CHECK_STR(run(&cfg, XL, BASE_XL "memory = 256\n", ov), want);
    flb_config_free(&cfg);
}

void test_warnings(void)
{
    struct flb_config cfg;
    const char *got = run(&cfg, XL,
                          BASE_XL "memmory = 256\nmemory = 256\nserial = [ 'pty' ]\nvnc = 1\n"
                                  "frobnicate = 1\n",
                          NULL);

    CHECK_STR(got, "");
    CHECK(cfg.nr_warnings == 4, "%d", cfg.nr_warnings);
    CHECK_STR(warning(&cfg, 0), "guest.cfg:3: unknown key 'memmory' ignored (did you mean 'memory'?)");
    CHECK_STR(warning(&cfg, 1),
              "guest.cfg:5: serial: not for PVH: an emulated serial port, which xl sets up only for HVM "
              "guests; the PV console is always there; ignored, as xl ignores it");
    CHECK_STR(warning(&cfg, 2), "guest.cfg:6: vnc: not for PVH: an option of an emulated display, which xl "
                                "sets up only for HVM guests; ignored, as xl ignores it");
    CHECK_STR(warning(&cfg, 3), "guest.cfg:7: unknown key 'frobnicate' ignored");
    flb_config_free(&cfg);

    got = run(&cfg, YAML, BASE_YAML "memory: 256\ndevice_model_args:\n  - a\n  - b\nspice: {a: 1}\n", NULL);
    CHECK_STR(got, "");
    CHECK(cfg.nr_warnings == 2, "%d", cfg.nr_warnings);
    CHECK_STR(warning(&cfg, 0),
              "guest.yaml:4: device_model_args: not for PVH: an option of the device model, which a PVH "
              "guest built here does not have; ignored, as xl ignores it");
    CHECK_STR(warning(&cfg, 1), "guest.yaml:7: spice: not for PVH: a SPICE display option, which xl sets up "
                                "only for HVM guests; ignored, as xl ignores it");
    flb_config_free(&cfg);
}

void test_many_warnings(void)
{
    char text[2048] = BASE_XL "memory = 64\n", want[64];
    struct flb_config cfg;

    for (int i = 0; i < 40; i++)
        snprintf(text + strlen(text), sizeof(text) - strlen(text), "zz%d = 1\n", i);
    const char *got = run(&cfg, XL, text, NULL);
    CHECK_STR(got, "");
    CHECK(cfg.nr_warnings == FLB_MAX_WARNINGS, "%d", cfg.nr_warnings);
    CHECK_STR(warning(&cfg, 0), "guest.cfg:4: unknown key 'zz0' ignored");
    /* zz0 is on line 4: the last one shown before the notice. */
    snprintf(want, sizeof(want), "guest.cfg:%d: unknown key 'zz%d' ignored", FLB_MAX_WARNINGS + 2,
             FLB_MAX_WARNINGS - 2);
    CHECK_STR(warning(&cfg, FLB_MAX_WARNINGS - 2), want);
    CHECK_STR(warning(&cfg, FLB_MAX_WARNINGS - 1), "too many warnings; the rest are not shown");
    flb_config_free(&cfg);
}

void test_set_direct(void)
{
    struct flb_config cfg;
    struct flb_error err = {{0}};
    struct flb_value mem = {.kind = FLB_VALUE_INT, .text = "512", .i = 512};
    struct flb_value word = {.kind = FLB_VALUE_STRING, .text = "guest"};
    struct flb_origin at = {"g.cfg", 2};

    flb_config_init(&cfg, "g.cfg");
    CHECK(flb_config_set(&cfg, "memory", &mem, at, false, &err) == FLB_OK, "%s", err.msg);
    CHECK(cfg.memory_mib == 512, "%llu", (unsigned long long)cfg.memory_mib);
    CHECK(cfg.is_set[FLB_KEY_MEMORY]);
    CHECK(cfg.origin[FLB_KEY_MEMORY].line == 2, "%d", cfg.origin[FLB_KEY_MEMORY].line);
    CHECK(flb_config_set(&cfg, "memory", &mem, at, true, &err) == FLB_OK, "replace");
    at.line = 9;
    CHECK(flb_config_set(&cfg, "memory", &mem, at, false, &err) == FLB_E_INPUT, "duplicate");
    CHECK_STR(err.msg, "g.cfg:9: duplicate key 'memory' (first set on line 2)");
    memset(&err, 0, sizeof(err));
    CHECK(flb_config_set(&cfg, "name", &word, at, false, &err) == FLB_OK, "%s", err.msg);
    CHECK(flb_config_set(&cfg, "kernel", &word, at, false, &err) == FLB_OK, "%s", err.msg);
    CHECK(flb_config_set(&cfg, "fixed_mem_layout",
                         &(struct flb_value){.kind = FLB_VALUE_BOOL, .text = "true", .i = 1}, at, false,
                         &err) == FLB_OK,
          "%s", err.msg);
    CHECK(flb_config_finish(&cfg, &err) == FLB_OK, "%s", err.msg);
    CHECK(cfg.fixed_mem_layout == 1, "bool");
    CHECK_STR(flb_key_name(FLB_KEY_FOREIGN_REGION_MIB), "foreign_region_mib");
    flb_config_free(&cfg);
}

void test_override_replaces(void)
{
    struct flb_config cfg;
    const char *ov[] = {"memory=512",         "memory=1024",  "name=other",  "cmdline='console=hvc0 quiet'",
                        "fixed_mem_layout=1", "serial=['x']", " vcpus = 2 ", NULL};
    const char *got = run(&cfg, XL, BASE_XL "memory = 256\n", ov);

    CHECK_STR(got, "");
    CHECK(cfg.memory_mib == 1024, "last wins: %llu", (unsigned long long)cfg.memory_mib);
    CHECK_STR(cfg.name, "other");
    CHECK(cfg.vcpus == 2, "%llu", (unsigned long long)cfg.vcpus);
    /* Spaces around an override are kept in the text that names it. */
    CHECK_STR(cfg.override[FLB_KEY_VCPUS], " vcpus = 2 ");
    CHECK_STR(cfg.final_cmdline, "console=hvc0 quiet");
    CHECK(cfg.fixed_mem_layout == 1, "%d", cfg.fixed_mem_layout);
    CHECK(cfg.nr_warnings == 1, "%d", cfg.nr_warnings);
    CHECK_STR(warning(&cfg, 0),
              "override 'serial=['x']': serial: not for PVH: an emulated serial port, which xl sets up only "
              "for HVM guests; the PV console is always there; ignored, as xl ignores it");
    flb_config_free(&cfg);
}

/* What a dry-run can foresee Xen refusing: limits above Xen's defaults, which only its boot options raise. */
void test_dry_run_warnings(void)
{
    struct flb_config cfg;
    const char *ov[] = {"max_grant_frames=65", NULL};

    CHECK_STR(
        run(&cfg, XL, BASE_XL "memory = 256\nmax_grant_frames = 64\nmax_maptrack_frames = 1024\n", NULL), "");
    flb_config_dry_run_warnings(&cfg);
    CHECK(cfg.nr_warnings == 0, "%s", warning(&cfg, 0));
    flb_config_free(&cfg);

    CHECK_STR(
        run(&cfg, XL, BASE_XL "memory = 256\nmax_grant_frames = 128\nmax_maptrack_frames = 1025\n", NULL),
        "");
    flb_config_dry_run_warnings(&cfg);
    CHECK(cfg.nr_warnings == 2, "%d warnings", cfg.nr_warnings);
    CHECK_STR(warning(&cfg, 0),
              "guest.cfg:4: max_grant_frames = 128 is above 64, Xen's default gnttab_max_frames: "
              "a live build fails unless Xen was booted with gnttab_max_frames=128 or more");
    CHECK_STR(
        warning(&cfg, 1),
        "guest.cfg:5: max_maptrack_frames = 1025 is above 1024, Xen's default gnttab_max_maptrack_frames: a "
        "live build fails unless Xen was booted with gnttab_max_maptrack_frames=1025 or more");
    flb_config_free(&cfg);

    CHECK_STR(run(&cfg, YAML, BASE_YAML "memory: 256\n", ov), "");
    flb_config_dry_run_warnings(&cfg);
    CHECK(cfg.nr_warnings == 1, "%d warnings", cfg.nr_warnings);
    CHECK_STR(warning(&cfg, 0),
              "override 'max_grant_frames=65': max_grant_frames = 65 is above 64, Xen's default "
              "gnttab_max_frames: a live build fails unless Xen was booted with gnttab_max_frames=65 "
              "or more");
    flb_config_free(&cfg);
}

/* The on_ keys: xl.cfg(5)'s defaults, each key in each syntax, and what each shutdown reason gets. */
void test_lifecycle(void)
{
    const struct flb_plan_lifecycle defaults = {FLB_ACTION_DESTROY, FLB_ACTION_RESTART, FLB_ACTION_DESTROY,
                                                FLB_ACTION_DESTROY, FLB_ACTION_RESTART};
    const char *ov[] = {"on_watchdog=rename-restart", "on_poweroff='restart'", NULL};
    struct flb_plan_lifecycle lc;
    struct flb_config cfg;
    struct flb_plan plan;
    struct flb_host host;
    struct flb_error err = {{0}};

    flb_host_assumed(&host);
    CHECK_STR(run(&cfg, XL, BASE_XL "memory = 256\n", NULL), "");
    CHECK(flb_plan_make(&cfg, &host, &plan, &err) == FLB_OK, "%s", err.msg);
    CHECK(!memcmp(&plan.lifecycle, &defaults, sizeof(defaults)), "defaults %d %d %d %d %d",
          plan.lifecycle.on_poweroff, plan.lifecycle.on_reboot, plan.lifecycle.on_watchdog,
          plan.lifecycle.on_crash, plan.lifecycle.on_soft_reset);
    flb_config_free(&cfg);

    CHECK_STR(run(&cfg, XL,
                  BASE_XL "memory = 256\non_poweroff = \"preserve\"\non_reboot = \"destroy\"\n"
                          "on_crash = \"restart\"\non_soft_reset = \"destroy\"\n",
                  ov),
              "");
    CHECK(flb_plan_make(&cfg, &host, &plan, &err) == FLB_OK, "%s", err.msg);
    lc = plan.lifecycle;
    CHECK(lc.on_poweroff == FLB_ACTION_RESTART && lc.on_reboot == FLB_ACTION_DESTROY &&
              lc.on_watchdog == FLB_ACTION_RENAME_RESTART && lc.on_crash == FLB_ACTION_RESTART &&
              lc.on_soft_reset == FLB_ACTION_DESTROY,
          "xl and overrides: %d %d %d %d %d", lc.on_poweroff, lc.on_reboot, lc.on_watchdog, lc.on_crash,
          lc.on_soft_reset);
    CHECK(cfg.nr_warnings == 0, "%s", warning(&cfg, 0));
    flb_config_free(&cfg);

    CHECK_STR(run(&cfg, YAML, BASE_YAML "memory: 256\non_crash: preserve\non_soft_reset: soft-reset\n", NULL),
              "");
    CHECK(flb_plan_make(&cfg, &host, &plan, &err) == FLB_OK, "%s", err.msg);
    CHECK(plan.lifecycle.on_crash == FLB_ACTION_PRESERVE, "YAML on_crash %d", plan.lifecycle.on_crash);
    /* We carry a soft reset out as a restart (fixed-layout-build.cfg(5)). */
    CHECK(plan.lifecycle.on_soft_reset == FLB_ACTION_RESTART, "YAML on_soft_reset %d",
          plan.lifecycle.on_soft_reset);
    flb_config_free(&cfg);

    /* Each reason reads its own key; a suspended guest is left alone and an unknown reason destroyed, as xl
     * does. */
    CHECK(flb_lifecycle_decide(&lc, FLB_SHUTDOWN_POWEROFF) == FLB_ACTION_RESTART, "poweroff");
    CHECK(flb_lifecycle_decide(&lc, FLB_SHUTDOWN_REBOOT) == FLB_ACTION_DESTROY, "reboot");
    CHECK(flb_lifecycle_decide(&lc, FLB_SHUTDOWN_WATCHDOG) == FLB_ACTION_RENAME_RESTART, "watchdog");
    CHECK(flb_lifecycle_decide(&lc, FLB_SHUTDOWN_CRASH) == FLB_ACTION_RESTART, "crash");
    CHECK(flb_lifecycle_decide(&lc, FLB_SHUTDOWN_SOFT_RESET) == FLB_ACTION_DESTROY, "soft reset");
    CHECK(flb_lifecycle_decide(&lc, FLB_SHUTDOWN_SUSPEND) == FLB_ACTION_LEAVE, "suspend");
    CHECK(flb_lifecycle_decide(&lc, FLB_SHUTDOWN_OTHER) == FLB_ACTION_DESTROY, "other");
    CHECK(flb_shutdown_reason_of(3) == FLB_SHUTDOWN_CRASH && flb_shutdown_reason_of(6) == FLB_SHUTDOWN_OTHER,
          "reason codes");
    CHECK_STR(flb_action_name(FLB_ACTION_RENAME_RESTART), "rename-restart");
    CHECK_STR(flb_shutdown_reason_name(FLB_SHUTDOWN_SOFT_RESET), "soft_reset");
}
