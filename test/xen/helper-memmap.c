/* flb-dom0-helper memmap: the test guest's memory map against the dry-run JSON. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helper.h"

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
            map[n++] = (struct map_entry){.addr = a, .size = s, .type = t};
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
    if ((*nw = dry_run_map(argv[0], want, MAP_MAX)) < 0)
        return NULL;
    return read_file(argv[1]);
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
