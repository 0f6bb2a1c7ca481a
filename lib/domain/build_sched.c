/* Where the vCPUs run and how the scheduler weighs them: cpus, cpus_soft, cpu_weight and cap, as libxl sets
 * them. */
#include "domain/step.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/affinity.h"

static bool has_affinity(const struct flb_plan_domain *d)
{
    return d->hard_affinity->nr_entries || d->soft_affinity->nr_entries;
}

/*
 * Maps one vCPU's entry onto the host. A hard map with no CPU of the host is the config's to fix (Xen would
 * refuse it); an empty soft map is allowed, as libxl allows it: the scheduler then uses the hard one alone.
 */
static int map_vcpu(struct build *b, const struct flb_affinity *a, const char *at, const char *key,
                    uint32_t vcpu, const struct flb_cpu_topology *topo, uint8_t *map, uint8_t **use)
{
    int entry = flb_affinity_entry(a, vcpu);

    *use = NULL;
    if (entry < 0)
        return 0;
    if (!flb_affinity_map(a, (uint32_t)entry, topo, map) && a == b->plan->domain.hard_affinity)
        return flb_fail(b->err, FLB_E_INPUT,
                        "%s%s: vCPU %u would run on no CPU of this host, whose CPUs are 0-%u: name CPUs or "
                        "nodes the host has",
                        at, key, vcpu, topo->nr_cpus - 1);
    *use = map;
    return 0;
}

/* After the vCPU limit, as libxl: each vCPU the config names gets both maps in one call. */
int build_set_affinity(struct build *b)
{
    const struct flb_plan_domain *d = &b->plan->domain;
    struct flb_cpu_topology topo = {0};
    uint32_t *node = NULL;
    uint8_t *hard = NULL, *soft = NULL;
    int rc = 0;

    if (!has_affinity(d))
        return 0;
    if ((rc = CALL(b, "xc_cputopoinfo", b->op->cpu_topology(b->ctx, &topo.nr_cpus, &node))))
        return rc;
    topo.node = node;
    hard = calloc(1, (topo.nr_cpus + 7) / 8 + 1);
    soft = calloc(1, (topo.nr_cpus + 7) / 8 + 1);
    if (!hard || !soft || !topo.nr_cpus)
        rc =
            flb_fail(b->err, FLB_E_SYSTEM, "%s: %s", b->step, topo.nr_cpus ? "out of memory" : "no host CPU");
    for (uint32_t v = 0; !rc && v < d->max_vcpus; v++) {
        uint8_t *h, *s;
        rc = map_vcpu(b, d->hard_affinity, d->hard_affinity_at, "cpus", v, &topo, hard, &h);
        if (!rc)
            rc = map_vcpu(b, d->soft_affinity, d->soft_affinity_at, "cpus_soft", v, &topo, soft, &s);
        if (!rc && (h || s))
            rc = CALL(b, "xc_vcpu_setaffinity",
                      b->op->vcpu_setaffinity(b->ctx, b->res->domid, v, h, s, topo.nr_cpus));
    }
    free(hard);
    free(soft);
    free(node);
    return rc;
}

/*
 * As libxl_domain_sched_params_set before the xenstore nodes: the parameters of the pool's scheduler, the
 * ones the config leaves unset kept as Xen made them. Other schedulers have no weight or cap.
 */
int build_set_sched_params(struct build *b)
{
    const struct flb_plan_domain *d = &b->plan->domain;
    uint32_t weight, cap;
    char name[32] = "";
    bool credit2;
    int rc;

    if (!d->has_sched_weight && !d->has_sched_cap)
        return 0;
    if ((rc = CALL(b, "xc_cpupool_getinfo",
                   b->op->domain_scheduler(b->ctx, b->res->domid, name, sizeof(name)))))
        return rc;
    if (strcmp(name, "credit") && strcmp(name, "credit2"))
        return flb_fail(b->err, FLB_E_INPUT,
                        "%s%s: the domain's cpupool runs the %s scheduler, which has no weight or cap: leave "
                        "cpu_weight and cap out, or build in a pool that runs credit or credit2",
                        d->sched_at, d->has_sched_weight ? "cpu_weight" : "cap", name);
    credit2 = !strcmp(name, "credit2");
    if ((rc = CALL(b, credit2 ? "xc_sched_credit2_domain_get" : "xc_sched_credit_domain_get",
                   b->op->sched_credit_get(b->ctx, b->res->domid, credit2, &weight, &cap))))
        return rc;
    if (d->has_sched_weight)
        weight = d->sched_weight;
    if (d->has_sched_cap)
        cap = d->sched_cap;
    return CALL(b, credit2 ? "xc_sched_credit2_domain_set" : "xc_sched_credit_domain_set",
                b->op->sched_credit_set(b->ctx, b->res->domid, credit2, weight, cap));
}
