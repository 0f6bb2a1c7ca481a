/* The status table of every xl.cfg(5) key: consistent with the key table, and each status behaves as it says.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "core/xl_keys.h"
#include "test_config.h"
#include "test_util.h"

/* Keys of our own, not of xl.cfg(5). */
static const char *const own_keys[] = {"fixed_mem_layout", "foreign_region_mib"};

static bool listed(const char *name, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(name, list[i]))
            return true;
    return false;
}

#define LISTED(name, list) listed(name, list, sizeof(list) / sizeof(list[0]))

static void test_table_shape(void)
{
    size_t n;
    const struct flb_xl_key *k = flb_xl_keys(&n);

    /* Xen 4.17's xl reads 158 keys: a table that lost one would leave that key unknown. */
    CHECK(n == 158, "%zu keys", n);
    for (size_t i = 0; i < n; i++) {
        CHECK(i == 0 || strcmp(k[i - 1].name, k[i].name) < 0, "%s is out of order", k[i].name);
        CHECK(flb_xl_key_find(k[i].name) == &k[i], "%s is not found", k[i].name);
        CHECK(k[i].reason && islower((unsigned char)k[i].reason[0]) &&
                  k[i].reason[strlen(k[i].reason) - 1] != '.',
              "%s: a reason is one clause, lower case, no full stop", k[i].name);
        /* Honoured means implemented: in the key table, and only then. */
        CHECK((flb_key_lookup(k[i].name) >= 0) == (k[i].status == FLB_XL_HONOURED),
              "%s is %s but %s the key table", k[i].name, flb_xl_status_name(k[i].status),
              flb_key_lookup(k[i].name) >= 0 ? "in" : "not in");
    }
    for (int key = 0; key < FLB_KEY_COUNT; key++)
        CHECK(flb_xl_key_find(flb_key_name(key)) || LISTED(flb_key_name(key), own_keys),
              "%s is in the key table but not in xl.cfg(5)", flb_key_name(key));
    CHECK(flb_xl_key_find("memmory") == NULL);
    CHECK(flb_xl_key_find("") == NULL);
}

/* Each key not for PVH warns with its reason and the build goes on; each refused key stops it, in both
 * syntaxes. */
static void test_each_status(void)
{
    size_t n;
    const struct flb_xl_key *k = flb_xl_keys(&n);
    char text[256], want[640];

    for (size_t i = 0; i < n; i++) {
        struct flb_config cfg;
        const char *got;

        if (k[i].status == FLB_XL_HONOURED)
            continue;
        snprintf(text, sizeof(text), BASE_XL "memory = 256\n%s = 1\n", k[i].name);
        got = run(&cfg, XL, text, NULL);
        if (k[i].status == FLB_XL_REFUSED) {
            snprintf(want, sizeof(want), "guest.cfg:4: %s: refused: %s", k[i].name, k[i].reason);
            CHECK(!strcmp(got, want), "%s\n  want: %s\n  got:  %s", k[i].name, want, got);
        } else {
            snprintf(want, sizeof(want), "guest.cfg:4: %s: not for PVH: %s; ignored, as xl ignores it",
                     k[i].name, k[i].reason);
            CHECK(!strcmp(got, ""), "%s: %s", k[i].name, got);
            CHECK(cfg.nr_warnings == 1 && !strcmp(warning(&cfg, 0), want), "%s\n  want: %s\n  got:  %s",
                  k[i].name, want, warning(&cfg, 0));
        }
        flb_config_free(&cfg);
        /* The same from YAML, and as a value that is a list. */
        snprintf(text, sizeof(text), BASE_YAML "memory: 256\n%s: [a, b]\n", k[i].name);
        got = run(&cfg, YAML, text, NULL);
        CHECK((k[i].status == FLB_XL_REFUSED) == (got[0] != '\0'), "%s in YAML: '%s'", k[i].name, got);
        flb_config_free(&cfg);
    }
}

void test_xl_keys(void)
{
    test_table_shape();
    test_each_status();
}
