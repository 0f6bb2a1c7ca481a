/* --wait, --timeout and --console: the monitor in the foreground, its messages, and the exit status it ends
 * with. */
#include <stdio.h>

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
    case FLB_SHUTDOWN_SOFT_RESET: *what = "asked for a soft reset"; return EXIT_GUEST_OTHER;
    case FLB_SHUTDOWN_OTHER: break;
    }
    *what = "shut down for another reason";
    return EXIT_GUEST_OTHER;
}

/* What the guest got, in words: "destroyed", "restarted"... */
static const char *done(enum flb_action action)
{
    switch (action) {
    case FLB_ACTION_DESTROY: return "destroyed";
    case FLB_ACTION_RESTART: return "restarting it";
    case FLB_ACTION_RENAME_RESTART: return "keeping it renamed and restarting it";
    case FLB_ACTION_PRESERVE: return "preserved";
    case FLB_ACTION_LEAVE: return "left as it is";
    }
    return "?";
}

struct ctx {
    const struct cli_opts *opts;
    FILE *rec;
    const char *name;
    struct flb_monitor_event last; /* the last shutdown, for the restart's record */
};

/* Restarts are news: said unless -q; the last shutdown is said by live_wait itself. */
static void report(void *arg, const struct flb_monitor_event *ev)
{
    struct ctx *c = arg;
    const char *what;

    switch (ev->kind) {
    case FLB_MONITOR_SHUTDOWN:
        c->last = *ev;
        exit_for_reason(ev->reason, &what);
        /* At -v, when it was seen, for timing the reaction against what made the guest stop. */
        if (c->opts->verbose)
            fprintf(stderr, "fixed-layout-build: domain %u %s: seen at %.6f s (CLOCK_MONOTONIC)\n", ev->domid,
                    what, ev->seen_at);
        if (ev->action == FLB_ACTION_RESTART || ev->action == FLB_ACTION_RENAME_RESTART)
            cli_warn(c->opts, "domain %u (%s) %s: %s", ev->domid, c->name, what, done(ev->action));
        break;
    case FLB_MONITOR_PRESERVED: cli_warn(c->opts, "domain %u kept as %s", ev->domid, ev->new_name); break;
    case FLB_MONITOR_RESTARTED:
        cli_warn(c->opts, "%s restarted as domain %u", c->name, ev->new_domid);
        live_record_restarted(c->opts, c->rec, ev->new_domid, ev->domid, c->last.reason, c->last.action);
        break;
    case FLB_MONITOR_RESTART_FAILED: break; /* the monitor's error says it */
    }
}

int live_wait(const struct cli_opts *opts, FILE *rec, struct flb_backend *be, struct flb_watch *w,
              const struct flb_build_request *breq, struct flb_build_result *res)
{
    const char *name = breq->plan->name;
    struct ctx c = {.opts = opts, .rec = rec, .name = name};
    struct flb_monitor_request req = {
        .build = breq,
        .timeout_s = opts->timeout_s,
        .stop = &live_stop,
        .wake_fd = live_wake_fd,
        .destroy_on_stop = true,
        .console = opts->console,
        .console_write = write_stdout,
        .report = report,
        .report_arg = &c,
    };
    struct flb_monitor_result out;
    struct flb_error err = {{0}};
    int status = EXIT_FAILURE_OTHER;
    const char *what;

    flb_monitor(be, w, res, &req, &out, &err);
    switch (out.outcome) {
    case FLB_WAIT_SHUTDOWN:
        status = exit_for_reason(out.reason, &what);
        /* A status other than 0 is a failure: the line that explains it is an error, which -q keeps. */
        if (status != EXIT_OK)
            cli_error("domain %u (%s) %s: %s", out.domid, name, what, done(out.action));
        else if (opts->verbose)
            cli_warn(opts, "domain %u (%s) %s: %s", out.domid, name, what, done(out.action));
        break;
    case FLB_WAIT_TIMEOUT:
        cli_error("timeout: domain %u (%s) still running after %u s, destroying it", out.domid, name,
                  opts->timeout_s);
        status = EXIT_TIMEOUT;
        break;
    case FLB_WAIT_STOPPED:
        cli_error("interrupted by signal %d: destroying domain %u (%s)", out.signal, out.domid, name);
        break;
    case FLB_WAIT_VANISHED:
        cli_error("domain %u (%s) disappeared: destroyed by someone else", out.domid, name);
        break;
    case FLB_WAIT_OUTPUT_FAILED:
        cli_error("writing the console to standard output failed: destroying domain %u (%s)", out.domid,
                  name);
        break;
    case FLB_WAIT_ERROR: cli_error("%s", err.msg); break;
    }
    /* Reported apart: it does not change why we stopped. */
    if (out.destroy_failed)
        cli_error("%s", out.destroy_err.msg);
    live_record_ended(opts, rec, name, &out, status);
    return status;
}
