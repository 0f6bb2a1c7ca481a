/* Building and starting a PVH guest through the backend: the sequence and the teardown. */
#ifndef FLB_BUILD_H
#define FLB_BUILD_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/error.h"
#include "core/plan.h"
#include "domain/backend.h"

/* Receives one line of progress at -v; level 1 steps, level 2 details. */
typedef void flb_build_log_fn(void *arg, int level, const char *msg);

/* A domain this run built, with the name it gave it. */
struct flb_named_domain {
    uint32_t domid;
    const char *name;
};

struct flb_build_request {
    const struct flb_plan *plan; /* every value the build uses; nothing is derived again */
    uint8_t uuid[16];            /* used when the plan has none (the config set no uuid) */
    bool paused;                 /* leave the domain paused */
    bool use_xenstore;           /* write the domain's nodes and introduce it */
    /*
     * With xenstore: xl's lock file, held from the name check until the new
     * domain's name is written, so that no other builder (nor xl, when it
     * locks) takes the name in between. NULL: no lock.
     */
    const char *lock_path;
    bool own_console; /* we read the console ring ourselves: no xenconsoled nodes */
    /*
     * The domains built earlier in the same run, with their names: the name
     * check reads only the names of the others, so that a run of many guests
     * does not read every earlier guest's name again at each build. NULL:
     * every name is read. A monitor's restart reads every name.
     */
    const struct flb_named_domain *named;
    size_t nr_named;

    /* Checked between steps: set by a signal handler to abandon the build. */
    volatile sig_atomic_t *stop;

    flb_build_log_fn *log; /* may be NULL */
    void *log_arg;
};

struct flb_build_result {
    bool created; /* a domain exists and belongs to the caller */
    uint32_t domid;
    uint32_t store_port;
    uint32_t console_port;
    uint64_t store_gfn;
    uint64_t console_gfn;
    bool xenstore_written; /* nodes to remove at teardown */
    char vm_path[64];
    bool interrupted; /* the build stopped because *stop was set */
    bool left_behind; /* the build failed and destroying its domain failed too */
};

/*
 * Builds the guest the plan describes and, unless paused, starts it. The
 * kernel and ramdisk are the caller's to check first (flb_check_boot_files).
 * On failure nothing is left: a domain created here is destroyed exactly once
 * and its xenstore nodes are removed; err names the step, the call and errno.
 * FLB_E_INPUT: the name was refused before any domain existed.
 */
int flb_build(struct flb_backend *be, const struct flb_build_request *req, struct flb_build_result *res,
              struct flb_error *err);

/* Destroys a built domain and removes its nodes; safe to call once after flb_build. */
int flb_teardown(struct flb_backend *be, struct flb_build_result *res, struct flb_error *err);

/* A random (version 4) UUID; -1 with errno when the kernel gives no randomness. */
int flb_uuid_generate(uint8_t u[16]);
/* "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx", as /vm paths and xl name it; len 37 or more. */
void flb_uuid_format(const uint8_t u[16], char *s, size_t len);

/*
 * Keeps the domain of *res as xl's rename-restart keeps it: under a new
 * UUID, and with xenstore renamed NAME-YYYYMMDDTHHMMZ (UTC), the name
 * written to new_name. From then on it is not the caller's: res->created
 * and res->xenstore_written are cleared. FLB_E_INPUT if that name is taken.
 */
int flb_preserve(struct flb_backend *be, const struct flb_build_request *req, struct flb_build_result *res,
                 char *new_name, size_t len, struct flb_error *err);

#endif
