/* Messages to the user: errors always, warnings unless -q; "fixed-layout-build: " first. */
#include <stdarg.h>
#include <stdio.h>

#include "cli.h"

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
