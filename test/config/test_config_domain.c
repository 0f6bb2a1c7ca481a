/* The domain settings xl makes beside memory: each key's parsing, its default, its bad values, its plan. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/output.h"
#include "core/plan.h"
#include "test_config.h"
#include "test_util.h"

static void test_domain_defaults(void)
{
    struct flb_config cfg;
    struct flb_plan plan;
    struct flb_host host;
    struct flb_error err = {{0}};

    CHECK_STR(run(&cfg, XL, BASE_XL "memory = 256\nvcpus = 2\n", NULL), "");
    CHECK(cfg.hap == 1 && cfg.oos == 1 && cfg.nestedhvm == 0 && cfg.vpmu == 0 && cfg.msr_relaxed == 0,
          "hap %d oos %d nestedhvm %d vpmu %d msr_relaxed %d", cfg.hap, cfg.oos, cfg.nestedhvm, cfg.vpmu,
          cfg.msr_relaxed);
    CHECK(cfg.max_event_channels == 1023, "%llu", (unsigned long long)cfg.max_event_channels);
    CHECK(cfg.uuid == NULL && cfg.tsc_mode == NULL);
    flb_host_assumed(&host);
    CHECK(flb_plan_make(&cfg, &host, &plan, &err) == 0, "%s", err.msg);
    CHECK(!plan.domain.has_uuid && plan.domain.hap && plan.domain.oos && !plan.domain.nested_virt);
    CHECK(plan.domain.max_evtchn_port == 1023 && plan.domain.tsc_mode == 0);
    /* libxl's pool with HAP: 4 KiB x (256 x 2 vCPUs + 256 MiB). */
    CHECK(plan.domain.paging_pool_bytes == (256 * 2 + 256) * 4096ull, "%llu",
          (unsigned long long)plan.domain.paging_pool_bytes);
    flb_config_free(&cfg);
    CHECK_STR(run(&cfg, XL, BASE_XL "memory = 256\nmax_event_channels = 0\n", NULL), "");
    CHECK(cfg.max_event_channels == 1023, "0 reads as libxl's default: %llu",
          (unsigned long long)cfg.max_event_channels);
    flb_config_free(&cfg);
}

static void test_domain_values(void)
{
    static const char text[] = BASE_XL "memory = 512\nuuid = \"00112233-4455-6677-8899-AaBbCcDdEeFf\"\n"
                                       "hap = 0\noos = 0\nnestedhvm = 1\nvpmu = 1\nmsr_relaxed = 1\n"
                                       "max_event_channels = 4095\ntsc_mode = \"Native\"\n";
    static const char yaml[] =
        BASE_YAML "memory: 512\nuuid: 00112233-4455-6677-8899-aabbccddeeff\n"
                  "hap: false\noos: false\nnestedhvm: true\nvpmu: true\nmsr_relaxed: 1\n"
                  "max_event_channels: 4095\ntsc_mode: native\n";
    static const uint8_t want_uuid[16] = {0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
                                          0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff};
    const char *texts[] = {text, yaml};

    for (int f = XL; f <= YAML; f++) {
        struct flb_config cfg;
        struct flb_plan plan;
        struct flb_host host;
        struct flb_error err = {{0}};

        CHECK_STR(run(&cfg, f, texts[f], NULL), "");
        CHECK_STR(cfg.tsc_mode, "native");
        flb_host_assumed(&host);
        CHECK(flb_plan_make(&cfg, &host, &plan, &err) == 0, "%s", err.msg);
        CHECK(plan.domain.has_uuid && !memcmp(plan.domain.uuid, want_uuid, 16), "format %d: uuid bytes", f);
        CHECK(!plan.domain.hap && !plan.domain.oos && plan.domain.nested_virt && plan.domain.vpmu &&
                  plan.domain.msr_relaxed,
              "format %d: flags", f);
        CHECK(plan.domain.max_evtchn_port == 4095 && plan.domain.tsc_mode == 2, "format %d", f);
        /* Shadow paging doubles libxl's pages per MiB: 4 KiB x (256 + 2 x 512). */
        CHECK(plan.domain.paging_pool_bytes == (256 + 2 * 512) * 4096ull, "%llu",
              (unsigned long long)plan.domain.paging_pool_bytes);
        flb_config_free(&cfg);
    }
}

static void test_shadow_memory_and_tsc(void)
{
    static const struct {
        const char *line;
        uint32_t tsc;
        const char *warning;
    } tsc[] = {
        {"tsc_mode = \"default\"", 0, NULL},
        {"tsc_mode = \"always_emulate\"", 1, NULL},
        {"tsc_mode = 2", 2,
         "guest.cfg:4: tsc_mode: a number is deprecated, as xl says: write tsc_mode = \"native\""},
        {"tsc_mode = \"1\"", 1,
         "guest.cfg:4: tsc_mode: a number is deprecated, as xl says: write tsc_mode = \"always_emulate\""},
    };
    struct flb_config cfg;
    struct flb_plan plan;
    struct flb_host host;
    struct flb_error err = {{0}};
    char text[256];

    flb_host_assumed(&host);
    CHECK_STR(run(&cfg, XL, BASE_XL "memory = 256\nshadow_memory = 8\n", NULL), "");
    CHECK(flb_plan_make(&cfg, &host, &plan, &err) == 0, "%s", err.msg);
    CHECK(plan.domain.paging_pool_bytes == 8ull << 20, "%llu",
          (unsigned long long)plan.domain.paging_pool_bytes);
    flb_config_free(&cfg);
    for (size_t i = 0; i < sizeof(tsc) / sizeof(tsc[0]); i++) {
        snprintf(text, sizeof(text), BASE_XL "memory = 256\n%s\n", tsc[i].line);
        CHECK_STR(run(&cfg, XL, text, NULL), "");
        CHECK(flb_plan_make(&cfg, &host, &plan, &err) == 0, "%s", err.msg);
        CHECK(plan.domain.tsc_mode == tsc[i].tsc, "%s: %u", tsc[i].line, plan.domain.tsc_mode);
        CHECK_STR(warning(&cfg, 0), tsc[i].warning ? tsc[i].warning : "(none)");
        flb_config_free(&cfg);
    }
}

static void test_domain_errors(void)
{
    static const struct error_case cases[] = {
        {XL, BASE_XL "memory = 256\nuuid = \"0011223344556677-8899-aabbccddeeff\"\n", NULL,
         "guest.cfg:4: uuid: expected 32 hexadecimal digits as xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx, got "
         "'0011223344556677-8899-aabbccddeeff'"},
        {XL, BASE_XL "memory = 256\nuuid = \"00112233-4455-6677-8899-aabbccddeeffx\"\n", NULL,
         "guest.cfg:4: uuid: expected 32 hexadecimal digits as xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx, got "
         "'00112233-4455-6677-8899-aabbccddeeffx'"},
        {XL, BASE_XL "memory = 256\n", "uuid=00112233-4455-6677-8899-aabbccddeefg",
         "override 'uuid=00112233-4455-6677-8899-aabbccddeefg': uuid: expected 32 hexadecimal digits as "
         "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx, got '00112233-4455-6677-8899-aabbccddeefg'"},
        {XL, BASE_XL "memory = 256\nuuid = 5\n", NULL,
         "guest.cfg:4: uuid: expected 32 hexadecimal digits as xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx, got "
         "'5'"},
        {XL, BASE_XL "memory = 256\nhap = \"yes\"\n", NULL,
         "guest.cfg:4: hap: expected 0 (false) or 1 (true), got a string"},
        {YAML, BASE_YAML "memory: 256\nnestedhvm: [1]\n", NULL,
         "guest.yaml:4: nestedhvm: expected 0 (false) or 1 (true), got a list"},
        {XL, BASE_XL "memory = 256\nshadow_memory = 0\n", NULL,
         "guest.cfg:4: shadow_memory: must be between 1 and 4294967296 (MiB), got 0"},
        {XL, BASE_XL "memory = 256\nshadow_memory = 64M\n", NULL,
         "guest.cfg:4: shadow_memory: write the size in MiB as a plain number: 64 for '64M'"},
        {XL, BASE_XL "memory = 256\nmax_event_channels = 2147483648\n", NULL,
         "guest.cfg:4: max_event_channels: must be between 0 and 2147483647, got 2147483648"},
        {XL, BASE_XL "memory = 256\ntsc_mode = \"native_paravirt\"\n", NULL,
         "guest.cfg:4: tsc_mode: native_paravirt was removed from Xen and libxl refuses it: use \"native\" "
         "or "
         "leave tsc_mode out"},
        {XL, BASE_XL "memory = 256\ntsc_mode = 3\n", NULL,
         "guest.cfg:4: tsc_mode: native_paravirt was removed from Xen and libxl refuses it: use \"native\" "
         "or "
         "leave tsc_mode out"},
        {XL, BASE_XL "memory = 256\ntsc_mode = 4\n", NULL,
         "guest.cfg:4: tsc_mode: must be between 0 and 3, or better its name (\"default\", "
         "\"always_emulate\" "
         "or \"native\"), got 4"},
        {XL, BASE_XL "memory = 256\ntsc_mode = \"fast\"\n", NULL,
         "guest.cfg:4: tsc_mode: expected \"default\", \"always_emulate\" or \"native\", got 'fast'"},
        {YAML, BASE_YAML "memory: 256\ntsc_mode: [native]\n", NULL,
         "guest.yaml:4: tsc_mode: expected a string, got a list"},
    };

    check_cases(__func__, cases, sizeof(cases) / sizeof(cases[0]));
}

/* The text dry-run lists exactly the settings away from xl's defaults, and nothing when there are none. */
static void test_domain_text_output(void)
{
    static const char *const texts[] = {
        BASE_XL "memory = 256\n",
        BASE_XL "memory = 256\nuuid = \"00112233-4455-6677-8899-AABBCCDDEEFF\"\noos = 0\nshadow_memory = 64\n"
                "vpmu = 1\nmsr_relaxed = 1\nmax_event_channels = 1023\ntsc_mode = \"always_emulate\"\n",
    };
    static const char *const want[] = {
        NULL,
        "Domain settings that differ from xl's defaults\n"
        "  uuid                00112233-4455-6677-8899-aabbccddeeff\n"
        "  oos                 0\n"
        "  shadow_memory       64 MiB\n"
        "  vpmu                1\n"
        "  msr_relaxed         1\n"
        "  tsc_mode            always_emulate\n\n",
    };

    for (int i = 0; i < 2; i++) {
        struct flb_config cfg;
        struct flb_plan plan;
        struct flb_host host;
        struct flb_error err = {{0}};
        char *text = NULL, *block;
        size_t len = 0;
        FILE *out = open_memstream(&text, &len);

        CHECK_STR(run(&cfg, XL, texts[i], NULL), "");
        flb_host_assumed(&host);
        CHECK(flb_plan_make(&cfg, &host, &plan, &err) == 0, "%s", err.msg);
        flb_output_text(out, &plan);
        fclose(out);
        block = strstr(text, "Domain settings");
        if (!want[i])
            CHECK(block == NULL, "defaults listed:\n%s", text);
        else
            CHECK(block && !strncmp(block, want[i], strlen(want[i])) && strstr(block, "\nE820 ("),
                  "\n  want: %s\n  got:  %s", want[i], block ? block : text);
        free(text);
        flb_config_free(&cfg);
    }
}

void test_domain_settings(void)
{
    test_domain_text_output();
    test_domain_defaults();
    test_domain_values();
    test_shadow_memory_and_tsc();
    test_domain_errors();
}
