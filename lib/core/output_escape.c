/* Strings from a config, written for a terminal: nothing in them can move the cursor, recolour or reorder
 * text. */
#include "core/output.h"

/*
 * The length of the UTF-8 sequence at p and its code point in *cp, or 0 if
 * the bytes there are not UTF-8 (overlong forms and surrogates included).
 */
static unsigned utf8_decode(const unsigned char *p, uint32_t *cp)
{
    static const uint32_t min[] = {0, 0, 0x80, 0x800, 0x10000};
    unsigned len;
    uint32_t c;

    if (p[0] < 0x80) {
        *cp = p[0];
        return 1;
    }
    if ((p[0] & 0xe0) == 0xc0) {
        len = 2;
        c = p[0] & 0x1f;
    } else if ((p[0] & 0xf0) == 0xe0) {
        len = 3;
        c = p[0] & 0x0f;
    } else if ((p[0] & 0xf8) == 0xf0) {
        len = 4;
        c = p[0] & 0x07;
    } else {
        return 0;
    }
    /* A NUL ends the string before a continuation byte could be missing past it. */
    for (unsigned i = 1; i < len; i++) {
        if ((p[i] & 0xc0) != 0x80)
            return 0;
        c = c << 6 | (p[i] & 0x3f);
    }
    if (c < min[len] || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
        return 0;
    *cp = c;
    return len;
}

/*
 * Code points a terminal acts on rather than shows: C1 controls (U+009B is a
 * CSI on some terminals), the line and paragraph separators, and the
 * bidirectional formatting characters that reorder what is around them.
 */
static bool unsafe_code_point(uint32_t c)
{
    return (c >= 0x80 && c <= 0x9f) || c == 0x61c || c == 0x200e || c == 0x200f ||
           (c >= 0x2028 && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
}

bool flb_utf8_valid(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    uint32_t c;
    unsigned len;

    for (; *p; p += len)
        if (!(len = utf8_decode(p, &c)))
            return false;
    return true;
}

void flb_text_escape(FILE *out, const char *s, bool quoted)
{
    const unsigned char *p = (const unsigned char *)s;

    if (quoted)
        fputc('"', out);
    while (*p) {
        uint32_t c;
        unsigned len = utf8_decode(p, &c);

        if (!len) {
            fprintf(out, "\\x%02x", *p++);
            continue;
        }
        if (quoted && (c == '"' || c == '\\'))
            fprintf(out, "\\%c", (char)c);
        else if (c == '\n')
            fputs("\\n", out);
        else if (c == '\t')
            fputs("\\t", out);
        else if (c == '\r')
            fputs("\\r", out);
        else if (c < 0x20 || c == 0x7f)
            fprintf(out, "\\x%02x", (unsigned)c);
        else if (unsafe_code_point(c))
            fprintf(out, "\\u%04x", (unsigned)c);
        else
            fwrite(p, 1, len, out);
        p += len;
    }
    if (quoted)
        fputc('"', out);
}
