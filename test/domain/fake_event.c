/* The fake's events: the console channel, VIRQ_DOM_EXC, xenstore watches, and the one wait that reports them.
 */
#include "fake_backend_internal.h"

#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Our ends of the channels: a console bound to remote port p is 100 + p, VIRQ_DOM_EXC 200. */
#define FAKE_VIRQ_PORT 200u

void fake_domain_changed(struct fake *f)
{
    if (f->watches)
        f->watch_pending = true;
    if (f->virq_port)
        f->virq_pending = true;
}

int fake_xs_watch(void *ctx, const char *path, const char *token)
{
    struct fake *f = ctx;

    if (fake_call(f, "xs_watch %s %s", path, token))
        return -1;
    f->watches++;
    /* xenstored fires a new watch once, whatever the path. */
    f->watch_pending = true;
    return 0;
}

int fake_xs_unwatch(void *ctx, const char *path, const char *token)
{
    struct fake *f = ctx;

    f->watches--;
    return fake_call(f, "xs_unwatch %s %s", path, token) ? -1 : 0;
}

int fake_evtchn_bind_interdomain(void *ctx, uint32_t domid, uint32_t port, uint32_t *local)
{
    struct fake *f = ctx;

    if (fake_call(f, "xenevtchn_bind_interdomain domid=%" PRIu32 " port=%" PRIu32, domid, port))
        return -1;
    *local = 100 + port;
    f->console_port = *local;
    f->bound_ports++;
    return 0;
}

int fake_evtchn_bind_virq(void *ctx, unsigned virq, uint32_t *local)
{
    struct fake *f = ctx;

    if (fake_call(f, "xenevtchn_bind_virq virq=%u", virq))
        return -1;
    if (f->virq_busy) {
        fake_result(f, "EEXIST");
        errno = EEXIST;
        return -1;
    }
    *local = FAKE_VIRQ_PORT;
    f->virq_port = *local;
    f->bound_ports++;
    fake_result(f, "port %" PRIu32, *local);
    return 0;
}

int fake_evtchn_notify(void *ctx, uint32_t port)
{
    return fake_call(ctx, "xenevtchn_notify port=%" PRIu32, port) ? -1 : 0;
}

int fake_evtchn_unbind(void *ctx, uint32_t port)
{
    struct fake *f = ctx;

    f->bound_ports--;
    if (port == f->virq_port) {
        f->virq_port = 0;
        f->virq_pending = false;
    }
    if (port == f->console_port)
        f->console_port = 0;
    return fake_call(f, "xenevtchn_unbind port=%" PRIu32, port) ? -1 : 0;
}

static bool readable(int fd, int timeout_ms)
{
    struct pollfd p = {.fd = fd, .events = POLLIN};

    return poll(&p, 1, timeout_ms) == 1;
}

static int report(struct fake *f, struct flb_event *ev, enum flb_event_kind kind, uint32_t port,
                  const char *what)
{
    ev->kind = kind;
    ev->port = port;
    fake_result(f, "%s", what);
    return 0;
}

/*
 * What is pending is reported at once, one thing per call; with nothing
 * pending the fake sleeps for real on wake_fd, as poll() on the devices
 * would. Only the test's own hook acts, and it has run by now: a wait
 * without a timeout and with nothing pending would never end, so it aborts
 * the test instead of hanging it.
 */
int fake_wait_event(void *ctx, int timeout_ms, int wake_fd, struct flb_event *ev)
{
    struct fake *f = ctx;
    char line[64];

    if (fake_call(f, "wait_event timeout_ms=%d", timeout_ms))
        return -1;
    if (wake_fd >= 0 && readable(wake_fd, 0))
        return report(f, ev, FLB_EVENT_WAKE, 0, "wake");
    if (f->watch_pending) {
        f->watch_pending = false;
        return report(f, ev, FLB_EVENT_WATCH, 0, "watch");
    }
    if (f->virq_pending) {
        f->virq_pending = false;
        snprintf(line, sizeof(line), "port %" PRIu32 " (VIRQ_DOM_EXC)", f->virq_port);
        return report(f, ev, FLB_EVENT_PORT, f->virq_port, line);
    }
    if (f->evtchn_pending && f->console_port) {
        f->evtchn_pending = false;
        snprintf(line, sizeof(line), "port %" PRIu32, f->console_port);
        return report(f, ev, FLB_EVENT_PORT, f->console_port, line);
    }
    if (timeout_ms < 0) {
        fprintf(stderr, "fake: wait_event with nothing pending, no timeout and nothing to wake it\n");
        abort();
    }
    if (wake_fd >= 0 ? readable(wake_fd, timeout_ms) : (poll(NULL, 0, timeout_ms), false))
        return report(f, ev, FLB_EVENT_WAKE, 0, "wake");
    return report(f, ev, FLB_EVENT_TIMEOUT, 0, "timeout");
}

void fake_console_put(struct fake *f, const void *buf, size_t n)
{
    struct xencons_interface *intf = &f->console.ring;
    const char *p = buf;

    for (size_t i = 0; i < n; i++)
        intf->out[MASK_XENCONS_IDX(intf->out_prod + i, intf->out)] = p[i];
    intf->out_prod += (XENCONS_RING_IDX)n;
    f->evtchn_pending = true;
}
