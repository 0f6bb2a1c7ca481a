/* The JSON writer: exact documents for hostile strings, nothing written for a string JSON cannot carry.
 * With arguments "created DOMID NAME" it prints that live line instead, for the schema test. */
#include <stdlib.h>

#include "check.h"
#include "output/json.h"

/* flb_output_json_created's line and status, the line in a static buffer. */
static const char *created(uint32_t domid, const char *name, int *rc, struct flb_error *err)
{
    static char buf[512];
    FILE *f;

    memset(buf, 0, sizeof(buf));
    memset(err, 0, sizeof(*err));
    f = fmemopen(buf, sizeof(buf) - 1, "w");
    if (!f)
        return NULL;
    *rc = flb_output_json_created(f, domid, name, err);
    if (fclose(f))
        return NULL;
    return buf;
}

static void test_created_line(void)
{
    struct flb_error err;
    int rc = -1;

    CHECK_STR(created(7, "guest", &rc, &err), "{\"format_version\":1,\"domid\":7,\"name\":\"guest\"}\n");
    CHECK(rc == FLB_OK);
    /* Quotes, backslashes and controls escaped; printable UTF-8 kept. */
    CHECK_STR(created(32751, "a\"b\\c\x1b[1m\n\x7f\xc3\xa4", &rc, &err),
              "{\"format_version\":1,\"domid\":32751,\"name\":\"a\\\"b\\\\c\\u001B[1m\\n\x7f\xc3\xa4\"}\n");
    CHECK(rc == FLB_OK);
}

static void test_invalid_utf8(void)
{
    static const char *const bad[] = {"\xff", "a\xe2\x80", "\xc0\xaf", "\xed\xa0\x80"};
    struct flb_error err;
    int rc = 0;

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        CHECK_STR(created(1, bad[i], &rc, &err), "");
        CHECK(rc == FLB_E_INPUT, "case %zu: %d", i, rc);
        CHECK_STR(err.msg, "name is not valid UTF-8: JSON cannot carry it (--format text shows it escaped)");
        memset(&err, 0, sizeof(err));
        CHECK(flb_json_check_string("kernel", bad[i], &err) == FLB_E_INPUT, "case %zu", i);
        CHECK_STR(err.msg,
                  "kernel is not valid UTF-8: JSON cannot carry it (--format text shows it escaped)");
    }
    memset(&err, 0, sizeof(err));
    CHECK(flb_json_check_string("kernel", "/boot/g\xc3\xa4st\x1b", &err) == FLB_OK);
    CHECK_STR(err.msg, "");
}

int main(int argc, char **argv)
{
    struct flb_error err = {{0}};

    if (argc == 4 && !strcmp(argv[1], "created")) {
        if (flb_output_json_created(stdout, (uint32_t)strtoul(argv[2], NULL, 10), argv[3], &err)) {
            fprintf(stderr, "%s\n", err.msg);
            return 1;
        }
        return 0;
    }
    test_created_line();
    test_invalid_utf8();
    return check_summary();
}
