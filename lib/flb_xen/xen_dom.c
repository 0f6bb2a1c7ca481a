/* The real backend's image calls: libxenguest's xc_dom_* sequence for a PVH (HVM container) guest. */
#include "flb_xen/xen_internal.h"

#include <errno.h>
#include <stdlib.h>

struct flb_dom {
    struct xc_dom_image *img;
    struct e820entry *e820; /* ours: libxenguest only borrows it */
};

#define DOM_CALL(expr) (errno = 0, xen_result(expr))

int xen_dom_allocate(void *ctx, const char *cmdline, struct flb_dom **out)
{
    struct xen_ctx *x = ctx;
    struct flb_dom *d = calloc(1, sizeof(*d));

    if (!d) {
        errno = ENOMEM;
        return -1;
    }
    errno = 0;
    d->img = xc_dom_allocate(x->xch, cmdline, NULL);
    if (!d->img) {
        if (!errno)
            errno = ENOMEM;
        free(d);
        return -1;
    }
    d->img->container_type = XC_DOM_HVM_CONTAINER;
    *out = d;
    return 0;
}

int xen_dom_kernel_file(void *ctx, struct flb_dom *d, const char *path)
{
    (void)ctx;
    return DOM_CALL(xc_dom_kernel_file(d->img, path));
}

int xen_dom_module_file(void *ctx, struct flb_dom *d, const char *path)
{
    (void)ctx;
    return DOM_CALL(xc_dom_module_file(d->img, path, NULL));
}

/* What libxl sets before parsing a PVH image: no device model, the hole, the channels. */
int xen_dom_set_hvm(void *ctx, struct flb_dom *d, const struct flb_dom_hvm *h)
{
    struct xc_dom_image *img = d->img;

    (void)ctx;
    img->device_model = false;
    img->lowmem_end = h->lowmem_end;
    img->highmem_end = h->highmem_end;
    img->mmio_start = h->mmio_start;
    img->mmio_size = h->mmio_size;
    img->target_pages = h->target_pages;
    img->max_vcpus = h->max_vcpus;
    img->console_evtchn = h->console_port;
    img->console_domid = h->console_domid;
    img->xenstore_evtchn = h->xenstore_port;
    img->xenstore_domid = h->xenstore_domid;
    return 0;
}

int xen_dom_boot_xen_init(void *ctx, struct flb_dom *d, uint32_t domid)
{
    return DOM_CALL(xc_dom_boot_xen_init(d->img, ((struct xen_ctx *)ctx)->xch, domid));
}

int xen_dom_parse_image(void *ctx, struct flb_dom *d)
{
    (void)ctx;
    return DOM_CALL(xc_dom_parse_image(d->img));
}

int xen_dom_mem_init(void *ctx, struct flb_dom *d, unsigned mem_mib)
{
    (void)ctx;
    return DOM_CALL(xc_dom_mem_init(d->img, mem_mib));
}

int xen_dom_boot_mem_init(void *ctx, struct flb_dom *d)
{
    (void)ctx;
    return DOM_CALL(xc_dom_boot_mem_init(d->img));
}

/* Must happen before xc_dom_build_image, which sizes the start info area from e820_entries. */
int xen_dom_set_e820(void *ctx, struct flb_dom *d, const struct flb_memmap *map)
{
    struct e820entry *e = calloc(map->nr ? map->nr : 1, sizeof(*e));

    (void)ctx;
    if (!e) {
        errno = ENOMEM;
        return -1;
    }
    for (unsigned i = 0; i < map->nr; i++) {
        e[i].addr = map->entry[i].addr;
        e[i].size = map->entry[i].size;
        e[i].type = map->entry[i].type;
    }
    free(d->e820);
    d->e820 = e;
    d->img->e820 = e;
    d->img->e820_entries = map->nr;
    return 0;
}

int xen_dom_set_acpi(void *ctx, struct flb_dom *d, const void *data, uint32_t len, uint64_t gpa)
{
    (void)ctx;
    /* libxenguest only reads the data (xc_dom_load_acpi), at xc_dom_build_image. */
    d->img->acpi_modules[0].data = (void *)data;
    d->img->acpi_modules[0].length = len;
    d->img->acpi_modules[0].guest_addr_out = gpa;
    return 0;
}

int xen_dom_build_image(void *ctx, struct flb_dom *d)
{
    (void)ctx;
    return DOM_CALL(xc_dom_build_image(d->img));
}

int xen_dom_boot_image(void *ctx, struct flb_dom *d)
{
    (void)ctx;
    return DOM_CALL(xc_dom_boot_image(d->img));
}

int xen_dom_gnttab_init(void *ctx, struct flb_dom *d)
{
    (void)ctx;
    return DOM_CALL(xc_dom_gnttab_init(d->img));
}

/* bootlate_hvm writes hvm_start_info at the start of the "HVM start info" segment. */
int xen_dom_info(void *ctx, struct flb_dom *d, struct flb_dom_info *info)
{
    (void)ctx;
    if (!d->img->start_info_seg.pfn) {
        errno = ENODATA;
        return -1;
    }
    info->start_info_gpa = (uint64_t)d->img->start_info_seg.pfn << XC_PAGE_SHIFT;
    info->console_gfn = d->img->console_pfn;
    info->xenstore_gfn = d->img->xenstore_pfn;
    return 0;
}

void xen_dom_release(void *ctx, struct flb_dom *d)
{
    (void)ctx;
    if (!d)
        return;
    /* Detach what is ours first: xc_dom_release frees only what libxenguest allocated. */
    d->img->e820 = NULL;
    d->img->e820_entries = 0;
    d->img->acpi_modules[0].data = NULL;
    d->img->acpi_modules[0].length = 0;
    xc_dom_release(d->img);
    free(d->e820);
    free(d);
}
