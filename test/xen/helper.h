/* flb-dom0-helper: the dom0 side of the integration cases, one subcommand per job. */
#ifndef FLB_DOM0_HELPER_H
#define FLB_DOM0_HELPER_H

#include <stdint.h>

/* One memory map entry as the guest printed it or the dry-run emitted it. */
struct map_entry {
    uint64_t addr, size;
    uint32_t type;
};

#define MAP_MAX 64

/* Each returns 0 on success, 1 on a failed check, 2 on bad usage; messages on stdout. */
int cmd_grant(int argc, char **argv);        /* DOMID REF */
int cmd_memmap(int argc, char **argv);       /* JSON CONSOLE DOMID */
int cmd_linux_e820(int argc, char **argv);   /* JSON CONSOLE DOMID */
int cmd_time(int argc, char **argv);         /* TIMEOUT_MS NEEDLE CMD [ARG...] */

/* The whole of a file, NUL-terminated, or NULL with a message. */
char *read_file(const char *path);

#endif
