/* What the guest will read, read back from its memory before it runs: start_info and the ACPI tables. */
#include "domain/step.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/hvm_start_info_abi.h"
#include "core/start_info.h"
#include "core/xen_pvh_layout.h"

/* libxenguest's start info area is a few pages; anything larger is not what it wrote. */
#define START_INFO_MAX_SPAN (64u * 1024u)

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

/* The tables in guest memory are the plan's, byte for byte: what the guest parses is what was printed. */
int build_verify_acpi(struct build *b)
{
    const struct flb_acpi *a = &b->plan->acpi;
    uint8_t *guest;
    int rc;

    if (!b->plan->has_acpi)
        return 0;
    build_set_step(b, "checking the ACPI tables at 0x%llx", (unsigned long long)a->base);
    guest = malloc(a->size);
    if (!guest) {
        errno = ENOMEM;
        return build_call_failed(b, "malloc");
    }
    rc = read_guest(b, a->base, guest, a->size);
    for (uint32_t i = 0; !rc && i < a->size; i++)
        if (guest[i] != a->blob[i])
            rc = flb_fail(b->err, FLB_E_SYSTEM,
                          "%s: guest memory differs from the plan at offset %" PRIu32 " (0x%llx): 0x%02x, "
                          "expected 0x%02x",
                          b->step, i, (unsigned long long)(a->base + i), guest[i], a->blob[i]);
    if (!rc)
        build_log(b, 2, "ACPI tables at 0x%llx: %" PRIu32 " bytes, as planned", (unsigned long long)a->base,
                  a->size);
    free(guest);
    return rc;
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
    /* The rest of the header's page: the whole area, usually, so that one mapping reads it all. */
    size_t have = (size_t)(FLB_PAGE_SIZE - (base & (FLB_PAGE_SIZE - 1)));
    uint8_t first[FLB_PAGE_SIZE];
    uint8_t *guest = NULL, *ours = NULL;
    struct flb_start_info *got = NULL, *want = NULL;
    size_t len;
    int rc;

    build_set_step(b, "checking the start info at 0x%llx", (unsigned long long)base);
    if (have < FLB_START_INFO_SIZE)
        have = FLB_START_INFO_SIZE;
    rc = read_guest(b, base, first, have);
    if (!rc)
        rc = start_info_end(b, base, first, &end);
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
    if (len <= have)
        memcpy(guest, first, len);
    else
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
