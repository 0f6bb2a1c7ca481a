/* One value checked against its key: strings, integers, booleans, with the messages all front ends share. */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/config_internal.h"
#include "core/escape.h"
#include "core/lifecycle.h"

/* What a boolean takes, as its messages say it; any other number up to 2^63 - 1 is true as well. */
#define BOOL_EXPECTED "expected 0 (false) or 1 (true)"

const char *flb_value_kind_name(enum flb_value_kind kind)
{
    switch (kind) {
    case FLB_VALUE_STRING: return ", got a string";
    case FLB_VALUE_LIST: return ", got a list";
    case FLB_VALUE_BOOL: return ", got a boolean";
    default: return "";
    }
}

char *flb_value_list_text(const struct flb_value *v)
{
    size_t size = 3;
    char *s, *p;

    for (size_t i = 0; i < v->nr_items; i++)
        size += strlen(v->items[i]) + 4;
    if (!(s = malloc(size)))
        return NULL;
    p = s;
    *p++ = '[';
    for (size_t i = 0; i < v->nr_items; i++)
        p += sprintf(p, "%s\"%s\"", i ? ", " : "", v->items[i]);
    strcpy(p, "]");
    return s;
}

static bool has_control(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x20 || *p == 0x7F || (p[0] == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F))
            return true;
    return false;
}

/* libxl's form, the only one xl reads: 8-4-4-4-12 hexadecimal digits. */
static bool uuid_text(const char *s)
{
    static const char shape[] = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";

    for (size_t i = 0; i < sizeof(shape); i++) {
        if (shape[i] == 'x' ? !isxdigit((unsigned char)s[i]) : s[i] != shape[i])
            return false;
    }
    return true;
}

/*
 * tsc_mode as xl reads it: a name, in any case, or its number, which xl takes with a warning. The name is
 * kept; native_paravirt, which libxl refuses since Xen removed it, is refused here already.
 */
static int tsc_mode_value(struct flb_config *cfg, const struct flb_value *v, const char *at,
                          const char **name, struct flb_error *err)
{
    static const char *const names[] = {"default", "always_emulate", "native", "native_paravirt"};
    long long n = -1;

    /* xl reads a quoted number as a number too. */
    if (flb_parse_int(v->text, &n) == 0) {
        if (n < 0 || n > 3)
            return flb_fail(err, FLB_E_INPUT,
                            "%stsc_mode: must be between 0 and 3, or better its name (\"default\", "
                            "\"always_emulate\" or \"native\"), got %lld",
                            at, n);
        if (n != 3)
            flb_config_warn(cfg, "%stsc_mode: a number is deprecated, as xl says: write tsc_mode = \"%s\"",
                            at, names[n]);
    } else {
        for (int i = 0; i < 4; i++)
            if (!strcasecmp(v->text, names[i]))
                n = i;
    }
    if (n == 3)
        return flb_fail(
            err, FLB_E_INPUT,
            "%stsc_mode: native_paravirt was removed from Xen and libxl refuses it: use \"native\" "
            "or leave tsc_mode out",
            at);
    if (n < 0)
        return flb_fail(err, FLB_E_INPUT,
                        "%stsc_mode: expected \"default\", \"always_emulate\" or \"native\", got '%s'", at,
                        v->text);
    *name = names[n];
    return FLB_OK;
}

int flb_config_set_string(struct flb_config *cfg, enum flb_key k, const struct flb_value *v, const char *at,
                          struct flb_error *err)
{
    const char *key = flb_key_name(k);
    size_t bad = 0;
    char *copy;

    if (k == FLB_KEY_CPUS || k == FLB_KEY_CPUS_SOFT)
        return flb_config_set_affinity(cfg, k, v, at, err);
    if (k == FLB_KEY_CPUID)
        return flb_config_set_cpuid(cfg, v, at, err);
    if (k == FLB_KEY_RTC_TIMEOFFSET || k == FLB_KEY_TIMER_MODE || k == FLB_KEY_ALTP2M)
        return flb_config_set_mode(cfg, k, v, at, err);
    /* A word (a bare word, only an override may write one for a string) is the string it spells. */
    if (v->kind == FLB_VALUE_LIST || v->kind == FLB_VALUE_OTHER || !v->text)
        return flb_fail(err, FLB_E_INPUT, "%s%s: expected a string%s", at, key, flb_value_kind_name(v->kind));
    /* Strings reach the JSON output and xenstore, which both need text: refuse what is not UTF-8. */
    if (!flb_utf8_valid(v->text, strlen(v->text), &bad))
        return flb_fail(err, FLB_E_INPUT, "%s%s: not valid UTF-8 (byte 0x%02x at offset %zu)", at, key,
                        (unsigned char)v->text[bad], bad);
    if (!v->text[0] && k != FLB_KEY_CMDLINE && k != FLB_KEY_EXTRA && k != FLB_KEY_ROOT)
        return flb_fail(err, FLB_E_INPUT, "%s%s: must not be empty", at, key);
    /* A name is typed to xl and shown by it: a control character there only hides or garbles it. */
    if (k == FLB_KEY_NAME && has_control(v->text))
        return flb_fail(err, FLB_E_INPUT, "%sname: must not contain control characters, got '%s'", at,
                        v->text);
    /* xl reads the type whatever its case ("PVH"); it is kept in the one spelling. */
    if (k == FLB_KEY_TYPE && strcasecmp(v->text, "pvh")) {
        if (!strcasecmp(v->text, "pv") || !strcasecmp(v->text, "hvm"))
            return flb_fail(err, FLB_E_INPUT,
                            "%stype: '%s' is not supported: a fixed layout needs a PVH guest", at, v->text);
        return flb_fail(err, FLB_E_INPUT, "%stype: unknown guest type '%s' (expected \"pvh\")", at, v->text);
    }
    /* The on_ keys keep the action, not the text (core/lifecycle.c checks the word). */
    if (flb_key_is_action(k))
        return flb_action_parse((unsigned)(k - FLB_KEY_ON_POWEROFF), v->text, at,
                                &cfg->on_action[k - FLB_KEY_ON_POWEROFF], err);
    if (k == FLB_KEY_UUID && !uuid_text(v->text))
        return flb_fail(
            err, FLB_E_INPUT,
            "%suuid: expected 32 hexadecimal digits as xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx, got '%s'", at,
            v->text);
    if (k == FLB_KEY_TSC_MODE) {
        const char *name = NULL;
        int rc = tsc_mode_value(cfg, v, at, &name, err);
        if (rc)
            return rc;
        copy = strdup(name);
    } else {
        copy = strdup(k == FLB_KEY_TYPE ? "pvh" : v->text);
    }
    if (!copy)
        return flb_fail(err, FLB_E_SYSTEM, "out of memory");
    free(*flb_config_string_field(cfg, k));
    *flb_config_string_field(cfg, k) = copy;
    return FLB_OK;
}

/*
 * A size with a unit, "2048M", "2 GiB" or "1.5G": true if text is one, with *mib the MiB it means when
 * that is a whole number (else 0). xl takes sizes in MiB without a unit, and so do we.
 */
static bool size_with_unit(const char *text, uint64_t *mib)
{
    static const char units[] = "kKmMgGtT";
    const char *p = text, *u;
    uint64_t digits = 0, scale = 1, kib;
    int nd = 0;
    bool frac = false;

    *mib = 0;
    while (*p == ' ')
        p++;
    for (; (*p >= '0' && *p <= '9') || (*p == '.' && !frac && nd); p++) {
        if (*p == '.') {
            frac = true;
            continue;
        }
        if (++nd > 12)
            return false;
        digits = digits * 10 + (uint64_t)(*p - '0');
        if (frac)
            scale *= 10;
    }
    while (*p == ' ')
        p++;
    if (!nd || !*p || !(u = strchr(units, *p)))
        return false;
    p++;
    if (*p == 'i')
        p++;
    if (*p == 'B' || *p == 'b')
        p++;
    while (*p == ' ')
        p++;
    if (*p)
        return false;
    /* In KiB: k 1, M 2^10, G 2^20, T 2^30; 12 digits times 2^30 fits in 64 bits. */
    kib = digits << (10 * ((u - units) / 2));
    if (kib % (scale * 1024) == 0)
        *mib = kib / (scale * 1024);
    return true;
}

/* The integer a value stands for; xl itself accepts a quoted number, so we do too. */
static int value_int(const struct flb_value *v, const struct flb_key_info *ki, const char *at, long long *out,
                     struct flb_error *err)
{
    char unit[32] = "";
    uint64_t mib;
    int rc = -1;

    if (ki->unit)
        snprintf(unit, sizeof(unit), " (%s)", ki->unit);
    if (v->kind == FLB_VALUE_BOOL && ki->kind == FLB_KEY_BOOL) {
        *out = v->i;
        return FLB_OK;
    }
    if ((v->kind == FLB_VALUE_INT || v->kind == FLB_VALUE_STRING || v->kind == FLB_VALUE_WORD) && v->text)
        rc = flb_parse_int(v->text, out);
    else if (v->kind == FLB_VALUE_INT) {
        *out = v->i;
        rc = 0;
    }
    if (rc == -3)
        return flb_fail(err, FLB_E_INPUT,
                        "%s%s: '%s' has a leading zero, which xl reads as octal; write it without", at,
                        ki->name, v->text);
    if (rc == -2 && ki->kind == FLB_KEY_BOOL)
        return flb_fail(err, FLB_E_INPUT, "%s%s: %s, got %s", at, ki->name, BOOL_EXPECTED, v->text);
    if (rc == -2)
        return flb_fail(err, FLB_E_INPUT, "%s%s: must be between %" PRIu64 " and %" PRIu64 "%s, got %s", at,
                        ki->name, ki->min, ki->max, unit, v->text);
    /* A word is what xl cannot read: "+5" is a number only once its sign is gone. */
    if (rc == 0 && v->kind == FLB_VALUE_WORD && *out >= 0)
        return flb_fail(err, FLB_E_INPUT, "%s%s: write %lld without the '+', got '%s'", at, ki->name, *out,
                        v->text);
    if (rc == 0)
        return FLB_OK;
    if (v->text && ki->unit && !strcmp(ki->unit, "MiB") && size_with_unit(v->text, &mib)) {
        if (mib)
            return flb_fail(err, FLB_E_INPUT,
                            "%s%s: write the size in MiB as a plain number: %" PRIu64 " for '%s'", at,
                            ki->name, mib, v->text);
        return flb_fail(err, FLB_E_INPUT, "%s%s: write the size in MiB as a plain number, not '%s'", at,
                        ki->name, v->text);
    }
    if (v->text && (v->kind == FLB_VALUE_INT || v->kind == FLB_VALUE_WORD))
        return flb_fail(err, FLB_E_INPUT, "%s%s: expected %s%s, got '%s'", at, ki->name,
                        ki->kind == FLB_KEY_BOOL ? "0 (false) or 1 (true)" : "an integer", unit, v->text);
    return flb_fail(err, FLB_E_INPUT, "%s%s: expected %s%s%s", at, ki->name,
                    ki->kind == FLB_KEY_BOOL ? "0 (false) or 1 (true)" : "an integer", unit,
                    flb_value_kind_name(v->kind));
}

int flb_config_set_int(struct flb_config *cfg, enum flb_key k, const struct flb_value *v, const char *at,
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
            return flb_fail(err, FLB_E_INPUT, "%s%s: %s, got %lld", at, ki->name, BOOL_EXPECTED, n);
        if (ki->max == ki->min + 1)
            return flb_fail(err, FLB_E_INPUT, "%s%s: must be %" PRIu64 " or %" PRIu64 ", got %lld", at,
                            ki->name, ki->min, ki->max, n);
        return flb_fail(err, FLB_E_INPUT, "%s%s: must be between %" PRIu64 " and %" PRIu64 "%s, got %lld", at,
                        ki->name, ki->min, ki->max, unit, n);
    }
    /* As xl reads a boolean: 0 is false, any other number true. */
    if (ki->kind == FLB_KEY_BOOL)
        *flb_config_bool_field(cfg, k) = n != 0;
    else
        *flb_config_int_field(cfg, k) = (uint64_t)n;
    return FLB_OK;
}
