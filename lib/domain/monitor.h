/* The monitor: waits for a built guest, carries out the action its shutdown reason gets, restarts it. */
#ifndef FLB_MONITOR_H
#define FLB_MONITOR_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/error.h"
#include "core/lifecycle.h"
#include "domain/build.h"
#include "domain/wait.h"

/* One thing the monitor did, for the caller to log; the monitor itself never prints. */
enum flb_monitor_event_kind {
    FLB_MONITOR_SHUTDOWN,       /* domid shut down for reason; action follows */
    FLB_MONITOR_RESTARTED,      /* the guest runs again, as new_domid */
    FLB_MONITOR_RESTART_FAILED, /* msg says why; nothing of the new build is left */
    FLB_MONITOR_PRESERVED,      /* domid is kept, renamed new_name */
};

struct flb_monitor_event {
    enum flb_monitor_event_kind kind;
    uint32_t domid;
    enum flb_shutdown_reason reason;
    unsigned xen_reason;
    enum flb_action action;
    uint32_t new_domid;
    const char *new_name; /* FLB_MONITOR_PRESERVED */
    const char *msg;      /* FLB_MONITOR_RESTART_FAILED */
    double seen_at;       /* FLB_MONITOR_SHUTDOWN: CLOCK_MONOTONIC, in seconds, when the monitor saw it */
    size_t guest;         /* the guest's index in flb_monitor_guests' set; 0 for flb_monitor */
};

typedef void flb_monitor_report_fn(void *arg, const struct flb_monitor_event *ev);

struct flb_monitor_guest;
/* A guest of the set is done (its result is final): called once for each, as it happens. */
typedef void flb_monitor_ended_fn(void *arg, size_t guest, const struct flb_monitor_guest *g);

struct flb_monitor_request {
    /* flb_monitor: what a restart builds again: the same plan, UUID and options; never paused. */
    const struct flb_build_request *build;

    unsigned timeout_s; /* 0: no limit; counted from the start, across restarts */
    volatile sig_atomic_t *stop;
    int wake_fd; /* see struct flb_wait_request */
    /* A stop destroys the guest (the foreground wait); otherwise it is left running (a detached monitor). */
    bool destroy_on_stop;

    bool console; /* copy the console ring of each domain in turn to console_write; one guest only */
    flb_console_write_fn *console_write;
    void *console_arg;

    flb_monitor_report_fn *report; /* may be NULL */
    flb_monitor_ended_fn *ended;   /* may be NULL */
    void *report_arg;              /* for both */
};

struct flb_monitor_result {
    enum flb_wait_outcome outcome; /* what ended the monitor */
    bool shut_down;                /* a shutdown was seen: reason, xen_reason and action are the last one's */
    enum flb_shutdown_reason reason;
    unsigned xen_reason;
    enum flb_action action;
    unsigned restarts; /* restarts that succeeded */
    uint32_t domid;    /* the guest's last domain */
    int signal;        /* FLB_WAIT_STOPPED */
    uint64_t console_bytes;

    /* Destroying the guest at the end failed: reported apart, as it does not change the outcome. */
    bool destroy_failed;
    struct flb_error destroy_err;
};

/*
 * Watches the guest flb_build left in *res through w until it is gone for
 * good: destroyed (by its action, a timeout, a stop with destroy_on_stop,
 * someone else), preserved, left suspended, or left running by a stop. On a
 * restart *res becomes the new build's. The outcome FLB_WAIT_SHUTDOWN means
 * the last shutdown's action ended it. Returns 0, or FLB_E_SYSTEM with
 * FLB_WAIT_ERROR when a call or a restart failed, err naming it; whatever
 * failed, no domain of ours is left but one the action kept.
 */
int flb_monitor(struct flb_backend *be, struct flb_watch *w, struct flb_build_result *res,
                const struct flb_monitor_request *req, struct flb_monitor_result *out, struct flb_error *err);

/* One guest of a set that one monitor watches (flb_monitor_guests). */
struct flb_monitor_guest {
    const struct flb_build_request *build; /* what a restart builds again */
    struct flb_build_result *res;          /* its domain; a restart makes it the new one's */
    struct flb_monitor_result out;         /* final once done */
    struct flb_error err;                  /* why, when out.outcome is FLB_WAIT_ERROR */
    bool done;
};

/*
 * flb_monitor for n guests at once, through one watch: each guest's
 * shutdowns get their own actions, as flb_monitor gives them, and a guest
 * that is gone for good is done (req->ended tells) while the others are still
 * watched. A stop, the timeout (one deadline for all) or a failed wait ends
 * every guest not yet done. req->build is not used; req->console needs n ==
 * 1. Returns 0, or FLB_E_SYSTEM when some guest ended with FLB_WAIT_ERROR.
 */
int flb_monitor_guests(struct flb_backend *be, struct flb_watch *w, struct flb_monitor_guest *g, size_t n,
                       const struct flb_monitor_request *req);

#endif
