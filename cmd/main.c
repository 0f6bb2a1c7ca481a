/* fixed-layout-build: read the config, then print the plan or build the guest. */
#include <stdio.h>

#include "cli.h"

static int load_config(const struct cli_opts *opts, struct flb_config *cfg, struct flb_error *err)
{
    int rc = flb_config_load_file(cfg, opts->config_path, opts->config_format, err);

    for (int i = 0; !rc && i < opts->nr_overrides; i++)
        rc = flb_config_apply_override(cfg, opts->overrides[i], err);
    if (!rc)
        rc = flb_config_finish(cfg, err);
    return rc;
}

int main(int argc, char **argv)
{
    struct cli_opts opts;
    struct flb_config cfg;
    struct flb_error err = {{0}};
    double t0 = cli_now_ms();
    int rc;

    rc = cli_parse(argc, argv, &opts);
    if (rc)
        return rc < 0 ? EXIT_OK : rc;

    flb_config_init(&cfg, opts.config_path);
    cfg.strict = opts.strict;
    rc = load_config(&opts, &cfg, &err);
    if (rc) {
        cli_error("%s", err.msg);
        flb_config_free(&cfg);
        return cli_exit_status(rc);
    }
    if (opts.dry_run)
        flb_config_dry_run_warnings(&cfg);
    if (cfg.out_of_memory) {
        cli_error("out of memory");
        flb_config_free(&cfg);
        return EXIT_FAILURE_OTHER;
    }
    for (int i = 0; i < cfg.nr_warnings; i++)
        cli_warn(&opts, "%s", cfg.warnings[i]);
    /* A part of the time to the guest, which -v accounts for piece by piece. */
    if (!opts.dry_run && opts.verbose)
        cli_verbose("reading the arguments and the config: %.3f ms", cli_now_ms() - t0);

    rc = opts.dry_run ? cli_dry_run(&opts, &cfg) : cli_live_run(&opts, &cfg);
    flb_config_free(&cfg);
    /* Not a part (it ends in no time): what the parts leave out of main, and what is outside it. */
    if (!opts.dry_run && opts.verbose)
        cli_verbose("main() took %.3f ms from its first line to its return", cli_now_ms() - t0);
    return rc;
}
