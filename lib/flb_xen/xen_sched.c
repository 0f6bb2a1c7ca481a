/* The real backend's scheduling calls: the host's CPUs, vCPU affinity, the cpupool's scheduler and its
 * parameters. */
#include "flb_xen/xen_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/affinity.h"

/* As libxl_get_cpu_topology: the count first, then every CPU's entry; a CPU not there has no node. */
int xen_cpu_topology(void *ctx, uint32_t *nr_cpus, uint32_t **node)
{
    struct xen_ctx *x = ctx;
    unsigned n = 0;
    xc_cputopo_t *topo;

    if (XEN(xc_cputopoinfo(x->xch, &n, NULL)))
        return -1;
    topo = calloc(n ? n : 1, sizeof(*topo));
    *node = calloc(n ? n : 1, sizeof(**node));
    if (!topo || !*node || XEN(xc_cputopoinfo(x->xch, &n, topo))) {
        int saved = topo && *node ? errno : ENOMEM;
        free(topo);
        free(*node);
        *node = NULL;
        errno = saved;
        return -1;
    }
    for (unsigned i = 0; i < n; i++)
        (*node)[i] = topo[i].node == XEN_INVALID_NODE_ID ? FLB_CPU_ABSENT : topo[i].node;
    *nr_cpus = n;
    free(topo);
    return 0;
}

/* Xen's maps are xc_get_cpumap_size bytes: ours are copied in, what they lack left clear, as libxl does. */
static xc_cpumap_t xen_map(xc_interface *xch, const uint8_t *map, uint32_t nr_cpus)
{
    xc_cpumap_t m = xc_cpumap_alloc(xch);
    int size = xc_get_cpumap_size(xch);
    size_t have = (nr_cpus + 7) / 8;

    if (m && size > 0)
        memcpy(m, map, have < (size_t)size ? have : (size_t)size);
    return m;
}

int xen_vcpu_setaffinity(void *ctx, uint32_t domid, uint32_t vcpu, const uint8_t *hard, const uint8_t *soft,
                         uint32_t nr_cpus)
{
    struct xen_ctx *x = ctx;
    xc_cpumap_t h = hard ? xen_map(x->xch, hard, nr_cpus) : NULL;
    xc_cpumap_t s = soft ? xen_map(x->xch, soft, nr_cpus) : NULL;
    uint32_t flags = (hard ? XEN_VCPUAFFINITY_HARD : 0) | (soft ? XEN_VCPUAFFINITY_SOFT : 0);
    int rc;

    if ((hard && !h) || (soft && !s)) {
        free(h);
        free(s);
        errno = ENOMEM;
        return -1;
    }
    rc = XEN(xc_vcpu_setaffinity(x->xch, domid, (int)vcpu, h, s, flags));
    free(h);
    free(s);
    return rc;
}

int xen_domain_scheduler(void *ctx, uint32_t domid, char *name, size_t len)
{
    struct xen_ctx *x = ctx;
    xc_domaininfo_t info;
    xc_cpupoolinfo_t *pool;

    errno = 0;
    if (xc_domain_getinfolist(x->xch, domid, 1, &info) != 1 || info.domain != domid)
        return xen_result(-1);
    /* It answers with the first pool at or above the id: the domain's, unless that went away meanwhile. */
    if (!(pool = xc_cpupool_getinfo(x->xch, info.cpupool)))
        return xen_result(-1);
    if (pool->cpupool_id != info.cpupool) {
        xc_cpupool_infofree(x->xch, pool);
        errno = ENOENT;
        return -1;
    }
    switch (pool->sched_id) {
    case XEN_SCHEDULER_CREDIT: snprintf(name, len, "credit"); break;
    case XEN_SCHEDULER_CREDIT2: snprintf(name, len, "credit2"); break;
    case XEN_SCHEDULER_ARINC653: snprintf(name, len, "arinc653"); break;
    case XEN_SCHEDULER_RTDS: snprintf(name, len, "rtds"); break;
    case XEN_SCHEDULER_NULL: snprintf(name, len, "null"); break;
    default: snprintf(name, len, "unknown (%u)", pool->sched_id); break;
    }
    xc_cpupool_infofree(x->xch, pool);
    return 0;
}

int xen_sched_credit_get(void *ctx, uint32_t domid, bool credit2, uint32_t *weight, uint32_t *cap)
{
    struct xen_ctx *x = ctx;

    if (credit2) {
        struct xen_domctl_sched_credit2 p;
        if (XEN(xc_sched_credit2_domain_get(x->xch, domid, &p)))
            return -1;
        *weight = p.weight;
        *cap = p.cap;
    } else {
        struct xen_domctl_sched_credit p;
        if (XEN(xc_sched_credit_domain_get(x->xch, domid, &p)))
            return -1;
        *weight = p.weight;
        *cap = p.cap;
    }
    return 0;
}

int xen_sched_credit_set(void *ctx, uint32_t domid, bool credit2, uint32_t weight, uint32_t cap)
{
    struct xen_ctx *x = ctx;

    if (credit2) {
        struct xen_domctl_sched_credit2 p = {.weight = (uint16_t)weight, .cap = (uint16_t)cap};
        return XEN(xc_sched_credit2_domain_set(x->xch, domid, &p));
    }
    struct xen_domctl_sched_credit p = {.weight = (uint16_t)weight, .cap = (uint16_t)cap};
    return XEN(xc_sched_credit_domain_set(x->xch, domid, &p));
}
