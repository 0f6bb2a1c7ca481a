/* The real backend's handles, shared by its files. */
#ifndef FLB_XEN_INTERNAL_H
#define FLB_XEN_INTERNAL_H

#include <xenctrl.h>
#include <xenevtchn.h>
#include <xenforeignmemory.h>
#include <xenguest.h>
#include <xenstore.h>
#include <xentoollog.h>

#include "flb_xen/xen_backend.h"

struct xen_ctx {
    struct flb_backend be;
    xentoollog_logger *logger;
    xc_interface *xch;
    xenforeignmemory_handle *fmem; /* xch's own: closed with it */
    xenevtchn_handle *xce;         /* NULL until an event channel is bound */
    struct xs_handle *xsh;         /* NULL without xenstored */
    int watch_fd;                  /* our own xenstored connection for watches (xen_watch.c); -1: none */
    unsigned nr_watches;           /* watches on it */
    bool watch_pending;            /* an event was read and not yet reported by wait_event */
    int xs_batch_fd;               /* xen_xs_batch.c's own connection to xenstored; -1 until used */
    unsigned xs_sent;              /* nodes sent on it since the last xs_write_wait */
    unsigned xs_answers;           /* answers to those, not yet read */
};

/* Turns a libxenctrl-style result into 0 or -1 with errno set (some calls leave errno at 0). */
int xen_result(int rc);

/* Calls expr with errno cleared, so a library that leaves errno alone still reports something. */
#define XEN(expr) (errno = 0, xen_result((expr) ? -1 : 0))

/* xen_sched.c: the host's CPUs, vCPU affinity, the scheduler's parameters. */
int xen_cpu_topology(void *ctx, uint32_t *nr_cpus, uint32_t **node);
int xen_vcpu_setaffinity(void *ctx, uint32_t domid, uint32_t vcpu, const uint8_t *hard, const uint8_t *soft,
                         uint32_t nr_cpus);
int xen_domain_scheduler(void *ctx, uint32_t domid, char *name, size_t len);
int xen_sched_credit_get(void *ctx, uint32_t domid, bool credit2, uint32_t *weight, uint32_t *cap);
int xen_sched_credit_set(void *ctx, uint32_t domid, bool credit2, uint32_t weight, uint32_t cap);

/* xen_dom.c: the xc_dom_* half of the table. */
int xen_dom_allocate(void *ctx, const char *cmdline, struct flb_dom **dom);
int xen_dom_kernel_file(void *ctx, struct flb_dom *dom, const char *path);
int xen_dom_module_file(void *ctx, struct flb_dom *dom, const char *path);
int xen_dom_set_hvm(void *ctx, struct flb_dom *dom, const struct flb_dom_hvm *hvm);
int xen_dom_boot_xen_init(void *ctx, struct flb_dom *dom, uint32_t domid);
int xen_dom_parse_image(void *ctx, struct flb_dom *dom);
int xen_dom_mem_init(void *ctx, struct flb_dom *dom, unsigned mem_mib);
int xen_dom_boot_mem_init(void *ctx, struct flb_dom *dom);
int xen_dom_set_e820(void *ctx, struct flb_dom *dom, const struct flb_memmap *map);
int xen_dom_set_acpi(void *ctx, struct flb_dom *dom, const void *data, uint32_t len, uint64_t gpa);
int xen_dom_build_image(void *ctx, struct flb_dom *dom);
int xen_dom_boot_image(void *ctx, struct flb_dom *dom);
int xen_dom_gnttab_init(void *ctx, struct flb_dom *dom);
int xen_dom_info(void *ctx, struct flb_dom *dom, struct flb_dom_info *info);
void xen_dom_release(void *ctx, struct flb_dom *dom);

/* xen_xs.c: xenstore, guest memory. */
int xen_xs_directory(void *ctx, const char *path, char ***names, unsigned *n);
int xen_xs_rm(void *ctx, const char *path);

/* xen_xs_batch.c: xenstore reads and writes pipelined on a connection of their own. */
int xen_xs_write_send(void *ctx, const struct flb_xs_write *nodes, unsigned n);
int xen_xs_write_wait(void *ctx, unsigned *failed);
int xen_xs_read_batch(void *ctx, const char *const *paths, unsigned n, char **values, int *errs);
void xen_xs_batch_close(struct xen_ctx *x);
/* A connection of our own to xenstored's socket, as libxenstore finds it; -1 with errno. */
int xen_xs_connect(void);
int xen_xs_introduce_send(void *ctx, uint32_t domid, uint64_t gfn, uint32_t port);
int xen_map_foreign(void *ctx, uint32_t domid, uint64_t gfn, unsigned pages, bool writable, void **addr);
int xen_unmap_foreign(void *ctx, void *addr, unsigned pages);

/* xen_watch.c: watches on a connection of their own. */
int xen_xs_watch(void *ctx, const char *path, const char *token);
int xen_xs_unwatch(void *ctx, const char *path, const char *token);
/* Reads every message waiting on the watch connection; an event sets watch_pending. */
int xen_watch_drain(struct xen_ctx *x);
void xen_watch_close(struct xen_ctx *x);

/* xen_event.c: event channels, and the one wait for watches, ports and the caller's wake-up. */
int xen_evtchn_bind_interdomain(void *ctx, uint32_t domid, uint32_t port, uint32_t *local);
int xen_evtchn_bind_virq(void *ctx, unsigned virq, uint32_t *local);
int xen_evtchn_notify(void *ctx, uint32_t port);
int xen_evtchn_unbind(void *ctx, uint32_t port);
int xen_wait_event(void *ctx, int timeout_ms, int wake_fd, struct flb_event *ev);

#endif
