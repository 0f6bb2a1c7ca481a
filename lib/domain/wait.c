/* Waiting for a built guest: sleeping on the watch that reports domain changes, copying its console
 * meanwhile. */
#include "domain/wait.h"

#include <errno.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <xen/xen.h>

#include "domain/console.h"

/* The token is ours alone; the handle watches nothing else. */
#define RELEASE_DOMAIN "@releaseDomain"
#define WATCH_TOKEN "flb"

int flb_watch_open(struct flb_backend *be, bool introduced, struct flb_watch *w, struct flb_error *err)
{
    memset(w, 0, sizeof(*w));
    /* xenstored fires @releaseDomain only for the domains it was introduced to. */
    if (introduced) {
        if (be->ops->xs_watch(be->ctx, RELEASE_DOMAIN, WATCH_TOKEN) != 0)
            return flb_fail(err, FLB_E_SYSTEM, "watching @releaseDomain: xs_watch: %s", strerror(errno));
        w->xs = true;
        return FLB_OK;
    }
    if (be->ops->evtchn_bind_virq(be->ctx, VIRQ_DOM_EXC, &w->virq_port) != 0) {
        if (errno == EEXIST)
            return flb_fail(err, FLB_E_SYSTEM,
                            "binding VIRQ_DOM_EXC: xenevtchn_bind_virq: %s: another process "
                            "(xenstored, or another monitor) holds it",
                            strerror(EEXIST));
        return flb_fail(err, FLB_E_SYSTEM, "binding VIRQ_DOM_EXC: xenevtchn_bind_virq: %s", strerror(errno));
    }
    w->virq = true;
    return FLB_OK;
}

void flb_watch_close(struct flb_backend *be, struct flb_watch *w)
{
    if (w->xs)
        be->ops->xs_unwatch(be->ctx, RELEASE_DOMAIN, WATCH_TOKEN);
    if (w->virq)
        be->ops->evtchn_unbind(be->ctx, w->virq_port);
    memset(w, 0, sizeof(*w));
}

static double now_s(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Milliseconds to the deadline, rounded up so the wait never ends just short of it; -1: none. */
static int timeout_ms(double deadline)
{
    double left;

    if (!deadline)
        return -1;
    left = deadline - now_s();
    if (left <= 0)
        return 0;
    return left > 86400.0 ? 86400000 : (int)(left * 1000.0) + 1;
}

static void drain_wake(int fd)
{
    char buf[64];

    while (read(fd, buf, sizeof(buf)) > 0)
        ;
}

/*
 * Sleeps for the next event. true when it may concern a domain's state:
 * the watch fired, VIRQ_DOM_EXC fired, or the wait could not tell.
 */
static int next_event(struct flb_backend *be, const struct flb_watch *w, const struct flb_wait_request *req,
                      bool *check, struct flb_error *err)
{
    struct flb_event ev;
    int ms = timeout_ms(req->deadline);

    *check = false;
    if (ms == 0)
        return 0;
    if (be->ops->wait_event(be->ctx, ms, req->wake_fd, &ev) != 0) {
        if (errno == EINTR)
            return 0; /* the caller looks at its stop flag */
        return flb_fail(err, FLB_E_SYSTEM,
                        "waiting for an event: poll on xenstore and the event channels: %s", strerror(errno));
    }
    if (ev.kind == FLB_EVENT_WAKE)
        drain_wake(req->wake_fd);
    *check = ev.kind == FLB_EVENT_WATCH || (ev.kind == FLB_EVENT_PORT && w->virq && ev.port == w->virq_port);
    return 0;
}

static size_t copy_console(struct flb_backend *be, struct flb_console *con)
{
    return con && con->page ? flb_console_drain(be, con) : 0;
}

/* The domain's state; true once the wait is over. */
static bool look(struct flb_backend *be, uint32_t domid, struct flb_wait_result *out, struct flb_error *err)
{
    struct flb_domain_state st;

    if (be->ops->domain_getinfo(be->ctx, domid, &st) != 0) {
        if (errno == ESRCH) {
            out->outcome = FLB_WAIT_VANISHED;
        } else {
            out->outcome = FLB_WAIT_ERROR;
            flb_fail(err, FLB_E_SYSTEM, "waiting for domain %u: xc_domain_getinfo: %s", domid,
                     strerror(errno));
        }
        return true;
    }
    if (st.shutdown) {
        out->seen_at = now_s();
        out->outcome = FLB_WAIT_SHUTDOWN;
        out->xen_reason = st.shutdown_reason;
        out->reason = flb_shutdown_reason_of(st.shutdown_reason);
        return true;
    }
    /* Dying without a shutdown: someone is destroying it. */
    if (st.dying) {
        out->outcome = FLB_WAIT_VANISHED;
        return true;
    }
    return false;
}

int flb_wait_domains(struct flb_backend *be, struct flb_watch *w, const uint32_t *domids, size_t n,
                     const struct flb_wait_request *req, struct flb_wait_result *out, size_t *which,
                     struct flb_error *err)
{
    bool check = true; /* they may have stopped before the watch was set */

    memset(out, 0, sizeof(*out));
    *which = 0;
    for (;;) {
        copy_console(be, req->console);
        if (req->console && req->console->output_failed) {
            out->outcome = FLB_WAIT_OUTPUT_FAILED;
            break;
        }
        if (req->stop && *req->stop) {
            out->outcome = FLB_WAIT_STOPPED;
            out->signal = (int)*req->stop;
            break;
        }
        /* One event says that some domain changed, not which: each is looked at, in order. */
        for (size_t i = 0; check && i < n; i++)
            if (look(be, domids[i], out, err)) {
                *which = i;
                goto done;
            }
        if (req->deadline && now_s() >= req->deadline) {
            out->outcome = FLB_WAIT_TIMEOUT;
            break;
        }
        if (next_event(be, w, req, &check, err) != 0) {
            out->outcome = FLB_WAIT_ERROR;
            break;
        }
    }
done:
    /* What the guest wrote while it stopped. */
    copy_console(be, req->console);
    return out->outcome == FLB_WAIT_ERROR ? FLB_E_SYSTEM : FLB_OK;
}

int flb_wait_domain(struct flb_backend *be, struct flb_watch *w, uint32_t domid,
                    const struct flb_wait_request *req, struct flb_wait_result *out, struct flb_error *err)
{
    size_t which;

    return flb_wait_domains(be, w, &domid, 1, req, out, &which, err);
}

int flb_wait_gone(struct flb_backend *be, struct flb_watch *w, uint32_t domid,
                  const struct flb_wait_request *req, int timeout_ms_limit)
{
    struct flb_wait_request r = *req;
    struct flb_error ignored = {{0}};
    struct flb_domain_state st;
    bool check = true;

    r.deadline = now_s() + timeout_ms_limit / 1000.0;
    if (req->deadline && req->deadline < r.deadline)
        r.deadline = req->deadline;
    for (;;) {
        if (check && be->ops->domain_getinfo(be->ctx, domid, &st) != 0)
            return errno == ESRCH ? 0 : -1;
        if ((r.stop && *r.stop) || now_s() >= r.deadline)
            return -1;
        if (next_event(be, w, &r, &check, &ignored) != 0)
            return -1;
    }
}
