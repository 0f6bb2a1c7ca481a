/* The fake's domains once created: their state as getinfo reports it, unpausing, destroying, their handles.
 */
#include "fake_backend_internal.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>

int fake_domain_getinfo(void *ctx, uint32_t domid, struct flb_domain_state *st)
{
    struct fake *f = ctx;

    if (fake_call(f, "xc_domain_getinfo domid=%" PRIu32, domid))
        return -1;
    if (f->domain_exists && domid == f->domid) {
        *st = f->state;
        return 0;
    }
    for (unsigned i = 0; i < f->nr_others; i++)
        if (f->others[i].domid == domid) {
            *st = f->others[i].state;
            return 0;
        }
    /* libxenctrl answers with the next domain, which the backend turns into ESRCH. */
    fake_result(f, "ESRCH");
    errno = ESRCH;
    return -1;
}

/* The other domain domid, or NULL. */
static struct fake_other *other(struct fake *f, uint32_t domid)
{
    for (unsigned i = 0; i < f->nr_others; i++)
        if (f->others[i].domid == domid)
            return &f->others[i];
    return NULL;
}

int fake_domain_unpause(void *ctx, uint32_t domid)
{
    struct fake *f = ctx;

    if (fake_call(f, "xc_domain_unpause domid=%" PRIu32, domid))
        return -1;
    f->unpaused = true;
    return 0;
}

int fake_domain_destroy(void *ctx, uint32_t domid)
{
    struct fake *f = ctx;
    struct fake_other *o;

    f->destroys++;
    if (fake_call(f, "xc_domain_destroy domid=%" PRIu32, domid))
        return -1;
    if (f->destroy_fails) {
        fake_result(f, "EBUSY");
        errno = EBUSY;
        return -1;
    }
    if (f->domain_exists && domid == f->domid) {
        f->domain_exists = false;
    } else if ((o = other(f, domid))) {
        f->nr_others--;
        *o = f->others[f->nr_others];
    } else {
        fake_result(f, "ESRCH");
        errno = ESRCH;
        return -1;
    }
    fake_domain_changed(f);
    return 0;
}

int fake_domain_sethandle(void *ctx, uint32_t domid, const uint8_t h[16])
{
    struct fake *f = ctx;

    if (fake_call(f, "xc_domain_sethandle domid=%" PRIu32 " handle=%02x%02x%02x%02x-...", domid, h[0], h[1],
                  h[2], h[3]))
        return -1;
    if (other(f, domid))
        memcpy(other(f, domid)->handle, h, sizeof(f->handle));
    else
        memcpy(f->handle, h, sizeof(f->handle));
    return 0;
}
