/* The detached monitor: a child in its own session that watches the guest, acts on its shutdowns, logs to
 * syslog. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <syslog.h>
#include <unistd.h>

#include "domain/monitor.h"
#include "flb_xen/xen_backend.h"
#include "live.h"

/* What the child tells the parent once it watches the guest; anything else is why it could not. */
#define READY "ready"

static void report(void *arg, const struct flb_monitor_event *ev)
{
    const char *name = arg;

    switch (ev->kind) {
    case FLB_MONITOR_SHUTDOWN:
        syslog(LOG_NOTICE, "domain %u (%s): %s (code %u): %s", ev->domid, name,
               flb_shutdown_reason_name(ev->reason), ev->xen_reason, flb_action_name(ev->action));
        break;
    case FLB_MONITOR_PRESERVED: syslog(LOG_NOTICE, "domain %u kept as %s", ev->domid, ev->new_name); break;
    case FLB_MONITOR_RESTARTED: syslog(LOG_NOTICE, "%s restarted as domain %u", name, ev->new_domid); break;
    case FLB_MONITOR_RESTART_FAILED: syslog(LOG_ERR, "restarting %s failed: %s", name, ev->msg); break;
    }
}

static void log_step(void *arg, int level, const char *msg)
{
    const struct cli_opts *opts = arg;

    if (opts->verbose >= level)
        syslog(LOG_DEBUG, "%s", msg);
}

/* Why the monitor ended, for the log: the guest is gone for good, kept, or left running. */
static void log_end(const char *name, const struct flb_monitor_result *out, const struct flb_error *err)
{
    switch (out->outcome) {
    case FLB_WAIT_SHUTDOWN:
        syslog(LOG_INFO, "%s: domain %u %s after its %s; monitor done", name, out->domid,
               out->action == FLB_ACTION_DESTROY ? "destroyed" : "left",
               flb_shutdown_reason_name(out->reason));
        break;
    case FLB_WAIT_VANISHED:
        syslog(LOG_INFO, "%s: domain %u destroyed by someone else; monitor done", name, out->domid);
        break;
    case FLB_WAIT_STOPPED:
        syslog(LOG_WARNING, "%s: monitor stopped by signal %d; domain %u left running unmonitored", name,
               out->signal, out->domid);
        break;
    case FLB_WAIT_ERROR: syslog(LOG_ERR, "%s: %s", name, err->msg); break;
    case FLB_WAIT_TIMEOUT:
    case FLB_WAIT_OUTPUT_FAILED: break; /* neither happens here: no timeout, no console */
    }
    if (out->destroy_failed)
        syslog(LOG_ERR, "%s", out->destroy_err.msg);
}

static void to_dev_null(void)
{
    int fd = open("/dev/null", O_RDWR);

    if (fd < 0)
        return;
    dup2(fd, STDIN_FILENO);
    dup2(fd, STDOUT_FILENO);
    dup2(fd, STDERR_FILENO);
    if (fd > STDERR_FILENO)
        close(fd);
}

static void chdir_root(void)
{
    if (chdir("/") != 0)
        syslog(LOG_WARNING, "chdir /: %s", strerror(errno));
}

static void tell(int fd, const char *msg)
{
    if (write(fd, msg, strlen(msg)) < 0)
        syslog(LOG_ERR, "telling the builder: %s", strerror(errno));
    close(fd);
}

/*
 * The child. The handles it inherited are closed unused: libxencall's
 * buffers are not carried across fork(), so the interfaces are opened
 * again, as xl's monitor does.
 */
static int monitor_child(const struct cli_opts *opts, const struct flb_xen_options *xo,
                         struct flb_backend *old, const struct flb_build_request *breq,
                         struct flb_build_result *res, int ready_fd)
{
    const char *name = breq->plan->name;
    struct flb_build_request again = *breq;
    struct flb_monitor_request req = {
        .build = &again,
        .stop = &live_stop,
        .report = report,
        .report_arg = (void *)name,
    };
    struct flb_monitor_result out;
    struct flb_error err = {{0}};
    struct flb_backend *be = NULL;
    struct flb_watch w;
    char msg[sizeof(err.msg) + 16];

    setsid();
    /* Holding no directory busy; "/" is always there. */
    chdir_root();
    to_dev_null();
    openlog("fixed-layout-build", LOG_PID, LOG_DAEMON);
    flb_xen_close(old);
    if (live_signals() != 0 || flb_xen_open(xo, &be, &err) != 0 ||
        flb_watch_open(be, breq->use_xenstore, &w, &err) != 0) {
        snprintf(msg, sizeof(msg), "%s", err.msg[0] ? err.msg : strerror(errno));
        tell(ready_fd, msg);
        flb_xen_close(be);
        return 1;
    }
    /* A terminal's hangup is not ours any more; SIGTERM and SIGINT end the monitor, not the guest. */
    signal(SIGHUP, SIG_IGN);
    req.wake_fd = live_wake_fd;
    again.log = log_step;
    again.log_arg = (void *)opts;
    tell(ready_fd, READY);
    syslog(LOG_INFO, "monitoring domain %u (%s)", res->domid, name);
    flb_monitor(be, &w, res, &req, &out, &err);
    log_end(name, &out, &err);
    flb_watch_close(be, &w);
    flb_xen_close(be);
    closelog();
    return out.outcome == FLB_WAIT_ERROR ? 1 : 0;
}

int live_detach(const struct cli_opts *opts, const struct flb_xen_options *xo, struct flb_backend *be,
                const struct flb_build_request *req, struct flb_build_result *res)
{
    struct flb_error err = {{0}};
    char why[600] = "";
    ssize_t n, got = 0;
    int p[2];
    pid_t pid;

    /* Nothing buffered may be written twice, by the child too. */
    fflush(stdout);
    fflush(stderr);
    if (pipe2(p, O_CLOEXEC) != 0) {
        snprintf(why, sizeof(why), "pipe: %s", strerror(errno));
        goto failed;
    }
    pid = fork();
    if (pid == 0) {
        close(p[0]);
        _exit(monitor_child(opts, xo, be, req, res, p[1]));
    }
    close(p[1]);
    if (pid < 0) {
        close(p[0]);
        snprintf(why, sizeof(why), "fork: %s", strerror(errno));
        goto failed;
    }
    while ((n = read(p[0], why + got, sizeof(why) - 1 - (size_t)got)) > 0 || (n < 0 && errno == EINTR))
        got += n > 0 ? n : 0;
    why[got] = '\0';
    close(p[0]);
    if (!strcmp(why, READY))
        return EXIT_OK;
    waitpid(pid, NULL, 0);
    if (!why[0])
        snprintf(why, sizeof(why), "it ended without a word");
failed:
    cli_error("the monitor could not start: %s; destroying domain %u", why, res->domid);
    if (flb_teardown(be, res, &err) != 0)
        cli_error("%s", err.msg);
    return EXIT_FAILURE_OTHER;
}
