/* xl syntax mistakes in our words, and the same message for a file and an override with the same mistake. */
/*
 * xl syntax in our words: what a mistake is called, the same in a file as in an override, and the mistakes
 * only a file can make (quotes, a byte-order mark, YAML given as xl...). libxlutil's grammar never shows.
 */
#include <stdio.h>
#include <string.h>

#include "test_config.h"
#include "test_util.h"

/* The same text as a file's line and as an override: both get `what` after their own prefix. */
struct parity_case {
    const char *line;     /* after BASE_XL, so on line 3 */
    const char *override; /* applied to BASE_XL "memory = 256\n" */
    const char *what;
};

static const struct parity_case parity[] = {
    {"memory = 2048M", "memory=2048M", "memory: write the size in MiB as a plain number: 2048 for '2048M'"},
    {"memory = 2G", "memory=2G", "memory: write the size in MiB as a plain number: 2048 for '2G'"},
    {"memory = 2048 MiB", "memory=2048 MiB",
     "memory: write the size in MiB as a plain number: 2048 for '2048 MiB'"},
    {"memory = 1.5G", "memory=1.5G", "memory: write the size in MiB as a plain number: 1536 for '1.5G'"},
    {"memory = \"2048M\"", "memory=\"2048M\"",
     "memory: write the size in MiB as a plain number: 2048 for '2048M'"},
    {"memory = 512k", "memory=512k", "memory: write the size in MiB as a plain number, not '512k'"},
    {"foreign_region_mib = 1g", "foreign_region_mib=1g",
     "foreign_region_mib: write the size in MiB as a plain number: 1024 for '1g'"},
    {"memory = -5", "memory=-5", "memory: must be between 1 and 4294967232 (MiB), got -5"},
    {"vcpus = -1", "vcpus=-1", "vcpus: must be between 1 and 128, got -1"},
    {"memory = +5", "memory=+5", "memory: write 5 without the '+', got '+5'"},
    {"memory = abc", "memory=abc", "memory: expected an integer (MiB), got 'abc'"},
    {"memory = 1.5", "memory=1.5", "memory: expected an integer (MiB), got '1.5'"},
    {"vcpus = 2x", "vcpus=2x", "vcpus: expected an integer, got '2x'"},
    {"max_grant_frames = 64k", "max_grant_frames=64k",
     "max_grant_frames: expected an integer (frames), got '64k'"},
    {"acpi = yes", "acpi=yes", "acpi: expected 0 (false) or 1 (true), got 'yes'"},
    {"memory = 0256", "memory=0256",
     "memory: '0256' has a leading zero, which xl reads as octal; write it without"},
    {"Memory = 5", "Memory=5", "'Memory': keys are lower case (did you mean 'memory'?)"},
    {"MAXVCPUS = 5", "MAXVCPUS=5", "'MAXVCPUS': keys are lower case (did you mean 'maxvcpus'?)"},
    {"max-grant-frames = 4", "max-grant-frames=4",
     "'max-grant-frames': keys are written with '_', not '-' (did you mean 'max_grant_frames'?)"},
    {"on-crash = \"destroy\"", "on-crash=destroy",
     "'on-crash': keys are written with '_', not '-' (did you mean 'on_crash'?)"},
    {"9lives = 1", "9lives=1", "'9lives': a key starts with a lower-case letter"},
    {"name = \"\\q\"", "name=\"\\q\"",
     "name: unknown escape '\\q' (xl knows \\\\ \\\" \\' \\a \\b \\f \\n \\r \\t \\v)"},
    {"name = \"\\101\"", "name=\"\\101\"",
     "name: the escape '\\101' is not supported (xl drops the character): write the character itself"},
    {"name = 'a\\0'", "name='a\\0'",
     "name: the escape '\\0' is not supported (xl drops the character): write the character itself"},
    {"name = \"\\x41\"", "name=\"\\x41\"",
     "name: the escape '\\x41' is not supported (xl refuses it): write the character itself"},
    {"name = \"x", "name=\"x", "name: the string is not closed"},
    {"name = \"x\" \"y\"", "name=\"x\" \"y\"", "name: unexpected '\"y\"' after the value"},
    {"memory = [1 2]", "memory=[1 2]", "memory: expected ',' or ']' in the list, got '2'"},
    {"memory = [,]", "memory=[,]", "memory: expected a value or ']' in the list, got ','"},
    {"memory = [256", "memory=[256", "memory: the list is not closed with ']'"},
    {"memory = [abc]", "memory=[abc]",
     "memory: xl cannot read 'abc' in a list: quote strings, write numbers plainly"},
    {"memory = [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
     "memory=[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
     "memory: lists nested more than 32 deep"},
};

static void test_parity(void)
{
    char text[512], want[512];

    for (size_t i = 0; i < sizeof(parity) / sizeof(parity[0]); i++) {
        const char *ov[] = {parity[i].override, NULL};
        struct flb_config cfg;
        const char *got;

        snprintf(text, sizeof(text), BASE_XL "%s\n", parity[i].line);
        snprintf(want, sizeof(want), "guest.cfg:3: %s", parity[i].what);
        got = run(&cfg, XL, text, NULL);
        CHECK(!strcmp(got, want), "file case %zu\n  want: %s\n  got:  %s", i, want, got);
        flb_config_free(&cfg);

        snprintf(want, sizeof(want), "override '%.64s%s': %s", parity[i].override,
                 strlen(parity[i].override) > 64 ? "..." : "", parity[i].what);
        got = run(&cfg, XL, BASE_XL "memory = 256\n", ov);
        CHECK(!strcmp(got, want), "override case %zu\n  want: %s\n  got:  %s", i, want, got);
        flb_config_free(&cfg);
    }
}

/* Mistakes only a file can make. */
static const struct error_case file_only[] = {
    {XL, "\xEF\xBB\xBF" BASE_XL "memory = 256\n", NULL,
     "guest.cfg:1: the file starts with a byte-order mark, which xl does not read: save it as UTF-8 without "
     "one"},
    {XL, BASE_XL "memory = 256\nramdisk = /boot/initrd.img\n", NULL,
     "guest.cfg:4: ramdisk: quote the string: ramdisk = \"/boot/initrd.img\""},
    {XL, "name = guest\n", NULL, "guest.cfg:1: name: quote the string: name = \"guest\""},
    {XL, BASE_XL "memory = 256\ntype = PVH\n", NULL, "guest.cfg:4: type: quote the string: type = \"PVH\""},
    {XL, BASE_XL "memory = 256\nbootloader = pygrub\n", NULL,
     "guest.cfg:4: bootloader: quote the string: bootloader = \"pygrub\""},
    {XL, BASE_XL "memory = 256 # no newline after this comment", NULL,
     "guest.cfg:3: the file ends in a comment without a newline, which xl refuses: end the file with a "
     "newline"},
    {XL, "name: g\nkernel: /k\n", NULL,
     "guest.cfg:1: this is YAML, not xl syntax (key = value): name the file .yaml or use --config-format "
     "yaml"},
    {XL, "---\nname: g\n", NULL,
     "guest.cfg:1: this is YAML, not xl syntax (key = value): name the file .yaml or use --config-format "
     "yaml"},
    {XL, BASE_XL "memory 256\n", NULL, "guest.cfg:3: memory: expected '=' after the key"},
    {XL, BASE_XL "memory = 256\nvcpus: 2\n", NULL, "guest.cfg:4: vcpus: expected '=' after the key"},
    {XL, BASE_XL "memory = 256\ndisk = [ 'a'\n  'b' ]\n", NULL,
     "guest.cfg:5: disk: expected ',' or ']' in the list, got ''b''"},
    {XL, BASE_XL "memory = 256\ndisk = [ phy:/dev/x ]\n", NULL,
     "guest.cfg:4: disk: xl cannot read 'phy:/dev/x' in a list: quote strings, write numbers plainly"},
    {XL, BASE_XL "memory = 256\nvif = \"a\"\nvif += ['b']\n", NULL,
     "guest.cfg:5: vif: '+=' cannot add a list to a string"},
    {XL, BASE_XL "memory = 256\nvif = ['a']\nvif += 1\n", NULL,
     "guest.cfg:5: vif: '+=' cannot add a string to a list"},
};

/* What xl reads as a string is one here too: a number token, and '+=' joining a number and a string. */
static void test_values(void)
{
    struct flb_config cfg;

    CHECK_STR(
        run(&cfg, XL, "name = 123abc\nkernel = \"/k\"\nmemory = 256\nextra = 12\nextra += \" ab\"\n", NULL),
        "");
    CHECK_STR(cfg.name, "123abc");
    CHECK_STR(cfg.final_cmdline, "12 ab");
    flb_config_free(&cfg);
    /* The escapes xl reads as written, in a file and in an override alike. */
    {
        const char *ov[] = {"cmdline='\\a\\b\\f\\n\\r\\t\\v\\\\\\\"\\''", NULL};
        CHECK_STR(run(&cfg, XL, BASE_XL "memory = 256\nextra = \"\\a\\b\\f\\n\\r\\t\\v\\\\\\\"\\'\"\n", NULL),
                  "");
        CHECK_STR(cfg.final_cmdline, "\a\b\f\n\r\t\v\\\"'");
        flb_config_free(&cfg);
        CHECK_STR(run(&cfg, XL, BASE_XL "memory = 256\n", ov), "");
        CHECK_STR(cfg.final_cmdline, "\a\b\f\n\r\t\v\\\"'");
        flb_config_free(&cfg);
    }
}

/* A key's mistake is found wherever it is, even past the part of a long key that a message quotes. */
static void test_long_key(void)
{
    char a[131], text[256], want[256];
    struct flb_config cfg;

    snprintf(text, sizeof(text), "%sB = 1\n", repeat(a, 'a', 130));
    snprintf(want, sizeof(want), "guest.cfg:1: '%.127s': keys are lower case, with '_' between words", a);
    CHECK_STR(run(&cfg, XL, text, NULL), want);
    flb_config_free(&cfg);
}

void test_syntax(void)
{
    test_long_key();
    test_parity();
    check_cases("file_only", file_only, sizeof(file_only) / sizeof(file_only[0]));
    test_values();
}
