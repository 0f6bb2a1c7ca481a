/* --wait, --timeout and --console: the monitor in the foreground, its messages, and the exit status it ends
 * with. */
#include <stdio.h>
#include <stdlib.h>

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
    struct live_fleet *fleet;
    size_t *index;                  /* the monitor's guest i is the fleet's guest index[i] */
    struct flb_monitor_event *last; /* each guest's last shutdown, for its restart's record */
};

static struct live_guest *guest_of(const struct ctx *c, size_t guest)
{
    return &c->fleet->g[c->index[guest]];
}

static const char *name_of(const struct ctx *c, size_t guest)
{
    return guest_of(c, guest)->plan.name;
}

/* Restarts are news: said unless -q; the last shutdown is said once the guest is done (ended). */
static void report(void *arg, const struct flb_monitor_event *ev)
{
    struct ctx *c = arg;
    struct flb_monitor_event *last = &c->last[ev->guest];
    const char *what;

    switch (ev->kind) {
    case FLB_MONITOR_SHUTDOWN:
        *last = *ev;
        exit_for_reason(ev->reason, &what);
        /* At -v, when it was seen, for timing the reaction against what made the guest stop. */
        if (c->opts->verbose)
            fprintf(stderr, "fixed-layout-build: domain %u %s: seen at %.6f s (CLOCK_MONOTONIC)\n", ev->domid,
                    what, ev->seen_at);
        if (ev->action == FLB_ACTION_RESTART || ev->action == FLB_ACTION_RENAME_RESTART)
            cli_warn(c->opts, "domain %u (%s) %s: %s", ev->domid, name_of(c, ev->guest), what,
                     done(ev->action));
        break;
    case FLB_MONITOR_PRESERVED: cli_warn(c->opts, "domain %u kept as %s", ev->domid, ev->new_name); break;
    case FLB_MONITOR_RESTARTED:
        cli_warn(c->opts, "%s restarted as domain %u", name_of(c, ev->guest), ev->new_domid);
        live_record_restarted(c->opts, c->rec, ev->new_domid, ev->domid, last->reason, last->action);
        break;
    case FLB_MONITOR_RESTART_FAILED: break; /* the monitor's error says it */
    }
}

/* One guest is done: why, in words, its status, and its ended record. */
static void ended(void *arg, size_t guest, const struct flb_monitor_guest *mg)
{
    struct ctx *c = arg;
    const struct cli_opts *opts = c->opts;
    const struct flb_monitor_result *out = &mg->out;
    const char *name = name_of(c, guest), *what;
    int status = EXIT_FAILURE_OTHER;

    switch (out->outcome) {
    case FLB_WAIT_SHUTDOWN:
        status = exit_for_reason(out->reason, &what);
        /* A status other than 0 is a failure: the line that explains it is an error, which -q keeps. */
        if (status != EXIT_OK)
            cli_error("domain %u (%s) %s: %s", out->domid, name, what, done(out->action));
        else if (opts->verbose)
            cli_warn(opts, "domain %u (%s) %s: %s", out->domid, name, what, done(out->action));
        break;
    case FLB_WAIT_TIMEOUT:
        cli_error("timeout: domain %u (%s) still running after %u s, destroying it", out->domid, name,
                  opts->timeout_s);
        status = EXIT_TIMEOUT;
        break;
    case FLB_WAIT_STOPPED:
        cli_error("interrupted by signal %d: destroying domain %u (%s)", out->signal, out->domid, name);
        break;
    case FLB_WAIT_VANISHED:
        cli_error("domain %u (%s) disappeared: destroyed by someone else", out->domid, name);
        break;
    case FLB_WAIT_OUTPUT_FAILED:
        cli_error("writing the console to standard output failed: destroying domain %u (%s)", out->domid,
                  name);
        break;
    case FLB_WAIT_ERROR: cli_error("%s", mg->err.msg); break;
    }
    /* Reported apart: it does not change why we stopped. */
    if (out->destroy_failed)
        cli_error("%s", out->destroy_err.msg);
    live_record_ended(opts, c->rec, name, out, status);
    guest_of(c, guest)->status = status;
}

int live_wait(const struct cli_opts *opts, FILE *rec, struct flb_backend *be, struct flb_watch *w,
              struct live_fleet *fleet)
{
    struct ctx c = {.opts = opts, .rec = rec, .fleet = fleet};
    struct flb_monitor_request req = {
        .timeout_s = opts->timeout_s,
        .stop = &live_stop,
        .wake_fd = live_wake_fd,
        .destroy_on_stop = true,
        .console = opts->console,
        .console_write = write_stdout,
        .report = report,
        .ended = ended,
        .report_arg = &c,
    };
    struct flb_monitor_guest *mg = calloc((size_t)fleet->n, sizeof(*mg));
    size_t k = 0;

    c.index = calloc((size_t)fleet->n, sizeof(*c.index));
    c.last = calloc((size_t)fleet->n, sizeof(*c.last));
    if (!mg || !c.index || !c.last) {
        cli_error("monitoring the guests: out of memory; destroying them");
        for (int i = 0; i < fleet->n; i++)
            if (fleet->g[i].built) {
                struct flb_error err = {{0}};
                if (flb_teardown(be, &fleet->g[i].res, &err) != 0)
                    cli_error("%s", err.msg);
                fleet->g[i].status = EXIT_FAILURE_OTHER;
            }
        goto out;
    }
    /* The guests that were built (all of them, unless --keep-going went past a failure). */
    for (int i = 0; i < fleet->n; i++)
        if (fleet->g[i].built) {
            mg[k] = (struct flb_monitor_guest){.build = &fleet->g[i].req, .res = &fleet->g[i].res};
            c.index[k++] = (size_t)i;
        }
    flb_monitor_guests(be, w, mg, k, &req);
out:
    free(mg);
    free(c.index);
    free(c.last);
    for (int i = 0; i < fleet->n; i++)
        if (fleet->g[i].status != EXIT_OK)
            return fleet->g[i].status;
    return EXIT_OK;
}
