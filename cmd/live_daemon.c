/* The detached monitor: a child in its own session that watches the guests of the run, acts on their
 * shutdowns, logs to syslog. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <syslog.h>
#include <unistd.h>

#include "domain/monitor.h"
#include "flb_xen/xen_backend.h"
#include "live.h"

/* What the child tells the parent once it watches the guest; anything else is why it could not. */
#define READY "ready"
/* The longest the monitor's first look waits for the builder's exit. */
#define BUILDER_EXIT_MS 2000

/* What the child watches: the fleet's guests that were built, each request's log sent to syslog. */
struct watched {
    const struct cli_opts *opts;
    struct live_fleet *fleet;
    struct flb_monitor_guest *mg;
    struct flb_build_request *again; /* the requests a restart builds, logging to syslog */
    size_t *index;                   /* mg[i] is the fleet's guest index[i] */
    size_t n;
};

static const char *name_of(const struct watched *w, size_t guest)
{
    return w->fleet->g[w->index[guest]].plan.name;
}

static void report(void *arg, const struct flb_monitor_event *ev)
{
    const char *name = name_of(arg, ev->guest);

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

/* Why a guest's monitoring ended, for the log: the guest is gone for good, kept, or left running. */
static void log_end(void *arg, size_t guest, const struct flb_monitor_guest *g)
{
    const char *name = name_of(arg, guest);
    const struct flb_monitor_result *out = &g->out;

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
    case FLB_WAIT_ERROR: syslog(LOG_ERR, "%s: %s", name, g->err.msg); break;
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

/* The guests built, as the monitor takes them; -1 when memory runs out. */
static int gather(const struct cli_opts *opts, struct live_fleet *fleet, struct watched *w)
{
    size_t n = (size_t)fleet->n;

    *w = (struct watched){.opts = opts, .fleet = fleet};
    w->mg = calloc(n, sizeof(*w->mg));
    w->again = calloc(n, sizeof(*w->again));
    w->index = calloc(n, sizeof(*w->index));
    if (!w->mg || !w->again || !w->index)
        return -1;
    for (int i = 0; i < fleet->n; i++) {
        if (!fleet->g[i].built)
            continue;
        w->again[w->n] = fleet->g[i].req;
        w->again[w->n].log = log_step;
        w->again[w->n].log_arg = (void *)opts;
        w->mg[w->n] = (struct flb_monitor_guest){.build = &w->again[w->n], .res = &fleet->g[i].res};
        w->index[w->n++] = (size_t)i;
    }
    return 0;
}

/*
 * Until the builder has exited (its end of the pipe closes with it), a signal comes (the self-pipe,
 * left for the monitor to read), or BUILDER_EXIT_MS have passed: a builder stopped, or blocked
 * writing to a pipe nobody reads, must not hold up the guests' actions for longer.
 */
static void await_builder_exit(int gone_fd)
{
    struct pollfd fds[2] = {{.fd = gone_fd, .events = POLLIN}, {.fd = live_wake_fd, .events = POLLIN}};
    double deadline = cli_now_ms() + BUILDER_EXIT_MS;
    char c;

    while (!live_stop) {
        double left = deadline - cli_now_ms();
        int n = left > 0 ? poll(fds, 2, (int)left + 1) : 0;

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0 || fds[1].revents || (fds[0].revents && read(gone_fd, &c, 1) <= 0))
            break;
    }
    close(gone_fd);
}

/*
 * The child: one monitor for every guest built. The handles it inherited are
 * closed unused: libxencall's buffers are not carried across fork(), so the
 * interfaces are opened again, as xl's monitor does.
 */
static int monitor_child(const struct cli_opts *opts, const struct flb_xen_options *xo,
                         struct flb_backend *old, struct live_fleet *fleet, int ready_fd, int gone_fd)
{
    struct watched wd;
    struct flb_monitor_request req = {
        .stop = &live_stop,
        .report = report,
        .ended = log_end,
        .report_arg = &wd,
    };
    struct flb_error err = {{0}};
    struct flb_backend *be = NULL;
    struct flb_watch w;
    char msg[sizeof(err.msg) + 16];
    int rc;

    setsid();
    /* Holding no directory busy; "/" is always there. */
    chdir_root();
    to_dev_null();
    openlog("fixed-layout-build", LOG_PID, LOG_DAEMON);
    flb_xen_close(old);
    if (gather(opts, fleet, &wd) != 0) {
        tell(ready_fd, "out of memory");
        return 1;
    }
    if (live_signals() != 0 || flb_xen_open(xo, &be, &err) != 0 ||
        flb_watch_open(be, wd.again[0].use_xenstore, &w, &err) != 0) {
        snprintf(msg, sizeof(msg), "%s", err.msg[0] ? err.msg : strerror(errno));
        tell(ready_fd, msg);
        flb_xen_close(be);
        return 1;
    }
    /* A terminal's hangup is not ours any more; SIGTERM and SIGINT end the monitor, not the guests. */
    signal(SIGHUP, SIG_IGN);
    req.wake_fd = live_wake_fd;
    /* Before the builder is told: on a dom0 of one vCPU, work after it would hold up the command's exit. */
    for (size_t i = 0; i < wd.n; i++)
        syslog(LOG_INFO, "monitoring domain %u (%s)", wd.mg[i].res->domid, name_of(&wd, i));
    tell(ready_fd, READY);
    /*
     * The watch holds every event from now on; the first look at the guests waits until the
     * builder has exited, so that on a dom0 of few CPUs it does not take the CPU from the exit
     * the builder's caller waits for.
     */
    await_builder_exit(gone_fd);
    rc = flb_monitor_guests(be, &w, wd.mg, wd.n, &req);
    flb_watch_close(be, &w);
    flb_xen_close(be);
    closelog();
    return rc ? 1 : 0;
}

/* The monitor did not start: the guests it was to watch go, as a single guest's would. */
static int not_started(struct flb_backend *be, struct live_fleet *fleet, const char *why)
{
    char list[1024];

    live_destroy_built(be, fleet, list, sizeof(list));
    if (list[0])
        cli_error("the monitor could not start: %s; destroyed %s", why, list);
    else
        cli_error("the monitor could not start: %s", why);
    return EXIT_FAILURE_OTHER;
}

int live_detach(const struct cli_opts *opts, const struct flb_xen_options *xo, struct flb_backend *be,
                struct live_fleet *fleet)
{
    char why[600] = "";
    ssize_t n, got = 0;
    int p[2], gone[2], fork_errno;
    double t0 = cli_now_ms();
    pid_t pid;

    /* Nothing buffered may be written twice, by the child too. */
    fflush(stdout);
    fflush(stderr);
    if (pipe2(p, O_CLOEXEC) != 0) {
        snprintf(why, sizeof(why), "pipe: %s", strerror(errno));
        return not_started(be, fleet, why);
    }
    if (pipe2(gone, O_CLOEXEC) != 0) {
        snprintf(why, sizeof(why), "pipe: %s", strerror(errno));
        close(p[0]);
        close(p[1]);
        return not_started(be, fleet, why);
    }
    pid = fork();
    fork_errno = errno;
    if (pid == 0) {
        close(p[0]);
        close(gone[1]);
        _exit(monitor_child(opts, xo, be, fleet, p[1], gone[0]));
    }
    close(p[1]);
    /* gone[1] stays open until this process ends: that end is what the monitor waits for. */
    close(gone[0]);
    if (pid < 0) {
        close(p[0]);
        close(gone[1]);
        snprintf(why, sizeof(why), "fork: %s", strerror(fork_errno));
        return not_started(be, fleet, why);
    }
    if (opts->verbose)
        cli_verbose("forking the detached monitor: %.3f ms", cli_now_ms() - t0);
    t0 = cli_now_ms();
    while ((n = read(p[0], why + got, sizeof(why) - 1 - (size_t)got)) > 0 || (n < 0 && errno == EINTR))
        got += n > 0 ? n : 0;
    why[got] = '\0';
    close(p[0]);
    if (opts->verbose)
        cli_verbose("waiting for the detached monitor to watch: %.3f ms", cli_now_ms() - t0);
    if (!strcmp(why, READY))
        return EXIT_OK;
    close(gone[1]);
    waitpid(pid, NULL, 0);
    if (!why[0])
        snprintf(why, sizeof(why), "it ended without a word");
    return not_started(be, fleet, why);
}
