/* The config layer: set, finish, front ends, overrides and files; the one place for their exact messages. */
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/config.h"
#include "core/plan.h"
#include "frontend/config_file.h"
#include "test_util.h"

enum fmt { XL, YAML };

/* Loads, finishes and plans (with the host's assumed defaults), as a dry-run does; "" or the message. */
static const char *run(struct flb_config *cfg, enum fmt fmt, const char *text, const char *const *overrides)
{
    static struct flb_error err;
    static struct flb_plan plan;
    struct flb_host host;
    int rc;

    memset(&err, 0, sizeof(err));
    flb_config_init(cfg, fmt == XL ? "guest.cfg" : "guest.yaml");
    if (fmt == XL)
        rc = flb_config_load_xl_data(cfg, text, (int)strlen(text), &err);
    else
        rc = flb_config_load_yaml_data(cfg, text, strlen(text), &err);
    for (; !rc && overrides && *overrides; overrides++)
        rc = flb_config_apply_override(cfg, *overrides, &err);
    if (!rc)
        rc = flb_config_finish(cfg, &err);
    flb_host_assumed(&host);
    if (!rc)
        rc = flb_plan_make(cfg, &host, &plan, &err);
    if (rc && rc != FLB_E_INPUT)
        return "(not FLB_E_INPUT)";
    if (!rc && err.msg[0])
        return "(message without failure)";
    return err.msg;
}

#define BASE_XL "name = \"g\"\nkernel = \"/k\"\n"
#define BASE_YAML "name: g\nkernel: /k\n"

/* Warning i, or "(none)" past the last one: a missing warning fails its check rather than skipping it. */
static const char *warning(const struct flb_config *cfg, int i)
{
    return i < cfg->nr_warnings ? cfg->warnings[i] : "(none)";
}

static const char *or_null(const char *s)
{
    return s ? s : "(null)";
}

struct error_case {
    enum fmt fmt;
    const char *text;
    const char *override;
    const char *want;
};

/*
 * Bad inputs and their exact messages. cli_test.py runs many of the same inputs through the built command
 * and checks only the shape of what it prints, so a change of wording is made here alone.
 */
static const struct error_case errors[] = {
    {XL, BASE_XL "memory = \"abc\"\n", NULL, "guest.cfg:3: memory: expected an integer (MiB), got a string"},
    {XL, BASE_XL "memory = [1]\n", NULL, "guest.cfg:3: memory: expected an integer (MiB), got a list"},
    {XL, BASE_XL "memory = [256]\n", NULL, "guest.cfg:3: memory: expected an integer (MiB), got a list"},
    {XL, BASE_XL "\nmemory = \"abc\"\n", NULL,
     "guest.cfg:4: memory: expected an integer (MiB), got a string"},
    {XL, BASE_XL "memory = 1e5\n", NULL, "guest.cfg:3: memory: expected an integer (MiB), got '1e5'"},
    {XL, BASE_XL "memory = 0256\n", NULL,
     "guest.cfg:3: memory: '0256' has a leading zero, which xl reads as octal; write it without"},
    {YAML, BASE_YAML "memory: 0256\n", NULL,
     "guest.yaml:3: memory: '0256' has a leading zero, which xl reads as octal; write it without"},
    {XL, BASE_XL "memory = 0\n", NULL, "guest.cfg:3: memory: must be between 1 and 4294967296 (MiB), got 0"},
    {XL, BASE_XL "memory = 99999999999999999999\n", NULL,
     "guest.cfg:3: memory: must be between 1 and 4294967296 (MiB), got 99999999999999999999"},
    {XL, BASE_XL "memory = 4294967297\n", NULL,
     "guest.cfg:3: memory: must be between 1 and 4294967296 (MiB), got 4294967297"},
    {XL, BASE_XL "memory = 256\n\n\nmemory = 512\n", NULL,
     "guest.cfg:6: duplicate key 'memory' (first set on line 3)"},
    {XL, BASE_XL "memory = 256\n\n\n# again\nmemory = 512\n", NULL,
     "guest.cfg:7: duplicate key 'memory' (first set on line 3)"},
    /* Line numbers stay right after a comment inside a list. */
    {XL, BASE_XL "disk = [ 'a', # comment\n 'b' ]\nmemory = 256\nmemory = 512\n", NULL,
     "guest.cfg:6: duplicate key 'memory' (first set on line 5)"},
    {XL, BASE_XL "memory = 256; vcpus = 0\n", NULL, "guest.cfg:3: vcpus: must be between 1 and 128, got 0"},
    {XL, BASE_XL "memory = 256\nvcpus = 129\n", NULL,
     "guest.cfg:4: vcpus: must be between 1 and 128, got 129"},
    {XL, BASE_XL "memory = 256\nvcpus = 0\n", NULL, "guest.cfg:4: vcpus: must be between 1 and 128, got 0"},
    {XL, BASE_XL "memory = 256\nvcpus = 200\n", NULL,
     "guest.cfg:4: vcpus: must be between 1 and 128, got 200"},
    {XL, BASE_XL "memory = 256\nvcpus = 4\nmaxvcpus = 2\n", NULL,
     "guest.cfg:5: maxvcpus: must be at least vcpus (4), got 2"},
    {XL, BASE_XL "memory = 256\nmax_grant_version = 3\n", NULL,
     "guest.cfg:4: max_grant_version: must be 1 or 2, got 3"},
    {XL, BASE_XL "memory = 256\ntype = \"hvm\"\n", NULL,
     "guest.cfg:4: type: 'hvm' is not supported: a fixed layout needs a PVH guest"},
    {XL, BASE_XL "memory = 256\ntype = \"pv\"\n", NULL,
     "guest.cfg:4: type: 'pv' is not supported: a fixed layout needs a PVH guest"},
    {XL, BASE_XL "memory = 256\nmaxmem = 512\n", NULL,
     "guest.cfg:4: maxmem: must equal memory (256 MiB) for a PVH guest, got 512"},
    {XL, BASE_XL "memory = 256\nmmio_hole = 100\n", NULL,
     "guest.cfg:4: mmio_hole: must be between 256 and 3840 (MiB), got 100"},
    {XL, BASE_XL "memory = 256\nmmio_hole = 4096\n", NULL,
     "guest.cfg:4: mmio_hole: must be between 256 and 3840 (MiB), got 4096"},
    {XL, BASE_XL "memory = 256\nfixed_mem_layout = 2\n", NULL,
     "guest.cfg:4: fixed_mem_layout: expected 0 or 1, got 2"},
    {XL, BASE_XL "memory = 256\nacpi = 2\n", NULL, "guest.cfg:4: acpi: expected 0 or 1, got 2"},
    {XL, BASE_XL "memory = 256\nacpi = \"on\"\n", NULL, "guest.cfg:4: acpi: expected 0 or 1, got a string"},
    {YAML, BASE_YAML "memory: 256\nacpi: [1]\n", NULL, "guest.yaml:4: acpi: expected 0 or 1, got a list"},
    {XL, BASE_XL "memory = 256\n", "acpi=yes", "override 'acpi=yes': acpi: expected 0 or 1"},
    {XL, BASE_XL "memory = 256\nvcpus = 4\nmaxvcpus = 2\n", NULL,
     "guest.cfg:5: maxvcpus: must be at least vcpus (4), got 2"},
    {XL, BASE_XL "memory = 256\nmaxvcpus = 129\n", NULL, "guest.cfg:4: maxvcpus: must be between 1 and 128, got 129"},
    {XL, BASE_XL "memory = 256\nfixed_mem_layout = 5\n", NULL,
     "guest.cfg:4: fixed_mem_layout: expected 0 or 1, got 5"},
    {XL, BASE_XL "memory = 256\nmax_grant_frames = 0\n", NULL,
     "guest.cfg:4: max_grant_frames: must be between 1 and 2147483647 (frames), got 0"},
    /* Frame counts must fit Xen's int32. */
    {XL, BASE_XL "memory = 256\nmax_grant_frames = 2147483648\n", NULL,
     "guest.cfg:4: max_grant_frames: must be between 1 and 2147483647 (frames), got 2147483648"},
    {XL, BASE_XL "memory = 256\nmax_maptrack_frames = 4294967295\n", NULL,
     "guest.cfg:4: max_maptrack_frames: must be between 0 and 2147483647 (frames), got 4294967295"},
    {XL, BASE_XL "memory = 256\nforeign_region_mib = 4294967297\n", NULL,
     "guest.cfg:4: foreign_region_mib: must be between 0 and 4294967296 (MiB), got 4294967297"},
    /* The key blamed is the one whose region crosses the limit; its message says where it was set. */
    {XL, BASE_XL "memory = 4294967296\nfixed_mem_layout = 1\n", NULL,
     "guest.cfg:3: memory: the layout would end at 0x10000004000000, beyond the 52-bit guest physical "
     "address space (lower memory)"},
    {XL, BASE_XL "memory = 4294967000\nfixed_mem_layout = 1\n", NULL,
     "guest.cfg:3: memory: the layout would end at 0x10000000001000, beyond the 52-bit guest physical "
     "address space (lower memory)"},
    {XL, BASE_XL "memory = 4294967296\n", NULL,
     "guest.cfg:3: memory: the layout would end at 0x10000004000000, beyond the 52-bit guest physical "
     "address space (lower memory)"},
    {XL, BASE_XL "memory = 4294966000\nfixed_mem_layout = 1\nmax_grant_frames = 2147483647\n", NULL,
     "guest.cfg:5: max_grant_frames: the layout would end at 0x1008ffc0000000, beyond the 52-bit guest "
     "physical address space (lower max_grant_frames or memory)"},
    {XL, BASE_XL "memory = 4294966000\nfixed_mem_layout = 1\nforeign_region_mib = 2048\n", NULL,
     "guest.cfg:5: foreign_region_mib: the layout would end at 0x10000040049000, beyond the 52-bit guest "
     "physical address space (lower foreign_region_mib or memory)"},
    {XL, BASE_XL "memory = 4294966000\nfixed_mem_layout = 1\n", "foreign_region_mib=1536",
     "override 'foreign_region_mib=1536': foreign_region_mib: the layout would end at 0x10000020049000, "
     "beyond the 52-bit guest physical address space (lower foreign_region_mib or memory)"},
    {XL, "kernel = \"/k\"\nmemory = 256\n", NULL, "guest.cfg: missing required key 'name'"},
    {XL, BASE_XL, NULL, "guest.cfg: missing required key 'memory'"},
    {XL, "name = \"g\"\nmemory = 256\n", NULL, "guest.cfg: missing required key 'kernel'"},
    {XL, BASE_XL "name = \"\"\n", NULL, "guest.cfg:3: duplicate key 'name' (first set on line 1)"},
    {XL, "name = \"\"\n", NULL, "guest.cfg:1: name: must not be empty"},
    {XL, BASE_XL "memory = \n", NULL,
     "guest.cfg:3: syntax error at end of line (unexpected NEWLINE, expecting STRING or NUMBER or '[')"},
    {XL, BASE_XL "memory =\nvcpus = 1\n", NULL,
     "guest.cfg:3: syntax error at end of line (unexpected NEWLINE, expecting STRING or NUMBER or '[')"},
    {XL, BASE_XL "memory = ", NULL,
     "guest.cfg:3: syntax error at end of file (unexpected end of file, expecting STRING or NUMBER or '[')"},
    {XL, BASE_XL "memory = [1,\n2\n", NULL,
     "guest.cfg:4: syntax error at end of file (unexpected end of file, expecting ']')"},
    {XL, BASE_XL "memory = abc\n", NULL,
     "guest.cfg:3: syntax error near 'abc' (unexpected IDENT, expecting STRING or NUMBER or '[')"},
    {XL, BASE_XL "memory = 1 2\n", NULL,
     "guest.cfg:3: syntax error near '2' (unexpected NUMBER, expecting end of file)"},
    {XL, BASE_XL "Memory = 1\n", NULL, "guest.cfg:3: syntax error near 'Memory'"},
    {XL, BASE_XL "memory = 1\nmemory += \"2\"\n", NULL,
     "guest.cfg:4: memory: '+=' only applies to strings and lists"},
    {XL, "\"", NULL, "guest.cfg:1: syntax error near '\"'"},
    {XL, BASE_XL "memory = 256\nvcpus = 2\x04", NULL, "guest.cfg:4: syntax error near '?'"},
    {XL, BASE_XL "memory = 256\nextra = \"a\"\x19", NULL, "guest.cfg:4: syntax error near '?'"},
    {XL, BASE_XL "memory = 256\n", "memory=abc", "override 'memory=abc': memory: expected an integer (MiB)"},
    {XL, BASE_XL "memory = 256\n", "memory", "override 'memory': expected KEY=VALUE"},
    {XL, BASE_XL "memory = 256\n", "=5", "override '=5': expected KEY=VALUE"},
    {XL, BASE_XL "memory = 256\n", "foo=1", "override 'foo=1': unknown key 'foo'"},
    {XL, BASE_XL "memory = 256\n", "vcpus=0", "override 'vcpus=0': vcpus: must be between 1 and 128, got 0"},
    {XL, BASE_XL "memory = 256\n", "memmory=1",
     "override 'memmory=1': unknown key 'memmory' (did you mean 'memory'?)"},
    {XL, BASE_XL "memory = 256\n", "memory=-5",
     "override 'memory=-5': memory: must be between 1 and 4294967296 (MiB), got -5"},
    {XL, BASE_XL "memory = 256\n", "name=\"x", "override 'name=\"x': name: unterminated string"},
    {XL, BASE_XL "memory = 256\n", "name='x'y", "override 'name='x'y': name: text after the closing quote"},
    {XL, BASE_XL "memory = 256\n", "maxmem=512",
     "override 'maxmem=512': maxmem: must equal memory (256 MiB) for a PVH guest, got 512"},
    {XL, BASE_XL "memory = 256\n", "type=hvm",
     "override 'type=hvm': type: 'hvm' is not supported: a fixed layout needs a PVH guest"},
    /* The on_ keys: xl.cfg(5)'s words, minus what we do not do. */
    {XL, BASE_XL "memory = 256\non_poweroff = \"explode\"\n", NULL,
     "guest.cfg:4: on_poweroff: unknown action 'explode' (expected destroy, restart, rename-restart or preserve)"},
    {YAML, BASE_YAML "memory: 256\non_reboot: Restart\n", NULL,
     "guest.yaml:4: on_reboot: unknown action 'Restart' (expected destroy, restart, rename-restart or preserve)"},
    {XL, BASE_XL "memory = 256\non_soft_reset = \"reset\"\n", NULL,
     "guest.cfg:4: on_soft_reset: unknown action 'reset' (expected destroy, restart, rename-restart, soft-reset "
     "or preserve)"},
    {XL, BASE_XL "memory = 256\non_crash = \"coredump-destroy\"\n", NULL,
     "guest.cfg:4: on_crash: 'coredump-destroy' is not supported: fixed-layout-build writes no core dump "
     "(preserve the guest and use xl dump-core)"},
    {YAML, BASE_YAML "memory: 256\non_watchdog: coredump-restart\n", NULL,
     "guest.yaml:4: on_watchdog: 'coredump-restart' is not supported: fixed-layout-build writes no core dump "
     "(preserve the guest and use xl dump-core)"},
    {XL, BASE_XL "memory = 256\non_poweroff = \"soft-reset\"\n", NULL,
     "guest.cfg:4: on_poweroff: 'soft-reset' only applies to on_soft_reset"},
    {XL, BASE_XL "memory = 256\n", "on_crash=soft-reset", "override 'on_crash=soft-reset': on_crash: 'soft-reset' "
     "only applies to on_soft_reset"},
    {XL, BASE_XL "memory = 256\n", "on_reboot=reboot", "override 'on_reboot=reboot': on_reboot: unknown action "
     "'reboot' (expected destroy, restart, rename-restart or preserve)"},
    {XL, BASE_XL "memory = 256\non_crash = 3\n", NULL,
     "guest.cfg:4: on_crash: unknown action '3' (expected destroy, restart, rename-restart or preserve)"},
    {XL, BASE_XL "memory = 256\non_crash = [\"destroy\"]\n", NULL, "guest.cfg:4: on_crash: expected a string, got a list"},
    {YAML, BASE_YAML "memory: 256\non_crash: \"\"\n", NULL, "guest.yaml:4: on_crash: must not be empty"},
    {XL, BASE_XL "memory = 256\non_crash = \"destroy\"\non_crash = \"preserve\"\n", NULL,
     "guest.cfg:5: duplicate key 'on_crash' (first set on line 4)"},
    {YAML, "- a\n- b\n", NULL, "guest.yaml:1: the document must be a mapping of keys to values"},
    {YAML, "- name\n- kernel\n", NULL, "guest.yaml:1: the document must be a mapping of keys to values"},
    {YAML, "just words\n", NULL, "guest.yaml:1: the document must be a mapping of keys to values"},
    {YAML, BASE_YAML "memory: 256\nmemory: 512\n", NULL,
     "guest.yaml:4: duplicate key 'memory' (first set on line 3)"},
    {YAML, BASE_YAML "memory: \"abc\"\n", NULL,
     "guest.yaml:3: memory: expected an integer (MiB), got a string"},
    {YAML, BASE_YAML "memory: big\n", NULL, "guest.yaml:3: memory: expected an integer (MiB), got a string"},
    {YAML, BASE_YAML "memory: true\n", NULL,
     "guest.yaml:3: memory: expected an integer (MiB), got a boolean"},
    {YAML, BASE_YAML "memory: -5\n", NULL,
     "guest.yaml:3: memory: must be between 1 and 4294967296 (MiB), got -5"},
    {YAML, BASE_YAML "memory: -256\n", NULL,
     "guest.yaml:3: memory: must be between 1 and 4294967296 (MiB), got -256"},
    {YAML, BASE_YAML "memory: 1.5\n", NULL, "guest.yaml:3: memory: expected an integer (MiB), got a string"},
    {YAML, BASE_YAML "memory: [1]\n", NULL, "guest.yaml:3: memory: expected an integer (MiB), got a list"},
    {YAML, BASE_YAML "memory: 256\nfixed_mem_layout: yes\n", NULL,
     "guest.yaml:4: fixed_mem_layout: expected 0 or 1, got a string"},
    {YAML, BASE_YAML "memory: 256\nfixed_mem_layout: maybe\n", NULL,
     "guest.yaml:4: fixed_mem_layout: expected 0 or 1, got a string"},
    {YAML, BASE_YAML "memory: 256\nname: [x]\n", NULL,
     "guest.yaml:4: duplicate key 'name' (first set on line 1)"},
    {YAML, BASE_YAML "memory: 256\nramdisk: [x]\n", NULL,
     "guest.yaml:4: ramdisk: expected a string, got a list"},
    {YAML, BASE_YAML "memory: 256\n  vcpus: 2\n", NULL,
     "guest.yaml:3: memory: expected an integer (MiB), got a string"},
    {YAML, BASE_YAML "memory: [256\n", NULL, "guest.yaml:4: syntax error: did not find expected ',' or ']'"},
    {YAML, BASE_YAML "memory: 256\nvcpus: [2\n", NULL,
     "guest.yaml:5: syntax error: did not find expected ',' or ']'"},
    {YAML, BASE_YAML "memory: 256\nvcpus: 2: 1\n", NULL,
     "guest.yaml:4: syntax error: mapping values are not allowed in this context"},
    {YAML, BASE_YAML "memory: 256\n---\nvcpus: 2\n", NULL, "guest.yaml:4: only one document is allowed"},
    {YAML, BASE_YAML "? [a]\n: 1\n", NULL, "guest.yaml:3: keys must be plain words such as 'memory'"},
};

static void test_errors(void)
{
    for (size_t i = 0; i < sizeof(errors) / sizeof(errors[0]); i++) {
        const struct error_case *c = &errors[i];
        const char *ov[] = {c->override, NULL};
        struct flb_config cfg;
        const char *got = run(&cfg, c->fmt, c->text, ov);
        CHECK(!strcmp(got, c->want), "case %zu\n  want: %s\n  got:  %s", i, c->want, got);
        flb_config_free(&cfg);
    }
}

/* The plan's grant values and whether each was assumed rather than set. */
static void plan_defaults(const struct flb_config *cfg, uint32_t frames, uint32_t version, bool assumed)
{
    struct flb_host host;
    struct flb_plan plan;
    struct flb_error err = { { 0 } };

    flb_host_assumed(&host);
    CHECK(flb_plan_make(cfg, &host, &plan, &err) == FLB_OK, "plan: %s", err.msg);
    CHECK(plan.domain.max_grant_frames == frames, "grant frames %u", plan.domain.max_grant_frames);
    CHECK(plan.domain.max_grant_version == version, "grant version %u", plan.domain.max_grant_version);
    CHECK(plan.assumed_max_grant_frames == assumed, "grant frames assumed: %d", plan.assumed_max_grant_frames);
    CHECK(plan.assumed_max_grant_version == assumed, "grant version assumed: %d", plan.assumed_max_grant_version);
}

static void test_defaults(void)
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

/* Without ACPI a guest learns of one CPU: said once, naming where acpi was set; silent for one vCPU. */
static void test_acpi_off_warning(void)
{
    struct flb_config cfg;
    const char *ov[] = { "acpi=0", NULL };

    CHECK_STR(run(&cfg, XL, BASE_XL "memory = 256\nvcpus = 4\nacpi = 0\n", NULL), "");
    CHECK(cfg.nr_warnings == 1, "%d warnings", cfg.nr_warnings);
    CHECK_STR(warning(&cfg, 0), "guest.cfg:5: acpi = 0: the guest sees one CPU of its 4 unless it starts the "
                                "others itself (VCPUOP_up)");
    flb_config_free(&cfg);
    CHECK_STR(run(&cfg, XL, BASE_XL "memory = 256\nvcpus = 2\n", ov), "");
    CHECK_STR(warning(&cfg, 0), "override 'acpi=0': acpi = 0: the guest sees one CPU of its 2 unless it starts "
                                "the others itself (VCPUOP_up)");
    flb_config_free(&cfg);
    CHECK_STR(run(&cfg, XL, BASE_XL "memory = 256\nacpi = 0\n", NULL), "");
    CHECK(cfg.nr_warnings == 0, "%s", warning(&cfg, 0));
    flb_config_free(&cfg);
}

static void test_cmdline(void)
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

/* n copies of c in buf, which holds n + 1 bytes. */
static const char *repeat(char *buf, char c, size_t n)
{
    memset(buf, c, n);
    buf[n] = '\0';
    return buf;
}

/* The kernel command line holds at most 1023 bytes and its NUL, however it is put together. */
static void test_cmdline_length(void)
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

static void test_warnings(void)
{
    struct flb_config cfg;
    const char *got =
        run(&cfg, XL,
            BASE_XL "memmory = 256\nmemory = 256\nvif = [ 'bridge=xenbr0' ]\npool = \"Pool-0\"\n"
                    "frobnicate = 1\n",
            NULL);

    CHECK_STR(got, "");
    CHECK(cfg.nr_warnings == 4, "%d", cfg.nr_warnings);
    CHECK_STR(warning(&cfg, 0), "guest.cfg:3: unknown key 'memmory' ignored (did you mean 'memory'?)");
    CHECK_STR(warning(&cfg, 1), "guest.cfg:5: xl key 'vif' ignored (fixed-layout-build does not use it)");
    CHECK_STR(warning(&cfg, 2),
              "guest.cfg:6: xl key 'pool' ignored (fixed-layout-build does not use it)");
    CHECK_STR(warning(&cfg, 3), "guest.cfg:7: unknown key 'frobnicate' ignored");
    flb_config_free(&cfg);

    got = run(&cfg, YAML, BASE_YAML "memory: 256\ndisk:\n  - a\n  - b\nvkb: {a: 1}\n", NULL);
    CHECK_STR(got, "");
    CHECK(cfg.nr_warnings == 2, "%d", cfg.nr_warnings);
    CHECK_STR(warning(&cfg, 0), "guest.yaml:4: xl key 'disk' ignored (fixed-layout-build does not use it)");
    CHECK_STR(warning(&cfg, 1), "guest.yaml:7: xl key 'vkb' ignored (fixed-layout-build does not use it)");
    flb_config_free(&cfg);
}

static void test_many_warnings(void)
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

static void test_set_direct(void)
{
    struct flb_config cfg;
    struct flb_error err = {{0}};
    struct flb_value mem = {FLB_VALUE_INT, "512", 512};
    struct flb_value word = {FLB_VALUE_STRING, "guest", 0};
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
    CHECK(flb_config_set(&cfg, "fixed_mem_layout", &(struct flb_value){FLB_VALUE_BOOL, "true", 1}, at, false,
                         &err) == FLB_OK,
          "%s", err.msg);
    CHECK(flb_config_finish(&cfg, &err) == FLB_OK, "%s", err.msg);
    CHECK(cfg.fixed_mem_layout == 1, "bool");
    CHECK_STR(flb_key_name(FLB_KEY_FOREIGN_REGION_MIB), "foreign_region_mib");
    flb_config_free(&cfg);
}

static void test_override_replaces(void)
{
    struct flb_config cfg;
    const char *ov[] = {"memory=512",         "memory=1024", "name=other",  "cmdline='console=hvc0 quiet'",
                        "fixed_mem_layout=1", "vif=['x']",   " vcpus = 2 ", NULL};
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
              "override 'vif=['x']': xl key 'vif' ignored (fixed-layout-build does not use it)");
    flb_config_free(&cfg);
}

/* Inputs libxlutil handles badly: a NUL inside a string (it asserts), CR line endings, control characters. */
static void test_raw_bytes(void)
{
    static const char nul[] = "name = \"g\"\nkernel = \"/k\0\"\n";
    static const char crlf[] = "name = \"g\"\r\nmemory = 1\r\n";
    struct flb_config cfg;
    struct flb_error err = {{0}};

    flb_config_init(&cfg, "guest.cfg");
    CHECK(flb_config_load_xl_data(&cfg, nul, sizeof(nul) - 1, &err) == FLB_E_INPUT, "nul");
    CHECK_STR(err.msg, "guest.cfg:2: NUL byte in a text file");
    flb_config_free(&cfg);

    memset(&err, 0, sizeof(err));
    flb_config_init(&cfg, "guest.cfg");
    CHECK(flb_config_load_xl_data(&cfg, crlf, sizeof(crlf) - 1, &err) == FLB_E_INPUT, "crlf");
    CHECK_STR(err.msg, "guest.cfg:1: carriage return: xl syntax needs Unix line endings (try dos2unix)");
    flb_config_free(&cfg);

    const char *got = run(&cfg, YAML, BASE_YAML "memory: 64\ntype: \"a\\nb\"\n", NULL);
    CHECK_STR(got, "guest.yaml:4: type: unknown guest type 'a?b' (expected \"pvh\")");
    flb_config_free(&cfg);
    got = run(&cfg, YAML, BASE_YAML "memory: 64\n\"bad\\tkey\": 1\n", NULL);
    CHECK_STR(got, "");
    CHECK(cfg.nr_warnings == 1, "%d", cfg.nr_warnings);
    CHECK_STR(warning(&cfg, 0), "guest.yaml:4: unknown key 'bad?key' ignored");
    flb_config_free(&cfg);
}

/*
 * flb_config_load_file run by nobody when we are root, since root reads any file; the message comes back
 * through a pipe. Returns the load's status.
 */
static int load_unprivileged(const char *path, struct flb_error *err)
{
    struct {
        int rc;
        struct flb_error err;
    } result = {FLB_OK, {{0}}};
    int fds[2], status;
    pid_t pid;

    if (pipe(fds)) {
        perror("pipe");
        exit(2);
    }
    pid = fork();
    if (pid < 0) {
        perror("fork");
        exit(2);
    }
    if (pid == 0) {
        struct flb_config cfg;

        close(fds[0]);
        if (geteuid() == 0 && (setgroups(0, NULL) || setgid(65534) || setuid(65534)))
            _exit(3);
        flb_config_init(&cfg, path);
        result.rc = flb_config_load_file(&cfg, path, FLB_FORMAT_AUTO, &result.err);
        flb_config_free(&cfg);
        /* Smaller than PIPE_BUF: one write, read whole by one read. */
        _exit(write(fds[1], &result, sizeof(result)) == sizeof(result) ? 0 : 4);
    }
    close(fds[1]);
    CHECK(waitpid(pid, &status, 0) == pid);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
          "child status 0x%x (exit 3: could not become nobody)", status);
    CHECK(read(fds[0], &result, sizeof(result)) == sizeof(result));
    close(fds[0]);
    *err = result.err;
    return result.rc;
}

/* Reading the file: its own errors, and the format chosen by the extension unless forced. */
static void test_files(void)
{
    static char big[1024 * 1024 + 1];
    struct flb_config cfg;
    struct flb_error err = {{0}};

    /* Relative names, as a user gives them: the messages name the file as given. */
    CHECK(chdir(scratch_dir()) == 0);
    /* Search only, so that nobody reaches secret.cfg and meets its own mode. */
    CHECK(chmod(".", 0711) == 0);

    flb_config_init(&cfg, "missing.cfg");
    CHECK(flb_config_load_file(&cfg, "missing.cfg", FLB_FORMAT_AUTO, &err) == FLB_E_INPUT);
    CHECK_STR(err.msg, "missing.cfg: no such file");
    flb_config_free(&cfg);

    CHECK(mkdir("dir.cfg", 0755) == 0);
    memset(&err, 0, sizeof(err));
    flb_config_init(&cfg, "dir.cfg");
    CHECK(flb_config_load_file(&cfg, "dir.cfg", FLB_FORMAT_AUTO, &err) == FLB_E_INPUT);
    CHECK_STR(err.msg, "dir.cfg: is a directory, not a config file");
    flb_config_free(&cfg);

    write_file("plain", "", 0);
    memset(&err, 0, sizeof(err));
    flb_config_init(&cfg, "plain/guest.cfg");
    CHECK(flb_config_load_file(&cfg, "plain/guest.cfg", FLB_FORMAT_AUTO, &err) == FLB_E_INPUT);
    CHECK_STR(err.msg, "plain/guest.cfg: cannot read: not a directory");
    flb_config_free(&cfg);

    write_file("secret.cfg", BASE_XL "memory = 256\n", strlen(BASE_XL "memory = 256\n"));
    CHECK(chmod("secret.cfg", 0) == 0);
    memset(&err, 0, sizeof(err));
    CHECK(load_unprivileged("secret.cfg", &err) == FLB_E_INPUT);
    CHECK_STR(err.msg, "secret.cfg: cannot read: permission denied");

    /* One byte over the 1 MiB limit. */
    memset(big, '#', sizeof(big));
    write_file("big.cfg", big, sizeof(big));
    memset(&err, 0, sizeof(err));
    flb_config_init(&cfg, "big.cfg");
    CHECK(flb_config_load_file(&cfg, "big.cfg", FLB_FORMAT_AUTO, &err) == FLB_E_INPUT);
    CHECK_STR(err.msg, "big.cfg: too large for a config file (more than 1024 KiB)");
    flb_config_free(&cfg);

    memset(&err, 0, sizeof(err));
    flb_config_init(&cfg, NULL);
    CHECK(flb_config_load_file(&cfg, NULL, FLB_FORMAT_AUTO, &err) == FLB_E_INPUT);
    CHECK_STR(err.msg, "no config file given");
    flb_config_free(&cfg);

    /* Only .yaml and .yml are YAML by name: YAML text in a .txt file is read as xl. */
    write_file("guest.txt", BASE_YAML "memory: 256\n", strlen(BASE_YAML "memory: 256\n"));
    memset(&err, 0, sizeof(err));
    flb_config_init(&cfg, "guest.txt");
    CHECK(flb_config_load_file(&cfg, "guest.txt", FLB_FORMAT_AUTO, &err) == FLB_E_INPUT);
    CHECK_STR(err.msg, "guest.txt:1: syntax error near ':'");
    flb_config_free(&cfg);

    /* A forced format wins over the name. */
    write_file("yaml.cfg", BASE_YAML "memory: 256\n", strlen(BASE_YAML "memory: 256\n"));
    memset(&err, 0, sizeof(err));
    flb_config_init(&cfg, "yaml.cfg");
    CHECK(flb_config_load_file(&cfg, "yaml.cfg", FLB_FORMAT_YAML, &err) == FLB_OK, "%s", err.msg);
    CHECK(flb_config_finish(&cfg, &err) == FLB_OK, "%s", err.msg);
    CHECK_STR(cfg.name, "g");
    CHECK_STR(cfg.kernel, "/k");
    CHECK(cfg.memory_mib == 256, "%llu", (unsigned long long)cfg.memory_mib);
    flb_config_free(&cfg);
}

/* The on_ keys: xl.cfg(5)'s defaults, each key in each syntax, and what each shutdown reason gets. */
static void test_lifecycle(void)
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
    CHECK(!memcmp(&plan.lifecycle, &defaults, sizeof(defaults)), "defaults %d %d %d %d %d", plan.lifecycle.on_poweroff,
          plan.lifecycle.on_reboot, plan.lifecycle.on_watchdog, plan.lifecycle.on_crash, plan.lifecycle.on_soft_reset);
    flb_config_free(&cfg);

    CHECK_STR(run(&cfg, XL, BASE_XL "memory = 256\non_poweroff = \"preserve\"\non_reboot = \"destroy\"\n"
                            "on_crash = \"restart\"\non_soft_reset = \"destroy\"\n", ov), "");
    CHECK(flb_plan_make(&cfg, &host, &plan, &err) == FLB_OK, "%s", err.msg);
    lc = plan.lifecycle;
    CHECK(lc.on_poweroff == FLB_ACTION_RESTART && lc.on_reboot == FLB_ACTION_DESTROY &&
              lc.on_watchdog == FLB_ACTION_RENAME_RESTART && lc.on_crash == FLB_ACTION_RESTART &&
              lc.on_soft_reset == FLB_ACTION_DESTROY,
          "xl and overrides: %d %d %d %d %d", lc.on_poweroff, lc.on_reboot, lc.on_watchdog, lc.on_crash,
          lc.on_soft_reset);
    CHECK(cfg.nr_warnings == 0, "%s", warning(&cfg, 0));
    flb_config_free(&cfg);

    CHECK_STR(run(&cfg, YAML, BASE_YAML "memory: 256\non_crash: preserve\non_soft_reset: soft-reset\n", NULL), "");
    CHECK(flb_plan_make(&cfg, &host, &plan, &err) == FLB_OK, "%s", err.msg);
    CHECK(plan.lifecycle.on_crash == FLB_ACTION_PRESERVE, "YAML on_crash %d", plan.lifecycle.on_crash);
    /* We carry a soft reset out as a restart (fixed-layout-build.cfg(5)). */
    CHECK(plan.lifecycle.on_soft_reset == FLB_ACTION_RESTART, "YAML on_soft_reset %d", plan.lifecycle.on_soft_reset);
    flb_config_free(&cfg);

    /* Each reason reads its own key; a suspended guest is left alone and an unknown reason destroyed, as xl does. */
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

int main(void)
{
    test_acpi_off_warning();
    test_raw_bytes();
    test_errors();
    test_defaults();
    test_cmdline();
    test_cmdline_length();
    test_warnings();
    test_set_direct();
    test_many_warnings();
    test_override_replaces();
    test_lifecycle();
    test_files();
    return check_summary();
}
