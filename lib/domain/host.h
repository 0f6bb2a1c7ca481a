/* Questions about the host rather than a guest, asked through the backend before anything is built. */
#ifndef FLB_HOST_H
#define FLB_HOST_H

#include "core/error.h"
#include "core/plan.h"
#include "domain/backend.h"

/*
 * First refuses a hypervisor older than the Xen release the libraries were
 * built for (FLB_XEN_BUILT_MAJOR.FLB_XEN_BUILT_MINOR, from XenLibraries.cmake):
 * FLB_E_SYSTEM, saying both versions and what to do. Then the host's facts a
 * plan needs, asked of Xen: the highest grant table version it offers (what xl
 * uses when the config does not say). The rest of *host keeps
 * flb_host_assumed()'s values. FLB_E_SYSTEM naming the call on failure.
 */
int flb_host_query(struct flb_backend *be, struct flb_host *host, struct flb_error *err);

#endif
