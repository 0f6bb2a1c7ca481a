/* The statements of an xl config file: the grammar libxlutil reads, with our own words for mistakes. */
#include "frontend/xl_scan.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"

struct cursor {
    struct xl_scan *s;
    const char *p;
    int line;
};

static int syntax(const struct cursor *c, struct flb_error *err, const char *what)
{
    return flb_fail(err, FLB_E_INPUT, "%s:%d: %s", c->s->name, c->line, what);
}

/* The next few bytes, for "near 'X'". */
static void sample(const char *p, const char *end, char *buf, size_t size)
{
    size_t n = 0;

    while (p + n < end && n + 1 < size && n < 16 && !isspace((unsigned char)p[n]))
        n++;
    memcpy(buf, p, n ? n : 1);
    buf[n ? n : 1] = '\0';
}

static void skip_blanks(struct cursor *c)
{
    while (c->p < c->s->end && (*c->p == ' ' || *c->p == '\t'))
        c->p++;
}

/* xl's keys: a lower-case letter, then lower-case letters, digits, '_' and '.'. */
static bool xl_key(const char *k, size_t n)
{
    if (!n || !islower((unsigned char)k[0]))
        return false;
    for (size_t i = 1; i < n; i++)
        if (!islower((unsigned char)k[i]) && !isdigit((unsigned char)k[i]) && k[i] != '_' && k[i] != '.')
            return false;
    return true;
}

static int yaml_given(const struct cursor *c, struct flb_error *err)
{
    return flb_fail(err, FLB_E_INPUT,
                    "%s:%d: this is YAML, not xl syntax (key = value): name the file .yaml or use "
                    "--config-format yaml",
                    c->s->name, c->line);
}

/* "2048 M": a number, blanks, then a unit alone to the end of the statement; returns the unit's end or NULL.
 */
static const char *unit_after(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    if (p >= end || !*p || !strchr("kKmMgGtT", *p))
        return NULL;
    p++;
    if (p < end && *p == 'i')
        p++;
    if (p < end && (*p == 'B' || *p == 'b'))
        p++;
    if (p < end && (isalnum((unsigned char)*p) || *p == '_' || *p == '.'))
        return NULL;
    return p;
}

/*
 * A value xl cannot read. For an integer key the message is the one an override with the same text gets;
 * any other key is told to quote it.
 */
static int word_value(const struct cursor *c, const char *key, const struct flb_xl_token *tok,
                      struct flb_error *err)
{
    char text[128];
    int k = flb_key_lookup(key);
    struct flb_value v = {.kind = FLB_VALUE_WORD, .text = text};

    snprintf(text, sizeof(text), "%.*s", (int)(tok->len < 120 ? tok->len : 120), tok->start);
    if (k >= 0 && flb_key_info(k)->kind != FLB_KEY_STRING) {
        if (flb_config_check(key, &v, (struct flb_origin){c->s->name, tok->line}, err))
            return FLB_E_INPUT;
        return flb_fail(err, FLB_E_INPUT, "%s:%d: %s: xl cannot read '%s'", c->s->name, tok->line, key, text);
    }
    return flb_fail(err, FLB_E_INPUT, "%s:%d: %s: quote the string: %s = \"%s\"", c->s->name, tok->line, key,
                    key, text);
}

static int add_stmt(struct xl_scan *s, const struct xl_stmt *st, struct flb_error *err)
{
    struct flb_keyset_entry *e;
    bool added;

    if (s->nr == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 16;
        struct xl_stmt *n = realloc(s->stmt, cap * sizeof(*n));
        if (!n)
            return flb_fail(err, FLB_E_SYSTEM, "out of memory");
        s->stmt = n;
        s->cap = cap;
    }
    if (!(e = flb_keyset_get(&s->keys, st->key, st->key_len, st->line, (int)s->nr, &added)))
        return flb_fail(err, FLB_E_SYSTEM, "out of memory");
    /* libxlutil keeps only the last of duplicates, so this is checked before any value is read. */
    if (!added && !st->append)
        return flb_fail(err, FLB_E_INPUT, "%s:%d: duplicate key '%s' (first set on line %d)", s->name,
                        st->line, e->key, e->line);
    s->stmt[s->nr] = *st;
    s->stmt[s->nr].first = added;
    s->stmt[s->nr].next = -1;
    s->stmt[s->nr].last = (int)s->nr;
    if (!added) {
        struct xl_stmt *first = &s->stmt[e->aux];
        s->stmt[first->last].next = (int)s->nr;
        first->last = (int)s->nr;
    }
    s->nr++;
    return FLB_OK;
}

static int statement(struct cursor *c, struct flb_error *err)
{
    struct xl_stmt st = {.key = c->p, .line = c->line};
    struct flb_xl_reader r = {.end = c->s->end, .file = c->s->name};
    char key[128], near[24], msg[256];
    const char *after;

    /* A YAML document's start marker, before anything else. */
    if (!c->s->nr && c->s->end - c->p >= 3 && !memcmp(c->p, "---", 3))
        return yaml_given(c, err);
    while (c->p < c->s->end &&
           (isalnum((unsigned char)*c->p) || *c->p == '_' || *c->p == '.' || *c->p == '-'))
        c->p++;
    st.key_len = (size_t)(c->p - st.key);
    snprintf(key, sizeof(key), "%.*s", (int)st.key_len, st.key);
    if (!st.key_len) {
        sample(c->p, c->s->end, near, sizeof(near));
        snprintf(msg, sizeof(msg), "syntax error near '%s' (a statement is key = value)", near);
        return syntax(c, err, msg);
    }
    if (!xl_key(st.key, st.key_len)) {
        /* A key longer than the buffer may have its mistake past the part kept: still one. */
        if (!flb_key_mistake(key, msg, sizeof(msg)))
            snprintf(msg, sizeof(msg), "'%s': keys are lower case, with '_' between words", key);
        return syntax(c, err, msg);
    }
    skip_blanks(c);
    if (c->s->end - c->p >= 2 && c->p[0] == '+' && c->p[1] == '=') {
        st.append = true;
        st.op = (size_t)(c->p - c->s->data);
        c->p += 2;
    } else if (c->p < c->s->end && *c->p == '=') {
        c->p++;
    } else if (c->p < c->s->end && *c->p == ':' && !c->s->nr) {
        return yaml_given(c, err);
    } else {
        snprintf(msg, sizeof(msg), "%s: expected '=' after the key", key);
        return syntax(c, err, msg);
    }
    skip_blanks(c);
    r.p = c->p;
    r.line = c->line;
    r.key = key;
    if (flb_xl_read_value(&r, &st.value, err))
        return FLB_E_INPUT;
    c->p = r.p;
    c->line = r.line;
    if (st.value.kind == FLB_VALUE_INT && (after = unit_after(c->p, c->s->end))) {
        st.value.kind = FLB_VALUE_WORD;
        st.value.len = (size_t)(after - st.value.start);
        c->p = after;
    }
    if (st.value.kind == FLB_VALUE_WORD)
        return word_value(c, key, &st.value, err);
    skip_blanks(c);
    if (c->p < c->s->end && *c->p != '\n' && *c->p != ';' && *c->p != '#') {
        sample(c->p, c->s->end, near, sizeof(near));
        snprintf(msg, sizeof(msg), "%s: unexpected '%s' after the value", key, near);
        return syntax(c, err, msg);
    }
    return add_stmt(c->s, &st, err);
}

int xl_scan(struct xl_scan *s, const char *name, const char *data, size_t len, struct flb_error *err)
{
    struct cursor c = {.s = s, .p = data, .line = 1};

    memset(s, 0, sizeof(*s));
    s->name = name;
    s->data = data;
    s->end = data + len;
    if (len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3))
        return syntax(&c, err,
                      "the file starts with a byte-order mark, which xl does not read: save it as "
                      "UTF-8 without one");
    while (c.p < s->end) {
        int rc = FLB_OK;
        skip_blanks(&c);
        if (c.p >= s->end)
            break;
        if (*c.p == '\n') {
            c.line++;
            c.p++;
        } else if (*c.p == ';') {
            c.p++;
        } else if (*c.p == '#') {
            /* xl reads a comment up to its newline: one on the last line without one is refused. */
            const char *nl = memchr(c.p, '\n', (size_t)(s->end - c.p));
            if (!nl)
                return syntax(&c, err,
                              "the file ends in a comment without a newline, which xl refuses: end "
                              "the file with a newline");
            c.p = nl;
        } else {
            rc = statement(&c, err);
        }
        if (rc)
            return rc;
    }
    return FLB_OK;
}

void xl_scan_free(struct xl_scan *s)
{
    free(s->stmt);
    s->stmt = NULL;
    s->nr = s->cap = 0;
    flb_keyset_free(&s->keys);
}
