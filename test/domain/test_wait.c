/* Waiting for a guest against the recording fake: every way a wait ends, and the guest destroyed once. */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <xen/xen.h>
#include <xen/sched.h>

#include "domain/build.h"
#include "domain/host.h"
#include "domain/wait.h"
#include "fake_backend.h"
#include "test_util.h"
#include "wait_script.h"

/* Each SHUTDOWN_* code, with and without the console: its own reason, and one destroy as the last call. */
static void test_reasons(void)
{
    static const struct {
        unsigned code;
        enum flb_shutdown_reason reason;
    } cases[] = {
        {SHUTDOWN_poweroff, FLB_SHUTDOWN_POWEROFF}, {SHUTDOWN_reboot, FLB_SHUTDOWN_REBOOT},
        {SHUTDOWN_suspend, FLB_SHUTDOWN_SUSPEND},   {SHUTDOWN_crash, FLB_SHUTDOWN_CRASH},
        {SHUTDOWN_watchdog, FLB_SHUTDOWN_WATCHDOG}, {SHUTDOWN_soft_reset, FLB_SHUTDOWN_SOFT_RESET},
        {SHUTDOWN_MAX + 2, FLB_SHUTDOWN_OTHER},
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        for (int console = 0; console <= 1; console++) {
            struct run r;
            char what[64];

            snprintf(what, sizeof(what), "reason %u%s", cases[i].code, console ? " with console" : "");
            start(&r, console);
            r.s.shutdown_at = 3;
            r.s.reason = cases[i].code;
            wait_for(&r);
            CHECK(r.rc == 0 && r.out.outcome == FLB_WAIT_SHUTDOWN, "%s: %d, outcome %d", what, r.rc,
                  r.out.outcome);
            CHECK(r.out.reason == cases[i].reason, "%s: reason %d", what, r.out.reason);
            CHECK(r.out.xen_reason == cases[i].code, "%s: xen reason %u", what, r.out.xen_reason);
            CHECK(r.s.polls == 3, "%s: %u polls", what, r.s.polls);
            CHECK(count(r.f, "xenevtchn_wait timeout_ms=1") == (console ? 2u : 0u), "%s: waits", what);
            CHECK(!strcmp(r.f->lines[r.f->nr_lines - 1], "xc_domain_destroy domid=1"), "%s: last call %s",
                  what, r.f->lines[r.f->nr_lines - 1]);
            check_ended(&r, what, 1);
            fake_free(r.f);
        }
    }
}

/* Unless told otherwise, the domain is polled every 100 ms. */
static void test_default_poll(void)
{
    struct run r;
    double t0;

    start(&r, true);
    r.req.poll_ms = 0;
    r.s.shutdown_at = 2;
    wait_for(&r);
    CHECK(count(r.f, "xenevtchn_wait timeout_ms=100") == 1, "no 100 ms event wait");
    fake_free(r.f);

    /* Without the console's event channel the same 100 ms are slept. */
    start(&r, false);
    r.req.poll_ms = 0;
    r.s.shutdown_at = 3;
    t0 = now_s();
    wait_for(&r);
    CHECK(now_s() - t0 >= 0.2, "two polls took %.3f s", now_s() - t0);
    CHECK(r.s.polls == 3 && r.out.outcome == FLB_WAIT_SHUTDOWN, "%u polls", r.s.polls);
    fake_free(r.f);
}

static void test_timeout(bool console)
{
    const char *what = console ? "timeout with console" : "timeout";
    struct run r;
    double t0;

    start(&r, console);
    r.req.timeout_s = 1;
    r.req.poll_ms = 10;
    r.s.shutdown_at = 400; /* at least 4 s: what a wait that missed the deadline would see */
    t0 = now_s();
    wait_for(&r);
    CHECK(now_s() - t0 >= 1.0, "%s: gave up after %.3f s", what, now_s() - t0);
    CHECK(r.rc == 0 && r.out.outcome == FLB_WAIT_TIMEOUT, "%s: %d, outcome %d", what, r.rc, r.out.outcome);
    CHECK(r.s.polls >= 2, "%s: %u polls", what, r.s.polls);
    if (console)
        CHECK(count(r.f, "xenevtchn_wait timeout_ms=10") == r.s.polls - 1, "%s: waits", what);
    check_ended(&r, what, 1);
    fake_free(r.f);
}

static volatile sig_atomic_t stop_flag;

/* A signal's flag ends the wait at the next poll, after copying what the guest wrote. */
static void test_stop(void)
{
    struct run r;

    start(&r, true);
    stop_flag = 0;
    r.req.stop = &stop_flag;
    r.s.stop = &stop_flag;
    r.s.stop_at = 2;
    r.s.shutdown_at = 4; /* what a wait that missed the flag would see */
    r.s.writes[0].at = 2;
    r.s.writes[0].buf = "bye";
    r.s.writes[0].n = 3;
    wait_for(&r);
    CHECK(r.rc == 0 && r.out.outcome == FLB_WAIT_STOPPED, "%d, outcome %d", r.rc, r.out.outcome);
    CHECK(r.out.signal == SIGTERM, "signal %d", r.out.signal);
    CHECK(r.s.polls == 2, "%u polls after the flag was set at the second", r.s.polls);
    CHECK(r.k.n == 3 && !memcmp(r.k.buf, "bye", 3), "console: '%.*s'", (int)r.k.n, r.k.buf);
    check_ended(&r, "stop", 1);
    fake_free(r.f);

    /* Set before the wait began: the domain is not even polled. */
    start(&r, false);
    stop_flag = SIGINT;
    r.req.stop = &stop_flag;
    r.s.shutdown_at = 2;
    wait_for(&r);
    CHECK(r.out.outcome == FLB_WAIT_STOPPED && r.out.signal == SIGINT, "outcome %d, signal %d", r.out.outcome,
          r.out.signal);
    CHECK(r.s.polls == 0, "%u polls", r.s.polls);
    check_ended(&r, "early stop", 1);
    fake_free(r.f);
}

/* Destroyed by someone else: not destroyed again, and no longer ours. */
static void test_vanished(void)
{
    struct run r;

    start(&r, true);
    r.s.vanish_at = 2;
    wait_for(&r);
    CHECK(r.rc == 0 && r.out.outcome == FLB_WAIT_VANISHED, "%d, outcome %d", r.rc, r.out.outcome);
    CHECK(count(r.f, "xc_domain_getinfo domid=1 -> ESRCH") == 1 && r.s.polls == 2, "%u polls", r.s.polls);
    check_ended(&r, "vanished", 0);
    fake_free(r.f);
}

/* Any other failure to poll ends the wait with the call and errno named, and the guest destroyed. */
static void test_getinfo_fails(void)
{
    struct run r;

    start(&r, false);
    r.f->fail_at = 2; /* the second poll */
    r.f->fail_errno = EACCES;
    wait_for(&r);
    CHECK(r.rc == FLB_E_SYSTEM && r.out.outcome == FLB_WAIT_ERROR, "%d, outcome %d", r.rc, r.out.outcome);
    CHECK(!strcmp(r.err.msg, "waiting for domain 1: xc_domain_getinfo: Permission denied"), "message: %s",
          r.err.msg);
    CHECK(r.s.polls == 2, "%u polls", r.s.polls);
    check_ended(&r, "getinfo fails", 1);
    fake_free(r.f);
}

/* A failed destroy is reported apart and leaves the outcome alone. */
static void test_destroy_fails(void)
{
    struct run r;

    start(&r, false);
    r.f->destroy_fails = true;
    r.s.shutdown_at = 1;
    r.s.reason = SHUTDOWN_crash;
    wait_for(&r);
    CHECK(r.rc == 0 && r.out.outcome == FLB_WAIT_SHUTDOWN && r.out.reason == FLB_SHUTDOWN_CRASH,
          "%d, outcome %d", r.rc, r.out.outcome);
    CHECK(r.out.destroy_failed, "destroy failure not reported");
    CHECK(!strcmp(r.out.destroy_err.msg, "destroying domain 1: xc_domain_destroy: Device or resource busy"),
          "message: %s", r.out.destroy_err.msg);
    CHECK(r.f->destroys == 1 && !r.err.msg[0], "destroyed %u times; error '%s'", r.f->destroys, r.err.msg);
    fake_free(r.f);
}

/* Built by flb_build with xenstore: the wait's teardown removes our nodes, also when the domain vanished. */
static void test_after_build(bool vanish)
{
    const char *what = vanish ? "built, vanished" : "built, powered off";
    const char *kernel = scratch_path("pvh-kernel");
    struct flb_build_request breq;
    struct flb_config cfg;
    static struct flb_plan plan;
    struct run r;

    start(&r, true);
    /* This domain comes from a build, with xenstore: the script joins once it is running. */
    fake_free(r.f);
    r.f = fake_new(true);
    make_elf_kernel(kernel, true, 0);
    config_worked_example(&cfg, kernel);
    plan_for(&cfg, &plan);
    memset(&breq, 0, sizeof(breq));
    breq.plan = &plan;
    breq.use_xenstore = true;
    breq.own_console = true;
    CHECK(flb_build(&r.f->be, &breq, &r.res, &r.err) == 0, "%s: build: %s", what, r.err.msg);
    CHECK(r.res.console_gfn == FAKE_CONSOLE_GFN && fake_xs_count(r.f, "/local/domain/1") > 0, "%s: built",
          what);
    r.f->hook = guest;
    r.f->hook_arg = &r.s;
    r.s.writes[0].at = 1;
    r.s.writes[0].buf = "hi";
    r.s.writes[0].n = 2;
    if (vanish)
        r.s.vanish_at = 2;
    else
        r.s.shutdown_at = 2;
    wait_for(&r);
    CHECK(r.out.outcome == (vanish ? FLB_WAIT_VANISHED : FLB_WAIT_SHUTDOWN), "%s: outcome %d", what,
          r.out.outcome);
    CHECK(r.k.n == 2 && !memcmp(r.k.buf, "hi", 2), "%s: console '%.*s'", what, (int)r.k.n, r.k.buf);
    CHECK(fake_xs_count(r.f, "/local/domain/1") == 0 && fake_xs_count(r.f, "/libxl/1") == 0,
          "%s: xenstore nodes left behind", what);
    check_ended(&r, what, vanish ? 0 : 1);
    fake_free(r.f);
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
    test_default_poll();
    test_timeout(false);
    test_timeout(true);
    test_stop();
    test_vanished();
    test_getinfo_fails();
    test_destroy_fails();
    test_after_build(false);
    test_after_build(true);
    test_host_query();
    return check_summary();
}
