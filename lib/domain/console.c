/* The guest's PV console ring, read from dom0: mapping it, copying out what the guest wrote, letting go. */
#include "domain/console.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>

#include <xen/xen.h>
#include <xen/io/console.h>

int flb_console_open(struct flb_backend *be, const struct flb_build_result *res, flb_console_write_fn *write,
                     void *arg, struct flb_console *con, struct flb_error *err)
{
    memset(con, 0, sizeof(*con));
    con->write = write;
    con->arg = arg;
    if (be->ops->map_foreign(be->ctx, res->domid, res->console_gfn, 1, true, &con->page) != 0) {
        con->page = NULL;
        return flb_fail(err, FLB_E_SYSTEM, "mapping the console page 0x%llx: xenforeignmemory_map: %s",
                        (unsigned long long)res->console_gfn, strerror(errno));
    }
    if (be->ops->evtchn_bind_interdomain(be->ctx, res->domid, res->console_port, &con->local_port) != 0) {
        int rc = flb_fail(err, FLB_E_SYSTEM,
                          "binding the console's event channel %u: xenevtchn_bind_interdomain: %s",
                          res->console_port, strerror(errno));

        flb_console_close(be, con);
        return rc;
    }
    con->bound = true;
    return 0;
}

size_t flb_console_drain(struct flb_backend *be, struct flb_console *con)
{
    struct xencons_interface *intf = con->page;
    XENCONS_RING_IDX cons, prod;
    char buf[sizeof(intf->out)];
    size_t n = 0;

    cons = intf->out_cons;
    prod = intf->out_prod;
    __atomic_thread_fence(__ATOMIC_ACQUIRE); /* read the data after the index */
    /* A guest that sets a wild index gets at most one ring's worth read. */
    if (prod - cons > sizeof(intf->out))
        cons = prod - (XENCONS_RING_IDX)sizeof(intf->out);
    while (cons != prod)
        buf[n++] = intf->out[MASK_XENCONS_IDX(cons++, intf->out)];
    __atomic_thread_fence(__ATOMIC_SEQ_CST); /* consume before publishing the index */
    intf->out_cons = cons;
    con->bytes += n;
    if (n) {
        if (con->write && con->write(con->arg, buf, n) != 0)
            con->output_failed = true;
        if (con->bound)
            be->ops->evtchn_notify(be->ctx, con->local_port);
    }
    return n;
}

void flb_console_close(struct flb_backend *be, struct flb_console *con)
{
    if (con->bound)
        be->ops->evtchn_unbind(be->ctx, con->local_port);
    if (con->page)
        be->ops->unmap_foreign(be->ctx, con->page, 1);
    memset(con, 0, sizeof(*con));
}
