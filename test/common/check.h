/* The one assertion helper of the C tests: counts checks, reports each failure with its line and why. */
#ifndef FLB_TEST_CHECK_H
#define FLB_TEST_CHECK_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Each test program has one pair of counts, however many of its files hold checks (weak: one definition
 * wins). */
__attribute__((weak)) int checks_passed, checks_failed;

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

/* CHECK_STR(got, want): got is exactly the string want. A failure shows both; a NULL got fails. */
#define CHECK_STR(got, want) check_str(__FILE__, __LINE__, #got, (got), (want))

static inline void check_str(const char *file, int line, const char *expr, const char *got, const char *want)
{
    check_report(got && !strcmp(got, want), file, line, expr, ": differs\n  want: %s\n  got:  %s", want,
                 got ? got : "(null)");
}

/* Prints the closing line test runners read, and gives main() its exit status. */
static inline int check_summary(void)
{
    printf("%d passed, %d failed\n", checks_passed, checks_failed);
    return checks_failed ? 1 : 0;
}

#endif
