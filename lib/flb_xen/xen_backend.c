/* The real backend: opening the interfaces, and the domain calls on libxenctrl. */
#include "flb_xen/xen_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PRIVCMD "/dev/xen/privcmd"
/* Any free domid: XEN_DOMCTL_createdomain picks one for an id at or above DOMID_FIRST_RESERVED. */
#define ANY_DOMID ((uint32_t)~0u)

int xen_result(int rc)
{
    if (rc == 0)
        return 0;
    if (errno == 0)
        errno = EIO;
    return -1;
}

static int domain_create(void *ctx, const struct flb_create_args *a, uint32_t *domid)
{
    struct xen_ctx *x = ctx;
    struct xen_domctl_createdomain cfg = {
        .ssidref = a->ssidref,
        .flags = (a->hvm ? XEN_DOMCTL_CDF_hvm : 0) | (a->hap ? XEN_DOMCTL_CDF_hap : 0) |
                 (a->oos_off ? XEN_DOMCTL_CDF_oos_off : 0) |
                 (a->nested_virt ? XEN_DOMCTL_CDF_nested_virt : 0) | (a->vpmu ? XEN_DOMCTL_CDF_vpmu : 0),
        .max_vcpus = a->max_vcpus,
        .max_evtchn_port = a->max_evtchn_port,
        .vmtrace_size = a->vmtrace_size,
        .max_grant_frames = (int32_t)a->max_grant_frames,
        .max_maptrack_frames = (int32_t)a->max_maptrack_frames,
        .grant_opts = XEN_DOMCTL_GRANT_version(a->max_grant_version),
        .arch = {.emulation_flags = a->emulate_lapic ? XEN_X86_EMU_LAPIC : 0,
                 .misc_flags = a->msr_relaxed ? XEN_X86_MSR_RELAXED : 0},
    };
    uint32_t id = ANY_DOMID;

    memcpy(cfg.handle, a->handle, sizeof(cfg.handle));
    if (XEN(xc_domain_create(x->xch, &id, &cfg)))
        return -1;
    *domid = id;
    return 0;
}

static int domain_max_vcpus(void *ctx, uint32_t domid, unsigned n)
{
    return XEN(xc_domain_max_vcpus(((struct xen_ctx *)ctx)->xch, domid, n));
}

static int domain_setmaxmem(void *ctx, uint32_t domid, uint64_t kib)
{
    return XEN(xc_domain_setmaxmem(((struct xen_ctx *)ctx)->xch, domid, kib));
}

static int evtchn_alloc_unbound(void *ctx, uint32_t domid, uint32_t remote, uint32_t *port)
{
    int p;

    errno = 0;
    p = xc_evtchn_alloc_unbound(((struct xen_ctx *)ctx)->xch, domid, remote);
    if (p < 0)
        return xen_result(-1);
    *port = (uint32_t)p;
    return 0;
}

static int hvm_param_set(void *ctx, uint32_t domid, uint32_t param, uint64_t value)
{
    return XEN(xc_hvm_param_set(((struct xen_ctx *)ctx)->xch, domid, param, value));
}

static int domain_set_tsc_info(void *ctx, uint32_t domid, uint32_t mode)
{
    return XEN(xc_domain_set_tsc_info(((struct xen_ctx *)ctx)->xch, domid, mode, 0, 0, 0));
}

/* libxenctrl takes the label as a writable buffer of its length, without the NUL. */
static int flask_context_to_sid(void *ctx, const char *label, uint32_t *sid)
{
    char *copy = strdup(label);
    int rc;

    if (!copy)
        return -1;
    rc = XEN(xc_flask_context_to_sid(((struct xen_ctx *)ctx)->xch, copy, (uint32_t)strlen(copy), sid));
    free(copy);
    return rc;
}

static int flask_relabel_domain(void *ctx, uint32_t domid, uint32_t sid)
{
    return XEN(xc_flask_relabel_domain(((struct xen_ctx *)ctx)->xch, domid, sid));
}

static int domain_set_time_offset(void *ctx, uint32_t domid, int32_t seconds)
{
    return XEN(xc_domain_set_time_offset(((struct xen_ctx *)ctx)->xch, domid, seconds));
}

static int set_paging_mempool_size(void *ctx, uint32_t domid, uint64_t bytes)
{
    return XEN(xc_set_paging_mempool_size(((struct xen_ctx *)ctx)->xch, domid, bytes));
}

/*
 * As libxl does for PVH: the default policy, PAE on, nested virt and the invariant TSC as asked, then
 * the config's entries in libxc's form, ended by an unused leaf.
 */
static int cpuid_apply_policy(void *ctx, uint32_t domid, bool nested_virt, bool itsc,
                              const struct flb_cpuid_entry *entries, size_t nr)
{
    struct xc_xend_cpuid *xend = NULL;
    int rc;

    if (nr) {
        if (!(xend = calloc(nr + 1, sizeof(*xend))))
            return -1;
        for (size_t i = 0; i < nr; i++) {
            xend[i].leaf = entries[i].leaf;
            xend[i].subleaf = entries[i].subleaf;
            for (int r = 0; r < 4; r++)
                xend[i].policy[r] = entries[i].reg[r][0] ? (char *)entries[i].reg[r] : NULL;
        }
        xend[nr].leaf = XEN_CPUID_INPUT_UNUSED;
    }
    rc = XEN(xc_cpuid_apply_policy(((struct xen_ctx *)ctx)->xch, domid, false, NULL, 0, true, itsc,
                                   nested_virt, xend, NULL));
    free(xend);
    return rc;
}

/* struct e820entry is packed and 20 bytes: filled field by field. */
static int domain_set_memory_map(void *ctx, uint32_t domid, const struct flb_memmap *map)
{
    struct e820entry e[FLB_MEMMAP_MAX];

    for (unsigned i = 0; i < map->nr; i++) {
        e[i].addr = map->entry[i].addr;
        e[i].size = map->entry[i].size;
        e[i].type = map->entry[i].type;
    }
    return XEN(xc_domain_set_memory_map(((struct xen_ctx *)ctx)->xch, domid, e, map->nr));
}

static int domain_add_to_physmap(void *ctx, uint32_t domid, unsigned space, uint64_t idx, uint64_t gfn)
{
    return XEN(xc_domain_add_to_physmap(((struct xen_ctx *)ctx)->xch, domid, space, (unsigned long)idx,
                                        (xen_pfn_t)gfn));
}

static int domain_add_to_physmap_batch(void *ctx, uint32_t domid, unsigned space, unsigned n,
                                       const uint64_t *idxs, const uint64_t *gfns, int *errs)
{
    xen_ulong_t *i_arr = calloc(n, sizeof(*i_arr));
    xen_pfn_t *g_arr = calloc(n, sizeof(*g_arr));
    int rc = -1;

    if (!i_arr || !g_arr) {
        errno = ENOMEM;
        goto out;
    }
    for (unsigned i = 0; i < n; i++) {
        i_arr[i] = (xen_ulong_t)idxs[i];
        g_arr[i] = (xen_pfn_t)gfns[i];
        errs[i] = 0;
    }
    /* foreign_domid is only read for XENMAPSPACE_gmfn_foreign. */
    rc = XEN(xc_domain_add_to_physmap_batch(((struct xen_ctx *)ctx)->xch, domid, DOMID_SELF, space, n, i_arr,
                                            g_arr, errs));
out:
    free(i_arr);
    free(g_arr);
    return rc;
}

/* XENVER_version is a plain hypercall, unversioned: it answers on any Xen, so it can tell us the
 * domctl and sysctl calls would not. */
static int xen_version(void *ctx, unsigned *major, unsigned *minor)
{
    int v;

    errno = 0;
    v = xc_version(((struct xen_ctx *)ctx)->xch, XENVER_version, NULL);
    if (v < 0)
        return xen_result(-1);
    *major = (unsigned)v >> 16;
    *minor = (unsigned)v & 0xffff;
    return 0;
}

/* xl's default max_grant_version is the highest one the host's Xen offers (gnttab=max-ver). */
static int max_grant_version(void *ctx, unsigned *version)
{
    xc_physinfo_t info;

    memset(&info, 0, sizeof(info));
    if (XEN(xc_physinfo(((struct xen_ctx *)ctx)->xch, &info)))
        return -1;
    *version = (info.capabilities & XEN_SYSCTL_PHYSCAP_gnttab_v2) ? 2 : 1;
    return 0;
}

/* 4.17 has no xc_domain_getinfo_single: ask from domid on and check the answer is ours. */
static int domain_getinfo(void *ctx, uint32_t domid, struct flb_domain_state *st)
{
    xc_dominfo_t info;
    int n;

    errno = 0;
    n = xc_domain_getinfo(((struct xen_ctx *)ctx)->xch, domid, 1, &info);
    if (n < 0)
        return xen_result(-1);
    if (n == 0 || info.domid != domid) {
        errno = ESRCH;
        return -1;
    }
    /* libxenctrl reports a crash as crashed, with shutdown cleared: it is still a shutdown. */
    st->shutdown = info.shutdown || info.crashed;
    st->dying = info.dying;
    st->shutdown_reason = info.crashed ? SHUTDOWN_crash : info.shutdown_reason;
    return 0;
}

static int domain_unpause(void *ctx, uint32_t domid)
{
    return XEN(xc_domain_unpause(((struct xen_ctx *)ctx)->xch, domid));
}

static int domain_destroy(void *ctx, uint32_t domid)
{
    return XEN(xc_domain_destroy(((struct xen_ctx *)ctx)->xch, domid));
}

static int domain_sethandle(void *ctx, uint32_t domid, const uint8_t handle[16])
{
    xen_domain_handle_t h;

    memcpy(h, handle, sizeof(h));
    return XEN(xc_domain_sethandle(((struct xen_ctx *)ctx)->xch, domid, h));
}

static const struct flb_backend_ops xen_ops = {
    .xen_version = xen_version,
    .max_grant_version = max_grant_version,
    .domain_create = domain_create,
    .domain_max_vcpus = domain_max_vcpus,
    .domain_setmaxmem = domain_setmaxmem,
    .evtchn_alloc_unbound = evtchn_alloc_unbound,
    .hvm_param_set = hvm_param_set,
    .domain_set_tsc_info = domain_set_tsc_info,
    .domain_set_time_offset = domain_set_time_offset,
    .set_paging_mempool_size = set_paging_mempool_size,
    .cpuid_apply_policy = cpuid_apply_policy,
    .flask_context_to_sid = flask_context_to_sid,
    .flask_relabel_domain = flask_relabel_domain,
    .cpu_topology = xen_cpu_topology,
    .vcpu_setaffinity = xen_vcpu_setaffinity,
    .domain_scheduler = xen_domain_scheduler,
    .sched_credit_get = xen_sched_credit_get,
    .sched_credit_set = xen_sched_credit_set,
    .domain_set_memory_map = domain_set_memory_map,
    .domain_add_to_physmap = domain_add_to_physmap,
    .domain_add_to_physmap_batch = domain_add_to_physmap_batch,
    .domain_getinfo = domain_getinfo,
    .domain_unpause = domain_unpause,
    .domain_destroy = domain_destroy,
    .domain_sethandle = domain_sethandle,
    .dom_allocate = xen_dom_allocate,
    .dom_kernel_file = xen_dom_kernel_file,
    .dom_module_file = xen_dom_module_file,
    .dom_set_hvm = xen_dom_set_hvm,
    .dom_boot_xen_init = xen_dom_boot_xen_init,
    .dom_parse_image = xen_dom_parse_image,
    .dom_mem_init = xen_dom_mem_init,
    .dom_boot_mem_init = xen_dom_boot_mem_init,
    .dom_set_e820 = xen_dom_set_e820,
    .dom_set_acpi = xen_dom_set_acpi,
    .dom_build_image = xen_dom_build_image,
    .dom_boot_image = xen_dom_boot_image,
    .dom_gnttab_init = xen_dom_gnttab_init,
    .dom_info = xen_dom_info,
    .dom_release = xen_dom_release,
    .map_foreign = xen_map_foreign,
    .unmap_foreign = xen_unmap_foreign,
    .xs_directory = xen_xs_directory,
    .xs_read_batch = xen_xs_read_batch,
    .xs_write_send = xen_xs_write_send,
    .xs_write_wait = xen_xs_write_wait,
    .xs_rm = xen_xs_rm,
    .xs_introduce_send = xen_xs_introduce_send,
    .xs_watch = xen_xs_watch,
    .xs_unwatch = xen_xs_unwatch,
    .evtchn_bind_interdomain = xen_evtchn_bind_interdomain,
    .evtchn_bind_virq = xen_evtchn_bind_virq,
    .evtchn_notify = xen_evtchn_notify,
    .evtchn_unbind = xen_evtchn_unbind,
    .wait_event = xen_wait_event,
};

int flb_xen_open(const struct flb_xen_options *opts, struct flb_backend **be, struct flb_error *err)
{
    struct xen_ctx *x = NULL;
    int rc = FLB_E_SYSTEM;

    *be = NULL;
    if (access(PRIVCMD, F_OK) != 0)
        return flb_fail(err, FLB_E_SYSTEM,
                        "%s not found: this must run in a Xen dom0 with the "
                        "xen-privcmd driver loaded",
                        PRIVCMD);
    if (geteuid() != 0 || access(PRIVCMD, R_OK | W_OK) != 0)
        return flb_fail(err, FLB_E_SYSTEM, "building a domain needs root (cannot open %s)", PRIVCMD);

    x = calloc(1, sizeof(*x));
    if (!x)
        return flb_fail(err, FLB_E_SYSTEM, "out of memory");
    x->watch_fd = -1;
    x->xs_batch_fd = -1;
    /* Errors always; libxenguest's progress and debug lines only at -vv. */
    x->logger = (xentoollog_logger *)xtl_createlogger_stdiostream(
        stderr, opts->verbose >= 2 ? XTL_DEBUG : XTL_ERROR, 0);
    x->xch = xc_interface_open(x->logger, x->logger, 0);
    if (!x->xch) {
        rc = flb_fail(err, FLB_E_SYSTEM, "xc_interface_open: %s", strerror(errno));
        goto out;
    }
    /* libxenctrl opened a foreign memory handle of its own: one open and one close less than ours. */
    x->fmem = xc_interface_fmem_handle(x->xch);
    if (!x->fmem) {
        rc = flb_fail(err, FLB_E_SYSTEM, "xc_interface_fmem_handle: %s", strerror(errno ? errno : ENODEV));
        goto out;
    }
    /* Only the daemon's socket: the xenbus device blocks forever when no xenstored answers. */
    if (opts->xenstore)
        x->xsh = xs_open(XS_OPEN_SOCKETONLY);
    x->be.ops = &xen_ops;
    x->be.ctx = x;
    x->be.has_xenstore = x->xsh != NULL;
    *be = &x->be;
    return 0;
out:
    flb_xen_close(&x->be);
    return rc;
}

void flb_xen_close(struct flb_backend *be)
{
    struct xen_ctx *x;

    if (!be)
        return;
    x = (struct xen_ctx *)be;
    xen_watch_close(x);
    xen_xs_batch_close(x);
    if (x->xsh)
        xs_close(x->xsh);
    if (x->xce)
        xenevtchn_close(x->xce);
    if (x->xch)
        xc_interface_close(x->xch);
    if (x->logger)
        xtl_logger_destroy(x->logger);
    free(x);
}
