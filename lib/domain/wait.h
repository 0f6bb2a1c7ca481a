/* Watching a built guest until it stops, copying its console on the way, then destroying it. */
#ifndef FLB_WAIT_H
#define FLB_WAIT_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/build.h"
#include "core/error.h"
#include "core/lifecycle.h"

/* How often the domain's state is polled when poll_ms is 0 and no console event wakes us sooner. */
#define FLB_WAIT_POLL_MS 100

/* Receives what the guest wrote to its console; returns 0, or -1 if it could not be passed on. */
typedef int flb_console_write_fn(void *arg, const void *buf, size_t n);

struct flb_wait_request {
    unsigned timeout_s; /* 0: no limit */
    bool console;       /* copy the guest's console ring to console_write */

    /* Checked every poll: nonzero (the signal number) ends the wait. May be NULL. */
    volatile sig_atomic_t *stop;

    flb_console_write_fn *console_write; /* NULL: console bytes are consumed and dropped */
    void *console_arg;
    int poll_ms; /* 0: FLB_WAIT_POLL_MS */
};

/* Why the wait ended; the guest has then been destroyed (unless destroy_failed) or was already gone. */
enum flb_wait_outcome {
    FLB_WAIT_SHUTDOWN,      /* the guest shut down; see reason */
    FLB_WAIT_TIMEOUT,       /* still running after timeout_s */
    FLB_WAIT_STOPPED,       /* *stop was set; see signal */
    FLB_WAIT_VANISHED,      /* someone else destroyed the domain */
    FLB_WAIT_OUTPUT_FAILED, /* console_write refused the guest's output */
    FLB_WAIT_ERROR,         /* a backend call failed; err says which */
};

struct flb_wait_result {
    enum flb_wait_outcome outcome;
    enum flb_shutdown_reason reason; /* FLB_WAIT_SHUTDOWN */
    unsigned xen_reason;             /* FLB_WAIT_SHUTDOWN: the code as Xen reported it */
    int signal;                      /* FLB_WAIT_STOPPED: what *stop held */
    uint64_t console_bytes;          /* read from the ring and handed to console_write */

    /* Destroying the guest at the end failed: reported apart, as it does not change the outcome. */
    bool destroy_failed;
    struct flb_error destroy_err;
};

/*
 * Waits for the guest flb_build started to shut down, copying its console
 * when asked, then destroys it through flb_teardown. A domain that vanished
 * is not destroyed again: res->created is cleared and only our xenstore
 * nodes are removed. Returns 0, or FLB_E_SYSTEM with the outcome
 * FLB_WAIT_ERROR and err naming the step, the call and errno. Never prints.
 */
int flb_wait(struct flb_backend *be, struct flb_build_result *res, const struct flb_wait_request *req,
             struct flb_wait_result *out, struct flb_error *err);

#endif
