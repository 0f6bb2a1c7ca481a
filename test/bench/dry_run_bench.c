/* Benchmark of --dry-run: median process wall and CPU time per run, and in-process CPU per config. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <time.h>
#include <unistd.h>

#include "core/config.h"
#include "frontend/config_file.h"
#include "output/json.h"
#include "core/plan.h"

static double now_s(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof(*v), cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* One exec of the tool; returns 0 and its wall and CPU seconds, or -1. */
static int run_once(const char *tool, const char *config, double *wall, double *cpu)
{
    struct rusage ru;
    int status;
    double t0 = now_s(CLOCK_MONOTONIC);
    pid_t pid = fork();

    if (pid < 0)
        return -1;
    if (pid == 0) {
        int null = open("/dev/null", O_WRONLY);
        dup2(null, 1);
        dup2(null, 2);
        execl(tool, "fixed-layout-build", "--dry-run", "--format", "json", config, (char *)NULL);
        _exit(127);
    }
    if (wait4(pid, &status, 0, &ru) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return -1;
    *wall = now_s(CLOCK_MONOTONIC) - t0;
    *cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
           (double)ru.ru_stime.tv_usec / 1e6;
    return 0;
}

/* Everything main() does past process start, repeated in this process: parse, plan, format. */
static int in_process_once(const char *config, FILE *sink)
{
    static struct flb_plan plan;
    struct flb_config cfg;
    struct flb_host host;
    struct flb_error err = {{0}};
    int rc;

    flb_config_init(&cfg, config);
    rc = flb_config_load_file(&cfg, config, FLB_FORMAT_AUTO, &err);
    if (!rc)
        rc = flb_config_finish(&cfg, &err);
    flb_host_assumed(&host);
    if (!rc)
        rc = flb_plan_make(&cfg, &host, &plan, &err);
    if (!rc)
        rc = flb_output_json(sink, &plan, &err);
    if (rc) {
        fprintf(stderr, "%s\n", err.msg);
    }
    flb_config_free(&cfg);
    return rc;
}

int main(int argc, char **argv)
{
    int runs = 200, inner = 5000;
    FILE *sink = fopen("/dev/null", "w");

    if (argc > 1 && !strncmp(argv[1], "--runs=", 7)) {
        runs = atoi(argv[1] + 7);
        inner = runs * 25;
        argv++;
        argc--;
    }
    if (argc < 3 || runs < 1 || !sink) {
        fprintf(stderr, "usage: dry_run_bench [--runs=N] TOOL CONFIG...\n");
        return 2;
    }
    double *wall = calloc((size_t)runs, sizeof(double)), *cpu = calloc((size_t)runs, sizeof(double));
    if (!wall || !cpu)
        return 1;

    printf("%-28s %8s %14s %14s %16s\n", "config", "runs", "median wall", "median CPU", "in-process CPU");
    for (int c = 2; c < argc; c++) {
        for (int i = 0; i < runs; i++)
            if (run_once(argv[1], argv[c], &wall[i], &cpu[i])) {
                fprintf(stderr, "dry_run_bench: %s --dry-run %s failed\n", argv[1], argv[c]);
                return 1;
            }
        double t0 = now_s(CLOCK_PROCESS_CPUTIME_ID);
        for (int i = 0; i < inner; i++)
            if (in_process_once(argv[c], sink))
                return 1;
        double per_run = (now_s(CLOCK_PROCESS_CPUTIME_ID) - t0) / inner;
        const char *base = strrchr(argv[c], '/');
        printf("%-28s %8d %11.3f ms %11.3f ms %13.1f us\n", base ? base + 1 : argv[c], runs,
               median(wall, runs) * 1e3, median(cpu, runs) * 1e3, per_run * 1e6);
    }
    free(wall);
    free(cpu);
    fclose(sink);
    return 0;
}
