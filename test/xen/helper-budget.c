/* flb-dom0-helper bench-table, the budget: where a fixed-layout-build run spends its wall time.
 *
 * The parts are every part a -v build logs as "fixed-layout-build: WHAT: N ms" (reading the config,
 * opening the handles, each build step, closing), each the median over the -v builds verbose-1 ...
 * verbose-RUNS, and the process start and exit around main(). Those two come from the line "main()
 * took N ms from its first line to its return, at T ms of CLOCK_MONOTONIC" and the monotonic time the
 * helper started the command (verbose.time): the start is from there to main()'s first line, the
 * exit from main()'s return to the command's end. --version's time is shown beside them, uncounted:
 * the process start and exit of a run that does nothing. What no part covers is taken build by
 * build (its wall time less its parts), then the median of that: a sum of medians is no median of
 * sums when single builds stall in different parts. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helper.h"

#define PARTS_MAX 64
#define PREFIX "fixed-layout-build: "
#define MAIN_TOOK PREFIX "main() took "
#define MAIN_AT "to its return, at "

struct part {
    char label[128];
    double ms[SAMPLES_MAX];
    int n;
};

/* The xenstore steps, summed in a row of their own. */
static const char *const xenstore_steps[] = {"checking the name is free", "reserving the name",
                                             "sending the xenstore nodes", "writing the xenstore nodes",
                                             "introducing the domain to xenstored"};

static struct part *find(struct part *parts, int *np, const char *label, size_t len)
{
    for (int i = 0; i < *np; i++)
        if (strlen(parts[i].label) == len && !strncmp(parts[i].label, label, len))
            return &parts[i];
    if (*np == PARTS_MAX || len >= sizeof(parts->label))
        return NULL;
    struct part *p = &parts[(*np)++];
    memcpy(p->label, label, len);
    p->label[len] = '\0';
    p->n = 0;
    return p;
}

/* Adds the timed lines of one -v output, "PREFIX LABEL: N ms", to the parts, by label. Returns
 * their sum; *main_ms gets main()'s own time and *main_end the monotonic time of its return, both NAN
 * when not logged. */
static void main_line(const char *text, double *main_ms, double *main_end)
{
    const char *took = strstr(text, MAIN_TOOK), *at = took ? strstr(took, MAIN_AT) : NULL;
    const char *eol = took ? strchr(took, '\n') : NULL;

    *main_ms = took ? strtod(took + strlen(MAIN_TOOK), NULL) : NAN;
    *main_end = at && (!eol || at < eol) ? strtod(at + strlen(MAIN_AT), NULL) : NAN;
}

static double add_parts(const char *text, struct part *parts, int *np, double *main_ms, double *main_end)
{
    double sum = 0;

    main_line(text, main_ms, main_end);
    for (const char *line = text; *line;) {
        const char *eol = strchr(line, '\n');
        size_t len = eol ? (size_t)(eol - line) : strlen(line);
        const char *num = line + len;
        if (!strncmp(line, PREFIX, strlen(PREFIX)) && len > 3 && !strncmp(num - 3, " ms", 3)) {
            num -= 3;
            while (num > line && strchr("0123456789.", num[-1]))
                num--;
            const char *label = line + strlen(PREFIX);
            if (num - label >= 3 && !strncmp(num - 2, ": ", 2)) {
                struct part *p = find(parts, np, label, (size_t)(num - 2 - label));
                double ms = strtod(num, NULL);
                if (p && p->n < SAMPLES_MAX)
                    p->ms[p->n++] = ms;
                sum += ms;
            }
        }
        line += eol ? len + 1 : len;
    }
    return sum;
}

static void ms_row(FILE *t, const char *label, double ms, double wall, const char *note)
{
    char a[32], b[32];
    if (isnan(ms)) {
        row(t, label, "-", "-", note);
        return;
    }
    snprintf(a, sizeof(a), "%.1f", ms);
    if (wall > 0)
        snprintf(b, sizeof(b), "%.1f %%", 100 * ms / wall);
    else
        snprintf(b, sizeof(b), "-");
    row(t, label, a, b, note);
}

/* The timing of build i (line i of its file), -1 when that run failed. */
static int sample_of(const struct samples *s, int i)
{
    for (int k = 0; k < s->n; k++)
        if (s->line_of[k] == i)
            return k;
    return -1;
}

/* Each -v build's wall time, process start and exit; NAN where the run failed or its line is
 * missing. */
static void start_exit(const struct samples *wall, const double *mains, const double *ends, int runs,
                       double *cmd, double *start, double *quit)
{
    for (int i = 0; i < runs; i++) {
        int k = sample_of(wall, i);
        bool known = k >= 0 && !isnan(mains[i]) && !isnan(ends[i]);

        cmd[i] = k >= 0 ? wall->cmd[k] : NAN;
        start[i] = known ? ends[i] - mains[i] - wall->start[k] : NAN;
        quit[i] = known ? wall->start[k] + wall->cmd[k] - ends[i] : NAN;
    }
}

/* The median of the values that are not NAN; NAN when none is. */
static double median_known(const double *v, int n)
{
    double known[SAMPLES_MAX];
    int k = 0;

    for (int i = 0; i < n; i++)
        if (!isnan(v[i]))
            known[k++] = v[i];
    return k ? median(known, k) : NAN;
}

/* Build by build, over the builds whose timing and main()'s line are both known: what no part
 * covers. */
static void uncovered_row(FILE *t, const double *cmd, const double *sums, const double *start,
                          const double *quit, int runs, double *gap_pct)
{
    double gap[SAMPLES_MAX], share[SAMPLES_MAX];
    int n = 0;

    for (int i = 0; i < runs; i++) {
        if (isnan(start[i]))
            continue;
        gap[n] = cmd[i] - start[i] - quit[i] - sums[i];
        share[n] = 100 * gap[n] / cmd[i];
        n++;
    }
    if (!n) {
        row(t, "not covered by a part", "-", "-", "no -v build with both its timing and main()'s line");
        *gap_pct = 100;
        return;
    }
    *gap_pct = median(share, n);
    char a[32], b[32], note[64];
    snprintf(a, sizeof(a), "%.1f", median(gap, n));
    snprintf(b, sizeof(b), "%.1f %%", *gap_pct);
    snprintf(note, sizeof(note), "%s%s", fabs(*gap_pct) <= 5 ? "within 5 %" : "more than 5 %",
             n < runs ? ", over the builds that worked" : "");
    row(t, "not covered by a part (each build's wall less its parts; median)", a, b, note);
}

/* The same builds with -e, no detached monitor forked (verbose-e-N, verbose-e.time): their process
 * start and exit, to set beside the default builds'. */
static void no_monitor_rows(FILE *t, const char *dir, int runs, double w)
{
    static struct samples wall;
    double mains[SAMPLES_MAX] = {0}, ends[SAMPLES_MAX] = {0}, cmd[SAMPLES_MAX], start[SAMPLES_MAX],
           quit[SAMPLES_MAX];
    char name[32];

    read_samples(dir, "verbose-e.time", &wall);
    if (!wall.n)
        return;
    for (int i = 0; i < runs; i++) {
        snprintf(name, sizeof(name), "verbose-e-%d", i + 1);
        char *text = read_text(dir, name);
        main_line(text, &mains[i], &ends[i]);
        free(text);
    }
    start_exit(&wall, mains, ends, runs, cmd, start, quit);
    double s0 = median_known(start, runs), e0 = median_known(quit, runs);
    ms_row(t, "-e builds (no detached monitor), wall time (not counted)", median(wall.cmd, wall.n), w, "");
    ms_row(t, "-e builds, process start, to main()'s first line (not counted)", s0, w, "");
    ms_row(t, "-e builds, process exit, from main()'s return (not counted)", e0, w, "");
}

int budget_rows(FILE *t, const char *dir, int runs, double *gap_pct)
{
    static struct part parts[PARTS_MAX];
    static struct samples wall, version;
    double sums[SAMPLES_MAX] = {0}, mains[SAMPLES_MAX] = {0}, ends[SAMPLES_MAX] = {0}, cmd[SAMPLES_MAX],
           start[SAMPLES_MAX], quit[SAMPLES_MAX];
    int np = 0, outputs = 0;
    char name[32], head[128];

    if (runs > SAMPLES_MAX)
        runs = SAMPLES_MAX;
    read_samples(dir, "verbose.time", &wall);
    read_samples(dir, "version", &version);
    for (int i = 0; i < runs; i++) {
        snprintf(name, sizeof(name), "verbose-%d", i + 1);
        char *text = read_text(dir, name);
        sums[i] = add_parts(text, parts, &np, &mains[i], &ends[i]);
        /* The parts are counted over every output, a failed build's too. */
        outputs += text[0] != '\0';
        free(text);
    }
    start_exit(&wall, mains, ends, runs, cmd, start, quit);
    snprintf(head, sizeof(head), "where fixed-layout-build's time goes (-v builds, median of %d, ms)",
             wall.n);
    row(t, head, "ms", "of the wall time", "");
    row(t, "---", "---", "---", "---");
    double s0 = median_known(start, runs), e0 = median_known(quit, runs);
    if (!wall.n || !np || isnan(s0)) {
        row(t, "(missing: the -v builds, their timings or main()'s line)", "-", "-", "");
        return -1;
    }
    double w = median(wall.cmd, wall.n), sum = s0 + e0, xs = 0;
    ms_row(t, "process start, to main()'s first line", s0, w, "");
    for (int i = 0; i < np; i++) {
        double m = median(parts[i].ms, parts[i].n);
        char note[48] = "";
        if (parts[i].n != outputs)
            snprintf(note, sizeof(note), "logged by %d of %d builds", parts[i].n, outputs);
        ms_row(t, parts[i].label, m, w, note);
        sum += m;
        for (size_t k = 0; k < sizeof(xenstore_steps) / sizeof(xenstore_steps[0]); k++)
            xs += strcmp(parts[i].label, xenstore_steps[k]) ? 0 : m;
    }
    ms_row(t, "process exit, from main()'s return", e0, w, "");
    ms_row(t, "sum of the parts' medians", sum, w, "");
    ms_row(t, "wall time of the -v builds, command start to exit", w, w, "");
    uncovered_row(t, cmd, sums, start, quit, runs, gap_pct);
    ms_row(t, "xenstore: name check and reservation, nodes, introduction (counted above)", xs, w, "");
    if (version.n)
        ms_row(t, "--version, process start to exit (a run that does nothing; not counted)",
               median(version.cmd, version.n), w, "");
    no_monitor_rows(t, dir, runs, w);
    return 0;
}
