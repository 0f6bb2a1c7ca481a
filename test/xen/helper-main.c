/* flb-dom0-helper: dispatches to the subcommand named by argv[1]. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helper.h"

static const struct {
    const char *name, *args, *help;
    int (*fn)(int, char **);
} cmds[] = {
    {"grant", "DOMID REF", "map the guest's grant, check its marker, write the acknowledgement", cmd_grant},
    {"memmap", "JSON CONSOLE DOMID", "compare the guest's printed memory map with a dry-run", cmd_memmap},
    {"linux-cpus", "CONSOLE POSSIBLE ONLINE",
     "check the Linux guest's possible CPUs and the CPUs it brought up (kernel and userspace)",
     cmd_linux_cpus},
    {"linux-memmap", "JSON CONSOLE",
     "compare the Linux guest's /sys/firmware/memmap with a dry-run (plus Linux's ISA range)",
     cmd_linux_memmap},
    {"linux-acpi", "DIR CONSOLE SIGNATURE...",
     "compare the Linux guest's ACPI tables with the files --dump-tables wrote to DIR", cmd_linux_acpi},
    {"time", "[-o FILE] [-n COUNT] TIMEOUT_MS NEEDLE CMD [ARG...]",
     "time CMD and the first console line with NEEDLE (\"-\": CMD alone), or with -n until COUNT guests each "
     "printed one; -o keeps CMD's output in FILE",
     cmd_time},
    {"wait", "DOMID TIMEOUT_MS OUT NEEDLE...",
     "wait for a guest line with a NEEDLE, answer its grant offer, save its lines to OUT", cmd_wait},
    {"map-check", "JSON RULE...",
     "check a dry-run's e820: TYPE or TYPE@ADDR must be there, !TYPE must not (type_name; special: any "
     "special "
     "region)",
     cmd_map_check},
    {"records", "FILE DRYRUN_JSON REASON ACTION STATUS",
     "check a live build's JSON records: created (its plan the dry-run's document), then ended as expected",
     cmd_records},
    {"killat", "NEEDLE CMD [ARG...]", "run CMD and SIGKILL it as soon as a line of its output holds NEEDLE",
     cmd_killat},
    {"hvm-params", "DOMID",
     "print the domain's timer mode, altp2m mode and TSC mode, one \"NAME VALUE\" line each", cmd_hvm_params},
    {"floor-args", "JSON",
     "print the floor builder's arguments for the guest a dry-run describes, one per line", cmd_floor_args},
    {"fleet-table", "DIR TABLE GUESTS ROUNDS",
     "append the row of GUESTS guests built by one invocation, by GUESTS invocations and by GUESTS xl create "
     "(DIR/one, DIR/many, DIR/xl) to TABLE",
     cmd_fleet_table},
    {"bench-table", "DIR TABLE RUNS MEM_RUNS [SIZE...]",
     "write the benchmark table of the timings in DIR to TABLE; say what is missing", cmd_bench_table},
};

char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        printf("cannot open %s\n", path);
        return NULL;
    }
    size_t len = 0, cap = 65536;
    char *buf = malloc(cap + 1);
    size_t n;
    while (buf && (n = fread(buf + len, 1, cap - len, f)) > 0) {
        len += n;
        if (len == cap) {
            char *bigger = realloc(buf, 2 * cap + 1);
            if (!bigger) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = bigger;
            cap *= 2;
        }
    }
    fclose(f);
    if (buf)
        buf[len] = '\0';
    return buf;
}

static void usage(FILE *out)
{
    fprintf(out, "usage: flb-dom0-helper COMMAND ARGS\n");
    for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
        fprintf(out, "  %s %s\n      %s\n", cmds[i].name, cmds[i].args, cmds[i].help);
}

int main(int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
        if (!strcmp(argv[1], cmds[i].name))
            return cmds[i].fn(argc - 2, argv + 2);
    fprintf(stderr, "flb-dom0-helper: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return 2;
}
