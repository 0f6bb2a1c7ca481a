/* flb-dom0-helper floor-args: the floor builder's command line (test/bench/floor_build.c) from a dry-run's
 * JSON, so that it starts the guest fixed-layout-build would start, with the same memory map. */
#include <jansson.h>
#include <stdio.h>

#include "helper.h"

#define FOUR_GIB (1ull << 32)
/* E820_RAM comes with xenctrl.h, through helper.h. */

/* Where the MMIO hole below 4 GiB starts, which the dry-run does not state: where low RAM stops
 * when RAM goes on above 4 GiB, else the first entry past low RAM (the ACPI page, at the hole's
 * start unless mmio_hole moved it; the floor builder populates only RAM either way). */
static uint64_t mmio_start(const struct map_entry *m, int n)
{
    uint64_t low_end = 0;
    bool high = false;
    for (int i = 0; i < n; i++) {
        if (m[i].type == E820_RAM && m[i].addr < FOUR_GIB)
            low_end = m[i].addr + m[i].size;
        high = high || (m[i].type == E820_RAM && m[i].addr >= FOUR_GIB);
    }
    if (high)
        return low_end;
    for (int i = 0; i < n; i++)
        if (m[i].addr >= low_end && m[i].addr < FOUR_GIB)
            return m[i].addr;
    return FOUR_GIB;
}

/* One KEY=VALUE word per line, for a shell to split on newlines: a cmdline may hold spaces. */
int cmd_floor_args(int argc, char **argv)
{
    struct map_entry map[MAP_MAX];
    if (argc != 1) {
        fprintf(stderr, "usage: flb-dom0-helper floor-args JSON\n");
        return 2;
    }
    int n = dry_run_map(argv[0], map, MAP_MAX);
    if (n < 0)
        return 1;
    json_t *root = json_load_file(argv[0], 0, NULL);
    const char *kernel = NULL, *cmdline = NULL;
    json_int_t memory, vcpus, frames, maptrack, version, shared, grant;
    if (!root ||
        json_unpack(root, "{s:s, s:I, s:I, s:I, s:I, s:I, s:{s:s}, s:{s:{s:I}, s:{s:I}}}", "kernel", &kernel,
                    "memory_mib", &memory, "maxvcpus", &vcpus, "max_grant_frames", &frames,
                    "max_maptrack_frames", &maptrack, "max_grant_version", &version, "start_info", "cmdline",
                    &cmdline, "regions", "shared_info", "addr", &shared, "grant_table", "addr", &grant)) {
        printf("%s: not a dry-run with the fixed layout (kernel, limits, cmdline, regions)\n", argv[0]);
        json_decref(root);
        return 1;
    }
    printf("kernel=%s\ncmdline=%s\nmemory=%lld\nvcpus=%lld\ngrant_frames=%lld\nmaptrack_frames=%lld\n"
           "grant_version=%lld\nmmio_start=0x%llx\nshared_info=0x%llx\ngrant_table=0x%llx\n",
           kernel, cmdline, (long long)memory, (long long)vcpus, (long long)frames, (long long)maptrack,
           (long long)version, (unsigned long long)mmio_start(map, n), (unsigned long long)shared,
           (unsigned long long)grant);
    for (int i = 0; i < n; i++)
        printf("e820=0x%llx:0x%llx:0x%x\n", (unsigned long long)map[i].addr, (unsigned long long)map[i].size,
               map[i].type);
    json_decref(root);
    return 0;
}
