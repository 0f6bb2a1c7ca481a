/* Waiting for a guest against the recording fake: every way a wait ends, woken by events only, the guest
 * destroyed once. */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xen/xen.h>
#include <xen/sched.h>

#include "domain/build.h"
#include "domain/host.h"
#include "domain/monitor.h"
#include "fake_backend.h"
#include "test_util.h"
#include "wait_script.h"

static void all_actions(struct flb_plan *plan, enum flb_action a)
{
    plan->lifecycle = (struct flb_plan_lifecycle){a, a, a, a, a};
}

/* Each SHUTDOWN_* code, with and without the console: its own reason, found on the event that reported it. */
static void test_reasons(void)
{
    static const struct {
        unsigned code;
        enum flb_shutdown_reason reason;
    } cases[] = {
        {SHUTDOWN_poweroff, FLB_SHUTDOWN_POWEROFF},     {SHUTDOWN_reboot, FLB_SHUTDOWN_REBOOT},
        {SHUTDOWN_crash, FLB_SHUTDOWN_CRASH},           {SHUTDOWN_watchdog, FLB_SHUTDOWN_WATCHDOG},
        {SHUTDOWN_soft_reset, FLB_SHUTDOWN_SOFT_RESET}, {SHUTDOWN_MAX + 2, FLB_SHUTDOWN_OTHER},
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        for (int console = 0; console <= 1; console++) {
            struct run r;
            char what[64];

            snprintf(what, sizeof(what), "reason %u%s", cases[i].code, console ? " with console" : "");
            start(&r, console);
            all_actions(&r.plan, FLB_ACTION_DESTROY);
            r.s.noise_until = 3; /* two other domains' events first */
            r.s.shutdowns[0].at = 3;
            r.s.shutdowns[0].reason = cases[i].code;
            monitor(&r);
            CHECK(r.rc == 0 && r.out.outcome == FLB_WAIT_SHUTDOWN, "%s: %d, outcome %d", what, r.rc,
                  r.out.outcome);
            CHECK(r.out.shut_down && r.out.reason == cases[i].reason, "%s: reason %d", what, r.out.reason);
            CHECK(r.out.xen_reason == cases[i].code, "%s: xen reason %u", what, r.out.xen_reason);
            CHECK(r.out.action == FLB_ACTION_DESTROY, "%s: action %d", what, r.out.action);
            /* Once at first, then once for each event that may concern a domain: never on a timer. */
            CHECK(r.s.waits == 3 && count(r.f, "xc_domain_getinfo ") == 4, "%s: %u waits, %u looks", what,
                  r.s.waits, count(r.f, "xc_domain_getinfo "));
            CHECK(count(r.f, "wait_event timeout_ms=-1 -> port 200 (VIRQ_DOM_EXC)") == 3, "%s: waits", what);
            CHECK(!strcmp(r.f->lines[r.f->nr_lines - 1], "xc_domain_destroy domid=1"), "%s: last call %s",
                  what, r.f->lines[r.f->nr_lines - 1]);
            CHECK(r.e.n == 1 && r.e.ev[0].kind == FLB_MONITOR_SHUTDOWN && r.e.ev[0].domid == 1, "%s: events",
                  what);
            CHECK(r.e.ev[0].seen_at > 0 && r.e.ev[0].seen_at <= now_s(), "%s: seen at %f", what,
                  r.e.ev[0].seen_at);
            check_ended(&r, what, 1);
            finish(&r);
        }
    }
}

/* A guest that only writes to its console is never looked at: its port's events copy the ring, nothing else.
 */
static void test_no_polling(void)
{
    struct run r;

    start(&r, true);
    for (unsigned i = 0; i < 5; i++) {
        r.s.writes[i].at = i + 1;
        r.s.writes[i].buf = "tick\n";
        r.s.writes[i].n = 5;
    }
    r.s.shutdowns[0].at = 6;
    monitor(&r);
    CHECK(r.out.outcome == FLB_WAIT_SHUTDOWN && r.k.n == 25, "outcome %d, %zu bytes", r.out.outcome, r.k.n);
    CHECK(count(r.f, "wait_event timeout_ms=-1 -> port 102") == 5, "console events");
    CHECK(count(r.f, "xc_domain_getinfo ") == 2, "%u looks for 5 console events and a shutdown",
          count(r.f, "xc_domain_getinfo "));
    check_ended(&r, "no polling", 1);
    finish(&r);
}

static void test_timeout(bool console)
{
    const char *what = console ? "timeout with console" : "timeout";
    struct run r;
    double t0, took;

    start(&r, console);
    r.req.timeout_s = 1;
    t0 = now_s();
    monitor(&r);
    took = now_s() - t0;
    CHECK(took >= 1.0 && took < 3.0, "%s: gave up after %.3f s", what, took);
    CHECK(r.rc == 0 && r.out.outcome == FLB_WAIT_TIMEOUT, "%s: %d, outcome %d", what, r.rc, r.out.outcome);
    /* One sleep to the deadline (maybe a second for its last millisecond), one look at the start. */
    CHECK(r.s.waits >= 1 && r.s.waits <= 2 && count(r.f, "xc_domain_getinfo ") == 1, "%s: %u waits, %u looks",
          what, r.s.waits, count(r.f, "xc_domain_getinfo "));
    /* 1000 or 1001 ms: the deadline rounded up, never a wait cut short. */
    CHECK(count(r.f, "wait_event timeout_ms=100") == 1, "%s: not one wait for the whole second", what);
    check_ended(&r, what, 1);
    finish(&r);
}

/* A signal's flag and wake-up end the wait at once, after copying what the guest wrote; -F destroys the
 * guest. */
static void test_stop(bool destroy)
{
    const char *what = destroy ? "stop" : "stop, detached";
    struct run r;

    start(&r, true);
    r.req.destroy_on_stop = destroy;
    r.s.stop_at = 2;
    r.s.shutdowns[0].at = 4; /* what a wait that missed the flag would see */
    r.s.writes[0].at = 2;
    r.s.writes[0].buf = "bye";
    r.s.writes[0].n = 3;
    r.s.noise_until = 4;
    monitor(&r);
    CHECK(r.rc == 0 && r.out.outcome == FLB_WAIT_STOPPED, "%s: %d, outcome %d", what, r.rc, r.out.outcome);
    CHECK(r.out.signal == SIGTERM, "%s: signal %d", what, r.out.signal);
    CHECK(r.s.waits == 2 && count(r.f, "wait_event timeout_ms=-1 -> wake") == 1,
          "%s: %u waits after the flag", what, r.s.waits);
    CHECK(r.k.n == 3 && !memcmp(r.k.buf, "bye", 3), "%s: console '%.*s'", what, (int)r.k.n, r.k.buf);
    if (destroy) {
        check_ended(&r, what, 1);
    } else {
        /* A detached monitor told to go leaves the guest running, and ours. */
        CHECK(r.f->destroys == 0 && r.f->domain_exists && r.res.created, "%s: the guest was touched", what);
        CHECK(r.f->open_maps == 0 && r.f->bound_ports == 1, "%s: console left open", what);
    }
    finish(&r);

    /* Set before the monitor began: the domain is not even looked at. */
    start(&r, false);
    r.stop = SIGINT;
    r.s.shutdowns[0].at = 2;
    monitor(&r);
    CHECK(r.out.outcome == FLB_WAIT_STOPPED && r.out.signal == SIGINT, "outcome %d, signal %d", r.out.outcome,
          r.out.signal);
    CHECK(r.s.waits == 0 && count(r.f, "xc_domain_getinfo ") == 0, "%u waits", r.s.waits);
    check_ended(&r, "early stop", 1);
    finish(&r);
}

/* Destroyed by someone else: not destroyed again, and no longer ours. */
static void test_vanished(void)
{
    struct run r;

    start(&r, true);
    r.s.vanish_at = 2;
    r.s.noise_until = 2;
    monitor(&r);
    CHECK(r.rc == 0 && r.out.outcome == FLB_WAIT_VANISHED, "%d, outcome %d", r.rc, r.out.outcome);
    CHECK(count(r.f, "xc_domain_getinfo domid=1 -> ESRCH") == 1 && r.s.waits == 2, "%u waits", r.s.waits);
    check_ended(&r, "vanished", 0);
    finish(&r);
}

/* The second look at the domain fails: named with its errno, the guest destroyed. */
static void fail_second_getinfo(struct fake *f, unsigned call, const char *line, void *arg)
{
    static unsigned looks;

    guest(f, call, line, arg);
    if (call == 1)
        looks = 0;
    if (!strncmp(line, "xc_domain_getinfo ", 18) && ++looks == 2) {
        f->fail_at = call;
        f->fail_errno = EACCES;
    }
}

static void test_getinfo_fails(void)
{
    struct run r;

    start(&r, false);
    r.f->hook = fail_second_getinfo;
    r.f->calls = 0;
    r.s.noise_until = 3;
    monitor(&r);
    CHECK(r.rc == FLB_E_SYSTEM && r.out.outcome == FLB_WAIT_ERROR, "%d, outcome %d", r.rc, r.out.outcome);
    CHECK(!strcmp(r.err.msg, "waiting for domain 1: xc_domain_getinfo: Permission denied"), "message: %s",
          r.err.msg);
    CHECK(r.s.waits == 1, "%u waits", r.s.waits);
    check_ended(&r, "getinfo fails", 1);
    finish(&r);
}

/* A failed destroy is reported apart and leaves the outcome alone. */
static void test_destroy_fails(void)
{
    struct run r;

    start(&r, false);
    r.f->destroy_fails = true;
    r.s.shutdowns[0].at = 1;
    r.s.shutdowns[0].reason = SHUTDOWN_crash;
    monitor(&r);
    CHECK(r.rc == 0 && r.out.outcome == FLB_WAIT_SHUTDOWN && r.out.reason == FLB_SHUTDOWN_CRASH,
          "%d, outcome %d", r.rc, r.out.outcome);
    CHECK(r.out.destroy_failed, "destroy failure not reported");
    CHECK(!strcmp(r.out.destroy_err.msg, "destroying domain 1: xc_domain_destroy: Device or resource busy"),
          "message: %s", r.out.destroy_err.msg);
    CHECK(r.f->destroys == 1 && !r.err.msg[0], "destroyed %u times; error '%s'", r.f->destroys, r.err.msg);
    finish(&r);
}

/* Built with xenstore, watched through @releaseDomain: the teardown removes our nodes, also when it vanished.
 */
static void test_after_build(bool vanish)
{
    const char *what = vanish ? "built, vanished" : "built, powered off";
    struct run r;

    start_built(&r, true);
    CHECK(r.res.console_gfn == FAKE_CONSOLE_GFN && fake_xs_count(r.f, "/local/domain/1") > 0, "%s: built",
          what);
    CHECK(count(r.f, "xs_watch @releaseDomain flb") == 1 && count(r.f, "xenevtchn_bind_virq") == 0,
          "%s: not watching @releaseDomain", what);
    r.s.writes[0].at = 1;
    r.s.writes[0].buf = "hi";
    r.s.writes[0].n = 2;
    if (vanish)
        r.s.vanish_at = 2;
    else
        r.s.shutdowns[0].at = 2;
    monitor(&r);
    CHECK(r.out.outcome == (vanish ? FLB_WAIT_VANISHED : FLB_WAIT_SHUTDOWN), "%s: outcome %d", what,
          r.out.outcome);
    CHECK(count(r.f, "wait_event timeout_ms=-1 -> watch") >= 1, "%s: the watch never fired", what);
    CHECK(r.k.n == 2 && !memcmp(r.k.buf, "hi", 2), "%s: console '%.*s'", what, (int)r.k.n, r.k.buf);
    CHECK(fake_xs_count(r.f, "/local/domain/1") == 0 && fake_xs_count(r.f, "/libxl/1") == 0,
          "%s: xenstore nodes left behind", what);
    check_ended(&r, what, vanish ? 0 : 1);
    flb_watch_close(&r.f->be, &r.w);
    CHECK(count(r.f, "xs_unwatch @releaseDomain flb") == 1, "%s: watch left", what);
    finish(&r);
}

/* Without xenstored the watch is VIRQ_DOM_EXC; when another process holds it, the message says so. */
static void test_virq_busy(void)
{
    struct fake *f = fake_new(false);
    struct flb_error err = {{0}};
    struct flb_watch w;

    f->virq_busy = true;
    CHECK(flb_watch_open(&f->be, false, &w, &err) == FLB_E_SYSTEM, "a busy VIRQ went unseen");
    CHECK(!strcmp(err.msg, "binding VIRQ_DOM_EXC: xenevtchn_bind_virq: File exists: another process "
                           "(xenstored, or another monitor) holds it"),
          "message: %s", err.msg);
    CHECK(!w.virq && !w.xs && f->bound_ports == 0, "half a watch");
    fake_free(f);
}

/* The host query a live build asks before making its plan: the answer, or the call named. */
static void test_host_query(void)
{
    struct fake *f = fake_new(false);
    struct flb_error err = {{0}};
    struct flb_host host;

    CHECK(flb_host_query(&f->be, &host, &err) == 0, "%s", err.msg);
    CHECK(host.max_grant_version == 2 && host.max_grant_version_known, "version %u, known %d",
          host.max_grant_version, host.max_grant_version_known);
    CHECK(host.max_grant_frames == 64, "frames %llu", (unsigned long long)host.max_grant_frames);
    /* Each query asks the version first, then the grant versions: call 4 is the second xc_physinfo. */
    f->fail_at = 4;
    CHECK(flb_host_query(&f->be, &host, &err) == FLB_E_SYSTEM, "a failure went unseen");
    CHECK(!strcmp(err.msg, "asking Xen for its grant table versions: xc_physinfo: Invalid argument"),
          "message: %s", err.msg);
    CHECK(!host.max_grant_version_known, "a failed query still says it asked");
    CHECK(f->calls == 4, "%u calls", f->calls);
    fake_free(f);
}

int main(void)
{
    test_reasons();
    test_no_polling();
    test_timeout(false);
    test_timeout(true);
    test_stop(true);
    test_stop(false);
    test_vanished();
    test_getinfo_fails();
    test_destroy_fails();
    test_after_build(false);
    test_after_build(true);
    test_virq_busy();
    test_host_query();
    return check_summary();
}
