/* xl's domain creation lock: a write lock on its whole lock file, taken with fcntl as xl takes it. */
#include "domain/lock.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* xl creates the file, not its directory; a host without /var/lock would then never build. */
static int open_lock_file(const char *path)
{
    char dir[PATH_MAX];
    const char *slash = strrchr(path, '/');
    int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, S_IWUSR);

    if (fd >= 0 || errno != ENOENT || !slash || slash == path)
        return fd;
    snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
    if (mkdir(dir, 0755) != 0 && errno != EEXIST)
        return -1;
    return open(path, O_WRONLY | O_CREAT | O_CLOEXEC, S_IWUSR);
}

int flb_lock_take(const char *path, volatile sig_atomic_t *stop, int *fd, struct flb_error *err)
{
    struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0};

    *fd = open_lock_file(path);
    if (*fd < 0)
        return flb_fail(err, FLB_E_SYSTEM, "opening the lock file %s: %s", path, strerror(errno));
    /* Waits for xl or another builder; a signal ends the wait when it set *stop. */
    while (fcntl(*fd, F_SETLKW, &fl) != 0) {
        int e = errno;

        if (e == EINTR && !(stop && *stop))
            continue;
        close(*fd);
        *fd = -1;
        if (e == EINTR)
            return flb_fail(err, FLB_E_SYSTEM, "interrupted waiting for the lock %s", path);
        return flb_fail(err, FLB_E_SYSTEM, "locking %s: fcntl: %s", path, strerror(e));
    }
    return FLB_OK;
}

void flb_lock_drop(int *fd)
{
    struct flock fl = {.l_type = F_UNLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0};

    if (*fd < 0)
        return;
    /* Closing would release it too; unlocking first is what xl does, and says what is meant. */
    fcntl(*fd, F_SETLK, &fl);
    close(*fd);
    *fd = -1;
}
