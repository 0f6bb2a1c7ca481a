/* State shared by the steps of the build sequence, and the helpers they report through; private to
 * lib/domain. */
#ifndef FLB_DOMAIN_STEP_H
#define FLB_DOMAIN_STEP_H

#include "domain/build.h"

/* Nodes gathered so that they go to xenstored together (xs_write_send), their answers read at once. */
struct build_batch {
    struct flb_xs_write *w;
    char (*paths)[192];
    unsigned n, cap;
    unsigned sent; /* the first n nodes went to xenstored; their answers are still to read */
};
struct build {
    struct flb_backend *be;
    const struct flb_backend_ops *op;
    void *ctx;
    const struct flb_build_request *req;
    const struct flb_plan *plan;
    struct flb_build_result *res;
    struct flb_error *err;
    const uint8_t *uuid; /* the config's, else the request's */

    char step[160];      /* what is being done, for messages */
    struct flb_dom *dom; /* NULL until allocated */
    struct flb_dom_info info;
    uint32_t store_domid;   /* where xenstored runs */
    uint32_t console_domid; /* who reads the console ring */
    int lock_fd;            /* the creation lock while held; -1 otherwise */
    uint32_t
        create_sid; /* the label the domain is created with (SECINITSID_DOMU unless the config names one) */
    uint32_t exec_sid;        /* the label it runs with; 0: no relabelling */
    struct build_batch nodes; /* the domain's nodes, sent early and answered before the introduction */
    double log_ms;            /* spent in the request's log callback: the caller counts it as its own */
};

/* Records "<step>: <call>: <strerror(errno)>" and returns FLB_E_SYSTEM. */
int build_call_failed(struct build *b, const char *call);

/* Runs a backend call; on failure records it against the current step. */
#define CALL(b, name, expr) ((expr) == 0 ? 0 : build_call_failed((b), (name)))

void build_log(struct build *b, int level, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Sets the current step's description (used when it carries an address). */
void build_set_step(struct build *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Who owns a node. A base node's permissions are set; most below it inherit them. */
enum owner {
    INHERITED,  /* dom0 owns, the guest reads: the parent's, set on the base */
    DOM0_OWNS,  /* dom0 owns, the guest reads: set explicitly */
    GUEST_OWNS, /* the guest owns it, as libxl's "rw" nodes */
};

struct node {
    const char *path;  /* relative to the base */
    const char *value; /* any length: the name is the user's */
    enum owner owner;
};

/* build_xs.c */
/* Finds where xenstored and xenconsoled run; refuses a name another domain has (FLB_E_INPUT). */
int build_check_store(struct build *b);
/* Refuses a name another domain has (FLB_E_INPUT, naming that domain). */
int build_name_free(struct build *b, const char *name);
/* The domain's base node and name: from then on the name is taken for other builders. */
int build_reserve_name(struct build *b);
int build_batch_init(struct build *b, struct build_batch *t, size_t cap);
/* Each node below base, with its owner's permissions; the reader is the domain. */
int build_batch_add(struct build *b, struct build_batch *t, const char *base, const struct node *nodes,
                    size_t n);
/* One round trip for every node added; a failure names the first node refused. */
int build_batch_send(struct build *b, struct build_batch *t);
/* The nodes added since the last send go to xenstored; no answer is read. */
int build_batch_start(struct build *b, struct build_batch *t);
/* Every answer to the nodes sent; a failure names the first node refused. */
int build_batch_finish(struct build *b, struct build_batch *t);
void build_batch_free(struct build_batch *t);
/* A batch of these nodes alone. */
int build_write_nodes(struct build *b, const char *base, const struct node *nodes, size_t n);
/* Every node but the name and the ring references, sent without waiting for xenstored's answers. */
int build_send_xenstore(struct build *b);
/* The ring references too, and every answer: all the nodes are written when it returns. */
int build_write_xenstore(struct build *b);
/* Reads what answers are still due, after a failure, before the nodes are removed. */
void build_settle_xenstore(struct build *b);
int build_introduce_xenstore(struct build *b);
int build_remove_xenstore(struct flb_backend *be, struct flb_build_result *res);

/* build_map.c */
int build_map_shared_info(struct build *b);
int build_map_grant_frames(struct build *b);

/* build_labels.c */
int build_lookup_labels(struct build *b);
int build_relabel(struct build *b);

/* build_sched.c */
int build_set_affinity(struct build *b);
int build_set_sched_params(struct build *b);

/* verify.c */
int build_verify_start_info(struct build *b);
int build_verify_acpi(struct build *b);

#endif
