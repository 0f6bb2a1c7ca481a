/* Messages to the user: errors always, warnings unless -q; "fixed-layout-build: " first; their exit statuses. */
#include <stdarg.h>
#include <stdio.h>

#include "cli.h"

int cli_exit_status(int rc)
{
    return rc == FLB_E_INPUT ? EXIT_USAGE : EXIT_FAILURE_OTHER;
}

void cli_error(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    fputs("fixed-layout-build: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

void cli_warn(const struct cli_opts *opts, const char *fmt, ...)
{
    va_list ap;

    if (opts->quiet)
        return;
    va_start(ap, fmt);
    fputs("fixed-layout-build: warning: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}
