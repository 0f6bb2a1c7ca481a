/* The live path's parts: building on Xen, then monitoring the guest in the foreground or detached. */
#ifndef FLB_LIVE_H
#define FLB_LIVE_H

#include <signal.h>
#include <stdio.h>

#include "domain/build.h"
#include "domain/monitor.h"
#include "domain/wait.h"
#include "cli.h"

struct flb_xen_options;

/* Set to the signal number by SIGINT, SIGTERM, SIGHUP or SIGPIPE. */
extern volatile sig_atomic_t live_stop;
/* Readable once live_stop is set, so that a wait cannot miss the signal; -1 before live_signals(). */
extern int live_wake_fd;

/* Installs the handlers, with a new wake-up pipe (a detached monitor makes its own). 0, or -1 with errno. */
int live_signals(void);

/* Logs one build step at -v (struct flb_build_request's log). */
void live_log_step(void *arg, int level, const char *msg);

/* What the live run takes from the machine besides the backend: cli_live_run's, or a test's. */
struct live_env {
    FILE *rec;             /* where the records go (live_record_open) */
    const char *lock_path; /* the lock file xl takes, as xl.conf names it; NULL without xenstore */
};

/* The guest live_build built, kept for the detached monitor. */
struct live_guest {
    struct flb_plan plan;
    struct flb_build_request req; /* what a restart builds again */
    struct flb_build_result res;
    bool detach; /* built and started: the caller starts the detached monitor (live_detach) */
};

/*
 * The live run once the backend is open (cmd/live_build.c): refuses a Xen
 * older than the libraries, plans with the host's facts, opens the monitor's
 * watch, builds, writes the created record, and with -F, --timeout or -c
 * monitors the guest in the foreground. Prints every message itself and
 * returns the exit status cli.h assigns; g->detach says that the detached
 * monitor is still to start. Takes the backend from cli_live_run, or from a
 * test's fake: it calls the library only, never the operations table.
 */
int live_build(const struct cli_opts *opts, const struct live_env *env, struct flb_backend *be,
               const struct flb_config *cfg, struct live_guest *g);

/*
 * -F, --timeout, -c: monitors the guest in this process through w until it
 * is gone for good (copying its console to stdout with -c), says why it
 * ended and returns the exit status cli.h assigns to the last shutdown.
 */
int live_wait(const struct cli_opts *opts, FILE *rec, struct flb_backend *be, struct flb_watch *w,
              const struct flb_build_request *req, struct flb_build_result *res);

/*
 * The records (live_record.c): standard output, standard error with -c (standard output is then the
 * console's alone), or --record's file. In text, the created line alone; in JSON, one object each:
 * created (domid, uuid, name, and the plan as the dry-run prints it), restarted, ended (the last
 * shutdown's reason, the action, the exit status).
 */
FILE *live_record_open(const struct cli_opts *opts);
void live_record_close(FILE *rec);
void live_record_created(const struct cli_opts *opts, FILE *out, const struct flb_build_request *req,
                         uint32_t domid);
void live_record_restarted(const struct cli_opts *opts, FILE *out, uint32_t domid, uint32_t previous,
                           enum flb_shutdown_reason reason, enum flb_action action);
void live_record_ended(const struct cli_opts *opts, FILE *out, const char *name,
                       const struct flb_monitor_result *r, int status);

/*
 * The default (cmd/live_daemon.c, in the command alone: it opens Xen again):
 * starts the detached monitor (a new session, no terminal, standard streams on
 * /dev/null, its log in syslog) and returns once it watches the guest:
 * EXIT_OK, or, when it could not start, EXIT_FAILURE_OTHER with the guest
 * destroyed.
 */
int live_detach(const struct cli_opts *opts, const struct flb_xen_options *xo, struct flb_backend *be,
                const struct flb_build_request *req, struct flb_build_result *res);

#endif
