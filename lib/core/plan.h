/* The plan: everything a build needs, computed once from the finished config and the host's facts. */
#ifndef FLB_PLAN_H
#define FLB_PLAN_H

#include <stdbool.h>
#include <stdint.h>

#include "core/acpi.h"
#include "core/config.h"
#include "core/error.h"
#include "core/layout.h"
#include "core/lifecycle.h"
#include "core/start_info.h"

/*
 * What the host offers, as far as a plan depends on it. A live build asks
 * Xen; a dry-run uses flb_host_assumed(), and the plan marks each value that
 * came from an assumption rather than from the config or from Xen.
 */
struct flb_host {
    unsigned max_grant_version;   /* the highest grant table version Xen offers guests */
    bool max_grant_version_known; /* asked of Xen, not assumed */
    uint64_t max_grant_frames;    /* Xen's gnttab_max_frames: never asked, its default */
};

/* The highest event channel port libxl gives a guest unless told (max_event_channels). */
#define FLB_DEFAULT_MAX_EVTCHN_PORT 1023u

/* A dry-run's assumptions: Xen's defaults, grant table v2 offered. */
void flb_host_assumed(struct flb_host *host);

/* XEN_DOMCTL_createdomain and the limits set on the new domain. */
struct flb_plan_domain {
    uint32_t max_vcpus;
    uint32_t vcpus; /* online at boot */
    uint32_t max_grant_frames;
    uint32_t max_maptrack_frames;
    uint32_t max_grant_version;
    uint64_t max_memory_kib;    /* xc_domain_setmaxmem: the target, the ACPI pages, libxl's 1 MiB of slack */
    uint64_t paging_pool_bytes; /* shadow_memory, or libxl's size for the paging mode */
    bool paging_pool_set;       /* shadow_memory set it */

    /* What else xl sets on a PVH domain, from the config (core/xl_keys.c lists every key). */
    uint8_t uuid[16];
    bool has_uuid;    /* else the build picks a random one */
    bool hap;         /* XEN_DOMCTL_CDF_hap: hardware paging, else shadow paging */
    bool oos;         /* out-of-sync shadow page tables (XEN_DOMCTL_CDF_oos_off when false) */
    bool nested_virt; /* XEN_DOMCTL_CDF_nested_virt, and the CPUID policy offers VMX or SVM */
    bool vpmu;        /* XEN_DOMCTL_CDF_vpmu */
    bool msr_relaxed; /* XEN_X86_MSR_RELAXED */
    uint32_t max_evtchn_port;
    uint32_t tsc_mode; /* xc_domain_set_tsc_info: 0 default, 1 always emulate, 2 native */

    /*
     * vCPU hard and soft affinity (the config's cpus and cpus_soft; nr_entries 0 leaves Xen's "all"), mapped
     * onto the host's CPUs at build time; where each was set, for a map the host leaves empty.
     */
    const struct flb_affinity *hard_affinity, *soft_affinity;
    const char *hard_affinity_text, *soft_affinity_text; /* as written; NULL when unset */
    char hard_affinity_at[320], soft_affinity_at[320];
    /* The credit or credit2 scheduler's parameters, when the config sets them. */
    bool has_sched_weight, has_sched_cap;
    uint32_t sched_weight, sched_cap;
    char sched_at[320]; /* where cpu_weight (else cap) was set, for a scheduler that has neither */

    /* Time and the virtual platform. */
    uint32_t timer_mode;    /* HVM_PARAM_TIMER_MODE */
    uint32_t altp2m;        /* HVM_PARAM_ALTP2M: 0 disabled, 1 mixed, 2 external, 3 limited */
    uint32_t vmtrace_size;  /* createdomain's per-vCPU trace buffer, bytes, page-rounded; 0: none */
    int32_t rtc_timeoffset; /* xc_domain_set_time_offset, seconds */
    bool localtime;         /* the build adds dom0's UTC offset of the moment, as libxl */

    /*
     * XSM (FLASK) labels, as xl pairs the keys: the domain is created with create_label (init_seclabel,
     * else seclabel) and relabelled to exec_label (seclabel, when init_seclabel is set too) before it
     * runs. Xen turns them into SIDs when the domain is built; where each came from, for its messages.
     */
    const char *create_label, *exec_label;
    char create_label_at[320], exec_label_at[320];

    /* cpuid=, over the default policy (the config's entries), and the invariant TSC libxl offers with it. */
    const struct flb_cpuid *cpuid;
    const char *cpuid_text; /* as written; NULL when unset */
    bool itsc;              /* tsc_mode = always_emulate: the TSC is invariant wherever the guest runs */
};

/* What libxenguest's image is given (struct xc_dom_image, as libxl fills it for PVH). */
struct flb_plan_image {
    const char *kernel;
    const char *ramdisk; /* NULL: none */
    const char *cmdline; /* NULL: none */
    uint64_t memory_mib;
    uint64_t target_pages;
    flb_gpa lowmem_end;
    flb_gpa highmem_end; /* 0: no RAM above 4 GiB */
    flb_gpa mmio_start;
    uint64_t mmio_size;
};

/* The xenstore values that come from the config (the rest are the build's: ports, frames). */
struct flb_plan_xenstore {
    const char *name;
    uint64_t static_max_kib;
    uint64_t target_kib;
    bool driver_domain; /* the guest may run backends: its own libxl and device-model directories */
};

/*
 * Strings point into the config the plan was made from, which must outlive
 * it. The expected start_info has every value but the guest addresses of its
 * pieces, which libxenguest chooses when it builds the image.
 */
struct flb_plan {
    const char *name;
    struct flb_layout layout;
    struct flb_plan_domain domain;
    struct flb_plan_image image;
    struct flb_plan_xenstore xenstore;
    struct flb_start_info start_info;
    bool has_acpi;        /* the config's acpi */
    struct flb_acpi acpi; /* the tables' bytes and where they go; start_info.rsdp_paddr points at them */
    /* What each shutdown reason gets; a restart builds this plan again. */
    struct flb_plan_lifecycle lifecycle;

    bool assumed_max_grant_frames;  /* Xen's default gnttab_max_frames, not the config's */
    bool assumed_max_grant_version; /* the highest version assumed, not asked of Xen */
};

/*
 * Pure. cfg must have been through flb_config_finish(). A layout that does
 * not fit fails with FLB_E_INPUT and a message naming where the key to blame
 * was set.
 */
int flb_plan_make(const struct flb_config *cfg, const struct flb_host *host, struct flb_plan *plan,
                  struct flb_error *err);

#endif
