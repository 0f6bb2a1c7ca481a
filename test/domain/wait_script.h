/* What the wait tests share: a guest scripted on the fake, a console sink, the checks every ending gets. */
#ifndef FLB_WAIT_SCRIPT_H
#define FLB_WAIT_SCRIPT_H

#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <xen/xen.h>
#include <xen/io/console.h>

#include "domain/wait.h"
#include "fake_backend.h"
#include "check.h"

#define RING sizeof(((struct xencons_interface *)0)->out)

/* What the guest does, poll by poll: the hook acts when the nth xc_domain_getinfo arrives. */
struct script {
    unsigned polls;       /* xc_domain_getinfo calls seen */
    unsigned shutdown_at; /* 0: never */
    unsigned reason;      /* SHUTDOWN_* */
    unsigned vanish_at;   /* someone else destroys the domain */
    unsigned stop_at;
    volatile sig_atomic_t *stop;
    struct {
        unsigned at;
        const void *buf;
        size_t n;
    } writes[8];
};

static inline void guest(struct fake *f, unsigned call, const char *line, void *arg)
{
    struct script *s = arg;

    (void)call;
    if (strncmp(line, "xc_domain_getinfo ", 18) != 0)
        return;
    s->polls++;
    for (size_t i = 0; i < sizeof(s->writes) / sizeof(s->writes[0]); i++)
        if (s->writes[i].n && s->writes[i].at == s->polls)
            fake_console_put(f, s->writes[i].buf, s->writes[i].n);
    if (s->polls == s->shutdown_at) {
        f->state.shutdown = true;
        f->state.shutdown_reason = s->reason;
    }
    if (s->polls == s->vanish_at)
        f->domain_exists = false;
    if (s->polls == s->stop_at)
        *s->stop = SIGTERM;
}

/* What console_write was given. */
struct sink {
    uint8_t buf[16384];
    size_t n;
    unsigned calls;
    unsigned fail_from; /* this call and later ones fail (1-based); 0: none */
};

static inline int sink_write(void *arg, const void *buf, size_t n)
{
    struct sink *k = arg;

    k->calls++;
    if (k->fail_from && k->calls >= k->fail_from)
        return -1;
    CHECK(k->n + n <= sizeof(k->buf), "%zu bytes overflow the sink", k->n + n);
    if (k->n + n > sizeof(k->buf))
        return -1;
    memcpy(k->buf + k->n, buf, n);
    k->n += n;
    return 0;
}

struct run {
    struct fake *f;
    struct script s;
    struct sink k;
    struct flb_build_result res;
    struct flb_wait_request req;
    struct flb_wait_result out;
    struct flb_error err;
    int rc;
};

/* A running domain 1 as flb_build leaves it, without the build's calls in the log. */
static inline void start(struct run *r, bool console)
{
    memset(r, 0, sizeof(*r));
    r->f = fake_new(false);
    r->f->domain_exists = true;
    r->f->next_domid = 2;
    r->f->hook = guest;
    r->f->hook_arg = &r->s;
    r->res.created = true;
    r->res.domid = 1;
    r->res.console_gfn = FAKE_CONSOLE_GFN;
    r->res.console_port = 2;
    r->req.console = console;
    r->req.console_write = sink_write;
    r->req.console_arg = &r->k;
    r->req.poll_ms = 1;
}

static inline double now_s(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static inline void wait_for(struct run *r)
{
    r->rc = flb_wait(&r->f->be, &r->res, &r->req, &r->out, &r->err);
}

static inline unsigned count(const struct fake *f, const char *prefix)
{
    unsigned n = 0;

    for (size_t i = 0; i < f->nr_lines; i++)
        n += strncmp(f->lines[i], prefix, strlen(prefix)) == 0;
    return n;
}

/* However the wait ended, we destroyed the domain `destroys` times and hold nothing of it. */
static inline void check_ended(const struct run *r, const char *what, unsigned destroys)
{
    CHECK(r->f->destroys == destroys, "%s: destroyed %u times", what, r->f->destroys);
    CHECK(count(r->f, "xc_domain_destroy ") == destroys, "%s: destroy calls", what);
    CHECK(!r->f->domain_exists && !r->res.created, "%s: the domain is still there", what);
    CHECK(r->f->open_maps == 0, "%s: %d mappings leaked", what, r->f->open_maps);
    CHECK(r->f->bound_ports == 0, "%s: %d event channels leaked", what, r->f->bound_ports);
    CHECK(!r->out.destroy_failed, "%s: %s", what, r->out.destroy_err.msg);
}

/* Bytes no shifted or repeated copy reproduces. */
static inline void pattern(uint8_t *p, size_t n)
{
    uint32_t x = 12345;

    for (size_t i = 0; i < n; i++) {
        x = x * 1103515245u + 12345u;
        p[i] = (uint8_t)(x >> 16);
    }
}

#endif
