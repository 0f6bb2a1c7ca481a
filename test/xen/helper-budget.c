/* flb-dom0-helper bench-table, the budget: where a fixed-layout-build run spends its wall time.
 *
 * The parts are the process start and exit (the median of --version) and every part a -v build
 * logs as "fixed-layout-build: WHAT: N ms" (reading the config, opening the handles, each build
 * step, closing), each the median over the -v builds verbose-1 ... verbose-RUNS. Their sum is set
 * against the median wall time of those builds (verbose.time): what no part covers shows as the
 * difference, split by the line "main() took N ms from its first line to its return" into what lies
 * inside main and what outside it (process start and exit, against --version's). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helper.h"

#define PARTS_MAX 48
#define PREFIX "fixed-layout-build: "
#define MAIN_TOOK PREFIX "main() took "

struct part {
    char label[128];
    double ms[SAMPLES_MAX];
    int n;
};

/* The xenstore steps, summed in a row of their own. */
static const char *const xenstore_steps[] = {"checking the name is free", "writing the xenstore nodes",
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

/* Adds the timed lines of one -v output, "PREFIX LABEL: N ms", to the parts, by label; main's own
 * time, when logged, to *in_main. */
static void add_parts(const char *text, struct part *parts, int *np, struct part *in_main)
{
    const char *took = strstr(text, MAIN_TOOK);

    if (took && in_main->n < SAMPLES_MAX)
        in_main->ms[in_main->n++] = strtod(took + strlen(MAIN_TOOK), NULL);
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
                if (p && p->n < SAMPLES_MAX)
                    p->ms[p->n++] = strtod(num, NULL);
            }
        }
        line += eol ? len + 1 : len;
    }
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

int budget_rows(FILE *t, const char *dir, int runs, double *gap_pct)
{
    static struct part parts[PARTS_MAX], in_main;
    struct samples wall, version;
    int np = 0;
    char name[32], head[128];

    read_samples(dir, "verbose.time", &wall);
    read_samples(dir, "version", &version);
    for (int i = 1; i <= runs; i++) {
        snprintf(name, sizeof(name), "verbose-%d", i);
        char *text = read_text(dir, name);
        add_parts(text, parts, &np, &in_main);
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
    double w = median(wall.cmd, wall.n), sum = median(version.cmd, version.n), xs = 0;
    ms_row(t, "process start and exit (--version)", sum, w, "");
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
    ms_row(t, "sum of the parts", sum, w, "");
    ms_row(t, "wall time of the -v builds, command start to exit", w, w, "");
    *gap_pct = 100 * (w - sum) / w;
    ms_row(t, "not covered by a part (wall - sum)", w - sum, w,
           (*gap_pct < 0 ? -*gap_pct : *gap_pct) <= 5 ? "within 5 %" : "more than 5 %");
    if (in_main.n) {
        double m = median(in_main.ms, in_main.n), v = median(version.cmd, version.n);
        ms_row(t, "of which inside main(), not covered by a part", m - (sum - v), w,
               "main()'s own time less its parts");
        char note[96];
        snprintf(note, sizeof(note), "outside main(): %.1f ms, less --version's", w - m);
        ms_row(t, "of which process start and exit beyond --version's", w - m - v, w, note);
    }
    ms_row(t, "xenstore: name check, nodes, introduction (counted above)", xs, w, "");
    return 0;
}
