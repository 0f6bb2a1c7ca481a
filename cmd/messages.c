/* Messages to the user: errors always, warnings unless -q; "fixed-layout-build: " first; their exit statuses. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "core/output.h"

/* Messages carry config values and file names: escaped, so that none of them can drive the terminal. */
static void print_message(const char *prefix, const char *fmt, va_list ap)
{
    char *msg;

    fputs(prefix, stderr);
    if (vasprintf(&msg, fmt, ap) < 0) {
        fputs("(out of memory formatting a message)", stderr);
    } else {
        flb_text_escape(stderr, msg, false);
        free(msg);
    }
    fputc('\n', stderr);
}

int cli_exit_status(int rc)
{
    return rc == FLB_E_INPUT ? EXIT_USAGE : EXIT_FAILURE_OTHER;
}

void cli_error(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    print_message("fixed-layout-build: ", fmt, ap);
    va_end(ap);
}

void cli_warn(const struct cli_opts *opts, const char *fmt, ...)
{
    va_list ap;

    if (opts->quiet)
        return;
    va_start(ap, fmt);
    print_message("fixed-layout-build: warning: ", fmt, ap);
    va_end(ap);
}
