/* The creation lock: held across processes, never left by a dead one, interrupted by a signal; xl.conf's
 * path. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "domain/lock.h"
#include "frontend/config_file.h"
#include "test_util.h"

static double now_s(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Whether another process holds a write lock on path: what xl itself would find. */
static bool held_elsewhere(const char *path)
{
    struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
    int fd = open(path, O_WRONLY);
    bool held;

    if (fd < 0)
        return false;
    held = fcntl(fd, F_GETLK, &fl) == 0 && fl.l_type != F_UNLCK;
    close(fd);
    return held;
}

/* Taken in a directory that does not exist yet; seen by another process; waited for; released. */
static void test_lock_between_processes(void)
{
    const char *path = scratch_path("lock-dir/xl");
    struct flb_error err = {{0}};
    int fd, p[2];
    double dropped, got;
    pid_t pid;

    CHECK(flb_lock_take(path, NULL, &fd, &err) == FLB_OK && fd >= 0, "take: %s", err.msg);
    CHECK(pipe(p) == 0, "pipe");
    pid = fork();
    if (pid == 0) {
        int cfd;
        double t;

        /* The child sees it held, waits for it, and says when it got it. */
        if (!held_elsewhere(path) || flb_lock_take(path, NULL, &cfd, &err) != FLB_OK)
            _exit(1);
        t = now_s();
        if (write(p[1], &t, sizeof(t)) != sizeof(t))
            _exit(2);
        _exit(0);
    }
    usleep(300000);
    dropped = now_s();
    flb_lock_drop(&fd);
    CHECK(fd == -1, "fd %d after the drop", fd);
    CHECK(read(p[0], &got, sizeof(got)) == sizeof(got), "the child never got the lock");
    CHECK(got >= dropped, "the child got the lock %.3f s before it was dropped", dropped - got);
    {
        int status;

        waitpid(pid, &status, 0);
        CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child status %#x", status);
    }
    close(p[0]);
    close(p[1]);
    /* Its holder gone, nobody holds it: fcntl locks die with their process. */
    CHECK(!held_elsewhere(path), "a dead child's lock is left");
}

/* A child that takes the lock at path and holds it until killed: its pid, once it holds it. */
static pid_t holder_start(const char *path)
{
    struct flb_error err = {{0}};
    int fd, p[2];
    char c = 0;
    pid_t pid;

    CHECK(pipe(p) == 0, "pipe");
    pid = fork();
    if (pid == 0) {
        if (flb_lock_take(path, NULL, &fd, &err) != FLB_OK || write(p[1], "x", 1) != 1)
            _exit(1);
        pause();
        _exit(0);
    }
    CHECK(read(p[0], &c, 1) == 1, "the child never took the lock");
    close(p[0]);
    close(p[1]);
    return pid;
}

static void holder_kill(pid_t pid)
{
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
}

/* A builder killed while it holds the lock leaves it free. */
static void test_killed_holder(void)
{
    const char *path = scratch_path("lock-killed");
    struct flb_error err = {{0}};
    pid_t pid = holder_start(path);
    int fd;

    CHECK(held_elsewhere(path), "the child's lock is not seen");
    holder_kill(pid);
    CHECK(flb_lock_take(path, NULL, &fd, &err) == FLB_OK, "after SIGKILL: %s", err.msg);
    flb_lock_drop(&fd);
}

static volatile sig_atomic_t stop_flag;

static void on_alarm(int sig)
{
    stop_flag = sig;
}

/* A signal that sets the stop flag ends the wait for the lock; the message says what was waited for. */
static void test_interrupted_wait(void)
{
    const char *path = scratch_path("lock-stop");
    struct sigaction sa = {.sa_handler = on_alarm}, old;
    struct flb_error err = {{0}};
    pid_t pid = holder_start(path);
    int mine;

    sigemptyset(&sa.sa_mask);
    sigaction(SIGALRM, &sa, &old);
    stop_flag = 0;
    alarm(1);
    CHECK(flb_lock_take(path, &stop_flag, &mine, &err) == FLB_E_SYSTEM && mine == -1, "the wait went on");
    CHECK(!strncmp(err.msg, "interrupted waiting for the lock ", 33) && strstr(err.msg, "lock-stop"),
          "message: %s", err.msg);
    sigaction(SIGALRM, &old, NULL);
    holder_kill(pid);
}

/* xl.conf: its lockfile, xl's default without one, and a file xl refuses refused here too. */
static void test_xl_conf(void)
{
    const char *conf = scratch_path("xl.conf");
    struct flb_error err = {{0}};
    char path[256];

    CHECK(flb_xl_lockfile(scratch_path("no-such-xl.conf"), path, sizeof(path), &err) == FLB_OK, "%s",
          err.msg);
    CHECK_STR(path, "/var/lock/xl");
    write_file(conf, "autoballoon=\"off\"\nlockfile=\"/run/lock/xl-test\"\n", 47);
    CHECK(flb_xl_lockfile(conf, path, sizeof(path), &err) == FLB_OK, "%s", err.msg);
    CHECK_STR(path, "/run/lock/xl-test");
    write_file(conf, "autoballoon=\"off\"\n", 18);
    CHECK(flb_xl_lockfile(conf, path, sizeof(path), &err) == FLB_OK, "%s", err.msg);
    CHECK_STR(path, "/var/lock/xl");
    write_file(conf, "lockfile = = \"x\"\n", 17);
    CHECK(flb_xl_lockfile(conf, path, sizeof(path), &err) == FLB_E_INPUT, "a broken xl.conf passed");
    CHECK(strstr(err.msg, "xl.conf:1:") && strstr(err.msg, "xl refuses this file too"), "message: %s",
          err.msg);
}

int main(void)
{
    test_lock_between_processes();
    test_killed_holder();
    test_interrupted_wait();
    test_xl_conf();
    return check_summary();
}
