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
    bool batch_unsupported;   /* the batch call returns EOPNOTSUPP */
    bool destroy_fails;       /* xc_domain_destroy returns EBUSY */
    int batch_frame_error;    /* >= 0: that frame's errs[] entry is -EINVAL */
    long corrupt_offset;      /* >= 0: flip this byte of start_info after boot_image */
    long corrupt_acpi_offset; /* >= 0: flip this byte of the ACPI tables after build_image */
    fake_hook_fn *hook;
    void *hook_arg;

    /* The hypervisor's release, as XENVER_version reports it. */
    unsigned xen_major, xen_minor;

    /* Domain state. */
    uint32_t next_domid;
    bool domain_exists;
    unsigned destroys;
    bool unpaused;
    uint32_t next_port;
    struct flb_domain_state state; /* what domain_getinfo reports while the domain exists */
    bool evtchn_pending;           /* the next xenevtchn_wait returns at once, fired */

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

/* The log as one string, lines joined with '\n'; caller frees. */
char *fake_log_text(const struct fake *f);

void fake_xs_set(struct fake *f, const char *path, const char *value);
const char *fake_xs_get(const struct fake *f, const char *path);
/* Number of nodes at or below prefix. */
size_t fake_xs_count(const struct fake *f, const char *prefix);

#endif
