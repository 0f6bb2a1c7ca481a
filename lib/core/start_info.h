/* hvm_start_info v1 encoder and decoder: pure, into and out of a buffer the caller owns. */
#ifndef FLB_START_INFO_H
#define FLB_START_INFO_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "core/layout.h"

#define FLB_SI_MAX_MODULES 2 /* libxenguest passes at most two modules */
#define FLB_SI_MAX_CMDLINE 1024

struct flb_si_module {
    flb_gpa paddr;
    uint64_t size;
    flb_gpa cmdline_paddr; /* 0: none */
};

/*
 * What a guest receives, with the guest address of every piece. Encoding
 * writes each piece at (its paddr - base) in the buffer, so the buffer is an
 * image of guest memory starting at base; a piece outside it is an error.
 */
struct flb_start_info {
    flb_gpa base; /* where the 56-byte header sits */

    uint32_t magic;
    uint32_t version;
    uint32_t flags;
    uint32_t nr_modules;
    flb_gpa modlist_paddr;
    flb_gpa cmdline_paddr;
    flb_gpa rsdp_paddr;
    flb_gpa memmap_paddr;
    uint32_t memmap_entries;

    struct flb_si_module module[FLB_SI_MAX_MODULES];
    char cmdline[FLB_SI_MAX_CMDLINE]; /* written at cmdline_paddr if that is not 0 */
    struct flb_memmap memmap;         /* memmap_entries of them */
};

/*
 * Fills si from a layout with version 1 and the magic; addresses are the
 * caller's to set afterwards (a dry-run leaves them 0: libxenguest picks them).
 */
void flb_start_info_from_layout(struct flb_start_info *si, const struct flb_layout *layout,
                                const char *cmdline);

/* Bytes from base to the end of the last piece. */
size_t flb_start_info_span(const struct flb_start_info *si);

/* The 56-byte header alone, from si's fields. */
void flb_start_info_encode_header(const struct flb_start_info *si, uint8_t *hdr);

/* A memory map as the guest reads it: map->nr entries of 24 bytes. */
void flb_memmap_encode(const struct flb_memmap *map, uint8_t *buf);

int flb_start_info_encode(const struct flb_start_info *si, uint8_t *buf, size_t len, struct flb_error *err);

/* The 56-byte header's fields alone, unchecked: enough to know where the other pieces lie. */
void flb_start_info_read_header(const uint8_t *hdr, flb_gpa base, struct flb_start_info *si);

/* Reads a start_info image taken from guest memory at base; checks magic and version. */
int flb_start_info_decode(const uint8_t *buf, size_t len, flb_gpa base, struct flb_start_info *si,
                          struct flb_error *err);

#endif
