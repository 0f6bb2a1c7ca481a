/* The fake's hypervisor and libxenguest half: domains, images, physmap, guest memory, event channels. */
#include "fake_backend_internal.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');

    return s ? s + 1 : path;
}

static int xen_version(void *ctx, unsigned *major, unsigned *minor)
{
    struct fake *f = ctx;

    if (fake_call(f, "xc_version XENVER_version"))
        return -1;
    *major = f->xen_major;
    *minor = f->xen_minor;
    fake_result(f, "%u.%u", *major, *minor);
    return 0;
}

static int max_grant_version(void *ctx, unsigned *version)
{
    if (fake_call(ctx, "xc_physinfo"))
        return -1;
    *version = 2;
    return 0;
}

static int domain_create(void *ctx, const struct flb_create_args *a, uint32_t *domid)
{
    struct fake *f = ctx;

    if (fake_call(f,
                  "xc_domain_create flags=%s%s%s%s%s emulation=%s misc=%s max_vcpus=%u max_evtchn_port=%u "
                  "max_grant_frames=%u max_maptrack_frames=%u grant_version=%u vmtrace_size=%u ssidref=%u",
                  a->hvm ? "hvm" : "pv", a->hap ? "|hap" : "", a->oos_off ? "|oos_off" : "",
                  a->nested_virt ? "|nested_virt" : "", a->vpmu ? "|vpmu" : "",
                  a->emulate_lapic ? "lapic" : "none", a->msr_relaxed ? "msr_relaxed" : "none", a->max_vcpus,
                  a->max_evtchn_port, a->max_grant_frames, a->max_maptrack_frames, a->max_grant_version,
                  a->vmtrace_size, a->ssidref))
        return -1;
    /* A domain still there when the next is made is another one from now on. */
    if (f->domain_exists) {
        if (f->nr_others == sizeof(f->others) / sizeof(f->others[0]))
            abort();
        f->others[f->nr_others].domid = f->domid;
        f->others[f->nr_others].state = f->state;
        memcpy(f->others[f->nr_others++].handle, f->handle, sizeof(f->handle));
    }
    fake_shared_begin(f);
    *domid = f->domid = f->next_domid++;
    fake_shared_end(f);
    f->domain_exists = true;
    memset(&f->state, 0, sizeof(f->state));
    memcpy(f->handle, a->handle, sizeof(f->handle));
    fake_result(f, "domid %" PRIu32, *domid);
    return 0;
}

static int domain_max_vcpus(void *ctx, uint32_t domid, unsigned n)
{
    return fake_call(ctx, "xc_domain_max_vcpus domid=%" PRIu32 " max=%u", domid, n) ? -1 : 0;
}

static int domain_setmaxmem(void *ctx, uint32_t domid, uint64_t kib)
{
    return fake_call(ctx, "xc_domain_setmaxmem domid=%" PRIu32 " kib=%" PRIu64, domid, kib) ? -1 : 0;
}

static int evtchn_alloc_unbound(void *ctx, uint32_t domid, uint32_t remote, uint32_t *port)
{
    struct fake *f = ctx;

    if (fake_call(f, "xc_evtchn_alloc_unbound domid=%" PRIu32 " remote=%" PRIu32, domid, remote))
        return -1;
    *port = f->next_port++;
    fake_result(f, "port %" PRIu32, *port);
    return 0;
}

static int hvm_param_set(void *ctx, uint32_t domid, uint32_t param, uint64_t value)
{
    return fake_call(ctx, "xc_hvm_param_set domid=%" PRIu32 " param=%" PRIu32 " value=%" PRIu64, domid, param,
                     value)
               ? -1
               : 0;
}

static int domain_set_tsc_info(void *ctx, uint32_t domid, uint32_t mode)
{
    return fake_call(ctx, "xc_domain_set_tsc_info domid=%" PRIu32 " mode=%" PRIu32, domid, mode) ? -1 : 0;
}

/* The fake's policy knows one label; without flask_enabled it answers as Xen without FLASK does. */
static int flask_context_to_sid(void *ctx, const char *label, uint32_t *sid)
{
    struct fake *f = ctx;

    if (fake_call(f, "xc_flask_context_to_sid %s", label))
        return -1;
    if (!f->flask_enabled) {
        errno = ENOSYS;
        return -1;
    }
    if (strcmp(label, "system_u:system_r:domU_t") && strcmp(label, "system_u:system_r:nomigrate_t")) {
        errno = EINVAL;
        return -1;
    }
    *sid = label[18] == 'd' ? 40 : 41;
    fake_result(f, "sid %" PRIu32, *sid);
    return 0;
}

static int flask_relabel_domain(void *ctx, uint32_t domid, uint32_t sid)
{
    return fake_call(ctx, "xc_flask_relabel_domain domid=%" PRIu32 " sid=%" PRIu32, domid, sid) ? -1 : 0;
}

static int domain_set_time_offset(void *ctx, uint32_t domid, int32_t seconds)
{
    return fake_call(ctx, "xc_domain_set_time_offset domid=%" PRIu32 " seconds=%" PRId32, domid, seconds) ? -1
                                                                                                          : 0;
}

static int set_paging_mempool_size(void *ctx, uint32_t domid, uint64_t bytes)
{
    return fake_call(ctx, "xc_set_paging_mempool_size domid=%" PRIu32 " bytes=%" PRIu64, domid, bytes) ? -1
                                                                                                       : 0;
}

/* The entries as libxc's xend strings: " 0x1:ecx=xx..x" per entry, subleaf after a comma. */
static int cpuid_apply_policy(void *ctx, uint32_t domid, bool nested_virt, bool itsc,
                              const struct flb_cpuid_entry *entries, size_t nr)
{
    char buf[2048];
    size_t n = 0;

    buf[0] = '\0';
    for (size_t i = 0; i < nr && n < sizeof(buf); i++) {
        n += (size_t)snprintf(buf + n, sizeof(buf) - n, " 0x%" PRIx32, entries[i].leaf);
        if (entries[i].subleaf != FLB_CPUID_NO_SUBLEAF && n < sizeof(buf))
            n += (size_t)snprintf(buf + n, sizeof(buf) - n, ",%" PRIu32, entries[i].subleaf);
        for (int r = 0; r < 4 && n < sizeof(buf); r++)
            if (entries[i].reg[r][0])
                n += (size_t)snprintf(buf + n, sizeof(buf) - n, ":e%cx=%s", 'a' + r, entries[i].reg[r]);
    }
    return fake_call(ctx, "xc_cpuid_apply_policy domid=%" PRIu32 " nested_virt=%d itsc=%d%s", domid,
                     nested_virt, itsc, buf)
               ? -1
               : 0;
}

static int cpu_topology(void *ctx, uint32_t *nr_cpus, uint32_t **node)
{
    struct fake *f = ctx;

    if (fake_call(f, "xc_cputopoinfo"))
        return -1;
    if (!(*node = malloc(f->nr_cpus * sizeof(**node))))
        abort();
    memcpy(*node, f->cpu_node, f->nr_cpus * sizeof(**node));
    *nr_cpus = f->nr_cpus;
    fake_result(f, "%" PRIu32 " cpus", f->nr_cpus);
    return 0;
}

/* A CPU map as xl vcpu-list shows one: "0,2-3", "none" when empty, "-" when not given. */
static void format_cpus(const uint8_t *map, uint32_t nr_cpus, char *buf, size_t len)
{
    size_t n = 0;

    snprintf(buf, len, map ? "none" : "-");
    for (uint32_t c = 0; map && c < nr_cpus && n < len; c++) {
        uint32_t last = c;
        if (!(map[c / 8] >> (c % 8) & 1))
            continue;
        while (last + 1 < nr_cpus && map[(last + 1) / 8] >> ((last + 1) % 8) & 1)
            last++;
        n +=
            (size_t)(last == c ? snprintf(buf + n, len - n, "%s%" PRIu32, n ? "," : "", c)
                               : snprintf(buf + n, len - n, "%s%" PRIu32 "-%" PRIu32, n ? "," : "", c, last));
        c = last;
    }
}

static int vcpu_setaffinity(void *ctx, uint32_t domid, uint32_t vcpu, const uint8_t *hard,
                            const uint8_t *soft, uint32_t nr_cpus)
{
    char h[128], s[128];

    format_cpus(hard, nr_cpus, h, sizeof(h));
    format_cpus(soft, nr_cpus, s, sizeof(s));
    return fake_call(ctx, "xc_vcpu_setaffinity domid=%" PRIu32 " vcpu=%" PRIu32 " hard=%s soft=%s", domid,
                     vcpu, h, s)
               ? -1
               : 0;
}

static int domain_scheduler(void *ctx, uint32_t domid, char *name, size_t len)
{
    struct fake *f = ctx;

    if (fake_call(f, "xc_cpupool_getinfo domid=%" PRIu32, domid))
        return -1;
    snprintf(name, len, "%s", f->scheduler);
    fake_result(f, "%s", f->scheduler);
    return 0;
}

static int sched_credit_get(void *ctx, uint32_t domid, bool credit2, uint32_t *weight, uint32_t *cap)
{
    struct fake *f = ctx;

    if (fake_call(f, "xc_sched_credit%s_domain_get domid=%" PRIu32, credit2 ? "2" : "", domid))
        return -1;
    *weight = f->sched_weight;
    *cap = f->sched_cap;
    fake_result(f, "weight %" PRIu32 " cap %" PRIu32, *weight, *cap);
    return 0;
}

static int sched_credit_set(void *ctx, uint32_t domid, bool credit2, uint32_t weight, uint32_t cap)
{
    struct fake *f = ctx;

    if (fake_call(f, "xc_sched_credit%s_domain_set domid=%" PRIu32 " weight=%" PRIu32 " cap=%" PRIu32,
                  credit2 ? "2" : "", domid, weight, cap))
        return -1;
    f->sched_weight = weight;
    f->sched_cap = cap;
    return 0;
}

static void format_map(const struct flb_memmap *m, char *buf, size_t len)
{
    size_t n = 0;

    buf[0] = '\0';
    for (unsigned i = 0; i < m->nr && n < len; i++)
        n += (size_t)snprintf(buf + n, len - n, " [0x%" PRIx64 "+0x%" PRIx64 " 0x%" PRIx32 "]",
                              m->entry[i].addr, m->entry[i].size, m->entry[i].type);
}

static int domain_set_memory_map(void *ctx, uint32_t domid, const struct flb_memmap *map)
{
    char buf[1024];

    format_map(map, buf, sizeof(buf));
    return fake_call(ctx, "xc_domain_set_memory_map domid=%" PRIu32 " entries=%u%s", domid, map->nr, buf) ? -1
                                                                                                          : 0;
}

static int domain_add_to_physmap(void *ctx, uint32_t domid, unsigned space, uint64_t idx, uint64_t gfn)
{
    struct fake *f = ctx;

    f->physmap_calls++;
    f->physmap_single++;
    return fake_call(f, "xc_domain_add_to_physmap domid=%" PRIu32 " space=%u idx=%" PRIu64 " gfn=0x%" PRIx64,
                     domid, space, idx, gfn)
               ? -1
               : 0;
}

static int domain_add_to_physmap_batch(void *ctx, uint32_t domid, unsigned space, unsigned n,
                                       const uint64_t *idxs, const uint64_t *gfns, int *errs)
{
    struct fake *f = ctx;
    bool contiguous = true;

    f->physmap_calls++;
    f->physmap_batch++;
    for (unsigned i = 0; i < n; i++)
        contiguous = contiguous && idxs[i] == idxs[0] + i && gfns[i] == gfns[0] + i;
    if (fake_call(f,
                  "xc_domain_add_to_physmap_batch domid=%" PRIu32 " space=%u size=%u idx=%" PRIu64
                  "%s gfn=0x%" PRIx64 "%s",
                  domid, space, n, n ? idxs[0] : 0, contiguous ? ".." : " (scattered)", n ? gfns[0] : 0,
                  contiguous ? ".." : ""))
        return -1;
    if (f->batch_unsupported) {
        fake_result(f, "EOPNOTSUPP");
        errno = EOPNOTSUPP;
        return -1;
    }
    for (unsigned i = 0; i < n; i++)
        errs[i] = (int)i == f->batch_frame_error ? -EINVAL : 0;
    return 0;
}

static int dom_allocate(void *ctx, const char *cmdline, struct flb_dom **dom)
{
    struct fake *f = ctx;

    if (fake_call(f, "xc_dom_allocate cmdline=\"%s\" container=hvm", cmdline ? cmdline : ""))
        return -1;
    *dom = calloc(1, sizeof(**dom));
    if (!*dom)
        abort();
    (*dom)->cmdline = cmdline ? strdup(cmdline) : NULL;
    f->open_doms++;
    return 0;
}

static int dom_kernel_file(void *ctx, struct flb_dom *dom, const char *path)
{
    (void)dom;
    return fake_call(ctx, "xc_dom_kernel_file %s", base_name(path)) ? -1 : 0;
}

static int dom_module_file(void *ctx, struct flb_dom *dom, const char *path)
{
    struct stat st;

    if (fake_call(ctx, "xc_dom_module_file %s", base_name(path)))
        return -1;
    if (stat(path, &st) != 0)
        return -1;
    /* libxenguest's segments are whole pages. */
    dom->module_size = ((uint64_t)st.st_size + PAGE - 1) / PAGE * PAGE;
    return 0;
}

static int dom_set_hvm(void *ctx, struct flb_dom *dom, const struct flb_dom_hvm *h)
{
    (void)dom;
    return fake_call(ctx,
                     "xc_dom_image lowmem_end=0x%" PRIx64 " highmem_end=0x%" PRIx64 " mmio_start=0x%" PRIx64
                     " mmio_size=0x%" PRIx64 " target_pages=%" PRIu64
                     " max_vcpus=%u console=%u@%u xenstore=%u@%u",
                     h->lowmem_end, h->highmem_end, h->mmio_start, h->mmio_size, h->target_pages,
                     h->max_vcpus, h->console_port, h->console_domid, h->xenstore_port, h->xenstore_domid)
               ? -1
               : 0;
}

static int dom_boot_xen_init(void *ctx, struct flb_dom *dom, uint32_t domid)
{
    (void)dom;
    return fake_call(ctx, "xc_dom_boot_xen_init domid=%" PRIu32, domid) ? -1 : 0;
}

static int dom_parse_image(void *ctx, struct flb_dom *dom)
{
    (void)dom;
    return fake_call(ctx, "xc_dom_parse_image") ? -1 : 0;
}

static int dom_mem_init(void *ctx, struct flb_dom *dom, unsigned mib)
{
    (void)dom;
    return fake_call(ctx, "xc_dom_mem_init mib=%u", mib) ? -1 : 0;
}

static int dom_boot_mem_init(void *ctx, struct flb_dom *dom)
{
    (void)dom;
    return fake_call(ctx, "xc_dom_boot_mem_init") ? -1 : 0;
}

static int dom_set_e820(void *ctx, struct flb_dom *dom, const struct flb_memmap *map)
{
    char buf[1024];

    format_map(map, buf, sizeof(buf));
    if (fake_call(ctx, "xc_dom_image e820 entries=%u%s", map->nr, buf))
        return -1;
    dom->e820 = *map;
    return 0;
}

static int dom_set_acpi(void *ctx, struct flb_dom *dom, const void *data, uint32_t len, uint64_t gpa)
{
    if (fake_call(ctx, "xc_dom_image acpi_modules[0] length=%" PRIu32 " guest_addr=0x%" PRIx64, len, gpa))
        return -1;
    dom->acpi = data;
    dom->acpi_len = len;
    dom->acpi_gpa = gpa;
    return 0;
}

static int dom_build_image(void *ctx, struct flb_dom *dom)
{
    if (fake_call(ctx, "xc_dom_build_image"))
        return -1;
    fake_load_acpi(ctx, dom);
    return 0;
}

static int dom_boot_image(void *ctx, struct flb_dom *dom)
{
    struct fake *f = ctx;

    if (fake_call(f, "xc_dom_boot_image"))
        return -1;
    fake_write_start_info(f, dom);
    return 0;
}

static int dom_gnttab_init(void *ctx, struct flb_dom *dom)
{
    (void)dom;
    return fake_call(ctx, "xc_dom_gnttab_init") ? -1 : 0;
}

static int dom_info(void *ctx, struct flb_dom *dom, struct flb_dom_info *info)
{
    const struct fake *f = ctx;

    (void)dom;
    /* Not a call into Xen: libxenguest's own fields. */
    info->start_info_gpa = FAKE_START_INFO_GPA + f->start_info_offset;
    info->console_gfn = FAKE_CONSOLE_GFN;
    info->xenstore_gfn = 0xfeffc;
    return 0;
}

static void dom_release(void *ctx, struct flb_dom *dom)
{
    struct fake *f = ctx;

    /* Cannot fail, so it is noted but never counted as a call to fail. */
    fake_note(f, "xc_dom_release");
    f->open_doms--;
    free(dom->cmdline);
    free(dom);
}

const struct flb_backend_ops fake_ops = {
    .xen_version = xen_version,
    .max_grant_version = max_grant_version,
    .domain_create = domain_create,
    .domain_max_vcpus = domain_max_vcpus,
    .domain_setmaxmem = domain_setmaxmem,
    .evtchn_alloc_unbound = evtchn_alloc_unbound,
    .hvm_param_set = hvm_param_set,
    .domain_set_tsc_info = domain_set_tsc_info,
    .domain_set_time_offset = domain_set_time_offset,
    .set_paging_mempool_size = set_paging_mempool_size,
    .cpuid_apply_policy = cpuid_apply_policy,
    .flask_context_to_sid = flask_context_to_sid,
    .flask_relabel_domain = flask_relabel_domain,
    .cpu_topology = cpu_topology,
    .vcpu_setaffinity = vcpu_setaffinity,
    .domain_scheduler = domain_scheduler,
    .sched_credit_get = sched_credit_get,
    .sched_credit_set = sched_credit_set,
    .domain_set_memory_map = domain_set_memory_map,
    .domain_add_to_physmap = domain_add_to_physmap,
    .domain_add_to_physmap_batch = domain_add_to_physmap_batch,
    .domain_getinfo = fake_domain_getinfo,
    .domain_unpause = fake_domain_unpause,
    .domain_destroy = fake_domain_destroy,
    .domain_sethandle = fake_domain_sethandle,
    .dom_allocate = dom_allocate,
    .dom_kernel_file = dom_kernel_file,
    .dom_module_file = dom_module_file,
    .dom_set_hvm = dom_set_hvm,
    .dom_boot_xen_init = dom_boot_xen_init,
    .dom_parse_image = dom_parse_image,
    .dom_mem_init = dom_mem_init,
    .dom_boot_mem_init = dom_boot_mem_init,
    .dom_set_e820 = dom_set_e820,
    .dom_set_acpi = dom_set_acpi,
    .dom_build_image = dom_build_image,
    .dom_boot_image = dom_boot_image,
    .dom_gnttab_init = dom_gnttab_init,
    .dom_info = dom_info,
    .dom_release = dom_release,
    .map_foreign = fake_map_foreign,
    .unmap_foreign = fake_unmap_foreign,
    .xs_read_batch = fake_xs_read_batch,
    .xs_directory = fake_xs_directory,
    .xs_write_send = fake_xs_write_send,
    .xs_write_wait = fake_xs_write_wait,
    .xs_rm = fake_xs_rm,
    .xs_introduce_send = fake_xs_introduce_send,
    .xs_watch = fake_xs_watch,
    .xs_unwatch = fake_xs_unwatch,
    .evtchn_bind_interdomain = fake_evtchn_bind_interdomain,
    .evtchn_bind_virq = fake_evtchn_bind_virq,
    .evtchn_notify = fake_evtchn_notify,
    .evtchn_unbind = fake_evtchn_unbind,
    .wait_event = fake_wait_event,
};
