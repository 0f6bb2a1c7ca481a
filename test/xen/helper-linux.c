/* flb-dom0-helper linux-cpus / linux-memmap / linux-acpi: what the Linux guest's init
 * (linux-init.sh) printed on its console, one "FLBL KEY ..." line each, against what the guest
 * was given. The console is a file: the output of fixed-layout-build -c, or xenconsoled's log. */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helper.h"

#define LINE_MAX_LEN 512

/* Says why a check failed; returns 1, the status of a failed check. */
__attribute__((format(printf, 1, 2))) static int fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    return 1;
}

/* The next line "FLBL KEY REST" at or after *at: REST, without the line end, into buf (at most
 * size - 1 bytes); moves *at past it. NULL, and *at NULL, when there is none. */
static const char *next_line(const char **at, const char *key, char *buf, size_t size)
{
    size_t klen = strlen(key);
    for (const char *line = *at; line && *line;) {
        const char *eol = strchr(line, '\n');
        size_t len = eol ? (size_t)(eol - line) : strlen(line);
        const char *next = line + len + (eol != NULL);
        while (len && line[len - 1] == '\r')
            len--;
        if (len > 5 + klen && !strncmp(line, "FLBL ", 5) && !strncmp(line + 5, key, klen) &&
            line[5 + klen] == ' ') {
            size_t n = len - (6 + klen);
            if (n >= size)
                n = size - 1;
            memcpy(buf, line + 6 + klen, n);
            buf[n] = '\0';
            *at = next;
            return buf;
        }
        line = next;
    }
    *at = NULL;
    return NULL;
}

/* The REST of the first "FLBL KEY REST" line, or NULL. */
static const char *first_line(const char *text, const char *key, char *buf, size_t size)
{
    return next_line(&text, key, buf, size);
}

/* The first "FLBL dmesg" line that holds needle: from the needle on, or NULL. */
static const char *dmesg_line(const char *text, const char *needle, char *buf, size_t size)
{
    for (const char *at = text; next_line(&at, "dmesg", buf, size);) {
        const char *hit = strstr(buf, needle);
        if (hit)
            return hit;
    }
    return NULL;
}

int linux_cpus_brought_up(const char *text)
{
    char buf[LINE_MAX_LEN];
    /* "smp: Brought up 1 node, 4 CPUs" (or "..., 1 CPU"). */
    const char *hit = dmesg_line(text, "smp: Brought up ", buf, sizeof(buf));
    const char *comma = hit ? strchr(hit, ',') : NULL;
    int n;
    return comma && sscanf(comma, ", %d CPU", &n) == 1 ? n : -1;
}

/* The number of CPUs in a sysfs CPU list ("0-3", "0,2-5", "0"), or -1. */
static int cpu_list_count(const char *list)
{
    int count = 0;
    const char *p = list;
    while (*p) {
        char *end;
        long a = strtol(p, &end, 10), b = a;
        if (end == p || a < 0)
            return -1;
        if (*end == '-') {
            p = end + 1;
            b = strtol(p, &end, 10);
            if (end == p || b < a)
                return -1;
        }
        count += (int)(b - a + 1);
        if (*end != ',' && *end != '\0')
            return -1;
        p = *end ? end + 1 : end;
    }
    return count ? count : -1;
}

int cmd_linux_cpus(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: flb-dom0-helper linux-cpus CONSOLE POSSIBLE ONLINE\n");
        return 2;
    }
    int want_possible = atoi(argv[1]), want_online = atoi(argv[2]);
    char *text = read_file(argv[0]);
    if (!text)
        return 1;
    char buf[LINE_MAX_LEN], possible[64] = "", online[64] = "", nproc[16] = "";
    int allowing = -1, up = linux_cpus_brought_up(text);
    const char *hit = dmesg_line(text, "smpboot: Allowing ", buf, sizeof(buf));
    if (hit) {
        printf("linux-cpus: dmesg: %s\n", hit);
        sscanf(hit, "smpboot: Allowing %d CPU", &allowing);
    }
    if ((hit = dmesg_line(text, "smp: Brought up ", buf, sizeof(buf))))
        printf("linux-cpus: dmesg: %s\n", hit);
    first_line(text, "possible", possible, sizeof(possible));
    first_line(text, "online", online, sizeof(online));
    first_line(text, "nproc", nproc, sizeof(nproc));
    free(text);
    int n_possible = cpu_list_count(possible), n_online = cpu_list_count(online);
    printf("linux-cpus: possible '%s' (%d), online '%s' (%d), nproc '%s'\n", possible, n_possible, online,
           n_online, nproc);

    int bad = 0;
    if (allowing != want_possible)
        bad = fail("linux-cpus: the kernel allows %d CPUs, expected %d\n", allowing, want_possible);
    if (n_possible != want_possible)
        bad = fail("linux-cpus: %d possible CPUs, expected %d\n", n_possible, want_possible);
    if (up != want_online)
        bad = fail("linux-cpus: the kernel brought up %d CPUs, expected %d\n", up, want_online);
    if (n_online != want_online || atoi(nproc) != want_online)
        bad = fail("linux-cpus: userspace sees %d online (nproc '%s'), expected %d\n", n_online, nproc,
                   want_online);
    if (!bad)
        printf("linux-cpus: %d of %d possible CPUs brought up and online, as expected\n", up, allowing);
    return bad ? 1 : 0;
}

/* How /sys/firmware/memmap/N/type names an E820 type: e820_type_to_string() of Linux's
 * arch/x86/kernel/e820.c. Every type it does not know, the tool's 0xF000000x ones among them,
 * is "Unknown E820 type". */
static const char *linux_type_name(uint32_t type)
{
    switch (type) {
    case 1: return "System RAM";
    case 2: return "Reserved";
    case 3: return "ACPI Tables";
    case 4: return "ACPI Non-volatile Storage";
    case 5: return "Unusable memory";
    case 7: return "Persistent Memory";
    case 12: return "Persistent Memory (legacy)";
    case 0xefffffffu: return "Soft Reserved";
    default: return "Unknown E820 type";
    }
}

static int by_addr(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* The map Linux keeps from the n entries of in: its PVH entry (init_pvh_bootparams() of
 * arch/x86/platform/pvh/enlighten.c) appends the ISA range [0xA0000, 0x100000) as reserved, and
 * e820__update_table() gives each stretch the highest type of the entries covering it and joins
 * neighbours of one type. Returns the number of entries in out. */
static int linux_view(const struct map_entry *in, int n, struct map_entry *out, int max)
{
    struct map_entry all[MAP_MAX + 1];
    uint64_t points[2 * (MAP_MAX + 1)];
    int na = 0, np = 0, nout = 0;
    for (int i = 0; i < n && i < MAP_MAX; i++)
        all[na++] = in[i];
    all[na++] = (struct map_entry){.addr = 0xA0000, .size = 0x60000, .type = 2};
    for (int i = 0; i < na; i++) {
        points[np++] = all[i].addr;
        points[np++] = all[i].addr + all[i].size;
    }
    qsort(points, np, sizeof(points[0]), by_addr);
    for (int p = 0; p + 1 < np; p++) {
        uint64_t lo = points[p], hi = points[p + 1];
        uint32_t type = 0;
        if (lo == hi)
            continue;
        for (int i = 0; i < na; i++)
            if (all[i].addr <= lo && hi <= all[i].addr + all[i].size && all[i].type > type)
                type = all[i].type;
        if (!type)
            continue;
        struct map_entry *last = nout ? &out[nout - 1] : NULL;
        if (last && last->type == type && last->addr + last->size == lo)
            last->size += hi - lo;
        else if (nout < max)
            out[nout++] = (struct map_entry){.addr = lo, .size = hi - lo, .type = type};
    }
    return nout;
}

int cmd_linux_memmap(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: flb-dom0-helper linux-memmap JSON CONSOLE\n");
        return 2;
    }
    struct map_entry dry[MAP_MAX], want[MAP_MAX];
    int nd = dry_run_map(argv[0], dry, MAP_MAX);
    if (nd < 0)
        return 1;
    int nw = linux_view(dry, nd, want, MAP_MAX);
    char *text = read_file(argv[1]);
    if (!text)
        return 1;

    char buf[LINE_MAX_LEN];
    int ng = 0, same = 1, listed = -1;
    if (first_line(text, "memmap-entries", buf, sizeof(buf)))
        listed = atoi(buf);
    for (const char *at = text; next_line(&at, "memmap", buf, sizeof(buf)); ng++) {
        unsigned long long start, end;
        int used = 0;
        if (sscanf(buf, "%llx %llx %n", &start, &end, &used) != 2 || !used) {
            printf("linux-memmap: the guest's entry %d does not parse: '%s'\n", ng, buf);
            same = 0;
            continue;
        }
        const char *type = buf + used;
        if (ng >= nw) {
            printf("  guest 0x%llx-0x%llx %s, expected none\n", start, end, type);
            same = 0;
            continue;
        }
        const struct map_entry *w = &want[ng];
        int ok = start == w->addr && end == w->addr + w->size - 1 && !strcmp(type, linux_type_name(w->type));
        printf("  %s 0x%llx-0x%llx %s", ok ? "equal" : "DIFFERENT", start, end, type);
        if (ok)
            printf(" (type 0x%x)\n", w->type);
        else
            printf(", expected 0x%" PRIx64 "-0x%" PRIx64 " %s (type 0x%x)\n", w->addr, w->addr + w->size - 1,
                   linux_type_name(w->type), w->type);
        same = same && ok;
    }
    free(text);
    for (int i = ng; i < nw; i++)
        printf("  MISSING 0x%" PRIx64 "-0x%" PRIx64 " %s (type 0x%x)\n", want[i].addr,
               want[i].addr + want[i].size - 1, linux_type_name(want[i].type), want[i].type);
    if (listed != ng) {
        printf("linux-memmap: the guest counted %d entries, %d printed\n", listed, ng);
        same = 0;
    }
    if (same && ng == nw) {
        printf("linux-memmap: the guest's %d entries equal the dry-run's %d with Linux's ISA range\n", ng,
               nd);
        return 0;
    }
    printf("linux-memmap: MISMATCH: %d entries from the guest, %d expected from the dry-run's %d\n", ng, nw,
           nd);
    return 1;
}

/* The bytes of the file at path, at most max: their number, -1 when it does not exist, -2 on an
 * error (said). */
static long file_bytes(const char *path, unsigned char *buf, size_t max)
{
    FILE *f = fopen(path, "rb");
    if (!f && errno == ENOENT)
        return -1;
    if (!f) {
        printf("linux-acpi: cannot open %s\n", path);
        return -2;
    }
    size_t n = fread(buf, 1, max, f);
    int err = ferror(f) || (n == max && fgetc(f) != EOF);
    fclose(f);
    if (err) {
        printf("linux-acpi: cannot read %s, or it is larger than %zu bytes\n", path, max);
        return -2;
    }
    return (long)n;
}

#define TABLE_MAX 65536

/* The bytes of every "FLBL acpi SIG xx xx ..." line, in order: their number; -1 when the guest
 * said "none"; -2 when a line does not parse or there is none (said). */
static long console_bytes(const char *text, const char *sig, unsigned char *buf, size_t max)
{
    char key[16], line[LINE_MAX_LEN];
    long n = 0;
    int lines = 0;
    snprintf(key, sizeof(key), "acpi %s", sig);
    for (const char *at = text; next_line(&at, key, line, sizeof(line)); lines++) {
        if (!strcmp(line, "none")) {
            if (!lines && !next_line(&at, key, line, sizeof(line)))
                return -1;
            printf("linux-acpi: %s: 'none' among other lines\n", sig);
            return -2;
        }
        for (char *p = line, *end;; p = end) {
            unsigned long byte = strtoul(p, &end, 16);
            if (end == p)
                break;
            if (byte > 0xff || (size_t)n >= max) {
                printf("linux-acpi: %s: a byte out of range or too many bytes\n", sig);
                return -2;
            }
            buf[n++] = (unsigned char)byte;
        }
    }
    if (!lines)
        printf("linux-acpi: the guest printed nothing about %s\n", sig);
    return lines ? n : -2;
}

int cmd_linux_acpi(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: flb-dom0-helper linux-acpi DIR CONSOLE SIGNATURE...\n");
        return 2;
    }
    char *text = read_file(argv[1]);
    if (!text)
        return 1;
    static unsigned char want[TABLE_MAX], got[TABLE_MAX];
    int bad = 0;
    for (int i = 2; i < argc; i++) {
        const char *sig = argv[i];
        char path[512], name[16];
        size_t k;
        for (k = 0; sig[k] && k + 1 < sizeof(name); k++)
            name[k] = (char)(sig[k] >= 'A' && sig[k] <= 'Z' ? sig[k] - 'A' + 'a' : sig[k]);
        name[k] = '\0';
        snprintf(path, sizeof(path), "%s/%s.dat", argv[0], name);
        long nw = file_bytes(path, want, sizeof(want)), ng = console_bytes(text, sig, got, sizeof(got));
        if (nw == -2 || ng == -2) {
            bad = 1;
        } else if (nw == -1 || ng == -1) {
            if (nw != ng)
                bad = fail("linux-acpi: %s: %s\n", sig,
                           nw == -1 ? "the guest has the table, the dump has none"
                                    : "the guest has no such table, the dump has one");
            else
                printf("linux-acpi: %s: none in the dump, none in the guest\n", sig);
        } else if (nw != ng || memcmp(want, got, (size_t)nw)) {
            long at = 0;
            while (at < nw && at < ng && want[at] == got[at])
                at++;
            bad = fail("linux-acpi: %s: the guest's %ld bytes differ from %s's %ld, first at offset %ld\n",
                       sig, ng, path, nw, at);
        } else {
            printf("linux-acpi: %s: the guest's %ld bytes equal %s\n", sig, ng, path);
        }
    }
    free(text);
    return bad ? 1 : 0;
}
