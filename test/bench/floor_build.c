/* flb-floor-build: the fewest libxenctrl and libxenguest calls that start a PVH guest with the fixed
 * layout, to measure the floor a domain builder cannot go below on a given host.
 *
 * No config file, no plan, no xenstore, no read-back checks: every value comes from the command
 * line, as KEY=VALUE words (numbers in C syntax, decimal or 0x hex):
 *
 *   kernel=PATH cmdline=TEXT memory=MIB vcpus=N grant_frames=N maptrack_frames=N grant_version=N
 *   mmio_start=ADDR shared_info=ADDR grant_table=ADDR e820=ADDR:SIZE:TYPE (once per entry, in order)
 *
 * `flb-dom0-helper floor-args` prints them from fixed-layout-build's dry-run JSON, so the guest gets
 * the same domain, the same memory and the same memory map as with fixed-layout-build. What it does
 * not get: the ACPI tables (their page stays in the map, unpopulated, and rsdp_paddr is 0), event
 * channels and a seeded grant table (nobody would read them without xenstore), the platform
 * parameters and the CPUID policy (Xen's defaults are what the guest runs with then).
 *
 * Prints the new domain's id and exits 0 once it is unpaused; on a failure, names the call,
 * destroys what it created and exits 1 (2: bad usage). */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xenctrl.h>
#include <xenguest.h>

#define E820_MAX 16
/* Values the build shares with fixed-layout-build's real backend (lib/flb_xen/xen_backend.c). */
#define MAX_EVTCHN_PORT 1023
#define ANY_DOMID ((uint32_t)~0u)
/* libxl's: the domain may hold 1 MiB more than its memory, for pages the image builder adds. */
#define SLACK_KIB 1024
/* libxl's default paging pool for a HAP guest, in pages: 256 per vCPU plus one per MiB. */
#define POOL_PAGES_PER_VCPU 256

struct args {
    const char *kernel, *cmdline;
    unsigned long long memory, vcpus, grant_frames, maptrack_frames, grant_version;
    unsigned long long mmio_start, shared_info, grant_table;
    struct e820entry e820[E820_MAX];
    unsigned nr_e820;
};

static int usage(const char *why)
{
    fprintf(stderr,
            "flb-floor-build: %s\n"
            "usage: flb-floor-build kernel=PATH cmdline=TEXT memory=MIB vcpus=N grant_frames=N\n"
            "       maptrack_frames=N grant_version=N mmio_start=ADDR shared_info=ADDR grant_table=ADDR\n"
            "       e820=ADDR:SIZE:TYPE...\n",
            why);
    return 2;
}

/* A whole number, all of s; false otherwise. */
static bool number(const char *s, unsigned long long *v)
{
    char *end;

    errno = 0;
    *v = strtoull(s, &end, 0);
    return !errno && end != s && !*end;
}

/* ADDR:SIZE:TYPE, each part a number. */
static bool e820_entry(char *s, struct e820entry *e)
{
    char *size = strchr(s, ':'), *type = size ? strchr(size + 1, ':') : NULL;
    unsigned long long a, z, t;
    bool ok;

    if (!type)
        return false;
    *size++ = '\0';
    *type++ = '\0';
    ok = number(s, &a) && number(size, &z) && number(type, &t) && t <= UINT32_MAX;
    size[-1] = type[-1] = ':';
    if (ok) {
        e->addr = a;
        e->size = z;
        e->type = (uint32_t)t;
    }
    return ok;
}

static int parse(int argc, char **argv, struct args *a)
{
    struct {
        const char *key;
        unsigned long long *v;
    } nums[] = {
        {"memory", &a->memory},
        {"vcpus", &a->vcpus},
        {"grant_frames", &a->grant_frames},
        {"maptrack_frames", &a->maptrack_frames},
        {"grant_version", &a->grant_version},
        {"mmio_start", &a->mmio_start},
        {"shared_info", &a->shared_info},
        {"grant_table", &a->grant_table},
    };
    unsigned seen = 0;

    for (int i = 1; i < argc; i++) {
        char *eq = strchr(argv[i], '=');
        size_t k, n;

        if (!eq)
            return usage(argv[i]);
        n = (size_t)(eq - argv[i]);
        if (n == 6 && !strncmp(argv[i], "kernel", n)) {
            a->kernel = eq + 1;
            continue;
        }
        if (n == 7 && !strncmp(argv[i], "cmdline", n)) {
            a->cmdline = eq + 1;
            continue;
        }
        if (n == 4 && !strncmp(argv[i], "e820", n)) {
            if (a->nr_e820 == E820_MAX || !e820_entry(eq + 1, &a->e820[a->nr_e820]))
                return usage(argv[i]);
            a->nr_e820++;
            continue;
        }
        for (k = 0; k < sizeof(nums) / sizeof(nums[0]); k++)
            if (strlen(nums[k].key) == n && !strncmp(argv[i], nums[k].key, n))
                break;
        if (k == sizeof(nums) / sizeof(nums[0]) || !number(eq + 1, nums[k].v))
            return usage(argv[i]);
        seen |= 1u << k;
    }
    if (!a->kernel || seen != (1u << (sizeof(nums) / sizeof(nums[0]))) - 1 || !a->nr_e820 || !a->vcpus)
        return usage("every key is needed, with at least one e820 entry");
    return 0;
}

/* Where the RAM ends below and above 4 GiB, from the map: what libxenguest populates. */
static void ram_ends(const struct args *a, uint64_t *low, uint64_t *high)
{
    *low = *high = 0;
    for (unsigned i = 0; i < a->nr_e820; i++) {
        uint64_t end = a->e820[i].addr + a->e820[i].size;

        if (a->e820[i].type != E820_RAM)
            continue;
        if (a->e820[i].addr < (1ull << 32))
            *low = end;
        else
            *high = end;
    }
}

static int failed(const char *call)
{
    fprintf(stderr, "flb-floor-build: %s: %s\n", call, strerror(errno ? errno : EIO));
    return -1;
}

/* The image: kernel, memory, memory map, then start_info written from that map. */
static int build_image(xc_interface *xch, uint32_t domid, const struct args *a)
{
    struct xc_dom_image *dom = xc_dom_allocate(xch, a->cmdline, NULL);
    uint64_t low, high;
    int rc = -1;

    if (!dom)
        return failed("xc_dom_allocate");
    ram_ends(a, &low, &high);
    dom->container_type = XC_DOM_HVM_CONTAINER;
    dom->device_model = false;
    dom->lowmem_end = low;
    dom->highmem_end = high;
    dom->mmio_start = a->mmio_start;
    dom->mmio_size = (1ull << 32) - a->mmio_start;
    dom->target_pages = a->memory << (20 - XC_PAGE_SHIFT);
    dom->max_vcpus = (unsigned)a->vcpus;
    if (xc_dom_kernel_file(dom, a->kernel))
        failed("xc_dom_kernel_file");
    else if (xc_dom_boot_xen_init(dom, xch, domid))
        failed("xc_dom_boot_xen_init");
    else if (xc_dom_parse_image(dom))
        failed("xc_dom_parse_image");
    else if (xc_dom_mem_init(dom, (unsigned)a->memory))
        failed("xc_dom_mem_init");
    else if (xc_dom_boot_mem_init(dom))
        failed("xc_dom_boot_mem_init");
    else if (xc_domain_set_memory_map(xch, domid, (struct e820entry *)a->e820, a->nr_e820))
        failed("xc_domain_set_memory_map");
    else {
        /* libxenguest copies start_info's memmap from here, and sizes its area by it, at build. */
        dom->e820 = (struct e820entry *)a->e820;
        dom->e820_entries = a->nr_e820;
        if (xc_dom_build_image(dom))
            failed("xc_dom_build_image");
        else if (xc_dom_boot_image(dom))
            failed("xc_dom_boot_image");
        else
            rc = 0;
        dom->e820 = NULL; /* ours, not libxenguest's to free */
        dom->e820_entries = 0;
    }
    xc_dom_release(dom);
    return rc;
}

/* Shared info and every grant frame at the addresses the map gives them: one call, one batch. */
static int map_regions(xc_interface *xch, uint32_t domid, const struct args *a)
{
    unsigned n = (unsigned)a->grant_frames;
    xen_ulong_t *idxs = calloc(n, sizeof(*idxs));
    xen_pfn_t *gfns = calloc(n, sizeof(*gfns));
    int *errs = calloc(n, sizeof(*errs)), rc = -1;

    if (xc_domain_add_to_physmap(xch, domid, XENMAPSPACE_shared_info, 0, a->shared_info >> XC_PAGE_SHIFT)) {
        failed("xc_domain_add_to_physmap");
        goto out;
    }
    if (!idxs || !gfns || !errs) {
        errno = ENOMEM;
        failed("calloc");
        goto out;
    }
    for (unsigned i = 0; i < n; i++) {
        idxs[i] = i;
        gfns[i] = (a->grant_table >> XC_PAGE_SHIFT) + i;
    }
    if (xc_domain_add_to_physmap_batch(xch, domid, DOMID_SELF, XENMAPSPACE_grant_table, n, idxs, gfns,
                                       errs)) {
        failed("xc_domain_add_to_physmap_batch");
        goto out;
    }
    for (unsigned i = 0; i < n; i++)
        if (errs[i]) {
            errno = -errs[i];
            failed("xc_domain_add_to_physmap_batch (a frame)");
            goto out;
        }
    rc = 0;
out:
    free(idxs);
    free(gfns);
    free(errs);
    return rc;
}

/* The domain, its limits, its image, its regions, then it runs. */
static int build(xc_interface *xch, const struct args *a, uint32_t *domid)
{
    struct xen_domctl_createdomain cfg = {
        .flags = XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap,
        .max_vcpus = (uint32_t)a->vcpus,
        .max_evtchn_port = MAX_EVTCHN_PORT,
        .max_grant_frames = (int32_t)a->grant_frames,
        .max_maptrack_frames = (int32_t)a->maptrack_frames,
        .grant_opts = XEN_DOMCTL_GRANT_version(a->grant_version),
        .arch = {.emulation_flags = XEN_X86_EMU_LAPIC},
    };

    *domid = ANY_DOMID;
    if (xc_domain_create(xch, domid, &cfg))
        return failed("xc_domain_create");
    /* Xen 4.17 still needs it after creation: without it the vCPUs are never allocated. */
    if (xc_domain_max_vcpus(xch, *domid, (unsigned)a->vcpus))
        return failed("xc_domain_max_vcpus");
    /* A new domain may own no page: populating needs the limit first. */
    if (xc_domain_setmaxmem(xch, *domid, a->memory * 1024 + SLACK_KIB))
        return failed("xc_domain_setmaxmem");
    /* The pool the guest's page tables come from, as large as fixed-layout-build makes it. */
    if (xc_set_paging_mempool_size(xch, *domid,
                                   (POOL_PAGES_PER_VCPU * a->vcpus + a->memory) << XC_PAGE_SHIFT))
        return failed("xc_set_paging_mempool_size");
    if (build_image(xch, *domid, a) || map_regions(xch, *domid, a))
        return -1;
    if (xc_domain_unpause(xch, *domid))
        return failed("xc_domain_unpause");
    return 0;
}

int main(int argc, char **argv)
{
    struct args a = {0};
    xentoollog_logger *log;
    xc_interface *xch;
    uint32_t domid;
    int rc = parse(argc, argv, &a);

    if (rc)
        return rc;
    /* Errors only: libxenguest's progress lines would be output to pay for. */
    log = (xentoollog_logger *)xtl_createlogger_stdiostream(stderr, XTL_ERROR, 0);
    xch = xc_interface_open(log, log, 0);
    if (!xch) {
        failed("xc_interface_open");
        return 1;
    }
    rc = build(xch, &a, &domid);
    if (rc && domid != ANY_DOMID)
        xc_domain_destroy(xch, domid);
    else if (!rc)
        printf("%u\n", domid);
    xc_interface_close(xch);
    xtl_logger_destroy(log);
    return rc ? 1 : 0;
}
