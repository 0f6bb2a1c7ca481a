/*
 * The live run once Xen is open: ask the host, plan every guest, build them one after the other, report
 * them, and monitor them in the foreground or leave them to the detached monitor.
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

/*
 * The watch the monitor will use, opened before anything is built so that a
 * host where no monitor can run is refused with nothing created. A detached
 * monitor opens its own: this one only proves it can be had, which is in doubt
 * only without xenstore, where one process of dom0 alone can hold the VIRQ.
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

/* One guest's plan and request: everything but the build itself. An exit status, or -1 to go on. */
static int prepare_one(const struct cli_opts *opts, const struct live_env *env, struct flb_backend *be,
                       const struct flb_host *host, const struct flb_config *cfg, struct live_fleet *fleet,
                       struct live_guest *g)
{
    struct flb_build_request *req = &g->req;
    struct flb_error err = {{0}};
    char who[512];
    int rc;

    rc = flb_plan_make(cfg, host, &g->plan, &err);
    if (!rc && opts->dump_dir)
        rc = flb_dump_plan(&g->plan, opts->dump_dir, &err);
    if (rc) {
        size_t n = strlen(cfg->source);

        /* The plan has no name yet: the config's. A message that names the file already gets the name. */
        g->plan.name = cfg->name;
        if (fleet->n > 1 && !strncmp(err.msg, cfg->source, n) && err.msg[n] == ':')
            cli_error("%s (%s)%s", cfg->source, cfg->name, err.msg + n);
        else
            cli_error("%s%s", live_who(fleet, g, who, sizeof(who)), err.msg);
        return cli_exit_status(rc);
    }
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

/*
 * The host's facts once, then every guest's plan and request, before anything is built: what the
 * configs leave to Xen, Xen decides, as with xl. An exit status, or -1 to go on.
 */
static int prepare(const struct cli_opts *opts, const struct live_env *env, struct flb_backend *be,
                   const struct flb_config *cfgs, struct live_fleet *fleet)
{
    struct flb_error err = {{0}};
    struct flb_host host;
    double t0 = cli_now_ms();
    int status = -1;

    if (flb_host_query(be, &host, &err) != 0) {
        cli_error("%s", err.msg);
        return EXIT_FAILURE_OTHER;
    }
    for (int i = 0; status < 0 && i < fleet->n; i++) {
        fleet->g[i].config_path = cfgs[i].source;
        if (opts->verbose && cfgs[i].max_grant_version == FLB_UNSET)
            cli_verbose("max_grant_version %u: the highest this Xen offers", host.max_grant_version);
        status = prepare_one(opts, env, be, &host, &cfgs[i], fleet, &fleet->g[i]);
    }
    if (opts->verbose)
        cli_verbose("asking Xen and planning: %.3f ms", cli_now_ms() - t0);
    if (status < 0 && !opts->no_xenstore && !be->has_xenstore)
        cli_warn(opts, "xenstored is not running: the guest is not registered (xl will not see "
                       "it); use --no-xenstore to silence this");
    return status;
}

int live_build(const struct cli_opts *opts, const struct live_env *env, struct flb_backend *be,
               const struct flb_config *cfgs, struct live_fleet *fleet)
{
    struct flb_watch watch = {0};
    bool foreground = opts->wait || opts->console, any = false;
    double t0;
    int status;

    fleet->detach = false;
    for (int i = 0; i < fleet->n; i++) {
        memset(&fleet->g[i].res, 0, sizeof(fleet->g[i].res));
        fleet->g[i].built = false;
        fleet->g[i].status = EXIT_OK;
    }
    status = prepare(opts, env, be, cfgs, fleet);
    if (status >= 0)
        return status;
    /*
     * A detached monitor's xenstore watch can be had by any process that reaches xenstored, as this
     * one does: not proved on the way to the guest. Should it still fail, the guests are destroyed
     * (live_detach).
     */
    if (!opts->no_monitor && (foreground || !fleet->g[0].req.use_xenstore)) {
        t0 = cli_now_ms();
        if (open_watch(opts, be, fleet->g[0].req.use_xenstore, &watch) != 0)
            return EXIT_FAILURE_OTHER;
        if (!foreground)
            flb_watch_close(be, &watch);
        if (opts->verbose)
            cli_verbose("opening the monitor's watch: %.3f ms", cli_now_ms() - t0);
    }

    status = live_build_all(opts, be, fleet);
    if (status >= 0) {
        flb_watch_close(be, &watch);
        return status;
    }
    /* Once they are all built: every guest a record stands for is there when the command returns. */
    t0 = cli_now_ms();
    for (int i = 0; i < fleet->n; i++)
        if (fleet->g[i].built) {
            live_record_created(opts, env->rec, &fleet->g[i].req, fleet->g[i].res.domid);
            any = true;
        }
    if (opts->verbose)
        cli_verbose("recording the creation: %.3f ms", cli_now_ms() - t0);

    if (any && !opts->no_monitor && foreground)
        live_wait(opts, env->rec, be, &watch, fleet);
    else if (any && !opts->no_monitor)
        fleet->detach = true;
    flb_watch_close(be, &watch);
    return live_first_failure(fleet);
}
