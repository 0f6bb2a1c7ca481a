/* --dry-run: print the plan, made with the documented assumptions about the host, without touching Xen. */
#include <stdio.h>
#include <unistd.h>

#include "cli.h"
#include "core/output.h"

int cli_dry_run(const struct cli_opts *opts, const struct flb_config *cfg)
{
    struct flb_host host;
    struct flb_plan plan;
    struct flb_error err = { { 0 } };
    int rc;

    flb_host_assumed(&host);
    rc = flb_plan_make(cfg, &host, &plan, &err);
    if (rc) {
        cli_error("%s", err.msg);
        return cli_exit_status(rc);
    }
    /* A dry-run only describes the guest; the live build refuses a missing kernel. */
    if (cfg->kernel && access(cfg->kernel, R_OK) != 0)
        cli_warn(opts, "kernel '%s' is not readable here; a live build would refuse it", cfg->kernel);
    if (opts->format == CLI_FORMAT_JSON)
        flb_output_json(stdout, &plan);
    else
        flb_output_text(stdout, &plan);
    if (fflush(stdout) || ferror(stdout)) {
        cli_error("writing the output failed");
        return EXIT_FAILURE_OTHER;
    }
    return EXIT_OK;
}
