/* rtc_timeoffset, timer_mode and altp2m: values xl reads from a number or a name, checked as xl checks them.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/config_internal.h"

static const char *const timer_modes[] = {"delay_for_missed_ticks", "no_delay_for_missed_ticks",
                                          "no_missed_ticks_pending", "one_missed_tick_pending"};
static const char *const altp2m_modes[] = {"disabled", "mixed", "external", "limited"};

int flb_timer_mode_number(const char *name)
{
    for (int i = 0; i < 4; i++)
        if (name && !strcmp(name, timer_modes[i]))
            return i;
    return 1; /* libxl's default: no_delay_for_missed_ticks */
}

int flb_altp2m_number(const char *name)
{
    for (int i = 0; i < 4; i++)
        if (name && !strcmp(name, altp2m_modes[i]))
            return i;
    return 0;
}

/* A name, in any case as libxl compares them, or its number; timer_mode's number draws xl's warning. */
static int mode_value(struct flb_config *cfg, enum flb_key k, const struct flb_value *v, const char *at,
                      const char **name, struct flb_error *err)
{
    const char *const *names = k == FLB_KEY_TIMER_MODE ? timer_modes : altp2m_modes;
    const char *key = flb_key_name(k);
    long long n = -1;

    if (flb_parse_int(v->text, &n) == 0) {
        if (n < 0 || n > 3)
            return flb_fail(err, FLB_E_INPUT,
                            "%s%s: must be between 0 and 3, or better its name (\"%s\", \"%s\", "
                            "\"%s\" or \"%s\"), got %lld",
                            at, key, names[0], names[1], names[2], names[3], n);
        if (k == FLB_KEY_TIMER_MODE)
            flb_config_warn(cfg,
                            "%stimer_mode: a number is deprecated, as xl says: write timer_mode = \"%s\"", at,
                            names[n]);
    } else {
        for (int i = 0; i < 4; i++)
            if (!strcasecmp(v->text, names[i]))
                n = i;
    }
    if (n < 0)
        return flb_fail(err, FLB_E_INPUT, "%s%s: expected \"%s\", \"%s\", \"%s\" or \"%s\", got '%s'", at,
                        key, names[0], names[1], names[2], names[3], v->text);
    *name = names[n];
    return FLB_OK;
}

/*
 * xl reads the offset as a long from a number or a quoted one ("-3600": a bare negative number is not xl
 * syntax) and libxl hands Xen 32 bits of it: a value that would wrap is refused.
 */
static int offset_value(const struct flb_value *v, const char *at, char *text, size_t len,
                        struct flb_error *err)
{
    long long n;
    int rc = flb_parse_int(v->text, &n);

    if (rc == -3)
        return flb_fail(err, FLB_E_INPUT,
                        "%srtc_timeoffset: '%s' has a leading zero, which xl reads as octal; "
                        "write it without",
                        at, v->text);
    if (rc)
        return flb_fail(err, FLB_E_INPUT,
                        "%srtc_timeoffset: expected seconds, such as 3600 or \"-3600\", got '%s'", at,
                        v->text);
    if (n < INT32_MIN || n > INT32_MAX)
        return flb_fail(err, FLB_E_INPUT,
                        "%srtc_timeoffset: must be between %" PRId32 " and %" PRId32 " seconds, got %lld", at,
                        INT32_MIN, INT32_MAX, n);
    snprintf(text, len, "%lld", n);
    return FLB_OK;
}

int flb_config_set_mode(struct flb_config *cfg, enum flb_key k, const struct flb_value *v, const char *at,
                        struct flb_error *err)
{
    char number[24];
    const char *value = number;
    char *copy;
    int rc;

    if ((v->kind != FLB_VALUE_STRING && v->kind != FLB_VALUE_INT && v->kind != FLB_VALUE_WORD) || !v->text)
        return flb_fail(err, FLB_E_INPUT, "%s%s: expected %s%s", at, flb_key_name(k),
                        k == FLB_KEY_RTC_TIMEOFFSET ? "seconds" : "a mode's name",
                        flb_value_kind_name(v->kind));
    if (k == FLB_KEY_RTC_TIMEOFFSET)
        rc = offset_value(v, at, number, sizeof(number), err);
    else
        rc = mode_value(cfg, k, v, at, &value, err);
    if (rc)
        return rc;
    if (!(copy = strdup(value)))
        return flb_fail(err, FLB_E_SYSTEM, "out of memory");
    free(*flb_config_string_field(cfg, k));
    *flb_config_string_field(cfg, k) = copy;
    return FLB_OK;
}
