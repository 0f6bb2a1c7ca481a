/* Untrusted text in messages: one escaping rule for every message, and the UTF-8 check of strings. */
#include "core/escape.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* The length of the valid UTF-8 character at s (1 to 4) and its code point, or 0 if there is none. */
static size_t utf8_char(const unsigned char *s, size_t len, uint32_t *cp)
{
    size_t n;
    uint32_t c, min;

    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    if (s[0] >= 0xC2 && s[0] <= 0xDF) {
        n = 2, c = s[0] & 0x1F, min = 0x80;
    } else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
        n = 3, c = s[0] & 0x0F, min = 0x800;
    } else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
        n = 4, c = s[0] & 0x07, min = 0x10000;
    } else {
        return 0; /* a continuation byte, an overlong lead (C0, C1) or beyond U+10FFFF (F5..FF) */
    }
    if (len < n)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        c = c << 6 | (s[i] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return n;
}

bool flb_utf8_valid(const char *s, size_t len, size_t *bad_at)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;

    while (i < len) {
        uint32_t cp;
        size_t n = utf8_char(p + i, len - i, &cp);
        if (!n) {
            if (bad_at)
                *bad_at = i;
            return false;
        }
        i += n;
    }
    return true;
}

/* Characters a terminal would act on, or that would hide or reorder what the message says. */
static bool must_escape(uint32_t cp)
{
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || (cp >= 0x200B && cp <= 0x200F) ||
           (cp >= 0x2028 && cp <= 0x202E) || (cp >= 0x2060 && cp <= 0x2069) || cp == 0xFEFF;
}

size_t flb_escape(char *out, size_t size, const char *in, size_t len)
{
    const unsigned char *p = (const unsigned char *)in;
    size_t o = 0, i = 0;

    if (!size)
        return 0;
    while (i < len) {
        char piece[16];
        size_t plen = 0;
        uint32_t cp;
        size_t n = utf8_char(p + i, len - i, &cp);

        if (n && !must_escape(cp)) {
            memcpy(piece, p + i, n);
            plen = n;
        } else if (n == 1 && (cp == '\t' || cp == '\n' || cp == '\r')) {
            piece[0] = '\\';
            piece[1] = cp == '\t' ? 't' : cp == '\n' ? 'n' : 'r';
            plen = 2;
        } else {
            if (!n)
                n = 1; /* not UTF-8: this byte alone, then look again at the next */
            for (size_t j = 0; j < n; j++)
                plen += (size_t)snprintf(piece + plen, sizeof(piece) - plen, "\\x%02x", p[i + j]);
        }
        if (o + plen >= size)
            break;
        memcpy(out + o, piece, plen);
        o += plen;
        i += n;
    }
    out[o] = '\0';
    return o;
}

void flb_escape_inplace(char *msg, size_t size)
{
    char copy[2048];
    size_t len = strnlen(msg, size);

    /* Messages are one line of a few hundred bytes; a longer one keeps its first part. */
    if (len >= sizeof(copy))
        len = sizeof(copy) - 1;
    memcpy(copy, msg, len);
    flb_escape(msg, size, copy, len);
}
