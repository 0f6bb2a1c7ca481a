/* The fixed regions: shared info and grant frames mapped at their advertised addresses. */
#include "domain/step.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xen_pvh_layout.h"

/* XENMEM_add_to_physmap_batch carries its size in 16 bits. */
#define BATCH_MAX 0xFFFFu

int build_map_shared_info(struct build *b)
{
    const struct flb_region *r = &b->plan->layout.shared_info;

    if (!r->size)
        return 0;
    build_set_step(b, "mapping shared info at 0x%llx", (unsigned long long)r->addr);
    if (b->op->domain_add_to_physmap(b->ctx, b->res->domid, FLB_MAPSPACE_SHARED_INFO, 0,
                                     r->addr >> FLB_PAGE_SHIFT) != 0)
        return build_call_failed(b, "xc_domain_add_to_physmap");
    build_log(b, 1, "shared info mapped at 0x%llx: 1 hypercall (xc_domain_add_to_physmap)",
              (unsigned long long)r->addr);
    return 0;
}

/* One frame per call: only for a Xen that lacks the batch hypercall. */
static int map_frames_one_by_one(struct build *b, const uint64_t *gfns, unsigned n)
{
    build_log(b, 1,
              "xc_domain_add_to_physmap_batch is not supported here: mapping %u grant "
              "frames one at a time",
              n);
    for (unsigned i = 0; i < n; i++)
        if (b->op->domain_add_to_physmap(b->ctx, b->res->domid, FLB_MAPSPACE_GRANT_TABLE, i, gfns[i]) != 0) {
            build_set_step(b, "mapping grant frame %u at 0x%llx", i,
                           (unsigned long long)gfns[i] << FLB_PAGE_SHIFT);
            return build_call_failed(b, "xc_domain_add_to_physmap");
        }
    build_log(b, 1, "%u grant frames mapped at 0x%llx: %u hypercalls (xc_domain_add_to_physmap)", n,
              (unsigned long long)gfns[0] << FLB_PAGE_SHIFT, n);
    return 0;
}

static int map_batch(struct build *b, unsigned first, unsigned n, uint64_t *idxs, uint64_t *gfns, int *errs,
                     bool *unsupported)
{
    const char *call = "xc_domain_add_to_physmap_batch";

    if (b->op->domain_add_to_physmap_batch(b->ctx, b->res->domid, FLB_MAPSPACE_GRANT_TABLE, n, idxs + first,
                                           gfns + first, errs + first) != 0) {
        if (errno == EOPNOTSUPP || errno == ENOSYS) {
            *unsupported = true;
            return 0;
        }
        return build_call_failed(b, call);
    }
    /* The call succeeds as a whole even when single frames fail. */
    for (unsigned i = first; i < first + n; i++)
        if (errs[i]) {
            errno = -errs[i];
            build_set_step(b, "mapping grant frame %u at 0x%llx", i,
                           (unsigned long long)gfns[i] << FLB_PAGE_SHIFT);
            return build_call_failed(b, call);
        }
    return 0;
}

int build_map_grant_frames(struct build *b)
{
    const struct flb_layout *l = &b->plan->layout;
    unsigned n = (unsigned)l->grant_table.pages; /* at most INT32_MAX: the config caps it */
    uint64_t *idxs = NULL, *gfns = NULL;
    int *errs = NULL;
    bool unsupported = false;
    int rc = 0;

    if (l->gnttab_status.size)
        build_log(b, 1,
                  "grant status frames at 0x%llx stay reserved, not mapped: Xen creates them "
                  "only when the guest itself switches to grant table v2",
                  (unsigned long long)l->gnttab_status.addr);
    if (!n || !l->grant_table.size)
        return 0;
    build_set_step(b, "mapping grant frames at 0x%llx", (unsigned long long)l->grant_table.addr);

    idxs = calloc(n, sizeof(*idxs));
    gfns = calloc(n, sizeof(*gfns));
    errs = calloc(n, sizeof(*errs));
    if (!idxs || !gfns || !errs) {
        errno = ENOMEM;
        rc = build_call_failed(b, "calloc");
        goto out;
    }
    for (unsigned i = 0; i < n; i++) {
        idxs[i] = i;
        gfns[i] = (l->grant_table.addr >> FLB_PAGE_SHIFT) + i;
    }
    for (unsigned first = 0; !rc && !unsupported && first < n; first += BATCH_MAX)
        rc = map_batch(b, first, n - first < BATCH_MAX ? n - first : BATCH_MAX, idxs, gfns, errs,
                       &unsupported);
    if (!rc && unsupported)
        rc = map_frames_one_by_one(b, gfns, n);
    else if (!rc)
        build_log(b, 1,
                  "%u grant frames mapped at 0x%llx: %u hypercall%s "
                  "(xc_domain_add_to_physmap_batch) instead of %u",
                  n, (unsigned long long)l->grant_table.addr, (n + BATCH_MAX - 1) / BATCH_MAX,
                  n > BATCH_MAX ? "s" : "", n);
out:
    free(idxs);
    free(gfns);
    free(errs);
    return rc;
}
