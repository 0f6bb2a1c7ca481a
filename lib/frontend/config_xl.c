/* The xl.cfg(5) front end: libxlutil parses; a small scan of the statements finds keys and lines. */
#include "frontend/config_file.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxlutil.h>

/* One top-level `key = value` (or `key += value`) statement. */
struct xl_stmt {
    const char *key;
    size_t key_len;
    int line;
    bool append;
    enum flb_value_kind kind; /* STRING (quoted), INT (a NUMBER token), LIST */
};

struct xl_scan {
    const char *p, *end;
    int line;
    struct xl_stmt *stmt;
    size_t nr, cap;
};

static void skip_blanks(struct xl_scan *s)
{
    while (s->p < s->end && (*s->p == ' ' || *s->p == '\t'))
        s->p++;
}

static void skip_comment(struct xl_scan *s)
{
    while (s->p < s->end && *s->p != '\n')
        s->p++;
}

static int scan_string(struct xl_scan *s)
{
    char quote = *s->p++;

    while (s->p < s->end && *s->p != quote && *s->p != '\n') {
        if (*s->p == '\\' && s->p + 1 < s->end)
            s->p++;
        s->p++;
    }
    if (s->p >= s->end || *s->p != quote)
        return -1;
    s->p++;
    return 0;
}

/* A list may nest and span lines; only its extent and line count matter here. */
static int scan_list(struct xl_scan *s)
{
    int depth = 0;

    while (s->p < s->end) {
        char c = *s->p;
        if (c == '"' || c == '\'') {
            if (scan_string(s))
                return -1;
            continue;
        }
        if (c == '#') {
            skip_comment(s); /* up to the newline, which the next turn counts */
            continue;
        }
        if (c == '\n')
            s->line++;
        else if (c == '[')
            depth++;
        else if (c == ']' && --depth == 0) {
            s->p++;
            return 0;
        }
        if (s->p < s->end)
            s->p++;
    }
    return -1;
}

static int scan_value(struct xl_scan *s, struct xl_stmt *st)
{
    char c = s->p < s->end ? *s->p : '\0';

    if (c == '"' || c == '\'') {
        st->kind = FLB_VALUE_STRING;
        return scan_string(s);
    }
    if (c == '[') {
        st->kind = FLB_VALUE_LIST;
        return scan_list(s);
    }
    if (!isdigit((unsigned char)c))
        return -1;
    st->kind = FLB_VALUE_INT;
    while (s->p < s->end && (isalnum((unsigned char)*s->p) || *s->p == '.'))
        s->p++;
    return 0;
}

static int scan_statement(struct xl_scan *s)
{
    struct xl_stmt st = {.key = s->p, .line = s->line};

    while (s->p < s->end &&
           (islower((unsigned char)*s->p) || isdigit((unsigned char)*s->p) || *s->p == '_' || *s->p == '.'))
        s->p++;
    st.key_len = (size_t)(s->p - st.key);
    skip_blanks(s);
    if (s->p + 1 < s->end && s->p[0] == '+' && s->p[1] == '=') {
        st.append = true;
        s->p += 2;
    } else if (s->p < s->end && *s->p == '=') {
        s->p++;
    } else {
        return -1;
    }
    skip_blanks(s);
    if (scan_value(s, &st))
        return -1;
    if (s->nr == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 16;
        struct xl_stmt *n = realloc(s->stmt, cap * sizeof(*n));
        if (!n)
            return -2;
        s->stmt = n;
        s->cap = cap;
    }
    s->stmt[s->nr++] = st;
    return 0;
}

/* Returns 0, -1 (with s->line at the trouble) or -2 when out of memory. */
static int scan(struct xl_scan *s)
{
    while (s->p < s->end) {
        int rc;
        skip_blanks(s);
        if (s->p >= s->end)
            break;
        if (*s->p == '#') {
            skip_comment(s);
        } else if (*s->p == '\n') {
            s->line++;
            s->p++;
        } else if (*s->p == ';') {
            s->p++;
        } else if (islower((unsigned char)*s->p)) {
            if ((rc = scan_statement(s)))
                return rc;
        } else {
            return -1;
        }
    }
    return 0;
}

/*
 * libxlutil reports "<file>:<n>: config parsing error near `<tok>': <bison
 * message>", sometimes followed by lines about Python. Keep the first line,
 * in our words.
 */
static int syntax_error(const char *name, char *report, int rc, struct flb_error *err)
{
    char *nl, *near, *detail = NULL, *tok_end = NULL;
    char words[256];
    const char *what = "";
    int line = 0;
    size_t nlen = strlen(name);

    if ((nl = strchr(report, '\n')))
        *nl = '\0';
    if (strncmp(report, name, nlen) || report[nlen] != ':' || sscanf(report + nlen + 1, "%d", &line) != 1 ||
        !(near = strstr(report + nlen, ": config parsing error near "))) {
        return flb_fail(err, FLB_E_INPUT, "%s: cannot parse: %s", name, report[0] ? report : strerror(rc));
    }
    near += strlen(": config parsing error near ");
    if (*near == '`' && (tok_end = strstr(near, "': "))) {
        *tok_end = '\0';
        detail = tok_end + 3;
        near++;
        /* At the end of the input the "token" is the terminating NUL, shown as nothing. */
        if (!*near) {
            what = "at end of file";
            tok_end = NULL;
        }
    } else if (!strncmp(near, "<newline>: ", 11)) {
        /* libxlutil counts the newline's line as the one before it. */
        what = "at end of line";
        detail = near + 11;
        line++;
    } else if (!strncmp(near, ": ", 2)) {
        what = "at end of file";
        detail = near + 2;
    }
    if (!detail)
        return flb_fail(err, FLB_E_INPUT, "%s:%d: syntax error", name, line);
    if (!strncmp(detail, "syntax error, ", 14))
        detail += 14;
    else if (!strcmp(detail, "lexical error"))
        detail = "";
    /* "$end" is bison's name for the end of the input. */
    if ((nl = strstr(detail, "$end"))) {
        *nl = '\0';
        snprintf(words, sizeof(words), "%send of file%s", detail, nl + 4);
        detail = words;
    }
    if (tok_end)
        return flb_fail(err, FLB_E_INPUT, "%s:%d: syntax error near '%.40s'%s%s%s", name, line, near,
                        *detail ? " (" : "", detail, *detail ? ")" : "");
    return flb_fail(err, FLB_E_INPUT, "%s:%d: syntax error %s%s%s%s", name, line, what, *detail ? " (" : "",
                    detail, *detail ? ")" : "");
}

static int scan_error(const char *name, const struct xl_scan *s, struct flb_error *err)
{
    int n = 0;

    if (s->p >= s->end)
        return flb_fail(err, FLB_E_INPUT, "%s:%d: syntax error at end of file", name, s->line);
    while (n < 16 && s->p + n < s->end && !isspace((unsigned char)s->p[n]))
        n++;
    return flb_fail(err, FLB_E_INPUT, "%s:%d: syntax error near '%.*s'", name, s->line, n ? n : 1, s->p);
}

static int key_eq(const struct xl_stmt *a, const struct xl_stmt *b)
{
    return a->key_len == b->key_len && !memcmp(a->key, b->key, a->key_len);
}

/* Before any value is read: libxlutil keeps only the last of duplicates, so the first would be misjudged. */
static int check_duplicates(const char *name, const struct xl_scan *s, struct flb_error *err)
{
    for (size_t i = 1; i < s->nr; i++) {
        const struct xl_stmt *st = &s->stmt[i];
        if (st->append)
            continue;
        for (size_t j = 0; j < i; j++)
            if (key_eq(&s->stmt[j], st))
                return flb_fail(err, FLB_E_INPUT, "%s:%d: duplicate key '%.*s' (first set on line %d)", name,
                                st->line, (int)st->key_len, st->key, s->stmt[j].line);
    }
    return FLB_OK;
}

static int apply(struct flb_config *cfg, XLU_Config *xlu, const char *name, struct xl_scan *s, size_t i,
                 struct flb_error *err)
{
    const struct xl_stmt *st = &s->stmt[i];
    struct flb_origin at = {name, st->line};
    struct flb_value v = {.kind = st->kind};
    const char *text = NULL;
    char *key;
    int k, rc = FLB_OK;

    /* `+=` extends the earlier value; libxlutil hands back the whole of it. */
    for (size_t j = 0; j < i; j++)
        if (key_eq(&s->stmt[j], st))
            return FLB_OK;
    if (!(key = strndup(st->key, st->key_len)))
        return flb_fail(err, FLB_E_SYSTEM, "out of memory");
    k = flb_key_lookup(key);
    for (size_t j = i + 1; k >= 0 && j < s->nr; j++) {
        if (key_eq(&s->stmt[j], st) && s->stmt[j].append && flb_key_info(k)->kind != FLB_KEY_STRING) {
            rc = flb_fail(err, FLB_E_INPUT, "%s:%d: %s: '+=' only applies to strings and lists", name,
                          s->stmt[j].line, key);
            free(key);
            return rc;
        }
    }
    if (k >= 0 && v.kind != FLB_VALUE_LIST) {
        int e = xlu_cfg_get_string(xlu, key, &text, 1);
        if (!e)
            v.text = text;
        else if (!xlu_cfg_get_list(xlu, key, NULL, NULL, 1))
            v.kind = FLB_VALUE_LIST;
        else if (e == ESRCH)
            /* The scan saw a statement libxlutil dropped: a malformed line it did not report. */
            rc = flb_fail(err, FLB_E_INPUT, "%s:%d: syntax error in the value of '%s'", name, st->line, key);
        else
            v.kind = FLB_VALUE_OTHER;
    }
    if (rc) {
        free(key);
        return rc;
    }
    rc = flb_config_set(cfg, key, &v, at, false, err);
    free(key);
    return rc;
}

int flb_config_load_xl_data(struct flb_config *cfg, const char *data, int len, struct flb_error *err)
{
    const char *name = cfg->source ? cfg->source : "config";
    struct xl_scan s = {.p = data, .end = data + (len > 0 ? len : 0), .line = 1};
    char *report = NULL;
    size_t report_len = 0;
    XLU_Config *xlu = NULL;
    FILE *rf;
    int rc;

    if (len < 0)
        return flb_fail(err, FLB_E_SYSTEM, "%s: bad length", name);
    /*
     * libxlutil's lexer asserts on a NUL inside a string, and reports a CR as
     * an invisible "lexical error"; both deserve a plainer message.
     */
    for (int i = 0, line = 1; i < len; i++) {
        if (data[i] == '\n')
            line++;
        else if (!data[i])
            return flb_fail(err, FLB_E_INPUT, "%s:%d: NUL byte in a text file", name, line);
        else if (data[i] == '\r')
            return flb_fail(err, FLB_E_INPUT,
                            "%s:%d: carriage return: xl syntax needs Unix line endings "
                            "(try dos2unix)",
                            name, line);
    }
    rf = open_memstream(&report, &report_len);
    if (!rf)
        return flb_fail(err, FLB_E_SYSTEM, "out of memory");
    xlu = xlu_cfg_init(rf, name);
    if (!xlu) {
        rc = flb_fail(err, FLB_E_SYSTEM, "out of memory");
        goto out;
    }
    rc = xlu_cfg_readdata(xlu, data, len);
    if (rc) {
        fflush(rf);
        rc = syntax_error(name, report ? report : (char *)"", rc, err);
        goto out;
    }
    rc = scan(&s);
    if (rc == -2) {
        rc = flb_fail(err, FLB_E_SYSTEM, "out of memory");
        goto out;
    }
    /*
     * libxlutil silently drops some malformed last lines (a stray quote, a
     * control character), so its success does not prove the file well formed.
     */
    if (rc) {
        rc = scan_error(name, &s, err);
        goto out;
    }
    rc = check_duplicates(name, &s, err);
    for (size_t i = 0; i < s.nr && !rc; i++)
        rc = apply(cfg, xlu, name, &s, i, err);
out:
    if (xlu)
        xlu_cfg_destroy(xlu);
    fclose(rf);
    free(report);
    free(s.stmt);
    if (rc && err)
        flb_config_oneline(err->msg, sizeof(err->msg));
    return rc;
}
