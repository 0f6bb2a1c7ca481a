/* flb-dom0-helper: the dom0 side of the integration cases, one subcommand per job. */
#ifndef FLB_DOM0_HELPER_H
#define FLB_DOM0_HELPER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <xenctrl.h>

/* One memory map entry as the guest printed it or the dry-run emitted it. */
struct map_entry {
    uint64_t addr, size;
    uint32_t type;
};

#define MAP_MAX 64

/* Each returns 0 on success, 1 on a failed check, 2 on bad usage; messages on stdout. */
int cmd_grant(int argc, char **argv);      /* DOMID REF */
int cmd_memmap(int argc, char **argv);     /* JSON CONSOLE DOMID */
int cmd_linux_e820(int argc, char **argv); /* JSON CONSOLE DOMID */
int cmd_time(int argc, char **argv);       /* TIMEOUT_MS NEEDLE CMD [ARG...] */
int cmd_wait(int argc, char **argv);       /* DOMID TIMEOUT_MS OUT NEEDLE... */

/* Maps ref of domid, checks the marker, acknowledges; 0 on success. */
int grant_ack(uint32_t domid, uint32_t ref);

/* Xen's console ring, read incrementally into text (helper-ring.c). */
#define RING_SEEN_MAX (8u << 20)
struct ring {
    xc_interface *xch;
    uint32_t index;
    char *text;
    size_t len;
};

/* skip_old: forget what the ring holds now, keep only what comes later. */
int ring_open(struct ring *r, bool skip_old);
void ring_poll(struct ring *r);
/* The first whole line starting with prefix that contains needle after it, or NULL. */
const char *ring_find_line(const struct ring *r, const char *prefix, const char *needle);
void ring_close(struct ring *r);

/* CLOCK_MONOTONIC in milliseconds. */
double now_ms(void);

/* The whole of a file, NUL-terminated, or NULL with a message. */
char *read_file(const char *path);

#endif
