/* The one assertion helper of the C tests: counts checks, reports each failure with its line and why. */
#ifndef FLB_TEST_CHECK_H
#define FLB_TEST_CHECK_H

#include <stdarg.h>
#include <stdio.h>

/* Each test program has its own counts. */
static int checks_passed, checks_failed;

static inline __attribute__((format(printf, 5, 6))) void check_report(int ok, const char *file, int line,
                                                                      const char *expr, const char *fmt, ...)
{
    va_list ap;

    if (ok) {
        checks_passed++;
        return;
    }
    checks_failed++;
    fprintf(stderr, "%s:%d: check failed: %s", file, line, expr);
    /* fmt is ": " followed by the caller's message, if any. */
    if (fmt[2]) {
        va_start(ap, fmt);
        vfprintf(stderr, fmt, ap);
        va_end(ap);
    }
    fputc('\n', stderr);
}

/* CHECK(cond) or CHECK(cond, "format", args...): the message says what was seen instead. */
#define CHECK(cond, ...) check_report(!!(cond), __FILE__, __LINE__, #cond, ": " __VA_ARGS__)

/* Prints the closing line test runners read, and gives main() its exit status. */
static inline int check_summary(void)
{
    printf("%d passed, %d failed\n", checks_passed, checks_failed);
    return checks_failed ? 1 : 0;
}

#endif
