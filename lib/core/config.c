/* The config model: its lifetime, warnings, and setting one key (its value checks are in config_value.c). */
#include "core/config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/config_internal.h"
#include "core/escape.h"
#include "core/lifecycle.h"
#include "core/xl_keys.h"

void flb_config_init(struct flb_config *cfg, const char *source)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->source = source;
    cfg->memory_mib = FLB_UNSET;
    cfg->maxmem_mib = FLB_UNSET;
    cfg->vcpus = FLB_UNSET;
    cfg->maxvcpus = FLB_UNSET;
    cfg->max_grant_frames = FLB_UNSET;
    cfg->max_maptrack_frames = FLB_UNSET;
    cfg->max_grant_version = FLB_UNSET;
    cfg->mmio_hole_mib = FLB_UNSET;
    cfg->foreign_region_mib = FLB_UNSET;
    cfg->fixed_mem_layout = -1;
    cfg->acpi = -1;
    memset(cfg->on_action, 0xff, sizeof(cfg->on_action)); /* every int -1: unset */
    cfg->shadow_memory_mib = FLB_UNSET;
    cfg->max_event_channels = FLB_UNSET;
    cfg->cpu_weight = cfg->cap = FLB_UNSET;
    cfg->vmtrace_buf_kb = FLB_UNSET;
    cfg->localtime = cfg->driver_domain = -1;
    cfg->hap = cfg->oos = cfg->nestedhvm = cfg->vpmu = cfg->msr_relaxed = -1;
}

void flb_config_free(struct flb_config *cfg)
{
    for (int k = 0; k < FLB_KEY_COUNT; k++) {
        char **s = flb_config_string_field(cfg, k);
        if (s) {
            free(*s);
            *s = NULL;
        }
    }
    flb_affinity_free(&cfg->cpus);
    flb_affinity_free(&cfg->cpus_soft);
    flb_cpuid_free(&cfg->cpuid);
    free(cfg->final_cmdline);
    cfg->final_cmdline = NULL;
    for (int k = 0; k < FLB_KEY_COUNT; k++) {
        free(cfg->override[k]);
        cfg->override[k] = NULL;
    }
    for (int i = 0; i < cfg->nr_warnings; i++)
        free(cfg->warnings[i]);
    cfg->nr_warnings = 0;
}

void flb_config_oneline(char *msg, size_t size)
{
    flb_escape_inplace(msg, size);
}

void flb_config_warn(struct flb_config *cfg, const char *fmt, ...)
{
    char *line = NULL;
    va_list ap;

    if (cfg->nr_warnings >= FLB_MAX_WARNINGS)
        return;
    /* The last slot says that some were dropped rather than silently losing them. */
    if (cfg->nr_warnings == FLB_MAX_WARNINGS - 1) {
        line = strdup("too many warnings; the rest are not shown");
    } else {
        va_start(ap, fmt);
        if (vasprintf(&line, fmt, ap) < 0)
            line = NULL;
        va_end(ap);
    }
    if (line) {
        size_t size = 4 * strlen(line) + 1; /* the most an escape can grow a byte */
        char *escaped = malloc(size);
        if (escaped)
            flb_escape(escaped, size, line, strlen(line));
        free(line);
        line = escaped;
    }
    if (line)
        cfg->warnings[cfg->nr_warnings++] = line;
    else
        cfg->out_of_memory = true;
}

int flb_config_ignored(struct flb_config *cfg, struct flb_error *err, const char *fmt, ...)
{
    char line[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    if (cfg->strict)
        return flb_fail(err, FLB_E_INPUT, "%s; --strict refuses it", line);
    flb_config_warn(cfg, "%s", line);
    return FLB_OK;
}

/* "guest.cfg:4: ", "guest.cfg: ", or "" for an override (its caller names it). */
void flb_config_where(char *buf, size_t len, struct flb_origin o)
{
    if (o.file && o.line > 0)
        snprintf(buf, len, "%s:%d: ", o.file, o.line);
    else if (o.file)
        snprintf(buf, len, "%s: ", o.file);
    else
        buf[0] = '\0';
}

int flb_config_xl_key(struct flb_config *cfg, const char *key, const char *at, struct flb_error *err)
{
    const struct flb_xl_key *x = flb_xl_key_find(key);

    if (!x)
        return flb_fail(err, FLB_E_SYSTEM, "%s%s: not a key of xl.cfg(5)", at, key);
    switch (x->status) {
    case FLB_XL_NOT_PVH:
        return flb_config_ignored(cfg, err, "%s%s: not for PVH: %s; ignored, as xl ignores it", at, key,
                                  x->reason);
    case FLB_XL_REFUSED: return flb_fail(err, FLB_E_INPUT, "%s%s: refused: %s", at, key, x->reason);
    default:
        /* Honoured keys are in the key table, so they never get here (test_config_xl_keys.c checks it). */
        return flb_fail(err, FLB_E_SYSTEM, "%s%s: honoured but missing from the key table", at, key);
    }
}

static int unknown_key(struct flb_config *cfg, const char *key, const char *at, bool is_override,
                       struct flb_error *err)
{
    const char *near;
    char hint[128] = "";

    /* Once the warnings are capped nobody reads the hint: a file of unknown keys costs no suggestions. */
    if (!is_override && !cfg->strict && cfg->nr_warnings >= FLB_MAX_WARNINGS - 1) {
        flb_config_warn(cfg, "(dropped)"); /* only the notice that the rest are not shown, once */
        return FLB_OK;
    }
    near = flb_key_suggest(key);
    if (near)
        snprintf(hint, sizeof(hint), " (did you mean '%s'?)", near);
    /* An override is typed on purpose, so a typo there must not pass silently. */
    if (is_override)
        return flb_fail(err, FLB_E_INPUT, "unknown key '%s'%s", key, hint);
    return flb_config_ignored(cfg, err, "%sunknown key '%s' ignored%s", at, key, hint);
}

/* C0, DEL, and C1 as UTF-8 encodes it (C2 80 to C2 9F). */
static int set_key(struct flb_config *cfg, const char *key, const struct flb_value *v,
                   struct flb_origin where, bool allow_replace, struct flb_error *err)
{
    char at[320];
    int k = flb_key_lookup(key);
    int rc;

    flb_config_where(at, sizeof(at), where);
    if (k < 0 && flb_key_is_xl(key))
        return flb_config_xl_key(cfg, key, at, err);
    if (k < 0)
        return unknown_key(cfg, key, at, !where.file, err);
    if (cfg->is_set[k] && !allow_replace) {
        if (cfg->origin[k].line > 0)
            return flb_fail(err, FLB_E_INPUT, "%sduplicate key '%s' (first set on line %d)", at, key,
                            cfg->origin[k].line);
        return flb_fail(err, FLB_E_INPUT, "%sduplicate key '%s'", at, key);
    }
    if (flb_key_info(k)->kind == FLB_KEY_STRING)
        rc = flb_config_set_string(cfg, k, v, at, err);
    else
        rc = flb_config_set_int(cfg, k, v, at, err);
    if (rc)
        return rc;
    cfg->is_set[k] = true;
    cfg->origin[k] = where;
    free(cfg->override[k]);
    cfg->override[k] = NULL;
    return FLB_OK;
}

int flb_config_set(struct flb_config *cfg, const char *key, const struct flb_value *v,
                   struct flb_origin where, bool allow_replace, struct flb_error *err)
{
    int rc = set_key(cfg, key, v, where, allow_replace, err);

    if (rc && err)
        flb_config_oneline(err->msg, sizeof(err->msg));
    return rc;
}

int flb_config_check(const char *key, const struct flb_value *v, struct flb_origin where,
                     struct flb_error *err)
{
    struct flb_config scratch;
    int rc;

    flb_config_init(&scratch, where.file);
    rc = flb_config_set(&scratch, key, v, where, true, err);
    flb_config_free(&scratch);
    return rc;
}

void flb_config_key_at(const struct flb_config *cfg, enum flb_key k, char *buf, size_t len)
{
    if (!cfg->is_set[k] || cfg->origin[k].file)
        flb_config_where(buf, len, cfg->is_set[k] ? cfg->origin[k] : (struct flb_origin){cfg->source, 0});
    else if (cfg->override[k])
        snprintf(buf, len, FLB_OVERRIDE_FMT ": ", FLB_OVERRIDE_ARG(cfg->override[k]));
    else
        snprintf(buf, len, "override: ");
}
