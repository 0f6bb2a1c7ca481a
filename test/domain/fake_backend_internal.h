/* What the fake's two halves share: the call recorder and the xenstore operations. */
#ifndef FLB_FAKE_BACKEND_INTERNAL_H
#define FLB_FAKE_BACKEND_INTERNAL_H

#include "fake_backend.h"

/* Records one call; true if this call is the one to fail (errno is set). */
bool fake_call(struct fake *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Records a line that no injected failure can hit. */
void fake_note(struct fake *f, const char *line);
/* Appends " -> <result>" to the last recorded call. */
void fake_result(struct fake *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

int fake_xs_read_batch(void *ctx, const char *const *paths, unsigned n, char **values, int *errs);
int fake_xs_directory(void *ctx, const char *path, char ***names, unsigned *n);
int fake_xs_write_send(void *ctx, const struct flb_xs_write *nodes, unsigned n);
int fake_xs_write_wait(void *ctx, unsigned *failed);
int fake_xs_rm(void *ctx, const char *path);
int fake_xs_introduce_send(void *ctx, uint32_t domid, uint64_t gfn, uint32_t port);
int fake_xs_watch(void *ctx, const char *path, const char *token);
int fake_xs_unwatch(void *ctx, const char *path, const char *token);

extern const struct flb_backend_ops fake_ops;

/* fake_shared.c: around each call that reads or changes the shared state; no-ops unless shared. */
void fake_shared_begin(struct fake *f);
void fake_shared_end(struct fake *f);

#define PAGE 4096u

/* What the fake's libxenguest knows about an image. */
struct flb_dom {
    char *cmdline;
    uint64_t module_size; /* 0: no module */
    struct flb_memmap e820;
    const void *acpi; /* the first ACPI module, borrowed; NULL: none */
    uint32_t acpi_len;
    uint64_t acpi_gpa;
};

/* fake_memory.c */
void fake_write_start_info(struct fake *f, const struct flb_dom *dom);
void fake_load_acpi(struct fake *f, const struct flb_dom *dom);
int fake_map_foreign(void *ctx, uint32_t domid, uint64_t gfn, unsigned pages, bool writable, void **addr);
int fake_unmap_foreign(void *ctx, void *addr, unsigned pages);

/* fake_domains.c */
int fake_domain_getinfo(void *ctx, uint32_t domid, struct flb_domain_state *st);
int fake_domain_unpause(void *ctx, uint32_t domid);
int fake_domain_destroy(void *ctx, uint32_t domid);
int fake_domain_sethandle(void *ctx, uint32_t domid, const uint8_t handle[16]);

/* fake_event.c */
int fake_evtchn_bind_interdomain(void *ctx, uint32_t domid, uint32_t port, uint32_t *local);
int fake_evtchn_bind_virq(void *ctx, unsigned virq, uint32_t *local);
int fake_evtchn_notify(void *ctx, uint32_t port);
int fake_evtchn_unbind(void *ctx, uint32_t port);
int fake_wait_event(void *ctx, int timeout_ms, int wake_fd, struct flb_event *ev);

#endif
