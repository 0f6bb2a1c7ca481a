/*
 * The JSON writer: the live build's records, exact for hostile strings, nothing written for a string JSON
 * cannot carry. With arguments it prints one record instead, for the schema test:
 * "created DOMID NAME", "restarted DOMID PREVIOUS REASON_CODE", "ended DOMID NAME [REASON_CODE]".
 */
#include <stdlib.h>

#include "check.h"
#include "output/json.h"
#include "test_util.h"

#define UUID "5b0b9a3c-1f2e-4d5c-8a7b-0c1d2e3f4a5b"

/* The worked example's plan, under another name. */
static const struct flb_plan *plan_named(const char *name)
{
    static struct flb_config cfg;
    static struct flb_plan plan;

    config_worked_example(&cfg, "/k");
    plan_for(&cfg, &plan);
    plan.name = name;
    return &plan;
}

/* What one writer call wrote and returned, the text in a static buffer. */
struct written {
    char text[16384];
    int rc;
    struct flb_error err;
};

static FILE *begin(struct written *w)
{
    memset(w, 0, sizeof(*w));
    return fmemopen(w->text, sizeof(w->text) - 1, "w");
}

static const char *created(struct written *w, uint32_t domid, const char *name)
{
    FILE *f = begin(w);

    w->rc = flb_output_json_created(f, domid, UUID, plan_named(name), &w->err);
    CHECK(!fclose(f));
    return w->text;
}

static void test_created(void)
{
    static const char want_start[] =
        "{\"format_version\":1,\"event\":\"created\",\"domid\":7,\"uuid\":\"" UUID
        "\",\"name\":\"guest\",\"plan\":{\"format_version\":1,\"name\":\"guest\",";
    struct written w;
    const char *line = created(&w, 7, "guest");
    size_t n = strlen(line);

    CHECK(w.rc == FLB_OK, "%s", w.err.msg);
    CHECK(!strncmp(line, want_start, sizeof(want_start) - 1), "%s", line);
    /* One line: the plan is the dry-run's document, but not pretty-printed. */
    CHECK(n > 2 && !strcmp(line + n - 3, "}}\n") && strchr(line, '\n') == line + n - 1, "%s", line);
    CHECK(strstr(line, "\"e820\":[{\"addr\":0,"), "%s", line);
    /* Quotes, backslashes and controls escaped; printable UTF-8 kept. */
    line = created(&w, 32751, "a\"b\\c\x1b[1m\n\x7f\xc3\xa4");
    CHECK(w.rc == FLB_OK);
    CHECK(strstr(line, "\"domid\":32751,\"uuid\":\"" UUID
                       "\",\"name\":\"a\\\"b\\\\c\\u001B[1m\\n\x7f\xc3\xa4\",\"plan\":"),
          "%s", line);
}

static void test_restarted_and_ended(void)
{
    struct flb_json_ended e = {.domid = 9,
                               .name = "guest",
                               .outcome = "shutdown",
                               .shut_down = true,
                               .reason = FLB_SHUTDOWN_CRASH,
                               .xen_reason = 3,
                               .action = FLB_ACTION_PRESERVE,
                               .restarts = 2,
                               .exit_status = 3};
    struct written w;
    FILE *f = begin(&w);

    CHECK(flb_output_json_restarted(f, 8, 7, FLB_SHUTDOWN_REBOOT, FLB_ACTION_RENAME_RESTART, &w.err) ==
          FLB_OK);
    CHECK(flb_output_json_ended(f, &e, &w.err) == FLB_OK);
    e = (struct flb_json_ended){.domid = 8, .name = "guest", .outcome = "timeout", .exit_status = 124};
    CHECK(flb_output_json_ended(f, &e, &w.err) == FLB_OK);
    CHECK(!fclose(f));
    CHECK_STR(w.text,
              "{\"format_version\":1,\"event\":\"restarted\",\"domid\":8,\"previous_domid\":7,"
              "\"reason\":\"reboot\",\"action\":\"rename-restart\"}\n"
              "{\"format_version\":1,\"event\":\"ended\",\"domid\":9,\"name\":\"guest\","
              "\"outcome\":\"shutdown\",\"reason\":\"crash\",\"xen_reason\":3,\"action\":\"preserve\","
              "\"restarts\":2,\"exit_status\":3}\n"
              "{\"format_version\":1,\"event\":\"ended\",\"domid\":8,\"name\":\"guest\","
              "\"outcome\":\"timeout\",\"reason\":null,\"xen_reason\":null,\"action\":null,"
              "\"restarts\":0,\"exit_status\":124}\n");
}

static void test_invalid_utf8(void)
{
    static const char *const bad[] = {"\xff", "a\xe2\x80", "\xc0\xaf", "\xed\xa0\x80"};
    struct flb_json_ended e = {.domid = 1, .outcome = "signal", .exit_status = 1};
    struct written w;

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        CHECK_STR(created(&w, 1, bad[i]), "");
        CHECK(w.rc == FLB_E_INPUT, "case %zu: %d", i, w.rc);
        CHECK_STR(w.err.msg,
                  "name is not valid UTF-8: JSON cannot carry it (--format text shows it escaped)");
        FILE *f = begin(&w);
        e.name = bad[i];
        CHECK(flb_output_json_ended(f, &e, &w.err) == FLB_E_INPUT, "case %zu", i);
        CHECK(!fclose(f));
        CHECK_STR(w.text, "");
        memset(&w.err, 0, sizeof(w.err));
        CHECK(flb_json_check_string("kernel", bad[i], &w.err) == FLB_E_INPUT, "case %zu", i);
        CHECK_STR(w.err.msg,
                  "kernel is not valid UTF-8: JSON cannot carry it (--format text shows it escaped)");
    }
    memset(&w.err, 0, sizeof(w.err));
    CHECK(flb_json_check_string("kernel", "/boot/g\xc3\xa4st\x1b", &w.err) == FLB_OK);
    CHECK_STR(w.err.msg, "");
}

/* One record on stdout, as the schema test asks for it; 2 on bad usage. */
static int print_record(int argc, char **argv)
{
    struct flb_plan_lifecycle xl = {FLB_ACTION_DESTROY, FLB_ACTION_RESTART, FLB_ACTION_DESTROY,
                                    FLB_ACTION_DESTROY, FLB_ACTION_RESTART};
    /* A restart record is written only for a restart: here every reason but a suspend gets one. */
    struct flb_plan_lifecycle restarts = {FLB_ACTION_RESTART, FLB_ACTION_RENAME_RESTART, FLB_ACTION_RESTART,
                                          FLB_ACTION_RESTART, FLB_ACTION_RESTART};
    struct flb_error err = {{0}};
    uint32_t domid = (uint32_t)strtoul(argv[2], NULL, 10);
    bool asked = true;
    int rc = FLB_OK;

    if (argc == 4 && !strcmp(argv[1], "created")) {
        rc = flb_output_json_created(stdout, domid, UUID, plan_named(argv[3]), &err);
    } else if (argc == 5 && !strcmp(argv[1], "restarted")) {
        enum flb_shutdown_reason reason = flb_shutdown_reason_of((unsigned)atoi(argv[4]));
        rc = flb_output_json_restarted(stdout, domid, (uint32_t)strtoul(argv[3], NULL, 10), reason,
                                       flb_lifecycle_decide(&restarts, reason), &err);
    } else if ((argc == 4 || argc == 5) && !strcmp(argv[1], "ended")) {
        struct flb_json_ended e = {.domid = domid, .name = argv[3], .outcome = "timeout", .exit_status = 124};
        if (argc == 5) {
            e.shut_down = true;
            e.xen_reason = (unsigned)atoi(argv[4]);
            e.reason = flb_shutdown_reason_of(e.xen_reason);
            e.action = flb_lifecycle_decide(&xl, e.reason);
            e.outcome = "shutdown";
            e.exit_status = 0;
        }
        rc = flb_output_json_ended(stdout, &e, &err);
    } else {
        asked = false;
    }
    if (!asked) {
        fprintf(stderr, "usage: test_json [created DOMID NAME | restarted DOMID PREVIOUS REASON_CODE | "
                        "ended DOMID NAME [REASON_CODE]]\n");
        return 2;
    }
    if (rc)
        fprintf(stderr, "%s\n", err.msg);
    return rc ? 1 : 0;
}

int main(int argc, char **argv)
{
    if (argc > 1)
        return argc >= 4 ? print_record(argc, argv) : 2;
    test_created();
    test_restarted_and_ended();
    test_invalid_utf8();
    return check_summary();
}
