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
        if (v[i] >= 0) {
            sum += v[i];
            k++;
        }
    return k ? sum / k : -1;
}

static const char *ms_cell(char *buf, size_t size, double v)
{
    if (v < 0)
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
         * processes not named here (the builder's detached monitor, the guests' other daemons). */
        double rest[SAMPLES_MAX];
        for (int k = 0; k < s.n; k++) {
            cmd_cpu[k] = s.user[k] + s.sys[k];
            bool known =
                s.dom0_busy[k] >= 0 && s.xenstored[k] >= 0 && s.xenconsoled[k] >= 0 && s.timer[k] >= 0;
            rest[k] =
                known ? s.dom0_busy[k] - cmd_cpu[k] - s.xenstored[k] - s.xenconsoled[k] - s.timer[k] : NAN;
        }
        double busy = mean_known(s.dom0_busy, s.n), cmd = mean_known(cmd_cpu, s.n);
        double xs = mean_known(s.xenstored, s.n), xc = mean_known(s.xenconsoled, s.n);
        double timer = mean_known(s.timer, s.n), rest_sum = 0;
        int rest_n = 0;
        for (int k = 0; k < s.n; k++)
            if (!isnan(rest[k])) {
                rest_sum += rest[k];
                rest_n++;
            }
        /* In clock ticks, so a few ms below zero when nothing else ran. */
        if (rest_n)
            snprintf(c[8], sizeof(c[8]), "%.0f", rest_sum / rest_n);
        else
            snprintf(c[8], sizeof(c[8]), "-");
        if (s.polled)
            snprintf(ring, sizeof(ring), "every %d ms in %d of %d runs", RING_POLL_MS, s.polled, s.n);
        else
            snprintf(ring, sizeof(ring), "on Xen's VIRQ");
        fprintf(t, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", labels[i],
                ms_cell(c[0], sizeof(c[0]), mean_known(s.cmd, s.n)), ms_cell(c[1], sizeof(c[1]), busy),
                ms_cell(c[2], sizeof(c[2]), mean_known(s.dom0_idle, s.n)),
                ms_cell(c[3], sizeof(c[3]), mean_known(s.dom0_steal, s.n)), ms_cell(c[4], sizeof(c[4]), cmd),
                ms_cell(c[5], sizeof(c[5]), xs), ms_cell(c[6], sizeof(c[6]), xc),
                ms_cell(c[7], sizeof(c[7]), timer), c[8], ring);
    }
}
