/* The guest's PV console ring, read from dom0 without xenconsoled. */
#ifndef FLB_CONSOLE_H
#define FLB_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/wait.h"

/* The ring reader's state between events. */
struct flb_console {
    void *page;          /* struct xencons_interface, mapped from the guest */
    uint32_t local_port; /* our end of the console event channel */
    bool bound;          /* the event channel is ours to unbind */
    bool output_failed;  /* write refused what we copied */
    uint64_t bytes;      /* read from the ring so far */
    flb_console_write_fn *write;
    void *arg;
};

/*
 * Maps the ring and binds its event channel: the guest's notifications are
 * what wakes the reader, so both are needed. On failure nothing is held.
 */
int flb_console_open(struct flb_backend *be, const struct flb_build_result *res, flb_console_write_fn *write,
                     void *arg, struct flb_console *con, struct flb_error *err);
/* Passes on what the guest wrote since the last call; returns the bytes passed on. */
size_t flb_console_drain(struct flb_backend *be, struct flb_console *con);
/* Unbinds and unmaps; safe on a console that failed to open. */
void flb_console_close(struct flb_backend *be, struct flb_console *con);

#endif
