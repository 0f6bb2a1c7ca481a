/* Golden memory maps: each case is a real-looking config and the map lib/DESIGN.md's layout rules give for
 * it. */
#include <dirent.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "core/layout.h"

struct golden_case {
    const char *name; /* also the .map file's name */
    uint64_t memory_mib;
    uint64_t mmio_hole_mib; /* FLB_UNSET: the default hole */
    int fixed;
    uint64_t grant_frames;
    uint64_t grant_version;
    uint64_t foreign_mib;
    uint64_t acpi_bytes; /* the ACPI tables' size: one page for any vCPU count; 0 with acpi = 0 */
};

/* What one vCPU's tables take (lib/core/acpi.c); any size up to a page gives the same map. */
#define ACPI_1 484

#define DEFAULT_HOLE FLB_UNSET
static const struct golden_case cases[] = {
    {"worked_example", 8192, DEFAULT_HOLE, 1, 64, 1, 512, ACPI_1},
    {"small_256_v1", 256, DEFAULT_HOLE, 1, 64, 1, 512, ACPI_1},
    {"boundary_4032", 4032, DEFAULT_HOLE, 1, 64, 1, 512, ACPI_1},
    {"boundary_4033", 4033, DEFAULT_HOLE, 1, 64, 1, 512, ACPI_1},
    {"grant_v2_64", 1024, DEFAULT_HOLE, 1, 64, 2, 512, ACPI_1},
    {"grant_v2_1", 1024, DEFAULT_HOLE, 1, 1, 2, 512, ACPI_1},
    {"grant_v2_9", 1024, DEFAULT_HOLE, 1, 9, 2, 512, ACPI_1},
    {"grant_v2_4_small_frames", 256, DEFAULT_HOLE, 1, 4, 2, 512, ACPI_1},
    {"grant_v2_high_ram", 8192, DEFAULT_HOLE, 1, 64, 2, 512, ACPI_1},
    {"foreign_2048", 512, DEFAULT_HOLE, 1, 64, 1, 2048, ACPI_1},
    {"foreign_0", 512, DEFAULT_HOLE, 1, 64, 1, 0, ACPI_1},
    {"fixed_off_8192", 8192, DEFAULT_HOLE, 0, 64, 2, 512, ACPI_1},
    {"mmio_hole_1024", 4096, 1024, 1, 64, 1, 512, ACPI_1},
    {"large_64g", 65536, DEFAULT_HOLE, 1, 32, 1, 512, ACPI_1},
    {"acpi_off_8192", 8192, DEFAULT_HOLE, 1, 64, 1, 512, 0},
};

static void params_for(const struct golden_case *c, struct flb_layout_params *p)
{
    memset(p, 0, sizeof(*p));
    p->memory_mib = c->memory_mib;
    p->mmio_hole_mib = c->mmio_hole_mib;
    p->fixed = c->fixed;
    p->grant_frames = c->grant_frames;
    p->grant_version = (unsigned)c->grant_version;
    p->foreign_region_mib = c->foreign_mib;
    p->acpi_bytes = c->acpi_bytes;
}

static int load_map(const char *dir, const char *name, struct flb_memmap *map)
{
    char path[512], line[256], type[64];
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s.map", dir, name);
    if (!(f = fopen(path, "r"))) {
        fprintf(stderr, "%s: cannot open\n", path);
        return -1;
    }
    map->nr = 0;
    while (fgets(line, sizeof(line), f)) {
        uint64_t addr, size;
        if (line[0] == '#' || line[0] == '\n')
            continue;
        if (sscanf(line, "%" SCNx64 " %" SCNx64 " %63s", &addr, &size, type) != 3 ||
            map->nr == FLB_MEMMAP_MAX) {
            fprintf(stderr, "%s: bad line: %s", path, line);
            fclose(f);
            return -1;
        }
        uint32_t t = 0;
        for (uint32_t cand = 1; cand <= 7 && !t; cand++)
            if (!strcmp(type, flb_memmap_type_name(cand)))
                t = cand;
        for (uint32_t cand = 0xF0000001u; cand <= 0xF0000004u && !t; cand++)
            if (!strcmp(type, flb_memmap_type_name(cand)))
                t = cand;
        map->entry[map->nr++] = (struct flb_memmap_entry){addr, size, t};
    }
    fclose(f);
    return 0;
}

static void print_map(const char *title, const struct flb_memmap *map)
{
    fprintf(stderr, "  %s:\n", title);
    for (unsigned i = 0; i < map->nr; i++)
        fprintf(stderr, "    0x%" PRIx64 " 0x%" PRIx64 " %s\n", map->entry[i].addr, map->entry[i].size,
                flb_memmap_type_name(map->entry[i].type));
}

static int same_map(const struct flb_memmap *a, const struct flb_memmap *b)
{
    if (a->nr != b->nr)
        return 0;
    for (unsigned i = 0; i < a->nr; i++)
        if (a->entry[i].addr != b->entry[i].addr || a->entry[i].size != b->entry[i].size ||
            a->entry[i].type != b->entry[i].type)
            return 0;
    return 1;
}

/* Every .map file in dir belongs to a case above: a map without a case would never be compared. */
static unsigned count_maps(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    unsigned n = 0;

    CHECK(d != NULL, "%s: cannot open", dir);
    if (!d)
        return 0;
    while ((e = readdir(d))) {
        size_t len = strlen(e->d_name);
        if (len > 4 && !strcmp(e->d_name + len - 4, ".map"))
            n++;
    }
    closedir(d);
    return n;
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : "maps";
    const size_t nr_cases = sizeof(cases) / sizeof(cases[0]);

    CHECK(count_maps(dir) == nr_cases, "%s holds a different number of .map files than the %zu cases", dir,
          nr_cases);
    for (size_t i = 0; i < nr_cases; i++) {
        struct flb_layout_params params;
        struct flb_layout layout;
        struct flb_memmap want;
        struct flb_error err = {{0}};
        enum flb_key blame;
        int rc, same;

        params_for(&cases[i], &params);
        rc = load_map(dir, cases[i].name, &want);
        CHECK(rc == 0, "%s: no readable map file", cases[i].name);
        /* A failed step is already counted; the steps after it would compare nothing. */
        if (rc)
            continue;
        rc = flb_layout_compute(&params, &layout, &blame, &err);
        CHECK(rc == FLB_OK, "%s: %s", cases[i].name, err.msg);
        if (rc)
            continue;
        same = same_map(&layout.map, &want);
        CHECK(same, "%s: memory map differs", cases[i].name);
        if (!same) {
            print_map("expected", &want);
            print_map("computed", &layout.map);
        }
    }
    return check_summary();
}
