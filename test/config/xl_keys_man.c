/*
 * The XL.CFG KEYS section of fixed-layout-build.cfg(5), generated from the table in lib/core/xl_keys.c.
 * "--check PAGE" fails when the page's section differs from what the table gives (the test config.man_keys);
 * "--write PAGE" replaces it (the target man-keys).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xl_keys.h"

#define BEGIN_MARK                                                                                           \
    ".\\\" BEGIN XL.CFG KEYS: generated from lib/core/xl_keys.c (cmake --build build --target man-keys)\n"
#define END_MARK ".\\\" END XL.CFG KEYS\n"

/* Reasons are plain text: only '-' and '\' mean something to troff inside a table's text block. */
static void put_text(FILE *out, const char *s)
{
    for (; *s; s++) {
        if (*s == '-' || *s == '\\')
            fputc('\\', out);
        fputc(*s, out);
    }
}

static void section(FILE *out)
{
    size_t n;
    const struct flb_xl_key *k = flb_xl_keys(&n);

    fputs(BEGIN_MARK, out);
    fputs(
        ".SH XL.CFG KEYS\n"
        "Every key of\n.BR xl.cfg (5)\nin Xen 4.17 has one of three statuses here.\n"
        ".B honoured\nkeys mean what they mean to\n.B xl\nfor a PVH guest, with the same default.\n"
        "A key\n.B not for PVH\nis one\n.B xl\nitself does nothing with for a PVH guest: it gives a warning "
        "that says so, and the build goes on (with\n.BR \\-\\-strict ,\nit is an error).\n"
        "A\n.B refused\nkey is an error (exit status 2), on one line that names the file, the line and "
        "the key, says why and what to do instead: a guest built without it would not be the guest\n"
        ".B xl create\nbuilds.\nDevices are refused: this tool builds device-less guests, with a console "
        "and xenstore only.\n"
        "Keys that are not in\n.BR xl.cfg (5)\nare unknown (see\n.BR \"UNKNOWN KEYS\" ).\n",
        out);
    fputs(".TS\nl l lx.\nKey\tStatus\tWhy\n_\n", out);
    for (size_t i = 0; i < n; i++) {
        fputs("\\fB", out);
        put_text(out, k[i].name);
        fprintf(out, "\\fP\t%s\tT{\n", flb_xl_status_name(k[i].status));
        put_text(out, k[i].reason);
        fputs("\nT}\n", out);
    }
    fputs(".TE\n", out);
    fputs(END_MARK, out);
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "r");
    char *buf = NULL;
    size_t cap = 0, n = 0, got;

    if (!f)
        return NULL;
    do {
        if (n + 4096 + 1 > cap) {
            cap = (n + 4096 + 1) * 2;
            char *more = realloc(buf, cap);
            if (!more) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = more;
        }
        got = fread(buf + n, 1, 4096, f);
        n += got;
    } while (got);
    fclose(f);
    buf[n] = '\0';
    *len = n;
    return buf;
}

int main(int argc, char **argv)
{
    char *page, *want = NULL, *begin, *end;
    size_t len, want_len = 0;
    FILE *mem;
    int rc = 1;

    if (argc != 3 || (strcmp(argv[1], "--check") && strcmp(argv[1], "--write"))) {
        fprintf(stderr, "usage: %s --check|--write PAGE\n", argv[0]);
        return 2;
    }
    if (!(page = slurp(argv[2], &len))) {
        perror(argv[2]);
        return 1;
    }
    begin = strstr(page, BEGIN_MARK);
    end = begin ? strstr(begin, END_MARK) : NULL;
    if (!end) {
        fprintf(stderr, "%s: no generated XL.CFG KEYS section (its marker lines are missing)\n", argv[2]);
        free(page);
        return 1;
    }
    end += strlen(END_MARK);
    mem = open_memstream(&want, &want_len);
    if (!mem)
        return 1;
    section(mem);
    fclose(mem);
    if (!strcmp(argv[1], "--check")) {
        rc = (size_t)(end - begin) == want_len && !memcmp(begin, want, want_len) ? 0 : 1;
        if (rc)
            fprintf(stderr,
                    "%s: the XL.CFG KEYS section differs from lib/core/xl_keys.c: run cmake --build "
                    "build --target man-keys\n",
                    argv[2]);
        else
            printf("%s: the XL.CFG KEYS section matches the table\n", argv[2]);
    } else {
        FILE *f = fopen(argv[2], "w");
        if (f && fwrite(page, 1, (size_t)(begin - page), f) == (size_t)(begin - page) &&
            fwrite(want, 1, want_len, f) == want_len &&
            fwrite(end, 1, len - (size_t)(end - page), f) == len - (size_t)(end - page))
            rc = 0;
        if (!f || fclose(f))
            rc = 1;
        if (rc)
            perror(argv[2]);
    }
    free(want);
    free(page);
    return rc;
}
