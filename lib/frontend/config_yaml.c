/* The YAML front end: one flat mapping of the xl keys, read from libyaml's event stream. */
#include "frontend/config_file.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "frontend/keyset.h"

struct yaml_reader {
    struct flb_config *cfg;
    const char *name;
    yaml_parser_t parser;
    struct flb_keyset seen;
    const char *key; /* the key whose value is being read, for messages; NULL between pairs */
    bool not_yaml;   /* a syntax error, or a document that is not a mapping: perhaps xl syntax */
};

static int line_of(const yaml_event_t *ev);

static int next_event(struct yaml_reader *r, yaml_event_t *ev, struct flb_error *err)
{
    if (yaml_parser_parse(&r->parser, ev)) {
        /* "\0" is a valid YAML escape, but a C string would end there: refuse it as the xl front end does. */
        if (ev->type == YAML_SCALAR_EVENT && memchr(ev->data.scalar.value, 0, ev->data.scalar.length)) {
            int line = line_of(ev);
            yaml_event_delete(ev);
            if (r->key)
                return flb_fail(err, FLB_E_INPUT, "%s:%d: %s: a string cannot hold a NUL character (\\0)",
                                r->name, line, r->key);
            return flb_fail(err, FLB_E_INPUT, "%s:%d: a string cannot hold a NUL character (\\0)", r->name,
                            line);
        }
        return FLB_OK;
    }
    if (r->parser.error == YAML_MEMORY_ERROR)
        return flb_fail(err, FLB_E_SYSTEM, "out of memory");
    r->not_yaml = true;
    return flb_fail(err, FLB_E_INPUT, "%s:%zu: syntax error: %s", r->name, r->parser.problem_mark.line + 1,
                    r->parser.problem ? r->parser.problem : "unknown problem");
}

static int line_of(const yaml_event_t *ev)
{
    return (int)(ev->start_mark.line + 1 > 0x7fffffff ? 0x7fffffff : ev->start_mark.line + 1);
}

static bool one_of(const char *s, const char *const *list)
{
    for (; *list; list++)
        if (!strcmp(s, *list))
            return true;
    return false;
}

/* YAML 1.2 core schema resolution of a plain scalar: null, bool, int, else string. */
static void resolve_scalar(const yaml_event_t *ev, struct flb_value *v)
{
    static const char *const nulls[] = {"", "~", "null", "Null", "NULL", NULL};
    static const char *const trues[] = {"true", "True", "TRUE", NULL};
    static const char *const falses[] = {"false", "False", "FALSE", NULL};
    const char *text = (const char *)ev->data.scalar.value;
    const char *tag = (const char *)ev->data.scalar.tag;
    long long n;

    v->text = text;
    v->kind = FLB_VALUE_STRING;
    if (tag && !strcmp(tag, YAML_STR_TAG))
        return;
    if (ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE && !(tag && !strcmp(tag, YAML_INT_TAG)))
        return;
    if (one_of(text, nulls)) {
        v->kind = FLB_VALUE_OTHER;
        v->text = NULL;
    } else if (one_of(text, trues) || one_of(text, falses)) {
        v->kind = FLB_VALUE_BOOL;
        v->i = one_of(text, trues);
    } else if (flb_parse_int(text, &n) != -1) {
        v->kind = FLB_VALUE_INT; /* the text goes along, so an oversized number is reported as written */
        v->i = n;
    }
}

/* Skips a nested sequence or mapping whose start event was just read. */
static int skip_collection(struct yaml_reader *r, struct flb_error *err)
{
    int depth = 1, rc = FLB_OK;

    while (depth > 0 && !rc) {
        yaml_event_t ev;
        if ((rc = next_event(r, &ev, err)))
            break;
        /* Stopping here also stops libyaml, whose work per token grows with the depth. */
        if ((ev.type == YAML_SEQUENCE_START_EVENT || ev.type == YAML_MAPPING_START_EVENT) &&
            depth == FLB_CONFIG_MAX_NESTING)
            rc = flb_fail(err, FLB_E_INPUT, "%s:%d: %s: lists and mappings nested more than %d deep", r->name,
                          line_of(&ev), r->key, FLB_CONFIG_MAX_NESTING);
        else if (ev.type == YAML_SEQUENCE_START_EVENT || ev.type == YAML_MAPPING_START_EVENT)
            depth++;
        else if (ev.type == YAML_SEQUENCE_END_EVENT || ev.type == YAML_MAPPING_END_EVENT)
            depth--;
        else if (ev.type == YAML_STREAM_END_EVENT)
            rc = flb_fail(err, FLB_E_INPUT, "%s: unexpected end of file", r->name);
        yaml_event_delete(&ev);
    }
    return rc;
}

static void free_items(char **items, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(items[i]);
    free(items);
}

/*
 * A sequence whose start event was just read, for a key we use: each scalar's text, NULL for a nested
 * sequence or mapping (skipped), which the key's check refuses.
 */
static int read_items(struct yaml_reader *r, char ***items, size_t *nr, struct flb_error *err)
{
    for (;;) {
        yaml_event_t ev;
        char *item = NULL, **grown;
        int rc = next_event(r, &ev, err);
        if (rc)
            return rc;
        if (ev.type == YAML_SEQUENCE_END_EVENT) {
            yaml_event_delete(&ev);
            return FLB_OK;
        }
        if (ev.type == YAML_SCALAR_EVENT && !(item = strdup((const char *)ev.data.scalar.value)))
            rc = flb_fail(err, FLB_E_SYSTEM, "out of memory");
        else if (ev.type == YAML_SEQUENCE_START_EVENT || ev.type == YAML_MAPPING_START_EVENT)
            rc = skip_collection(r, err);
        yaml_event_delete(&ev);
        if (!rc && !(grown = realloc(*items, (*nr + 1) * sizeof(char *))))
            rc = flb_fail(err, FLB_E_SYSTEM, "out of memory");
        if (rc) {
            free(item);
            return rc;
        }
        *items = grown;
        (*items)[(*nr)++] = item;
    }
}

static int remember_key(struct yaml_reader *r, const char *key, int line, struct flb_error *err)
{
    bool added;
    struct flb_keyset_entry *e = flb_keyset_get(&r->seen, key, strlen(key), line, 0, &added);

    if (!e)
        return flb_fail(err, FLB_E_SYSTEM, "out of memory");
    if (!added)
        return flb_fail(err, FLB_E_INPUT, "%s:%d: duplicate key '%s' (first set on line %d)", r->name, line,
                        key, e->line);
    return FLB_OK;
}

/* One `key: value` pair; the key's scalar event has been read. */
static int read_pair(struct yaml_reader *r, const yaml_event_t *key_ev, struct flb_error *err)
{
    const char *key = (const char *)key_ev->data.scalar.value;
    int line = line_of(key_ev);
    struct flb_value v = {.kind = FLB_VALUE_OTHER};
    char **items = NULL;
    yaml_event_t ev;
    int rc;

    if ((rc = remember_key(r, key, line, err)))
        return rc;
    r->key = key;
    rc = next_event(r, &ev, err);
    if (rc) {
        r->key = NULL;
        return rc;
    }
    switch (ev.type) {
    case YAML_SCALAR_EVENT: resolve_scalar(&ev, &v); break;
    case YAML_SEQUENCE_START_EVENT:
        v.kind = FLB_VALUE_LIST;
        if (flb_key_lookup(key) >= 0)
            rc = read_items(r, &items, &v.nr_items, err);
        else
            rc = skip_collection(r, err);
        v.items = items;
        break;
    case YAML_MAPPING_START_EVENT: rc = skip_collection(r, err); break;
    default: break; /* an alias */
    }
    r->key = NULL;
    /* A key we use needs a value written out: say what YAML feature stood in its place. */
    if (!rc && flb_key_lookup(key) >= 0 && ev.type == YAML_ALIAS_EVENT)
        rc = flb_fail(err, FLB_E_INPUT, "%s:%d: %s: aliases (*%s) are not supported: write the value itself",
                      r->name, line, key, (const char *)ev.data.alias.anchor);
    else if (!rc && flb_key_lookup(key) >= 0 && ev.type == YAML_SCALAR_EVENT && v.kind == FLB_VALUE_OTHER)
        rc = flb_fail(err, FLB_E_INPUT,
                      "%s:%d: %s: %s%s%s: write a value, or leave the key out to take its default", r->name,
                      line, key, ev.data.scalar.length ? "'" : "no value (null)",
                      ev.data.scalar.length ? (const char *)ev.data.scalar.value : "",
                      ev.data.scalar.length ? "' is null, not a value" : "");
    if (!rc)
        rc = flb_config_set(r->cfg, key, &v, (struct flb_origin){r->name, line}, false, err);
    free_items(items, v.nr_items);
    yaml_event_delete(&ev);
    return rc;
}

static int read_mapping(struct yaml_reader *r, struct flb_error *err)
{
    for (;;) {
        yaml_event_t ev;
        int rc = next_event(r, &ev, err);
        if (rc)
            return rc;
        if (ev.type == YAML_MAPPING_END_EVENT) {
            yaml_event_delete(&ev);
            return FLB_OK;
        }
        if (ev.type == YAML_ALIAS_EVENT)
            rc = flb_fail(err, FLB_E_INPUT, "%s:%d: aliases (*%s) are not supported: write the key itself",
                          r->name, line_of(&ev), (const char *)ev.data.alias.anchor);
        else if (ev.type != YAML_SCALAR_EVENT)
            rc = flb_fail(err, FLB_E_INPUT, "%s:%d: keys must be plain words such as 'memory'", r->name,
                          line_of(&ev));
        /* "<<" merges another mapping's keys in; read as a key, it would drop them all with one warning. */
        else if (!strcmp((const char *)ev.data.scalar.value, "<<") &&
                 ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE)
            rc = flb_fail(err, FLB_E_INPUT,
                          "%s:%d: merge keys (<<) are not supported: write the keys themselves", r->name,
                          line_of(&ev));
        else
            rc = read_pair(r, &ev, err);
        yaml_event_delete(&ev);
        if (rc)
            return rc;
    }
}

/* The document's root: a mapping, or nothing at all (an empty file). */
static int read_document(struct yaml_reader *r, struct flb_error *err)
{
    yaml_event_t ev;
    int rc = next_event(r, &ev, err);

    if (rc)
        return rc;
    if (ev.type == YAML_MAPPING_START_EVENT)
        rc = read_mapping(r, err);
    else if (!(ev.type == YAML_SCALAR_EVENT && ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
               !ev.data.scalar.length)) {
        r->not_yaml = true;
        rc = flb_fail(err, FLB_E_INPUT, "%s:%d: the document must be a mapping of keys to values", r->name,
                      line_of(&ev));
    }
    yaml_event_delete(&ev);
    return rc;
}

/* The line of the first statement if data reads as xl syntax (key = value, key += value), else 0. */
static int xl_line(const char *data, size_t len)
{
    const char *p = data, *end = data + len;

    for (int line = 1; p < end; line++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p)), *q = p;
        if (!nl)
            nl = end;
        while (q < nl && (*q == ' ' || *q == '\t'))
            q++;
        if (q < nl && *q != '#') {
            if (!islower((unsigned char)*q))
                return 0;
            while (q < nl &&
                   (islower((unsigned char)*q) || isdigit((unsigned char)*q) || *q == '_' || *q == '.'))
                q++;
            while (q < nl && (*q == ' ' || *q == '\t'))
                q++;
            return q < nl && (*q == '=' || (*q == '+' && q + 1 < nl && q[1] == '=')) ? line : 0;
        }
        p = nl + 1;
    }
    return 0;
}

int flb_config_load_yaml_data(struct flb_config *cfg, const char *data, size_t len, struct flb_error *err)
{
    struct yaml_reader r = {.cfg = cfg, .name = cfg->source ? cfg->source : "config"};
    int docs = 0, rc = FLB_OK, line;
    bool done = false;

    if (!yaml_parser_initialize(&r.parser))
        return flb_fail(err, FLB_E_SYSTEM, "out of memory");
    yaml_parser_set_input_string(&r.parser, (const unsigned char *)data, len);
    while (!done && !rc) {
        yaml_event_t ev;
        if ((rc = next_event(&r, &ev, err)))
            break;
        if (ev.type == YAML_STREAM_END_EVENT)
            done = true;
        else if (ev.type == YAML_DOCUMENT_START_EVENT && ++docs > 1)
            rc = flb_fail(err, FLB_E_INPUT, "%s:%d: only one document is allowed", r.name, line_of(&ev));
        else if (ev.type == YAML_DOCUMENT_START_EVENT)
            rc = read_document(&r, err);
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&r.parser);
    flb_keyset_free(&r.seen);
    /* An xl file read as YAML fails in ways that name YAML's rules; say which format it is instead. */
    if (rc == FLB_E_INPUT && r.not_yaml && err && (line = xl_line(data, len))) {
        err->msg[0] = '\0';
        flb_fail(
            err, FLB_E_INPUT,
            "%s:%d: this is xl syntax (key = value), not YAML: name the file .cfg or use --config-format xl",
            r.name, line);
    }
    if (rc && err)
        flb_config_oneline(err->msg, sizeof(err->msg));
    return rc;
}
