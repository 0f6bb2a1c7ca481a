/* The live run: check the kernel, open Xen, build on it (live_build.c), close it. */
#include <stdio.h>
#include <string.h>

#include "core/kernel_check.h"
#include "live.h"
#include "output/json.h"
#include "flb_xen/xen_backend.h"

static void on_signal(int sig)
{
    live_stop = sig;
}

/* No SA_RESTART: a signal must wake a waiting poll so the guest is destroyed promptly. */
static void install_signals(void)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    /* A closed stdout (-c into `head`, a dead log collector) must end in a destroyed guest too. */
    sigaction(SIGPIPE, &sa, NULL);
}

int cli_live_run(const struct cli_opts *opts, const struct flb_config *cfg)
{
    struct flb_xen_options xo = {.verbose = opts->verbose, .xenstore = !opts->no_xenstore};
    struct flb_backend *be = NULL;
    struct flb_error err = {{0}};
    int rc, status;
    double t0;

    /* Kernel problems are the user's: say so before asking for root or Xen. So is a name JSON
     * cannot carry. */
    t0 = cli_now_ms();
    rc = flb_check_boot_files(cfg->kernel, cfg->ramdisk, NULL, &err);
    if (!rc && opts->format == CLI_FORMAT_JSON)
        rc = flb_json_check_string("name", cfg->name, &err);
    if (rc) {
        cli_error("%s", err.msg);
        return EXIT_USAGE;
    }
    if (opts->verbose)
        cli_verbose("checking the kernel: %.3f ms", cli_now_ms() - t0);
    install_signals();
    /* Timed with the build steps: opening the interfaces is part of the time to the guest. */
    t0 = cli_now_ms();
    rc = flb_xen_open(&xo, &be, &err);
    if (rc) {
        cli_error("%s", err.msg);
        return EXIT_FAILURE_OTHER;
    }
    if (opts->verbose)
        cli_verbose("opening xenctrl and xenstore: %.3f ms", cli_now_ms() - t0);
    status = live_build(opts, be, cfg);
    t0 = cli_now_ms();
    flb_xen_close(be);
    if (opts->verbose)
        cli_verbose("closing xenctrl and xenstore: %.3f ms", cli_now_ms() - t0);
    /* Last, so that it counts every line before it. */
    if (opts->verbose)
        cli_verbose("writing the -v lines: %.3f ms", cli_verbose_ms());
    return status;
}
