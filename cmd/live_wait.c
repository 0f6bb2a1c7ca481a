/* --wait, --timeout and --console: watching a built guest until it shuts down, then destroying it. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <xen/xen.h>
#include <xen/sched.h>

#include "live.h"

/* How often the domain's state is polled, when no console event wakes us sooner. */
#define POLL_MS 100

static double now_s(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void sleep_ms(int ms)
{
    struct timespec t = { ms / 1000, (long)(ms % 1000) * 1000000L };

    nanosleep(&t, NULL); /* EINTR is fine: the loop checks the stop flag */
}

static int exit_for_reason(unsigned reason, const char **what)
{
    switch (reason) {
    case SHUTDOWN_poweroff: *what = "powered off"; return EXIT_OK;
    case SHUTDOWN_crash: *what = "crashed"; return EXIT_GUEST_CRASHED;
    case SHUTDOWN_reboot: *what = "asked to reboot"; return EXIT_GUEST_REBOOTED;
    case SHUTDOWN_watchdog: *what = "was stopped by its watchdog"; return EXIT_GUEST_WATCHDOG;
    case SHUTDOWN_suspend: *what = "suspended"; return EXIT_GUEST_OTHER;
    default: *what = "shut down for another reason"; return EXIT_GUEST_OTHER;
    }
}

/* Destroys the guest; a failure here is reported but does not change why we stopped. */
static void destroy(struct flb_backend *be, struct flb_build_result *res)
{
    struct flb_error err = { { 0 } };

    if (flb_teardown(be, res, &err) != 0)
        cli_error("%s", err.msg);
}

int live_wait(const struct cli_opts *opts, struct flb_backend *be, struct flb_build_result *res,
              const char *name)
{
    struct live_console con = { 0 };
    struct flb_error err = { { 0 } };
    double deadline = opts->timeout_s ? now_s() + opts->timeout_s : 0;
    uint32_t domid = res->domid;
    int status = EXIT_FAILURE_OTHER;

    if (opts->console && live_console_open(be, res, &con, &err) != 0) {
        cli_error("%s", err.msg);
        destroy(be, res);
        return EXIT_FAILURE_OTHER;
    }
    for (;;) {
        struct flb_domain_state st;
        const char *what;

        if (con.page)
            live_console_drain(be, &con);
        if (con.output_failed) {
            cli_error("writing the console to standard output failed: destroying domain %u (%s)",
                      domid, name);
            status = EXIT_FAILURE_OTHER;
            break;
        }
        if (live_stop) {
            cli_error("interrupted by signal %d: destroying domain %u (%s)", (int)live_stop, domid,
                      name);
            break;
        }
        if (be->ops->domain_getinfo(be->ctx, domid, &st) != 0) {
            if (errno == ESRCH) {
                cli_error("domain %u (%s) disappeared: destroyed by someone else", domid, name);
                res->created = false;
            } else {
                cli_error("waiting for domain %u: xc_domain_getinfo: %s", domid, strerror(errno));
            }
            break;
        }
        if (st.shutdown) {
            status = exit_for_reason(st.shutdown_reason, &what);
            if (status != EXIT_OK || opts->verbose)
                cli_warn(opts, "domain %u (%s) %s", domid, name, what);
            break;
        }
        if (deadline && now_s() >= deadline) {
            cli_error("timeout: domain %u (%s) still running after %u s, destroying it", domid,
                      name, opts->timeout_s);
            status = EXIT_TIMEOUT;
            break;
        }
        if (con.bound) {
            bool fired;
            be->ops->evtchn_wait(be->ctx, POLL_MS, &fired);
        } else {
            sleep_ms(POLL_MS);
        }
    }
    if (con.page)
        live_console_drain(be, &con);
    live_console_close(be, &con);
    destroy(be, res);
    return status;
}
