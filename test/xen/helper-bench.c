/* flb-dom0-helper bench-table: the benchmark table (medians, ratios) from the bench case's timings.
 *
 * DIR holds what the bench case measured, each timing one line of `flb-dom0-helper time`:
 *   floor, flb, xl   the floor builder (test/bench/floor_build.c), fixed-layout-build and xl create
 *                    building the same tiny guest, RUNS each
 *   verbose-N        the -v output of fixed-layout-build's build N of that guest, N = 1 ... RUNS;
 *                    verbose.time: their timings (helper-budget.c makes the budget of them)
 *   verbose-e-N      the same with -e (no detached monitor); verbose-e.time: their timings
 *   dry-run, version, true
 *                    --dry-run of that config, --version and an empty process, RUNS each
 *   binaries         "LABEL PATH" a line: the binaries whose sizes are shown (helper-resources.c)
 *   mem-SIZE         builds of a SIZE MiB guest, MEM_RUNS of them; mem-SIZE.v: the -v output of one
 *   linux-flb.console, linux-xl.console
 *                    the Linux guest's console built by fixed-layout-build and by xl create (the
 *                    linux and linux_xl cases), linux.json the dry-run of its config
 * A run counts when its command exited 0 and, where one was awaited, the guest printed. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helper.h"

static const char *ratio(char *buf, size_t size, const struct samples *a, const struct samples *b, bool line)
{
    if (!a->n || !b->n)
        return "-";
    double x = median(line ? a->line : a->cmd, a->n), y = median(line ? b->line : b->cmd, b->n);
    if (y <= 0)
        return "-";
    snprintf(buf, size, "%.3f", x / y);
    return buf;
}

/* The figure of a -v line "...populating guest memory: N ms...", "" when there is none. */
static void populating(const char *text, char *buf, size_t size)
{
    const char *key = "populating guest memory: ", *p = strstr(text, key);
    size_t n = p ? strspn(p + strlen(key), "0123456789.") : 0;
    buf[0] = '\0';
    if (p && n < size && !strncmp(p + strlen(key) + n, " ms", 3))
        snprintf(buf, size, "%.*s", (int)n, p + strlen(key));
}

/* The hypercalls the special regions cost and the xenstore round trips, as the first -v build logged them.
 * Returns whether any line gave figures. */
static bool verbose_rows(FILE *t, const char *dir)
{
    char *text = read_text(dir, "verbose-1");

    bool figures = false;
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        if (!strcasestr(line, "hypercall") && !strcasestr(line, "add_to_physmap") &&
            !strcasestr(line, "batch") && !strcasestr(line, "mapping"))
            continue;
        figures = figures || strcasestr(line, "hypercall") || strcasestr(line, "add_to_physmap");
        /* A table cell: at most 150 bytes, no '|', without the program's prefix. */
        if (strlen(line) > 150)
            line[150] = '\0';
        for (char *bar = line; (bar = strchr(bar, '|'));)
            *bar = '/';
        const char *prefix = "fixed-layout-build: ";
        if (!strncmp(line, prefix, strlen(prefix)))
            line += strlen(prefix);
        line += strspn(line, " \t");
        for (size_t n = strlen(line); n && strchr(" \t", line[n - 1]); n--)
            line[n - 1] = '\0';
        row(t, line, "", "", "");
    }
    free(text);
    return figures;
}

/* The Linux section: the CPUs the same Linux guest brought up with each builder; "-" for a
 * builder whose case did not run. Figures, not verdicts: the linux cases judge them. */
static void linux_rows(FILE *t, const char *dir)
{
    char label[96], a[16], b[16], path[512];
    long long vcpus, maxvcpus;
    snprintf(path, sizeof(path), "%s/linux.json", dir);
    if (!dry_run_int(path, "vcpus", &vcpus) && !dry_run_int(path, "maxvcpus", &maxvcpus))
        snprintf(label, sizeof(label), "Linux CPUs brought up (vcpus=%lld, maxvcpus=%lld)", vcpus, maxvcpus);
    else
        snprintf(label, sizeof(label), "Linux CPUs brought up");
    const char *names[] = {"linux-flb.console", "linux-xl.console"};
    char *cells[] = {a, b};
    for (int i = 0; i < 2; i++) {
        char *text = read_text(dir, names[i]);
        int n = linux_cpus_brought_up(text);
        free(text);
        snprintf(cells[i], sizeof(a), n < 0 ? "-" : "%d", n);
    }
    row(t, "Linux guest (test/xen/cfg/linux.cfg)", "fixed-layout-build", "xl create", "");
    row(t, "---", "---", "---", "---");
    row(t, label, a, b, "");
}

/* Appends one problem, "...;", to the line that reports them. */
__attribute__((format(printf, 3, 4))) static void problem(char *buf, size_t size, const char *fmt, ...)
{
    size_t used = strlen(buf);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf + used, size - used, fmt, ap);
    va_end(ap);
}

int cmd_bench_table(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: flb-dom0-helper bench-table DIR TABLE RUNS MEM_RUNS [SIZE...]\n");
        return 2;
    }
    const char *dir = argv[0];
    int runs = atoi(argv[2]), mem_runs = atoi(argv[3]);
    FILE *t = fopen(argv[1], "w");
    if (!t) {
        printf("bench-table: cannot write %s\n", argv[1]);
        return 1;
    }
    static struct samples floor, flb, xl, s;
    char a[32], b[32], c[32], problems[1024] = "";

    read_samples(dir, "floor", &floor);
    read_samples(dir, "flb", &flb);
    read_samples(dir, "xl", &xl);
    if (floor.n != runs)
        problem(problems, sizeof(problems), " only %d of %d floor builder runs worked;", floor.n, runs);
    if (flb.n != runs)
        problem(problems, sizeof(problems), " only %d of %d fixed-layout-build runs worked;", flb.n, runs);
    if (xl.n != runs)
        problem(problems, sizeof(problems), " only %d of %d xl create runs worked;", xl.n, runs);
    snprintf(c, sizeof(c), "measure (median of %d, ms)", runs);
    row(t, c, "fixed-layout-build", "xl create", "ratio");
    row(t, "---", "---", "---", "---");
    row(t, "command start to exit (guest unpaused)", cell(a, sizeof(a), flb.cmd, flb.n),
        cell(b, sizeof(b), xl.cmd, xl.n), ratio(c, sizeof(c), &flb, &xl, false));
    row(t, "command start to first guest line", cell(a, sizeof(a), flb.line, flb.n),
        cell(b, sizeof(b), xl.line, xl.n), ratio(c, sizeof(c), &flb, &xl, true));
    read_samples(dir, "dry-run", &s);
    row(t, "dry-run of the same config (process start, parse, layout; no Xen)",
        cell(a, sizeof(a), s.cmd, s.n), "", "");
    read_samples(dir, "version", &s);
    row(t, "--version (process start alone)", cell(a, sizeof(a), s.cmd, s.n), "", "");
    row(t, "", "", "", "");

    /* The floor: the same guest with the fewest calls, no xenstore and no checks. */
    snprintf(c, sizeof(c), "builder (median of %d, ms)", runs);
    row(t, c, "start to the guest's first line", "start to exit", "first line, times the floor's");
    row(t, "---", "---", "---", "---");
    const struct samples *who[] = {&floor, &flb, &xl};
    const char *names[] = {"floor builder (test/bench/floor_build.c)", "fixed-layout-build", "xl create"};
    for (int i = 0; i < 3; i++)
        row(t, names[i], cell(a, sizeof(a), who[i]->line, who[i]->n),
            cell(b, sizeof(b), who[i]->cmd, who[i]->n), ratio(c, sizeof(c), who[i], &floor, true));
    row(t, "", "", "", "");

    double gap = 0;
    if (budget_rows(t, dir, runs, &gap))
        problem(problems, sizeof(problems),
                " the budget lacks the -v builds, their timings or main()'s line;");
    row(t, "", "", "", "");
    resource_rows(t, dir);
    row(t, "", "", "", "");
    /* A table of its own, with more columns: blank lines around it end the four-column one. */
    const char *dom0_names[] = {"floor", "flb", "xl"};
    fprintf(t, "\n");
    dom0_rows(t, dir, names, dom0_names, 3);
    fprintf(t, "\n");

    char head[96];
    snprintf(head, sizeof(head), "fixed-layout-build, start to exit (median of %d, ms)", mem_runs);
    row(t, "guest memory (MiB)", head, "start to first line", "of which populating guest memory (-v, ms)");
    row(t, "---", "---", "---", "---");
    for (int i = 4; i < argc; i++) {
        char name[64], pop[32];
        snprintf(name, sizeof(name), "mem-%s", argv[i]);
        read_samples(dir, name, &s);
        if (!s.n)
            problem(problems, sizeof(problems), " no run at %s MiB worked;", argv[i]);
        snprintf(name, sizeof(name), "mem-%s.v", argv[i]);
        char *v = read_text(dir, name);
        populating(v, pop, sizeof(pop));
        free(v);
        row(t, argv[i], cell(a, sizeof(a), s.cmd, s.n), cell(b, sizeof(b), s.line, s.n), pop);
    }
    row(t, "", "", "", "");

    row(t, "hypercalls and xenstore round trips (-v)", "", "", "");
    row(t, "---", "", "", "");
    if (!verbose_rows(t, dir))
        problem(problems, sizeof(problems), " -v printed no hypercall figures;");
    row(t, "", "", "", "");
    linux_rows(t, dir);
    if (fclose(t)) {
        printf("bench-table: cannot write %s\n", argv[1]);
        return 1;
    }
    if (problems[0]) {
        printf("%s\n", problems + 1);
        return 1;
    }
    printf("median to first guest line: %s ms ours, %s ms xl create, %s ms the floor builder; the budget's "
           "parts leave %.1f %% of the wall time uncovered\n",
           cell(a, sizeof(a), flb.line, flb.n), cell(b, sizeof(b), xl.line, xl.n),
           cell(c, sizeof(c), floor.line, floor.n), gap);
    return 0;
}
