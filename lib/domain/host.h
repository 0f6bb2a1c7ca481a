/* Questions about the host rather than a guest, asked through the backend. */
#ifndef FLB_HOST_H
#define FLB_HOST_H

#include "domain/backend.h"
#include "core/error.h"

/* The highest grant table version this Xen offers guests; FLB_E_SYSTEM naming the call on failure. */
int flb_host_max_grant_version(struct flb_backend *be, unsigned *version, struct flb_error *err);

#endif
