/* flb-dom0-helper time: how long a command takes, and how long until a console line shows NEEDLE (or until
 * COUNT guests have each printed one); with the command's page faults and CPU time. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "helper.h"

double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Runs argv with its output, and that of anything it leaves running, going to the descriptor out. A
 * vfork-like spawn: the timer's own pages are not copied (on a PV dom0, each page table entry a
 * write Xen checks), so the time from here to the command's exit is the command's. */
static pid_t spawn(char **argv, int out)
{
    posix_spawn_file_actions_t fa;
    pid_t pid = -1;

    if (posix_spawn_file_actions_init(&fa))
        return -1;
    if (!posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0) &&
        !posix_spawn_file_actions_adddup2(&fa, out, STDOUT_FILENO) &&
        !posix_spawn_file_actions_adddup2(&fa, out, STDERR_FILENO)) {
        int err = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
        if (err) {
            errno = err;
            pid = -1;
        }
    }
    posix_spawn_file_actions_destroy(&fa);
    return pid;
}

/* A daemon's CPU time so far (ms, in clock ticks: 10 ms steps), -1 when it cannot be read: its work for
 * a command is not in the command's own CPU time. */
static double daemon_cpu_ms(const char *pid_file)
{
    char path[64], buf[1024];
    long pid = -1;
    unsigned long user, sys;
    FILE *f = fopen(pid_file, "r");

    if (!f)
        return -1;
    if (fscanf(f, "%ld", &pid) != 1)
        pid = -1;
    fclose(f);
    if (pid <= 0)
        return -1;
    snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
    if (!(f = fopen(path, "r")))
        return -1;
    size_t n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[n] = '\0';
    /* After the name in parentheses: state, then 10 fields, then utime and stime. */
    const char *p = strrchr(buf, ')');
    if (!p || sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &user, &sys) != 2)
        return -1;
    return (double)(user + sys) * 1e3 / (double)sysconf(_SC_CLK_TCK);
}

static double tv_ms(struct timeval tv)
{
    return (double)tv.tv_sec * 1e3 + (double)tv.tv_usec / 1e3;
}

static double own_cpu_ms(void)
{
    struct rusage r;

    getrusage(RUSAGE_SELF, &r);
    return tv_ms(r.ru_utime) + tv_ms(r.ru_stime);
}

/* dom0's CPU time so far, all its vCPUs (/proc/stat, ms): idle, stolen (Xen ran other vCPUs), and
 * busy (user, system, interrupts). false when it cannot be read. */
struct dom0_cpu {
    double idle, steal, busy;
};

static bool dom0_cpu(struct dom0_cpu *c)
{
    unsigned long long user, nice, sys, idle, iowait, irq, softirq, steal;
    double tick = 1e3 / (double)sysconf(_SC_CLK_TCK);
    FILE *f = fopen("/proc/stat", "r");
    int n = f ? fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &user, &nice, &sys, &idle, &iowait,
                       &irq, &softirq, &steal)
              : 0;

    if (f)
        fclose(f);
    if (n != 8)
        return false;
    c->idle = (double)(idle + iowait) * tick;
    c->steal = (double)steal * tick;
    c->busy = (double)(user + nice + sys + irq + softirq) * tick;
    return true;
}

double timeout_arg(const char *s)
{
    char *end;
    double ms = strtod(s, &end);

    return end != s && !*end && ms >= 1 && ms <= TIMEOUT_MAX_MS ? ms : -1;
}

/* Until the descriptor (the command's pidfd) is readable or timeout_ms pass; without one, a few ms. */
static void wait_exit(int fd, double timeout_ms)
{
    struct pollfd p = {.fd = fd, .events = POLLIN};

    poll(&p, fd >= 0 ? 1 : 0, (int)(timeout_ms + 0.999));
}

int cmd_time(int argc, char **argv)
{
    /* -o FILE keeps the command's output (a -v build's figures); without it, it goes nowhere. */
    const char *save = NULL;
    /* -n COUNT: the line time is when COUNT different guests have printed NEEDLE (a fleet's builds). */
    int count = 1;
    while (argc >= 2 && (!strcmp(argv[0], "-o") || !strcmp(argv[0], "-n"))) {
        if (!strcmp(argv[0], "-o"))
            save = argv[1];
        else
            count = atoi(argv[1]);
        argc -= 2;
        argv += 2;
    }
    if (argc < 3 || count < 1 || count > RING_DOMAINS_MAX) {
        fprintf(stderr, "usage: flb-dom0-helper time [-o FILE] [-n COUNT] TIMEOUT_MS NEEDLE CMD [ARG...]\n");
        return 2;
    }
    double timeout = timeout_arg(argv[0]);
    const char *needle = argv[1];
    if (timeout < 0) {
        fprintf(stderr, "flb-dom0-helper time: TIMEOUT_MS '%s' is not a number of ms from 1 to %d\n", argv[0],
                TIMEOUT_MAX_MS);
        return 2;
    }
    int out = save ? open(save, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)
                   : open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (out < 0) {
        printf("time: cannot open %s\n", save ? save : "/dev/null");
        return 1;
    }
    /* An ignored SIGCHLD, inherited, would reap the command before wait4 sees its status. */
    signal(SIGCHLD, SIG_DFL);
    struct ring ring;
    if (ring_open(&ring, true)) {
        close(out);
        return 1;
    }

    /* NEEDLE "-": time the command alone. */
    /* xenstored's CPU from the command's start to its exit: what its requests cost. */
    double xs0 = daemon_cpu_ms("/run/xen/xenstored.pid"), xs1 = -1;
    /* xenconsoled's and this timer's own CPU: the rest of dom0's work meanwhile. */
    double xc0 = daemon_cpu_ms("/run/xen/xenconsoled.pid"), xc1 = -1, me0 = own_cpu_ms(), me1 = -1;
    /* dom0 over the same span: where the time went that neither the command nor xenstored used. */
    struct dom0_cpu d0, d1 = {0};
    bool dom0_known = dom0_cpu(&d0);
    double t0 = now_ms(), cmd_ms = -1, line_ms = strcmp(needle, "-") ? -1 : 0;
    static struct ring_count found;
    pid_t pid = spawn(argv + 2, out);
    close(out);
    if (pid < 0) {
        printf("time: cannot run %s: %s\n", argv[2], strerror(errno));
        ring_close(&ring);
        return 1;
    }
    /* The command's exit (a pidfd) and Xen's writes to its console ring (a VIRQ) wake the wait: nothing is
     * rounded up to a poll, and the timer takes no CPU from the command between them. */
    int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
    int status = 0;
    struct rusage ru = {0};
    for (;;) {
        if (cmd_ms < 0 && wait4(pid, &status, WNOHANG, &ru) != 0) { /* ended, or cannot be waited for */
            cmd_ms = now_ms() - t0;
            xs1 = daemon_cpu_ms("/run/xen/xenstored.pid");
            xc1 = daemon_cpu_ms("/run/xen/xenconsoled.pid");
            me1 = own_cpu_ms();
            dom0_known = dom0_known && dom0_cpu(&d1);
        }
        if (line_ms < 0 && (count == 1 ? ring_find_line(&ring, "(d", needle) != NULL
                                       : ring_count_domains(&ring, needle, &found) >= count))
            line_ms = now_ms() - t0;
        double left = timeout - (now_ms() - t0);
        if ((cmd_ms >= 0 && line_ms >= 0) || left <= 0)
            break;
        /* Without a pidfd, nothing wakes the wait at the command's exit: it looks again every few ms. */
        if (cmd_ms < 0 && pidfd < 0 && left > RING_POLL_MS)
            left = RING_POLL_MS;
        if (line_ms < 0)
            ring_wait(&ring, cmd_ms < 0 ? pidfd : -1, left);
        else
            wait_exit(pidfd, left); /* the line is in: Xen's later writes need not wake the timer */
    }
    if (pidfd >= 0)
        close(pidfd);
    if (cmd_ms < 0) {
        kill(pid, SIGKILL);
        wait4(pid, &status, 0, &ru);
    }
    /* start: the monotonic clock when the command was started, for lines the command logs with it. */
    printf("cmd_ms=%.1f line_ms=%.1f status=%d start=%.3f minflt=%ld majflt=%ld user_ms=%.1f sys_ms=%.1f "
           "xenstored_ms=%.1f dom0_busy_ms=%.1f dom0_idle_ms=%.1f dom0_steal_ms=%.1f xenconsoled_ms=%.1f "
           "timer_ms=%.1f ring=%s\n",
           cmd_ms, line_ms, WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status), t0,
           ru.ru_minflt, ru.ru_majflt, tv_ms(ru.ru_utime), tv_ms(ru.ru_stime),
           xs0 >= 0 && xs1 >= 0 ? xs1 - xs0 : -1, dom0_known && cmd_ms >= 0 ? d1.busy - d0.busy : -1,
           dom0_known && cmd_ms >= 0 ? d1.idle - d0.idle : -1,
           dom0_known && cmd_ms >= 0 ? d1.steal - d0.steal : -1, xc0 >= 0 && xc1 >= 0 ? xc1 - xc0 : -1,
           me1 >= 0 ? me1 - me0 : -1, ring.xce ? "virq" : "polled");
    ring_close(&ring);
    return cmd_ms >= 0 && line_ms >= 0 ? 0 : 1;
}
