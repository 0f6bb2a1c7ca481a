/* flb-dom0-helper map-check: what a dry-run's memory map must, or must not, hold. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helper.h"

/* The number of entries of type name (any special one for "special"), and at addr when has_addr. */
static int count(const struct map_entry *map, int n, const char *name, bool has_addr, uint64_t addr)
{
    int found = 0;
    for (int i = 0; i < n; i++) {
        bool type = strcmp(name, "special") ? !strcmp(map[i].name, name) : map[i].type >= SPECIAL_TYPE_MIN;
        found += type && (!has_addr || map[i].addr == addr);
    }
    return found;
}

/* One rule: "TYPE" or "TYPE@ADDR" must be there, "!TYPE" must not; 0 when it holds, else 1 with
 * a line saying why, 2 for a rule that does not parse. */
static int check(const struct map_entry *map, int n, const char *rule)
{
    bool absent = rule[0] == '!';
    char name[sizeof(map->name)];
    const char *at = strchr(rule, '@');
    size_t len = at ? (size_t)(at - rule) : strlen(rule);
    if (absent) {
        rule++;
        len--;
    }
    uint64_t addr = 0;
    char *end = NULL;
    if (at)
        addr = strtoull(at + 1, &end, 0);
    if (len == 0 || len >= sizeof(name) || (at && (absent || end == at + 1 || *end))) {
        printf("map-check: bad rule '%s'\n", absent ? rule - 1 : rule);
        return 2;
    }
    memcpy(name, rule, len);
    name[len] = '\0';
    int found = count(map, n, name, at != NULL, addr);
    if (absent && found)
        printf("the dry-run has %d %s entr%s\n", found, name, found == 1 ? "y" : "ies");
    else if (!absent && !found && at)
        printf("the dry-run has no %s entry at 0x%" PRIx64 "\n", name, addr);
    else if (!absent && !found)
        printf("the dry-run has no %s entry\n", name);
    return absent == !found ? 0 : 1;
}

int cmd_map_check(int argc, char **argv)
{
    struct map_entry map[MAP_MAX];
    if (argc < 2) {
        fprintf(stderr, "usage: flb-dom0-helper map-check JSON RULE...\n");
        return 2;
    }
    int n = dry_run_map(argv[0], map, MAP_MAX);
    if (n < 0)
        return 1;
    int rc = 0;
    for (int i = 1; i < argc; i++) {
        int r = check(map, n, argv[i]);
        rc = r > rc ? r : rc;
    }
    if (!rc) {
        printf("map-check: the dry-run's %d entries meet:", n);
        for (int i = 1; i < argc; i++)
            printf(" %s", argv[i]);
        printf("\n");
    }
    return rc;
}
