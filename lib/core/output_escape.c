/* Strings from a config, written for a terminal by the one escaping rule (core/escape.h), quoted where asked.
 */
#include "core/output.h"

#include <stdlib.h>
#include <string.h>

#include "core/escape.h"

/* Escapes s[0..len) onto out; an escape is at most four bytes for each byte of input. */
static void escaped(FILE *out, const char *s, size_t len)
{
    char small[256], *buf = 4 * len + 1 <= sizeof(small) ? small : malloc(4 * len + 1);

    if (!buf) {
        fputs("(out of memory)", out);
        return;
    }
    flb_escape(buf, 4 * len + 1, s, len);
    fputs(buf, out);
    if (buf != small)
        free(buf);
}

void flb_text_escape(FILE *out, const char *s, bool quoted)
{
    if (!quoted) {
        escaped(out, s, strlen(s));
        return;
    }
    /* Quoted, '"' and '\\' are escaped too, so that the text reads back exactly. */
    fputc('"', out);
    while (*s) {
        size_t run = strcspn(s, "\"\\");

        escaped(out, s, run);
        s += run;
        if (*s) {
            fputc('\\', out);
            fputc(*s++, out);
        }
    }
    fputc('"', out);
}
