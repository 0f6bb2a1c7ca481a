/* The command line: one table of options that both parses argv and prints --help. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

enum {
    OPT_FORMAT = 256,
    OPT_CONFIG_FORMAT,
    OPT_TIMEOUT,
    OPT_NO_XENSTORE,
    OPT_DUMP_TABLES,
    OPT_STRICT,
    OPT_RECORD,
    OPT_KEEP_GOING
};

struct cli_option {
    int id;
    char short_name; /* 0: long only */
    const char *long_name;
    const char *arg; /* NULL: takes no argument */
    const char *help;
};

static const struct cli_option option_table[] = {
    {'n', 'n', "dry-run", NULL, "print the memory map and start_info; do not touch Xen"},
    {'n', 0, "dryrun", NULL, "the same, as xl create spells it"},
    {OPT_FORMAT, 0, "format", "text|json|svg", "output format (default: text)"},
    {OPT_CONFIG_FORMAT, 0, "config-format", "xl|yaml",
     "config syntax (default: from the file name; xl for -)"},
    {OPT_STRICT, 0, "strict", NULL, "make a warning about an ignored or unknown key an error (exit 2)"},
    {OPT_DUMP_TABLES, 0, "dump-tables", "DIR", "write the ACPI tables, start_info and memory map into DIR"},
    {'p', 'p', "paused", NULL, "leave the guest paused once built"},
    {'F', 'F', "wait", NULL, "monitor the guest in the foreground; exit with its last shutdown's status"},
    {'e', 'e', "no-monitor", NULL, "start no monitor: nothing acts on the guest's shutdown"},
    {OPT_TIMEOUT, 0, "timeout", "SECONDS", "destroy the guest after SECONDS and exit 124 (implies --wait)"},
    {'c', 'c', "console", NULL, "copy the guest's console to stdout until it shuts down"},
    {OPT_RECORD, 0, "record", "FILE", "write the live build's records to FILE, not stdout (stderr with -c)"},
    {OPT_NO_XENSTORE, 0, "no-xenstore", NULL, "do not register the guest with xenstored"},
    {OPT_KEEP_GOING, 0, "keep-going", NULL,
     "with several configs, keep the guests built when one fails (default: destroy them)"},
    {'q', 'q', "quiet", NULL, "print only errors"},
    {'v', 'v', "verbose", NULL, "log each build step; twice adds libxenguest's own log"},
    {'h', 'h', "help", NULL, "print this help and exit"},
    {'V', 'V', "version", NULL, "print the version and the libraries built with, and exit"},
};
#define NR_OPTIONS (sizeof(option_table) / sizeof(option_table[0]))

static void print_help(FILE *out)
{
    fputs("usage: fixed-layout-build [OPTIONS] CONFIG [KEY=VALUE...] [CONFIG [KEY=VALUE...]]...\n\n"
          "Builds a Xen PVH guest from CONFIG (xl.cfg or YAML syntax; - reads standard input) with its\n"
          "shared info page and grant table frames mapped at fixed addresses the memory map advertises.\n"
          "KEY=VALUE pairs override the config file before them, the last one winning; KEY+=VALUE appends\n"
          "to a string. Each further CONFIG is one more guest, built by the same run once every config is\n"
          "read and checked (a file named like KEY=VALUE is given as ./KEY=VALUE). If one fails to build,\n"
          "the other guests of the run are destroyed, unless --keep-going.\n"
          "\nOptions:\n",
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
          "With several configs, the first guest's status that is not 0, in command-line order.\n"
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

/* A usage error: one line naming what was typed, and where to look. */
static int usage_error(const char *fmt, const char *arg)
{
    char what[512];

    snprintf(what, sizeof(what), fmt, arg);
    cli_error("%s (see --help)", what);
    return EXIT_USAGE;
}

/* -h and -V print to stdout, which may be a full disk or a closed pipe: that is a failure like any other. */
static int printed(const char *what)
{
    if (fflush(stdout) == 0 && !ferror(stdout))
        return -1;
    cli_error("writing the %s failed", what);
    return EXIT_FAILURE_OTHER;
}

/* "<typed>: <what>", with the user's value as the one argument. */
static int value_error(char *fmt, size_t size, const char *typed, const char *what, const char *arg)
{
    char name[64];

    /* The option's name goes into the format: a '%' in what the user typed must stay text. */
    snprintf(name, sizeof(name), "%s", typed);
    for (char *p = name; *p; p++)
        if (*p == '%')
            *p = '?';
    snprintf(fmt, size, "%s: %s", name, what);
    return usage_error(fmt, arg);
}

/* `typed` is the option as the user spelt it ("--form" for --format), for messages. */
static int apply_option(int id, const char *typed, const char *arg, struct cli_opts *opts)
{
    char fmt[128];

    switch (id) {
    case 'n': opts->dry_run = true; break;
    case 'p': opts->paused = true; break;
    case 'F': opts->wait = true; break;
    case 'e': opts->no_monitor = true; break;
    case 'c': opts->console = true; break;
    case 'q': opts->quiet = true; break;
    case 'v': opts->verbose++; break;
    case OPT_NO_XENSTORE: opts->no_xenstore = true; break;
    case OPT_KEEP_GOING: opts->keep_going = true; break;
    case OPT_STRICT: opts->strict = true; break;
    case OPT_RECORD:
        if (!*arg)
            return usage_error("%s: the file name is empty", typed);
        opts->record_path = arg;
        break;
    case OPT_DUMP_TABLES:
        if (!*arg)
            return usage_error("%s: the directory name is empty", typed);
        opts->dump_dir = arg;
        break;
    case OPT_FORMAT:
        if (!strcmp(arg, "text"))
            opts->format = CLI_FORMAT_TEXT;
        else if (!strcmp(arg, "json"))
            opts->format = CLI_FORMAT_JSON;
        else if (!strcmp(arg, "svg"))
            opts->format = CLI_FORMAT_SVG;
        else
            return value_error(fmt, sizeof(fmt), typed, "'%s' is not text, json or svg", arg);
        break;
    case OPT_CONFIG_FORMAT:
        if (!strcmp(arg, "xl"))
            opts->config_format = FLB_FORMAT_XL;
        else if (!strcmp(arg, "yaml"))
            opts->config_format = FLB_FORMAT_YAML;
        else
            return value_error(fmt, sizeof(fmt), typed, "'%s' is not xl or yaml", arg);
        break;
    case OPT_TIMEOUT:
        if (parse_uint(arg, &opts->timeout_s))
            return value_error(fmt, sizeof(fmt), typed, "'%s' is not a whole number of seconds above 0", arg);
        opts->wait = true;
        break;
    case 'h': print_help(stdout); return printed("help");
    case 'V':
        printf("fixed-layout-build %s\nXen libraries %s\nother libraries: %s\n", FLB_VERSION, FLB_BUILT_XEN,
               FLB_BUILT_OTHER);
        return printed("version");
    }
    return 0;
}

static void build_getopt_tables(struct option *longopts, char *shortopts)
{
    char *s = shortopts;

    *s++ = ':'; /* report a missing argument as ':' */
    for (size_t i = 0; i < NR_OPTIONS; i++) {
        const struct cli_option *o = &option_table[i];
        longopts[i] = (struct option){o->long_name, o->arg ? required_argument : no_argument, NULL, o->id};
        if (o->short_name) {
            *s++ = o->short_name;
            if (o->arg)
                *s++ = ':';
        }
    }
    longopts[NR_OPTIONS] = (struct option){0};
    *s = '\0';
}

static bool is_known(int id)
{
    for (size_t i = 0; i < NR_OPTIONS; i++)
        if (option_table[i].id == id)
            return true;
    return false;
}

/* The long option at argv[i] as typed, without any "=value": "--form" for "--form=xml". */
static void typed_long(char *buf, size_t size, const char *arg)
{
    snprintf(buf, size, "%.*s", (int)strcspn(arg, "="), arg);
}

/* A long option getopt could not take: unknown, ambiguous, or given a value it does not take. */
static int bad_long(const char *arg, int id, const struct option *longopts)
{
    char typed[64], names[256] = "";
    size_t len;
    int matches = 0, first = -1;

    typed_long(typed, sizeof(typed), arg);
    if (id)
        return usage_error("option '%s' takes no value", typed);
    len = strlen(typed + 2);
    /* As getopt_long decides: prefixes of options that do different things are ambiguous. */
    for (int i = 0; longopts[i].name; i++) {
        if (strncmp(longopts[i].name, typed + 2, len) ||
            (first >= 0 && longopts[first].val == longopts[i].val))
            continue;
        if (first < 0)
            first = i;
        snprintf(names + strlen(names), sizeof(names) - strlen(names), "%s--%s", matches++ ? ", " : "",
                 longopts[i].name);
    }
    if (matches > 1) {
        char what[384];
        snprintf(what, sizeof(what), "option '%s' is ambiguous: %s", typed, names);
        return usage_error("%s", what);
    }
    return usage_error("unknown option '%s'", typed);
}

bool cli_is_override(const char *arg)
{
    const char *eq = strchr(arg, '=');

    /* Keys have no '/': "./a=b.cfg" and "/srv/x=1.cfg" are files. */
    return eq && !memchr(arg, '/', (size_t)(eq - arg));
}

/*
 * The arguments after the options, into guests: a config, then its overrides. The overrides of a
 * guest are the arguments right after its config, so they stay where argv has them.
 */
static int group_guests(int n, char **args, struct cli_opts *opts)
{
    bool stdin_taken = false;

    if (n <= 0)
        return usage_error("%s", "no config file given");
    opts->guests = calloc((size_t)n, sizeof(*opts->guests));
    if (!opts->guests) {
        cli_error("out of memory");
        return EXIT_FAILURE_OTHER;
    }
    for (int i = 0; i < n; i++) {
        struct cli_guest *g;

        /* The first is a config whatever its name, as it always was; a guest comes before any override. */
        if (i > 0 && cli_is_override(args[i])) {
            opts->guests[opts->nr_guests - 1].nr_overrides++;
            continue;
        }
        /* Standard input holds one config: a second '-' would find it read already. */
        if (!strcmp(args[i], "-")) {
            if (stdin_taken)
                return usage_error("%s", "standard input ('-') can be given as a config only once");
            stdin_taken = true;
        }
        g = &opts->guests[opts->nr_guests++];
        g->config_path = args[i];
        g->overrides = args + i + 1;
    }
    return 0;
}

/* What one guest alone can have: one console on stdout, one SVG picture, one directory of tables. */
static int several_guests(const struct cli_opts *opts)
{
    if (opts->nr_guests < 2)
        return 0;
    if (opts->console)
        return usage_error("%s", "-c copies one guest's console to standard output: it cannot be used with "
                                 "several configs (-F waits for them all)");
    if (opts->format == CLI_FORMAT_SVG)
        return usage_error("%s", "--format svg draws one guest: it cannot be used with several configs");
    if (opts->dump_dir)
        return usage_error("%s", "--dump-tables writes one guest's tables: it cannot be used with several "
                                 "configs");
    return 0;
}

int cli_parse(int argc, char **argv, struct cli_opts *opts)
{
    struct option longopts[NR_OPTIONS + 1];
    char shortopts[2 * NR_OPTIONS + 2], typed[64];
    int c, rc, index;

    memset(opts, 0, sizeof(*opts));
    build_getopt_tables(longopts, shortopts);
    opterr = 0;
    while ((index = -1, c = getopt_long(argc, argv, shortopts, longopts, &index)) != -1) {
        const char *arg = argv[optind - 1];

        /* An unknown short option has itself in optopt; anything else is the long option just read. */
        if (c == '?' && optopt && !is_known(optopt)) {
            char shortname[3] = {'-', (char)optopt, '\0'};
            return usage_error("unknown option '%s'", shortname);
        }
        if (c == '?')
            return bad_long(arg, optopt, longopts);
        if (c == ':')
            return usage_error("option '%s' needs a value", arg);
        /* The name as typed: with a separate value, it is the argument before the value. */
        if (index < 0)
            snprintf(typed, sizeof(typed), "-%c", c);
        else if (optarg && optarg == arg && optind >= 2)
            typed_long(typed, sizeof(typed), argv[optind - 2]);
        else
            typed_long(typed, sizeof(typed), arg);
        if ((rc = apply_option(c, typed, optarg, opts)))
            return rc;
    }

    if ((rc = group_guests(argc - optind, argv + optind, opts)))
        return rc;
    if (opts->dry_run && (opts->paused || opts->wait || opts->console))
        return usage_error("%s",
                           "--dry-run builds nothing: it cannot be combined with -p, -F, --timeout or -c");
    if (opts->dry_run && opts->record_path)
        return usage_error("%s",
                           "--record takes a live build's records: a dry-run prints its plan on standard "
                           "output");
    if (opts->dry_run && opts->keep_going)
        return usage_error("%s", "--keep-going goes on past a failed build: a dry-run builds nothing");
    if (opts->no_monitor && (opts->wait || opts->console))
        return usage_error("%s", "-e starts no monitor: it cannot be combined with -F, --timeout or -c");
    return several_guests(opts);
}

void cli_free(struct cli_opts *opts)
{
    free(opts->guests);
    opts->guests = NULL;
    opts->nr_guests = 0;
}
