/* The real backend's xenstore, event channel and guest memory calls. */
#include "flb_xen/xen_internal.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

static struct xs_handle *xs(void *ctx)
{
    return ((struct xen_ctx *)ctx)->xsh;
}

static int no_xenstore(void)
{
    errno = ENOTCONN;
    return -1;
}

int xen_xs_directory(void *ctx, const char *path, char ***names, unsigned *n)
{
    char **d;

    if (!xs(ctx))
        return no_xenstore();
    errno = 0;
    d = xs_directory(xs(ctx), XBT_NULL, path, n);
    if (!d)
        return xen_result(-1);
    *names = d;
    return 0;
}

int xen_xs_rm(void *ctx, const char *path)
{
    if (!xs(ctx))
        return no_xenstore();
    errno = 0;
    return xs_rm(xs(ctx), XBT_NULL, path) ? 0 : xen_result(-1);
}

int xen_xs_introduce_domain(void *ctx, uint32_t domid, uint64_t gfn, uint32_t port)
{
    if (!xs(ctx))
        return no_xenstore();
    errno = 0;
    return xs_introduce_domain(xs(ctx), domid, (unsigned long)gfn, port) ? 0 : xen_result(-1);
}

int xen_map_foreign(void *ctx, uint32_t domid, uint64_t gfn, unsigned pages, bool writable, void **addr)
{
    struct xen_ctx *x = ctx;
    xen_pfn_t *arr = calloc(pages, sizeof(*arr));
    int *errs = calloc(pages, sizeof(*errs));
    void *p = NULL;
    int rc = -1;

    if (!arr || !errs) {
        errno = ENOMEM;
        goto out;
    }
    for (unsigned i = 0; i < pages; i++)
        arr[i] = (xen_pfn_t)(gfn + i);
    errno = 0;
    p = xenforeignmemory_map(x->fmem, domid, writable ? PROT_READ | PROT_WRITE : PROT_READ, pages, arr, errs);
    if (!p) {
        rc = xen_result(-1);
        goto out;
    }
    /* A page that is not there fails on its own, with the call itself succeeding. */
    for (unsigned i = 0; i < pages; i++)
        if (errs[i]) {
            xenforeignmemory_unmap(x->fmem, p, pages);
            errno = -errs[i];
            goto out;
        }
    *addr = p;
    rc = 0;
out:
    free(arr);
    free(errs);
    return rc;
}

int xen_unmap_foreign(void *ctx, void *addr, unsigned pages)
{
    errno = 0;
    return xen_result(xenforeignmemory_unmap(((struct xen_ctx *)ctx)->fmem, addr, pages));
}

/* The event channel device is opened on first use: only the console needs it. */
static xenevtchn_handle *xce(void *ctx)
{
    struct xen_ctx *x = ctx;

    if (!x->xce)
        x->xce = xenevtchn_open(x->logger, 0);
    return x->xce;
}

int xen_evtchn_bind_interdomain(void *ctx, uint32_t domid, uint32_t port, uint32_t *local)
{
    xenevtchn_port_or_error_t p;

    if (!xce(ctx))
        return xen_result(-1);
    errno = 0;
    p = xenevtchn_bind_interdomain(xce(ctx), domid, port);
    if (p < 0)
        return xen_result(-1);
    *local = (uint32_t)p;
    return 0;
}

int xen_evtchn_notify(void *ctx, uint32_t port)
{
    errno = 0;
    return xen_result(xenevtchn_notify(xce(ctx), port));
}

int xen_evtchn_wait(void *ctx, int timeout_ms, bool *fired)
{
    struct pollfd pfd = {.fd = xenevtchn_fd(xce(ctx)), .events = POLLIN};
    xenevtchn_port_or_error_t p;
    int n;

    *fired = false;
    n = poll(&pfd, 1, timeout_ms);
    if (n < 0)
        return -1; /* EINTR included: the caller checks its stop flag */
    if (n == 0)
        return 0;
    errno = 0;
    p = xenevtchn_pending(xce(ctx));
    if (p < 0)
        return xen_result(-1);
    *fired = true;
    return xen_result(xenevtchn_unmask(xce(ctx), (evtchn_port_t)p));
}

int xen_evtchn_unbind(void *ctx, uint32_t port)
{
    errno = 0;
    return xen_result(xenevtchn_unbind(xce(ctx), port));
}
