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

/* One guest of the run: what live_build planned and built for it, kept for the monitor. */
struct live_guest {
    const char *config_path; /* for messages, with several guests */
    struct flb_plan plan;
    struct flb_build_request req; /* what a restart builds again */
    struct flb_build_result res;
    bool built; /* built, and not destroyed since: the monitor's to watch */
    int status; /* the guest's own exit status: its build's, then its wait's */
};

/* The guests of one run, in command-line order. */
struct live_fleet {
    struct live_guest *g;
    int n;
    bool detach; /* built and started: the caller starts the detached monitor (live_detach) */
};

/*
 * The live run once the backend is open (cmd/live_build.c): refuses a Xen
 * older than the libraries, plans every guest with the host's facts, opens
 * the monitor's watch, builds the guests one after the other, writes their
 * created records, and with -F, --timeout or -c monitors them in the
 * foreground. When a build fails, the guests built before it are destroyed,
 * unless --keep-going. Prints every message itself and returns the exit
 * status cli.h assigns (with several guests, the first that is not 0 in
 * command-line order); fleet->detach says that the detached monitor is still
 * to start. cfgs and fleet->g hold fleet->n guests. Takes the backend from
 * cli_live_run, or from a test's fake: it calls the library only, never the
 * operations table.
 */
int live_build(const struct cli_opts *opts, const struct live_env *env, struct flb_backend *be,
               const struct flb_config *cfgs, struct live_fleet *fleet);

/* "CONFIG (NAME): " before a guest's messages when the run has several, "" when it has one. */
const char *live_who(const struct live_fleet *fleet, const struct live_guest *g, char *buf, size_t size);

/*
 * cmd/live_fleet.c: builds the planned guests in turn (built says which stand). A failure ends the
 * run with the guests built before it destroyed, unless --keep-going; a signal ends it that way
 * whatever the options. Returns the failure's status when the run ends, else -1.
 */
int live_build_all(const struct cli_opts *opts, struct flb_backend *be, struct live_fleet *fleet);
/* Destroys the guests the run built, saying why any teardown failed; "domain N (NAME), ..." of those
 * destroyed into list. */
void live_destroy_built(struct flb_backend *be, struct live_fleet *fleet, char *list, size_t size);
/* The run's status: the first guest's, in command-line order, that is not 0. */
int live_first_failure(const struct live_fleet *fleet);

/*
 * -F, --timeout, -c: monitors the guests built through w until each is gone
 * for good (copying the one guest's console to stdout with -c), says why each
 * ended, sets each one's status as cli.h assigns it to its last shutdown, and
 * returns the first that is not 0 in command-line order (or 0).
 */
int live_wait(const struct cli_opts *opts, FILE *rec, struct flb_backend *be, struct flb_watch *w,
              struct live_fleet *fleet);

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
 * starts one detached monitor (a new session, no terminal, standard streams
 * on /dev/null, its log in syslog) for every guest built, and returns once it
 * watches them: EXIT_OK, or, when it could not start, EXIT_FAILURE_OTHER with
 * the guests destroyed.
 */
int live_detach(const struct cli_opts *opts, const struct flb_xen_options *xo, struct flb_backend *be,
                struct live_fleet *fleet);

#endif
