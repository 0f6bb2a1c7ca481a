/* Unit tests of the config layer: flb_config_set and finish, both front ends and overrides, exact messages.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "core/config.h"
#include "core/plan.h"
#include "frontend/config_file.h"

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

struct error_case {
    enum fmt fmt;
    const char *text;
    const char *override;
    const char *want;
};

static const struct error_case errors[] = {
    {XL, BASE_XL "memory = \"abc\"\n", NULL, "guest.cfg:3: memory: expected an integer (MiB), got a string"},
    {XL, BASE_XL "memory = [1]\n", NULL, "guest.cfg:3: memory: expected an integer (MiB), got a list"},
    {XL, BASE_XL "memory = 1e5\n", NULL, "guest.cfg:3: memory: expected an integer (MiB), got '1e5'"},
    {XL, BASE_XL "memory = 0256\n", NULL,
     "guest.cfg:3: memory: '0256' has a leading zero, which xl reads as octal; write it without"},
    {YAML, BASE_YAML "memory: 0256\n", NULL,
     "guest.yaml:3: memory: '0256' has a leading zero, which xl reads as octal; write it without"},
    {XL, BASE_XL "memory = 0\n", NULL, "guest.cfg:3: memory: must be between 1 and 4294967296 (MiB), got 0"},
    {XL, BASE_XL "memory = 99999999999999999999\n", NULL,
     "guest.cfg:3: memory: must be between 1 and 4294967296 (MiB), got 99999999999999999999"},
    {XL, BASE_XL "memory = 256\n\n\nmemory = 512\n", NULL,
     "guest.cfg:6: duplicate key 'memory' (first set on line 3)"},
    {XL, BASE_XL "memory = 256; vcpus = 0\n", NULL, "guest.cfg:3: vcpus: must be between 1 and 128, got 0"},
    {XL, BASE_XL "memory = 256\nvcpus = 129\n", NULL,
     "guest.cfg:4: vcpus: must be between 1 and 128, got 129"},
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
    {XL, BASE_XL "memory = 256\nfixed_mem_layout = 2\n", NULL,
     "guest.cfg:4: fixed_mem_layout: expected 0 or 1, got 2"},
    {XL, BASE_XL "memory = 256\nmax_grant_frames = 0\n", NULL,
     "guest.cfg:4: max_grant_frames: must be between 1 and 2147483647 (frames), got 0"},
    {XL, BASE_XL "memory = 4294967296\nfixed_mem_layout = 1\n", NULL,
     "guest.cfg:3: memory: the layout would end at 0x10000060049000, beyond the 52-bit guest physical "
     "address "
     "space (lower memory, max_grant_frames or foreign_region_mib)"},
    {XL, BASE_XL "memory = 4294967296\n", NULL,
     "guest.cfg:3: memory: the layout would end at 0x10000004000000, beyond the 52-bit guest physical "
     "address "
     "space (lower memory)"},
    {XL, "kernel = \"/k\"\nmemory = 256\n", NULL, "guest.cfg: missing required key 'name'"},
    {XL, BASE_XL, NULL, "guest.cfg: missing required key 'memory'"},
    {XL, "name = \"g\"\nmemory = 256\n", NULL, "guest.cfg: missing required key 'kernel'"},
    {XL, BASE_XL "name = \"\"\n", NULL, "guest.cfg:3: duplicate key 'name' (first set on line 1)"},
    {XL, "name = \"\"\n", NULL, "guest.cfg:1: name: must not be empty"},
    {XL, BASE_XL "memory = \n", NULL,
     "guest.cfg:3: syntax error at end of line (unexpected NEWLINE, expecting STRING or NUMBER or '[')"},
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
    {YAML, "- a\n- b\n", NULL, "guest.yaml:1: the document must be a mapping of keys to values"},
    {YAML, "just words\n", NULL, "guest.yaml:1: the document must be a mapping of keys to values"},
    {YAML, BASE_YAML "memory: 256\nmemory: 512\n", NULL,
     "guest.yaml:4: duplicate key 'memory' (first set on line 3)"},
    {YAML, BASE_YAML "memory: \"abc\"\n", NULL,
     "guest.yaml:3: memory: expected an integer (MiB), got a string"},
    {YAML, BASE_YAML "memory: true\n", NULL,
     "guest.yaml:3: memory: expected an integer (MiB), got a boolean"},
    {YAML, BASE_YAML "memory: -5\n", NULL,
     "guest.yaml:3: memory: must be between 1 and 4294967296 (MiB), got -5"},
    {YAML, BASE_YAML "memory: 1.5\n", NULL, "guest.yaml:3: memory: expected an integer (MiB), got a string"},
    {YAML, BASE_YAML "memory: [1]\n", NULL, "guest.yaml:3: memory: expected an integer (MiB), got a list"},
    {YAML, BASE_YAML "memory: 256\nfixed_mem_layout: yes\n", NULL,
     "guest.yaml:4: fixed_mem_layout: expected 0 or 1, got a string"},
    {YAML, BASE_YAML "memory: 256\nname: [x]\n", NULL,
     "guest.yaml:4: duplicate key 'name' (first set on line 1)"},
    {YAML, BASE_YAML "memory: 256\nramdisk: [x]\n", NULL,
     "guest.yaml:4: ramdisk: expected a string, got a list"},
    {YAML, BASE_YAML "memory: 256\n  vcpus: 2\n", NULL,
     "guest.yaml:3: memory: expected an integer (MiB), got a string"},
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

    CHECK(!strcmp(got, ""), "%s", got);
    CHECK(!strcmp(cfg.type, "pvh"), "%s", cfg.type);
    CHECK(cfg.maxmem_mib == 256, "%llu", (unsigned long long)cfg.maxmem_mib);
    CHECK(cfg.vcpus == 1 && cfg.maxvcpus == 1, "vcpus");
    /* Xen decides these two: the config leaves them unset, and the plan takes the host's. */
    CHECK(cfg.max_grant_frames == FLB_UNSET, "grant frames %llu", (unsigned long long)cfg.max_grant_frames);
    CHECK(cfg.max_grant_version == FLB_UNSET, "grant version %llu", (unsigned long long)cfg.max_grant_version);
    plan_defaults(&cfg, 64, 2, true);
    CHECK(cfg.max_maptrack_frames == 1024, "maptrack");
    CHECK(cfg.mmio_hole_mib == FLB_UNSET, "mmio_hole stays unset: the layout uses its default hole");
    CHECK(cfg.fixed_mem_layout == 0 && cfg.foreign_region_mib == 512, "fixed");
    CHECK(cfg.final_cmdline == NULL && cfg.nr_warnings == 0, "cmdline/warnings");
    flb_config_free(&cfg);

    got = run(&cfg, XL, BASE_XL "memory = 256\nvcpus = 4\nmax_grant_frames = 32\nmax_grant_version = 1\n",
              NULL);
    CHECK(!strcmp(got, ""), "%s", got);
    CHECK(cfg.maxvcpus == 4, "maxvcpus %llu", (unsigned long long)cfg.maxvcpus);
    plan_defaults(&cfg, 32, 1, false);
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
        snprintf(text, sizeof(text), BASE_XL "memory = 64\n%s", cases[i].keys);
        const char *got = run(&cfg, XL, text, NULL);
        CHECK(!strcmp(got, ""), "case %zu: %s", i, got);
        CHECK(cfg.final_cmdline && !strcmp(cfg.final_cmdline, cases[i].want), "case %zu: %s", i,
               cfg.final_cmdline ? cfg.final_cmdline : "(null)");
        if (cases[i].warning)
            CHECK(cfg.nr_warnings == 1 && !strcmp(cfg.warnings[0], cases[i].warning), "case %zu: %s", i,
                   cfg.nr_warnings ? cfg.warnings[0] : "(none)");
        else
            CHECK(cfg.nr_warnings == 0, "case %zu", i);
        flb_config_free(&cfg);
    }
}

static void test_warnings(void)
{
    struct flb_config cfg;
    const char *got =
        run(&cfg, XL,
            BASE_XL "memmory = 256\nmemory = 256\nvif = [ 'bridge=xenbr0' ]\non_crash = \"destroy\"\n"
                    "frobnicate = 1\n",
            NULL);

    CHECK(!strcmp(got, ""), "%s", got);
    CHECK(cfg.nr_warnings == 4, "%d", cfg.nr_warnings);
    if (cfg.nr_warnings == 4) {
        CHECK(
            !strcmp(cfg.warnings[0], "guest.cfg:3: unknown key 'memmory' ignored (did you mean 'memory'?)"),
            "%s", cfg.warnings[0]);
        CHECK(!strcmp(cfg.warnings[1],
                       "guest.cfg:5: xl key 'vif' ignored (fixed-layout-build does not use it)"),
               "%s", cfg.warnings[1]);
        CHECK(!strcmp(cfg.warnings[2],
                       "guest.cfg:6: xl key 'on_crash' ignored (fixed-layout-build does not use it)"),
               "%s", cfg.warnings[2]);
        CHECK(!strcmp(cfg.warnings[3], "guest.cfg:7: unknown key 'frobnicate' ignored"), "%s",
               cfg.warnings[3]);
    }
    flb_config_free(&cfg);

    got = run(&cfg, YAML, BASE_YAML "memory: 256\ndisk:\n  - a\n  - b\nvkb: {a: 1}\n", NULL);
    CHECK(!strcmp(got, ""), "%s", got);
    CHECK(cfg.nr_warnings == 2 &&
               !strcmp(cfg.warnings[1], "guest.yaml:7: xl key 'vkb' ignored (fixed-layout-build "
                                        "does not use it)"),
           "%d", cfg.nr_warnings);
    flb_config_free(&cfg);
}

static void test_many_warnings(void)
{
    char text[2048] = BASE_XL "memory = 64\n";
    struct flb_config cfg;

    for (int i = 0; i < 40; i++)
        snprintf(text + strlen(text), sizeof(text) - strlen(text), "zz%d = 1\n", i);
    const char *got = run(&cfg, XL, text, NULL);
    CHECK(!strcmp(got, ""), "%s", got);
    CHECK(cfg.nr_warnings == FLB_MAX_WARNINGS, "%d", cfg.nr_warnings);
    CHECK(!strcmp(cfg.warnings[FLB_MAX_WARNINGS - 1], "too many warnings; the rest are not shown"), "%s",
           cfg.warnings[FLB_MAX_WARNINGS - 1]);
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
    CHECK(cfg.memory_mib == 512 && cfg.is_set[FLB_KEY_MEMORY] && cfg.origin[FLB_KEY_MEMORY].line == 2,
           "stored");
    CHECK(flb_config_set(&cfg, "memory", &mem, at, true, &err) == FLB_OK, "replace");
    at.line = 9;
    CHECK(flb_config_set(&cfg, "memory", &mem, at, false, &err) == FLB_E_INPUT, "duplicate");
    CHECK(!strcmp(err.msg, "g.cfg:9: duplicate key 'memory' (first set on line 2)"), "%s", err.msg);
    memset(&err, 0, sizeof(err));
    CHECK(flb_config_set(&cfg, "name", &word, at, false, &err) == FLB_OK, "%s", err.msg);
    CHECK(flb_config_set(&cfg, "kernel", &word, at, false, &err) == FLB_OK, "%s", err.msg);
    CHECK(flb_config_set(&cfg, "fixed_mem_layout", &(struct flb_value){FLB_VALUE_BOOL, "true", 1}, at, false,
                          &err) == FLB_OK,
           "%s", err.msg);
    CHECK(flb_config_finish(&cfg, &err) == FLB_OK, "%s", err.msg);
    CHECK(cfg.fixed_mem_layout == 1, "bool");
    CHECK(!strcmp(flb_key_name(FLB_KEY_FOREIGN_REGION_MIB), "foreign_region_mib"), "key name");
    flb_config_free(&cfg);
}

static void test_override_replaces(void)
{
    struct flb_config cfg;
    const char *ov[] = {"memory=512",         "memory=1024", "name=other",  "cmdline='console=hvc0 quiet'",
                        "fixed_mem_layout=1", "vif=['x']",   " vcpus = 2 ", NULL};
    const char *got = run(&cfg, XL, BASE_XL "memory = 256\n", ov);

    CHECK(!strcmp(got, ""), "%s", got);
    CHECK(cfg.memory_mib == 1024 && !strcmp(cfg.name, "other"), "last wins");
    CHECK(cfg.vcpus == 2 && cfg.override[FLB_KEY_VCPUS] &&
               !strcmp(cfg.override[FLB_KEY_VCPUS], " vcpus = 2 "),
           "spaces around an override");
    CHECK(!strcmp(cfg.final_cmdline, "console=hvc0 quiet") && cfg.fixed_mem_layout == 1, "values");
    CHECK(cfg.nr_warnings == 1 && !strcmp(cfg.warnings[0], "override 'vif=['x']': xl key 'vif' ignored "
                                                            "(fixed-layout-build does not use it)"),
           "%s", cfg.nr_warnings ? cfg.warnings[0] : "");
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
    CHECK(!strcmp(err.msg, "guest.cfg:2: NUL byte in a text file"), "%s", err.msg);
    flb_config_free(&cfg);

    memset(&err, 0, sizeof(err));
    flb_config_init(&cfg, "guest.cfg");
    CHECK(flb_config_load_xl_data(&cfg, crlf, sizeof(crlf) - 1, &err) == FLB_E_INPUT, "crlf");
    CHECK(!strcmp(err.msg, "guest.cfg:1: carriage return: xl syntax needs Unix line endings (try dos2unix)"),
           "%s", err.msg);
    flb_config_free(&cfg);

    const char *got = run(&cfg, YAML, BASE_YAML "memory: 64\ntype: \"a\\nb\"\n", NULL);
    CHECK(!strcmp(got, "guest.yaml:4: type: unknown guest type 'a?b' (expected \"pvh\")"), "%s", got);
    flb_config_free(&cfg);
    got = run(&cfg, YAML, BASE_YAML "memory: 64\n\"bad\\tkey\": 1\n", NULL);
    CHECK(!strcmp(got, "") && cfg.nr_warnings == 1 &&
               !strcmp(cfg.warnings[0], "guest.yaml:4: unknown key "
                                        "'bad?key' ignored"),
           "%s", cfg.nr_warnings ? cfg.warnings[0] : got);
    flb_config_free(&cfg);
}

int main(void)
{
    test_raw_bytes();
    test_errors();
    test_defaults();
    test_cmdline();
    test_warnings();
    test_set_direct();
    test_many_warnings();
    test_override_replaces();
    return check_summary();
}
