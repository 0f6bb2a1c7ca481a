/* The command line: options as parsed, and the entry points main() dispatches to. */
#ifndef FLB_CLI_H
#define FLB_CLI_H

#include <stdbool.h>

#include "core/config.h"
#include "core/plan.h"
#include "frontend/config_file.h"

/* Exit statuses; the man page's EXIT STATUS table lists the same. */
enum cli_exit {
    EXIT_OK = 0,
    EXIT_FAILURE_OTHER = 1,
    EXIT_USAGE = 2, /* usage, configuration or kernel-file error */
    /* --wait: the reason of the last shutdown, the one whose action ended the wait */
    EXIT_GUEST_CRASHED = 3,  /* the guest crashed */
    EXIT_GUEST_REBOOTED = 4, /* the guest rebooted or triple-faulted, and on_reboot did not restart it */
    EXIT_GUEST_WATCHDOG = 5, /* the guest's watchdog fired */
    EXIT_GUEST_OTHER = 6,    /* suspended, soft reset, or a reason Xen does not name */
    EXIT_TIMEOUT = 124,      /* --timeout expired; the guest was destroyed */
};

enum cli_format { CLI_FORMAT_TEXT, CLI_FORMAT_JSON, CLI_FORMAT_SVG };

/* One guest of the command line: a config and the overrides that follow it, up to the next config. */
struct cli_guest {
    const char *config_path;
    char **overrides; /* KEY=VALUE, in order */
    int nr_overrides;
};

struct cli_opts {
    bool dry_run;
    enum cli_format format;
    enum flb_config_format config_format;
    int verbose; /* -v count */
    bool quiet;
    bool paused;     /* -p */
    bool wait;       /* -F */
    bool no_monitor; /* -e */
    bool console;    /* -c */
    bool no_xenstore;
    bool strict;             /* --strict: ignored and unknown keys are errors */
    unsigned timeout_s;      /* 0: none */
    const char *dump_dir;    /* --dump-tables: NULL unless given */
    const char *record_path; /* --record: NULL unless given */
    bool keep_going;         /* --keep-going: a failed build leaves the other guests be */

    struct cli_guest *guests; /* in command-line order; cli_parse allocates them, cli_free frees them */
    int nr_guests;
};

/*
 * Parses argv; on error prints the message and returns EXIT_USAGE, on -h/-V returns -1 after printing.
 * The first argument that is not an option is a config; after it, an override (cli_is_override)
 * belongs to the config before it, and any other argument starts a new guest.
 */
int cli_parse(int argc, char **argv, struct cli_opts *opts);
void cli_free(struct cli_opts *opts);

/*
 * Whether an argument after the first config is an override (KEY=VALUE, KEY+=VALUE: an '=' with no '/'
 * before it) rather than a config file; a file named like one is given as ./NAME.
 */
bool cli_is_override(const char *arg);

/*
 * Prints the plans a dry-run makes (with the host's documented assumptions), one for each of the n
 * configs, and returns an exit status; every plan is made before the first is printed.
 */
int cli_dry_run(const struct cli_opts *opts, const struct flb_config *cfgs, int n);

/* CLOCK_MONOTONIC in milliseconds, for the times -v logs (cmd/live_build.c). */
double cli_now_ms(void);

/* Builds the n guests on Xen and returns an exit status (cmd/live.c). */
int cli_live_run(const struct cli_opts *opts, const struct flb_config *cfgs, int n);

/* The exit status for a library status: FLB_E_INPUT is the user's to fix. */
int cli_exit_status(int rc);

/* "fixed-layout-build: <msg>" on stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cli_warn(const struct cli_opts *opts, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A -v line, "fixed-layout-build: <msg>" on stderr; the time it takes adds to cli_verbose_ms(). */
void cli_verbose(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
double cli_verbose_ms(void);

#endif
