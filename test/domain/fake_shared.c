/* One fake xenstore for fakes in several processes: its nodes and the next domid in a file, each call atomic.
 */
#include "fake_backend_internal.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define NEXT_DOMID "/fake/next-domid"

void fake_share(struct fake *f, const char *path)
{
    f->share_path = path;
}

static void clear(struct fake *f)
{
    for (size_t i = 0; i < f->nr_xs; i++) {
        free(f->xs[i].path);
        free(f->xs[i].value);
    }
    f->nr_xs = 0;
}

/* As xenstored serialises requests: each call holds the file for its whole length. */
void fake_shared_begin(struct fake *f)
{
    char line[1024];
    struct stat st;
    FILE *in;

    if (!f->share_path)
        return;
    f->share_fd = open(f->share_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (f->share_fd < 0 || flock(f->share_fd, LOCK_EX) != 0 || fstat(f->share_fd, &st) != 0)
        abort();
    /* The first fake to share seeds the file with its own nodes (dom0's). */
    if (st.st_size == 0)
        return;
    clear(f);
    in = fopen(f->share_path, "r");
    while (in && fgets(line, sizeof(line), in)) {
        char *tab = strchr(line, '\t');

        line[strcspn(line, "\n")] = '\0';
        if (!tab)
            continue;
        *tab = '\0';
        fake_xs_set(f, line, tab + 1);
    }
    if (in)
        fclose(in);
    if (fake_xs_get(f, NEXT_DOMID))
        f->next_domid = (uint32_t)strtoul(fake_xs_get(f, NEXT_DOMID), NULL, 10);
}

void fake_shared_end(struct fake *f)
{
    char next[16];
    FILE *out;

    if (!f->share_path)
        return;
    snprintf(next, sizeof(next), "%u", f->next_domid);
    fake_xs_set(f, NEXT_DOMID, next);
    out = fopen(f->share_path, "w");
    if (!out)
        abort();
    for (size_t i = 0; i < f->nr_xs; i++)
        fprintf(out, "%s\t%s\n", f->xs[i].path, f->xs[i].value);
    fclose(out);
    flock(f->share_fd, LOCK_UN);
    close(f->share_fd);
    f->share_fd = -1;
}
