/* xenstore watches on a connection of their own, in xenstored's wire protocol, its socket polled directly. */
#include "flb_xen/xen_internal.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <xenstore_lib.h>
#include <xen/io/xs_wire.h>

/*
 * Why not libxenstore's own watches: its static archive is built without a
 * reader thread, so a handle that watches reads the events where replies
 * are expected, and the requests of the build on that handle then fail.
 * This connection only watches; the handle only asks.
 */

static int read_full(int fd, void *buf, size_t n)
{
    char *p = buf;

    while (n) {
        ssize_t r = read(fd, p, n);

        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            if (r == 0)
                errno = EPIPE; /* xenstored went away */
            return -1;
        }
        p += r;
        n -= (size_t)r;
    }
    return 0;
}

/* One message: an event sets watch_pending; a reply's type and its errno (XS_ERROR) are returned. */
static int read_message(struct xen_ctx *x, uint32_t *type, int *error)
{
    struct xsd_sockmsg hdr;
    char body[XENSTORE_PAYLOAD_MAX + 1];

    if (read_full(x->watch_fd, &hdr, sizeof(hdr)) != 0)
        return -1;
    if (hdr.len > XENSTORE_PAYLOAD_MAX) {
        errno = E2BIG;
        return -1;
    }
    if (read_full(x->watch_fd, body, hdr.len) != 0)
        return -1;
    body[hdr.len] = '\0';
    *type = hdr.type;
    *error = 0;
    if (hdr.type == XS_WATCH_EVENT)
        x->watch_pending = true;
    if (hdr.type == XS_ERROR) {
        *error = EIO;
        for (size_t i = 0; i < sizeof(xsd_errors) / sizeof(xsd_errors[0]); i++)
            if (!strcmp(body, xsd_errors[i].errstring))
                *error = xsd_errors[i].errnum;
    }
    return 0;
}

/* Sends XS_WATCH or XS_UNWATCH and reads up to its answer; events on the way are kept as pending. */
static int request(struct xen_ctx *x, uint32_t type, const char *path, const char *token)
{
    size_t lp = strlen(path) + 1, lt = strlen(token) + 1;
    struct xsd_sockmsg hdr = {.type = type, .len = (uint32_t)(lp + lt)};
    char msg[sizeof(hdr) + XENSTORE_PAYLOAD_MAX];
    uint32_t got;
    int error;

    if (lp + lt > XENSTORE_PAYLOAD_MAX) {
        errno = E2BIG;
        return -1;
    }
    memcpy(msg, &hdr, sizeof(hdr));
    memcpy(msg + sizeof(hdr), path, lp);
    memcpy(msg + sizeof(hdr) + lp, token, lt);
    if (!xs_write_all(x->watch_fd, msg, (unsigned)(sizeof(hdr) + lp + lt)))
        return xen_result(-1);
    do {
        if (read_message(x, &got, &error) != 0)
            return -1;
    } while (got == XS_WATCH_EVENT);
    if (got == XS_ERROR) {
        errno = error;
        return -1;
    }
    if (got != type) {
        errno = EPROTO;
        return -1;
    }
    return 0;
}

static int connect_watch(struct xen_ctx *x)
{
    int fd = xen_xs_connect();

    if (fd < 0)
        return -1;
    x->watch_fd = fd;
    return 0;
}

void xen_watch_close(struct xen_ctx *x)
{
    if (x->watch_fd >= 0)
        close(x->watch_fd);
    x->watch_fd = -1;
    x->nr_watches = 0;
    x->watch_pending = false;
}

int xen_xs_watch(void *ctx, const char *path, const char *token)
{
    struct xen_ctx *x = ctx;

    if (!x->xsh) {
        errno = ENOTCONN;
        return -1;
    }
    if (x->watch_fd < 0 && connect_watch(x) != 0)
        return -1;
    if (request(x, XS_WATCH, path, token) != 0)
        return -1;
    x->nr_watches++;
    return 0;
}

int xen_xs_unwatch(void *ctx, const char *path, const char *token)
{
    struct xen_ctx *x = ctx;
    int rc;

    if (x->watch_fd < 0) {
        errno = ENOTCONN;
        return -1;
    }
    rc = request(x, XS_UNWATCH, path, token);
    /* The last one gone, so is the connection: xenstored forgets what it had queued. */
    if (rc == 0 && --x->nr_watches == 0)
        xen_watch_close(x);
    return rc;
}

int xen_watch_drain(struct xen_ctx *x)
{
    struct pollfd p = {.fd = x->watch_fd, .events = POLLIN};
    uint32_t type;
    int error;

    while (poll(&p, 1, 0) == 1) {
        if (read_message(x, &type, &error) != 0)
            return -1;
    }
    return 0;
}
