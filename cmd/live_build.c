/* The live run once Xen is open: ask the host, plan, build the guest, report it, and wait if asked. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/dump.h"
#include "core/output.h"
#include "domain/host.h"
#include "live.h"
#include "output/json.h"

volatile sig_atomic_t live_stop;

double cli_now_ms(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

/* A random (version 4) UUID for the domain handle and its /vm path. */
static int make_uuid(uint8_t u[16])
{
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    ssize_t n = fd >= 0 ? read(fd, u, 16) : -1;

    if (fd >= 0)
        close(fd);
    if (n != 16)
        return -1;
    u[6] = (uint8_t)((u[6] & 0x0f) | 0x40);
    u[8] = (uint8_t)((u[8] & 0x3f) | 0x80);
    return 0;
}

/* The library's progress lines (each build step's time among them), escaped by cli_verbose. */
static void log_step(void *arg, int level, const char *msg)
{
    const struct cli_opts *opts = arg;

    if (opts->verbose >= level)
        cli_verbose("%s", msg);
}

/* The name was checked before the build (cli_live_run): the JSON line cannot fail once the guest exists. */
static void print_created(const struct cli_opts *opts, uint32_t domid, const char *name)
{
    struct flb_error err = {{0}};

    if (opts->format == CLI_FORMAT_JSON) {
        if (flb_output_json_created(stdout, domid, name, &err))
            cli_error("%s", err.msg);
    } else if (!opts->quiet) {
        printf("created domain %u (", domid);
        flb_text_escape(stdout, name, false);
        printf(")\n");
    }
    fflush(stdout);
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

int live_build(const struct cli_opts *opts, struct flb_backend *be, const struct flb_config *cfg)
{
    struct flb_plan plan;
    struct flb_build_request req;
    struct flb_build_result res;
    struct flb_error err = {{0}};
    int rc;

    double t0 = cli_now_ms();

    rc = make_plan(opts, be, cfg, &plan, &err);
    if (opts->verbose)
        cli_verbose("asking Xen and planning: %.3f ms", cli_now_ms() - t0);
    if (!rc && opts->dump_dir)
        rc = flb_dump_plan(&plan, opts->dump_dir, &err);
    if (rc) {
        cli_error("%s", err.msg);
        return cli_exit_status(rc);
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
    req.log = log_step;
    req.log_arg = (void *)opts;
    if (make_uuid(req.uuid) != 0) {
        cli_error("reading /dev/urandom for the domain's UUID failed");
        return EXIT_FAILURE_OTHER;
    }

    rc = flb_build(be, &req, &res, &err);
    if (rc) {
        cli_error("%s", err.msg);
        if (res.interrupted && !res.left_behind)
            cli_error("interrupted by signal %d: nothing was left behind", (int)live_stop);
        return cli_exit_status(rc);
    }
    print_created(opts, res.domid, cfg->name);

    /* Nobody else watches a guest we stream or wait for: we also end it. */
    if (opts->wait || opts->console)
        return live_wait(opts, be, &res, cfg->name);
    return EXIT_OK;
}
