/* Questions about the host rather than a guest: what this Xen offers before anything is built. */
#include "domain/host.h"

#include <errno.h>
#include <string.h>

int flb_host_max_grant_version(struct flb_backend *be, unsigned *version, struct flb_error *err)
{
    if (be->ops->max_grant_version(be->ctx, version) != 0)
        return flb_fail(err, FLB_E_SYSTEM, "asking Xen for its grant table versions: xc_physinfo: %s",
                        strerror(errno));
    return 0;
}
