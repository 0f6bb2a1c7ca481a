/* The live run: check the kernel, open Xen, build the guest, report it, and start its monitor. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/dump.h"
#include "core/kernel_check.h"
#include "core/output.h"
#include "domain/host.h"
#include "frontend/config_file.h"
#include "live.h"
#include "output/json.h"

volatile sig_atomic_t live_stop;
int live_wake_fd = -1;
static int wake_write_fd = -1;

static void on_signal(int sig)
{
    int saved = errno;

    live_stop = sig;
    /* The byte stays until read: a wait that starts after the signal still wakes at once. A full pipe wakes
     * it too. */
    ssize_t unused = write(wake_write_fd, "", 1);

    (void)unused;
    errno = saved;
}

/* No SA_RESTART: a signal must end a blocking call so the guest is destroyed promptly. */
int live_signals(void)
{
    struct sigaction sa;
    int p[2];

    if (pipe2(p, O_CLOEXEC | O_NONBLOCK) != 0)
        return -1;
    if (live_wake_fd >= 0) {
        close(live_wake_fd);
        close(wake_write_fd);
    }
    live_wake_fd = p[0];
    wake_write_fd = p[1];
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    /* A closed stdout (-c into `head`, a dead log collector) must end in a destroyed guest too. */
    sigaction(SIGPIPE, &sa, NULL);
    return 0;
}

void live_log_step(void *arg, int level, const char *msg)
{
    const struct cli_opts *opts = arg;

    if (opts->verbose >= level) {
        fputs("fixed-layout-build: ", stderr);
        flb_text_escape(stderr, msg, false);
        fputc('\n', stderr);
    }
}

static double now_ms(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
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
        fprintf(stderr, "fixed-layout-build: max_grant_version %u: the highest this Xen offers\n",
                host.max_grant_version);
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

int cli_live_run(const struct cli_opts *opts, const struct flb_config *cfg)
{
    struct flb_xen_options xo = {.verbose = opts->verbose, .xenstore = !opts->no_xenstore};
    struct flb_backend *be = NULL;
    static struct flb_plan plan;
    struct flb_build_request req;
    struct flb_build_result res;
    struct flb_watch watch = {0};
    struct flb_error err = {{0}};
    static char lockfile[4096];
    bool foreground = opts->wait || opts->console;
    FILE *rec;
    int rc, status = EXIT_FAILURE_OTHER;
    double t0;

    /* Kernel problems are the user's: say so before asking for root or Xen. So is a name JSON
     * cannot carry. */
    rc = flb_check_boot_files(cfg->kernel, cfg->ramdisk, NULL, &err);
    if (!rc && opts->format == CLI_FORMAT_JSON)
        rc = flb_json_check_string("name", cfg->name, &err);
    if (rc) {
        cli_error("%s", err.msg);
        return EXIT_USAGE;
    }
    /* A file the user named that cannot be written is theirs to fix, before anything is built. */
    rec = live_record_open(opts);
    if (!rec)
        return EXIT_USAGE;
    if (live_signals() != 0) {
        cli_error("creating the signal pipe: %s", strerror(errno));
        return EXIT_FAILURE_OTHER;
    }
    /* Timed with the build steps: opening the interfaces is part of the time to the guest. */
    t0 = now_ms();
    rc = flb_xen_open(&xo, &be, &err);
    if (rc) {
        cli_error("%s", err.msg);
        live_record_close(rec);
        return EXIT_FAILURE_OTHER;
    }
    if (opts->verbose)
        fprintf(stderr, "fixed-layout-build: opening xenctrl, foreignmemory and xenstore: %.3f ms\n",
                now_ms() - t0);
    rc = make_plan(opts, be, cfg, &plan, &err);
    if (!rc && opts->dump_dir)
        rc = flb_dump_plan(&plan, opts->dump_dir, &err);
    if (rc) {
        cli_error("%s", err.msg);
        status = cli_exit_status(rc);
        goto out;
    }
    if (!opts->no_xenstore && !be->has_xenstore)
        cli_warn(opts, "xenstored is not running: the guest is not registered (xl will not see "
                       "it); use --no-xenstore to silence this");

    memset(&req, 0, sizeof(req));
    req.plan = &plan;
    req.paused = opts->paused;
    req.use_xenstore = be->has_xenstore && !opts->no_xenstore;
    req.own_console = opts->console;
    req.stop = &live_stop;
    req.log = live_log_step;
    req.log_arg = (void *)opts;
    /* xl's lock, around the name check and creation: only names need it. */
    if (req.use_xenstore) {
        rc = flb_xl_lockfile(FLB_XL_CONF, lockfile, sizeof(lockfile), &err);
        if (rc) {
            cli_error("%s", err.msg);
            status = cli_exit_status(rc);
            goto out;
        }
        req.lock_path = lockfile;
    }
    if (flb_uuid_generate(req.uuid) != 0) {
        cli_error("getrandom for the domain's UUID: %s", strerror(errno));
        goto out;
    }
    if (!opts->no_monitor && open_watch(opts, be, req.use_xenstore, &watch) != 0)
        goto out;
    if (!foreground)
        flb_watch_close(be, &watch);

    rc = flb_build(be, &req, &res, &err);
    if (rc) {
        cli_error("%s", err.msg);
        if (res.interrupted && !res.left_behind)
            cli_error("interrupted by signal %d: nothing was left behind", (int)live_stop);
        status = cli_exit_status(rc);
        goto out;
    }
    live_record_created(opts, rec, &req, res.domid);

    if (opts->no_monitor)
        status = EXIT_OK;
    else if (foreground)
        status = live_wait(opts, rec, be, &watch, &req, &res);
    else
        status = live_detach(opts, &xo, be, &req, &res);
out:
    flb_watch_close(be, &watch);
    t0 = now_ms();
    flb_xen_close(be);
    if (opts->verbose)
        fprintf(stderr, "fixed-layout-build: closing them: %.3f ms\n", now_ms() - t0);
    live_record_close(rec);
    return status;
}
