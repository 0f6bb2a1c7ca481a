/* The live path's parts: building on Xen, then monitoring the guest in the foreground or detached. */
#ifndef FLB_LIVE_H
#define FLB_LIVE_H

#include <signal.h>

#include <stdio.h>

#include "domain/build.h"
#include "domain/monitor.h"
#include "domain/wait.h"
#include "flb_xen/xen_backend.h"
#include "cli.h"

/* Set to the signal number by SIGINT, SIGTERM, SIGHUP or SIGPIPE. */
extern volatile sig_atomic_t live_stop;
/* Readable once live_stop is set, so that a wait cannot miss the signal; -1 before live_signals(). */
extern int live_wake_fd;

/* Installs the handlers, with a new wake-up pipe (a detached monitor makes its own). 0, or -1 with errno. */
int live_signals(void);

/* Logs one build step at -v (struct flb_build_request's log). */
void live_log_step(void *arg, int level, const char *msg);

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
 * The default: starts the detached monitor (a new session, no terminal,
 * standard streams on /dev/null, its log in syslog) and returns once it
 * watches the guest: EXIT_OK, or, when it could not start, EXIT_FAILURE_OTHER
 * with the guest destroyed.
 */
int live_detach(const struct cli_opts *opts, const struct flb_xen_options *xo, struct flb_backend *be,
                const struct flb_build_request *req, struct flb_build_result *res);

#endif
