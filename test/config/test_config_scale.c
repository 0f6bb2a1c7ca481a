/* Parsing stays linear: inputs near the 1 MiB limit that once took minutes, each with its exact result. */
/*
 * Inputs up to the 1 MiB size limit that once took minutes: many distinct keys, deep nesting. Each must
 * end with its exact result; the time taken is printed for information only (a run that no longer ends
 * is caught by the test's timeout).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "frontend/config_file.h"
#include "test_config.h"
#include "test_util.h"

/* Just under the 1 MiB limit that flb_config_load_file() applies. */
#define BIG (1024 * 1024 - 64)

struct big {
    char *p;
    size_t len;
};

static void add(struct big *b, const char *s)
{
    size_t n = strlen(s);

    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static struct big start(const char *head)
{
    struct big b = {malloc(BIG + 1), 0};

    CHECK(b.p != NULL);
    if (!b.p)
        exit(1);
    b.p[0] = '\0';
    add(&b, head);
    return b;
}

/* printf(fmt, i) for i = 0, 1, ... while the file stays within BIG; returns how many lines were added. */
static int fill(struct big *b, const char *fmt)
{
    char line[128];
    int i = 0;

    for (;; i++) {
        int n = snprintf(line, sizeof(line), fmt, i);
        if (b->len + (size_t)n > BIG)
            return i;
        add(b, line);
    }
}

/* s repeated while it fits, leaving room for `tail` bytes. */
static void pad(struct big *b, const char *s, size_t tail)
{
    while (b->len + strlen(s) + tail <= BIG)
        add(b, s);
}

/* Runs the text, printing the time it took; the result is run()'s. */
static const char *timed(const char *what, struct flb_config *cfg, enum fmt fmt, const struct big *b)
{
    struct timespec t0, t1;
    const char *got;

    clock_gettime(CLOCK_MONOTONIC, &t0);
    got = run(cfg, fmt, b->p, NULL);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    printf("scale: %-44s %7zu bytes %8.3f s\n", what, b->len,
           (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
    return got;
}

/* The warnings of a file of distinct unknown keys: the first few, then the notice that the rest are dropped.
 */
static void check_capped(const struct flb_config *cfg, const char *first)
{
    CHECK(cfg->nr_warnings == FLB_MAX_WARNINGS, "%d warnings", cfg->nr_warnings);
    CHECK_STR(warning(cfg, 0), first);
    CHECK_STR(warning(cfg, FLB_MAX_WARNINGS - 1), "too many warnings; the rest are not shown");
}

static void scale_yaml(void)
{
    struct flb_config cfg;
    struct big b;
    int n;

    b = start(BASE_YAML "memory: 64\n");
    n = fill(&b, "zz%d: 1\n");
    CHECK(n > 80000, "%d keys", n);
    CHECK_STR(timed("yaml: distinct unknown keys", &cfg, YAML, &b), "");
    check_capped(&cfg, "guest.yaml:4: unknown key 'zz0' ignored");
    flb_config_free(&cfg);
    free(b.p);

    b = start(BASE_YAML "memory: 64\nvif: ");
    for (int i = 0; i < 10000; i++)
        add(&b, "[");
    for (int i = 0; i < 10000; i++)
        add(&b, "]");
    add(&b, "\n");
    CHECK_STR(timed("yaml: lists 10000 deep", &cfg, YAML, &b),
              "guest.yaml:4: vif: lists and mappings nested more than 32 deep");
    flb_config_free(&cfg);
    free(b.p);

    b = start(BASE_YAML "memory: 64\nvif: ");
    pad(&b, "{a: ", 0);
    CHECK_STR(timed("yaml: 1 MiB of unclosed mappings", &cfg, YAML, &b),
              "guest.yaml:4: vif: lists and mappings nested more than 32 deep");
    flb_config_free(&cfg);
    free(b.p);

    /* Block style: each level indented one more space, as deep as 1 MiB allows (about 1400 levels). */
    b = start(BASE_YAML "memory: 64\nvif:\n");
    for (int i = 1;; i++) {
        char line[64];
        int len = snprintf(line, sizeof(line), "%*sk%d:\n", i, "", i);
        if (b.len + (size_t)len > BIG)
            break;
        add(&b, line);
    }
    CHECK_STR(timed("yaml: block mappings as deep as fits", &cfg, YAML, &b),
              "guest.yaml:37: vif: lists and mappings nested more than 32 deep");
    flb_config_free(&cfg);
    free(b.p);

    /* A long flat list under an ignored key: one warning. */
    b = start(BASE_YAML "memory: 64\ndevice_model_args: [");
    pad(&b, "a, ", 2);
    add(&b, "]\n");
    CHECK_STR(timed("yaml: one list of 1 MiB", &cfg, YAML, &b), "");
    CHECK(cfg.nr_warnings == 1, "%d warnings", cfg.nr_warnings);
    CHECK_STR(warning(&cfg, 0),
              "guest.yaml:4: device_model_args: not for PVH: an option of the device model, which a PVH "
              "guest built here does not have; ignored, as xl ignores it");
    flb_config_free(&cfg);
    free(b.p);
}

static void scale_xl(void)
{
    struct flb_config cfg;
    struct big b;
    char want[128];
    int n;

    b = start(BASE_XL "memory = 64\n");
    n = fill(&b, "zz%d = 1\n");
    CHECK(n > 80000, "%d keys", n);
    CHECK_STR(timed("xl: distinct unknown keys", &cfg, XL, &b), "");
    check_capped(&cfg, "guest.cfg:4: unknown key 'zz0' ignored");
    flb_config_free(&cfg);
    free(b.p);

    /* libxlutil joins each '+=' by searching every statement before it: this took minutes. */
    b = start(BASE_XL "memory = 64\n");
    fill(&b, "zz%d += \"a\"\n");
    CHECK_STR(timed("xl: distinct unknown keys with +=", &cfg, XL, &b), "");
    check_capped(&cfg, "guest.cfg:4: unknown key 'zz0' ignored");
    flb_config_free(&cfg);
    free(b.p);

    b = start(BASE_XL "memory = 64\nextra = \"\"\n");
    n = fill(&b, "extra += \"x\" # %d\n");
    snprintf(want, sizeof(want),
             "guest.cfg:4: extra: the kernel command line would be %d bytes, at most 1023 fit", n);
    CHECK_STR(timed("xl: one string joined from 1 MiB of +=", &cfg, XL, &b), want);
    flb_config_free(&cfg);
    free(b.p);

    b = start(BASE_XL "memory = 64\nvif = ");
    for (int i = 0; i < 10000; i++)
        add(&b, "[");
    for (int i = 0; i < 10000; i++)
        add(&b, "]");
    add(&b, "\n");
    CHECK_STR(timed("xl: lists 10000 deep", &cfg, XL, &b),
              "guest.cfg:4: vif: lists nested more than 32 deep");
    flb_config_free(&cfg);
    free(b.p);

    b = start(BASE_XL "memory = 64\nvif = ");
    pad(&b, "[", 0);
    CHECK_STR(timed("xl: 1 MiB of unclosed lists", &cfg, XL, &b),
              "guest.cfg:4: vif: lists nested more than 32 deep");
    flb_config_free(&cfg);
    free(b.p);

    b = start(BASE_XL "memory = 64\ndevice_model_args = [");
    pad(&b, "'a', ", 2);
    add(&b, "]\n");
    CHECK_STR(timed("xl: one list of 1 MiB", &cfg, XL, &b), "");
    CHECK(cfg.nr_warnings == 1, "%d warnings", cfg.nr_warnings);
    CHECK_STR(warning(&cfg, 0), "guest.cfg:4: device_model_args: not for PVH: an option of the device model, "
                                "which a PVH guest built here does not have; ignored, as xl ignores it");
    flb_config_free(&cfg);
    free(b.p);
}

void test_scale(void)
{
    scale_xl();
    scale_yaml();
}
