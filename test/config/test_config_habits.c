/* xl habits: booleans as any number, the type in any case, KEY+=VALUE overrides, and --strict. */
#include <stdio.h>
#include <string.h>

#include "test_config.h"
#include "test_util.h"

/* xl reads a boolean as a number: 0 is false, any other true; a negative number is out of range. */
static void test_booleans(void)
{
    static const struct error_case refused[] = {
        {XL, BASE_XL "memory = 256\nacpi = -1\n", NULL,
         "guest.cfg:4: acpi: expected 0 (false) or 1 (true), got -1"},
        {XL, BASE_XL "memory = 256\n", "fixed_mem_layout=-2",
         "override 'fixed_mem_layout=-2': fixed_mem_layout: expected 0 (false) or 1 (true), got -2"},
        {YAML, BASE_YAML "memory: 256\nacpi: -1\n", NULL,
         "guest.yaml:4: acpi: expected 0 (false) or 1 (true), got -1"},
        {XL, BASE_XL "memory = 256\nacpi = 99999999999999999999\n", NULL,
         "guest.cfg:4: acpi: expected 0 (false) or 1 (true), got 99999999999999999999"},
    };
    struct flb_config cfg;
    const char *ov[] = {"acpi=7", NULL};

    check_cases(__func__, refused, sizeof(refused) / sizeof(refused[0]));
    CHECK_STR(run(&cfg, XL, BASE_XL "memory = 256\nacpi = 2\nfixed_mem_layout = 0x10\n", NULL), "");
    CHECK(cfg.acpi == 1 && cfg.fixed_mem_layout == 1, "acpi %d, fixed_mem_layout %d", cfg.acpi,
          cfg.fixed_mem_layout);
    flb_config_free(&cfg);
    CHECK_STR(run(&cfg, YAML, BASE_YAML "memory: 256\nacpi: 0\nfixed_mem_layout: 5\n", ov), "");
    CHECK(cfg.acpi == 1 && cfg.fixed_mem_layout == 1, "acpi %d, fixed_mem_layout %d", cfg.acpi,
          cfg.fixed_mem_layout);
    flb_config_free(&cfg);
}

/* The type in any case, kept as "pvh"; the others refused as written. */
static void test_type_case(void)
{
    static const struct error_case refused[] = {
        {XL, BASE_XL "memory = 256\ntype = \"HVM\"\n", NULL,
         "guest.cfg:4: type: 'HVM' is not supported: a fixed layout needs a PVH guest"},
        {XL, BASE_XL "memory = 256\n", "type=Pv",
         "override 'type=Pv': type: 'Pv' is not supported: a fixed layout "
         "needs a PVH guest"},
    };
    const char *spellings[] = {"type = \"PVH\"\n", "type = 'Pvh'\n"};
    const char *ov[] = {"type=PvH", NULL};
    struct flb_config cfg;

    check_cases(__func__, refused, sizeof(refused) / sizeof(refused[0]));
    for (size_t i = 0; i < sizeof(spellings) / sizeof(spellings[0]); i++) {
        char text[128];
        snprintf(text, sizeof(text), BASE_XL "memory = 256\n%s", spellings[i]);
        CHECK_STR(run(&cfg, XL, text, NULL), "");
        CHECK_STR(cfg.type, "pvh");
        flb_config_free(&cfg);
    }
    CHECK_STR(run(&cfg, YAML, BASE_YAML "memory: 256\ntype: PVH\n", ov), "");
    CHECK_STR(cfg.type, "pvh");
    flb_config_free(&cfg);
}

/* KEY+=VALUE appends to a string, as in a file and as xl does with its own overrides. */
static void test_append_overrides(void)
{
    static const struct error_case refused[] = {
        {XL, BASE_XL "memory = 256\n", "memory+=5",
         "override 'memory+=5': memory: '+=' only applies to strings and lists"},
        {XL, BASE_XL "memory = 256\n", "memmory+=5",
         "override 'memmory+=5': unknown key 'memmory' (did you mean 'memory'?)"},
        {XL, BASE_XL "memory = 256\n", "+=5", "override '+=5': expected KEY=VALUE"},
    };
    const char *ov[] = {"extra+=\" quiet\"", "extra += loglevel=3", "root+='/dev/xvda'", "serial+=['x']",
                        NULL};
    struct flb_config cfg;

    check_cases(__func__, refused, sizeof(refused) / sizeof(refused[0]));
    CHECK_STR(run(&cfg, XL, BASE_XL "memory = 256\nextra = \"console=hvc0\"\n", ov), "");
    CHECK_STR(cfg.extra, "console=hvc0 quietloglevel=3");
    /* A key not set before is set. */
    CHECK_STR(cfg.root, "/dev/xvda");
    CHECK_STR(cfg.final_cmdline, "root=/dev/xvda console=hvc0 quietloglevel=3");
    CHECK(cfg.nr_warnings == 1, "%d warnings", cfg.nr_warnings);
    CHECK_STR(warning(&cfg, 0),
              "override 'serial+=['x']': serial: not for PVH: an emulated serial port, which xl sets up only "
              "for HVM guests; the PV console is always there; ignored, as xl ignores it");
    flb_config_free(&cfg);
}

/* --strict: every warning about a key that has no effect is an error; other warnings stay warnings. */
static void test_strict(void)
{
    static const struct error_case refused[] = {
        {XL, BASE_XL "memory = 256\nserial = ['pty']\n", NULL,
         "guest.cfg:4: serial: not for PVH: an emulated serial port, which xl sets up only for HVM guests; "
         "the PV console is always there; ignored, as xl ignores it; --strict refuses it"},
        {XL, BASE_XL "memory = 256\nmemmory = 256\n", NULL,
         "guest.cfg:4: unknown key 'memmory' ignored (did you mean 'memory'?); --strict refuses it"},
        {YAML, BASE_YAML "memory: 256\nfrobnicate: 1\n", NULL,
         "guest.yaml:4: unknown key 'frobnicate' ignored; --strict refuses it"},
        {XL, BASE_XL "memory = 256\n", "vnc=1",
         "override 'vnc=1': vnc: not for PVH: an option of an emulated display, which xl sets up only for "
         "HVM guests; ignored, as xl ignores it; --strict refuses it"},
        {XL, BASE_XL "memory = 256\ncmdline = \"a\"\nroot = \"/dev/xvda\"\n", NULL,
         "guest.cfg:4: root ignored because cmdline is set; --strict refuses it"},
    };
    struct flb_config cfg;

    run_strict = true;
    check_cases(__func__, refused, sizeof(refused) / sizeof(refused[0]));
    CHECK_STR(run(&cfg, XL, BASE_XL "memory = 256\nvcpus = 2\nacpi = 0\n", NULL), "");
    CHECK(cfg.nr_warnings == 1, "%d warnings", cfg.nr_warnings);
    flb_config_free(&cfg);
    run_strict = false;
}

void test_habits(void)
{
    test_booleans();
    test_type_case();
    test_append_overrides();
    test_strict();
}
