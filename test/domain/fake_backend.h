/* A recording fake of the backend: ordered call log, failure injection, leak tracking, fake guest memory. */
#ifndef FLB_FAKE_BACKEND_H
#define FLB_FAKE_BACKEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <xen/xen.h>
#include <xen/io/console.h>

#include "domain/backend.h"

/* Where the fake's libxenguest places the start info, as the real one puts it after the kernel. */
#define FAKE_START_INFO_GPA UINT64_C(0x2000000)
#define FAKE_MEM_PAGES 4u
/* The console ring, in the special pages below 4 GiB where the real libxenguest puts it. */
#define FAKE_CONSOLE_GFN UINT64_C(0xfefff)

struct fake;

/* Called before each call is recorded; the test may set flags or raise signals here. */
typedef void fake_hook_fn(struct fake *f, unsigned call, const char *line, void *arg);

struct fake {
    struct flb_backend be;

    /* The log: one line per call, "name args [-> result]". */
    char **lines;
    size_t nr_lines, cap_lines;
    unsigned calls;

    /* Failure injection: call number fail_at (1-based) fails with fail_errno. */
    unsigned fail_at;
    int fail_errno;
    bool batch_unsupported;     /* the batch call returns EOPNOTSUPP */
    bool destroy_fails;         /* xc_domain_destroy returns EBUSY */
    int batch_frame_error;      /* >= 0: that frame's errs[] entry is -EINVAL */
    long corrupt_offset;        /* >= 0: flip this byte of start_info after boot_image */
    unsigned start_info_offset; /* where start_info begins in its first page (libxenguest's: 0) */
    long corrupt_acpi_offset;   /* >= 0: flip this byte of the ACPI tables after build_image */
    fake_hook_fn *hook;
    void *hook_arg;

    /* The hypervisor's release, as XENVER_version reports it. */
    unsigned xen_major, xen_minor;

    /* Domain state: the domain last created, and those it outlived (preserved ones). */
    uint32_t next_domid;
    uint32_t domid;
    bool domain_exists;
    unsigned destroys;
    bool unpaused;
    uint32_t next_port;
    struct flb_domain_state state; /* what domain_getinfo reports while the domain exists */
    uint8_t handle[16];            /* the domain's UUID as the last create or sethandle gave it */
    struct fake_other {
        uint32_t domid;
        struct flb_domain_state state;
        uint8_t handle[16];
    } others[8];
    unsigned nr_others;

    /* Events, as wait_event reports them: each pending one is reported once, in this order. */
    unsigned watches;   /* xs_watch calls not yet undone */
    bool watch_pending; /* a watch fired: xenstored's @releaseDomain */
    uint32_t virq_port; /* our end of VIRQ_DOM_EXC; 0: not bound */
    bool virq_busy;     /* binding VIRQ_DOM_EXC fails with EEXIST, as when xenstored holds it */
    bool virq_pending;
    uint32_t console_port; /* our end of the console channel; 0: not bound */
    bool evtchn_pending;   /* the guest notified the console channel */

    /* The host's CPUs (cpu_node[i] is CPU i's NUMA node) and the domain's scheduler and its parameters. */
    uint32_t nr_cpus;
    uint32_t cpu_node[16];
    const char *scheduler;
    bool flask_enabled; /* Xen has FLASK: two labels are known, domU_t (SID 40) and nomigrate_t (41) */
    uint32_t sched_weight, sched_cap;

    /* Leak tracking: each must be 0 once the build returns. */
    int open_doms;
    int open_maps;
    int bound_ports;

    /* Hypercalls that map the special regions, for the benchmark. */
    unsigned physmap_calls;  /* both kinds */
    unsigned physmap_single; /* xc_domain_add_to_physmap */
    unsigned physmap_batch;  /* xc_domain_add_to_physmap_batch, refused ones included */

    /* Guest memory: the pages around the start info. */
    uint8_t mem[FAKE_MEM_PAGES * 4096];
    /* The ACPI tables' page, where the image's first ACPI module asked for it (0: none). */
    uint64_t acpi_gpa;
    uint8_t acpi_page[4096];
    /* The console ring page at FAKE_CONSOLE_GFN. */
    union {
        struct xencons_interface ring;
        uint8_t page[4096];
    } console;

    /* xenstore: a flat list of paths. */
    struct fake_node {
        char *path, *value;
    } * xs;
    size_t nr_xs, cap_xs;

    /* Shared with fakes in other processes through this file (fake_share); NULL: this fake's own. */
    const char *share_path;
    int share_fd;
};

/* A fresh fake with xenstore running and dom0 registered. */
struct fake *fake_new(bool xenstore);
void fake_free(struct fake *f);

/*
 * The guest writes to its console: bytes go in at out_prod whatever out_cons
 * says, as a guest that does not wait for room would, and the event channel
 * fires.
 */
void fake_console_put(struct fake *f, const void *buf, size_t n);

/*
 * The domain's state changed (it shut down, died, was destroyed): what Xen
 * and xenstored do then, the VIRQ_DOM_EXC and the @releaseDomain watch fire.
 */
void fake_domain_changed(struct fake *f);

/* The log as one string, lines joined with '\n'; caller frees. */
char *fake_log_text(const struct fake *f);

/*
 * From now on, the xenstore and the domain ids are the ones in the file
 * path, which fakes in other processes share: each xenstore call and each
 * domain creation is atomic with respect to theirs, as xenstored's
 * requests are. The first fake to share seeds the file with its nodes.
 */
void fake_share(struct fake *f, const char *path);

void fake_xs_set(struct fake *f, const char *path, const char *value);
const char *fake_xs_get(const struct fake *f, const char *path);
/* Number of nodes at or below prefix. */
size_t fake_xs_count(const struct fake *f, const char *prefix);

#endif
