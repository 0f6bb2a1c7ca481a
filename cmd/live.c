/* The live run: check the kernels, open Xen once, build the guests on it (live_build.c), start the detached
 * monitor, close it. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/kernel_check.h"
#include "frontend/config_file.h"
#include "flb_xen/xen_backend.h"
#include "live.h"
#include "output/json.h"

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

/*
 * Kernel problems are the user's: said before asking for root or Xen, for every guest before the
 * first is built. So is a name JSON cannot carry.
 */
static int check_inputs(const struct cli_opts *opts, const struct flb_config *cfgs, int n)
{
    for (int i = 0; i < n; i++) {
        struct flb_error err = {{0}};
        int rc = flb_check_boot_files(cfgs[i].kernel, cfgs[i].ramdisk, NULL, &err);

        if (!rc && opts->format == CLI_FORMAT_JSON)
            rc = flb_json_check_string("name", cfgs[i].name, &err);
        if (rc) {
            if (n > 1)
                cli_error("%s: %s", cfgs[i].source, err.msg);
            else
                cli_error("%s", err.msg);
            return EXIT_USAGE;
        }
    }
    return -1;
}

int cli_live_run(const struct cli_opts *opts, const struct flb_config *cfgs, int n)
{
    struct flb_xen_options xo = {.verbose = opts->verbose, .xenstore = !opts->no_xenstore};
    struct live_env env = {0};
    static char lockfile[4096];
    /* The plans are large, and a detached monitor keeps using them. */
    struct live_fleet fleet = {.g = calloc((size_t)n, sizeof(*fleet.g)), .n = n};
    struct flb_backend *be = NULL;
    struct flb_error err = {{0}};
    int rc, status;
    double t0;

    if (!fleet.g) {
        cli_error("out of memory");
        return EXIT_FAILURE_OTHER;
    }
    t0 = cli_now_ms();
    status = check_inputs(opts, cfgs, n);
    if (status >= 0)
        goto done;
    if (opts->verbose)
        cli_verbose("checking the kernel%s: %.3f ms", n > 1 ? "s" : "", cli_now_ms() - t0);
    /* A file the user named that cannot be written is theirs to fix, before anything is built. */
    t0 = cli_now_ms();
    env.rec = live_record_open(opts);
    if (!env.rec) {
        status = EXIT_USAGE;
        goto done;
    }
    if (live_signals() != 0) {
        cli_error("creating the signal pipe: %s", strerror(errno));
        status = EXIT_FAILURE_OTHER;
        goto closed;
    }
    if (opts->verbose)
        cli_verbose("opening the records and the signal pipe: %.3f ms", cli_now_ms() - t0);
    /* Timed with the build steps: opening the interfaces is part of the time to the guest. Once for all. */
    t0 = cli_now_ms();
    rc = flb_xen_open(&xo, &be, &err);
    if (rc) {
        cli_error("%s", err.msg);
        status = EXIT_FAILURE_OTHER;
        goto closed;
    }
    if (opts->verbose)
        cli_verbose("opening xenctrl and xenstore: %.3f ms", cli_now_ms() - t0);
    /* xl's lock file, which xl.conf names: needed only with xenstore, where names are checked. */
    if (be->has_xenstore && !opts->no_xenstore) {
        t0 = cli_now_ms();
        rc = flb_xl_lockfile(FLB_XL_CONF, lockfile, sizeof(lockfile), &err);
        if (rc) {
            cli_error("%s", err.msg);
            status = cli_exit_status(rc);
            goto out;
        }
        env.lock_path = lockfile;
        if (opts->verbose)
            cli_verbose("reading xl.conf for the lock file: %.3f ms", cli_now_ms() - t0);
    }
    status = live_build(opts, &env, be, cfgs, &fleet);
    if (fleet.detach) {
        /* -v times its two parts itself: the fork, and the wait for the monitor to watch. */
        int started = live_detach(opts, &xo, be, &fleet);

        /* The first failure of a build (--keep-going) stays the status; else the monitor's. */
        if (status == EXIT_OK)
            status = started;
    }
out:
    t0 = cli_now_ms();
    flb_xen_close(be);
    if (opts->verbose)
        cli_verbose("closing xenctrl and xenstore: %.3f ms", cli_now_ms() - t0);
closed:
    live_record_close(env.rec);
    /* Last, so that it counts every line before it. */
    if (opts->verbose)
        cli_verbose("writing the -v lines: %.3f ms", cli_verbose_ms());
done:
    free(fleet.g);
    return status;
}
