/*
 * The live run once Xen is open: ask the host, plan, build the guest, report it, and monitor it in the
 * foreground or leave it to the detached monitor.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/dump.h"
#include "core/output.h"
#include "domain/host.h"
#include "live.h"

volatile sig_atomic_t live_stop;
int live_wake_fd = -1;

double cli_now_ms(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

/* The library's progress lines (each build step's time among them), escaped by cli_verbose. */
void live_log_step(void *arg, int level, const char *msg)
{
    const struct cli_opts *opts = arg;

    if (opts->verbose >= level)
        cli_verbose("%s", msg);
}

/* The host's facts, then the plan: what the config leaves to Xen, Xen decides, as with xl. */
static int make_plan(const struct cli_opts *opts, struct flb_backend *be, const struct flb_config *cfg,
                     struct flb_plan *plan, struct flb_error *err)
{
    struct flb_host host;
    int rc = flb_host_query(be, &host, err);

    if (rc)
        return rc;
    if (opts->verbose && cfg->max_grant_version == FLB_UNSET)
        cli_verbose("max_grant_version %u: the highest this Xen offers", host.max_grant_version);
    return flb_plan_make(cfg, &host, plan, err);
}

/*
 * The watch the monitor will use, opened before anything is built so that a
 * host where no monitor can run is refused with nothing created. A detached
 * monitor opens its own: this one only proves it can be had.
 */
static int open_watch(const struct cli_opts *opts, struct flb_backend *be, bool introduced,
                      struct flb_watch *w)
{
    struct flb_error err = {{0}};

    if (flb_watch_open(be, introduced, w, &err) == 0)
        return 0;
    if (introduced)
        cli_error("%s", err.msg);
    else if (opts->no_xenstore)
        cli_error("%s: with --no-xenstore the monitor needs that VIRQ, which xenstored holds when it runs; "
                  "-e builds the guest without a monitor",
                  err.msg);
    else
        cli_error("%s: without xenstored only one process can watch for guests' shutdowns; -e builds the "
                  "guest without a monitor",
                  err.msg);
    return -1;
}

/* Plans and fills the request: everything but the build itself. An exit status, or -1 to go on. */
static int prepare(const struct cli_opts *opts, const struct live_env *env, struct flb_backend *be,
                   const struct flb_config *cfg, struct live_guest *g)
{
    struct flb_build_request *req = &g->req;
    struct flb_error err = {{0}};
    int rc;

    double t0 = cli_now_ms();

    rc = make_plan(opts, be, cfg, &g->plan, &err);
    if (opts->verbose)
        cli_verbose("asking Xen and planning: %.3f ms", cli_now_ms() - t0);
    if (!rc && opts->dump_dir)
        rc = flb_dump_plan(&g->plan, opts->dump_dir, &err);
    if (rc) {
        cli_error("%s", err.msg);
        return cli_exit_status(rc);
    }
    if (!opts->no_xenstore && !be->has_xenstore)
        cli_warn(opts, "xenstored is not running: the guest is not registered (xl will not see "
                       "it); use --no-xenstore to silence this");

    memset(req, 0, sizeof(*req));
    req->plan = &g->plan;
    req->paused = opts->paused;
    req->use_xenstore = be->has_xenstore && !opts->no_xenstore;
    req->own_console = opts->console;
    req->stop = &live_stop;
    req->log = live_log_step;
    req->log_arg = (void *)opts;
    /* xl's lock, around the name check and creation: only names need it. */
    req->lock_path = req->use_xenstore ? env->lock_path : NULL;
    if (flb_uuid_generate(req->uuid) != 0) {
        cli_error("getrandom for the domain's UUID: %s", strerror(errno));
        return EXIT_FAILURE_OTHER;
    }
    return -1;
}

int live_build(const struct cli_opts *opts, const struct live_env *env, struct flb_backend *be,
               const struct flb_config *cfg, struct live_guest *g)
{
    struct flb_watch watch = {0};
    struct flb_error err = {{0}};
    bool foreground = opts->wait || opts->console;
    double t0;
    int rc, status;

    g->detach = false;
    status = prepare(opts, env, be, cfg, g);
    if (status >= 0)
        return status;
    if (!opts->no_monitor) {
        t0 = cli_now_ms();
        if (open_watch(opts, be, g->req.use_xenstore, &watch) != 0)
            return EXIT_FAILURE_OTHER;
        if (!foreground)
            flb_watch_close(be, &watch);
        if (opts->verbose)
            cli_verbose("opening the monitor's watch: %.3f ms", cli_now_ms() - t0);
    }

    rc = flb_build(be, &g->req, &g->res, &err);
    if (rc) {
        cli_error("%s", err.msg);
        if (g->res.interrupted && !g->res.left_behind)
            cli_error("interrupted by signal %d: nothing was left behind", (int)live_stop);
        flb_watch_close(be, &watch);
        return cli_exit_status(rc);
    }
    t0 = cli_now_ms();
    live_record_created(opts, env->rec, &g->req, g->res.domid);
    if (opts->verbose)
        cli_verbose("recording the creation: %.3f ms", cli_now_ms() - t0);

    if (opts->no_monitor) {
        status = EXIT_OK;
    } else if (foreground) {
        status = live_wait(opts, env->rec, be, &watch, &g->req, &g->res);
    } else {
        g->detach = true;
        status = EXIT_OK;
    }
    flb_watch_close(be, &watch);
    return status;
}
