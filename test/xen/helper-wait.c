/* flb-dom0-helper wait: follows one guest's console lines until one holds a NEEDLE; acknowledges
 * the test guest's grant offer on the way; saves that guest's lines. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helper.h"

static void save_lines(const struct ring *r, const char *prefix, const char *path)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        printf("wait: cannot write %s\n", path);
        return;
    }
    size_t plen = strlen(prefix);
    for (const char *line = r->text; *line;) {
        const char *eol = strchr(line, '\n');
        size_t n = eol ? (size_t)(eol - line) + 1 : strlen(line);
        if (!strncmp(line, prefix, plen))
            fwrite(line, 1, n, f);
        line += n;
    }
    fclose(f);
}

int cmd_wait(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: flb-dom0-helper wait DOMID TIMEOUT_MS OUT NEEDLE...\n");
        return 2;
    }
    uint32_t domid = (uint32_t)strtoul(argv[0], NULL, 0);
    double timeout = timeout_arg(argv[1]);
    if (timeout < 0) {
        fprintf(stderr, "flb-dom0-helper wait: TIMEOUT_MS '%s' is not a number of ms from 1 to %d\n", argv[1],
                TIMEOUT_MAX_MS);
        return 2;
    }
    char prefix[24];
    snprintf(prefix, sizeof(prefix), "(d%u) ", domid);
    struct ring ring;
    if (ring_open(&ring, false))
        return 1;

    double t0 = now_ms();
    bool granted = false, found = false;
    /* The ring's text is searched once more after the last wait: what came at the deadline counts. */
    for (;;) {
        const char *offer = ring_find_line(&ring, prefix, "FLBG grant offer ref=");
        if (offer && !granted) {
            granted = true;
            const char *ref = strstr(offer, "ref=") + 4;
            grant_ack(domid, (uint32_t)strtoul(ref, NULL, 10));
        }
        for (int i = 3; i < argc && !found; i++)
            found = ring_find_line(&ring, prefix, argv[i]) != NULL;
        double left = timeout - (now_ms() - t0);
        if (found || left <= 0)
            break;
        ring_wait(&ring, -1, left);
    }
    save_lines(&ring, prefix, argv[2]);
    ring_close(&ring);
    if (!found)
        printf("wait: no line of domain %u matched within %.0f ms\n", domid, timeout);
    return found ? 0 : 1;
}
