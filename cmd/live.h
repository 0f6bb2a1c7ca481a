/* The live path's parts: building on Xen, waiting for the guest, copying its console. */
#ifndef FLB_LIVE_H
#define FLB_LIVE_H

#include <signal.h>

#include "domain/build.h"
#include "cli.h"

/* Set to the signal number by SIGINT, SIGTERM, SIGHUP or SIGPIPE. */
extern volatile sig_atomic_t live_stop;

/*
 * Waits for the guest to shut down (copying its console with -c), destroys
 * it and returns the exit status cli.h assigns to the shutdown reason.
 */
int live_wait(const struct cli_opts *opts, struct flb_backend *be, struct flb_build_result *res,
              const char *name);

/* The console ring reader: state between polls. */
struct live_console {
    void *page;          /* struct xencons_interface, mapped from the guest */
    uint32_t local_port; /* our end of the console event channel */
    bool bound;
    bool output_failed; /* stdout refused what we copied */
};

int live_console_open(struct flb_backend *be, const struct flb_build_result *res,
                      struct live_console *con, struct flb_error *err);
/* Copies what the guest wrote to stdout; returns bytes copied. */
size_t live_console_drain(struct flb_backend *be, struct live_console *con);
void live_console_close(struct flb_backend *be, struct live_console *con);

#endif
