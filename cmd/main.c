/* fixed-layout-build: read every config, then print the plans or build the guests. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static int load_config(const struct cli_opts *opts, const struct cli_guest *g, struct flb_config *cfg,
                       struct flb_error *err)
{
    int rc = flb_config_load_file(cfg, g->config_path, opts->config_format, err);

    for (int i = 0; !rc && i < g->nr_overrides; i++)
        rc = flb_config_apply_override(cfg, g->overrides[i], err);
    if (!rc)
        rc = flb_config_finish(cfg, err);
    return rc;
}

/*
 * Reads one guest's config and prints its warnings; an exit status, or -1 to go on. With several
 * configs an override's message says which config it followed (the file's own messages name it).
 */
static int read_guest(const struct cli_opts *opts, const struct cli_guest *g, struct flb_config *cfg)
{
    struct flb_error err = {{0}};
    int rc;

    flb_config_init(cfg, g->config_path);
    cfg->strict = opts->strict;
    rc = load_config(opts, g, cfg, &err);
    if (rc) {
        if (opts->nr_guests > 1 && !strncmp(err.msg, "override ", 9))
            cli_error("%s: %s", g->config_path, err.msg);
        else
            cli_error("%s", err.msg);
        return cli_exit_status(rc);
    }
    if (opts->dry_run)
        flb_config_dry_run_warnings(cfg);
    if (cfg->out_of_memory) {
        cli_error("out of memory");
        return EXIT_FAILURE_OTHER;
    }
    for (int i = 0; i < cfg->nr_warnings; i++)
        cli_warn(opts, "%s", cfg->warnings[i]);
    return -1;
}

/*
 * Names are what xl and xenstore know guests by: two guests of one run under one name would have the
 * second refused by the first only after the first was built. A dry-run builds nothing: one config
 * may be planned twice with different overrides.
 */
static int check_names(const struct cli_opts *opts, const struct flb_config *cfgs, int n)
{
    for (int i = 1; !opts->dry_run && i < n; i++)
        for (int j = 0; j < i; j++)
            if (cfgs[i].name && cfgs[j].name && !strcmp(cfgs[i].name, cfgs[j].name)) {
                cli_error("%s: the name '%s' is also the name of the guest of %s: each guest of one run "
                          "needs a name of its own (an override name=... after the config gives one)",
                          opts->guests[i].config_path, cfgs[i].name, opts->guests[j].config_path);
                return EXIT_USAGE;
            }
    return -1;
}

int main(int argc, char **argv)
{
    struct cli_opts opts;
    struct flb_config *cfgs;
    double t0 = cli_now_ms();
    int rc, n = 0;
    bool read_all;

    rc = cli_parse(argc, argv, &opts);
    if (rc) {
        cli_free(&opts);
        return rc < 0 ? EXIT_OK : rc;
    }
    cfgs = calloc((size_t)opts.nr_guests, sizeof(*cfgs));
    if (!cfgs) {
        cli_error("out of memory");
        cli_free(&opts);
        return EXIT_FAILURE_OTHER;
    }
    /* Every config is read before anything is planned or built: a bad one stops the whole run. */
    rc = -1;
    while (rc < 0 && n < opts.nr_guests) {
        rc = read_guest(&opts, &opts.guests[n], &cfgs[n]);
        n++;
    }
    if (rc < 0)
        rc = check_names(&opts, cfgs, n);
    read_all = rc < 0;
    /* A part of the time to the guest, which -v accounts for piece by piece. */
    if (rc < 0 && !opts.dry_run && opts.verbose)
        cli_verbose("reading the arguments and the config%s: %.3f ms", n > 1 ? "s" : "", cli_now_ms() - t0);
    if (rc < 0)
        rc = opts.dry_run ? cli_dry_run(&opts, cfgs, n) : cli_live_run(&opts, cfgs, n);
    for (int i = 0; i < n; i++)
        flb_config_free(&cfgs[i]);
    free(cfgs);
    cli_free(&opts);
    /* Not a part (it ends in no time): what the parts leave out of main, and what is outside it. The
     * monotonic clock is the system's, so whoever started us can tell the process start and exit
     * apart from main(). */
    if (read_all && !opts.dry_run && opts.verbose) {
        double t1 = cli_now_ms();
        cli_verbose("main() took %.3f ms from its first line to its return, at %.3f ms of CLOCK_MONOTONIC",
                    t1 - t0, t1);
    }
    return rc;
}
