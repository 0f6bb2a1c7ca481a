/* live_build's output kept in scratch files, as a user's terminal would show it. */
#include "live_capture.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "test_util.h"

static void read_back(int fd, char *buf, size_t len)
{
    ssize_t n = pread(fd, buf, len - 1, 0);

    buf[n > 0 ? n : 0] = '\0';
    close(fd);
}

void live_capture(struct fake *f, const struct cli_opts *opts, const struct flb_config *cfgs,
                  struct live_fleet *fleet, struct captured *c)
{
    struct live_env env = {.rec = stdout, .lock_path = scratch_path("xl-lock")};
    int out = open(scratch_path("stdout"), O_RDWR | O_CREAT | O_TRUNC, 0600);
    int err = open(scratch_path("stderr"), O_RDWR | O_CREAT | O_TRUNC, 0600);
    int saved_out = dup(1), saved_err = dup(2);

    if (out < 0 || err < 0 || saved_out < 0 || saved_err < 0) {
        perror("capturing the live run's output");
        exit(1);
    }
    fflush(stdout);
    fflush(stderr);
    dup2(out, 1);
    dup2(err, 2);
    c->status = live_build(opts, &env, &f->be, cfgs, fleet);
    fflush(stdout);
    fflush(stderr);
    dup2(saved_out, 1);
    dup2(saved_err, 2);
    close(saved_out);
    close(saved_err);
    read_back(out, c->out, sizeof(c->out));
    read_back(err, c->err, sizeof(c->err));
}
