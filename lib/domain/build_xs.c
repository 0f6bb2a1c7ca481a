/* The domain's xenstore nodes: the ones xl list, xl console and xl destroy read, as libxl writes them. */
#include "domain/step.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DOM0 0u
/* xenconsoled's per-guest log limit, as libxl sets it. */
#define CONSOLE_LIMIT "1048576"
/* Where xenstored and xenconsoled run, read with the names by a build's own check. */
#define STORE_DOMID_PATH "/tool/xenstored/domid"
#define CONSOLE_DOMID_PATH "/tool/xenconsoled/domid"

/* A daemon's domid from its node's answer; an absent node means dom0. */
static int domid_of(struct build *b, const char *path, const char *value, int err, uint32_t *domid)
{
    *domid = DOM0;
    if (err && err != ENOENT) {
        char call[96];

        errno = err;
        snprintf(call, sizeof(call), "xs_read_batch, node %s", path);
        return build_call_failed(b, call);
    }
    if (!err && value[0])
        *domid = (uint32_t)strtoul(value, NULL, 10);
    return 0;
}

/* The refusal of a name domain id has, whether read from xenstore or known to the run. */
static int name_taken(struct build *b, const char *name, const char *id)
{
    return flb_fail(b->err, FLB_E_INPUT,
                    "name '%s' is already used by domain %s: pick another name or destroy it", name, id);
}

/* Refuses the name when a domain already has it, from the answers for each "/local/domain/ID/name". */
static int compare_names(struct build *b, const char *name, const char *const *ids, unsigned n,
                         const char *const *paths, char **values, const int *errs)
{
    for (unsigned i = 0; i < n; i++) {
        if (errs[i] == ENOENT)
            continue;
        if (errs[i]) {
            char call[96];

            errno = errs[i];
            snprintf(call, sizeof(call), "xs_read_batch, node %s", paths[i]);
            return build_call_failed(b, call);
        }
        if (strcmp(values[i], name) == 0)
            return name_taken(b, name, ids[i]);
    }
    return 0;
}

/* The name the run gave domain id (as the directory lists it), NULL when the run did not build it. */
static const char *named_by_run(const struct flb_build_request *req, const char *id)
{
    char *end;
    unsigned long domid = strtoul(id, &end, 10);

    for (size_t i = 0; !*end && i < req->nr_named; i++)
        if (req->named[i].domid == domid)
            return req->named[i].name;
    return NULL;
}

/*
 * Two round trips: the list of domains, then every domain's name in one batch. A build's own check
 * (for_build) also reads where xenstored and xenconsoled run, and does not read again the names the
 * run gave its own domains.
 */
static int check_store(struct build *b, const char *name, bool for_build)
{
    char **doms = NULL, **values = NULL, (*bufs)[64] = NULL;
    const char **paths = NULL, **ids = NULL;
    int *errs = NULL, rc = 0;
    unsigned n = 0, first = for_build ? 2 : 0, total, cap;

    if (b->op->xs_directory(b->ctx, "/local/domain", &doms, &n) != 0)
        return build_call_failed(b, "xs_directory");
    total = first;
    /* Room for the daemons' nodes and every domain's name; the run's own are left out as they come. */
    cap = first + n ? first + n : 1;
    paths = calloc(cap, sizeof(*paths));
    ids = calloc(cap, sizeof(*ids));
    values = calloc(cap, sizeof(*values));
    errs = calloc(cap, sizeof(*errs));
    bufs = calloc(n ? n : 1, sizeof(*bufs));
    if (!paths || !ids || !values || !errs || !bufs) {
        errno = ENOMEM;
        rc = build_call_failed(b, "calloc");
        goto out;
    }
    if (for_build) {
        paths[0] = STORE_DOMID_PATH;
        paths[1] = CONSOLE_DOMID_PATH;
    }
    for (unsigned i = 0; i < n && !rc; i++) {
        const char *own = for_build ? named_by_run(b->req, doms[i]) : NULL;

        if (own && strcmp(own, name) == 0)
            rc = name_taken(b, name, doms[i]);
        if (own)
            continue;
        snprintf(bufs[i], sizeof(bufs[i]), "/local/domain/%s/name", doms[i]);
        ids[total] = doms[i];
        paths[total++] = bufs[i];
    }
    if (!rc && total && b->op->xs_read_batch(b->ctx, paths, total, values, errs) != 0) {
        rc = build_call_failed(b, "xs_read_batch");
        goto out;
    }
    if (for_build && !rc) {
        rc = domid_of(b, paths[0], values[0], errs[0], &b->store_domid);
        if (!rc)
            rc = domid_of(b, paths[1], values[1], errs[1], &b->console_domid);
        /* We read the ring ourselves, from dom0. */
        if (b->req->own_console)
            b->console_domid = DOM0;
    }
    if (!rc)
        rc = compare_names(b, name, ids + first, total - first, paths + first, values + first, errs + first);
out:
    for (unsigned i = 0; values && i < total; i++)
        free(values[i]);
    free(values);
    free(errs);
    free(paths);
    free(ids);
    free(bufs);
    free(doms);
    return rc;
}

int build_check_store(struct build *b)
{
    return check_store(b, b->plan->xenstore.name, true);
}

int build_name_free(struct build *b, const char *name)
{
    /* A preserved domain's new name: any domain of the run may have been renamed since it was built. */
    return check_store(b, name, false);
}

int build_batch_init(struct build *b, struct build_batch *t, size_t cap)
{
    t->w = calloc(cap ? cap : 1, sizeof(*t->w));
    t->paths = calloc(cap ? cap : 1, sizeof(*t->paths));
    t->n = t->sent = 0;
    t->cap = (unsigned)cap;
    if (t->w && t->paths)
        return 0;
    build_batch_free(t);
    errno = ENOMEM;
    return build_call_failed(b, "calloc");
}

void build_batch_free(struct build_batch *t)
{
    free(t->w);
    free(t->paths);
    t->w = NULL;
    t->paths = NULL;
    t->n = t->cap = t->sent = 0;
}

int build_batch_add(struct build *b, struct build_batch *t, const char *base, const struct node *nodes,
                    size_t n)
{
    uint32_t domid = b->res->domid;

    for (size_t i = 0; i < n; i++) {
        struct flb_xs_write *w = &t->w[t->n];

        if (t->n == t->cap) {
            errno = ENOBUFS;
            return build_call_failed(b, "xs_write_send");
        }
        snprintf(t->paths[t->n], sizeof(t->paths[t->n]), "%s%s%s", base, nodes[i].path[0] ? "/" : "",
                 nodes[i].path);
        w->path = t->paths[t->n++];
        w->value = nodes[i].value;
        w->owner = nodes[i].owner == GUEST_OWNS ? domid : nodes[i].owner == DOM0_OWNS ? DOM0 : FLB_XS_INHERIT;
        w->reader = domid;
    }
    return 0;
}

/* The requests libxenstore would have sent one by one: a write per node, a permission setting each. */
static unsigned count_perms(const struct build_batch *t)
{
    unsigned n = 0;

    for (unsigned i = 0; i < t->n; i++)
        n += t->w[i].owner != FLB_XS_INHERIT;
    return n;
}

int build_batch_start(struct build *b, struct build_batch *t)
{
    unsigned first = t->sent;

    if (first == t->n)
        return 0;
    /* Counted as sent even when the send fails part way: the wait still reads what is due. */
    t->sent = t->n;
    return CALL(b, "xs_write_send", b->op->xs_write_send(b->ctx, t->w + first, t->n - first));
}

int build_batch_finish(struct build *b, struct build_batch *t)
{
    unsigned failed = 0, n = t->sent;
    char call[224];

    t->sent = 0;
    if (b->op->xs_write_wait(b->ctx, &failed) == 0) {
        build_log(b, 1,
                  "%u xenstore nodes written: 1 round trip (xs_write_send, xs_write_wait) instead of %u", n,
                  n + count_perms(t));
        return 0;
    }
    if (failed < n)
        snprintf(call, sizeof(call), "xs_write_wait, node %s", t->w[failed].path);
    else if (failed == n)
        snprintf(call, sizeof(call), "xs_write_wait, the introduction");
    else
        snprintf(call, sizeof(call), "xs_write_wait");
    return build_call_failed(b, call);
}

int build_batch_send(struct build *b, struct build_batch *t)
{
    int rc = build_batch_start(b, t);

    /* A failed send may still have sent some requests: their answers are read too. */
    int wait = build_batch_finish(b, t);
    return rc ? rc : wait;
}

int build_write_nodes(struct build *b, const char *base, const struct node *nodes, size_t n)
{
    struct build_batch t;
    int rc = build_batch_init(b, &t, n);

    if (!rc)
        rc = build_batch_add(b, &t, base, nodes, n);
    if (!rc)
        rc = build_batch_send(b, &t);
    build_batch_free(&t);
    return rc;
}

void flb_uuid_format(const uint8_t u[16], char *s, size_t len)
{
    snprintf(s, len, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", u[0], u[1], u[2],
             u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12], u[13], u[14], u[15]);
}

/* cpu/N/availability for every possible vCPU, as xl writes it: a guest's hotplug driver reads it. */
static int add_cpu_nodes(struct build *b, struct build_batch *t, const char *dom_path)
{
    const struct flb_plan_domain *d = &b->plan->domain;

    for (uint32_t i = 0; i < d->max_vcpus; i++) {
        char path[32];
        struct node n = {path, i < d->vcpus ? "online" : "offline", INHERITED};
        int rc;

        snprintf(path, sizeof(path), "cpu/%" PRIu32 "/availability", i);
        rc = build_batch_add(b, t, dom_path, &n, 1);
        if (rc)
            return rc;
    }
    return 0;
}

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/*
 * Every node but the base, the name (build_reserve_name) and the ring references, sent as soon as
 * their values are known, right after the event channels: xenstored writes them on its own CPU
 * while the image is built, where waiting for them would keep the guest from running for as
 * long (a round trip of tens of requests, xenstored's work on each being what costs).
 */
int build_send_xenstore(struct build *b)
{
    struct flb_build_result *res = b->res;
    const struct flb_plan_xenstore *xs = &b->plan->xenstore;
    uint32_t domid = res->domid;
    char dom_path[48], libxl_path[48], uuid[40];
    char domid_s[16], static_max[24], target[24], store_port[16], console_port[16];
    struct node dom[] = {
        {"vm", res->vm_path, INHERITED},
        {"domid", domid_s, INHERITED},
        {"memory/static-max", static_max, INHERITED},
        {"memory/target", target, INHERITED},
        {"memory/videoram", "0", INHERITED},
        {"store/port", store_port, INHERITED},
        {"device", "", INHERITED},
        {"device/suspend/event-channel", "", GUEST_OWNS},
        /* The guest's control interface, as libxl_create.c makes it: the guest writes its features. */
        {"control", "", INHERITED},
        {"control/shutdown", "", GUEST_OWNS},
        {"control/feature-poweroff", "", GUEST_OWNS},
        {"control/feature-reboot", "", GUEST_OWNS},
        {"control/feature-suspend", "", GUEST_OWNS},
        {"control/sysrq", "", GUEST_OWNS},
        {"control/platform-feature-multiprocessor-suspend", "1", INHERITED},
        {"control/platform-feature-xs_reset_watches", "1", INHERITED},
        {"data", "", GUEST_OWNS},
        {"drivers", "", GUEST_OWNS},
        {"feature", "", GUEST_OWNS},
        {"attr", "", GUEST_OWNS},
        {"error", "", GUEST_OWNS},
    };
    struct node console[] = {
        {"console/port", console_port, INHERITED},
        {"console/type", "xenconsoled", INHERITED},
        {"console/output", "pty", INHERITED},
        {"console/limit", CONSOLE_LIMIT, INHERITED},
        {"console/tty", "", INHERITED},
    };
    struct node vm[] = {
        {"", "", DOM0_OWNS},
        {"uuid", uuid, INHERITED},
        {"name", xs->name, INHERITED},
    };
    struct node libxl[] = {{"type", "pvh", DOM0_OWNS}};
    /* A driver domain may run its own toolstack and device models: libxl gives it their directories. */
    struct node driver[] = {{"libxl", "", GUEST_OWNS}, {"device-model", "", GUEST_OWNS}};
    struct build_batch *t = &b->nodes;
    int rc;

    flb_uuid_format(b->uuid, uuid, sizeof(uuid));
    snprintf(dom_path, sizeof(dom_path), "/local/domain/%" PRIu32, domid);
    snprintf(libxl_path, sizeof(libxl_path), "/libxl/%" PRIu32, domid);
    snprintf(res->vm_path, sizeof(res->vm_path), "/vm/%s", uuid);
    snprintf(domid_s, sizeof(domid_s), "%" PRIu32, domid);
    snprintf(static_max, sizeof(static_max), "%" PRIu64, xs->static_max_kib);
    snprintf(target, sizeof(target), "%" PRIu64, xs->target_kib);
    snprintf(store_port, sizeof(store_port), "%" PRIu32, res->store_port);
    snprintf(console_port, sizeof(console_port), "%" PRIu32, res->console_port);

    /* The ring references, two more, come with build_write_xenstore. */
    rc = build_batch_init(b, t,
                          COUNT(dom) + COUNT(driver) + COUNT(console) + COUNT(vm) + COUNT(libxl) +
                              b->plan->domain.max_vcpus + 2);
    if (rc)
        return rc;
    rc = build_batch_add(b, t, dom_path, dom, COUNT(dom));
    if (!rc && xs->driver_domain)
        rc = build_batch_add(b, t, dom_path, driver, COUNT(driver));
    if (!rc)
        rc = add_cpu_nodes(b, t, dom_path);
    /* When we read the console ring ourselves, xenconsoled must not find it. */
    if (!rc && !b->req->own_console)
        rc = build_batch_add(b, t, dom_path, console, COUNT(console));
    if (!rc)
        rc = build_batch_add(b, t, res->vm_path, vm, COUNT(vm));
    if (!rc)
        rc = build_batch_add(b, t, libxl_path, libxl, COUNT(libxl));
    /* xenstore_written is already set (build_reserve_name): a failure removes what was written. */
    if (!rc)
        rc = build_batch_start(b, t);
    return rc;
}

/* The ring references, known once the image is built; the answers come with the introduction's. */
int build_write_xenstore(struct build *b)
{
    struct flb_build_result *res = b->res;
    char dom_path[48], store_ref[24], console_ref[24];
    struct node refs[] = {
        {"store/ring-ref", store_ref, INHERITED},
        {"console/ring-ref", console_ref, INHERITED},
    };
    struct build_batch *t = &b->nodes;
    int rc;

    snprintf(dom_path, sizeof(dom_path), "/local/domain/%" PRIu32, res->domid);
    snprintf(store_ref, sizeof(store_ref), "%" PRIu64, res->store_gfn);
    snprintf(console_ref, sizeof(console_ref), "%" PRIu64, res->console_gfn);
    rc = build_batch_add(b, t, dom_path, refs, b->req->own_console ? 1 : 2);
    return rc ? rc : build_batch_start(b, t);
}

void build_settle_xenstore(struct build *b)
{
    /* The nodes may be removed only once xenstored has written them: the removal goes on another
     * connection, and could overtake them. */
    if (b->nodes.sent) {
        struct flb_error ignored = {{0}};
        struct flb_error *err = b->err;

        b->err = &ignored;
        build_batch_finish(b, &b->nodes);
        b->err = err;
    }
    build_batch_free(&b->nodes);
}

/*
 * The base node and the name, in a batch of their own under the creation lock: the name must be
 * visible to other builders before the lock is dropped, which does not wait for the other nodes,
 * written at the end of the build.
 */
int build_reserve_name(struct build *b)
{
    char dom_path[48];
    struct node dom[] = {
        {"", "", DOM0_OWNS},
        {"name", b->plan->xenstore.name, INHERITED},
    };

    snprintf(dom_path, sizeof(dom_path), "/local/domain/%" PRIu32, b->res->domid);
    /* From the first write on, a failure must remove what was written. */
    b->res->xenstore_written = true;
    return build_write_nodes(b, dom_path, dom, COUNT(dom));
}

/*
 * Behind the nodes on their connection, where xenstored takes the requests in order: one round trip
 * for the nodes' answers and the introduction's, where a call of its own would add one.
 */
int build_introduce_xenstore(struct build *b)
{
    struct flb_build_result *res = b->res;
    struct build_batch *t = &b->nodes;
    int rc = CALL(b, "xs_introduce_send",
                  b->op->xs_introduce_send(b->ctx, res->domid, res->store_gfn, res->store_port));

    /* What went is answered even after a failure: the connection must be in step for the next batch. */
    if (t->sent) {
        int wait = build_batch_finish(b, t);
        rc = rc ? rc : wait;
    }
    build_batch_free(t);
    return rc;
}

int build_remove_xenstore(struct flb_backend *be, struct flb_build_result *res)
{
    char path[48];
    int rc = 0;

    /* Best effort: the nodes may be partly written, or already gone. */
    snprintf(path, sizeof(path), "/local/domain/%" PRIu32, res->domid);
    if (be->ops->xs_rm(be->ctx, path) != 0 && errno != ENOENT)
        rc = -1;
    if (res->vm_path[0] && be->ops->xs_rm(be->ctx, res->vm_path) != 0 && errno != ENOENT)
        rc = -1;
    snprintf(path, sizeof(path), "/libxl/%" PRIu32, res->domid);
    if (be->ops->xs_rm(be->ctx, path) != 0 && errno != ENOENT)
        rc = -1;
    res->xenstore_written = false;
    return rc;
}
