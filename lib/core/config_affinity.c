/* cpus and cpus_soft: a string for every vCPU, or a list with one string per vCPU, as xl reads them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/config_internal.h"

static struct flb_affinity *affinity_field(struct flb_config *cfg, enum flb_key k)
{
    return k == FLB_KEY_CPUS ? &cfg->cpus : &cfg->cpus_soft;
}

static int add(struct flb_affinity *a, const char *text, const char *at, const char *key, const char *item,
               struct flb_error *err)
{
    char why[200];
    int rc = flb_affinity_add(a, text, why, sizeof(why));

    if (rc == -2)
        return flb_fail(err, FLB_E_SYSTEM, "out of memory");
    if (rc)
        return flb_fail(err, FLB_E_INPUT, "%s%s%s: %s", at, key, item, why);
    return FLB_OK;
}

int flb_config_set_affinity(struct flb_config *cfg, enum flb_key k, const struct flb_value *v, const char *at,
                            struct flb_error *err)
{
    const char *key = flb_key_name(k);
    struct flb_affinity parsed = {0};
    char *text = NULL;
    int rc = FLB_OK;

    if (v->kind == FLB_VALUE_LIST) {
        if (!v->nr_items)
            return flb_fail(err, FLB_E_INPUT,
                            "%s%s: the list is empty: give one entry per vCPU, or leave the "
                            "key out",
                            at, key);
        parsed.per_vcpu = true;
        for (size_t i = 0; i < v->nr_items && !rc; i++) {
            char item[48];
            snprintf(item, sizeof(item), " (vCPU %zu)", i);
            if (!v->items[i])
                rc = flb_fail(err, FLB_E_INPUT, "%s%s%s: expected a string such as \"0-3\", got a list", at,
                              key, item);
            else
                rc = add(&parsed, v->items[i], at, key, item, err);
        }
        if (!rc && !(text = flb_value_list_text(v)))
            rc = flb_fail(err, FLB_E_SYSTEM, "out of memory");
    } else if ((v->kind == FLB_VALUE_STRING || v->kind == FLB_VALUE_INT || v->kind == FLB_VALUE_WORD) &&
               v->text) {
        rc = add(&parsed, v->text, at, key, "", err);
        if (!rc && !(text = strdup(v->text)))
            rc = flb_fail(err, FLB_E_SYSTEM, "out of memory");
    } else {
        rc = flb_fail(err, FLB_E_INPUT, "%s%s: expected a string such as \"0-3\" or a list of them%s", at,
                      key, flb_value_kind_name(v->kind));
    }
    if (rc) {
        flb_affinity_free(&parsed);
        return rc;
    }
    flb_affinity_free(affinity_field(cfg, k));
    *affinity_field(cfg, k) = parsed;
    free(*flb_config_string_field(cfg, k));
    *flb_config_string_field(cfg, k) = text;
    return FLB_OK;
}
