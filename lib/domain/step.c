/* What every build step shares: naming the step, reporting a failed call, logging progress. */
#include "domain/step.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static double now_ms(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

int build_call_failed(struct build *b, const char *call)
{
    int e = errno;

    return flb_fail(b->err, FLB_E_SYSTEM, "%s: %s: %s", b->step, call, strerror(e));
}

void build_log(struct build *b, int level, const char *fmt, ...)
{
    char msg[256];
    va_list ap;

    if (!b->req->log)
        return;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    double t0 = now_ms();
    b->req->log(b->req->log_arg, level, msg);
    b->log_ms += now_ms() - t0;
}

void build_set_step(struct build *b, const char *fmt, ...)
{
    int saved = errno; /* callers name the step between a failed call and its report */
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(b->step, sizeof(b->step), fmt, ap);
    va_end(ap);
    errno = saved;
}
