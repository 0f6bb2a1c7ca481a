/* The one table of operations through which the build sequence reaches Xen, xenstore and guest memory. */
#ifndef FLB_BACKEND_H
#define FLB_BACKEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/cpuid.h"
#include "core/layout.h"

/*
 * A node owner meaning "set no permissions": xenstored gives a node dom0
 * creates its parent's, so children of a node already set right need no
 * request of their own to set them.
 */
#define FLB_XS_INHERIT UINT32_MAX

/*
 * Contract for every operation: return 0 on success, or -1 with errno set,
 * as libxenctrl does. Names follow the library call each one wraps, so the
 * build sequence can name the call in its messages. An operation never
 * prints; the real backend may forward libxenguest's own log when asked.
 */

/* An image under construction in libxenguest (struct xc_dom_image). */
struct flb_dom;

/* What XEN_DOMCTL_createdomain gets for a PVH guest. */
struct flb_create_args {
    uint8_t handle[16]; /* the domain's UUID */
    bool hvm;           /* XEN_DOMCTL_CDF_hvm */
    bool hap;           /* XEN_DOMCTL_CDF_hap */
    bool oos_off;       /* XEN_DOMCTL_CDF_oos_off */
    bool nested_virt;   /* XEN_DOMCTL_CDF_nested_virt */
    bool vpmu;          /* XEN_DOMCTL_CDF_vpmu */
    bool emulate_lapic; /* arch.emulation_flags = XEN_X86_EMU_LAPIC only */
    bool msr_relaxed;   /* arch.misc_flags = XEN_X86_MSR_RELAXED */
    uint32_t ssidref;   /* the XSM label's SID */
    uint32_t max_evtchn_port;
    uint32_t vmtrace_size; /* bytes per vCPU, 0: none */
    uint32_t max_vcpus;
    uint32_t max_grant_frames;
    uint32_t max_maptrack_frames;
    uint32_t max_grant_version; /* grant_opts = XEN_DOMCTL_GRANT_version(v) */
};

/* The fields of the image libxl fills for a PVH guest before parsing it. */
struct flb_dom_hvm {
    uint64_t lowmem_end;
    uint64_t highmem_end; /* 0: no RAM above 4 GiB */
    uint64_t mmio_start;
    uint64_t mmio_size;
    uint64_t target_pages;
    uint32_t max_vcpus;
    uint32_t console_port;
    uint32_t console_domid;
    uint32_t xenstore_port;
    uint32_t xenstore_domid;
};

/* What the image tells the rest of the build once it is booted. */
struct flb_dom_info {
    uint64_t start_info_gpa; /* where libxenguest wrote hvm_start_info */
    uint64_t console_gfn;
    uint64_t xenstore_gfn;
};

/* The part of XEN_DOMCTL_getdomaininfo the waiting code needs. */
struct flb_domain_state {
    bool shutdown;
    bool dying;
    unsigned shutdown_reason; /* SHUTDOWN_*, when shutdown */
};

/* What ended a wait_event. */
enum flb_event_kind {
    FLB_EVENT_TIMEOUT, /* nothing within the timeout */
    FLB_EVENT_WATCH,   /* one or more xenstore watches fired; all were consumed */
    FLB_EVENT_PORT,    /* an event channel port fired; it is unmasked again */
    FLB_EVENT_WAKE,    /* wake_fd is readable; the caller drains it */
};

struct flb_event {
    enum flb_event_kind kind;
    uint32_t port; /* FLB_EVENT_PORT: our end of the channel */
};

/*
 * One node of xs_write_send: owner may write it; reader (if not the owner)
 * may read it. With owner FLB_XS_INHERIT no permissions are set: a new node
 * keeps its parent's.
 */
struct flb_xs_write {
    const char *path;
    const char *value;
    uint32_t owner, reader;
};

/* Physmap spaces the build uses (values of XENMAPSPACE_*). */
enum flb_mapspace { FLB_MAPSPACE_SHARED_INFO = 0, FLB_MAPSPACE_GRANT_TABLE = 1 };

struct flb_backend_ops {
    /* The host: the hypervisor's release (XENVER_version), asked before anything else. */
    int (*xen_version)(void *ctx, unsigned *major, unsigned *minor);
    /* The host: the highest grant table version Xen offers guests (XEN_SYSCTL_PHYSCAP_gnttab_v*). */
    int (*max_grant_version)(void *ctx, unsigned *version);

    /* Domains. */
    int (*domain_create)(void *ctx, const struct flb_create_args *args, uint32_t *domid);
    int (*domain_max_vcpus)(void *ctx, uint32_t domid, unsigned vcpus);
    int (*domain_setmaxmem)(void *ctx, uint32_t domid, uint64_t kib);
    int (*evtchn_alloc_unbound)(void *ctx, uint32_t domid, uint32_t remote_domid, uint32_t *port);
    int (*hvm_param_set)(void *ctx, uint32_t domid, uint32_t param, uint64_t value);
    int (*domain_set_tsc_info)(void *ctx, uint32_t domid, uint32_t tsc_mode);
    int (*domain_set_time_offset)(void *ctx, uint32_t domid, int32_t seconds);
    int (*set_paging_mempool_size)(void *ctx, uint32_t domid, uint64_t bytes);
    /*
     * The host's default policy for the domain, with VMX or SVM offered when nested_virt, an invariant TSC
     * when itsc, then the config's register strings over it (nr 0: none).
     */
    int (*cpuid_apply_policy)(void *ctx, uint32_t domid, bool nested_virt, bool itsc,
                              const struct flb_cpuid_entry *entries, size_t nr);
    /* XSM (FLASK): a label's SID (ENOSYS where Xen has no FLASK), and a domain's new label. */
    int (*flask_context_to_sid)(void *ctx, const char *label, uint32_t *sid);
    int (*flask_relabel_domain)(void *ctx, uint32_t domid, uint32_t sid);
    /* The host's CPUs (xc_cputopoinfo): *node, malloc'd, holds each one's NUMA node or FLB_CPU_ABSENT. */
    int (*cpu_topology)(void *ctx, uint32_t *nr_cpus, uint32_t **node);
    /* One vCPU's hard and soft affinity, maps of nr_cpus bits; a NULL map leaves that one as it is. */
    int (*vcpu_setaffinity)(void *ctx, uint32_t domid, uint32_t vcpu, const uint8_t *hard,
                            const uint8_t *soft, uint32_t nr_cpus);
    /* The scheduler of the domain's cpupool, as xl names it ("credit", "credit2", "rtds", "null"...). */
    int (*domain_scheduler)(void *ctx, uint32_t domid, char *name, size_t len);
    /* The credit (credit2 = false) or credit2 scheduler's weight and cap for the domain. */
    int (*sched_credit_get)(void *ctx, uint32_t domid, bool credit2, uint32_t *weight, uint32_t *cap);
    int (*sched_credit_set)(void *ctx, uint32_t domid, bool credit2, uint32_t weight, uint32_t cap);
    int (*domain_set_memory_map)(void *ctx, uint32_t domid, const struct flb_memmap *map);
    int (*domain_add_to_physmap)(void *ctx, uint32_t domid, unsigned space, uint64_t idx, uint64_t gfn);
    /* errs[i] receives each entry's own result (0 or a negative errno). */
    int (*domain_add_to_physmap_batch)(void *ctx, uint32_t domid, unsigned space, unsigned n,
                                       const uint64_t *idxs, const uint64_t *gfns, int *errs);
    int (*domain_getinfo)(void *ctx, uint32_t domid, struct flb_domain_state *st);
    int (*domain_unpause)(void *ctx, uint32_t domid);
    int (*domain_destroy)(void *ctx, uint32_t domid);
    /* The domain's UUID as Xen holds it: a preserved domain gets a new one. */
    int (*domain_sethandle)(void *ctx, uint32_t domid, const uint8_t handle[16]);

    /* Image construction, in the order libxenguest requires. */
    int (*dom_allocate)(void *ctx, const char *cmdline, struct flb_dom **dom);
    int (*dom_kernel_file)(void *ctx, struct flb_dom *dom, const char *path);
    int (*dom_module_file)(void *ctx, struct flb_dom *dom, const char *path);
    int (*dom_set_hvm)(void *ctx, struct flb_dom *dom, const struct flb_dom_hvm *hvm);
    int (*dom_boot_xen_init)(void *ctx, struct flb_dom *dom, uint32_t domid);
    int (*dom_parse_image)(void *ctx, struct flb_dom *dom);
    int (*dom_mem_init)(void *ctx, struct flb_dom *dom, unsigned mem_mib);
    int (*dom_boot_mem_init)(void *ctx, struct flb_dom *dom);
    /* The table the start_info memmap is copied from; the backend keeps a copy. */
    int (*dom_set_e820)(void *ctx, struct flb_dom *dom, const struct flb_memmap *map);
    /*
     * The ACPI tables, as the image's first ACPI module: building the image
     * populates their pages at gpa and copies them there, and booting it
     * writes gpa into start_info.rsdp_paddr. data is borrowed until dom_release.
     */
    int (*dom_set_acpi)(void *ctx, struct flb_dom *dom, const void *data, uint32_t len, uint64_t gpa);
    int (*dom_build_image)(void *ctx, struct flb_dom *dom);
    int (*dom_boot_image)(void *ctx, struct flb_dom *dom);
    int (*dom_gnttab_init)(void *ctx, struct flb_dom *dom);
    int (*dom_info)(void *ctx, struct flb_dom *dom, struct flb_dom_info *info);
    void (*dom_release)(void *ctx, struct flb_dom *dom);

    /* Guest memory, read or written from dom0. */
    int (*map_foreign)(void *ctx, uint32_t domid, uint64_t gfn, unsigned pages, bool writable, void **addr);
    int (*unmap_foreign)(void *ctx, void *addr, unsigned pages);

    /* xenstore: only when has_xenstore (otherwise they fail with ENOTCONN). */
    int (*xs_directory)(void *ctx, const char *path, char ***names, unsigned *n); /* one free() */
    /*
     * Reads n nodes, every request sent before any answer is read (as xs_write_send). values[i]
     * gets node i's value (malloc'd), or NULL and errs[i] its error (ENOENT: absent). Fails as a
     * whole only when xenstored could not be asked, with every values[i] NULL.
     */
    int (*xs_read_batch)(void *ctx, const char *const *paths, unsigned n, char **values, int *errs);
    /*
     * Writes in two halves, so that xenstored's work on them overlaps the caller's: xs_write_send
     * sends n nodes' writes and permissions and returns without an answer; xs_write_wait reads
     * the answers of every send since the last wait. Together, one round trip, where libxenstore
     * waits for each answer. On a failure of the wait, *failed is the first node refused, counted
     * over those sends in order, and errno its error; nodes after it may have been written. When
     * no node was refused, *failed is the number sent for a refused introduction
     * (xs_introduce_send), UINT_MAX when xenstored could not be heard. Until
     * the wait, no other xenstore read may go on the batch connection (xs_read_batch: EBUSY).
     */
    int (*xs_write_send)(void *ctx, const struct flb_xs_write *nodes, unsigned n);
    int (*xs_write_wait)(void *ctx, unsigned *failed);
    int (*xs_rm)(void *ctx, const char *path);
    /*
     * The introduction to xenstored, sent after the nodes on their connection, where xenstored
     * takes the requests in order: the nodes are written by the time the domain is introduced.
     * Its answer comes with xs_write_wait's.
     */
    int (*xs_introduce_send)(void *ctx, uint32_t domid, uint64_t store_gfn, uint32_t store_port);
    /* A watch's events come out of wait_event; xenstored fires a new watch once at once. */
    int (*xs_watch)(void *ctx, const char *path, const char *token);
    int (*xs_unwatch)(void *ctx, const char *path, const char *token);

    /* Event channels from dom0's side: the console ring's, and a global VIRQ. */
    int (*evtchn_bind_interdomain)(void *ctx, uint32_t domid, uint32_t remote_port, uint32_t *local_port);
    /* EEXIST when another process of dom0 (xenstored, say) holds that VIRQ. */
    int (*evtchn_bind_virq)(void *ctx, unsigned virq, uint32_t *local_port);
    int (*evtchn_notify)(void *ctx, uint32_t local_port);
    int (*evtchn_unbind)(void *ctx, uint32_t local_port);

    /*
     * Sleeps until a watch fires, a bound port fires, or wake_fd (when >= 0)
     * is readable, for at most timeout_ms (-1: no limit). Never polls: it
     * blocks on the devices' descriptors. -1 with EINTR when a signal came.
     */
    int (*wait_event)(void *ctx, int timeout_ms, int wake_fd, struct flb_event *ev);
};

struct flb_backend {
    const struct flb_backend_ops *ops;
    void *ctx;
    bool has_xenstore; /* ops->xs_* may be used */
};

#endif
