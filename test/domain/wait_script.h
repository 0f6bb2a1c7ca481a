/* What the monitor tests share: a guest scripted on the fake, a console sink, the checks every ending gets.
 */
#ifndef FLB_WAIT_SCRIPT_H
#define FLB_WAIT_SCRIPT_H

#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <xen/xen.h>
#include <xen/io/console.h>

#include "domain/monitor.h"
#include "fake_backend.h"
#include "test_util.h"

#define RING sizeof(((struct xencons_interface *)0)->out)

/*
 * What the guest (and the rest of the host) does, wait by wait: the hook
 * acts when the nth wait_event arrives, before the fake answers it.
 */
struct script {
    unsigned waits; /* wait_event calls seen */
    struct {
        unsigned at;     /* 0: unused */
        unsigned reason; /* SHUTDOWN_*: the domain then current shuts down */
    } shutdowns[4];
    unsigned noise_until; /* waits before this one see another domain's event (the watch fires) */
    unsigned vanish_at;   /* someone else destroys the domain */
    unsigned stop_at;     /* a signal: *stop is set and the wake pipe written, as live.c's handler does */
    volatile sig_atomic_t *stop;
    int wake_write;
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
    if (strncmp(line, "wait_event ", 11) != 0)
        return;
    s->waits++;
    for (size_t i = 0; i < sizeof(s->writes) / sizeof(s->writes[0]); i++)
        if (s->writes[i].n && s->writes[i].at == s->waits)
            fake_console_put(f, s->writes[i].buf, s->writes[i].n);
    for (size_t i = 0; i < sizeof(s->shutdowns) / sizeof(s->shutdowns[0]); i++)
        if (s->shutdowns[i].at == s->waits) {
            f->state.shutdown = true;
            f->state.shutdown_reason = s->shutdowns[i].reason;
            fake_domain_changed(f);
        }
    if (s->waits < s->noise_until)
        fake_domain_changed(f);
    if (s->waits == s->vanish_at) {
        f->domain_exists = false;
        fake_domain_changed(f);
    }
    if (s->waits == s->stop_at) {
        *s->stop = SIGTERM;
        if (write(s->wake_write, "", 1) != 1)
            CHECK(0, "the wake pipe refused a byte");
    }
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

/* What the monitor reported, in order. */
struct events {
    struct flb_monitor_event ev[16];
    char names[16][320];
    unsigned n;
};

static inline void record(void *arg, const struct flb_monitor_event *ev)
{
    struct events *e = arg;

    CHECK(e->n < 16, "too many events");
    if (e->n >= 16)
        return;
    e->ev[e->n] = *ev;
    if (ev->new_name)
        snprintf(e->names[e->n], sizeof(e->names[0]), "%s", ev->new_name);
    e->ev[e->n].new_name = e->names[e->n];
    e->ev[e->n++].msg = NULL;
}

struct run {
    struct fake *f;
    struct script s;
    struct sink k;
    struct events e;
    struct flb_config cfg;
    struct flb_plan plan;
    struct flb_build_request breq;
    struct flb_build_result res;
    struct flb_watch w;
    struct flb_monitor_request req;
    struct flb_monitor_result out;
    struct flb_error err;
    volatile sig_atomic_t stop;
    int wake[2];
    int rc;
};

static const uint8_t script_uuid[16] = {0x5e, 0xed, 0x00, 0x01, 0x02, 0x03, 0x44, 0x05,
                                        0x86, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d};

/* The plan of the worked example; its actions are the test's to change. */
static inline void plan_example(struct run *r)
{
    static const char *kernel;

    if (!kernel) {
        kernel = scratch_path("monitor-kernel");
        make_elf_kernel(kernel, true, 0);
    }
    config_worked_example(&r->cfg, kernel);
    plan_for(&r->cfg, &r->plan);
}

static inline void request(struct run *r, bool console, bool xenstore)
{
    r->breq.plan = &r->plan;
    memcpy(r->breq.uuid, script_uuid, sizeof(script_uuid));
    r->breq.use_xenstore = xenstore;
    r->breq.own_console = console;
    r->req.build = &r->breq;
    r->req.console = console;
    r->req.console_write = sink_write;
    r->req.console_arg = &r->k;
    r->req.stop = &r->stop;
    r->req.wake_fd = r->wake[0];
    r->req.destroy_on_stop = true;
    r->req.report = record;
    r->req.report_arg = &r->e;
    r->s.stop = &r->stop;
    r->s.wake_write = r->wake[1];
    r->f->hook = guest;
    r->f->hook_arg = &r->s;
}

/* A running domain 1 as flb_build leaves it, without the build's calls, and the monitor's watch
 * (VIRQ_DOM_EXC). */
static inline void start(struct run *r, bool console)
{
    memset(r, 0, sizeof(*r));
    if (pipe2(r->wake, O_NONBLOCK | O_CLOEXEC) != 0)
        CHECK(0, "pipe");
    plan_example(r);
    r->f = fake_new(false);
    r->f->domain_exists = true;
    r->f->domid = 1;
    r->f->next_domid = 2;
    r->f->next_port = 3;
    r->res.created = true;
    r->res.domid = 1;
    r->res.console_gfn = FAKE_CONSOLE_GFN;
    r->res.console_port = 2;
    request(r, console, false);
    CHECK(flb_watch_open(&r->f->be, false, &r->w, &r->err) == 0, "watch: %s", r->err.msg);
}

/* Domain 1 built by flb_build with xenstore, the monitor watching @releaseDomain. */
static inline void start_built(struct run *r, bool console)
{
    memset(r, 0, sizeof(*r));
    if (pipe2(r->wake, O_NONBLOCK | O_CLOEXEC) != 0)
        CHECK(0, "pipe");
    plan_example(r);
    r->f = fake_new(true);
    request(r, console, true);
    r->f->hook = NULL; /* the script starts with the monitor */
    CHECK(flb_build(&r->f->be, &r->breq, &r->res, &r->err) == 0, "build: %s", r->err.msg);
    CHECK(flb_watch_open(&r->f->be, true, &r->w, &r->err) == 0, "watch: %s", r->err.msg);
    r->f->hook = guest;
}

static inline double now_s(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static inline void monitor(struct run *r)
{
    r->rc = flb_monitor(&r->f->be, &r->w, &r->res, &r->req, &r->out, &r->err);
}

/* Ends a run: the watch closed, the pipe and the fake freed. */
static inline void finish(struct run *r)
{
    flb_watch_close(&r->f->be, &r->w);
    close(r->wake[0]);
    close(r->wake[1]);
    fake_free(r->f);
}

static inline unsigned count(const struct fake *f, const char *prefix)
{
    unsigned n = 0;

    for (size_t i = 0; i < f->nr_lines; i++)
        n += strncmp(f->lines[i], prefix, strlen(prefix)) == 0;
    return n;
}

/* However the monitor ended, we destroyed `destroys` domains and hold nothing of ours but the watch. */
static inline void check_ended(const struct run *r, const char *what, unsigned destroys)
{
    unsigned watch_ports = r->w.virq ? 1 : 0;

    CHECK(r->f->destroys == destroys, "%s: destroyed %u times", what, r->f->destroys);
    CHECK(count(r->f, "xc_domain_destroy ") == destroys, "%s: destroy calls", what);
    CHECK(!r->f->domain_exists && !r->res.created, "%s: the domain is still there", what);
    CHECK(r->f->open_maps == 0, "%s: %d mappings leaked", what, r->f->open_maps);
    CHECK(r->f->open_doms == 0, "%s: %d images leaked", what, r->f->open_doms);
    CHECK(r->f->bound_ports == (int)watch_ports, "%s: %d event channels bound", what, r->f->bound_ports);
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
