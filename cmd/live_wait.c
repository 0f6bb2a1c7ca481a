/* --wait, --timeout and --console: the guest's console to stdout, and why it stopped as a message and a
 * status. */
#include <stdio.h>

#include "domain/wait.h"
#include "live.h"

/* -c: the guest's console bytes as they come; a closed stdout ends the wait. */
static int write_stdout(void *arg, const void *buf, size_t n)
{
    (void)arg;
    if (fwrite(buf, 1, n, stdout) != n || fflush(stdout) != 0)
        return -1;
    return 0;
}

static int exit_for_reason(enum flb_shutdown_reason reason, const char **what)
{
    switch (reason) {
    case FLB_SHUTDOWN_POWEROFF: *what = "powered off"; return EXIT_OK;
    case FLB_SHUTDOWN_CRASH: *what = "crashed"; return EXIT_GUEST_CRASHED;
    case FLB_SHUTDOWN_REBOOT: *what = "asked to reboot"; return EXIT_GUEST_REBOOTED;
    case FLB_SHUTDOWN_WATCHDOG: *what = "was stopped by its watchdog"; return EXIT_GUEST_WATCHDOG;
    case FLB_SHUTDOWN_SUSPEND: *what = "suspended"; return EXIT_GUEST_OTHER;
    case FLB_SHUTDOWN_SOFT_RESET:
    case FLB_SHUTDOWN_OTHER: break;
    }
    *what = "shut down for another reason";
    return EXIT_GUEST_OTHER;
}

int live_wait(const struct cli_opts *opts, struct flb_backend *be, struct flb_build_result *res,
              const char *name)
{
    struct flb_wait_request req = {
        .timeout_s = opts->timeout_s,
        .console = opts->console,
        .stop = &live_stop,
        .console_write = write_stdout,
    };
    struct flb_wait_result out;
    struct flb_error err = {{0}};
    uint32_t domid = res->domid;
    int status = EXIT_FAILURE_OTHER;
    const char *what;

    flb_wait(be, res, &req, &out, &err);
    switch (out.outcome) {
    case FLB_WAIT_SHUTDOWN:
        status = exit_for_reason(out.reason, &what);
        /* A status other than 0 is a failure: the line that explains it is an error, which -q keeps. */
        if (status != EXIT_OK)
            cli_error("domain %u (%s) %s", domid, name, what);
        else if (opts->verbose)
            cli_warn(opts, "domain %u (%s) %s", domid, name, what);
        break;
    case FLB_WAIT_TIMEOUT:
        cli_error("timeout: domain %u (%s) still running after %u s, destroying it", domid, name,
                  opts->timeout_s);
        status = EXIT_TIMEOUT;
        break;
    case FLB_WAIT_STOPPED:
        cli_error("interrupted by signal %d: destroying domain %u (%s)", out.signal, domid, name);
        break;
    case FLB_WAIT_VANISHED:
        cli_error("domain %u (%s) disappeared: destroyed by someone else", domid, name);
        break;
    case FLB_WAIT_OUTPUT_FAILED:
        cli_error("writing the console to standard output failed: destroying domain %u (%s)", domid, name);
        break;
    case FLB_WAIT_ERROR: cli_error("%s", err.msg); break;
    }
    /* Reported apart: it does not change why we stopped. */
    if (out.destroy_failed)
        cli_error("%s", out.destroy_err.msg);
    return status;
}
