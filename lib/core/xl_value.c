/* One value in xl syntax: strings under the one rule for escapes, numbers, lists, words xl cannot read. */
#include "core/xl_value.h"

#include <stdarg.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

void flb_xl_where(const struct flb_xl_reader *r, int line, char *buf, size_t len)
{
    if (r->file)
        snprintf(buf, len, "%s:%d: ", r->file, line);
    else
        snprintf(buf, len, FLB_OVERRIDE_FMT ": ", FLB_OVERRIDE_ARG(r->override));
}

static __attribute__((format(printf, 4, 5))) int fail(const struct flb_xl_reader *r, int line,
                                                      struct flb_error *err, const char *fmt, ...)
{
    char at[320], what[256];
    va_list ap;

    flb_xl_where(r, line, at, sizeof(at));
    va_start(ap, fmt);
    vsnprintf(what, sizeof(what), fmt, ap);
    va_end(ap);
    return flb_fail(err, FLB_E_INPUT, "%s%s: %s", at, r->key, what);
}

bool flb_xl_delimiter(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == ';' || c == '#' || c == ',' || c == ']' || c == '=';
}

static bool word_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
}

/* The next few bytes at p, for "got 'X'" in a message. */
static const char *sample(const char *p, const char *end, char *buf, size_t size)
{
    size_t n = 0;

    if (p >= end)
        return "the end of the file";
    while (p + n < end && n < 16 && n + 1 < size && p[n] != '\n' && (n == 0 || !flb_xl_delimiter(p[n])))
        n++;
    memcpy(buf, p, n ? n : 1);
    buf[n ? n : 1] = '\0';
    return buf;
}

/*
 * The escapes after a backslash: what xl reads as written, and what it refuses or mangles. Its octal
 * escapes drop the character, its \x escapes are refused whatever follows: neither is allowed here.
 */
static int check_escape(const struct flb_xl_reader *r, const char *p, struct flb_error *err)
{
    char seq[8];
    size_t n = 2;

    if (p[1] && strchr("\"'\\abfnrtv", p[1]))
        return FLB_OK;
    if (p[1] >= '0' && p[1] <= '7') {
        while (n < 4 && p + n < r->end && p[n] >= '0' && p[n] <= '7')
            n++;
        snprintf(seq, sizeof(seq), "%.*s", (int)n, p);
        return fail(r, r->line, err,
                    "the escape '%s' is not supported (xl drops the character): write the "
                    "character itself",
                    seq);
    }
    if (p[1] == 'x') {
        while (n < 4 && p + n < r->end && p[n] && strchr("0123456789abcdefABCDEF", p[n]))
            n++;
        snprintf(seq, sizeof(seq), "%.*s", (int)n, p);
        return fail(r, r->line, err,
                    "the escape '%s' is not supported (xl refuses it): write the character "
                    "itself",
                    seq);
    }
    snprintf(seq, sizeof(seq), "\\%c", p[1]);
    return fail(r, r->line, err, "unknown escape '%s' (xl knows \\\\ \\\" \\' \\a \\b \\f \\n \\r \\t \\v)",
                seq);
}

/* A quoted string ends at its quote on the line it starts, as in xl. */
static int read_string(struct flb_xl_reader *r, struct flb_error *err)
{
    char quote = *r->p;
    const char *p = r->p + 1;

    for (; p < r->end && *p != quote && *p != '\n'; p++) {
        if (*p != '\\')
            continue;
        if (p + 1 >= r->end || p[1] == '\n')
            break;
        if (check_escape(r, p, err))
            return FLB_E_INPUT;
        p++;
    }
    if (p >= r->end || *p != quote)
        return fail(r, r->line, err, "%s", "the string is not closed");
    r->p = p + 1;
    return FLB_OK;
}

/* Blanks, newlines and comments, as a list allows between its items. */
static void skip_space(struct flb_xl_reader *r)
{
    while (r->p < r->end) {
        if (*r->p == ' ' || *r->p == '\t') {
            r->p++;
        } else if (*r->p == '\n') {
            r->line++;
            r->p++;
        } else if (*r->p == '#') {
            while (r->p < r->end && *r->p != '\n')
                r->p++;
        } else {
            break;
        }
    }
}

static int read_one(struct flb_xl_reader *r, struct flb_xl_token *tok, int depth, struct flb_error *err);

/* Past blanks: *closed after a ']' (consumed); an error if the input ends first (the list opened at start).
 */
static int list_end(struct flb_xl_reader *r, int start, bool *closed, struct flb_error *err)
{
    skip_space(r);
    *closed = r->p < r->end && *r->p == ']';
    if (*closed) {
        r->p++;
        return FLB_OK;
    }
    if (r->p >= r->end)
        return fail(r, start, err, "%s", "the list is not closed with ']'");
    return FLB_OK;
}

static int read_list(struct flb_xl_reader *r, int depth, struct flb_error *err)
{
    int start = r->line;
    char got[24];

    if (depth > FLB_CONFIG_MAX_NESTING)
        return fail(r, r->line, err, "lists nested more than %d deep", FLB_CONFIG_MAX_NESTING);
    r->p++;
    for (bool first = true;; first = false) {
        struct flb_xl_token item;

        bool closed;
        int rc = list_end(r, start, &closed, err);

        if (rc || closed)
            return rc;
        if (!first) {
            if (*r->p != ',')
                return fail(r, r->line, err, "expected ',' or ']' in the list, got '%s'",
                            sample(r->p, r->end, got, sizeof(got)));
            r->p++;
            /* A comma may come just before the ']'. */
            rc = list_end(r, start, &closed, err);
            if (rc || closed)
                return rc;
        }
        if (*r->p == ',' || *r->p == ';' || *r->p == '=')
            return fail(r, r->line, err, "expected a value or ']' in the list, got '%s'",
                        sample(r->p, r->end, got, sizeof(got)));
        if (read_one(r, &item, depth + 1, err))
            return FLB_E_INPUT;
        if (item.kind == FLB_VALUE_WORD) {
            snprintf(got, sizeof(got), "%.*s", (int)(item.len < 20 ? item.len : 20), item.start);
            return fail(r, item.line, err,
                        "xl cannot read '%s' in a list: quote strings, write numbers plainly", got);
        }
    }
}

static int read_one(struct flb_xl_reader *r, struct flb_xl_token *tok, int depth, struct flb_error *err)
{
    const char *s = r->p;
    char c = s < r->end ? *s : '\n';

    tok->start = s;
    tok->line = r->line;
    if (c == '"' || c == '\'') {
        tok->kind = FLB_VALUE_STRING;
        if (read_string(r, err))
            return FLB_E_INPUT;
    } else if (c == '[') {
        tok->kind = FLB_VALUE_LIST;
        if (read_list(r, depth, err))
            return FLB_E_INPUT;
    } else {
        /* xl's number token, then whatever would make it a word: a sign, letters, a dot. */
        const char *p = s;
        tok->kind = FLB_VALUE_INT;
        if (c == '-' || c == '+' || !(c >= '0' && c <= '9'))
            tok->kind = FLB_VALUE_WORD;
        else
            while (p < r->end && ((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f') || *p == 'x'))
                p++;
        if (tok->kind == FLB_VALUE_WORD || (p < r->end && word_char(*p))) {
            tok->kind = FLB_VALUE_WORD;
            for (p = s; p < r->end && !flb_xl_delimiter(*p) && *p != '"' && *p != '\'' && *p != '['; p++)
                ;
        }
        r->p = p;
    }
    tok->len = (size_t)(r->p - s);
    return FLB_OK;
}

int flb_xl_read_value(struct flb_xl_reader *r, struct flb_xl_token *tok, struct flb_error *err)
{
    if (r->p >= r->end || flb_xl_delimiter(*r->p) || *r->p == ']')
        return fail(r, r->line, err, "%s", "no value after '='");
    return read_one(r, tok, 1, err);
}

size_t flb_xl_decode(const struct flb_xl_token *tok, char *out)
{
    const char *p = tok->start + 1, *end = tok->start + tok->len - 1;
    size_t n = 0;

    for (; p < end; p++) {
        if (*p != '\\') {
            out[n++] = *p;
            continue;
        }
        switch (*++p) {
        case 'a': out[n++] = '\a'; break;
        case 'b': out[n++] = '\b'; break;
        case 'f': out[n++] = '\f'; break;
        case 'n': out[n++] = '\n'; break;
        case 'r': out[n++] = '\r'; break;
        case 't': out[n++] = '\t'; break;
        case 'v': out[n++] = '\v'; break;
        default: out[n++] = *p; /* \\ \" \': read_string allowed nothing else */
        }
    }
    out[n] = '\0';
    return n;
}

/* The items of a list token that flb_xl_read_value accepted, so that no check is needed on the way. */
static size_t list_items(const struct flb_xl_token *tok, char **items, char *text)
{
    struct flb_xl_reader r = {.p = tok->start + 1, .end = tok->start + tok->len - 1};
    size_t n = 0;

    for (;;) {
        struct flb_xl_token item;
        skip_space(&r);
        if (r.p < r.end && *r.p == ',') {
            r.p++;
            continue;
        }
        if (r.p >= r.end)
            return n;
        read_one(&r, &item, 2, NULL);
        if (items) {
            items[n] = NULL;
            if (item.kind == FLB_VALUE_STRING) {
                items[n] = text;
                text += flb_xl_decode(&item, text) + 1;
            } else if (item.kind == FLB_VALUE_INT) {
                items[n] = text;
                memcpy(text, item.start, item.len);
                text[item.len] = '\0';
                text += item.len + 1;
            }
        }
        n++;
    }
}

int flb_xl_list_items(const struct flb_xl_token *tok, char ***items, size_t *nr)
{
    size_t n = list_items(tok, NULL, NULL);
    /* The pointers, then every item's text: never longer than the token, plus a NUL each. */
    char **block = malloc(n * sizeof(char *) + tok->len + n + 1);

    if (!block)
        return -1;
    list_items(tok, block, (char *)(block + n));
    *items = block;
    *nr = n;
    return 0;
}
