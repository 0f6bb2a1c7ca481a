/* flb-dom0-helper memmap / linux-e820: a guest's memory map against the dry-run JSON. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helper.h"

/* The number after "key": inside [obj, end), or -1 if absent. */
static int json_number(const char *obj, const char *end, const char *key, uint64_t *val)
{
    char pat[32];
    snprintf(pat, sizeof(pat), "\"%s\"", key);
    const char *p = strstr(obj, pat);
    if (!p || p >= end)
        return -1;
    p += strlen(pat);
    while (*p == ' ' || *p == ':')
        p++;
    char *e;
    *val = strtoull(p, &e, 0);
    return e == p ? -1 : 0;
}

/* The "e820" array of a dry-run: objects with addr, size and type. */
static int parse_json(const char *text, struct map_entry *map)
{
    const char *p = strstr(text, "\"e820\"");
    if (!p || !(p = strchr(p, '[')))
        return -1;
    const char *close = strchr(p, ']');
    int n = 0;
    while (close && (p = strchr(p, '{')) && p < close && n < MAP_MAX) {
        const char *end = strchr(p, '}');
        uint64_t type;
        if (!end || json_number(p, end, "addr", &map[n].addr) || json_number(p, end, "size", &map[n].size) ||
            json_number(p, end, "type", &type))
            return -1;
        map[n++].type = (uint32_t)type;
        p = end;
    }
    return n;
}

/* The guest's "(dN) FLBG e820 ADDR SIZE TYPE" lines. */
static int parse_console(const char *text, const char *domid, struct map_entry *map)
{
    char pat[48];
    snprintf(pat, sizeof(pat), "(d%s) FLBG e820 ", domid);
    int n = 0;
    for (const char *p = text; (p = strstr(p, pat)) && n < MAP_MAX; p += strlen(pat)) {
        unsigned long long a, s;
        unsigned t;
        if (sscanf(p + strlen(pat), "%llx %llx %x", &a, &s, &t) == 3)
            map[n++] = (struct map_entry){a, s, t};
    }
    return n;
}

static void print_map(const char *what, const struct map_entry *m, int n)
{
    printf("%s (%d entries):\n", what, n);
    for (int i = 0; i < n; i++)
        printf("  0x%016" PRIx64 " 0x%016" PRIx64 " 0x%08x\n", m[i].addr, m[i].size, m[i].type);
}

/* The dry-run's map from argv[0]; returns the console text of argv[1] (to free), NULL on error. */
static char *load(char **argv, struct map_entry *want, int *nw)
{
    char *json = read_file(argv[0]), *con = read_file(argv[1]);
    if (json && con && (*nw = parse_json(json, want)) < 0) {
        printf("%s: no \"e820\" array of addr/size/type objects\n", argv[0]);
        free(con);
        con = NULL;
    }
    free(json);
    return json ? con : (free(con), NULL);
}

int cmd_memmap(int argc, char **argv)
{
    struct map_entry want[MAP_MAX], got[MAP_MAX];
    int nw = 0;
    if (argc != 3) {
        fprintf(stderr, "usage: flb-dom0-helper memmap JSON CONSOLE DOMID\n");
        return 2;
    }
    char *con = load(argv, want, &nw);
    if (!con)
        return 1;
    int ng = parse_console(con, argv[2], got);
    free(con);
    int same = nw == ng && nw > 0;
    for (int i = 0; same && i < nw; i++)
        same = want[i].addr == got[i].addr && want[i].size == got[i].size && want[i].type == got[i].type;
    if (same) {
        printf("memmap: the guest's %d entries equal the dry-run's\n", ng);
        return 0;
    }
    printf("memmap: MISMATCH\n");
    print_map("dry-run", want, nw);
    print_map("guest", got, ng);
    return 1;
}

/* Linux prints "BIOS-e820: [mem 0xA-0xB] type N" for types it does not name. */
int cmd_linux_e820(int argc, char **argv)
{
    struct map_entry want[MAP_MAX];
    int nw = 0, found = 0, special = 0;
    if (argc != 3) {
        fprintf(stderr, "usage: flb-dom0-helper linux-e820 JSON CONSOLE DOMID\n");
        return 2;
    }
    char *con = load(argv, want, &nw);
    if (!con)
        return 1;
    for (int i = 0; i < nw; i++) {
        if (want[i].type < 0xF0000000u)
            continue;
        special++;
        char line[128];
        snprintf(line, sizeof(line), "BIOS-e820: [mem %#018" PRIx64 "-%#018" PRIx64 "] type %u", want[i].addr,
                 want[i].addr + want[i].size - 1, want[i].type);
        if (strstr(con, line)) {
            printf("linux-e820: found '%s'\n", line);
            found++;
        } else {
            printf("linux-e820: MISSING '%s'\n", line);
        }
    }
    free(con);
    if (!special)
        printf("linux-e820: the dry-run has no special regions\n");
    return special && found == special ? 0 : 1;
}
