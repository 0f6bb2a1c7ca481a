/* Xen's console ring as dom0 reads it, incrementally: where the guests' port 0xE9 lines land. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helper.h"

/* One page: libxencall keeps single-page hypercall buffers for reuse, where a larger read would map
 * and unmap a buffer each time. */
#define RING_CHUNK 4096

/* VIRQ_CON_RING is global: one port in dom0 may hold it. The rig's xenconsoled logs the guests'
 * consoles only (not Xen's), so it leaves the VIRQ free; a second reader at the same time polls. */
static void ring_bind(struct ring *r)
{
    r->xce = xenevtchn_open(NULL, 0);
    xenevtchn_port_or_error_t port = r->xce ? xenevtchn_bind_virq(r->xce, VIRQ_CON_RING) : -1;
    if (port < 0) {
        fprintf(stderr, "ring: cannot bind VIRQ_CON_RING (%s): reading the ring every %d ms instead\n",
                strerror(errno), RING_POLL_MS);
        if (r->xce)
            xenevtchn_close(r->xce);
        r->xce = NULL;
    }
}

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
    /* Bound before the first read: whatever Xen writes after that read raises the VIRQ. */
    ring_bind(r);
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

void ring_wait(struct ring *r, int fd, double timeout_ms)
{
    struct pollfd p[2];
    int n = 0;

    if (r->xce)
        p[n++] = (struct pollfd){.fd = xenevtchn_fd(r->xce), .events = POLLIN};
    else if (timeout_ms > RING_POLL_MS)
        timeout_ms = RING_POLL_MS;
    if (fd >= 0)
        p[n++] = (struct pollfd){.fd = fd, .events = POLLIN};
    /* The event is taken and its port unmasked before the ring is read: a write after the read raises
     * it again, so no line waits for the timeout. */
    if (poll(p, (nfds_t)n, timeout_ms > 0 ? (int)(timeout_ms + 0.999) : 0) > 0 && r->xce &&
        (p[0].revents & POLLIN)) {
        xenevtchn_port_or_error_t port = xenevtchn_pending(r->xce);
        if (port >= 0)
            xenevtchn_unmask(r->xce, (evtchn_port_t)port);
    }
    ring_poll(r);
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
    if (r->xce)
        xenevtchn_close(r->xce); /* unbinds the VIRQ */
    if (r->xch)
        xc_interface_close(r->xch);
    free(r->text);
    r->xce = NULL;
    r->xch = NULL;
    r->text = NULL;
}
