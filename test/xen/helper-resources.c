/* flb-dom0-helper bench-table, the resources: what each builder's run touches and burns beside its wall
 * time. Page faults count the pages a process touches (each one a trap into the kernel, and on a PV
 * dom0 a page table update Xen checks); CPU time is the command's own; xenstored's CPU time, from
 * the command's start to its exit, is what its requests cost xenstored, which the command's own
 * time does not show.
 * The binaries' sizes are what the loader maps: the sum of their loadable segments. */
#include <elf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helper.h"

static void resource_row(FILE *t, const char *label, const char *dir, const char *name)
{
    static struct samples s;
    double cpu[SAMPLES_MAX];
    char a[32], b[32], c[32];

    read_samples(dir, name, &s);
    if (!s.n) {
        row(t, label, "-", "-", "-");
        return;
    }
    for (int i = 0; i < s.n; i++)
        cpu[i] = s.user[i] + s.sys[i];
    double xs = mean_known(s.xenstored, s.n);
    snprintf(a, sizeof(a), "%.0f", median(s.minflt, s.n));
    snprintf(b, sizeof(b), "%.1f", median(cpu, s.n));
    if (!isnan(xs))
        snprintf(c, sizeof(c), "%.1f", xs);
    else
        snprintf(c, sizeof(c), "-");
    row(t, label, a, b, c);
}

/* The bytes the loader maps for the ELF file at path (its PT_LOAD segments' memory sizes), and
 * whether it is dynamically linked; -1 when it cannot be read as a 64-bit ELF file. */
static long loaded_bytes(const char *path, bool *dynamic)
{
    Elf64_Ehdr eh;
    Elf64_Phdr ph;
    long sum = 0;
    FILE *f = fopen(path, "rb");

    *dynamic = false;
    if (!f)
        return -1;
    if (fread(&eh, sizeof(eh), 1, f) != 1 || memcmp(eh.e_ident, ELFMAG, SELFMAG) ||
        eh.e_ident[EI_CLASS] != ELFCLASS64) {
        fclose(f);
        return -1;
    }
    for (int i = 0; i < eh.e_phnum; i++) {
        if (fseek(f, (long)(eh.e_phoff + (Elf64_Off)i * eh.e_phentsize), SEEK_SET) ||
            fread(&ph, sizeof(ph), 1, f) != 1) {
            fclose(f);
            return -1;
        }
        if (ph.p_type == PT_LOAD)
            sum += (long)ph.p_memsz;
        *dynamic = *dynamic || ph.p_type == PT_INTERP;
    }
    fclose(f);
    return sum;
}

void resource_rows(FILE *t, const char *dir)
{
    row(t, "pages and CPU (medians of the runs that worked; xenstored: mean)", "minor page faults",
        "CPU ms, user + system", "xenstored's CPU ms meanwhile");
    row(t, "---", "---", "---", "---");
    resource_row(t, "floor builder, to exit", dir, "floor");
    resource_row(t, "fixed-layout-build, to exit", dir, "flb");
    resource_row(t, "xl create, to exit", dir, "xl");
    resource_row(t, "fixed-layout-build --dry-run", dir, "dry-run");
    resource_row(t, "fixed-layout-build --version", dir, "version");
    resource_row(t, "busybox true (an empty process, static)", dir, "true");
    row(t, "", "", "", "");

    /* DIR/binaries: one "LABEL PATH" a line. */
    row(t, "binary", "KiB mapped by the loader", "linked", "");
    row(t, "---", "---", "---", "---");
    char *text = read_text(dir, "binaries");
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        char *path = strrchr(line, ' ');
        bool dynamic;
        if (!path)
            continue;
        *path++ = '\0';
        long bytes = loaded_bytes(path, &dynamic);
        char a[32];
        snprintf(a, sizeof(a), bytes < 0 ? "-" : "%ld", (bytes + 1023) / 1024);
        row(t, line, a,
            bytes < 0 ? "-"
            : dynamic ? "dynamically (shared objects not counted)"
                      : "statically",
            "");
    }
    free(text);
}
