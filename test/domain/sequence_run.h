/* One build of a known guest against the fake: what the sequence and read-back tests share. */
#ifndef FLB_TEST_SEQUENCE_RUN_H
#define FLB_TEST_SEQUENCE_RUN_H

#include <stdbool.h>

#include "domain/build.h"
#include "fake_backend.h"
#include "test_util.h"

struct run {
    struct flb_config cfg;
    struct flb_plan plan;
    struct flb_build_request req;
    struct flb_build_result res;
    struct flb_error err;
    int rc;
};

/* A minimal PVH kernel in the scratch directory, written once. */
const char *kernel_path(void);

/*
 * The worked example (conf/large.cfg, with ACPI), or with grant_v2 a smaller
 * guest with a ramdisk, 2 of 4 vCPUs, grant v2 and a status region; planned,
 * with xenstore.
 */
void run_setup(struct run *r, bool grant_v2);
void run_teardown(struct run *r);
void run_build(struct fake *f, struct run *r);

/* Nothing may outlive a failed build: no domain, image, mapping, port or xenstore node. */
void run_check_clean(const struct fake *f, const char *what);

/* The index of the first call log line at or after from that starts with prefix, copied to out; -1 if none.
 */
int fake_find_line(const struct fake *f, const char *prefix, int from, char *out, size_t len);

#endif
