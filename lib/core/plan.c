/* Making the plan: the config's values, Xen's answers and the layout, resolved once for every later step. */
#include "core/plan.h"

#include <stdlib.h>
#include <string.h>

#include "core/xen_pvh_layout.h"

/* libxl gives a guest 1 MiB above its target for pages the builder adds. */
#define MAX_MEMORY_SLACK_KIB 1024u

void flb_host_assumed(struct flb_host *host)
{
    host->max_grant_version = 2;
    host->max_grant_version_known = false;
    host->max_grant_frames = FLB_DEFAULT_MAX_GRANT_FRAMES;
}

/*
 * libxl's paging pool for an HVM-container guest (libxl__get_required_paging_memory): 4 KiB per page of
 * 256 pages per vCPU, one page per MiB for the P2M, and one more per MiB to shadow with shadow paging.
 * shadow_memory, in MiB, replaces the whole.
 */
static uint64_t paging_pool_bytes(const struct flb_config *cfg)
{
    if (cfg->shadow_memory_mib != FLB_UNSET)
        return cfg->shadow_memory_mib * FLB_MIB;
    return (256 * cfg->maxvcpus + (cfg->hap ? 1 : 2) * cfg->maxmem_mib) * 4 * 1024;
}

static int hex_digit(char c)
{
    return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}

/* The config checked the form; the bytes go in the order they are written, as libxl_uuid_from_string. */
static void uuid_bytes(const char *text, uint8_t out[16])
{
    for (int i = 0; i < 16; text++) {
        if (*text == '-')
            continue;
        out[i++] = (uint8_t)(hex_digit(text[0]) << 4 | hex_digit(text[1]));
        text++;
    }
}

/* xc_domain_set_tsc_info's modes for the names the config keeps. */
static uint32_t tsc_mode_number(const char *name)
{
    if (name && !strcmp(name, "always_emulate"))
        return 1;
    if (name && !strcmp(name, "native"))
        return 2;
    return 0;
}

/* Where the vCPUs may run and how the scheduler weighs them. */
static void make_scheduling(const struct flb_config *cfg, struct flb_plan_domain *d)
{
    d->hard_affinity = &cfg->cpus;
    d->soft_affinity = &cfg->cpus_soft;
    d->hard_affinity_text = cfg->cpus_text;
    d->soft_affinity_text = cfg->cpus_soft_text;
    flb_config_key_at(cfg, FLB_KEY_CPUS, d->hard_affinity_at, sizeof(d->hard_affinity_at));
    flb_config_key_at(cfg, FLB_KEY_CPUS_SOFT, d->soft_affinity_at, sizeof(d->soft_affinity_at));
    d->has_sched_weight = cfg->cpu_weight != FLB_UNSET;
    d->has_sched_cap = cfg->cap != FLB_UNSET;
    d->sched_weight = d->has_sched_weight ? (uint32_t)cfg->cpu_weight : 0;
    d->sched_cap = d->has_sched_cap ? (uint32_t)cfg->cap : 0;
    flb_config_key_at(cfg, d->has_sched_weight ? FLB_KEY_CPU_WEIGHT : FLB_KEY_CAP, d->sched_at,
                      sizeof(d->sched_at));
}

/* xl's pairing: init_seclabel names the label at creation, seclabel then the one the guest runs with. */
static void make_labels(const struct flb_config *cfg, struct flb_plan_domain *d)
{
    enum flb_key create = cfg->init_seclabel ? FLB_KEY_INIT_SECLABEL : FLB_KEY_SECLABEL;

    d->create_label = cfg->init_seclabel ? cfg->init_seclabel : cfg->seclabel;
    d->exec_label = cfg->init_seclabel ? cfg->seclabel : NULL;
    flb_config_key_at(cfg, create, d->create_label_at, sizeof(d->create_label_at));
    flb_config_key_at(cfg, FLB_KEY_SECLABEL, d->exec_label_at, sizeof(d->exec_label_at));
}

static void make_domain_settings(const struct flb_config *cfg, struct flb_plan_domain *d)
{
    d->has_uuid = cfg->uuid != NULL;
    if (d->has_uuid)
        uuid_bytes(cfg->uuid, d->uuid);
    d->hap = cfg->hap == 1;
    d->oos = cfg->oos == 1;
    d->nested_virt = cfg->nestedhvm == 1;
    d->vpmu = cfg->vpmu == 1;
    d->msr_relaxed = cfg->msr_relaxed == 1;
    d->max_evtchn_port = (uint32_t)cfg->max_event_channels;
    d->tsc_mode = tsc_mode_number(cfg->tsc_mode);
    d->paging_pool_bytes = paging_pool_bytes(cfg);
    d->paging_pool_set = cfg->shadow_memory_mib != FLB_UNSET;
    make_scheduling(cfg, d);
    d->timer_mode = (uint32_t)flb_timer_mode_number(cfg->timer_mode);
    d->altp2m = (uint32_t)flb_altp2m_number(cfg->altp2m);
    d->vmtrace_size =
        (uint32_t)((cfg->vmtrace_buf_kb * 1024 + FLB_PAGE_SIZE - 1) / FLB_PAGE_SIZE * FLB_PAGE_SIZE);
    d->rtc_timeoffset = cfg->rtc_timeoffset ? (int32_t)strtol(cfg->rtc_timeoffset, NULL, 10) : 0;
    d->localtime = cfg->localtime == 1;
    make_labels(cfg, d);
    d->cpuid = &cfg->cpuid;
    d->cpuid_text = cfg->cpuid_text;
    /* libxl: with migration allowed (nomigrate is refused here), only an emulated TSC is invariant. */
    d->itsc = d->tsc_mode == 1;
}

static int make_layout(const struct flb_config *cfg, struct flb_plan *plan, struct flb_error *err)
{
    struct flb_layout_params p = {
        .memory_mib = cfg->memory_mib,
        .mmio_hole_mib = cfg->mmio_hole_mib,
        .fixed = cfg->fixed_mem_layout == 1,
        .grant_frames = plan->domain.max_grant_frames,
        .grant_version = plan->domain.max_grant_version,
        .foreign_region_mib = cfg->foreign_region_mib,
        .acpi_bytes = plan->has_acpi ? plan->acpi.size : 0,
    };
    struct flb_error why = {{0}};
    enum flb_key blame = FLB_KEY_MEMORY;
    char at[320];
    int rc = flb_layout_compute(&p, &plan->layout, &blame, &why);

    if (rc == FLB_E_INPUT) {
        flb_config_key_at(cfg, blame, at, sizeof(at));
        return flb_fail(err, rc, "%s%s", at, why.msg);
    }
    return rc ? flb_fail(err, rc, "%s", why.msg) : FLB_OK;
}

int flb_plan_make(const struct flb_config *cfg, const struct flb_host *host, struct flb_plan *plan,
                  struct flb_error *err)
{
    struct flb_plan_domain *d = &plan->domain;
    struct flb_plan_image *im = &plan->image;
    int rc;

    memset(plan, 0, sizeof(*plan));
    plan->name = cfg->name;

    /* As xl does: what the config leaves unset, Xen decides. */
    plan->assumed_max_grant_frames = cfg->max_grant_frames == FLB_UNSET;
    plan->assumed_max_grant_version = cfg->max_grant_version == FLB_UNSET && !host->max_grant_version_known;
    d->max_vcpus = (uint32_t)cfg->maxvcpus;
    d->vcpus = (uint32_t)cfg->vcpus;
    d->max_grant_frames =
        (uint32_t)(cfg->max_grant_frames == FLB_UNSET ? host->max_grant_frames : cfg->max_grant_frames);
    d->max_maptrack_frames = (uint32_t)cfg->max_maptrack_frames;
    d->max_grant_version =
        (uint32_t)(cfg->max_grant_version == FLB_UNSET ? host->max_grant_version : cfg->max_grant_version);
    make_domain_settings(cfg, d);

    plan->has_acpi = cfg->acpi == 1;
    if (plan->has_acpi) {
        rc = flb_acpi_build(&plan->acpi, FLB_ACPI_TABLES_START, d->vcpus, d->max_vcpus, err);
        if (rc)
            return rc;
    }
    rc = make_layout(cfg, plan, err);
    if (rc)
        return rc;
    /* libxenguest populates the table pages from the domain's allowance: they must not take RAM's place. */
    d->max_memory_kib =
        cfg->memory_mib * 1024 + plan->layout.acpi.pages * (FLB_PAGE_SIZE / 1024) + MAX_MEMORY_SLACK_KIB;

    im->kernel = cfg->kernel;
    im->ramdisk = cfg->ramdisk;
    im->cmdline = cfg->final_cmdline;
    im->memory_mib = cfg->memory_mib;
    im->target_pages = cfg->memory_mib * (FLB_MIB / FLB_PAGE_SIZE);
    im->lowmem_end = plan->layout.lowmem_end;
    im->highmem_end = plan->layout.highmem_end;
    im->mmio_start = plan->layout.mmio_start;
    im->mmio_size = FLB_4GIB - plan->layout.mmio_start;

    plan->xenstore.name = cfg->name;
    plan->xenstore.static_max_kib = cfg->maxmem_mib * 1024;
    plan->xenstore.target_kib = cfg->memory_mib * 1024;
    plan->xenstore.driver_domain = cfg->driver_domain == 1;

    plan->lifecycle = (struct flb_plan_lifecycle){
        .on_poweroff = (enum flb_action)cfg->on_action[0],
        .on_reboot = (enum flb_action)cfg->on_action[1],
        .on_watchdog = (enum flb_action)cfg->on_action[2],
        .on_crash = (enum flb_action)cfg->on_action[3],
        .on_soft_reset = (enum flb_action)cfg->on_action[4],
    };

    flb_start_info_from_layout(&plan->start_info, &plan->layout, cfg->final_cmdline);
    plan->start_info.nr_modules = cfg->ramdisk ? 1 : 0;
    plan->start_info.rsdp_paddr = plan->has_acpi ? plan->acpi.base : 0;
    return FLB_OK;
}
