/* Bytes in config text: NULs, line endings, control characters and escapes in messages, UTF-8. */
#include <string.h>

#include "frontend/config_file.h"
#include "test_config.h"
#include "test_util.h"

/* Inputs libxlutil handles badly: a NUL inside a string (it asserts), CR line endings, control characters. */
void test_raw_bytes(void)
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
    CHECK_STR(got, "guest.yaml:4: type: unknown guest type 'a\\nb' (expected \"pvh\")");
    flb_config_free(&cfg);
    got = run(&cfg, YAML, BASE_YAML "memory: 64\n\"bad\\tkey\": 1\n", NULL);
    CHECK_STR(got, "");
    CHECK(cfg.nr_warnings == 1, "%d", cfg.nr_warnings);
    CHECK_STR(warning(&cfg, 0), "guest.yaml:4: unknown key 'bad\\tkey' ignored");
    flb_config_free(&cfg);
}

/*
 * Control characters and escape sequences in config text reach a message escaped, one line whatever the
 * text: \t, \n and \r C-style, every other control character, C1 included, and the characters that hide
 * or reorder text as \xNN. A name refuses control characters outright.
 */
void test_escaped_messages(void)
{
    static const struct error_case cases[] = {
        {YAML, BASE_YAML "memory: 64\ntype: \"\\e[2J\\e[31mred\"\n", NULL,
         "guest.yaml:4: type: unknown guest type '\\x1b[2J\\x1b[31mred' (expected \"pvh\")"},
        {YAML, BASE_YAML "memory: 64\ntype: \"a\\u009bb\\u202ec\\r\"\n", NULL,
         "guest.yaml:4: type: unknown guest type 'a\\xc2\\x9bb\\xe2\\x80\\xaec\\r' (expected \"pvh\")"},
        {YAML, "name: \"a\\eb\"\nkernel: /k\nmemory: 64\n", NULL,
         "guest.yaml:1: name: must not contain control characters, got 'a\\x1bb'"},
        {YAML, "name: \"a\\u0085b\"\nkernel: /k\nmemory: 64\n", NULL,
         "guest.yaml:1: name: must not contain control characters, got 'a\\xc2\\x85b'"},
        {XL, "name = \"a\x1b[31mb\"\nkernel = \"/k\"\nmemory = 64\n", NULL,
         "guest.cfg:1: name: must not contain control characters, got 'a\\x1b[31mb'"},
        {XL, BASE_XL "memory = 64\n", "name=a\tb",
         "override 'name=a\\tb': name: must not contain control characters, got 'a\\tb'"},
        {XL, BASE_XL "memory = 64\n", "memory=\x1b]0;title\x07",
         "override 'memory=\\x1b]0;title\\x07': memory: expected an integer (MiB), got '\\x1b]0;title\\x07'"},
    };
    struct flb_config cfg;

    check_cases(__func__, cases, sizeof(cases) / sizeof(cases[0]));

    /* Elsewhere control characters are the user's business: kept in the value, escaped in warnings. */
    CHECK_STR(run(&cfg, YAML, BASE_YAML "memory: 64\ncmdline: \"a\\eb\"\n\"\\e[1Akey\": 1\nroot: r\n", NULL),
              "");
    CHECK_STR(cfg.final_cmdline, "a\x1b"
                                 "b");
    CHECK(cfg.nr_warnings == 2, "%d warnings", cfg.nr_warnings);
    CHECK_STR(warning(&cfg, 0), "guest.yaml:5: unknown key '\\x1b[1Akey' ignored");
    CHECK_STR(warning(&cfg, 1), "guest.yaml:4: root ignored because cmdline is set");
    flb_config_free(&cfg);
}

/* Every string value must be UTF-8, in a file or an override: the JSON output must parse. */
void test_utf8(void)
{
    static const struct error_case cases[] = {
        {XL, "name = \"g\xff\"\nkernel = \"/k\"\nmemory = 64\n", NULL,
         "guest.cfg:1: name: not valid UTF-8 (byte 0xff at offset 1)"},
        {XL, BASE_XL "memory = 64\nextra = \"caf\xc3\"\n", NULL,
         "guest.cfg:4: extra: not valid UTF-8 (byte 0xc3 at offset 3)"},
        /* Overlong, a surrogate, beyond U+10FFFF: each refused as JSON parsers refuse them. */
        {XL, BASE_XL "memory = 64\nroot = \"\xc0\xaf\"\n", NULL,
         "guest.cfg:4: root: not valid UTF-8 (byte 0xc0 at offset 0)"},
        {XL, BASE_XL "memory = 64\nroot = \"x\xed\xa0\x80\"\n", NULL,
         "guest.cfg:4: root: not valid UTF-8 (byte 0xed at offset 1)"},
        {XL, BASE_XL "memory = 64\nramdisk = \"\xf4\x90\x80\x80\"\n", NULL,
         "guest.cfg:4: ramdisk: not valid UTF-8 (byte 0xf4 at offset 0)"},
        {XL, BASE_XL "memory = 64\n", "kernel=/k\xe9",
         "override 'kernel=/k\\xe9': kernel: not valid UTF-8 (byte 0xe9 at offset 2)"},
        {XL, BASE_XL "memory = 64\n", "cmdline='\x80'",
         "override 'cmdline='\\x80'': cmdline: not valid UTF-8 (byte 0x80 at offset 0)"},
        {XL, BASE_XL "memory = 64\ntype = \"\xff\"\n", NULL,
         "guest.cfg:4: type: not valid UTF-8 (byte 0xff at offset 0)"},
    };
    struct flb_config cfg;

    check_cases(__func__, cases, sizeof(cases) / sizeof(cases[0]));
    /* Valid UTF-8 of every length passes unchanged. */
    CHECK_STR(run(&cfg, XL,
                  "name = \"g\xc3\xa9\xe2\x82\xac\xf0\x9f\x90\xa7\"\nkernel = \"/k\"\nmemory = 64\n", NULL),
              "");
    CHECK_STR(cfg.name, "g\xc3\xa9\xe2\x82\xac\xf0\x9f\x90\xa7");
    flb_config_free(&cfg);
}
