/* flb-dom0-helper, the dom0 rows of the bench and fleet tables: where dom0's vCPU went from each
 * command's start to its exit. The rig's dom0 has one vCPU, shared by the command, xenstored (which
 * serves its requests), xenconsoled (which reads every guest's console) and the timer itself; when it
 * is busy the whole time, whatever any of them does delays the others. */
#include <math.h>
#include <stdio.h>

#include "helper.h"

double mean_known(const double *v, int n)
{
    double sum = 0;
    int k = 0;

    for (int i = 0; i < n; i++)
        if (!isnan(v[i])) {
            sum += v[i];
            k++;
        }
    return k ? sum / k : NAN;
}

static const char *ms_cell(char *buf, size_t size, double v)
{
    if (isnan(v))
        return "-";
    snprintf(buf, size, "%.0f", v);
    return buf;
}

void dom0_rows(FILE *t, const char *dir, const char *const *labels, const char *const *names, int n)
{
    fprintf(t, "| dom0's vCPU from the command's start to its exit (mean of the runs that worked, ms) | wall "
               "| busy | idle | stolen by Xen | the command | xenstored | xenconsoled | the timer | the rest "
               "| the timer read the console ring |\n|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (int i = 0; i < n; i++) {
        static struct samples s;
        double cmd_cpu[SAMPLES_MAX];
        char c[9][24], ring[48];

        read_samples(dir, names[i], &s);
        if (!s.n) {
            fprintf(t, "| %s | - | - | - | - | - | - | - | - | - | - |\n", labels[i]);
            continue;
        }
        /* "The rest", run by run where every figure is known: the kernel's work for no process, and
         * processes not named here (the builder's detached monitor, the guests' other daemons). In
         * clock ticks, so a few ms below zero when nothing else ran. */
        double rest[SAMPLES_MAX];
        for (int k = 0; k < s.n; k++) {
            cmd_cpu[k] = s.user[k] + s.sys[k];
            rest[k] = s.dom0_busy[k] - cmd_cpu[k] - s.xenstored[k] - s.xenconsoled[k] - s.timer[k];
        }
        if (s.polled)
            snprintf(ring, sizeof(ring), "every %d ms in %d of %d runs", RING_POLL_MS, s.polled, s.n);
        else
            snprintf(ring, sizeof(ring), "on Xen's VIRQ");
        fprintf(t, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", labels[i],
                ms_cell(c[0], sizeof(c[0]), mean_known(s.cmd, s.n)),
                ms_cell(c[1], sizeof(c[1]), mean_known(s.dom0_busy, s.n)),
                ms_cell(c[2], sizeof(c[2]), mean_known(s.dom0_idle, s.n)),
                ms_cell(c[3], sizeof(c[3]), mean_known(s.dom0_steal, s.n)),
                ms_cell(c[4], sizeof(c[4]), mean_known(cmd_cpu, s.n)),
                ms_cell(c[5], sizeof(c[5]), mean_known(s.xenstored, s.n)),
                ms_cell(c[6], sizeof(c[6]), mean_known(s.xenconsoled, s.n)),
                ms_cell(c[7], sizeof(c[7]), mean_known(s.timer, s.n)),
                ms_cell(c[8], sizeof(c[8]), mean_known(rest, s.n)), ring);
    }
}
