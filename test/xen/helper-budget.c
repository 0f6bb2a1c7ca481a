/* flb-dom0-helper bench-table, the budget: where a fixed-layout-build run spends its wall time.
 *
 * The parts are the process start and exit (the median of --version) and every part a -v build
 * logs as "fixed-layout-build: WHAT: N ms" (reading the config, opening the handles, each build
 * step, closing), each the median over the -v builds verbose-1 ... verbose-RUNS. What no part
 * covers is taken build by build (its wall time from verbose.time, less its parts and --version's
 * median), then the median of that: a sum of medians is no median of sums when single builds
 * stall in different parts. The line "main() took N ms from its first line to its return" splits
 * it into what lies inside main() and the process start and exit beyond --version's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helper.h"

#define PARTS_MAX 64
#define PREFIX "fixed-layout-build: "
#define MAIN_TOOK PREFIX "main() took "

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
 * their sum; *main_ms gets main()'s own time, -1 when not logged. */
static double add_parts(const char *text, struct part *parts, int *np, double *main_ms)
{
    const char *took = strstr(text, MAIN_TOOK);
    double sum = 0;

    *main_ms = took ? strtod(took + strlen(MAIN_TOOK), NULL) : -1;
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
    snprintf(a, sizeof(a), "%.1f", ms);
    if (wall > 0)
        snprintf(b, sizeof(b), "%.1f %%", 100 * ms / wall);
    else
        snprintf(b, sizeof(b), "-");
    row(t, label, a, b, note);
}

/* Build by build (the -v outputs and their timings pair up only when every build worked): what no
 * part covers, and its share inside main() and beyond --version's start and exit. */
static void uncovered_rows(FILE *t, const struct samples *wall, double v, const double *sums,
                           const double *mains, int runs, double w, double *gap_pct)
{
    double gap[SAMPLES_MAX], share[SAMPLES_MAX], inside[SAMPLES_MAX], outside[SAMPLES_MAX];
    int n = 0, nm = 0;

    for (int i = 0; wall->n == runs && i < runs; i++) {
        gap[n] = wall->cmd[i] - v - sums[i];
        share[n++] = 100 * (wall->cmd[i] - v - sums[i]) / wall->cmd[i];
        if (mains[i] >= 0) {
            inside[nm] = mains[i] - sums[i];
            outside[nm++] = wall->cmd[i] - mains[i] - v;
        }
    }
    if (!n) {
        row(t, "not covered by a part", "-", "-", "some -v build failed: builds and timings do not pair up");
        *gap_pct = 100;
        return;
    }
    *gap_pct = median(share, n);
    char a[32], b[32];
    snprintf(a, sizeof(a), "%.1f", median(gap, n));
    snprintf(b, sizeof(b), "%.1f %%", *gap_pct);
    row(t, "not covered by a part (each build's wall less its parts and --version's; median)", a, b,
        (*gap_pct < 0 ? -*gap_pct : *gap_pct) <= 5 ? "within 5 %" : "more than 5 %");
    if (nm) {
        ms_row(t, "of which inside main(), not covered by a part", median(inside, nm), w,
               "main()'s own time less its parts");
        ms_row(t, "of which process start and exit beyond --version's", median(outside, nm), w,
               "wall less main()'s own time, less --version's");
    }
}

int budget_rows(FILE *t, const char *dir, int runs, double *gap_pct)
{
    static struct part parts[PARTS_MAX];
    struct samples wall, version;
    double sums[SAMPLES_MAX], mains[SAMPLES_MAX];
    int np = 0;
    char name[32], head[128];

    if (runs > SAMPLES_MAX)
        runs = SAMPLES_MAX;
    read_samples(dir, "verbose.time", &wall);
    read_samples(dir, "version", &version);
    for (int i = 0; i < runs; i++) {
        snprintf(name, sizeof(name), "verbose-%d", i + 1);
        char *text = read_text(dir, name);
        sums[i] = add_parts(text, parts, &np, &mains[i]);
        free(text);
    }
    snprintf(head, sizeof(head), "where fixed-layout-build's time goes (-v builds, median of %d, ms)",
             wall.n);
    row(t, head, "ms", "of the wall time", "");
    row(t, "---", "---", "---", "---");
    if (!wall.n || !version.n || !np) {
        row(t, "(missing: the -v builds, their timings or --version's)", "-", "-", "");
        return -1;
    }
    double w = median(wall.cmd, wall.n), v = median(version.cmd, version.n), sum = v, xs = 0;
    ms_row(t, "process start and exit (--version)", v, w, "");
    for (int i = 0; i < np; i++) {
        double m = median(parts[i].ms, parts[i].n);
        char note[48] = "";
        if (parts[i].n != wall.n)
            snprintf(note, sizeof(note), "logged by %d of %d builds", parts[i].n, wall.n);
        ms_row(t, parts[i].label, m, w, note);
        sum += m;
        for (size_t k = 0; k < sizeof(xenstore_steps) / sizeof(xenstore_steps[0]); k++)
            xs += strcmp(parts[i].label, xenstore_steps[k]) ? 0 : m;
    }
    ms_row(t, "sum of the parts' medians", sum, w, "");
    ms_row(t, "wall time of the -v builds, command start to exit", w, w, "");
    uncovered_rows(t, &wall, v, sums, mains, runs, w, gap_pct);
    ms_row(t, "xenstore: name check and reservation, nodes, introduction (counted above)", xs, w, "");
    return 0;
}
