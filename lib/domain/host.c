/* Questions about the host rather than a guest: what this Xen offers before anything is built. */
#include "domain/host.h"

#include <errno.h>
#include <string.h>

/*
 * Libraries of Xen X.Y speak X.Y's domctl and sysctl interfaces, which an older
 * hypervisor refuses call by call with a bare EACCES, some of them after the
 * domain exists. Asked first, the version turns that into one line saying what
 * to do, before anything is created. A newer hypervisor keeps serving the
 * older interfaces, so only older is refused; the release's point number is
 * not part of the interface and is not compared. FLB_E_SYSTEM (exit status 1),
 * as for a missing privcmd: the machine is wrong, not the config or the command.
 */
static int check_xen_version(struct flb_backend *be, struct flb_error *err)
{
    unsigned major, minor;

    if (be->ops->xen_version(be->ctx, &major, &minor) != 0)
        return flb_fail(err, FLB_E_SYSTEM, "asking Xen for its version: xc_version: %s", strerror(errno));
    if (major < FLB_XEN_BUILT_MAJOR || (major == FLB_XEN_BUILT_MAJOR && minor < FLB_XEN_BUILT_MINOR))
        return flb_fail(err, FLB_E_SYSTEM,
                        "the hypervisor is Xen %u.%u, older than the Xen %u.%u libraries this binary was "
                        "built with: boot Xen %u.%u or later, or rebuild against the host's libraries",
                        major, minor, FLB_XEN_BUILT_MAJOR, FLB_XEN_BUILT_MINOR, FLB_XEN_BUILT_MAJOR,
                        FLB_XEN_BUILT_MINOR);
    return FLB_OK;
}

int flb_host_query(struct flb_backend *be, struct flb_host *host, struct flb_error *err)
{
    int rc;

    flb_host_assumed(host);
    rc = check_xen_version(be, err);
    if (rc)
        return rc;
    if (be->ops->max_grant_version(be->ctx, &host->max_grant_version) != 0)
        return flb_fail(err, FLB_E_SYSTEM, "asking Xen for its grant table versions: xc_physinfo: %s",
                        strerror(errno));
    host->max_grant_version_known = true;
    return FLB_OK;
}
