/* Helpers shared by the outputs: human sizes. */
#include "core/output.h"

#include <inttypes.h>

void flb_format_size(uint64_t bytes, char *buf, size_t len)
{
    static const char *unit[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
    unsigned u = 0;

    /* The largest unit that divides the size exactly: a memory map is read in exact numbers. */
    while (u + 1 < sizeof(unit) / sizeof(unit[0]) && bytes && bytes % ((uint64_t)1 << (10 * (u + 1))) == 0)
        u++;
    snprintf(buf, len, "%" PRIu64 " %s", bytes >> (10 * u), unit[u]);
}
