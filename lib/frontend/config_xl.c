/* The xl.cfg(5) front end: our scan reads and explains; libxlutil confirms that xl reads the file too. */
#include "frontend/config_file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxlutil.h>

#include "frontend/xl_scan.h"

/*
 * libxlutil reports "<file>:<n>: config parsing error near `<tok>': <bison message>". Our scan explains
 * every mistake we know of first, so this is the rare rest: say where, not the parser's grammar.
 */
static int xl_refused(const char *name, char *report, int rc, struct flb_error *err)
{
    char *near, *end;
    int line = 0;
    size_t nlen = strlen(name);

    if (rc == ENOMEM)
        return flb_fail(err, FLB_E_SYSTEM, "out of memory");
    if (strncmp(report, name, nlen) || report[nlen] != ':' || sscanf(report + nlen + 1, "%d", &line) != 1)
        return flb_fail(err, FLB_E_INPUT, "%s: xl cannot read this file (%s)", name, strerror(rc));
    if ((near = strstr(report, "near `")) && (end = strstr(near, "': "))) {
        near += 6;
        return flb_fail(err, FLB_E_INPUT, "%s:%d: xl cannot read this line (near '%.*s')", name, line,
                        (int)(end - near < 40 ? end - near : 40), near);
    }
    return flb_fail(err, FLB_E_INPUT, "%s:%d: xl cannot read this line", name, line);
}

/* Whether the lexer's copy of len bytes, and the little it allocates with it, can be had right now. */
static bool reserve(size_t len)
{
    void *big = malloc(len + 2), *small = malloc(64 * 1024);
    bool ok = big && small;

    free(small);
    free(big);
    return ok;
}

/*
 * libxlutil must read the file too, so that xl would take it as we do. It is given a copy in which each
 * '+=' is a plain '=': it joins '+=' values by searching every statement before, which would make 1 MiB of
 * them take minutes; we join them ourselves.
 */
static int xl_reads(const char *name, const char *data, size_t len, const struct xl_scan *s,
                    struct flb_error *err)
{
    char *copy = malloc(len + 1), *report = NULL;
    size_t report_len = 0;
    XLU_Config *xlu = NULL;
    FILE *rf = NULL;
    int rc = FLB_E_SYSTEM;

    if (!copy || !(rf = open_memstream(&report, &report_len)) || !(xlu = xlu_cfg_init(rf, name))) {
        flb_fail(err, FLB_E_SYSTEM, "out of memory");
        goto out;
    }
    memcpy(copy, data, len);
    for (size_t i = 0; i < s->nr; i++)
        if (s->stmt[i].append)
            copy[s->stmt[i].op] = ' ';
    /*
     * libxlutil's lexer copies the text into a buffer of its own, and when that allocation fails it prints
     * a line of its own and exits the process with status 2. Reserving the memory first, and freeing it
     * just before the call, lets us report running out as ours (status 1) while the lexer then finds it.
     */
    if (!reserve(len)) {
        rc = flb_fail(err, FLB_E_SYSTEM, "out of memory");
        goto out;
    }
    rc = xlu_cfg_readdata(xlu, copy, (int)len);
    if (rc) {
        fflush(rf);
        rc = xl_refused(name, report ? report : (char *)"", rc, err);
    }
out:
    if (xlu)
        xlu_cfg_destroy(xlu);
    if (rf)
        fclose(rf);
    free(report);
    free(copy);
    return rc;
}

/* The items of a list and of every '+=' after it, in one allocation (*buf) as flb_xl_list_items makes them.
 */
static int join_lists(const struct xl_scan *s, size_t i, char **buf, struct flb_value *v,
                      struct flb_error *err)
{
    size_t nr = 0, text = 0;
    char **out, *p;

    for (int j = (int)i; j >= 0; j = s->stmt[j].next) {
        char **items;
        size_t n;
        if (flb_xl_list_items(&s->stmt[j].value, &items, &n))
            return flb_fail(err, FLB_E_SYSTEM, "out of memory");
        free(items);
        nr += n;
        text += s->stmt[j].value.len + n + 1;
    }
    if (!(out = malloc(nr * sizeof(char *) + text)))
        return flb_fail(err, FLB_E_SYSTEM, "out of memory");
    p = (char *)(out + nr);
    nr = 0;
    for (int j = (int)i; j >= 0; j = s->stmt[j].next) {
        char **items;
        size_t n;
        if (flb_xl_list_items(&s->stmt[j].value, &items, &n)) {
            free(out);
            return flb_fail(err, FLB_E_SYSTEM, "out of memory");
        }
        for (size_t m = 0; m < n; m++, nr++) {
            out[nr] = items[m] ? strcpy(p, items[m]) : NULL;
            p += items[m] ? strlen(items[m]) + 1 : 0;
        }
        free(items);
    }
    *buf = (char *)out;
    v->items = out;
    v->nr_items = nr;
    return FLB_OK;
}

/* The value of key from its first statement and every '+=' after it, as xl would join them. */
static int join(const char *name, const struct xl_scan *s, size_t i, const char *key, char **buf,
                struct flb_value *v, struct flb_error *err)
{
    const struct xl_stmt *st = &s->stmt[i];
    int k = flb_key_lookup(key);
    size_t size = 1, n = 0;

    v->kind = st->value.kind;
    for (int j = st->next; j >= 0; j = s->stmt[j].next) {
        const struct xl_stmt *more = &s->stmt[j];
        if (k >= 0 && flb_key_info(k)->kind != FLB_KEY_STRING)
            return flb_fail(err, FLB_E_INPUT, "%s:%d: %s: '+=' only applies to strings and lists", name,
                            more->line, key);
        /* As for an override (config_override.c): an action is one word, not a string to build. */
        if (k >= 0 && flb_key_is_action(k))
            return flb_fail(err, FLB_E_INPUT,
                            "%s:%d: %s: '+=' does not apply to an action, which is one word", name,
                            more->line, key);
        /* A number is a string to xl: only a list and a list, or a string and a string, go together. */
        if ((more->value.kind == FLB_VALUE_LIST) != (st->value.kind == FLB_VALUE_LIST))
            return flb_fail(err, FLB_E_INPUT, "%s:%d: %s: '+=' cannot add a %s to a %s", name, more->line,
                            key, more->value.kind == FLB_VALUE_LIST ? "list" : "string",
                            st->value.kind == FLB_VALUE_LIST ? "list" : "string");
    }
    /* The value of a key we do not use is never read. */
    if (k < 0)
        return FLB_OK;
    if (st->value.kind == FLB_VALUE_LIST)
        return join_lists(s, i, buf, v, err);
    for (int j = (int)i; j >= 0; j = s->stmt[j].next)
        size += s->stmt[j].value.len;
    if (!(*buf = malloc(size)))
        return flb_fail(err, FLB_E_SYSTEM, "out of memory");
    for (int j = (int)i; j >= 0; j = s->stmt[j].next) {
        const struct flb_xl_token *t = &s->stmt[j].value;
        if (t->kind == FLB_VALUE_STRING) {
            n += flb_xl_decode(t, *buf + n);
        } else {
            memcpy(*buf + n, t->start, t->len);
            n += t->len;
        }
    }
    (*buf)[n] = '\0';
    if (st->next >= 0)
        v->kind = FLB_VALUE_STRING;
    v->text = *buf;
    return FLB_OK;
}

int flb_config_load_xl_data(struct flb_config *cfg, const char *data, int len, struct flb_error *err)
{
    const char *name = cfg->source ? cfg->source : "config";
    struct xl_scan s;
    int rc;

    if (len < 0)
        return flb_fail(err, FLB_E_SYSTEM, "%s: bad length", name);
    /* libxlutil's lexer asserts on a NUL inside a string, and a CR would read as a stray character. */
    for (int i = 0, line = 1; i < len; i++) {
        if (data[i] == '\n')
            line++;
        else if (!data[i])
            return flb_fail(err, FLB_E_INPUT, "%s:%d: NUL byte in a text file", name, line);
        else if (data[i] == '\r')
            return flb_fail(err, FLB_E_INPUT,
                            "%s:%d: carriage return: xl syntax needs Unix line endings (try dos2unix)", name,
                            line);
    }
    rc = xl_scan(&s, name, data, (size_t)len, err);
    if (!rc)
        rc = xl_reads(name, data, (size_t)len, &s, err);
    for (size_t i = 0; i < s.nr && !rc; i++) {
        struct flb_value v = {.kind = FLB_VALUE_OTHER};
        char *key, *buf = NULL;

        if (!s.stmt[i].first)
            continue;
        if (!(key = strndup(s.stmt[i].key, s.stmt[i].key_len))) {
            rc = flb_fail(err, FLB_E_SYSTEM, "out of memory");
            break;
        }
        rc = join(name, &s, i, key, &buf, &v, err);
        if (!rc)
            rc = flb_config_set(cfg, key, &v, (struct flb_origin){name, s.stmt[i].line}, false, err);
        free(buf);
        free(key);
    }
    xl_scan_free(&s);
    if (rc && err)
        flb_config_oneline(err->msg, sizeof(err->msg));
    return rc;
}
