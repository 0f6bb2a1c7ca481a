/* The terminal escaping of config strings: what passes as it is, what is escaped and how. */
#include <stdlib.h>

#include "check.h"
#include "core/output.h"

/* flb_text_escape's output for s, in a static buffer. */
static const char *escaped(const char *s, bool quoted)
{
    static char buf[256];
    FILE *f;

    memset(buf, 0, sizeof(buf));
    f = fmemopen(buf, sizeof(buf) - 1, "w");
    if (!f)
        return NULL;
    flb_text_escape(f, s, quoted);
    if (fclose(f))
        return NULL;
    return buf;
}

static void test_passes_printable(void)
{
    CHECK_STR(escaped("guest-1 /boot/vmlinuz", false), "guest-1 /boot/vmlinuz");
    /* Printable UTF-8 stays readable: names are not all ASCII. */
    CHECK_STR(escaped("g\xc3\xa4st \xe2\x82\xac \xf0\x9f\x90\xa7", false),
              "g\xc3\xa4st \xe2\x82\xac \xf0\x9f\x90\xa7");
    CHECK_STR(escaped("", true), "\"\"");
}

static void test_controls(void)
{
    CHECK_STR(escaped("a\x1b[31mred", false), "a\\x1b[31mred");
    CHECK_STR(escaped("1\n2\t3\r4\x7f"
                      "5\x01",
                      false),
              "1\\n2\\t3\\r4\\x7f5\\x01");
    /* C1 controls in UTF-8: U+009B is a CSI to some terminals. */
    CHECK_STR(escaped("x\xc2\x9b"
                      "31m",
                      false),
              "x\\xc2\\x9b31m");
    /* Bidirectional overrides and isolates, and the separators. */
    CHECK_STR(escaped("\xe2\x80\xae"
                      "evil\xe2\x81\xa6"
                      "a\xe2\x80\xa8",
                      false),
              "\\xe2\\x80\\xaeevil\\xe2\\x81\\xa6a\\xe2\\x80\\xa8");
}

static void test_not_utf8(void)
{
    /* A lone C1 byte (a CSI on 8-bit terminals), a truncated sequence, an overlong '/', a surrogate. */
    CHECK_STR(escaped("\x9b"
                      "31m",
                      false),
              "\\x9b31m");
    CHECK_STR(escaped("a\xe2\x80", false), "a\\xe2\\x80");
    CHECK_STR(escaped("\xc0\xaf", false), "\\xc0\\xaf");
    CHECK_STR(escaped("\xed\xa0\x80", false), "\\xed\\xa0\\x80");
    CHECK_STR(escaped("\xf4\x90\x80\x80", false), "\\xf4\\x90\\x80\\x80");
    CHECK_STR(escaped("\xff", true), "\"\\xff\"");
}

static void test_quoted(void)
{
    /* Quoted, the text reads back exactly: a literal backslash cannot pass for an escape. */
    CHECK_STR(escaped("say \"hi\" \\x1b", true), "\"say \\\"hi\\\" \\\\x1b\"");
    CHECK_STR(escaped("say \"hi\" \\x1b", false), "say \"hi\" \\x1b");
}

int main(void)
{
    test_passes_printable();
    test_controls();
    test_not_utf8();
    test_quoted();
    return check_summary();
}
