/* Messages to the user: errors always, warnings unless -q, -v's progress, "fixed-layout-build: " first; exit
 * statuses. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "core/escape.h"

int cli_exit_status(int rc)
{
    return rc == FLB_E_INPUT ? EXIT_USAGE : EXIT_FAILURE_OTHER;
}

/*
 * One line on stderr, escaped by the library's rule (core/escape.h): whatever a config or a guest put
 * in the text, nothing reaches the terminal raw. The rule changes nothing in a message the library
 * escaped already.
 */
static void print_line(const char *prefix, const char *fmt, va_list ap)
{
    char raw[1024], esc[4 * sizeof(raw)];
    char *text = NULL, *out = NULL;
    va_list again;
    int n;

    va_copy(again, ap);
    n = vsnprintf(raw, sizeof(raw), fmt, ap);
    /* A longer message whole if memory allows, else its start: never nothing. */
    if (n >= (int)sizeof(raw)) {
        if (vasprintf(&text, fmt, again) < 0)
            text = NULL;
        else if ((out = malloc(4 * (size_t)n + 1)))
            flb_escape(out, 4 * (size_t)n + 1, text, (size_t)n);
    }
    va_end(again);
    if (!out)
        flb_escape(esc, sizeof(esc), raw, n < 0 ? 0 : strnlen(raw, sizeof(raw)));
    fprintf(stderr, "%s%s\n", prefix, out ? out : esc);
    free(out);
    free(text);
}

void cli_error(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    print_line("fixed-layout-build: ", fmt, ap);
    va_end(ap);
}

void cli_warn(const struct cli_opts *opts, const char *fmt, ...)
{
    va_list ap;

    if (opts->quiet)
        return;
    va_start(ap, fmt);
    print_line("fixed-layout-build: warning: ", fmt, ap);
    va_end(ap);
}

/* The time the -v lines took to write: a -v run pays it, between the parts the lines time. */
static double verbose_ms;

void cli_verbose(const char *fmt, ...)
{
    double t0 = cli_now_ms();
    va_list ap;

    va_start(ap, fmt);
    print_line("fixed-layout-build: ", fmt, ap);
    va_end(ap);
    verbose_ms += cli_now_ms() - t0;
}

double cli_verbose_ms(void)
{
    return verbose_ms;
}
