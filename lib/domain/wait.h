/* Waiting for a built guest: the event that says a domain changed, and the wait for its shutdown. */
#ifndef FLB_WAIT_H
#define FLB_WAIT_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "core/lifecycle.h"
#include "domain/build.h"

/* Receives what the guest wrote to its console; returns 0, or -1 if it could not be passed on. */
typedef int flb_console_write_fn(void *arg, const void *buf, size_t n);

/*
 * What tells us a domain shut down or died, as libxl learns it: a watch on
 * xenstored's @releaseDomain, which fires for every domain it was introduced
 * to; without xenstored, VIRQ_DOM_EXC itself, which only one process of dom0
 * may bind (xenstored binds it when it runs).
 */
struct flb_watch {
    bool xs;            /* watching @releaseDomain */
    bool virq;          /* VIRQ_DOM_EXC bound */
    uint32_t virq_port; /* our end of it */
};

/*
 * Opens the watch for a domain that is (introduced) or is not registered
 * with xenstored. FLB_E_SYSTEM naming the call and errno on failure;
 * EEXIST on the VIRQ means another process holds it.
 */
int flb_watch_open(struct flb_backend *be, bool introduced, struct flb_watch *w, struct flb_error *err);
void flb_watch_close(struct flb_backend *be, struct flb_watch *w);

/* Why a wait ended. */
enum flb_wait_outcome {
    FLB_WAIT_SHUTDOWN,      /* the guest shut down; see reason */
    FLB_WAIT_TIMEOUT,       /* still running at the deadline */
    FLB_WAIT_STOPPED,       /* *stop was set; see signal */
    FLB_WAIT_VANISHED,      /* someone else destroyed the domain */
    FLB_WAIT_OUTPUT_FAILED, /* console_write refused the guest's output */
    FLB_WAIT_ERROR,         /* a backend call failed; err says which */
};

struct flb_console;

struct flb_wait_request {
    double deadline; /* CLOCK_MONOTONIC, in seconds; 0: none */

    /* Checked at every wake-up: nonzero (the signal number) ends the wait. May be NULL. */
    volatile sig_atomic_t *stop;
    /* Readable once *stop is set (a signal handler's self-pipe, non-blocking); drained here. -1: none. */
    int wake_fd;

    struct flb_console *console; /* an open console to copy on the way, or NULL */
};

struct flb_wait_result {
    enum flb_wait_outcome outcome;
    enum flb_shutdown_reason reason; /* FLB_WAIT_SHUTDOWN */
    unsigned xen_reason;             /* FLB_WAIT_SHUTDOWN: the code as Xen reported it */
    int signal;                      /* FLB_WAIT_STOPPED: what *stop held */
    double seen_at;                  /* FLB_WAIT_SHUTDOWN: CLOCK_MONOTONIC, in seconds, when it was seen */
};

/*
 * Sleeps until domid shuts down or something else ends the wait, copying
 * its console as it goes; looks at the domain once at first, then only when
 * the watch fires. Destroys nothing. Returns 0, or FLB_E_SYSTEM with the
 * outcome FLB_WAIT_ERROR and err naming the call and errno. Never prints.
 */
int flb_wait_domain(struct flb_backend *be, struct flb_watch *w, uint32_t domid,
                    const struct flb_wait_request *req, struct flb_wait_result *out, struct flb_error *err);

/*
 * The same for several domains at once, as one monitor watching a whole set
 * of guests waits: ends when any of them shuts down or vanishes (*which is
 * its index in domids; the others are looked at again on the next call),
 * or for the reasons above, which concern them all. The console, if any, is
 * one domain's.
 */
int flb_wait_domains(struct flb_backend *be, struct flb_watch *w, const uint32_t *domids, size_t n,
                     const struct flb_wait_request *req, struct flb_wait_result *out, size_t *which,
                     struct flb_error *err);

/*
 * After a destroy: sleeps until Xen has let go of domid, or for timeout_ms
 * at most. 0 once it is gone; -1 if it is still there (a stop, a timeout or
 * a failed call end the wait early: the caller goes on regardless).
 */
int flb_wait_gone(struct flb_backend *be, struct flb_watch *w, uint32_t domid,
                  const struct flb_wait_request *req, int timeout_ms);

#endif
