/* The monitor: each shutdown gets its action (destroy, restart, rename-restart, preserve) until the guest is
 * gone. */
#include "domain/monitor.h"

#include <errno.h>
#include <stdlib.h>
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

/* Waits for the guests not yet done (ids, in the order of map), copying the one guest's console when asked.
 */
static int wait_once(struct flb_backend *be, struct flb_watch *w, struct flb_monitor_guest *g,
                     const uint32_t *ids, size_t k, const struct flb_monitor_request *req, double deadline,
                     struct flb_wait_result *wr, size_t *which, struct flb_error *err)
{
    struct flb_wait_request r = {.deadline = deadline, .stop = req->stop, .wake_fd = req->wake_fd};
    struct flb_console con;
    int rc;

    memset(&con, 0, sizeof(con));
    *which = 0;
    if (req->console) {
        rc = flb_console_open(be, g->res, req->console_write, req->console_arg, &con, err);
        if (rc) {
            memset(wr, 0, sizeof(*wr));
            wr->outcome = FLB_WAIT_ERROR;
            return rc;
        }
        r.console = &con;
    }
    rc = flb_wait_domains(be, w, ids, k, &r, wr, which, err);
    g->out.console_bytes += con.bytes;
    /* Before any destroy: a mapping of its page would keep the domain from going. */
    flb_console_close(be, &con);
    return rc;
}

/* The guest's next life, from the same plan: the old domain is gone or kept, the name free again. */
static int restart(struct flb_backend *be, struct flb_watch *w, struct flb_monitor_guest *g, size_t index,
                   const struct flb_monitor_request *req)
{
    struct flb_build_request again = *g->build;
    struct flb_monitor_event ev = {.kind = FLB_MONITOR_RESTARTED, .domid = g->res->domid, .guest = index};
    struct flb_wait_request r = {.stop = req->stop, .wake_fd = req->wake_fd};
    struct flb_monitor_result *out = &g->out;
    struct flb_error why = {{0}};
    uint32_t old = g->res->domid;

    /* Its memory must be back before the new domain asks for as much. */
    if (out->action == FLB_ACTION_RESTART)
        flb_wait_gone(be, w, old, &r, GONE_TIMEOUT_MS);
    again.paused = false;
    /* The run's other guests may have been renamed (kept by their own monitor) since: all names are read. */
    again.named = NULL;
    again.nr_named = 0;
    if (flb_build(be, &again, g->res, &why) != 0) {
        ev.kind = FLB_MONITOR_RESTART_FAILED;
        ev.msg = why.msg;
        report(req, &ev);
        out->outcome = FLB_WAIT_ERROR;
        return flb_fail(&g->err, FLB_E_SYSTEM, "restarting %s (domain %u) after its %s: %s", again.plan->name,
                        old, flb_shutdown_reason_name(out->reason), why.msg);
    }
    out->restarts++;
    out->domid = g->res->domid;
    ev.new_domid = g->res->domid;
    report(req, &ev);
    return FLB_OK;
}

/* Carries out the action; true when the guest is gone for good (or kept) and its monitoring is done. */
static bool act(struct flb_backend *be, struct flb_watch *w, struct flb_monitor_guest *g, size_t index,
                const struct flb_monitor_request *req)
{
    struct flb_build_result *res = g->res;
    struct flb_monitor_result *out = &g->out;
    struct flb_monitor_event ev = {.kind = FLB_MONITOR_PRESERVED, .domid = res->domid, .guest = index};
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
            flb_fail(&g->err, FLB_E_SYSTEM, "not restarting %s: its domain %u could not be destroyed",
                     g->build->plan->name, res->domid);
            return true;
        }
        break;
    case FLB_ACTION_RENAME_RESTART:
        if (flb_preserve(be, g->build, res, new_name, sizeof(new_name), &g->err) != 0) {
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
    return restart(be, w, g, index, req) != 0;
}

static void finish(const struct flb_monitor_request *req, struct flb_monitor_guest *g, size_t index)
{
    g->done = true;
    if (req->ended)
        req->ended(req->report_arg, index, g);
}

/* One guest's domain shut down or vanished: its action, unless that was its end. */
static void on_domain(struct flb_backend *be, struct flb_watch *w, struct flb_monitor_guest *g, size_t index,
                      const struct flb_monitor_request *req, const struct flb_wait_result *wr)
{
    struct flb_monitor_event ev = {.kind = FLB_MONITOR_SHUTDOWN, .domid = g->res->domid, .guest = index};
    struct flb_monitor_result *out = &g->out;

    out->outcome = wr->outcome;
    if (wr->outcome == FLB_WAIT_VANISHED) {
        /* Not ours to destroy any more; the teardown still removes our nodes. */
        g->res->created = false;
        destroy(be, g->res, out);
        finish(req, g, index);
        return;
    }
    out->shut_down = true;
    out->reason = wr->reason;
    out->xen_reason = wr->xen_reason;
    out->action = flb_lifecycle_decide(&g->build->plan->lifecycle, wr->reason);
    ev.reason = wr->reason;
    ev.xen_reason = wr->xen_reason;
    ev.action = out->action;
    ev.seen_at = wr->seen_at;
    report(req, &ev);
    if (act(be, w, g, index, req))
        finish(req, g, index);
}

/* A stop, the timeout, a failed wait: the end of every guest still watched. */
static void end_all(struct flb_backend *be, struct flb_monitor_guest *g, const size_t *map, size_t k,
                    const struct flb_monitor_request *req, const struct flb_wait_result *wr,
                    const struct flb_error *why)
{
    for (size_t j = 0; j < k; j++) {
        struct flb_monitor_guest *gi = &g[map[j]];

        gi->out.outcome = wr->outcome;
        gi->out.signal = wr->signal;
        if (wr->outcome == FLB_WAIT_ERROR)
            gi->err = *why;
        /* A detached monitor told to go leaves the guests running. */
        if (wr->outcome != FLB_WAIT_STOPPED || req->destroy_on_stop)
            destroy(be, gi->res, &gi->out);
        finish(req, gi, map[j]);
    }
}

int flb_monitor_guests(struct flb_backend *be, struct flb_watch *w, struct flb_monitor_guest *g, size_t n,
                       const struct flb_monitor_request *req)
{
    double deadline = req->timeout_s ? now_s() + req->timeout_s : 0;
    uint32_t *ids = calloc(n ? n : 1, sizeof(*ids));
    size_t *map = calloc(n ? n : 1, sizeof(*map));
    int rc = FLB_OK;

    for (size_t i = 0; i < n; i++) {
        memset(&g[i].out, 0, sizeof(g[i].out));
        memset(&g[i].err, 0, sizeof(g[i].err));
        g[i].done = false;
    }
    for (;;) {
        struct flb_error why = {{0}};
        struct flb_wait_result wr;
        size_t k = 0, which;

        for (size_t i = 0; i < n; i++) {
            if (g[i].done)
                continue;
            g[i].out.domid = g[i].res->domid;
            if (ids && map) {
                ids[k] = g[i].res->domid;
                map[k] = i;
            }
            k++;
        }
        if (!k)
            break;
        if (!ids || !map || (req->console && n != 1)) {
            wr = (struct flb_wait_result){.outcome = FLB_WAIT_ERROR};
            flb_fail(&why, FLB_E_SYSTEM, "%s",
                     !ids || !map ? "monitoring the guests: out of memory"
                                  : "a monitor copies one guest's console only");
            end_all(be, g, map, k, req, &wr, &why);
            break;
        }
        wait_once(be, w, &g[map[0]], ids, k, req, deadline, &wr, &which, &why);
        if (wr.outcome == FLB_WAIT_SHUTDOWN || wr.outcome == FLB_WAIT_VANISHED)
            on_domain(be, w, &g[map[which]], map[which], req, &wr);
        else
            end_all(be, g, map, k, req, &wr, &why);
    }
    for (size_t i = 0; i < n; i++)
        if (g[i].out.outcome == FLB_WAIT_ERROR)
            rc = FLB_E_SYSTEM;
    free(ids);
    free(map);
    return rc;
}

int flb_monitor(struct flb_backend *be, struct flb_watch *w, struct flb_build_result *res,
                const struct flb_monitor_request *req, struct flb_monitor_result *out, struct flb_error *err)
{
    struct flb_monitor_guest g = {.build = req->build, .res = res};
    int rc = flb_monitor_guests(be, w, &g, 1, req);

    *out = g.out;
    if (rc)
        *err = g.err;
    return rc;
}
