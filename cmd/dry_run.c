/* --dry-run: print the plan, made with the documented assumptions about the host, without touching Xen. */
#include <stdio.h>

#include "cli.h"
#include "core/dump.h"
#include "core/kernel_check.h"
#include "core/output.h"
#include "output/json.h"

/*
 * The files are checked as a live build checks them; one that does not
 * exist here is only a warning, since a dry-run may describe a guest for
 * another machine.
 */
static int check_files(const struct cli_opts *opts, const struct flb_config *cfg, struct flb_error *err)
{
    unsigned absent;
    int rc = flb_check_boot_files(cfg->kernel, cfg->ramdisk, &absent, err);

    if (!rc && (absent & FLB_BOOT_FILE_KERNEL))
        cli_warn(opts, "kernel '%s' does not exist here; a live build would refuse it", cfg->kernel);
    if (!rc && (absent & FLB_BOOT_FILE_RAMDISK))
        cli_warn(opts, "ramdisk '%s' does not exist here; a live build would refuse it", cfg->ramdisk);
    return rc;
}

int cli_dry_run(const struct cli_opts *opts, const struct flb_config *cfg)
{
    struct flb_host host;
    static struct flb_plan plan;
    struct flb_error err = {{0}};
    int rc;

    flb_host_assumed(&host);
    rc = flb_plan_make(cfg, &host, &plan, &err);
    if (!rc)
        rc = check_files(opts, cfg, &err);
    /* Files first: a failure leaves stdout empty. */
    if (!rc && opts->dump_dir)
        rc = flb_dump_plan(&plan, opts->dump_dir, &err);
    if (rc) {
        cli_error("%s", err.msg);
        return cli_exit_status(rc);
    }
    if (opts->format == CLI_FORMAT_JSON)
        rc = flb_output_json(stdout, &plan, &err);
    else if (opts->format == CLI_FORMAT_SVG)
        flb_output_svg(stdout, &plan);
    else
        flb_output_text(stdout, &plan);
    if (rc) {
        cli_error("%s", err.msg);
        return cli_exit_status(rc);
    }
    if (fflush(stdout) || ferror(stdout)) {
        cli_error("writing the output failed");
        return EXIT_FAILURE_OTHER;
    }
    return EXIT_OK;
}
