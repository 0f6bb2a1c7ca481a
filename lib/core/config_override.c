/* KEY=VALUE overrides from the command line: the value in xl syntax, or a bare word for a string key. */
#include "core/config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/config_internal.h"
#include "core/xl_value.h"

static int fail(struct flb_error *err, int rc, const char *assignment, const char *msg)
{
    rc = flb_fail(err, rc, FLB_OVERRIDE_FMT ": %s", FLB_OVERRIDE_ARG(assignment), msg);
    if (err)
        flb_config_oneline(err->msg, sizeof(err->msg));
    return rc;
}

/* xl's number token, [0-9][0-9a-fx]*, and nothing else. */
static bool xl_number(const char *s)
{
    if (!isdigit((unsigned char)*s))
        return false;
    return !s[strspn(s, "0123456789abcdefx")];
}

/*
 * The value as the file front end would read it, so that the same mistake gets the same message: a quoted
 * string with the one rule for escapes, a list, a number; anything else is a word, which only a string
 * key takes as it is. buf holds the decoded string, *items a list's items (freed by the caller).
 */
static int read_value(const char *assignment, const char *key, const char *val, char *buf, char ***items,
                      struct flb_value *v, struct flb_error *err)
{
    struct flb_xl_reader r = {.p = val, .end = val + strlen(val), .override = assignment, .key = key};
    struct flb_xl_token tok;
    char msg[128];

    if (!*val)
        return FLB_OK; /* FLB_VALUE_OTHER: nothing to read */
    if (*val != '"' && *val != '\'' && *val != '[') {
        v->kind = xl_number(val) ? FLB_VALUE_INT : FLB_VALUE_WORD;
        v->text = val;
        return FLB_OK;
    }
    if (flb_xl_read_value(&r, &tok, err))
        return FLB_E_INPUT;
    while (r.p < r.end && isspace((unsigned char)*r.p))
        r.p++;
    if (r.p < r.end) {
        int n = 0;
        while (n < 16 && r.p[n] && !isspace((unsigned char)r.p[n]))
            n++;
        snprintf(msg, sizeof(msg), "%s: unexpected '%.*s' after the value", key, n, r.p);
        return fail(err, FLB_E_INPUT, assignment, msg);
    }
    v->kind = tok.kind;
    if (tok.kind == FLB_VALUE_STRING) {
        flb_xl_decode(&tok, buf);
        v->text = buf;
    } else if (tok.kind == FLB_VALUE_LIST) {
        if (flb_xl_list_items(&tok, items, &v->nr_items))
            return flb_fail(err, FLB_E_SYSTEM, "out of memory");
        v->items = *items;
    }
    return FLB_OK;
}

/* KEY+=VALUE, as xl joins them: the string so far, then this one; a key not yet set is simply set. */
static int append(struct flb_config *cfg, int k, const char *assignment, struct flb_value *v, char **joined,
                  struct flb_error *err)
{
    char msg[128];
    const char *before;

    if (k < 0)
        return FLB_OK; /* unknown: flb_config_set() says so */
    if (flb_key_info(k)->kind != FLB_KEY_STRING) {
        snprintf(msg, sizeof(msg), "%s: '+=' only applies to strings and lists", flb_key_name(k));
        return fail(err, FLB_E_INPUT, assignment, msg);
    }
    /* An on_ key keeps the action it named, not its text: there is no string to add to. */
    if (flb_key_is_action(k)) {
        snprintf(msg, sizeof(msg), "%s: '+=' does not apply to an action, which is one word",
                 flb_key_name(k));
        return fail(err, FLB_E_INPUT, assignment, msg);
    }
    before = *flb_config_string_field(cfg, k);
    if (!before || !v->text || v->kind == FLB_VALUE_LIST)
        return FLB_OK;
    if (asprintf(joined, "%s%s", before, v->text) < 0) {
        *joined = NULL;
        return flb_fail(err, FLB_E_SYSTEM, "out of memory");
    }
    v->kind = FLB_VALUE_STRING;
    v->text = *joined;
    return FLB_OK;
}

static int apply(struct flb_config *cfg, const char *assignment, const char *key, bool add, const char *val,
                 char *buf, struct flb_error *err)
{
    struct flb_value v = {.kind = FLB_VALUE_OTHER};
    struct flb_error inner = {{0}};
    char mistake[256], at[128], *joined = NULL, **items = NULL;
    int k = flb_key_lookup(key), rc;

    if (k < 0 && flb_key_is_xl(key)) {
        snprintf(at, sizeof(at), FLB_OVERRIDE_FMT ": ", FLB_OVERRIDE_ARG(assignment));
        rc = flb_config_xl_key(cfg, key, at, err);
        if (rc && err)
            flb_config_oneline(err->msg, sizeof(err->msg));
        return rc;
    }
    if (k < 0 && flb_key_mistake(key, mistake, sizeof(mistake)))
        return fail(err, FLB_E_INPUT, assignment, mistake);
    if ((rc = read_value(assignment, key, val, buf, &items, &v, err)))
        return rc;
    if (add && (rc = append(cfg, k, assignment, &v, &joined, err))) {
        free(items);
        return rc;
    }
    rc = flb_config_set(cfg, key, &v, (struct flb_origin){NULL, 0}, true, &inner);
    free(joined);
    free(items);
    if (rc)
        return fail(err, rc, assignment, inner.msg);
    if (!(cfg->override[k] = strdup(assignment)))
        return flb_fail(err, FLB_E_SYSTEM, "out of memory");
    return FLB_OK;
}

int flb_config_apply_override(struct flb_config *cfg, const char *assignment, struct flb_error *err)
{
    const char *eq = strchr(assignment, '='), *start = assignment, *val, *end;
    char *key = NULL, *buf = NULL;
    size_t klen;
    bool add;
    int rc;

    if (!eq)
        return fail(err, FLB_E_INPUT, assignment, "expected KEY=VALUE");
    while (isspace((unsigned char)*start))
        start++;
    klen = start < eq ? (size_t)(eq - start) : 0;
    while (klen && isspace((unsigned char)start[klen - 1]))
        klen--;
    /* KEY+=VALUE appends, as in an xl file. */
    add = klen && start[klen - 1] == '+';
    if (add)
        klen--;
    while (add && klen && isspace((unsigned char)start[klen - 1]))
        klen--;
    if (!klen)
        return fail(err, FLB_E_INPUT, assignment, "expected KEY=VALUE");
    for (val = eq + 1; isspace((unsigned char)*val); val++)
        ;
    for (end = val + strlen(val); end > val && isspace((unsigned char)end[-1]); end--)
        ;
    key = strndup(start, klen);
    buf = malloc((size_t)(end - val) + 1); /* the value, then its decoded string in place */
    if (!key || !buf) {
        rc = flb_fail(err, FLB_E_SYSTEM, "out of memory");
    } else {
        memcpy(buf, val, (size_t)(end - val));
        buf[end - val] = '\0';
        rc = apply(cfg, assignment, key, add, buf, buf, err);
    }
    free(buf);
    free(key);
    if (rc && err)
        flb_config_oneline(err->msg, sizeof(err->msg));
    return rc;
}
