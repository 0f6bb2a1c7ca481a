/* cpus, cpus_soft, cpu_weight and cap: parsing in every syntax, defaults, bad values, and the CPU maps. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/affinity.h"
#include "core/plan.h"
#include "core/plan_settings.h"
#include "test_config.h"
#include "test_util.h"

/* A two-node host of 8 CPUs, CPU 7 not present. */
static const uint32_t host_nodes[8] = {0, 0, 0, 0, 1, 1, 1, FLB_CPU_ABSENT};
static const struct flb_cpu_topology host = {8, host_nodes};

/* The CPUs of a map as "0-3,6", for comparisons. */
static const char *cpus_of(const struct flb_affinity *a, uint32_t entry)
{
    static char buf[128];
    uint8_t map[1];
    size_t n = 0;

    buf[0] = '\0';
    flb_affinity_map(a, entry, &host, map);
    for (uint32_t c = 0; c < host.nr_cpus; c++) {
        uint32_t last = c;
        if (!(map[0] >> c & 1))
            continue;
        while (last + 1 < host.nr_cpus && map[0] >> (last + 1) & 1)
            last++;
        n +=
            (size_t)snprintf(buf + n, sizeof(buf) - n, last == c ? "%s%u" : "%s%u-%u", n ? "," : "", c, last);
        c = last;
    }
    return buf;
}

/* Each piece of xl's syntax, applied in order over the host's CPUs and nodes. */
static void test_affinity_maps(void)
{
    static const struct {
        const char *text, *cpus;
    } cases[] = {
        {"3", "3"},         {"0-3,^1", "0,2-3"},     {"all", "0-7"},          {"all,^2-3", "0-1,4-7"},
        {"nodes:1", "4-6"}, {"node:0,^nodes:0", ""}, {"nodes:0-1,^0", "1-6"}, {"nodes:all", "0-7"},
        {",1,,5,", "1,5"},  {"6-100", "6-7"},        {"4000000000", ""},      {"^3,3", "3"},
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct flb_affinity a = {0};
        char why[200] = "";

        CHECK(flb_affinity_add(&a, cases[i].text, why, sizeof(why)) == 0, "%s: %s", cases[i].text, why);
        CHECK(!strcmp(cpus_of(&a, 0), cases[i].cpus), "%s: want %s, got %s", cases[i].text, cases[i].cpus,
              cpus_of(&a, 0));
        flb_affinity_free(&a);
    }
}

/* A string applies to every vCPU; a list entry to its own, and none past its end. */
static void test_affinity_entries(void)
{
    struct flb_config cfg;

    CHECK_STR(run(&cfg, XL, BASE_XL "memory = 256\nmaxvcpus = 4\ncpus = \"1-2\"\n", NULL), "");
    CHECK(!cfg.cpus.per_vcpu && cfg.cpus.nr_entries == 1);
    CHECK(flb_affinity_entry(&cfg.cpus, 3) == 0 && flb_affinity_entry(&cfg.cpus_soft, 0) == -1);
    CHECK_STR(cfg.cpus_text, "1-2");
    flb_config_free(&cfg);

    CHECK_STR(
        run(&cfg, XL, BASE_XL "memory = 256\nmaxvcpus = 4\ncpus = [\"0\", 2]\ncpus += [\"nodes:1\"]\n", NULL),
        "");
    CHECK(cfg.cpus.per_vcpu && cfg.cpus.nr_entries == 3, "%u entries", cfg.cpus.nr_entries);
    CHECK(flb_affinity_entry(&cfg.cpus, 2) == 2 && flb_affinity_entry(&cfg.cpus, 3) == -1);
    CHECK_STR(cpus_of(&cfg.cpus, 1), "2");
    CHECK_STR(cpus_of(&cfg.cpus, 2), "4-6");
    CHECK_STR(cfg.cpus_text, "[\"0\", \"2\", \"nodes:1\"]");
    flb_config_free(&cfg);

    CHECK_STR(run(&cfg, YAML, BASE_YAML "memory: 256\nmaxvcpus: 2\ncpus_soft: [\"0-1\", 3]\n", NULL), "");
    CHECK(cfg.cpus_soft.per_vcpu && cfg.cpus_soft.nr_entries == 2);
    CHECK_STR(cpus_of(&cfg.cpus_soft, 1), "3");
    flb_config_free(&cfg);

    CHECK_STR(run(&cfg, XL, BASE_XL "memory = 256\n", (const char *const[]){"cpus=[\"5\",\"all\"]", NULL}),
              "");
    CHECK(cfg.cpus.per_vcpu && cfg.cpus.nr_entries == 2);
    CHECK_STR(cpus_of(&cfg.cpus, 1), "0-7");
    flb_config_free(&cfg);

    /* xl joins two strings with '+=' too: "0-1" then ",3". */
    CHECK_STR(run(&cfg, XL, BASE_XL "memory = 256\ncpus = \"0-1\"\ncpus += \",3\"\n", NULL), "");
    CHECK_STR(cpus_of(&cfg.cpus, 0), "0-1,3");
    flb_config_free(&cfg);
}

/* Unset, the keys leave Xen's defaults and the dry-run lists nothing; set, the plan and the list carry them.
 */
static void test_sched_plan(void)
{
    struct flb_config cfg;
    struct flb_plan plan;
    struct flb_host h;
    struct flb_error err = {{0}};
    struct flb_setting s[FLB_MAX_SETTINGS];
    size_t n;

    flb_host_assumed(&h);
    CHECK_STR(run(&cfg, XL, BASE_XL "memory = 256\n", NULL), "");
    CHECK(cfg.cpu_weight == FLB_UNSET && cfg.cap == FLB_UNSET && !cfg.cpus.nr_entries);
    CHECK(flb_plan_make(&cfg, &h, &plan, &err) == 0, "%s", err.msg);
    CHECK(!plan.domain.has_sched_weight && !plan.domain.has_sched_cap &&
          !plan.domain.hard_affinity->nr_entries);
    CHECK(flb_plan_settings(&plan, s) == 0);
    flb_config_free(&cfg);

    CHECK_STR(run(&cfg, XL,
                  BASE_XL
                  "memory = 256\nmaxvcpus = 2\ncpus = \"0-3,^1\"\ncpus_soft = [\"2\"]\ncpu_weight = 512\n"
                  "cap = 200\n",
                  NULL),
              "");
    CHECK(flb_plan_make(&cfg, &h, &plan, &err) == 0, "%s", err.msg);
    CHECK(plan.domain.has_sched_weight && plan.domain.sched_weight == 512);
    CHECK(plan.domain.has_sched_cap && plan.domain.sched_cap == 200);
    CHECK_STR(plan.domain.hard_affinity_at, "guest.cfg:5: ");
    n = flb_plan_settings(&plan, s);
    CHECK(n == 4, "%zu settings", n);
    if (n == 4) {
        CHECK(!strcmp(s[0].key, "cpus") && !strcmp(s[0].text, "0-3,^1"), "%s %s", s[0].key, s[0].text);
        CHECK(!strcmp(s[1].key, "cpus_soft") && !strcmp(s[1].text, "[\"2\"]"), "%s %s", s[1].key, s[1].text);
        CHECK(!strcmp(s[2].key, "cpu_weight") && s[2].number == 512);
        CHECK(!strcmp(s[3].key, "cap") && s[3].number == 200);
    }
    flb_config_free(&cfg);

    /* cap = 0 is "no cap", as Xen's default, but written: it is applied and listed. */
    CHECK_STR(run(&cfg, YAML, BASE_YAML "memory: 256\ncap: 0\ncpu_weight: 1\n", NULL), "");
    CHECK(flb_plan_make(&cfg, &h, &plan, &err) == 0, "%s", err.msg);
    CHECK(plan.domain.has_sched_cap && plan.domain.sched_cap == 0 && plan.domain.sched_weight == 1);
    flb_config_free(&cfg);
}

static void test_sched_errors(void)
{
    static const struct error_case cases[] = {
        {XL, BASE_XL "memory = 256\ncpus = \"0-3,x\"\n", NULL,
         "guest.cfg:4: cpus: 'x' is not a CPU (\"3\"), a range (\"0-3\"), all, or nodes:N"},
        {XL, BASE_XL "memory = 256\ncpus = \"3-1\"\n", NULL,
         "guest.cfg:4: cpus: '3-1' is not a range: write FIRST-LAST with FIRST <= LAST"},
        {XL, BASE_XL "memory = 256\ncpus = \"^all\"\n", NULL,
         "guest.cfg:4: cpus: '^all': '^' cannot remove all (xl refuses it too)"},
        {XL, BASE_XL "memory = 256\ncpus = \"\"\n", NULL,
         "guest.cfg:4: cpus: no CPU given: write the CPUs (\"0-3\", \"all\"), or leave the key out"},
        {XL, BASE_XL "memory = 256\ncpus = \",\"\n", NULL,
         "guest.cfg:4: cpus: no CPU given: write the CPUs (\"0-3\", \"all\"), or leave the key out"},
        {XL, BASE_XL "memory = 256\ncpus = \"4294967295\"\n", NULL,
         "guest.cfg:4: cpus: '4294967295' is not a CPU (\"3\"), a range (\"0-3\"), all, or nodes:N"},
        {XL, BASE_XL "memory = 256\ncpus = \"nodes:\"\n", NULL,
         "guest.cfg:4: cpus: 'nodes:' is not a CPU (\"3\"), a range (\"0-3\"), all, or nodes:N"},
        {XL, BASE_XL "memory = 256\ncpus_soft = [\"0\", \"1-\"]\n", NULL,
         "guest.cfg:4: cpus_soft (vCPU 1): '1-' is not a range: write FIRST-LAST with FIRST <= LAST"},
        {XL, BASE_XL "memory = 256\ncpus_soft = [\"0\", [\"1\"]]\n", NULL,
         "guest.cfg:4: cpus_soft (vCPU 1): expected a string such as \"0-3\", got a list"},
        {XL, BASE_XL "memory = 256\ncpus = []\n", NULL,
         "guest.cfg:4: cpus: the list is empty: give one entry per vCPU, or leave the key out"},
        {YAML, BASE_YAML "memory: 256\ncpus: {a: 1}\n", NULL,
         "guest.yaml:4: cpus: expected a string such as \"0-3\" or a list of them"},
        {YAML, BASE_YAML "memory: 256\ncpus: [[0]]\n", NULL,
         "guest.yaml:4: cpus (vCPU 0): expected a string such as \"0-3\", got a list"},
        {XL, BASE_XL "memory = 256\n", "cpus=[\"0\",\"z\"]",
         "override 'cpus=[\"0\",\"z\"]': cpus (vCPU 1): 'z' is not a CPU (\"3\"), a range (\"0-3\"), all, or "
         "nodes:N"},
        {XL, BASE_XL "memory = 256\ncpu_weight = 0\n", NULL,
         "guest.cfg:4: cpu_weight: must be between 1 and 65535, got 0"},
        {XL, BASE_XL "memory = 256\ncpu_weight = 65536\n", NULL,
         "guest.cfg:4: cpu_weight: must be between 1 and 65535, got 65536"},
        {XL, BASE_XL "memory = 256\nvcpus = 2\ncap = 201\n", NULL,
         "guest.cfg:5: cap: 201 is above 200, 100 (one whole CPU) for each of the 2 vCPUs: lower it, or "
         "raise "
         "maxvcpus"},
        {XL, BASE_XL "memory = 256\ncap = \"half\"\n", NULL,
         "guest.cfg:4: cap: expected an integer (% of one CPU), got a string"},
    };

    check_cases(__func__, cases, sizeof(cases) / sizeof(cases[0]));
}

void test_sched_settings(void)
{
    test_affinity_maps();
    test_affinity_entries();
    test_sched_plan();
    test_sched_errors();
}
