/* The command line: one table of options that both parses argv and prints --help. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

enum { OPT_FORMAT = 256, OPT_CONFIG_FORMAT, OPT_TIMEOUT, OPT_NO_XENSTORE, OPT_DUMP_TABLES, OPT_RECORD };

struct cli_option {
    int id;
    char short_name; /* 0: long only */
    const char *long_name;
    const char *arg; /* NULL: takes no argument */
    const char *help;
};

static const struct cli_option option_table[] = {
    { 'n', 'n', "dry-run", NULL, "print the memory map and start_info; do not touch Xen" },
    { OPT_FORMAT, 0, "format", "text|json", "output format (default: text)" },
    { OPT_CONFIG_FORMAT, 0, "config-format", "xl|yaml", "config syntax (default: from the file name)" },
    { OPT_DUMP_TABLES, 0, "dump-tables", "DIR", "write the ACPI tables, start_info and memory map into DIR" },
    { 'p', 'p', "paused", NULL, "leave the guest paused once built" },
    { 'F', 'F', "wait", NULL, "monitor the guest in the foreground; exit with its last shutdown's status" },
    { 'e', 'e', "no-monitor", NULL, "start no monitor: nothing acts on the guest's shutdown" },
    { OPT_TIMEOUT, 0, "timeout", "SECONDS", "destroy the guest after SECONDS and exit 124 (implies --wait)" },
    { 'c', 'c', "console", NULL, "copy the guest's console to stdout until it shuts down" },
    { OPT_RECORD, 0, "record", "FILE", "write the live build's records to FILE, not stdout (stderr with -c)" },
    { OPT_NO_XENSTORE, 0, "no-xenstore", NULL, "do not register the guest with xenstored" },
    { 'q', 'q', "quiet", NULL, "print only errors" },
    { 'v', 'v', "verbose", NULL, "log each build step; twice adds libxenguest's own log" },
    { 'h', 'h', "help", NULL, "print this help and exit" },
    { 'V', 'V', "version", NULL, "print the version and exit" },
};
#define NR_OPTIONS (sizeof(option_table) / sizeof(option_table[0]))

static void print_help(FILE *out)
{
    fputs("usage: fixed-layout-build [OPTIONS] CONFIG [KEY=VALUE...]\n\n"
          "Builds a Xen PVH guest from CONFIG (xl.cfg or YAML syntax) with its shared info page\n"
          "and grant table frames mapped at fixed addresses the memory map advertises.\n"
          "KEY=VALUE pairs override the config file; the last one wins.\n\nOptions:\n",
          out);
    for (size_t i = 0; i < NR_OPTIONS; i++) {
        const struct cli_option *o = &option_table[i];
        char left[48];
        int n = o->short_name ? snprintf(left, sizeof(left), "-%c, --%s", o->short_name, o->long_name)
                              : snprintf(left, sizeof(left), "    --%s", o->long_name);
        if (o->arg)
            snprintf(left + n, sizeof(left) - (size_t)n, " %s", o->arg);
        fprintf(out, "  %-30s %s\n", left, o->help);
    }
    fputs("\nExit status: 0 success, 1 failure, 2 usage, configuration or kernel error;\n"
          "with --wait, the last shutdown: 3 crashed, 4 rebooted, 5 watchdog, 6 other; 124 timeout.\n"
          "See fixed-layout-build(1) and fixed-layout-build.cfg(5).\n",
          out);
}

static int parse_uint(const char *s, unsigned *out)
{
    char *end;
    unsigned long v;

    if (!*s || *s == '-')
        return -1;
    v = strtoul(s, &end, 10);
    if (*end || v == 0 || v > 86400u * 365)
        return -1;
    *out = (unsigned)v;
    return 0;
}

static int usage_error(const char *fmt, const char *arg)
{
    fputs("fixed-layout-build: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs(" (see --help)\n", stderr);
    return EXIT_USAGE;
}

static int apply_option(int id, const char *arg, struct cli_opts *opts)
{
    switch (id) {
    case 'n': opts->dry_run = true; break;
    case 'p': opts->paused = true; break;
    case 'F': opts->wait = true; break;
    case 'e': opts->no_monitor = true; break;
    case 'c': opts->console = true; break;
    case 'q': opts->quiet = true; break;
    case 'v': opts->verbose++; break;
    case OPT_NO_XENSTORE: opts->no_xenstore = true; break;
    case OPT_RECORD:
        if (!*arg)
            return usage_error("%s", "--record: the file name is empty");
        opts->record_path = arg;
        break;
    case OPT_DUMP_TABLES:
        if (!*arg)
            return usage_error("%s", "--dump-tables: the directory name is empty");
        opts->dump_dir = arg;
        break;
    case OPT_FORMAT:
        if (!strcmp(arg, "text"))
            opts->format = CLI_FORMAT_TEXT;
        else if (!strcmp(arg, "json"))
            opts->format = CLI_FORMAT_JSON;
        else
            return usage_error("--format: '%s' is not text or json", arg);
        break;
    case OPT_CONFIG_FORMAT:
        if (!strcmp(arg, "xl"))
            opts->config_format = FLB_FORMAT_XL;
        else if (!strcmp(arg, "yaml"))
            opts->config_format = FLB_FORMAT_YAML;
        else
            return usage_error("--config-format: '%s' is not xl or yaml", arg);
        break;
    case OPT_TIMEOUT:
        if (parse_uint(arg, &opts->timeout_s))
            return usage_error("--timeout: '%s' is not a whole number of seconds above 0", arg);
        opts->wait = true;
        break;
    case 'h':
        print_help(stdout);
        return -1;
    case 'V':
        printf("fixed-layout-build %s\n", FLB_VERSION);
        return -1;
    }
    return 0;
}

static void build_getopt_tables(struct option *longopts, char *shortopts)
{
    char *s = shortopts;

    *s++ = ':'; /* report a missing argument as ':' */
    for (size_t i = 0; i < NR_OPTIONS; i++) {
        const struct cli_option *o = &option_table[i];
        longopts[i] = (struct option){ o->long_name, o->arg ? required_argument : no_argument, NULL, o->id };
        if (o->short_name) {
            *s++ = o->short_name;
            if (o->arg)
                *s++ = ':';
        }
    }
    longopts[NR_OPTIONS] = (struct option){ 0 };
    *s = '\0';
}

int cli_parse(int argc, char **argv, struct cli_opts *opts)
{
    struct option longopts[NR_OPTIONS + 1];
    char shortopts[2 * NR_OPTIONS + 2];
    int c, rc;

    memset(opts, 0, sizeof(*opts));
    build_getopt_tables(longopts, shortopts);
    opterr = 0;
    while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
        if (c == '?') {
            char bad[64];
            if (optopt)
                snprintf(bad, sizeof(bad), "-%c", optopt);
            else
                snprintf(bad, sizeof(bad), "%s", argv[optind - 1]);
            return usage_error("unknown option '%s'", bad);
        }
        if (c == ':')
            return usage_error("option '%s' needs a value", argv[optind - 1]);
        if ((rc = apply_option(c, optarg, opts)))
            return rc;
    }

    if (optind >= argc)
        return usage_error("%s", "no config file given");
    opts->config_path = argv[optind++];
    opts->overrides = argv + optind;
    opts->nr_overrides = argc - optind;
    if (opts->dry_run && (opts->paused || opts->wait || opts->console))
        return usage_error("%s", "--dry-run builds nothing: it cannot be combined with -p, -F, --timeout or -c");
    if (opts->dry_run && opts->record_path)
        return usage_error("%s", "--record takes a live build's records: a dry-run prints its plan on standard output");
    if (opts->no_monitor && (opts->wait || opts->console))
        return usage_error("%s", "-e starts no monitor: it cannot be combined with -F, --timeout or -c");
    return 0;
}
