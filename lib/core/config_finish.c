/* The one pass that fills the defaults the config itself decides, and checks the whole model. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/config_internal.h"
#include "core/lifecycle.h"
#include "core/plan.h"
#include "core/start_info.h"
#include "core/xen_pvh_layout.h"

static int build_cmdline(struct flb_config *cfg, struct flb_error *err)
{
    char at[320];
    int n = 0;

    free(cfg->final_cmdline);
    cfg->final_cmdline = NULL;
    /* As xl does: an explicit cmdline wins over root and extra. */
    if (cfg->cmdline) {
        if (cfg->root || cfg->extra) {
            flb_config_key_at(cfg, FLB_KEY_CMDLINE, at, sizeof(at));
            if (flb_config_ignored(cfg, err, "%s%s ignored because cmdline is set", at,
                                   cfg->root && cfg->extra ? "root and extra"
                                   : cfg->root             ? "root"
                                                           : "extra"))
                return FLB_E_INPUT;
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
        return flb_fail(err, FLB_E_SYSTEM, "out of memory");
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
    return flb_fail(err, FLB_E_INPUT, "%s%s: the kernel command line would be %zu bytes, at most %d fit", at,
                    flb_key_name(k), n, FLB_SI_MAX_CMDLINE - 1);
}

/* libxl's defaults for a PVH guest (libxl__domain_create_info_setdefault, ..._build_info_setdefault). */
static void finish_domain_settings(struct flb_config *cfg)
{
    if (cfg->hap < 0)
        cfg->hap = 1; /* libxl's when the host has HAP; without it, a live build fails at creation */
    if (cfg->oos < 0)
        cfg->oos = 1;
    if (cfg->nestedhvm < 0)
        cfg->nestedhvm = 0;
    if (cfg->vpmu < 0)
        cfg->vpmu = 0;
    if (cfg->msr_relaxed < 0)
        cfg->msr_relaxed = 0;
    if (cfg->localtime < 0)
        cfg->localtime = 0;
    if (cfg->driver_domain < 0)
        cfg->driver_domain = 0;
    if (cfg->vmtrace_buf_kb == FLB_UNSET)
        cfg->vmtrace_buf_kb = 0;
    if (cfg->max_event_channels == FLB_UNSET || cfg->max_event_channels == 0)
        cfg->max_event_channels = FLB_DEFAULT_MAX_EVTCHN_PORT;
}

/* libxl refuses a cap above 100% of one CPU per vCPU when it sets it; the config knows maxvcpus already. */
static int check_cap(const struct flb_config *cfg, struct flb_error *err)
{
    char at[320];

    if (cfg->cap == FLB_UNSET || cfg->cap <= cfg->maxvcpus * 100)
        return FLB_OK;
    flb_config_key_at(cfg, FLB_KEY_CAP, at, sizeof(at));
    return flb_fail(err, FLB_E_INPUT,
                    "%scap: %" PRIu64 " is above %" PRIu64 ", 100 (one whole CPU) for each of the %" PRIu64
                    " vCPUs: lower it, or raise maxvcpus",
                    at, cfg->cap, cfg->maxvcpus * 100, cfg->maxvcpus);
}

/* libxl refuses the two together before it creates the domain. */
static int check_altp2m(const struct flb_config *cfg, struct flb_error *err)
{
    char at[320];

    if (cfg->nestedhvm != 1 || flb_altp2m_number(cfg->altp2m) == 0)
        return FLB_OK;
    flb_config_key_at(cfg, FLB_KEY_ALTP2M, at, sizeof(at));
    return flb_fail(err, FLB_E_INPUT,
                    "%saltp2m: \"%s\" cannot be used with nestedhvm = 1 (libxl refuses the two together): "
                    "drop one",
                    at, cfg->altp2m);
}

static int finish(struct flb_config *cfg, struct flb_error *err)
{
    static const enum flb_key required[] = {FLB_KEY_NAME, FLB_KEY_MEMORY, FLB_KEY_KERNEL};
    enum flb_key missing[3];
    char at[320], list[128] = "";
    size_t n = 0;
    int rc;

    /* All of them at once: a user who fixes one should not then learn of the next. */
    for (size_t i = 0; i < sizeof(required) / sizeof(required[0]); i++)
        if (!cfg->is_set[required[i]])
            missing[n++] = required[i];
    for (size_t i = 0; i < n; i++)
        snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s'%s'",
                 i == 0       ? ""
                 : i + 1 == n ? " and "
                              : ", ",
                 flb_key_name(missing[i]));
    if (n) {
        flb_config_key_at(cfg, missing[0], at, sizeof(at)); /* unset: the file's name */
        return flb_fail(err, FLB_E_INPUT, "%smissing required key%s %s", at, n > 1 ? "s" : "", list);
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
    /*
     * Without a MADT a guest learns of no CPU but the boot one, unless it asks
     * Xen itself; and Linux 6.1 on PVH then sets up no local APIC timer (there
     * is no PIT either), so it stops at its first sleep.
     */
    if (!cfg->acpi) {
        flb_config_key_at(cfg, FLB_KEY_ACPI, at, sizeof(at));
        if (cfg->vcpus > 1)
            flb_config_warn(cfg,
                            "%sacpi = 0: no ACPI tables: the guest sees one CPU of its %" PRIu64
                            " unless it starts the others itself (VCPUOP_up), and Linux gets no timer "
                            "interrupt (it stops at its first sleep)",
                            at, cfg->vcpus);
        else
            flb_config_warn(cfg,
                            "%sacpi = 0: no ACPI tables: Linux gets no timer interrupt without them (it "
                            "stops at its first sleep)",
                            at);
    }
    flb_action_defaults(cfg->on_action, FLB_NR_ON_KEYS);
    if (cfg->foreign_region_mib == FLB_UNSET)
        cfg->foreign_region_mib = FLB_DEFAULT_FOREIGN_REGION_MIB;
    finish_domain_settings(cfg);
    if ((rc = check_cap(cfg, err)))
        return rc;
    if ((rc = check_altp2m(cfg, err)))
        return rc;
    if ((rc = build_cmdline(cfg, err)))
        return rc;
    return check_cmdline_length(cfg, err);
}

int flb_config_finish(struct flb_config *cfg, struct flb_error *err)
{
    int rc = finish(cfg, err);

    if (!rc && cfg->out_of_memory)
        rc = flb_fail(err, FLB_E_SYSTEM, "out of memory");
    if (rc && err)
        flb_config_oneline(err->msg, sizeof(err->msg));
    return rc;
}

/* A limit Xen applies to every domain, from its command line; `value` is above its default. */
static void above_xen_default(struct flb_config *cfg, enum flb_key k, uint64_t value, unsigned xen_default,
                              const char *xen_option)
{
    char at[320];

    if (value == FLB_UNSET || value <= xen_default)
        return;
    flb_config_key_at(cfg, k, at, sizeof(at));
    flb_config_warn(cfg,
                    "%s%s = %" PRIu64
                    " is above %u, Xen's default %s: a live build fails unless Xen was booted "
                    "with %s=%" PRIu64 " or more",
                    at, flb_key_name(k), value, xen_default, xen_option, xen_option, value);
}

void flb_config_dry_run_warnings(struct flb_config *cfg)
{
    above_xen_default(cfg, FLB_KEY_MAX_GRANT_FRAMES, cfg->max_grant_frames, FLB_DEFAULT_MAX_GRANT_FRAMES,
                      "gnttab_max_frames");
    above_xen_default(cfg, FLB_KEY_MAX_MAPTRACK_FRAMES, cfg->max_maptrack_frames,
                      FLB_DEFAULT_MAX_MAPTRACK_FRAMES, "gnttab_max_maptrack_frames");
}
