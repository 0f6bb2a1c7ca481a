/* --dry-run: print the plan, made with the documented assumptions about the host, without touching Xen. */
#include <stdio.h>
#include <stdlib.h>

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

/* The plan of one config, checked; an exit status, or -1 to go on. */
static int plan_one(const struct cli_opts *opts, const struct flb_config *cfg, struct flb_plan *plan)
{
    struct flb_host host;
    struct flb_error err = {{0}};
    int rc;

    flb_host_assumed(&host);
    rc = flb_plan_make(cfg, &host, plan, &err);
    if (!rc)
        rc = check_files(opts, cfg, &err);
    /* Files first: a failure leaves stdout empty. */
    if (!rc && opts->dump_dir)
        rc = flb_dump_plan(plan, opts->dump_dir, &err);
    if (rc) {
        cli_error("%s", err.msg);
        return cli_exit_status(rc);
    }
    return -1;
}

/* One plan in the format asked; several configs' JSON documents are one line each (JSON Lines). */
static int print_plan(const struct cli_opts *opts, FILE *out, const struct flb_plan *plan, int n,
                      struct flb_error *err)
{
    if (opts->format == CLI_FORMAT_JSON)
        return n > 1 ? flb_output_json_line(out, plan, err) : flb_output_json(out, plan, err);
    if (opts->format == CLI_FORMAT_SVG)
        flb_output_svg(out, plan);
    else
        flb_output_text(out, plan);
    return 0;
}

int cli_dry_run(const struct cli_opts *opts, const struct flb_config *cfgs, int n)
{
    struct flb_plan *plans = calloc((size_t)n, sizeof(*plans));
    struct flb_error err = {{0}};
    char *text = NULL;
    size_t len = 0;
    FILE *out = NULL;
    int rc = -1;

    if (!plans) {
        cli_error("out of memory");
        return EXIT_FAILURE_OTHER;
    }
    for (int i = 0; rc < 0 && i < n; i++)
        rc = plan_one(opts, &cfgs[i], &plans[i]);
    if (rc >= 0)
        goto out;
    /* Into memory first: a failure at the last plan must not leave the first ones on stdout. */
    out = open_memstream(&text, &len);
    rc = out ? 0 : FLB_E_SYSTEM;
    if (!out)
        flb_fail(&err, FLB_E_SYSTEM, "out of memory");
    for (int i = 0; !rc && i < n; i++) {
        /* Text plans one after the other, a blank line between. */
        if (i && opts->format == CLI_FORMAT_TEXT)
            fputc('\n', out);
        rc = print_plan(opts, out, &plans[i], n, &err);
    }
    if (out && fclose(out) != 0 && !rc)
        rc = flb_fail(&err, FLB_E_SYSTEM, "out of memory");
    if (rc) {
        cli_error("%s", err.msg);
        rc = cli_exit_status(rc);
        goto out;
    }
    if (fwrite(text, 1, len, stdout) != len || fflush(stdout) || ferror(stdout)) {
        cli_error("writing the output failed");
        rc = EXIT_FAILURE_OTHER;
        goto out;
    }
    rc = EXIT_OK;
out:
    free(text);
    free(plans);
    return rc;
}
