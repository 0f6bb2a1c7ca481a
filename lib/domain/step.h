/* State shared by the steps of the build sequence, and the helpers they report through; private to
 * lib/domain. */
#ifndef FLB_DOMAIN_STEP_H
#define FLB_DOMAIN_STEP_H

#include "domain/build.h"

struct build {
    struct flb_backend *be;
    const struct flb_backend_ops *op;
    void *ctx;
    const struct flb_build_request *req;
    const struct flb_plan *plan;
    struct flb_build_result *res;
    struct flb_error *err;

    char step[160];      /* what is being done, for messages */
    struct flb_dom *dom; /* NULL until allocated */
    struct flb_dom_info info;
    uint32_t store_domid;   /* where xenstored runs */
    uint32_t console_domid; /* who reads the console ring */
};

/* Records "<step>: <call>: <strerror(errno)>" and returns FLB_E_SYSTEM. */
int build_call_failed(struct build *b, const char *call);

/* Runs a backend call; on failure records it against the current step. */
#define CALL(b, name, expr) ((expr) == 0 ? 0 : build_call_failed((b), (name)))

void build_log(struct build *b, int level, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Sets the current step's description (used when it carries an address). */
void build_set_step(struct build *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* build_xs.c */
/* Finds where xenstored and xenconsoled run; refuses a name another domain has (FLB_E_INPUT). */
int build_check_store(struct build *b);
int build_write_xenstore(struct build *b);
int build_introduce_xenstore(struct build *b);
int build_remove_xenstore(struct flb_backend *be, struct flb_build_result *res);

/* build_map.c */
int build_map_shared_info(struct build *b);
int build_map_grant_frames(struct build *b);

/* verify.c */
int build_verify_start_info(struct build *b);
int build_verify_acpi(struct build *b);

#endif
