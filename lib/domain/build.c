/* The build sequence: one list of named steps, run in order, unwound on the first failure. */
#include "domain/step.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <xen/xen.h>
#include <xen/hvm/params.h>

#include "core/xen_pvh_layout.h"
#include "domain/lock.h"

/* Held until the name is written (reserve_name): checking and taking it are one step to other builders. */
static int take_lock(struct build *b)
{
    if (!b->req->use_xenstore || !b->req->lock_path)
        return 0;
    return flb_lock_take(b->req->lock_path, b->req->stop, &b->lock_fd, b->err);
}

static int check_name(struct build *b)
{
    if (!b->req->use_xenstore)
        return 0;
    return build_check_store(b);
}

/* Right after the domain exists, as libxl writes it: a name no other builder will take. */
static int reserve_name(struct build *b)
{
    int rc = b->req->use_xenstore ? build_reserve_name(b) : 0;

    flb_lock_drop(&b->lock_fd);
    return rc;
}

static int create_domain(struct build *b)
{
    const struct flb_plan_domain *d = &b->plan->domain;
    struct flb_create_args args = {
        .hvm = true,
        .hap = d->hap,
        .oos_off = !d->oos,
        .nested_virt = d->nested_virt,
        .vpmu = d->vpmu,
        .emulate_lapic = true,
        .msr_relaxed = d->msr_relaxed,
        .ssidref = b->create_sid,
        .max_evtchn_port = d->max_evtchn_port,
        .vmtrace_size = d->vmtrace_size,
        .max_vcpus = d->max_vcpus,
        .max_grant_frames = d->max_grant_frames,
        .max_maptrack_frames = d->max_maptrack_frames,
        .max_grant_version = d->max_grant_version,
    };

    memcpy(args.handle, b->uuid, sizeof(args.handle));
    if (b->op->domain_create(b->ctx, &args, &b->res->domid) == 0) {
        b->res->created = true;
        return 0;
    }
    /* Xen says no more than EINVAL for the limits and features it checks at creation: name them. */
    if (errno == EINVAL)
        return flb_fail(b->err, FLB_E_SYSTEM,
                        "%s: xc_domain_create: %s: check max_grant_frames (%u) and "
                        "max_maptrack_frames (%u) against Xen's gnttab_max_frames and "
                        "gnttab_max_maptrack_frames (64 and 1024 unless Xen was booted with "
                        "others), max_grant_version (%u) against what Xen supports%s%s%s%s%s",
                        b->step, strerror(EINVAL), args.max_grant_frames, args.max_maptrack_frames,
                        args.max_grant_version,
                        args.hap ? "" : ", hap = 0 (Xen needs shadow paging built in)",
                        args.nested_virt ? ", nestedhvm = 1 (Xen needs hap and nested_virt support)" : "",
                        args.vpmu ? ", vpmu = 1 (Xen must be booted with vpmu=on)" : "",
                        args.vmtrace_size ? ", vmtrace_buf_kb (Xen takes a power of 2 the processor's trace "
                                            "supports, and only when booted with vmtrace support)"
                                          : "",
                        ", and that the host has HAP unless hap = 0");
    return build_call_failed(b, "xc_domain_create");
}

/* Xen 4.17 needs this even though create got max_vcpus: without it the hypervisor crashes. */
static int set_max_vcpus(struct build *b)
{
    return CALL(b, "xc_domain_max_vcpus",
                b->op->domain_max_vcpus(b->ctx, b->res->domid, b->plan->domain.max_vcpus));
}

static int set_max_memory(struct build *b)
{
    return CALL(b, "xc_domain_setmaxmem",
                b->op->domain_setmaxmem(b->ctx, b->res->domid, b->plan->domain.max_memory_kib));
}

static int alloc_event_channels(struct build *b)
{
    uint32_t domid = b->res->domid;
    int rc;

    rc = CALL(b, "xc_evtchn_alloc_unbound",
              b->op->evtchn_alloc_unbound(b->ctx, domid, b->store_domid, &b->res->store_port));
    if (!rc)
        rc = CALL(b, "xc_evtchn_alloc_unbound",
                  b->op->evtchn_alloc_unbound(b->ctx, domid, b->console_domid, &b->res->console_port));
    return rc;
}

/*
 * The wallclock the guest reads, as libxl sets it: rtc_timeoffset, plus with localtime dom0's offset from
 * UTC at this moment, in 32 bits as libxl keeps it; nothing is set when the sum is 0.
 */
static int set_time_offset(struct build *b)
{
    uint32_t offset = (uint32_t)b->plan->domain.rtc_timeoffset;

    if (b->plan->domain.localtime) {
        time_t now = time(NULL);
        struct tm tm;
        if (!localtime_r(&now, &tm))
            return build_call_failed(b, "localtime_r");
        offset += (uint32_t)tm.tm_gmtoff;
    }
    if (!offset)
        return 0;
    return CALL(b, "xc_domain_set_time_offset",
                b->op->domain_set_time_offset(b->ctx, b->res->domid, (int32_t)offset));
}

/*
 * What libxl sets on a new PVH domain, in its order. Xen's other defaults stay, as libxl leaves them: in
 * particular a triple fault stays what Xen makes of it, a reboot, so on_reboot decides.
 */
static int set_platform(struct build *b)
{
    uint32_t domid = b->res->domid;
    int rc;

    rc = CALL(b, "xc_hvm_param_set",
              b->op->hvm_param_set(b->ctx, domid, HVM_PARAM_TIMER_MODE, b->plan->domain.timer_mode));
    /* libxl sets altp2m on every PVH domain, "disabled" included. */
    if (!rc)
        rc = CALL(b, "xc_hvm_param_set",
                  b->op->hvm_param_set(b->ctx, domid, HVM_PARAM_ALTP2M, b->plan->domain.altp2m));
    if (!rc)
        rc = CALL(b, "xc_domain_set_tsc_info",
                  b->op->domain_set_tsc_info(b->ctx, domid, b->plan->domain.tsc_mode));
    if (!rc)
        rc = set_time_offset(b);
    return rc;
}

static int size_paging_pool(struct build *b)
{
    return CALL(b, "xc_set_paging_mempool_size",
                b->op->set_paging_mempool_size(b->ctx, b->res->domid, b->plan->domain.paging_pool_bytes));
}

static int apply_cpuid(struct build *b)
{
    const struct flb_plan_domain *d = &b->plan->domain;

    return CALL(b, "xc_cpuid_apply_policy",
                b->op->cpuid_apply_policy(b->ctx, b->res->domid, d->nested_virt, d->itsc, d->cpuid->entry,
                                          d->cpuid->nr));
}

static int load_kernel(struct build *b)
{
    const struct flb_plan_image *im = &b->plan->image;
    struct flb_dom_hvm hvm = {
        .lowmem_end = im->lowmem_end,
        .highmem_end = im->highmem_end,
        .mmio_start = im->mmio_start,
        .mmio_size = im->mmio_size,
        .target_pages = im->target_pages,
        .max_vcpus = b->plan->domain.max_vcpus,
        .console_port = b->res->console_port,
        .console_domid = b->console_domid,
        .xenstore_port = b->res->store_port,
        .xenstore_domid = b->store_domid,
    };
    int rc;

    rc = CALL(b, "xc_dom_allocate", b->op->dom_allocate(b->ctx, im->cmdline, &b->dom));
    if (!rc)
        rc = CALL(b, "xc_dom_kernel_file", b->op->dom_kernel_file(b->ctx, b->dom, im->kernel));
    if (!rc && im->ramdisk)
        rc = CALL(b, "xc_dom_module_file", b->op->dom_module_file(b->ctx, b->dom, im->ramdisk));
    if (!rc)
        rc = CALL(b, "xc_dom_image", b->op->dom_set_hvm(b->ctx, b->dom, &hvm));
    if (!rc)
        rc = CALL(b, "xc_dom_boot_xen_init", b->op->dom_boot_xen_init(b->ctx, b->dom, b->res->domid));
    if (!rc)
        rc = CALL(b, "xc_dom_parse_image", b->op->dom_parse_image(b->ctx, b->dom));
    return rc;
}

static int populate_memory(struct build *b)
{
    int rc =
        CALL(b, "xc_dom_mem_init", b->op->dom_mem_init(b->ctx, b->dom, (unsigned)b->plan->image.memory_mib));

    return rc ? rc : CALL(b, "xc_dom_boot_mem_init", b->op->dom_boot_mem_init(b->ctx, b->dom));
}

/* Xen and libxenguest get the one table: the start_info memmap is copied from the image's copy. */
static int set_memory_map(struct build *b)
{
    int rc = CALL(b, "xc_domain_set_memory_map",
                  b->op->domain_set_memory_map(b->ctx, b->res->domid, &b->plan->layout.map));

    return rc ? rc : CALL(b, "xc_dom_image e820", b->op->dom_set_e820(b->ctx, b->dom, &b->plan->layout.map));
}

/* Before the image is built: that is when libxenguest populates and fills the tables' pages. */
static int set_acpi(struct build *b)
{
    const struct flb_acpi *a = &b->plan->acpi;

    if (!b->plan->has_acpi)
        return 0;
    return CALL(b, "xc_dom_image acpi_modules",
                b->op->dom_set_acpi(b->ctx, b->dom, a->blob, a->size, a->base));
}

static int build_image(struct build *b)
{
    return CALL(b, "xc_dom_build_image", b->op->dom_build_image(b->ctx, b->dom));
}

static int boot_image(struct build *b)
{
    return CALL(b, "xc_dom_boot_image", b->op->dom_boot_image(b->ctx, b->dom));
}

static int seed_grant_table(struct build *b)
{
    int rc = CALL(b, "xc_dom_gnttab_init", b->op->dom_gnttab_init(b->ctx, b->dom));

    if (!rc)
        rc = CALL(b, "xc_dom_image", b->op->dom_info(b->ctx, b->dom, &b->info));
    if (!rc) {
        b->res->store_gfn = b->info.xenstore_gfn;
        b->res->console_gfn = b->info.console_gfn;
    }
    return rc;
}

static int send_xenstore(struct build *b)
{
    return b->req->use_xenstore ? build_send_xenstore(b) : 0;
}

static int write_xenstore(struct build *b)
{
    return b->req->use_xenstore ? build_write_xenstore(b) : 0;
}

/* A step of its own: xenstored maps the store ring here, and its cost is not the nodes'. */
static int introduce_xenstore(struct build *b)
{
    return b->req->use_xenstore ? build_introduce_xenstore(b) : 0;
}

static int unpause(struct build *b)
{
    if (b->req->paused)
        return 0;
    return CALL(b, "xc_domain_unpause", b->op->domain_unpause(b->ctx, b->res->domid));
}

typedef int step_fn(struct build *b);

/*
 * Every step up to the unpause is on the guest's path, and each says why it cannot come after: the
 * guest runs from the moment it is unpaused, and does not wait for its builder. What can come
 * after does, and the command still returns only once it is done.
 */
static const struct {
    const char *what;
    step_fn *fn;
} steps[] = {
    /* The lock is xl's: from here until the name is in xenstore no other builder (xl create, another of
     * ours) checks or takes a name. */
    {"taking the creation lock", take_lock},
    /* A refusal must come before anything exists to undo. */
    {"checking the name is free", check_name},
    /* The label the domain is created with is an argument of its creation. */
    {"looking up the security labels", build_lookup_labels},
    /* Everything below needs the domain. */
    {"creating the domain", create_domain},
    /*
     * The name in xenstore, then the lock dropped: a name another builder sees taken from now on. It
     * does not wait for the other nodes, written at the end of the build: the lock would be held for
     * the whole build, and every other builder on the host would wait that long.
     */
    {"reserving the name", reserve_name},
    /* The limits are Xen's before the first vCPU or page. */
    {"setting the vcpu limit", set_max_vcpus},
    /* Xen places the vCPUs where they may run from the first one run: before the unpause. */
    {"setting vCPU affinity", build_set_affinity},
    {"setting the memory limit", set_max_memory},
    /* The ports go into the image (HVM params) that libxenguest builds below. */
    {"allocating event channels", alloc_event_channels},
    /* Not waited for: xenstored writes them while the image is built (writing the xenstore nodes). */
    {"sending the xenstore nodes", send_xenstore},
    /* The timer mode and altp2m hold from the first instruction; the TSC mode and the wallclock's
     * offset from the guest's first reading of the time. */
    {"setting platform parameters", set_platform},
    /* Populating guest memory takes the guest's page tables from this pool. */
    {"sizing the paging pool", size_paging_pool},
    /* The guest reads CPUID from its first instruction on. */
    {"applying the CPUID policy", apply_cpuid},
    /* The image is the guest's memory and boot state: there is no guest to run without it. */
    {"loading the kernel", load_kernel},
    {"populating guest memory", populate_memory},
    {"setting the memory map", set_memory_map},
    {"handing over the ACPI tables", set_acpi},
    {"building the image", build_image},
    {"booting the image", boot_image},
    /* The guest may use its console and xenstore rings, and the grant entries for them, at once. */
    {"seeding the grant table", seed_grant_table},
    /* The memory map announces them: a guest may touch them the moment it runs. */
    {"mapping shared info", build_map_shared_info},
    {"mapping grant frames", build_map_grant_frames},
    /* Read back while the guest cannot yet write what is compared. */
    {"checking the start info", build_verify_start_info},
    {"checking the ACPI tables", build_verify_acpi},
    /* The guest runs with its weight and cap from its first time slice. */
    {"setting scheduler parameters", build_set_sched_params},
    /*
     * The guest's first xenstore request may come with its first instructions (a PV-aware guest
     * writes control/feature-* at once): its nodes must exist, and xenstored must read its ring,
     * before it runs. Run after the unpause, the test guest's first write was seen to fail. The
     * nodes went early (sending the xenstore nodes): here come the ring references, and the nodes'
     * answers with the introduction's.
     */
    {"writing the xenstore nodes", write_xenstore},
    {"introducing the domain to xenstored", introduce_xenstore},
    /*
     * Last before the unpause, as libxl relabels once the domain is complete: everything above is done
     * under the label the domain was created with, and the guest runs only under seclabel's.
     */
    {"relabelling the domain", build_relabel},
    {"unpausing the domain", unpause},
};

static double elapsed_ms(const struct timespec *t0)
{
    struct timespec t1;

    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) * 1e3 + (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

int flb_build(struct flb_backend *be, const struct flb_build_request *req, struct flb_build_result *res,
              struct flb_error *err)
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
        .uuid = req->plan->domain.has_uuid ? req->plan->domain.uuid : req->uuid,
    };
    struct flb_error cleanup = {{0}};
    int rc = 0;

    struct timespec start;
    double in_steps = 0, logged_in_steps = 0;

    memset(res, 0, sizeof(*res));
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (size_t i = 0; !rc && i < sizeof(steps) / sizeof(steps[0]); i++) {
        struct timespec t0;
        double ms, logged = b.log_ms;

        build_set_step(&b, "%s", steps[i].what);
        if (req->stop && *req->stop) {
            res->interrupted = true;
            rc = flb_fail(err, FLB_E_SYSTEM, "interrupted before %s", steps[i].what);
            break;
        }
        clock_gettime(CLOCK_MONOTONIC, &t0);
        rc = steps[i].fn(&b);
        ms = elapsed_ms(&t0);
        in_steps += ms;
        logged_in_steps += b.log_ms - logged;
        if (!rc)
            build_log(&b, 1, "%s: %.3f ms", b.step, ms);
    }
    /* What no step's time holds: naming the steps, reading the clock, the text of their -v lines
     * (writing them is the caller's, in the log callback). A part of the time to the guest too. */
    if (!rc)
        build_log(&b, 1, "between the build steps: %.3f ms",
                  elapsed_ms(&start) - in_steps - (b.log_ms - logged_in_steps));

    flb_lock_drop(&b.lock_fd);
    build_settle_xenstore(&b);
    /* After the unpause, yet part of the command's time: libxenguest unmaps the image from dom0 here. */
    if (b.dom) {
        struct timespec t0;

        clock_gettime(CLOCK_MONOTONIC, &t0);
        b.op->dom_release(b.ctx, b.dom);
        build_log(&b, 1, "releasing the image: %.3f ms", elapsed_ms(&t0));
    }
    /* The first failure's message stays; a domain we could not destroy is added to it. */
    if (rc && res->created && flb_teardown(be, res, &cleanup) != 0) {
        size_t n = strlen(err->msg);

        res->left_behind = true;
        snprintf(err->msg + n, sizeof(err->msg) - n, "; then %s: domain %u is left behind", cleanup.msg,
                 res->domid);
    }
    return rc;
}

int flb_teardown(struct flb_backend *be, struct flb_build_result *res, struct flb_error *err)
{
    int rc = 0;

    /* A domain someone else destroyed may still have our nodes: remove them anyway. */
    if (res->xenstore_written)
        build_remove_xenstore(be, res);
    if (!res->created)
        return 0;
    res->created = false;
    if (be->ops->domain_destroy(be->ctx, res->domid) != 0)
        rc = flb_fail(err, FLB_E_SYSTEM, "destroying domain %u: xc_domain_destroy: %s", res->domid,
                      strerror(errno));
    return rc;
}
