/* flb-dom0-helper fleet-table: the fleet benchmark's rows, GUESTS guests three ways, from the fleet_bench
 * case's timings.
 *
 * DIR holds one `flb-dom0-helper time -n GUESTS` line per round for each way of starting them:
 *   one    one fixed-layout-build invocation with GUESTS configs
 *   many   GUESTS fixed-layout-build invocations, one after the other
 *   xl     GUESTS xl create, one after the other
 * A round counts when the command exited 0 and every guest printed its line. */
#include <stdio.h>
#include <stdlib.h>

#include "helper.h"

/* x / y as a cell, "-" when either is missing. */
static const char *ratio_cell(char *buf, size_t size, const double *x, int nx, const double *y, int ny)
{
    double b = ny ? median(y, ny) : 0;
    if (!nx || b <= 0)
        return "-";
    snprintf(buf, size, "%.3f", median(x, nx) / b);
    return buf;
}

int cmd_fleet_table(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: flb-dom0-helper fleet-table DIR TABLE GUESTS ROUNDS\n");
        return 2;
    }
    const char *dir = argv[0], *table = argv[1];
    int guests = atoi(argv[2]), rounds = atoi(argv[3]);
    struct samples one, many, xl;
    read_samples(dir, "one", &one);
    read_samples(dir, "many", &many);
    read_samples(dir, "xl", &xl);

    /* Appended: the bench case, when it ran before, wrote the table's start. */
    FILE *t = fopen(table, "a");
    if (!t) {
        printf("fleet-table: cannot write %s\n", table);
        return 1;
    }
    char a[32], b[32], c[32], r[32];
    fprintf(t,
            "\n| %d guests, median of %d rounds, ms | one invocation | %d invocations | %d xl create | "
            "one invocation / xl create |\n|---|---|---|---|---|\n",
            guests, rounds, guests, guests);
    fprintf(t, "| %d guests: command start to every guest's first line | %s | %s | %s | %s |\n", guests,
            cell(a, sizeof(a), one.line, one.n), cell(b, sizeof(b), many.line, many.n),
            cell(c, sizeof(c), xl.line, xl.n), ratio_cell(r, sizeof(r), one.line, one.n, xl.line, xl.n));
    fprintf(t, "| %d guests: command start to the commands' exit | %s | %s | %s | %s |\n", guests,
            cell(a, sizeof(a), one.cmd, one.n), cell(b, sizeof(b), many.cmd, many.n),
            cell(c, sizeof(c), xl.cmd, xl.n), ratio_cell(r, sizeof(r), one.cmd, one.n, xl.cmd, xl.n));
    fprintf(t, "\n");
    char one_label[64], many_label[64], xl_label[64];
    snprintf(one_label, sizeof(one_label), "%d guests, one invocation", guests);
    snprintf(many_label, sizeof(many_label), "%d guests, %d invocations", guests, guests);
    snprintf(xl_label, sizeof(xl_label), "%d guests, %d xl create", guests, guests);
    const char *labels[] = {one_label, many_label, xl_label}, *names[] = {"one", "many", "xl"};
    dom0_rows(t, dir, labels, names, 3);
    fclose(t);

    /* The summary for the case's result line; what is missing makes the case fail. */
    printf("%d guests to every first line, ms: one invocation %s, %d invocations %s, %d xl create %s (ratio "
           "%s)\n",
           guests, cell(a, sizeof(a), one.line, one.n), guests, cell(b, sizeof(b), many.line, many.n), guests,
           cell(c, sizeof(c), xl.line, xl.n), ratio_cell(r, sizeof(r), one.line, one.n, xl.line, xl.n));
    if (one.n < rounds || many.n < rounds || xl.n < rounds) {
        printf("rounds that worked: one invocation %d, %d invocations %d, xl create %d, of %d\n", one.n,
               guests, many.n, xl.n, rounds);
        return 1;
    }
    return 0;
}
