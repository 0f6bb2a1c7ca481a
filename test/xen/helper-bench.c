/* flb-dom0-helper bench-table: the benchmark table (medians, ratios) from the bench case's timings.
 *
 * DIR holds what the bench case measured, each timing one line of `flb-dom0-helper time`:
 *   flb, xl          fixed-layout-build and xl create building the same tiny guest, RUNS each
 *   dry-run, version --dry-run of that config and --version, RUNS each
 *   mem-SIZE         builds of a SIZE MiB guest, MEM_RUNS of them; mem-SIZE.v: the -v output of one
 *   verbose          the -v output of one build; verbose.time: its timing
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

#define SAMPLES_MAX 100

struct samples {
    double cmd[SAMPLES_MAX], line[SAMPLES_MAX];
    int n;
};

/* The runs of DIR/name that worked; a file that is missing had none. */
static void read_samples(const char *dir, const char *name, struct samples *s)
{
    char path[512], buf[256];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    s->n = 0;
    FILE *f = fopen(path, "r");
    if (!f)
        return;
    while (s->n < SAMPLES_MAX && fgets(buf, sizeof(buf), f)) {
        double cmd, line;
        int status, end = 0;
        if (sscanf(buf, "cmd_ms=%lf line_ms=%lf status=%d%n", &cmd, &line, &status, &end) == 3 &&
            (buf[end] == '\n' || buf[end] == '\0') && status == 0 && cmd >= 0 && line >= 0) {
            s->cmd[s->n] = cmd;
            s->line[s->n] = line;
            s->n++;
        }
    }
    fclose(f);
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The median of n values; n > 0. */
static double median(const double *v, int n)
{
    double s[SAMPLES_MAX];
    memcpy(s, v, n * sizeof(*v));
    qsort(s, n, sizeof(*s), by_value);
    return n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

/* A median as a table cell: "-" when no run worked. The timings have one decimal, so their medians
 * have at most two: shown exactly, with at least one. */
static const char *cell(char *buf, size_t size, const double *v, int n)
{
    if (!n)
        return "-";
    snprintf(buf, size, "%.2f", median(v, n));
    size_t len = strlen(buf);
    if (len > 1 && buf[len - 1] == '0' && buf[len - 2] != '.')
        buf[len - 1] = '\0';
    return buf;
}

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

static void row(FILE *t, const char *a, const char *b, const char *c, const char *d)
{
    fprintf(t, "| %s | %s | %s | %s |\n", a, b, c, d);
}

/* The lines of DIR/name, or an empty text when it is missing (the measurement then shows "-"). */
static char *read_text(const char *dir, const char *name)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    char *text = access(path, R_OK) ? NULL : read_file(path);
    return text ? text : strdup("");
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

/* The sum of the steps a -v output logs: lines that end in ": N ms". */
static double steps_ms(const char *text)
{
    double sum = 0;
    for (const char *line = text; *line;) {
        const char *eol = strchr(line, '\n');
        size_t len = eol ? (size_t)(eol - line) : strlen(line);
        const char *num = line + len;
        if (len > 3 && !strncmp(num - 3, " ms", 3)) {
            num -= 3;
            while (num > line && strchr("0123456789.", num[-1]))
                num--;
            if (num - line >= 2 && !strncmp(num - 2, ": ", 2))
                sum += strtod(num, NULL);
        }
        line += eol ? len + 1 : len;
    }
    return sum;
}

/* The -v section: the build's wall time against the sum of its logged steps, then each line about
 * hypercalls. Returns whether any line gave hypercall figures. */
static bool verbose_rows(FILE *t, const char *dir)
{
    struct samples wall;
    read_samples(dir, "verbose.time", &wall);
    char *text = read_text(dir, "verbose"), buf[64];
    if (wall.n)
        snprintf(buf, sizeof(buf), "%.0f / %.1f", wall.cmd[0], steps_ms(text));
    else
        snprintf(buf, sizeof(buf), "- / %.1f", steps_ms(text));
    row(t, "one -v build (128 MiB): wall ms / sum of its logged steps ms", buf, "", "");

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
    static struct samples flb, xl, s;
    char a[32], b[32], c[32], problems[1024] = "";

    read_samples(dir, "flb", &flb);
    read_samples(dir, "xl", &xl);
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

    row(t, "hypercalls on the special regions (-v)", "", "", "");
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
    printf("median to first guest line: %s ms ours, %s ms xl create\n", cell(a, sizeof(a), flb.line, flb.n),
           cell(b, sizeof(b), xl.line, xl.n));
    return 0;
}
