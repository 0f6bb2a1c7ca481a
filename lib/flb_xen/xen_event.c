/* The real backend's event channels, and the one wait: xenstore watches, bound ports, the caller's wake-up.
 */
#include "flb_xen/xen_internal.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>

/* The event channel device is opened on first use: a build that waits for nothing never needs it. */
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

int xen_evtchn_bind_virq(void *ctx, unsigned virq, uint32_t *local)
{
    xenevtchn_port_or_error_t p;

    if (!xce(ctx))
        return xen_result(-1);
    errno = 0;
    p = xenevtchn_bind_virq(xce(ctx), virq);
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

int xen_evtchn_unbind(void *ctx, uint32_t port)
{
    errno = 0;
    return xen_result(xenevtchn_unbind(xce(ctx), port));
}

static int port_fired(struct xen_ctx *x, struct flb_event *ev)
{
    xenevtchn_port_or_error_t p;

    errno = 0;
    p = xenevtchn_pending(x->xce);
    if (p < 0)
        return xen_result(-1);
    ev->kind = FLB_EVENT_PORT;
    ev->port = (uint32_t)p;
    return xen_result(xenevtchn_unmask(x->xce, (evtchn_port_t)p));
}

/*
 * One poll(2) over the caller's wake-up descriptor, our watch connection to
 * xenstored and the event channel device: the process sleeps until one of
 * them has something. Watch events read while a watch was being set are
 * reported first, without sleeping.
 */
int xen_wait_event(void *ctx, int timeout_ms, int wake_fd, struct flb_event *ev)
{
    struct xen_ctx *x = ctx;
    struct pollfd pfd[3];
    int n = 0, wake = -1, watch = -1, port = -1, rc;

    ev->kind = FLB_EVENT_TIMEOUT;
    ev->port = 0;
    if (x->watch_pending) {
        x->watch_pending = false;
        ev->kind = FLB_EVENT_WATCH;
        return 0;
    }
    if (wake_fd >= 0) {
        wake = n;
        pfd[n++] = (struct pollfd){.fd = wake_fd, .events = POLLIN};
    }
    if (x->watch_fd >= 0) {
        watch = n;
        pfd[n++] = (struct pollfd){.fd = x->watch_fd, .events = POLLIN};
    }
    if (x->xce) {
        port = n;
        pfd[n++] = (struct pollfd){.fd = xenevtchn_fd(x->xce), .events = POLLIN};
    }
    rc = poll(pfd, (nfds_t)n, timeout_ms);
    if (rc <= 0)
        return rc; /* 0: the timeout; -1: EINTR included, the caller checks its stop flag */
    if (wake >= 0 && pfd[wake].revents) {
        ev->kind = FLB_EVENT_WAKE;
        return 0;
    }
    if (watch >= 0 && pfd[watch].revents) {
        /* Every event queued so far: one look at the domains answers them all. */
        if (xen_watch_drain(x) != 0)
            return -1;
        if (x->watch_pending) {
            x->watch_pending = false;
            ev->kind = FLB_EVENT_WATCH;
        }
        return 0;
    }
    if (port >= 0 && pfd[port].revents)
        return port_fired(x, ev);
    errno = EIO;
    return -1;
}
