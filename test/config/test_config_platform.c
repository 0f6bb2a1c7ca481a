/* localtime, rtc_timeoffset, timer_mode, altp2m and vmtrace_buf_kb: parsing, defaults, bad values, plan. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/plan.h"
#include "core/plan_settings.h"
#include "test_config.h"
#include "test_util.h"

static void test_platform_defaults(void)
{
    struct flb_config cfg;
    struct flb_plan plan;
    struct flb_host host;
    struct flb_error err = {{0}};
    struct flb_setting s[FLB_MAX_SETTINGS];

    flb_host_assumed(&host);
    CHECK_STR(run(&cfg, XL, BASE_XL "memory = 256\n", NULL), "");
    CHECK(cfg.localtime == 0 && cfg.vmtrace_buf_kb == 0 && !cfg.timer_mode && !cfg.altp2m &&
          !cfg.rtc_timeoffset);
    CHECK(flb_plan_make(&cfg, &host, &plan, &err) == 0, "%s", err.msg);
    /* libxl's: no_delay_for_missed_ticks, altp2m disabled, no trace buffer, no offset. */
    CHECK(plan.domain.timer_mode == 1 && plan.domain.altp2m == 0 && plan.domain.vmtrace_size == 0);
    CHECK(plan.domain.rtc_timeoffset == 0 && !plan.domain.localtime);
    CHECK(flb_plan_settings(&plan, s) == 0);
    flb_config_free(&cfg);
}

static void test_platform_values(void)
{
    static const char xl[] =
        BASE_XL "memory = 256\nlocaltime = 1\nrtc_timeoffset = \"-3600\"\n"
                "timer_mode = \"One_Missed_Tick_Pending\"\naltp2m = 2\nvmtrace_buf_kb = 6\n";
    static const char yaml[] =
        BASE_YAML "memory: 256\nlocaltime: true\nrtc_timeoffset: -3600\n"
                  "timer_mode: one_missed_tick_pending\naltp2m: external\nvmtrace_buf_kb: 6\n";
    const char *texts[] = {xl, yaml};

    for (int f = XL; f <= YAML; f++) {
        struct flb_config cfg;
        struct flb_plan plan;
        struct flb_host host;
        struct flb_error err = {{0}};
        struct flb_setting s[FLB_MAX_SETTINGS];
        size_t n;

        flb_host_assumed(&host);
        CHECK_STR(run(&cfg, f, texts[f], NULL), "");
        CHECK_STR(cfg.timer_mode, "one_missed_tick_pending");
        CHECK_STR(cfg.altp2m, "external");
        CHECK_STR(cfg.rtc_timeoffset, "-3600");
        CHECK(flb_plan_make(&cfg, &host, &plan, &err) == 0, "%s", err.msg);
        CHECK(plan.domain.timer_mode == 3 && plan.domain.altp2m == 2, "format %d", f);
        CHECK(plan.domain.rtc_timeoffset == -3600 && plan.domain.localtime, "format %d", f);
        CHECK(plan.domain.vmtrace_size == 8192, "format %d: 6 KiB is two pages, not %u", f,
              plan.domain.vmtrace_size);
        n = flb_plan_settings(&plan, s);
        CHECK(n == 5, "format %d: %zu settings", f, n);
        if (n == 5) {
            CHECK(!strcmp(s[0].key, "localtime") && s[0].kind == FLB_SETTING_BOOL && s[0].number == 1);
            CHECK(!strcmp(s[1].key, "rtc_timeoffset") && !strcmp(s[1].text, "-3600"), "%s", s[1].text);
            CHECK(!strcmp(s[2].key, "timer_mode") && !strcmp(s[2].text, "one_missed_tick_pending"));
            CHECK(!strcmp(s[3].key, "altp2m") && !strcmp(s[3].text, "external"));
            /* As the domain gets it: rounded up to whole pages. */
            CHECK(!strcmp(s[4].key, "vmtrace_buf_kb") && s[4].number == 8);
        }
        flb_config_free(&cfg);
    }
}

/* A number for timer_mode draws xl's deprecation warning; altp2m's number does not, as in xl. */
static void test_platform_numbers(void)
{
    struct flb_config cfg;

    CHECK_STR(run(&cfg, XL, BASE_XL "memory = 256\ntimer_mode = 0\naltp2m = \"1\"\n", NULL), "");
    CHECK_STR(cfg.timer_mode, "delay_for_missed_ticks");
    CHECK_STR(cfg.altp2m, "mixed");
    CHECK_STR(warning(&cfg, 0),
              "guest.cfg:4: timer_mode: a number is deprecated, as xl says: write timer_mode = "
              "\"delay_for_missed_ticks\"");
    CHECK_STR(warning(&cfg, 1), "(none)");
    flb_config_free(&cfg);
    CHECK_STR(run(&cfg, XL, BASE_XL "memory = 256\nrtc_timeoffset = 2147483647\n", NULL), "");
    CHECK_STR(cfg.rtc_timeoffset, "2147483647");
    flb_config_free(&cfg);
}

static void test_platform_errors(void)
{
    static const struct error_case cases[] = {
        {XL, BASE_XL "memory = 256\nlocaltime = \"yes\"\n", NULL,
         "guest.cfg:4: localtime: expected 0 (false) or 1 (true), got a string"},
        {XL, BASE_XL "memory = 256\nrtc_timeoffset = \"2147483648\"\n", NULL,
         "guest.cfg:4: rtc_timeoffset: must be between -2147483648 and 2147483647 seconds, got 2147483648"},
        {XL, BASE_XL "memory = 256\nrtc_timeoffset = \"1h\"\n", NULL,
         "guest.cfg:4: rtc_timeoffset: expected seconds, such as 3600 or \"-3600\", got '1h'"},
        {XL, BASE_XL "memory = 256\nrtc_timeoffset = \"-010\"\n", NULL,
         "guest.cfg:4: rtc_timeoffset: '-010' has a leading zero, which xl reads as octal; write it without"},
        {YAML, BASE_YAML "memory: 256\nrtc_timeoffset: [1]\n", NULL,
         "guest.yaml:4: rtc_timeoffset: expected seconds, got a list"},
        {XL, BASE_XL "memory = 256\ntimer_mode = 4\n", NULL,
         "guest.cfg:4: timer_mode: must be between 0 and 3, or better its name (\"delay_for_missed_ticks\", "
         "\"no_delay_for_missed_ticks\", \"no_missed_ticks_pending\" or \"one_missed_tick_pending\"), got 4"},
        {XL, BASE_XL "memory = 256\ntimer_mode = \"fast\"\n", NULL,
         "guest.cfg:4: timer_mode: expected \"delay_for_missed_ticks\", \"no_delay_for_missed_ticks\", "
         "\"no_missed_ticks_pending\" or \"one_missed_tick_pending\", got 'fast'"},
        {XL, BASE_XL "memory = 256\naltp2m = \"on\"\n", NULL,
         "guest.cfg:4: altp2m: expected \"disabled\", \"mixed\", \"external\" or \"limited\", got 'on'"},
        {YAML, BASE_YAML "memory: 256\naltp2m: true\n", NULL,
         "guest.yaml:4: altp2m: expected a mode's name, got a boolean"},
        {XL, BASE_XL "memory = 256\nnestedhvm = 1\naltp2m = \"mixed\"\n", NULL,
         "guest.cfg:5: altp2m: \"mixed\" cannot be used with nestedhvm = 1 (libxl refuses the two together): "
         "drop one"},
        {XL, BASE_XL "memory = 256\nvmtrace_buf_kb = 4194301\n", NULL,
         "guest.cfg:4: vmtrace_buf_kb: must be between 0 and 4194300 (KiB), got 4194301"},
    };

    check_cases(__func__, cases, sizeof(cases) / sizeof(cases[0]));
}

void test_platform_settings(void)
{
    test_platform_defaults();
    test_platform_values();
    test_platform_numbers();
    test_platform_errors();
}

/* driver_domain and the labels: defaults, xl's pairing of the two label keys, the dry-run list. */
void test_label_settings(void)
{
    struct flb_config cfg;
    struct flb_plan plan;
    struct flb_host host;
    struct flb_error err = {{0}};
    struct flb_setting s[FLB_MAX_SETTINGS];
    size_t n;

    flb_host_assumed(&host);
    CHECK_STR(run(&cfg, XL, BASE_XL "memory = 256\n", NULL), "");
    CHECK(cfg.driver_domain == 0);
    CHECK(flb_plan_make(&cfg, &host, &plan, &err) == 0, "%s", err.msg);
    CHECK(!plan.xenstore.driver_domain && !plan.domain.create_label && !plan.domain.exec_label);
    flb_config_free(&cfg);

    CHECK_STR(run(&cfg, YAML, BASE_YAML "memory: 256\ndriver_domain: true\nseclabel: a:b:c\n", NULL), "");
    CHECK(flb_plan_make(&cfg, &host, &plan, &err) == 0, "%s", err.msg);
    CHECK(plan.xenstore.driver_domain);
    CHECK_STR(plan.domain.create_label, "a:b:c");
    CHECK(plan.domain.exec_label == NULL);
    CHECK_STR(plan.domain.create_label_at, "guest.yaml:5: ");
    n = flb_plan_settings(&plan, s);
    CHECK(n == 2 && !strcmp(s[0].key, "driver_domain") && !strcmp(s[1].key, "seclabel") &&
              !strcmp(s[1].text, "a:b:c"),
          "%zu settings", n);
    flb_config_free(&cfg);

    CHECK_STR(run(&cfg, XL,
                  BASE_XL "memory = 256\nseclabel = \"x:y:run_t\"\ninit_seclabel = \"x:y:boot_t\"\n", NULL),
              "");
    CHECK(flb_plan_make(&cfg, &host, &plan, &err) == 0, "%s", err.msg);
    CHECK_STR(plan.domain.create_label, "x:y:boot_t");
    CHECK_STR(plan.domain.exec_label, "x:y:run_t");
    CHECK_STR(plan.domain.create_label_at, "guest.cfg:5: ");
    CHECK_STR(plan.domain.exec_label_at, "guest.cfg:4: ");
    n = flb_plan_settings(&plan, s);
    CHECK(n == 2 && !strcmp(s[0].key, "init_seclabel") && !strcmp(s[0].text, "x:y:boot_t") &&
              !strcmp(s[1].key, "seclabel") && !strcmp(s[1].text, "x:y:run_t"),
          "%zu settings", n);
    flb_config_free(&cfg);

    static const struct error_case cases[] = {
        {XL, BASE_XL "memory = 256\nseclabel = \"\"\n", NULL, "guest.cfg:4: seclabel: must not be empty"},
        {XL, BASE_XL "memory = 256\ninit_seclabel = 5\n", NULL, ""},
        {XL, BASE_XL "memory = 256\ndriver_domain = \"yes\"\n", NULL,
         "guest.cfg:4: driver_domain: expected 0 (false) or 1 (true), got a string"},
    };
    check_cases(__func__, cases, sizeof(cases) / sizeof(cases[0]));
}
