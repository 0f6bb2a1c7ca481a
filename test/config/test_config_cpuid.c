/* cpuid: both of xl's syntaxes into libxenguest's register strings, bad values, and the plan. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cpuid.h"
#include "core/plan.h"
#include "core/plan_settings.h"
#include "test_config.h"
#include "test_util.h"

/* A register string with the given characters at the given bits, 'x' elsewhere. */
static const char *reg_with(const char *bits_and_chars)
{
    static char r[33];

    memset(r, 'x', 32);
    r[32] = '\0';
    for (const char *p = bits_and_chars; *p;) {
        int bit = atoi(p);
        p = strchr(p, '=') + 1;
        r[31 - bit] = *p++;
        if (*p == ' ')
            p++;
    }
    return r;
}

static const struct flb_cpuid_entry *find(const struct flb_cpuid *c, uint32_t leaf, uint32_t subleaf)
{
    for (size_t i = 0; i < c->nr; i++)
        if (c->entry[i].leaf == leaf && c->entry[i].subleaf == subleaf)
            return &c->entry[i];
    return NULL;
}

/* Names land on their bits; later pieces overwrite earlier ones; entries for one leaf merge. */
static void test_string_form(void)
{
    struct flb_cpuid c = {0};
    const struct flb_cpuid_entry *e;
    char why[200] = "";

    CHECK(flb_cpuid_parse_string(&c, "host,,vmx=0,sse4.1=1,sse3=k,svm=1,avx2=s,vmx=1,maxhvleaf=0x41", why,
                                 sizeof(why)) == 0,
          "%s", why);
    CHECK(c.nr == 4, "%zu entries", c.nr);
    e = find(&c, 1, FLB_CPUID_NO_SUBLEAF);
    CHECK(e && !strcmp(e->reg[FLB_CPUID_ECX], reg_with("0=k 5=1 19=1")) && !e->reg[FLB_CPUID_EAX][0],
          "leaf 1: %s", e ? e->reg[FLB_CPUID_ECX] : "none");
    e = find(&c, 0x80000001, FLB_CPUID_NO_SUBLEAF);
    CHECK(e && !strcmp(e->reg[FLB_CPUID_ECX], reg_with("2=1")));
    e = find(&c, 7, 0);
    CHECK(e && !strcmp(e->reg[FLB_CPUID_EBX], reg_with("5=s")));
    e = find(&c, 0x40000000, FLB_CPUID_NO_SUBLEAF);
    CHECK(e && !strcmp(e->reg[FLB_CPUID_EAX], reg_with("0=1 1=0 2=0 3=0 4=0 5=0 6=1 7=0")), "%s",
          e ? e->reg[FLB_CPUID_EAX] : "none");
    flb_cpuid_free(&c);

    /* Family above 15: 0xf in the base field, the rest in the extended one; the model's nibbles split. */
    CHECK(flb_cpuid_parse_string(&c, "host,family=25,model=0x21,stepping=2", why, sizeof(why)) == 0, "%s",
          why);
    e = find(&c, 1, FLB_CPUID_NO_SUBLEAF);
    CHECK(e && !strcmp(e->reg[FLB_CPUID_EAX], reg_with("0=0 1=1 2=0 3=0 4=1 5=0 6=0 7=0 8=1 9=1 10=1 11=1 "
                                                       "16=0 17=1 18=0 19=0 20=0 21=1 22=0 23=1 24=0 25=0 "
                                                       "26=0 27=0")),
          "%s", e ? e->reg[FLB_CPUID_EAX] : "none");
    flb_cpuid_free(&c);
    /* Below 16 the extended family is written 0. */
    CHECK(flb_cpuid_parse_string(&c, "host,family=6", why, sizeof(why)) == 0, "%s", why);
    e = find(&c, 1, FLB_CPUID_NO_SUBLEAF);
    CHECK(e && !strcmp(e->reg[FLB_CPUID_EAX], reg_with("8=0 9=1 10=1 11=0 20=0 21=0 22=0 23=0 24=0 25=0 26=0 "
                                                       "27=0")));
    flb_cpuid_free(&c);
}

static void test_xend_form(void)
{
    struct flb_cpuid c = {0};
    const struct flb_cpuid_entry *e;
    char why[200] = "";
    const char *ones = "11111111111111111111111111111111", *ks = "kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk";
    char item[200];

    snprintf(item, sizeof(item), "0x00000007,0:ebx=%s, edx=%s", ones, ks);
    CHECK(flb_cpuid_parse_xend(&c, item, why, sizeof(why)) == 0, "%s", why);
    snprintf(item, sizeof(item), "7,0:eax=%s", ks);
    CHECK(flb_cpuid_parse_xend(&c, item, why, sizeof(why)) == 0, "%s", why);
    CHECK(c.nr == 1, "%zu", c.nr);
    e = find(&c, 7, 0);
    CHECK(e && !strcmp(e->reg[FLB_CPUID_EBX], ones) && !strcmp(e->reg[FLB_CPUID_EDX], ks) &&
          !strcmp(e->reg[FLB_CPUID_EAX], ks) && !e->reg[FLB_CPUID_ECX][0]);
    flb_cpuid_free(&c);
}

/* Both syntaxes from both front ends reach the plan, with the invariant TSC only for always_emulate. */
static void test_cpuid_plan(void)
{
    struct flb_config cfg;
    struct flb_plan plan;
    struct flb_host host;
    struct flb_error err = {{0}};
    struct flb_setting s[FLB_MAX_SETTINGS];

    flb_host_assumed(&host);
    CHECK_STR(run(&cfg, XL, BASE_XL "memory = 256\n", NULL), "");
    CHECK(flb_plan_make(&cfg, &host, &plan, &err) == 0, "%s", err.msg);
    CHECK(plan.domain.cpuid->nr == 0 && !plan.domain.itsc && !plan.domain.cpuid_text);
    flb_config_free(&cfg);

    CHECK_STR(
        run(&cfg, XL, BASE_XL "memory = 256\ncpuid = \"host,svm=0\"\ntsc_mode = \"always_emulate\"\n", NULL),
        "");
    CHECK(flb_plan_make(&cfg, &host, &plan, &err) == 0, "%s", err.msg);
    CHECK(plan.domain.cpuid->nr == 1 && plan.domain.itsc);
    CHECK(flb_plan_settings(&plan, s) == 2 && !strcmp(s[1].key, "cpuid") && !strcmp(s[1].text, "host,svm=0"));
    flb_config_free(&cfg);

    CHECK_STR(run(&cfg, YAML,
                  BASE_YAML "memory: 256\ncpuid: [\"0x80000001:ecx=xxxxxxxxxxxxxxxxxxxxxxxxxxxxx0xx\"]\n",
                  NULL),
              "");
    CHECK(cfg.cpuid.nr == 1 && cfg.cpuid.entry[0].leaf == 0x80000001);
    flb_config_free(&cfg);

    /* An override may write the string unquoted, as for any string key. */
    CHECK_STR(run(&cfg, XL, BASE_XL "memory = 256\n", (const char *const[]){"cpuid=host,vmx=0", NULL}), "");
    CHECK(cfg.cpuid.nr == 1 && cfg.cpuid.entry[0].leaf == 1);
    flb_config_free(&cfg);
}

static void test_cpuid_errors(void)
{
    static const struct error_case cases[] = {
        {XL, BASE_XL "memory = 256\ncpuid = \"vmx=0\"\n", NULL,
         "guest.cfg:4: cpuid: the string starts with \"host\", then NAME=VALUE pieces: \"host,vmx=0\""},
        {XL, BASE_XL "memory = 256\ncpuid = \",\"\n", NULL,
         "guest.cfg:4: cpuid: empty: write \"host\" then NAME=VALUE pieces, or leave cpuid out"},
        {XL, BASE_XL "memory = 256\ncpuid = \"host,vmx\"\n", NULL,
         "guest.cfg:4: cpuid: 'vmx' is not NAME=VALUE"},
        {XL, BASE_XL "memory = 256\ncpuid = \"host,warp=1\"\n", NULL,
         "guest.cfg:4: cpuid: 'warp' is not a CPUID feature xl knows (xl.cfg(5) lists them, such as vmx or "
         "svm)"},
        {XL, BASE_XL "memory = 256\ncpuid = \"host,vmx=2\"\n", NULL,
         "guest.cfg:4: cpuid: vmx=2: vmx takes 1 bit, at most 1"},
        {XL, BASE_XL "memory = 256\ncpuid = \"host,family=143\"\n", NULL,
         "guest.cfg:4: cpuid: family=143: at most 142 (15 plus the extended family)"},
        {XL, BASE_XL "memory = 256\ncpuid = \"host,vmx=on\"\n", NULL,
         "guest.cfg:4: cpuid: vmx=on: expected a number, or x (default), k or s (the host's value)"},
        {XL, BASE_XL "memory = 256\ncpuid = [\"0x1:ecx=xxxx\"]\n", NULL,
         "guest.cfg:4: cpuid (item 1): ecx: expected 32 characters, each 1, 0, x, k or s (bit 31 first), got "
         "'xxxx'"},
        {XL, BASE_XL "memory = 256\ncpuid = [\"leaf1:ecx=xxxx\"]\n", NULL,
         "guest.cfg:4: cpuid (item 1): 'leaf1:ecx=xxxx' does not start with LEAF: or LEAF,SUBLEAF: (such as "
         "\"0x00000001:\")"},
        {XL, BASE_XL "memory = 256\ncpuid = [\"0x1:efx=xxxx\"]\n", NULL,
         "guest.cfg:4: cpuid (item 1): 'efx=xxxx': expected eax=, ebx=, ecx= or edx= and 32 characters"},
        {XL, BASE_XL "memory = 256\ncpuid = [\"0x1:ecx=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx2\"]\n", NULL,
         "guest.cfg:4: cpuid (item 1): ecx: expected 32 characters, each 1, 0, x, k or s (bit 31 first), got "
         "'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx2'"},
        {XL, BASE_XL "memory = 256\ncpuid = []\n", NULL,
         "guest.cfg:4: cpuid: the list is empty: give LEAF:eXx=... strings, or leave the key out"},
        {XL, BASE_XL "memory = 256\ncpuid = 5\n", NULL,
         "guest.cfg:4: cpuid: expected a string such as \"host,vmx=0\" or a list of \"LEAF:eXx=...\" "
         "strings"},
        {XL, BASE_XL "memory = 256\n", "cpuid=\"host,sse3=z\"",
         "override 'cpuid=\"host,sse3=z\"': cpuid: sse3=z: expected a number, or x (default), k or s (the "
         "host's "
         "value)"},
    };

    check_cases(__func__, cases, sizeof(cases) / sizeof(cases[0]));
}

void test_cpuid_settings(void)
{
    test_string_form();
    test_xend_form();
    test_cpuid_plan();
    test_cpuid_errors();
}
