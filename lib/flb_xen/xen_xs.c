/* The real backend's xenstore and guest memory calls. */
#include "flb_xen/xen_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

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

/* Where libxenstore itself connects (its environment variables included): the same daemon, the same
 * permissions. */
int xen_xs_connect(void)
{
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    const char *path = xs_daemon_socket();
    int fd;

    if (strlen(path) >= sizeof(addr.sun_path)) {
        errno = ENAMETOOLONG;
        return -1;
    }
    strcpy(addr.sun_path, path);
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) != 0) {
        int e = errno;

        close(fd);
        errno = e;
        return -1;
    }
    return fd;
}
