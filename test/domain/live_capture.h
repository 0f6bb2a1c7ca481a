/* The command's live path (cmd/live_build.c) run on the recording fake, its standard output and error kept.
 */
#ifndef FLB_TEST_LIVE_CAPTURE_H
#define FLB_TEST_LIVE_CAPTURE_H

#include "fake_backend.h"
#include "live.h"

struct captured {
    int status;
    char out[8192], err[8192];
};

/* live_build with stdout and stderr sent to scratch files, then restored; xl's lock in the scratch directory.
 */
void live_capture(struct fake *f, const struct cli_opts *opts, const struct flb_config *cfgs,
                  struct live_fleet *fleet, struct captured *c);

#endif
