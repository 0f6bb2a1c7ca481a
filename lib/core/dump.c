/* --dump-tables: every file of the set written to a temporary name first, then all renamed, or none. */
#include "core/dump.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/hvm_start_info_abi.h"
#include "core/start_info.h"

#define MAX_FILES (FLB_ACPI_MAX_TABLES + 2)

struct file {
    char name[16];
    const uint8_t *data;
    size_t len;
    char tmp[4096]; /* "" until created */
};

/* acpixtract's names: the signature in lower case, ".dat". */
static void table_name(const char *signature, char *name, size_t len)
{
    size_t i;

    for (i = 0; i < 4 && signature[i] && i + 5 < len; i++)
        name[i] =
            (char)(signature[i] >= 'A' && signature[i] <= 'Z' ? signature[i] - 'A' + 'a' : signature[i]);
    snprintf(name + i, len - i, ".dat");
}

static int write_all(int fd, const uint8_t *p, size_t len)
{
    while (len) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

static int write_tmp(const char *dir, struct file *f, struct flb_error *err)
{
    int fd;

    fd = snprintf(f->tmp, sizeof(f->tmp), "%s/.%s.XXXXXX", dir, f->name) < (int)sizeof(f->tmp)
             ? mkstemp(f->tmp)
             : -1;
    if (fd < 0) {
        f->tmp[0] = '\0';
        return flb_fail(err, FLB_E_SYSTEM, "--dump-tables: creating a file in '%s': %s", dir,
                        strerror(errno));
    }
    if (write_all(fd, f->data, f->len) != 0 || fchmod(fd, 0644) != 0 || close(fd) != 0) {
        int e = errno;
        close(fd);
        return flb_fail(err, FLB_E_SYSTEM, "--dump-tables: writing '%s/%s': %s", dir, f->name, strerror(e));
    }
    return FLB_OK;
}

/* The directory exists afterwards; *created says whether this call made it. */
static int open_dir(const char *dir, bool *created, struct flb_error *err)
{
    struct stat st;

    *created = false;
    if (stat(dir, &st) == 0)
        return S_ISDIR(st.st_mode) ? FLB_OK
                                   : flb_fail(err, FLB_E_INPUT,
                                              "--dump-tables: '%s' exists and is not a "
                                              "directory: name a directory",
                                              dir);
    if (errno != ENOENT || mkdir(dir, 0755) != 0)
        return flb_fail(err, FLB_E_INPUT, "--dump-tables: cannot create directory '%s': %s", dir,
                        strerror(errno));
    *created = true;
    return FLB_OK;
}

/* Removes what a failed dump created: temporary files, files already renamed, the directory. */
static void undo(const char *dir, bool created, struct file *files, size_t nr, size_t renamed)
{
    char path[4096];

    for (size_t i = 0; i < nr; i++) {
        if (i < renamed) {
            if (snprintf(path, sizeof(path), "%s/%s", dir, files[i].name) < (int)sizeof(path))
                unlink(path);
        } else if (files[i].tmp[0]) {
            unlink(files[i].tmp);
        }
    }
    if (created)
        rmdir(dir);
}

int flb_dump_plan(const struct flb_plan *plan, const char *dir, struct flb_error *err)
{
    static uint8_t start_info[FLB_START_INFO_SIZE + FLB_SI_MAX_CMDLINE];
    static uint8_t memmap[FLB_MEMMAP_MAX * FLB_MEMMAP_ENTRY_SIZE];
    const struct flb_start_info *si = &plan->start_info;
    struct file files[MAX_FILES];
    size_t nr = 0, renamed = 0, si_len = FLB_START_INFO_SIZE;
    bool created;
    int rc;

    memset(files, 0, sizeof(files));
    for (unsigned i = 0; plan->has_acpi && i < plan->acpi.nr_tables; i++) {
        const struct flb_acpi_table *t = &plan->acpi.table[i];

        table_name(t->signature, files[nr].name, sizeof(files[nr].name));
        files[nr].data = plan->acpi.blob + (t->addr - plan->acpi.base);
        files[nr++].len = t->length;
    }
    /* The plan leaves libxenguest's addresses at 0: they are known only once the image is built. */
    flb_start_info_encode_header(si, start_info);
    if (plan->image.cmdline) {
        size_t n = strlen(si->cmdline) + 1;
        memcpy(start_info + FLB_START_INFO_SIZE, si->cmdline, n);
        si_len += n;
    }
    snprintf(files[nr].name, sizeof(files[nr].name), "start_info.bin");
    files[nr].data = start_info;
    files[nr++].len = si_len;
    flb_memmap_encode(&si->memmap, memmap);
    snprintf(files[nr].name, sizeof(files[nr].name), "memmap.bin");
    files[nr].data = memmap;
    files[nr++].len = (size_t)si->memmap.nr * FLB_MEMMAP_ENTRY_SIZE;

    /* Every name built below is the directory's plus at most 24 bytes. */
    if (strlen(dir) + 24 >= sizeof(files[0].tmp))
        return flb_fail(err, FLB_E_INPUT, "--dump-tables: the directory's name is too long");
    rc = open_dir(dir, &created, err);
    if (rc)
        return rc;
    for (size_t i = 0; !rc && i < nr; i++)
        rc = write_tmp(dir, &files[i], err);
    for (; !rc && renamed < nr; renamed++) {
        char path[4096];

        if (snprintf(path, sizeof(path), "%s/%s", dir, files[renamed].name) >= (int)sizeof(path) ||
            rename(files[renamed].tmp, path) != 0)
            rc = flb_fail(err, FLB_E_SYSTEM, "--dump-tables: renaming to '%s': %s", path, strerror(errno));
    }
    if (rc)
        undo(dir, created, files, nr, renamed);
    return rc;
}
