/* Xen's console ring as dom0 reads it, incrementally: where the guests' port 0xE9 lines land. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helper.h"

#define RING_CHUNK 65536

int ring_open(struct ring *r, bool skip_old)
{
    memset(r, 0, sizeof(*r));
    r->xch = xc_interface_open(NULL, NULL, 0);
    r->text = malloc(RING_SEEN_MAX + 1);
    if (!r->xch || !r->text) {
        printf("ring: cannot open the hypervisor interface\n");
        ring_close(r);
        return -1;
    }
    r->text[0] = '\0';
    ring_poll(r);
    if (skip_old) {
        r->len = 0;
        r->text[0] = '\0';
    }
    return 0;
}

void ring_poll(struct ring *r)
{
    for (;;) {
        char chunk[RING_CHUNK];
        unsigned int n = sizeof(chunk);
        if (xc_readconsolering(r->xch, chunk, &n, 0, 1, &r->index) || !n)
            return;
        if (r->len + n < RING_SEEN_MAX) {
            memcpy(r->text + r->len, chunk, n);
            r->len += n;
            r->text[r->len] = '\0';
        }
        if (n < sizeof(chunk))
            return;
    }
}

const char *ring_find_line(const struct ring *r, const char *prefix, const char *needle)
{
    size_t plen = strlen(prefix);
    for (const char *line = r->text; line && *line;) {
        const char *eol = strchr(line, '\n');
        if (!eol)
            return NULL; /* only whole lines */
        if (!strncmp(line, prefix, plen)) {
            const char *hit = strstr(line + plen, needle);
            if (hit && hit < eol)
                return line;
        }
        line = eol + 1;
    }
    return NULL;
}

int ring_count_domains(const struct ring *r, const char *needle, struct ring_count *c)
{
    /* From where the last call stopped: a fleet's console grows long, and dom0 has one vCPU to share. */
    for (const char *line = r->text + c->scanned; *line;) {
        const char *eol = strchr(line, '\n');
        if (!eol)
            break; /* only whole lines */
        char *end;
        unsigned long dom = strncmp(line, "(d", 2) ? 0 : strtoul(line + 2, &end, 10);
        const char *hit = dom ? strstr(line, needle) : NULL;
        if (dom && *end == ')' && hit && hit < eol) {
            int i = 0;
            while (i < c->n && c->seen[i] != dom)
                i++;
            if (i == c->n && c->n < RING_DOMAINS_MAX)
                c->seen[c->n++] = dom;
        }
        line = eol + 1;
        c->scanned = (size_t)(line - r->text);
    }
    return c->n;
}

void ring_close(struct ring *r)
{
    if (r->xch)
        xc_interface_close(r->xch);
    free(r->text);
    r->xch = NULL;
    r->text = NULL;
}
