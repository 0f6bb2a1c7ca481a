/* Waiting for a built guest to stop: polling its state, copying its console, destroying it at the end. */
#include "domain/wait.h"

#include <errno.h>
#include <string.h>
#include <time.h>

#include <xen/xen.h>
#include <xen/sched.h>

#include "domain/console.h"

static double now_s(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void sleep_ms(int ms)
{
    struct timespec t = {ms / 1000, (long)(ms % 1000) * 1000000L};

    nanosleep(&t, NULL); /* EINTR is fine: the loop checks the stop flag */
}

static enum flb_shutdown_reason reason_of(unsigned code)
{
    switch (code) {
    case SHUTDOWN_poweroff: return FLB_SHUTDOWN_POWEROFF;
    case SHUTDOWN_reboot: return FLB_SHUTDOWN_REBOOT;
    case SHUTDOWN_suspend: return FLB_SHUTDOWN_SUSPEND;
    case SHUTDOWN_crash: return FLB_SHUTDOWN_CRASH;
    case SHUTDOWN_watchdog: return FLB_SHUTDOWN_WATCHDOG;
    case SHUTDOWN_soft_reset: return FLB_SHUTDOWN_SOFT_RESET;
    default: return FLB_SHUTDOWN_OTHER;
    }
}

static size_t drain(struct flb_backend *be, struct flb_console *con, struct flb_wait_result *out)
{
    size_t n = con->page ? flb_console_drain(be, con) : 0;

    out->console_bytes += n;
    return n;
}

/* Polls until something ends the wait; the console stays open for the caller's last drain. */
static void poll_until_done(struct flb_backend *be, struct flb_build_result *res,
                            const struct flb_wait_request *req, struct flb_console *con,
                            struct flb_wait_result *out, struct flb_error *err)
{
    double deadline = req->timeout_s ? now_s() + req->timeout_s : 0;
    int poll_ms = req->poll_ms > 0 ? req->poll_ms : FLB_WAIT_POLL_MS;

    for (;;) {
        struct flb_domain_state st;

        drain(be, con, out);
        if (con->output_failed) {
            out->outcome = FLB_WAIT_OUTPUT_FAILED;
            return;
        }
        if (req->stop && *req->stop) {
            out->outcome = FLB_WAIT_STOPPED;
            out->signal = (int)*req->stop;
            return;
        }
        if (be->ops->domain_getinfo(be->ctx, res->domid, &st) != 0) {
            if (errno == ESRCH) {
                /* Not ours to destroy any more; the teardown still removes our nodes. */
                out->outcome = FLB_WAIT_VANISHED;
                res->created = false;
            } else {
                out->outcome = FLB_WAIT_ERROR;
                flb_fail(err, FLB_E_SYSTEM, "waiting for domain %u: xc_domain_getinfo: %s", res->domid,
                         strerror(errno));
            }
            return;
        }
        if (st.shutdown) {
            out->outcome = FLB_WAIT_SHUTDOWN;
            out->xen_reason = st.shutdown_reason;
            out->reason = reason_of(st.shutdown_reason);
            return;
        }
        if (deadline && now_s() >= deadline) {
            out->outcome = FLB_WAIT_TIMEOUT;
            return;
        }
        if (con->bound) {
            bool fired;

            /* A failure (EINTR included) only ends this wait early: the loop checks again. */
            be->ops->evtchn_wait(be->ctx, poll_ms, &fired);
        } else {
            sleep_ms(poll_ms);
        }
    }
}

int flb_wait(struct flb_backend *be, struct flb_build_result *res, const struct flb_wait_request *req,
             struct flb_wait_result *out, struct flb_error *err)
{
    struct flb_console con;

    memset(out, 0, sizeof(*out));
    memset(&con, 0, sizeof(con));
    if (req->console && flb_console_open(be, res, req->console_write, req->console_arg, &con, err) != 0) {
        out->outcome = FLB_WAIT_ERROR;
    } else {
        poll_until_done(be, res, req, &con, out, err);
        /* What the guest wrote while it stopped. */
        drain(be, &con, out);
    }
    flb_console_close(be, &con);
    if (flb_teardown(be, res, &out->destroy_err) != 0)
        out->destroy_failed = true;
    return out->outcome == FLB_WAIT_ERROR ? FLB_E_SYSTEM : 0;
}
