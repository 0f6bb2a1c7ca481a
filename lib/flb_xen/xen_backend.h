/* The real backend: the operations table on libxenctrl, libxenguest, libxenstore, libxenevtchn,
 * libxenforeignmemory. */
#ifndef FLB_XEN_BACKEND_H
#define FLB_XEN_BACKEND_H

#include <stdbool.h>

#include "domain/backend.h"
#include "core/error.h"

struct flb_xen_options {
    int verbose;   /* 2 or more: libxenguest's own log on stderr */
    bool xenstore; /* connect to xenstored if it runs */
};

/*
 * Opens the hypervisor interfaces. Fails with one line naming what is
 * missing when not root or not in a Xen dom0. be->has_xenstore tells whether
 * xenstored answered.
 */
int flb_xen_open(const struct flb_xen_options *opts, struct flb_backend **be, struct flb_error *err);
void flb_xen_close(struct flb_backend *be);

#endif
