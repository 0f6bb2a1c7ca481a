/* Keeping a domain that shut down under a new name and UUID, as xl's rename-restart does, and making UUIDs.
 */
#include "domain/step.h"
#include "domain/lock.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

int flb_uuid_generate(uint8_t u[16])
{
    if (getrandom(u, 16, 0) != 16)
        return -1;
    u[6] = (uint8_t)((u[6] & 0x0f) | 0x40); /* version 4: random */
    u[8] = (uint8_t)((u[8] & 0x3f) | 0x80); /* the RFC 4122 variant */
    return 0;
}

/* The suffix xl gives a preserved domain: the time in UTC, to the minute. */
static int preserved_name(const char *name, char *out, size_t len)
{
    char suffix[24];
    time_t now = time(NULL);
    struct tm tm;

    if (now == (time_t)-1 || !gmtime_r(&now, &tm) || !strftime(suffix, sizeof(suffix), "-%Y%m%dT%H%MZ", &tm))
        return -1;
    return snprintf(out, len, "%s%s", name, suffix) < (int)len ? 0 : -1;
}

/* The nodes libxl_domain_preserve writes: a /vm path for the new UUID, the domain's vm and name. */
static int rename_nodes(struct build *b, const char *uuid, const char *name)
{
    char dom_path[48], vm_path[64];
    struct node vm[] = {
        {"", "", DOM0_OWNS},
        {"uuid", uuid, INHERITED},
        {"name", name, INHERITED},
    };
    struct node dom[] = {
        {"vm", vm_path, INHERITED},
        {"name", name, INHERITED},
    };
    struct build_batch t;
    int rc;

    snprintf(dom_path, sizeof(dom_path), "/local/domain/%" PRIu32, b->res->domid);
    snprintf(vm_path, sizeof(vm_path), "/vm/%s", uuid);
    /* One round trip for both, as a build's nodes. */
    rc = build_batch_init(b, &t, sizeof(vm) / sizeof(vm[0]) + sizeof(dom) / sizeof(dom[0]));
    if (rc)
        return rc;
    rc = build_batch_add(b, &t, vm_path, vm, sizeof(vm) / sizeof(vm[0]));
    if (!rc)
        rc = build_batch_add(b, &t, dom_path, dom, sizeof(dom) / sizeof(dom[0]));
    if (!rc)
        rc = build_batch_send(b, &t);
    build_batch_free(&t);
    return rc;
}

int flb_preserve(struct flb_backend *be, const struct flb_build_request *req, struct flb_build_result *res,
                 char *new_name, size_t len, struct flb_error *err)
{
    struct build b = {
        .be = be,
        .op = be->ops,
        .ctx = be->ctx,
        .req = req,
        .plan = req->plan,
        .res = res,
        .err = err,
        .lock_fd = -1,
    };
    uint8_t uuid[16];
    char uuid_s[40];
    int rc;

    new_name[0] = '\0';
    build_set_step(&b, "preserving domain %" PRIu32, res->domid);
    if (flb_uuid_generate(uuid) != 0)
        return build_call_failed(&b, "getrandom");
    flb_uuid_format(uuid, uuid_s, sizeof(uuid_s));
    if (req->use_xenstore && preserved_name(req->plan->xenstore.name, new_name, len) != 0)
        return flb_fail(err, FLB_E_SYSTEM, "%s: the name with the time appended does not fit", b.step);
    /* The new name is checked and taken under the creation lock, as a build's is. */
    rc = req->use_xenstore && req->lock_path ? flb_lock_take(req->lock_path, req->stop, &b.lock_fd, err) : 0;
    if (!rc && req->use_xenstore)
        rc = build_name_free(&b, new_name);
    if (!rc)
        rc = CALL(&b, "xc_domain_sethandle", be->ops->domain_sethandle(be->ctx, res->domid, uuid));
    if (!rc && req->use_xenstore)
        rc = rename_nodes(&b, uuid_s, new_name);
    flb_lock_drop(&b.lock_fd);
    if (rc)
        return rc;
    /* Kept, and no longer ours: neither a teardown nor a later build may touch it. */
    res->created = false;
    res->xenstore_written = false;
    return FLB_OK;
}
