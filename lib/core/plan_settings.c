/* The domain settings that differ from xl's defaults, listed once for the text and the JSON dry-run. */
#include "core/plan_settings.h"

#include <stdio.h>
#include <string.h>

static const char *const tsc_names[] = {"default", "always_emulate", "native"};
static const char *const timer_names[] = {"delay_for_missed_ticks", "no_delay_for_missed_ticks",
                                          "no_missed_ticks_pending", "one_missed_tick_pending"};
static const char *const altp2m_names[] = {"disabled", "mixed", "external", "limited"};

static void add_bool(struct flb_setting *out, size_t *n, const char *key, bool value, bool def)
{
    if (value != def)
        out[(*n)++] = (struct flb_setting){.key = key, .kind = FLB_SETTING_BOOL, .number = value};
}

static void add_text(struct flb_setting *out, size_t *n, const char *key, const char *text)
{
    struct flb_setting *s = &out[(*n)++];
    size_t max = sizeof(s->text) - 1;

    *s = (struct flb_setting){.key = key, .kind = FLB_SETTING_TEXT};
    if (strlen(text) <= max)
        memcpy(s->text, text, strlen(text) + 1);
    else {
        size_t keep = max - 3;
        /* Never inside a UTF-8 sequence: the JSON output refuses what is not UTF-8. */
        while (keep && ((unsigned char)text[keep] & 0xC0) == 0x80)
            keep--;
        snprintf(s->text, sizeof(s->text), "%.*s...", (int)keep, text);
    }
}

static void add_number(struct flb_setting *out, size_t *n, const char *key, uint64_t value)
{
    out[(*n)++] = (struct flb_setting){.key = key, .kind = FLB_SETTING_NUMBER, .number = value};
}

size_t flb_plan_settings(const struct flb_plan *plan, struct flb_setting *out)
{
    const struct flb_plan_domain *d = &plan->domain;
    size_t n = 0;

    if (d->has_uuid) {
        const uint8_t *u = d->uuid;
        out[n] = (struct flb_setting){.key = "uuid", .kind = FLB_SETTING_TEXT};
        snprintf(out[n].text, sizeof(out[n].text),
                 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", u[0], u[1], u[2],
                 u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12], u[13], u[14], u[15]);
        n++;
    }
    add_bool(out, &n, "hap", d->hap, true);
    add_bool(out, &n, "oos", d->oos, true);
    if (d->paging_pool_set)
        out[n++] = (struct flb_setting){
            .key = "shadow_memory", .kind = FLB_SETTING_NUMBER, .number = d->paging_pool_bytes >> 20};
    add_bool(out, &n, "nestedhvm", d->nested_virt, false);
    add_bool(out, &n, "vpmu", d->vpmu, false);
    add_bool(out, &n, "msr_relaxed", d->msr_relaxed, false);
    if (d->max_evtchn_port != FLB_DEFAULT_MAX_EVTCHN_PORT)
        out[n++] = (struct flb_setting){
            .key = "max_event_channels", .kind = FLB_SETTING_NUMBER, .number = d->max_evtchn_port};
    if (d->tsc_mode != 0 && d->tsc_mode < sizeof(tsc_names) / sizeof(tsc_names[0])) {
        out[n] = (struct flb_setting){.key = "tsc_mode", .kind = FLB_SETTING_TEXT};
        snprintf(out[n].text, sizeof(out[n].text), "%s", tsc_names[d->tsc_mode]);
        n++;
    }
    if (d->hard_affinity_text)
        add_text(out, &n, "cpus", d->hard_affinity_text);
    if (d->soft_affinity_text)
        add_text(out, &n, "cpus_soft", d->soft_affinity_text);
    if (d->has_sched_weight)
        add_number(out, &n, "cpu_weight", d->sched_weight);
    if (d->has_sched_cap)
        add_number(out, &n, "cap", d->sched_cap);
    add_bool(out, &n, "localtime", d->localtime, false);
    if (d->rtc_timeoffset) {
        char seconds[16];
        snprintf(seconds, sizeof(seconds), "%d", (int)d->rtc_timeoffset);
        add_text(out, &n, "rtc_timeoffset", seconds);
    }
    if (d->timer_mode != 1 && d->timer_mode < sizeof(timer_names) / sizeof(timer_names[0]))
        add_text(out, &n, "timer_mode", timer_names[d->timer_mode]);
    if (d->altp2m && d->altp2m < sizeof(altp2m_names) / sizeof(altp2m_names[0]))
        add_text(out, &n, "altp2m", altp2m_names[d->altp2m]);
    if (d->vmtrace_size)
        add_number(out, &n, "vmtrace_buf_kb", d->vmtrace_size / 1024);
    add_bool(out, &n, "driver_domain", plan->xenstore.driver_domain, false);
    if (d->cpuid_text)
        add_text(out, &n, "cpuid", d->cpuid_text);
    if (d->exec_label)
        add_text(out, &n, "init_seclabel", d->create_label);
    if (d->exec_label || d->create_label)
        add_text(out, &n, "seclabel", d->exec_label ? d->exec_label : d->create_label);
    return n;
}
