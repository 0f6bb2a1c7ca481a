/* seclabel and init_seclabel: XSM (FLASK) labels turned into SIDs before creation, as libxl does. */
#include "domain/step.h"

#include <errno.h>
#include <string.h>

/* The SID libxl creates a guest with when the config names no label (FLASK's initial SID "domU"). */
#define SECINITSID_DOMU 12u

/*
 * What Xen answers is the config's to fix: without FLASK (xl would only warn, and build the guest
 * unlabelled) or with a label its policy does not know.
 */
static int lookup(struct build *b, const char *label, const char *at, const char *key, uint32_t *sid)
{
    if (b->op->flask_context_to_sid(b->ctx, label, sid) == 0)
        return 0;
    if (errno == ENOSYS)
        return flb_fail(b->err, FLB_E_INPUT,
                        "%s%s: this Xen has no XSM/FLASK to label the guest with (xl would build it "
                        "unlabelled, with a warning): leave %s out, or boot Xen with flask=enforcing",
                        at, key, key);
    if (errno == EINVAL || errno == ENOENT)
        return flb_fail(b->err, FLB_E_INPUT,
                        "%s%s: Xen's FLASK policy has no label '%s': name a label of the loaded policy", at,
                        key, label);
    return build_call_failed(b, "xc_flask_context_to_sid");
}

int build_lookup_labels(struct build *b)
{
    const struct flb_plan_domain *d = &b->plan->domain;
    bool init = d->exec_label != NULL;
    int rc = 0;

    b->create_sid = SECINITSID_DOMU;
    b->exec_sid = 0;
    if (d->create_label)
        rc = lookup(b, d->create_label, d->create_label_at, init ? "init_seclabel" : "seclabel",
                    &b->create_sid);
    if (!rc && d->exec_label)
        rc = lookup(b, d->exec_label, d->exec_label_at, "seclabel", &b->exec_sid);
    return rc;
}

/* As libxl once the domain is complete, before it runs: the label seclabel names beside init_seclabel. */
int build_relabel(struct build *b)
{
    if (!b->exec_sid)
        return 0;
    return CALL(b, "xc_flask_relabel_domain",
                b->op->flask_relabel_domain(b->ctx, b->res->domid, b->exec_sid));
}
