/* fixed-layout-build: read the config, compute the layout, then print it or build the guest. */
#include <stdio.h>
#include <unistd.h>

#include "cli.h"
#include "core/layout.h"

static int exit_status(int rc)
{
    return rc == FLB_E_INPUT ? EXIT_USAGE : EXIT_FAILURE_OTHER;
}

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
    struct flb_layout layout;
    struct flb_error err = { { 0 } };
    int rc;

    rc = cli_parse(argc, argv, &opts);
    if (rc)
        return rc < 0 ? EXIT_OK : rc;

    flb_config_init(&cfg, opts.config_path);
    rc = load_config(&opts, &cfg, &err);
    if (!rc)
        rc = flb_layout_compute(&cfg, &layout, &err);
    if (rc) {
        cli_error("%s", err.msg);
        flb_config_free(&cfg);
        return exit_status(rc);
    }
    for (int i = 0; i < cfg.nr_warnings; i++)
        cli_warn(&opts, "%s", cfg.warnings[i]);

    if (opts.dry_run) {
        /* A dry-run only describes the guest; the live build refuses a missing kernel. */
        if (cfg.kernel && access(cfg.kernel, R_OK) != 0)
            cli_warn(&opts, "kernel '%s' is not readable here; a live build would refuse it", cfg.kernel);
        rc = cli_dry_run(&opts, &cfg, &layout);
    } else {
        rc = cli_live_run(&opts, &cfg, &layout);
    }
    flb_config_free(&cfg);
    return rc;
}
