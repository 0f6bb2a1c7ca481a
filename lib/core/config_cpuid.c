/* cpuid: xl's string ("host,vmx=0") or list of register strings, parsed into the config's entries. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/config_internal.h"

static int parsed(int rc, const char *why, const char *at, const char *item, struct flb_error *err)
{
    if (rc == -2)
        return flb_fail(err, FLB_E_SYSTEM, "out of memory");
    if (rc)
        return flb_fail(err, FLB_E_INPUT, "%scpuid%s: %s", at, item, why);
    return FLB_OK;
}

int flb_config_set_cpuid(struct flb_config *cfg, const struct flb_value *v, const char *at,
                         struct flb_error *err)
{
    struct flb_cpuid c = {0};
    char why[200] = "", *text = NULL;
    int rc = FLB_OK;

    if (v->kind == FLB_VALUE_LIST) {
        if (!v->nr_items)
            return flb_fail(err, FLB_E_INPUT,
                            "%scpuid: the list is empty: give LEAF:eXx=... strings, or leave "
                            "the key out",
                            at);
        for (size_t i = 0; i < v->nr_items && !rc; i++) {
            char item[32];
            snprintf(item, sizeof(item), " (item %zu)", i + 1);
            if (!v->items[i])
                rc = flb_fail(err, FLB_E_INPUT,
                              "%scpuid%s: expected a string such as \"0x1:ecx=...\", got a list", at, item);
            else
                rc = parsed(flb_cpuid_parse_xend(&c, v->items[i], why, sizeof(why)), why, at, item, err);
        }
        if (!rc && !(text = flb_value_list_text(v)))
            rc = flb_fail(err, FLB_E_SYSTEM, "out of memory");
    } else if ((v->kind == FLB_VALUE_STRING || v->kind == FLB_VALUE_WORD) && v->text) {
        rc = parsed(flb_cpuid_parse_string(&c, v->text, why, sizeof(why)), why, at, "", err);
        if (!rc && !(text = strdup(v->text)))
            rc = flb_fail(err, FLB_E_SYSTEM, "out of memory");
    } else {
        rc = flb_fail(err, FLB_E_INPUT,
                      "%scpuid: expected a string such as \"host,vmx=0\" or a list of "
                      "\"LEAF:eXx=...\" strings%s",
                      at, flb_value_kind_name(v->kind));
    }
    if (rc) {
        flb_cpuid_free(&c);
        return rc;
    }
    flb_cpuid_free(&cfg->cpuid);
    cfg->cpuid = c;
    free(cfg->cpuid_text);
    cfg->cpuid_text = text;
    return FLB_OK;
}
