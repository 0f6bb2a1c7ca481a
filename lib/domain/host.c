/* Questions about the host rather than a guest: what this Xen offers before anything is built. */
#include "domain/host.h"

#include <errno.h>
#include <string.h>

int flb_host_query(struct flb_backend *be, struct flb_host *host, struct flb_error *err)
{
    flb_host_assumed(host);
    if (be->ops->max_grant_version(be->ctx, &host->max_grant_version) != 0)
        return flb_fail(err, FLB_E_SYSTEM, "asking Xen for its grant table versions: xc_physinfo: %s",
                        strerror(errno));
    host->max_grant_version_known = true;
    return FLB_OK;
}
