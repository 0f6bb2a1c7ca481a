/* flb-dom0-helper: the bench case's timings as samples, their medians, and the cells and rows of the
 * benchmark tables (helper-bench.c, helper-budget.c). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helper.h"

/* A figure the timer could not read is -1 on its line, NAN here, as every unknown value in the tables. */
static double known(double v)
{
    return v < 0 ? NAN : v;
}

void read_samples(const char *dir, const char *name, struct samples *s)
{
    char path[512], buf[512];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    s->n = 0;
    s->polled = 0;
    FILE *f = fopen(path, "r");
    if (!f)
        return;
    for (int nr = 0; s->n < SAMPLES_MAX && fgets(buf, sizeof(buf), f); nr++) {
        double cmd, line, start, minflt, majflt, user, sys, xs, busy, idle, steal, xc, timer;
        char wake[8];
        int status, end = 0;
        if (sscanf(buf,
                   "cmd_ms=%lf line_ms=%lf status=%d start=%lf minflt=%lf majflt=%lf user_ms=%lf sys_ms=%lf "
                   "xenstored_ms=%lf dom0_busy_ms=%lf dom0_idle_ms=%lf dom0_steal_ms=%lf xenconsoled_ms=%lf "
                   "timer_ms=%lf ring=%7s%n",
                   &cmd, &line, &status, &start, &minflt, &majflt, &user, &sys, &xs, &busy, &idle, &steal,
                   &xc, &timer, wake, &end) == 15 &&
            (buf[end] == '\n' || buf[end] == '\0') && status == 0 && cmd >= 0 && line >= 0) {
            s->cmd[s->n] = cmd;
            s->line[s->n] = line;
            s->start[s->n] = start;
            s->minflt[s->n] = minflt;
            s->majflt[s->n] = majflt;
            s->user[s->n] = user;
            s->sys[s->n] = sys;
            s->xenstored[s->n] = known(xs);
            s->dom0_busy[s->n] = known(busy);
            s->dom0_idle[s->n] = known(idle);
            s->dom0_steal[s->n] = known(steal);
            s->xenconsoled[s->n] = known(xc);
            s->timer[s->n] = known(timer);
            s->polled += strcmp(wake, "virq") != 0;
            s->line_of[s->n] = nr;
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

double median(const double *v, int n)
{
    double s[SAMPLES_MAX];
    memcpy(s, v, n * sizeof(*v));
    qsort(s, n, sizeof(*s), by_value);
    return n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

const char *cell(char *buf, size_t size, const double *v, int n)
{
    if (!n)
        return "-";
    snprintf(buf, size, "%.2f", median(v, n));
    size_t len = strlen(buf);
    if (len > 1 && buf[len - 1] == '0' && buf[len - 2] != '.')
        buf[len - 1] = '\0';
    return buf;
}

void row(FILE *t, const char *a, const char *b, const char *c, const char *d)
{
    fprintf(t, "| %s | %s | %s | %s |\n", a, b, c, d);
}

char *read_text(const char *dir, const char *name)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    char *text = access(path, R_OK) ? NULL : read_file(path);
    return text ? text : strdup("");
}
