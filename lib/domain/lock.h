/* The lock that makes checking a name and creating the domain atomic, shared with xl. */
#ifndef FLB_LOCK_H
#define FLB_LOCK_H

#include <signal.h>

#include "core/error.h"

/*
 * Takes the lock on path (xl.conf's lockfile, /var/lock/xl by default) as
 * xl does around its name check and domain creation: an fcntl write lock on
 * the whole file, waiting for the holder. The file is created if missing,
 * and its directory too. The lock dies with the process, so a killed
 * builder leaves none. A signal that sets *stop ends the wait.
 * FLB_E_SYSTEM naming the file and errno on failure; *fd is then -1.
 */
int flb_lock_take(const char *path, volatile sig_atomic_t *stop, int *fd, struct flb_error *err);

/* Releases it (a no-op when *fd is -1) and sets *fd to -1. */
void flb_lock_drop(int *fd);

#endif
