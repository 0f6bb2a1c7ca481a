/* The recording fake backend: what each call was asked, in order, and a small model of what Xen would do. */
#include "fake_backend.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fake_backend_internal.h"

static void push_line(struct fake *f, char *line)
{
    if (f->nr_lines == f->cap_lines) {
        f->cap_lines = f->cap_lines ? 2 * f->cap_lines : 64;
        f->lines = realloc(f->lines, f->cap_lines * sizeof(*f->lines));
        if (!f->lines)
            abort();
    }
    f->lines[f->nr_lines++] = line;
}

bool fake_call(struct fake *f, const char *fmt, ...)
{
    char buf[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    f->calls++;
    if (f->hook)
        f->hook(f, f->calls, buf, f->hook_arg);
    if (f->calls == f->fail_at) {
        size_t n = strlen(buf);
        snprintf(buf + n, sizeof(buf) - n, " -> FAIL %s", strerror(f->fail_errno));
        push_line(f, strdup(buf));
        errno = f->fail_errno;
        return true;
    }
    push_line(f, strdup(buf));
    return false;
}

void fake_note(struct fake *f, const char *line)
{
    push_line(f, strdup(line));
}

void fake_result(struct fake *f, const char *fmt, ...)
{
    char add[256], *line;
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(add, sizeof(add), fmt, ap);
    va_end(ap);
    line = f->lines[f->nr_lines - 1];
    line = realloc(line, strlen(line) + strlen(add) + 5);
    if (!line)
        abort();
    strcat(line, " -> ");
    strcat(line, add);
    f->lines[f->nr_lines - 1] = line;
}

char *fake_log_text(const struct fake *f)
{
    size_t len = 1;
    char *s;

    for (size_t i = 0; i < f->nr_lines; i++)
        len += strlen(f->lines[i]) + 1;
    s = calloc(1, len);
    if (!s)
        abort();
    for (size_t i = 0; i < f->nr_lines; i++) {
        strcat(s, f->lines[i]);
        strcat(s, "\n");
    }
    return s;
}

/* xenstore model */

static struct fake_node *xs_find(const struct fake *f, const char *path)
{
    for (size_t i = 0; i < f->nr_xs; i++)
        if (strcmp(f->xs[i].path, path) == 0)
            return &f->xs[i];
    return NULL;
}

void fake_xs_set(struct fake *f, const char *path, const char *value)
{
    struct fake_node *n = xs_find(f, path);
    const char *slash = strrchr(path, '/');

    /* xenstored creates missing parents, empty. */
    if (slash && slash != path) {
        char parent[256];

        snprintf(parent, sizeof(parent), "%.*s", (int)(slash - path), path);
        if (!xs_find(f, parent))
            fake_xs_set(f, parent, "");
    }

    if (n) {
        free(n->value);
        n->value = strdup(value);
        return;
    }
    if (f->nr_xs == f->cap_xs) {
        f->cap_xs = f->cap_xs ? 2 * f->cap_xs : 32;
        f->xs = realloc(f->xs, f->cap_xs * sizeof(*f->xs));
        if (!f->xs)
            abort();
    }
    f->xs[f->nr_xs].path = strdup(path);
    f->xs[f->nr_xs].value = strdup(value);
    f->nr_xs++;
}

const char *fake_xs_get(const struct fake *f, const char *path)
{
    const struct fake_node *n = xs_find(f, path);

    return n ? n->value : NULL;
}

static bool under(const char *path, const char *prefix)
{
    size_t n = strlen(prefix);

    return strncmp(path, prefix, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

size_t fake_xs_count(const struct fake *f, const char *prefix)
{
    size_t c = 0;

    for (size_t i = 0; i < f->nr_xs; i++)
        c += under(f->xs[i].path, prefix);
    return c;
}

/* One call, as the real batch is one round trip; each node's answer as a line of its own under it. */
int fake_xs_read_batch(void *ctx, const char *const *paths, unsigned n, char **values, int *errs)
{
    struct fake *f = ctx;

    for (unsigned i = 0; i < n; i++) {
        values[i] = NULL;
        errs[i] = EIO;
    }
    if (fake_call(f, "xs_read_batch %u nodes", n))
        return -1;
    /* Every answer from one state of the store, as xenstored answers a batch in order. */
    fake_shared_begin(f);
    for (unsigned i = 0; i < n; i++) {
        const char *v = fake_xs_get(f, paths[i]);

        values[i] = v ? strdup(v) : NULL;
        errs[i] = v ? 0 : ENOENT;
    }
    fake_shared_end(f);
    for (unsigned i = 0; i < n; i++) {
        char line[512];

        if (values[i])
            snprintf(line, sizeof(line), "  %s -> \"%s\"", paths[i], values[i]);
        else
            snprintf(line, sizeof(line), "  %s -> ENOENT", paths[i]);
        fake_note(f, line);
    }
    return 0;
}

/* Children of path, returned as one allocation: the array, then the strings. */
int fake_xs_directory(void *ctx, const char *path, char ***names, unsigned *n)
{
    struct fake *f = ctx;
    size_t plen = strlen(path), count = 0, bytes = 0;
    char **out, *s;

    if (fake_call(f, "xs_directory %s", path))
        return -1;
    fake_shared_begin(f);
    for (size_t i = 0; i < f->nr_xs; i++) {
        const char *p = f->xs[i].path;
        if (strncmp(p, path, plen) == 0 && p[plen] == '/' && !strchr(p + plen + 1, '/')) {
            count++;
            bytes += strlen(p + plen + 1) + 1;
        }
    }
    out = malloc((count + 1) * sizeof(char *) + bytes);
    if (!out)
        abort();
    s = (char *)(out + count + 1);
    count = 0;
    for (size_t i = 0; i < f->nr_xs; i++) {
        const char *p = f->xs[i].path;
        if (strncmp(p, path, plen) == 0 && p[plen] == '/' && !strchr(p + plen + 1, '/')) {
            out[count++] = s;
            strcpy(s, p + plen + 1);
            s += strlen(s) + 1;
        }
    }
    fake_shared_end(f);
    fake_result(f, "%zu entries", count);
    *names = out;
    *n = (unsigned)count;
    return 0;
}

/* One call for the requests sent, each node as a line of its own under it, and one for their answers. */
int fake_xs_write_send(void *ctx, const struct flb_xs_write *nodes, unsigned n)
{
    struct fake *f = ctx;

    if (fake_call(f, "xs_write_send %u nodes", n))
        return -1;
    for (unsigned i = 0; i < n; i++) {
        char line[512];

        if (nodes[i].owner == FLB_XS_INHERIT)
            snprintf(line, sizeof(line), "  %s \"%s\" perms=inherited", nodes[i].path, nodes[i].value);
        else
            snprintf(line, sizeof(line), "  %s \"%s\" owner=%" PRIu32 " reader=%" PRIu32, nodes[i].path,
                     nodes[i].value, nodes[i].owner, nodes[i].reader);
        fake_note(f, line);
    }
    fake_shared_begin(f);
    for (unsigned i = 0; i < n; i++)
        fake_xs_set(f, nodes[i].path, nodes[i].value);
    fake_shared_end(f);
    return 0;
}

/* A failure here is xenstored not heard: no node named. */
int fake_xs_write_wait(void *ctx, unsigned *failed)
{
    *failed = UINT_MAX;
    return fake_call(ctx, "xs_write_wait");
}

int fake_xs_rm(void *ctx, const char *path)
{
    struct fake *f = ctx;
    size_t j = 0;

    if (fake_call(f, "xs_rm %s", path))
        return -1;
    fake_shared_begin(f);
    for (size_t i = 0; i < f->nr_xs; i++) {
        if (under(f->xs[i].path, path)) {
            free(f->xs[i].path);
            free(f->xs[i].value);
        } else {
            f->xs[j++] = f->xs[i];
        }
    }
    f->nr_xs = j;
    fake_shared_end(f);
    return 0;
}

int fake_xs_introduce_send(void *ctx, uint32_t domid, uint64_t gfn, uint32_t port)
{
    return fake_call(ctx, "xs_introduce_send domid=%" PRIu32 " gfn=0x%" PRIx64 " port=%" PRIu32, domid, gfn,
                     port)
               ? -1
               : 0;
}

struct fake *fake_new(bool xenstore)
{
    struct fake *f = calloc(1, sizeof(*f));

    if (!f)
        abort();
    f->be.ops = &fake_ops;
    f->be.ctx = f;
    f->be.has_xenstore = xenstore;
    f->fail_errno = EINVAL;
    f->batch_frame_error = -1;
    f->corrupt_offset = -1;
    f->corrupt_acpi_offset = -1;
    /* The Xen the libraries were built for (XenLibraries.cmake), unless a test makes it older or newer. */
    f->xen_major = FLB_XEN_BUILT_MAJOR;
    f->xen_minor = FLB_XEN_BUILT_MINOR;
    f->next_domid = 1;
    f->next_port = 1;
    f->share_fd = -1;
    /* A small two-node host running credit2 with Xen's defaults for a new domain. */
    f->nr_cpus = 4;
    f->cpu_node[2] = f->cpu_node[3] = 1;
    f->scheduler = "credit2";
    f->sched_weight = 256;
    if (xenstore) {
        fake_xs_set(f, "/local/domain/0/name", "Domain-0");
        fake_xs_set(f, "/local/domain/0/domid", "0");
    }
    return f;
}

void fake_free(struct fake *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->nr_lines; i++)
        free(f->lines[i]);
    free(f->lines);
    for (size_t i = 0; i < f->nr_xs; i++) {
        free(f->xs[i].path);
        free(f->xs[i].value);
    }
    free(f->xs);
    free(f);
}
