/* Recording the first failure's message. */
#include "core/error.h"

#include <stdarg.h>
#include <stdio.h>

int flb_fail(struct flb_error *err, int rc, const char *fmt, ...)
{
    va_list ap;

    if (!err || err->msg[0])
        return rc;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
    va_end(ap);
    return rc;
}
