/* Little-endian fields in byte buffers: every guest structure we write or read (start_info, ACPI, ELF) is
 * one. */
#ifndef FLB_LE_H
#define FLB_LE_H

#include <stdint.h>

/* The n-byte (n <= 8) little-endian number at p. */
static inline uint64_t flb_le_get(const uint8_t *p, unsigned n)
{
    uint64_t v = 0;

    while (n--)
        v = (v << 8) | p[n];
    return v;
}

/* Writes the low n bytes (n <= 8) of v at p, least significant first. */
static inline void flb_le_put(uint8_t *p, uint64_t v, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

#endif
