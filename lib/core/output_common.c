/* Helpers shared by the text and JSON outputs: human sizes and JSON strings. */
#include "core/output.h"

#include <inttypes.h>

void flb_format_size(uint64_t bytes, char *buf, size_t len)
{
    static const char *unit[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB" };
    unsigned u = 0;
    uint64_t whole = bytes;

    while (whole >= 1024 && u + 1 < sizeof(unit) / sizeof(unit[0])) {
        whole /= 1024;
        u++;
    }
    /* Exact multiples print as integers; others with one decimal. */
    if (u == 0 || bytes % ((uint64_t)1 << (10 * u)) == 0) {
        snprintf(buf, len, "%" PRIu64 " %s", whole, unit[u]);
    } else {
        uint64_t scale = (uint64_t)1 << (10 * u);
        uint64_t tenths = (bytes % scale) * 10 / scale;
        snprintf(buf, len, "%" PRIu64 ".%" PRIu64 " %s", whole, tenths, unit[u]);
    }
}

void flb_json_string(FILE *out, const char *s)
{
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"': fputs("\\\"", out); break;
        case '\\': fputs("\\\\", out); break;
        case '\n': fputs("\\n", out); break;
        case '\t': fputs("\\t", out); break;
        case '\r': fputs("\\r", out); break;
        default:
            if (*p < 0x20)
                fprintf(out, "\\u%04x", *p);
            else
                fputc(*p, out);
        }
    }
    fputc('"', out);
}
