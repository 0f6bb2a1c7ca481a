/* The monitor: each shutdown gets its action (destroy, restart, rename-restart, preserve) until the guest is
 * gone. */
#include "domain/monitor.h"

#include <errno.h>
#include <string.h>
#include <time.h>

#include "domain/console.h"

/* How long a restart waits for Xen to let go of the old domain (its memory) before building anyway. */
#define GONE_TIMEOUT_MS 10000

static double now_s(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void report(const struct flb_monitor_request *req, const struct flb_monitor_event *ev)
{
    if (req->report)
        req->report(req->report_arg, ev);
}

/* Destroys the domain and removes its nodes; a failure is reported apart from the outcome. */
static void destroy(struct flb_backend *be, struct flb_build_result *res, struct flb_monitor_result *out)
{
    if (flb_teardown(be, res, &out->destroy_err) != 0)
        out->destroy_failed = true;
}

/* Waits for the current domain, copying its console when asked. */
static int wait_once(struct flb_backend *be, struct flb_watch *w, struct flb_build_result *res,
                     const struct flb_monitor_request *req, double deadline, struct flb_wait_result *wr,
                     struct flb_monitor_result *out, struct flb_error *err)
{
    struct flb_wait_request r = {.deadline = deadline, .stop = req->stop, .wake_fd = req->wake_fd};
    struct flb_console con;
    int rc;

    memset(&con, 0, sizeof(con));
    if (req->console) {
        rc = flb_console_open(be, res, req->console_write, req->console_arg, &con, err);
        if (rc) {
            wr->outcome = FLB_WAIT_ERROR;
            return rc;
        }
        r.console = &con;
    }
    rc = flb_wait_domain(be, w, res->domid, &r, wr, err);
    out->console_bytes += con.bytes;
    /* Before any destroy: a mapping of its page would keep the domain from going. */
    flb_console_close(be, &con);
    return rc;
}

/* The guest's next life, from the same plan: the old domain is gone or kept, the name free again. */
static int restart(struct flb_backend *be, struct flb_watch *w, struct flb_build_result *res,
                   const struct flb_monitor_request *req, struct flb_monitor_result *out,
                   struct flb_error *err)
{
    struct flb_build_request again = *req->build;
    struct flb_monitor_event ev = {.kind = FLB_MONITOR_RESTARTED, .domid = res->domid};
    struct flb_wait_request r = {.stop = req->stop, .wake_fd = req->wake_fd};
    struct flb_error why = {{0}};
    uint32_t old = res->domid;

    /* Its memory must be back before the new domain asks for as much. */
    if (out->action == FLB_ACTION_RESTART)
        flb_wait_gone(be, w, old, &r, GONE_TIMEOUT_MS);
    again.paused = false;
    if (flb_build(be, &again, res, &why) != 0) {
        ev.kind = FLB_MONITOR_RESTART_FAILED;
        ev.msg = why.msg;
        report(req, &ev);
        out->outcome = FLB_WAIT_ERROR;
        return flb_fail(err, FLB_E_SYSTEM, "restarting %s (domain %u) after its %s: %s", again.plan->name,
                        old, flb_shutdown_reason_name(out->reason), why.msg);
    }
    out->restarts++;
    out->domid = res->domid;
    ev.new_domid = res->domid;
    report(req, &ev);
    return FLB_OK;
}

/* Carries out the action; true when the guest is gone for good (or kept) and the monitor is done. */
static bool act(struct flb_backend *be, struct flb_watch *w, struct flb_build_result *res,
                const struct flb_monitor_request *req, struct flb_monitor_result *out, struct flb_error *err,
                int *rc)
{
    struct flb_monitor_event ev = {.kind = FLB_MONITOR_PRESERVED, .domid = res->domid};
    char new_name[320];

    switch (out->action) {
    case FLB_ACTION_DESTROY: destroy(be, res, out); return true;
    case FLB_ACTION_PRESERVE:
    case FLB_ACTION_LEAVE:
        /* Left as it is, nodes and all, for xl to see and destroy. */
        res->created = false;
        res->xenstore_written = false;
        return true;
    case FLB_ACTION_RESTART:
        destroy(be, res, out);
        if (out->destroy_failed) {
            out->outcome = FLB_WAIT_ERROR;
            *rc = flb_fail(err, FLB_E_SYSTEM, "not restarting %s: its domain %u could not be destroyed",
                           req->build->plan->name, res->domid);
            return true;
        }
        break;
    case FLB_ACTION_RENAME_RESTART:
        *rc = flb_preserve(be, req->build, res, new_name, sizeof(new_name), err);
        if (*rc) {
            /* It keeps its name: the restart under that name cannot happen. */
            out->outcome = FLB_WAIT_ERROR;
            res->created = false;
            res->xenstore_written = false;
            return true;
        }
        ev.new_name = new_name;
        report(req, &ev);
        break;
    }
    *rc = restart(be, w, res, req, out, err);
    return *rc != 0;
}

int flb_monitor(struct flb_backend *be, struct flb_watch *w, struct flb_build_result *res,
                const struct flb_monitor_request *req, struct flb_monitor_result *out, struct flb_error *err)
{
    double deadline = req->timeout_s ? now_s() + req->timeout_s : 0;
    int rc = FLB_OK;

    memset(out, 0, sizeof(*out));
    for (;;) {
        struct flb_monitor_event ev = {.kind = FLB_MONITOR_SHUTDOWN};
        struct flb_wait_result wr;

        out->domid = res->domid;
        rc = wait_once(be, w, res, req, deadline, &wr, out, err);
        out->outcome = wr.outcome;
        out->signal = wr.signal;
        if (wr.outcome == FLB_WAIT_VANISHED) {
            /* Not ours to destroy any more; the teardown still removes our nodes. */
            res->created = false;
            destroy(be, res, out);
            return FLB_OK;
        }
        if (wr.outcome == FLB_WAIT_STOPPED && !req->destroy_on_stop)
            return FLB_OK; /* a detached monitor told to go leaves the guest running */
        if (wr.outcome != FLB_WAIT_SHUTDOWN) {
            destroy(be, res, out);
            return rc;
        }
        out->shut_down = true;
        out->reason = wr.reason;
        out->xen_reason = wr.xen_reason;
        out->action = flb_lifecycle_decide(&req->build->plan->lifecycle, wr.reason);
        ev.domid = res->domid;
        ev.reason = wr.reason;
        ev.xen_reason = wr.xen_reason;
        ev.action = out->action;
        ev.seen_at = wr.seen_at;
        report(req, &ev);
        if (act(be, w, res, req, out, err, &rc))
            return rc;
    }
}
