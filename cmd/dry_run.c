/* --dry-run: print what the guest would see, without touching Xen. */
#include <stdio.h>

#include "cli.h"
#include "core/output.h"
#include "core/start_info.h"

int cli_dry_run(const struct cli_opts *opts, const struct flb_config *cfg, const struct flb_layout *layout)
{
    struct flb_start_info si;

    flb_start_info_from_layout(&si, layout, cfg->final_cmdline);
    si.nr_modules = cfg->ramdisk ? 1 : 0;
    if (opts->format == CLI_FORMAT_JSON)
        flb_output_json(stdout, cfg, layout, &si);
    else
        flb_output_text(stdout, cfg, layout, &si);
    if (fflush(stdout) || ferror(stdout)) {
        cli_error("writing the output failed");
        return EXIT_FAILURE_OTHER;
    }
    return EXIT_OK;
}
