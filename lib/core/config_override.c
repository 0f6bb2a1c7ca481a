/* KEY=VALUE overrides from the command line: the value in xl syntax, or a bare word for a string key. */
#include "core/config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* Reads a quoted xl string into out (as long as the input): 0, -1 if not closed, -2 if text follows. */
static int dequote(const char *p, const char *end, char *out)
{
    char quote = *p++;

    for (; p < end && *p != quote; p++) {
        if (*p == '\\' && p + 1 < end) {
            p++;
            *out++ = *p == 'n' ? '\n' : *p == 't' ? '\t' : *p == 'r' ? '\r' : *p;
        } else {
            *out++ = *p;
        }
    }
    *out = '\0';
    if (p >= end)
        return -1;
    for (p++; p < end; p++)
        if (!isspace((unsigned char)*p))
            return -2;
    return 0;
}

static int fail(struct flb_error *err, int rc, const char *assignment, const char *msg)
{
    rc = flb_fail(err, rc, FLB_OVERRIDE_FMT ": %s", FLB_OVERRIDE_ARG(assignment), msg);
    if (err)
        flb_config_oneline(err->msg, sizeof(err->msg));
    return rc;
}

int flb_config_apply_override(struct flb_config *cfg, const char *assignment, struct flb_error *err)
{
    const char *eq = strchr(assignment, '='), *start = assignment;
    const char *val, *end;
    struct flb_value v = {.kind = FLB_VALUE_OTHER};
    struct flb_error inner = {{0}};
    char *key = NULL, *buf = NULL;
    size_t klen;
    int k, rc;

    if (!eq)
        return fail(err, FLB_E_INPUT, assignment, "expected KEY=VALUE");
    while (isspace((unsigned char)*start))
        start++;
    klen = start < eq ? (size_t)(eq - start) : 0;
    while (klen && isspace((unsigned char)start[klen - 1]))
        klen--;
    if (!klen)
        return fail(err, FLB_E_INPUT, assignment, "expected KEY=VALUE");
    if (!(key = strndup(start, klen)))
        return flb_fail(err, FLB_E_SYSTEM, "out of memory");
    k = flb_key_lookup(key);
    if (k < 0 && flb_key_is_ignored(key)) {
        flb_config_warn(cfg, FLB_OVERRIDE_FMT ": xl key '%s' ignored (fixed-layout-build does not use it)",
                        FLB_OVERRIDE_ARG(assignment), key);
        free(key);
        return FLB_OK;
    }

    for (val = eq + 1; isspace((unsigned char)*val); val++)
        ;
    for (end = val + strlen(val); end > val && isspace((unsigned char)end[-1]); end--)
        ;
    if (!(buf = malloc((size_t)(end - val) + 1))) {
        free(key);
        return flb_fail(err, FLB_E_SYSTEM, "out of memory");
    }
    memcpy(buf, val, (size_t)(end - val));
    buf[end - val] = '\0';
    if (*val == '"' || *val == '\'') {
        int q = dequote(val, end, buf);
        if (q) {
            rc = flb_fail(err, FLB_E_INPUT, FLB_OVERRIDE_FMT ": %s: %s", FLB_OVERRIDE_ARG(assignment), key,
                          q == -1 ? "unterminated string" : "text after the closing quote");
            goto out;
        }
        v.kind = FLB_VALUE_STRING;
        v.text = buf;
    } else if (*val == '[') {
        v.kind = FLB_VALUE_LIST;
    } else if (isdigit((unsigned char)*val) ||
               ((*val == '-' || *val == '+') && isdigit((unsigned char)val[1]))) {
        v.kind = FLB_VALUE_INT;
        v.text = buf;
    } else if (*val && k >= 0 && flb_key_info(k)->kind == FLB_KEY_STRING) {
        /* A shell makes quoting awkward, so a string key takes a bare word as well. */
        v.kind = FLB_VALUE_STRING;
        v.text = buf;
    }
    rc = flb_config_set(cfg, key, &v, (struct flb_origin){NULL, 0}, true, &inner);
    if (rc)
        rc = fail(err, rc, assignment, inner.msg);
    else if (!(cfg->override[k] = strdup(assignment)))
        rc = flb_fail(err, FLB_E_SYSTEM, "out of memory");
out:
    free(buf);
    free(key);
    if (rc && err)
        flb_config_oneline(err->msg, sizeof(err->msg));
    return rc;
}
