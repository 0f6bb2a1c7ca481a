/* The config model: setting one key with its checks, and the one pass that fills defaults. */
#include "core/config.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/lifecycle.h"
#include "core/start_info.h"
#include "core/xen_pvh_layout.h"

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
}

static char **string_field(struct flb_config *cfg, enum flb_key k)
{
    switch (k) {
    case FLB_KEY_NAME: return &cfg->name;
    case FLB_KEY_TYPE: return &cfg->type;
    case FLB_KEY_KERNEL: return &cfg->kernel;
    case FLB_KEY_RAMDISK: return &cfg->ramdisk;
    case FLB_KEY_CMDLINE: return &cfg->cmdline;
    case FLB_KEY_EXTRA: return &cfg->extra;
    case FLB_KEY_ROOT: return &cfg->root;
    default: return NULL;
    }
}

static int *bool_field(struct flb_config *cfg, enum flb_key k)
{
    switch (k) {
    case FLB_KEY_FIXED_MEM_LAYOUT: return &cfg->fixed_mem_layout;
    case FLB_KEY_ACPI: return &cfg->acpi;
    default: return NULL;
    }
}

static uint64_t *int_field(struct flb_config *cfg, enum flb_key k)
{
    switch (k) {
    case FLB_KEY_MEMORY: return &cfg->memory_mib;
    case FLB_KEY_MAXMEM: return &cfg->maxmem_mib;
    case FLB_KEY_VCPUS: return &cfg->vcpus;
    case FLB_KEY_MAXVCPUS: return &cfg->maxvcpus;
    case FLB_KEY_MAX_GRANT_FRAMES: return &cfg->max_grant_frames;
    case FLB_KEY_MAX_MAPTRACK_FRAMES: return &cfg->max_maptrack_frames;
    case FLB_KEY_MAX_GRANT_VERSION: return &cfg->max_grant_version;
    case FLB_KEY_MMIO_HOLE: return &cfg->mmio_hole_mib;
    case FLB_KEY_FOREIGN_REGION_MIB: return &cfg->foreign_region_mib;
    default: return NULL;
    }
}

void flb_config_free(struct flb_config *cfg)
{
    for (int k = 0; k < FLB_KEY_COUNT; k++) {
        char **s = string_field(cfg, k);
        if (s) {
            free(*s);
            *s = NULL;
        }
    }
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

void flb_config_oneline(char *msg)
{
    for (; *msg; msg++)
        if ((unsigned char)*msg < 0x20 || *msg == 0x7f)
            *msg = '?';
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
        flb_config_oneline(line);
        cfg->warnings[cfg->nr_warnings++] = line;
    }
}

/* "guest.cfg:4: ", "guest.cfg: ", or "" for an override (its caller names it). */
static void where_prefix(char *buf, size_t len, struct flb_origin o)
{
    if (o.file && o.line > 0)
        snprintf(buf, len, "%s:%d: ", o.file, o.line);
    else if (o.file)
        snprintf(buf, len, "%s: ", o.file);
    else
        buf[0] = '\0';
}

static const char *kind_name(enum flb_value_kind kind)
{
    switch (kind) {
    case FLB_VALUE_STRING: return ", got a string";
    case FLB_VALUE_LIST: return ", got a list";
    case FLB_VALUE_BOOL: return ", got a boolean";
    default: return "";
    }
}

static int unknown_key(struct flb_config *cfg, const char *key, const char *at, bool is_override,
                       struct flb_error *err)
{
    const char *near = flb_key_suggest(key);
    char hint[128] = "";

    if (near)
        snprintf(hint, sizeof(hint), " (did you mean '%s'?)", near);
    /* An override is typed on purpose, so a typo there must not pass silently. */
    if (is_override)
        return flb_fail(err, FLB_E_INPUT, "unknown key '%s'%s", key, hint);
    flb_config_warn(cfg, "%sunknown key '%s' ignored%s", at, key, hint);
    return FLB_OK;
}

static int set_string(struct flb_config *cfg, enum flb_key k, const struct flb_value *v, const char *at,
                      struct flb_error *err)
{
    const char *key = flb_key_name(k);
    char *copy;

    if (v->kind == FLB_VALUE_LIST || v->kind == FLB_VALUE_OTHER || !v->text)
        return flb_fail(err, FLB_E_INPUT, "%s%s: expected a string%s", at, key, kind_name(v->kind));
    if (!v->text[0] && k != FLB_KEY_CMDLINE && k != FLB_KEY_EXTRA && k != FLB_KEY_ROOT)
        return flb_fail(err, FLB_E_INPUT, "%s%s: must not be empty", at, key);
    if (k == FLB_KEY_TYPE && strcmp(v->text, "pvh")) {
        if (!strcmp(v->text, "pv") || !strcmp(v->text, "hvm"))
            return flb_fail(err, FLB_E_INPUT,
                            "%stype: '%s' is not supported: a fixed layout needs a PVH guest", at, v->text);
        return flb_fail(err, FLB_E_INPUT, "%stype: unknown guest type '%s' (expected \"pvh\")", at, v->text);
    }
    if (k >= FLB_KEY_ON_POWEROFF && k <= FLB_KEY_ON_SOFT_RESET)
        return flb_action_parse((unsigned)(k - FLB_KEY_ON_POWEROFF), v->text, at,
                                &cfg->on_action[k - FLB_KEY_ON_POWEROFF], err);
    copy = strdup(v->text);
    if (!copy)
        return flb_fail(err, FLB_E_SYSTEM, "out of memory");
    free(*string_field(cfg, k));
    *string_field(cfg, k) = copy;
    return FLB_OK;
}

/* The integer a value stands for; xl itself accepts a quoted number, so we do too. */
static int value_int(const struct flb_value *v, const struct flb_key_info *ki, const char *at, long long *out,
                     struct flb_error *err)
{
    char unit[32] = "";
    int rc = -1;

    if (ki->unit)
        snprintf(unit, sizeof(unit), " (%s)", ki->unit);
    if (v->kind == FLB_VALUE_BOOL && ki->kind == FLB_KEY_BOOL) {
        *out = v->i;
        return FLB_OK;
    }
    if ((v->kind == FLB_VALUE_INT || v->kind == FLB_VALUE_STRING) && v->text)
        rc = flb_parse_int(v->text, out);
    else if (v->kind == FLB_VALUE_INT) {
        *out = v->i;
        rc = 0;
    }
    if (rc == -3)
        return flb_fail(err, FLB_E_INPUT,
                        "%s%s: '%s' has a leading zero, which xl reads as octal; write it without", at,
                        ki->name, v->text);
    if (rc == -2)
        return flb_fail(err, FLB_E_INPUT, "%s%s: must be between %" PRIu64 " and %" PRIu64 "%s, got %s", at,
                        ki->name, ki->min, ki->max, unit, v->text);
    if (rc == 0)
        return FLB_OK;
    if (ki->kind == FLB_KEY_BOOL)
        return flb_fail(err, FLB_E_INPUT, "%s%s: expected 0 or 1%s", at, ki->name, kind_name(v->kind));
    if (v->kind == FLB_VALUE_INT && v->text)
        return flb_fail(err, FLB_E_INPUT, "%s%s: expected an integer%s, got '%s'", at, ki->name, unit,
                        v->text);
    return flb_fail(err, FLB_E_INPUT, "%s%s: expected an integer%s%s", at, ki->name, unit,
                    kind_name(v->kind));
}

static int set_int(struct flb_config *cfg, enum flb_key k, const struct flb_value *v, const char *at,
                   struct flb_error *err)
{
    const struct flb_key_info *ki = flb_key_info(k);
    char unit[32] = "";
    long long n;
    int rc = value_int(v, ki, at, &n, err);

    if (rc)
        return rc;
    if (ki->unit)
        snprintf(unit, sizeof(unit), " (%s)", ki->unit);
    if (n < 0 || (uint64_t)n < ki->min || (uint64_t)n > ki->max) {
        if (ki->kind == FLB_KEY_BOOL)
            return flb_fail(err, FLB_E_INPUT, "%s%s: expected 0 or 1, got %lld", at, ki->name, n);
        if (ki->max == ki->min + 1)
            return flb_fail(err, FLB_E_INPUT, "%s%s: must be %" PRIu64 " or %" PRIu64 ", got %lld", at,
                            ki->name, ki->min, ki->max, n);
        return flb_fail(err, FLB_E_INPUT, "%s%s: must be between %" PRIu64 " and %" PRIu64 "%s, got %lld", at,
                        ki->name, ki->min, ki->max, unit, n);
    }
    if (ki->kind == FLB_KEY_BOOL)
        *bool_field(cfg, k) = (int)n;
    else
        *int_field(cfg, k) = (uint64_t)n;
    return FLB_OK;
}

int flb_config_set(struct flb_config *cfg, const char *key, const struct flb_value *v,
                   struct flb_origin where, bool allow_replace, struct flb_error *err)
{
    char at[320];
    int k = flb_key_lookup(key);
    int rc;

    where_prefix(at, sizeof(at), where);
    if (k < 0 && flb_key_is_ignored(key)) {
        flb_config_warn(cfg, "%sxl key '%s' ignored (fixed-layout-build does not use it)", at, key);
        return FLB_OK;
    }
    if (k < 0)
        return unknown_key(cfg, key, at, !where.file, err);
    if (cfg->is_set[k] && !allow_replace) {
        if (cfg->origin[k].line > 0)
            return flb_fail(err, FLB_E_INPUT, "%sduplicate key '%s' (first set on line %d)", at, key,
                            cfg->origin[k].line);
        return flb_fail(err, FLB_E_INPUT, "%sduplicate key '%s'", at, key);
    }
    if (flb_key_info(k)->kind == FLB_KEY_STRING)
        rc = set_string(cfg, k, v, at, err);
    else
        rc = set_int(cfg, k, v, at, err);
    if (rc)
        return rc;
    cfg->is_set[k] = true;
    cfg->origin[k] = where;
    free(cfg->override[k]);
    cfg->override[k] = NULL;
    return FLB_OK;
}

void flb_config_key_at(const struct flb_config *cfg, enum flb_key k, char *buf, size_t len)
{
    if (!cfg->is_set[k] || cfg->origin[k].file)
        where_prefix(buf, len, cfg->is_set[k] ? cfg->origin[k] : (struct flb_origin){cfg->source, 0});
    else if (cfg->override[k])
        snprintf(buf, len, FLB_OVERRIDE_FMT ": ", FLB_OVERRIDE_ARG(cfg->override[k]));
    else
        snprintf(buf, len, "override: ");
}

static int build_cmdline(struct flb_config *cfg)
{
    char at[320];
    int n = 0;

    free(cfg->final_cmdline);
    cfg->final_cmdline = NULL;
    /* As xl does: an explicit cmdline wins over root and extra. */
    if (cfg->cmdline) {
        if (cfg->root || cfg->extra) {
            flb_config_key_at(cfg, FLB_KEY_CMDLINE, at, sizeof(at));
            flb_config_warn(cfg, "%s%s ignored because cmdline is set", at,
                            cfg->root && cfg->extra ? "root and extra"
                            : cfg->root             ? "root"
                                                    : "extra");
        }
        cfg->final_cmdline = strdup(cfg->cmdline);
    } else if (cfg->root && cfg->extra) {
        n = asprintf(&cfg->final_cmdline, "root=%s %s", cfg->root, cfg->extra);
    } else if (cfg->root) {
        n = asprintf(&cfg->final_cmdline, "root=%s", cfg->root);
    } else if (cfg->extra) {
        cfg->final_cmdline = strdup(cfg->extra);
    } else {
        return FLB_OK;
    }
    if (n < 0 || !cfg->final_cmdline) {
        cfg->final_cmdline = NULL;
        return FLB_E_SYSTEM;
    }
    return FLB_OK;
}

/* The guest gets the command line through one page-sized buffer (MAX_GUEST_CMDLINE with its NUL). */
static int check_cmdline_length(const struct flb_config *cfg, struct flb_error *err)
{
    enum flb_key k = cfg->cmdline ? FLB_KEY_CMDLINE : cfg->extra ? FLB_KEY_EXTRA : FLB_KEY_ROOT;
    size_t n = cfg->final_cmdline ? strlen(cfg->final_cmdline) : 0;
    char at[320];

    if (n < FLB_SI_MAX_CMDLINE)
        return FLB_OK;
    flb_config_key_at(cfg, k, at, sizeof(at));
    return flb_fail(err, FLB_E_INPUT, "%s%s: the kernel command line would be %zu bytes, at most %d fit",
                    at, flb_key_name(k), n, FLB_SI_MAX_CMDLINE - 1);
}

static int finish(struct flb_config *cfg, struct flb_error *err)
{
    static const enum flb_key required[] = {FLB_KEY_NAME, FLB_KEY_MEMORY, FLB_KEY_KERNEL};
    char at[320];

    for (size_t i = 0; i < sizeof(required) / sizeof(required[0]); i++) {
        if (cfg->is_set[required[i]])
            continue;
        flb_config_key_at(cfg, required[i], at, sizeof(at));
        return flb_fail(err, FLB_E_INPUT, "%smissing required key '%s'", at, flb_key_name(required[i]));
    }
    if (!cfg->type && !(cfg->type = strdup("pvh")))
        return flb_fail(err, FLB_E_SYSTEM, "out of memory");

    if (cfg->maxmem_mib == FLB_UNSET)
        cfg->maxmem_mib = cfg->memory_mib;
    if (cfg->maxmem_mib != cfg->memory_mib) {
        flb_config_key_at(cfg, FLB_KEY_MAXMEM, at, sizeof(at));
        return flb_fail(err, FLB_E_INPUT,
                        "%smaxmem: must equal memory (%" PRIu64 " MiB) for a PVH guest, got %" PRIu64, at,
                        cfg->memory_mib, cfg->maxmem_mib);
    }
    if (cfg->vcpus == FLB_UNSET)
        cfg->vcpus = 1;
    if (cfg->maxvcpus == FLB_UNSET)
        cfg->maxvcpus = cfg->vcpus;
    if (cfg->maxvcpus < cfg->vcpus) {
        flb_config_key_at(cfg, FLB_KEY_MAXVCPUS, at, sizeof(at));
        return flb_fail(err, FLB_E_INPUT, "%smaxvcpus: must be at least vcpus (%" PRIu64 "), got %" PRIu64,
                        at, cfg->vcpus, cfg->maxvcpus);
    }

    /* max_grant_frames and max_grant_version stay unset here: Xen decides them (see flb_plan_make). */
    if (cfg->max_maptrack_frames == FLB_UNSET)
        cfg->max_maptrack_frames = FLB_DEFAULT_MAX_MAPTRACK_FRAMES;
    if (cfg->fixed_mem_layout < 0)
        cfg->fixed_mem_layout = 0;
    if (cfg->acpi < 0)
        cfg->acpi = 1;
    /* Without a MADT a guest learns of no CPU but the boot one, unless it asks Xen itself. */
    if (!cfg->acpi && cfg->vcpus > 1) {
        flb_config_key_at(cfg, FLB_KEY_ACPI, at, sizeof(at));
        flb_config_warn(cfg, "%sacpi = 0: the guest sees one CPU of its %" PRIu64 " unless it starts the "
                        "others itself (VCPUOP_up)", at, cfg->vcpus);
    }
    flb_action_defaults(cfg->on_action, FLB_NR_ON_KEYS);
    if (cfg->foreign_region_mib == FLB_UNSET)
        cfg->foreign_region_mib = FLB_DEFAULT_FOREIGN_REGION_MIB;
    if (build_cmdline(cfg))
        return flb_fail(err, FLB_E_SYSTEM, "out of memory");
    return check_cmdline_length(cfg, err);
}

int flb_config_finish(struct flb_config *cfg, struct flb_error *err)
{
    int rc = finish(cfg, err);

    if (rc && err)
        flb_config_oneline(err->msg);
    return rc;
}
