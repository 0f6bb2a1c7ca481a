/* flb-dom0-helper: the dom0 side of the integration cases, one subcommand per job. */
#ifndef FLB_DOM0_HELPER_H
#define FLB_DOM0_HELPER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <xenctrl.h>
#include <xenevtchn.h>

/* One memory map entry as the guest printed it or the dry-run emitted it; name is the dry-run's
 * type_name ("" for the guest's lines, which print numbers only). */
struct map_entry {
    uint64_t addr, size;
    uint32_t type;
    char name[32];
};

#define MAP_MAX 64

/* The tool's special regions (shared info, grant table, status frames, foreign) carry E820 types
 * from here up, in the range E820 leaves to OEMs. */
#define SPECIAL_TYPE_MIN 0xF0000000u

/* Each returns 0 on success, 1 on a failed check, 2 on bad usage; messages on stdout. */
int cmd_grant(int argc, char **argv);        /* DOMID REF */
int cmd_memmap(int argc, char **argv);       /* JSON CONSOLE DOMID */
int cmd_linux_cpus(int argc, char **argv);   /* CONSOLE POSSIBLE ONLINE */
int cmd_linux_memmap(int argc, char **argv); /* JSON CONSOLE */
int cmd_linux_acpi(int argc, char **argv);   /* DIR CONSOLE SIGNATURE... */
int cmd_time(int argc, char **argv);         /* [-o FILE] [-n COUNT] TIMEOUT_MS NEEDLE CMD [ARG...] */
int cmd_fleet_table(int argc, char **argv);  /* DIR TABLE GUESTS ROUNDS */
int cmd_wait(int argc, char **argv);         /* DOMID TIMEOUT_MS OUT NEEDLE... */
int cmd_map_check(int argc, char **argv);    /* JSON RULE... */
int cmd_bench_table(int argc, char **argv);  /* DIR TABLE RUNS MEM_RUNS [SIZE...] */
int cmd_killat(int argc, char **argv);       /* NEEDLE CMD [ARG...] */
int cmd_records(int argc, char **argv);      /* FILE DRYRUN_JSON REASON ACTION STATUS */
int cmd_hvm_params(int argc, char **argv);   /* DOMID */
int cmd_floor_args(int argc, char **argv);   /* JSON */

/* The "e820" array of a dry-run's JSON file (helper-json.c): its number of entries, or -1 with a
 * message. */
int dry_run_map(const char *path, struct map_entry *map, int max);

/* The CPUs the Linux guest's kernel says it brought up ("smp: Brought up ..." as its init
 * printed it, helper-linux.c), or -1. */
int linux_cpus_brought_up(const char *console);

/* The integer KEY at the top of a dry-run's JSON file; -1 when the file, or such a key, is missing. */
int dry_run_int(const char *path, const char *key, long long *value);

/* Maps ref of domid, checks the marker, acknowledges; 0 on success. */
int grant_ack(uint32_t domid, uint32_t ref);

/* Xen's console ring, read incrementally into text (helper-ring.c). Xen raises VIRQ_CON_RING when it
 * writes to the ring; the reader blocks on it rather than polling, so that waiting for a guest's line
 * costs dom0's one vCPU nothing while the command being timed runs on it. */
#define RING_SEEN_MAX (8u << 20)
struct ring {
    xc_interface *xch;
    xenevtchn_handle *xce; /* NULL: the VIRQ is bound elsewhere, and ring_wait polls */
    uint32_t index;
    char *text;
    size_t len;
};

/* skip_old: forget what the ring holds now, keep only what comes later. */
int ring_open(struct ring *r, bool skip_old);
void ring_poll(struct ring *r);
/* Blocks until Xen may have written to the ring, the descriptor fd (-1: none) is readable, or
 * timeout_ms (at most TIMEOUT_MAX_MS) pass; without the VIRQ, at most RING_POLL_MS. Then reads what
 * is new (ring_poll). */
#define RING_POLL_MS 5
void ring_wait(struct ring *r, int fd, double timeout_ms);
/* The first whole line starting with prefix that contains needle after it, or NULL. */
const char *ring_find_line(const struct ring *r, const char *prefix, const char *needle);
/* How many domains have a whole "(dN) " line that contains needle, each counted once; c carries what
 * the calls before found (zeroed at first), so that each call reads only the lines new since. */
#define RING_DOMAINS_MAX 256
struct ring_count {
    size_t scanned;
    unsigned long seen[RING_DOMAINS_MAX];
    int n;
};
int ring_count_domains(const struct ring *r, const char *needle, struct ring_count *c);
void ring_close(struct ring *r);

/* The bench case's timings (helper-samples.c): each run's milliseconds to its command's exit and to
 * the guest's line, one "cmd_ms=... line_ms=... status=... start=... minflt=..." line of
 * `flb-dom0-helper time` each; start is the monotonic clock when the command started, minflt and
 * majflt its page faults, user and sys its CPU time (ms). From the command's start to its exit, in
 * clock ticks (10 ms steps; NAN when unknown, -1 on the timer's line): xenstored's CPU time, dom0's busy,
 * idle and stolen time, xenconsoled's CPU time and the timer's own. polled counts the runs whose timer read
 * the console ring on a clock rather than on Xen's VIRQ. A failed run's line is skipped, but counts in
 * line_of. */
#define SAMPLES_MAX 100
struct samples {
    double cmd[SAMPLES_MAX], line[SAMPLES_MAX], start[SAMPLES_MAX];
    double minflt[SAMPLES_MAX], majflt[SAMPLES_MAX], user[SAMPLES_MAX], sys[SAMPLES_MAX],
        xenstored[SAMPLES_MAX];
    double dom0_busy[SAMPLES_MAX], dom0_idle[SAMPLES_MAX], dom0_steal[SAMPLES_MAX], xenconsoled[SAMPLES_MAX],
        timer[SAMPLES_MAX];
    int line_of[SAMPLES_MAX]; /* the sample's line in its file, from 0: run line_of + 1 */
    int n, polled;
};

/* The runs of DIR/name that worked (exit status 0, the line seen where one was awaited); a file that
 * is missing had none. */
void read_samples(const char *dir, const char *name, struct samples *s);
/* The median of n values; 0 < n <= SAMPLES_MAX. */
double median(const double *v, int n);
/* A median as a table cell: "-" when no run worked. The timings have one decimal, so their medians
 * have at most two: shown exactly, with at least one. */
const char *cell(char *buf, size_t size, const double *v, int n);
/* One row of a four-column Markdown table. */
void row(FILE *t, const char *a, const char *b, const char *c, const char *d);
/* The lines of DIR/name, or an empty text when it is missing (the measurement then shows "-"). */
char *read_text(const char *dir, const char *name);

/* The budget table's rows (helper-budget.c): where the -v builds verbose-1 ... verbose-RUNS of DIR
 * spent their time; *gap_pct gets the share of their wall time no part covers. -1 when the -v
 * builds, their timings or main()'s line are missing. */
int budget_rows(FILE *t, const char *dir, int runs, double *gap_pct);
/* The page faults, CPU time and xenstored's CPU time of each builder's runs, and the binaries' sizes
 * (DIR/binaries: "LABEL PATH" a line) (helper-resources.c). */
void resource_rows(FILE *t, const char *dir);
/* The mean of the values that are not NAN (CPU times sampled in clock ticks: a mean over the runs says
 * more than a median of 0s and 10s); NAN when none is. */
double mean_known(const double *v, int n);
/* Where dom0's vCPU went during the runs of DIR/names[i], one row each (helper-dom0.c). */
void dom0_rows(FILE *t, const char *dir, const char *const *labels, const char *const *names, int n);

/* CLOCK_MONOTONIC in milliseconds. */
double now_ms(void);
/* A TIMEOUT_MS argument: a number from 1 to TIMEOUT_MAX_MS (which an int of ms holds), else -1. */
#define TIMEOUT_MAX_MS 86400000
double timeout_arg(const char *s);

/* The whole of a file, NUL-terminated, or NULL with a message. */
char *read_file(const char *path);

#endif
