/* The fixed regions: shared info and grant frames mapped at their advertised addresses, start_info checked. */
#include "domain/step.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/hvm_start_info_abi.h"
#include "core/start_info.h"
#include "core/xen_pvh_layout.h"

/* XENMEM_add_to_physmap_batch carries its size in 16 bits. */
#define BATCH_MAX 0xFFFFu
/* libxenguest's start info area is a few pages; anything larger is not what it wrote. */
#define START_INFO_MAX_SPAN (64u * 1024u)

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
    build_log(b, 1, "xc_domain_add_to_physmap_batch is not supported here: mapping %u grant "
                    "frames one at a time", n);
    for (unsigned i = 0; i < n; i++)
        if (b->op->domain_add_to_physmap(b->ctx, b->res->domid, FLB_MAPSPACE_GRANT_TABLE, i,
                                         gfns[i]) != 0) {
            build_set_step(b, "mapping grant frame %u at 0x%llx", i,
                           (unsigned long long)gfns[i] << FLB_PAGE_SHIFT);
            return build_call_failed(b, "xc_domain_add_to_physmap");
        }
    build_log(b, 1, "%u grant frames mapped at 0x%llx: %u hypercalls (xc_domain_add_to_physmap)",
              n, (unsigned long long)gfns[0] << FLB_PAGE_SHIFT, n);
    return 0;
}

static int map_batch(struct build *b, unsigned first, unsigned n, uint64_t *idxs, uint64_t *gfns,
                     int *errs, bool *unsupported)
{
    const char *call = "xc_domain_add_to_physmap_batch";

    if (b->op->domain_add_to_physmap_batch(b->ctx, b->res->domid, FLB_MAPSPACE_GRANT_TABLE, n,
                                           idxs + first, gfns + first, errs + first) != 0) {
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
        build_log(b, 1, "grant status frames at 0x%llx stay reserved, not mapped: Xen creates them "
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
        build_log(b, 1, "%u grant frames mapped at 0x%llx: %u hypercall%s "
                        "(xc_domain_add_to_physmap_batch) instead of %u",
                  n, (unsigned long long)l->grant_table.addr, (n + BATCH_MAX - 1) / BATCH_MAX,
                  n > BATCH_MAX ? "s" : "", n);
out:
    free(idxs);
    free(gfns);
    free(errs);
    return rc;
}

/* Copies [gpa, gpa + len) of guest memory into buf. */
static int read_guest(struct build *b, uint64_t gpa, uint8_t *buf, size_t len)
{
    uint64_t first = gpa >> FLB_PAGE_SHIFT;
    unsigned pages = (unsigned)(((gpa + len + FLB_PAGE_SIZE - 1) >> FLB_PAGE_SHIFT) - first);
    void *map = NULL;

    if (b->op->map_foreign(b->ctx, b->res->domid, first, pages, false, &map) != 0)
        return build_call_failed(b, "xenforeignmemory_map");
    memcpy(buf, (uint8_t *)map + (gpa & (FLB_PAGE_SIZE - 1)), len);
    /* Nothing to do if unmapping fails: the copy is what we need. */
    b->op->unmap_foreign(b->ctx, map, pages);
    return 0;
}

/* Where the pieces the header points at end, from the header and the command line we gave. */
static int start_info_end(struct build *b, uint64_t base, const uint8_t *hdr, uint64_t *end)
{
    struct flb_start_info si;

    flb_start_info_read_header(hdr, base, &si);
    memcpy(si.cmdline, b->plan->start_info.cmdline, sizeof(si.cmdline));
    *end = base + flb_start_info_span(&si);
    if (*end - base > START_INFO_MAX_SPAN || si.modlist_paddr % 8 ||
        (si.modlist_paddr && si.modlist_paddr < base) || (si.memmap_paddr && si.memmap_paddr < base) ||
        (si.cmdline_paddr && si.cmdline_paddr < base))
        return flb_fail(b->err, FLB_E_SYSTEM, "%s: start_info at 0x%llx points outside its area", b->step,
                        (unsigned long long)base);
    return 0;
}

/*
 * What the guest will read is what libxenguest wrote, not what we asked for:
 * read it back and compare it with our own encoding at the same addresses.
 */
int build_verify_start_info(struct build *b)
{
    uint64_t base = b->info.start_info_gpa, end = 0;
    uint8_t hdr[FLB_START_INFO_SIZE];
    uint8_t *guest = NULL, *ours = NULL;
    struct flb_start_info *got = NULL, *want = NULL;
    size_t len;
    int rc;

    build_set_step(b, "checking the start info at 0x%llx", (unsigned long long)base);
    rc = read_guest(b, base, hdr, sizeof(hdr));
    if (!rc)
        rc = start_info_end(b, base, hdr, &end);
    if (rc)
        goto out;
    len = (size_t)(end - base);
    guest = calloc(1, len);
    ours = calloc(1, len);
    got = calloc(1, sizeof(*got));
    want = calloc(1, sizeof(*want));
    if (!guest || !ours || !got || !want) {
        errno = ENOMEM;
        rc = build_call_failed(b, "calloc");
        goto out;
    }
    rc = read_guest(b, base, guest, len);
    if (!rc)
        rc = flb_start_info_decode(guest, len, base, got, b->err);
    if (rc)
        goto out;

    /* libxenguest picks the addresses and the module's place; the content must be ours. */
    *want = b->plan->start_info;
    want->base = base;
    want->modlist_paddr = got->modlist_paddr;
    want->cmdline_paddr = b->plan->image.cmdline ? got->cmdline_paddr : 0;
    want->memmap_paddr = got->memmap_paddr;
    if (want->nr_modules) {
        want->module[0].paddr = got->module[0].paddr;
        want->module[0].size = got->module[0].size;
    }
    rc = flb_start_info_encode(want, ours, len, b->err);
    if (rc)
        goto out;
    for (size_t i = 0; i < len; i++)
        if (guest[i] != ours[i]) {
            rc = flb_fail(b->err, FLB_E_SYSTEM,
                          "%s: guest memory differs from our encoding at offset %zu (0x%llx): "
                          "0x%02x, expected 0x%02x",
                          b->step, i, (unsigned long long)(base + i), guest[i], ours[i]);
            break;
        }
    if (!rc)
        build_log(b, 2, "start_info at 0x%llx: %zu bytes, %u memmap entries, as encoded",
                  (unsigned long long)base, len, got->memmap_entries);
out:
    free(guest);
    free(ours);
    free(got);
    free(want);
    return rc;
}
