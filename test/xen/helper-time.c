/* flb-dom0-helper time: how long a command takes, and how long until a console line shows NEEDLE. */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <xenctrl.h>

#include "helper.h"

#define RING_CHUNK 65536
#define SEEN_MAX (4u << 20)

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Appends what Xen's console ring got since *index to seen; returns the new length. */
static size_t ring_read(xc_interface *xch, uint32_t *index, char *seen, size_t len)
{
    for (;;) {
        char chunk[RING_CHUNK];
        unsigned int n = sizeof(chunk);
        if (xc_readconsolering(xch, chunk, &n, 0, 1, index) || !n)
            return len;
        if (len + n < SEEN_MAX) {
            memcpy(seen + len, chunk, n);
            len += n;
            seen[len] = '\0';
        }
        if (n < sizeof(chunk))
            return len;
    }
}

int cmd_time(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: flb-dom0-helper time TIMEOUT_MS NEEDLE CMD [ARG...]\n");
        return 2;
    }
    double timeout = strtod(argv[0], NULL);
    const char *needle = argv[1];
    xc_interface *xch = xc_interface_open(NULL, NULL, 0);
    if (!xch) {
        printf("time: xc_interface_open failed\n");
        return 1;
    }
    char *seen = malloc(SEEN_MAX + 1);
    uint32_t index = 0;
    size_t len = 0;
    seen[0] = '\0';
    ring_read(xch, &index, seen, 0); /* skip what is already there */

    double t0 = now_ms(), cmd_ms = -1, line_ms = -1;
    pid_t pid = fork();
    if (pid == 0) {
        /* The command's output, and that of anything it leaves running, goes nowhere. */
        int null = open("/dev/null", O_RDWR);
        if (null >= 0) {
            dup2(null, STDIN_FILENO);
            dup2(null, STDOUT_FILENO);
            dup2(null, STDERR_FILENO);
        }
        execvp(argv[2], argv + 2);
        _exit(127);
    }
    int status = 0;
    while (now_ms() - t0 < timeout && (cmd_ms < 0 || line_ms < 0)) {
        if (cmd_ms < 0 && waitpid(pid, &status, WNOHANG) == pid)
            cmd_ms = now_ms() - t0;
        if (line_ms < 0) {
            len = ring_read(xch, &index, seen, len);
            if (strstr(seen, needle))
                line_ms = now_ms() - t0;
        }
        usleep(1000);
    }
    if (cmd_ms < 0) {
        kill(pid, SIGKILL);
        waitpid(pid, &status, 0);
    }
    printf("cmd_ms=%.1f line_ms=%.1f status=%d\n", cmd_ms, line_ms,
           WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
    free(seen);
    xc_interface_close(xch);
    return cmd_ms >= 0 && line_ms >= 0 ? 0 : 1;
}
