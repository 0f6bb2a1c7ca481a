/* The live path's parts: building on Xen, then waiting for the guest and reporting why it stopped. */
#ifndef FLB_LIVE_H
#define FLB_LIVE_H

#include <signal.h>

#include "domain/build.h"
#include "cli.h"

/* Set to the signal number by SIGINT, SIGTERM, SIGHUP or SIGPIPE. */
extern volatile sig_atomic_t live_stop;

/*
 * The live run once the backend is open (cmd/live_build.c): refuses a Xen
 * older than the libraries, plans with the host's facts, builds, reports the
 * guest, and waits with -F or -c. Prints every message itself and returns the
 * exit status cli.h assigns. Takes the backend from cli_live_run, or from a
 * test's fake: it calls the library only, never the operations table.
 */
int live_build(const struct cli_opts *opts, struct flb_backend *be, const struct flb_config *cfg);

/*
 * Waits for the guest to shut down (copying its console to stdout with -c),
 * destroys it, says why it stopped and returns the exit status cli.h assigns.
 */
int live_wait(const struct cli_opts *opts, struct flb_backend *be, struct flb_build_result *res,
              const char *name);

#endif
