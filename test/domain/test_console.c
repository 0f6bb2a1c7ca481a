/* The guest's console through the monitor against the fake: indices and buffer wrapping, overruns, failures.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domain/monitor.h"
#include "fake_backend.h"
#include "wait_script.h"

/* The whole conversation for a guest that says hello and powers off. */
static void test_call_log(void)
{
    static const char want[] = "xenevtchn_bind_virq virq=3 -> port 200\n"
                               "xenforeignmemory_map domid=1 gfn=0xfefff pages=1 rw\n"
                               "xenevtchn_bind_interdomain domid=1 port=2\n"
                               "xc_domain_getinfo domid=1\n"
                               "wait_event timeout_ms=-1 -> port 102\n"
                               "xenevtchn_notify port=102\n"
                               "wait_event timeout_ms=-1 -> port 200 (VIRQ_DOM_EXC)\n"
                               "xc_domain_getinfo domid=1\n"
                               "xenevtchn_unbind port=102\n"
                               "xenforeignmemory_unmap pages=1\n"
                               "xc_domain_destroy domid=1\n";
    struct run r;
    char *log;

    start(&r, true);
    r.s.writes[0].at = 1;
    r.s.writes[0].buf = "hello\n";
    r.s.writes[0].n = 6;
    r.s.shutdowns[0].at = 2;
    monitor(&r);
    log = fake_log_text(r.f);
    CHECK(!strcmp(log, want), "call log:\n%s", log);
    CHECK(r.k.n == 6 && !memcmp(r.k.buf, "hello\n", 6) && r.k.calls == 1, "console: %u calls, '%.*s'",
          r.k.calls, (int)r.k.n, r.k.buf);
    CHECK(r.out.console_bytes == 6, "%llu console bytes", (unsigned long long)r.out.console_bytes);
    check_ended(&r, "hello", 1);
    free(log);
    finish(&r);
}

/* What the guest writes as it shuts down still comes out: the ring is drained once more. */
static void test_last_words(void)
{
    struct run r;

    start(&r, true);
    r.s.writes[0].at = 2;
    r.s.writes[0].buf = "reboot: Power down\n";
    r.s.writes[0].n = 19;
    r.s.noise_until = 2;
    r.s.shutdowns[0].at = 2;
    monitor(&r);
    CHECK(r.out.outcome == FLB_WAIT_SHUTDOWN, "outcome %d", r.out.outcome);
    CHECK(r.k.n == 19 && !memcmp(r.k.buf, "reboot: Power down\n", 19), "console: '%.*s'", (int)r.k.n,
          r.k.buf);
    check_ended(&r, "last words", 1);
    finish(&r);
}

/* Indices run past 2^32 and the data past the end of the buffer: both wrap. */
static void test_wrap(void)
{
    static uint8_t data[512];
    struct xencons_interface *ring;
    struct run r;

    pattern(data, sizeof(data));
    start(&r, true);
    ring = &r.f->console.ring;
    ring->out_cons = ring->out_prod = 0xffffff00u; /* byte 1792 of the buffer: 256 to its end */
    r.s.writes[0].at = 1;
    r.s.writes[0].buf = data;
    r.s.writes[0].n = sizeof(data);
    r.s.shutdowns[0].at = 2;
    monitor(&r);
    CHECK(ring->out_prod == 0x100 && ring->out_cons == 0x100, "indices %#x %#x", ring->out_cons,
          ring->out_prod);
    CHECK(r.k.n == sizeof(data) && !memcmp(r.k.buf, data, sizeof(data)), "%zu bytes, not the guest's", r.k.n);
    check_ended(&r, "wrap", 1);
    finish(&r);
}

/* Many events' worth, each drained in time, round the buffer more than twice: all of it, in order. */
static void test_many_rounds(void)
{
    static uint8_t data[6 * 700];
    struct run r;

    pattern(data, sizeof(data));
    start(&r, true);
    for (unsigned i = 0; i < 6; i++) {
        r.s.writes[i].at = i + 1;
        r.s.writes[i].buf = data + 700 * i;
        r.s.writes[i].n = 700;
    }
    r.s.shutdowns[0].at = 7;
    monitor(&r);
    CHECK(r.k.n == sizeof(data) && !memcmp(r.k.buf, data, sizeof(data)), "%zu bytes, not the guest's", r.k.n);
    CHECK(r.k.calls == 6 && count(r.f, "xenevtchn_notify port=102") == 6, "%u writes", r.k.calls);
    CHECK(r.out.console_bytes == sizeof(data), "%llu bytes", (unsigned long long)r.out.console_bytes);
    finish(&r);
}

/* A guest writing faster than we read: one ring's worth, the newest, and the reader catches up. */
static void test_overrun(void)
{
    static uint8_t data[3000];
    struct xencons_interface *ring;
    struct run r;

    pattern(data, sizeof(data));
    start(&r, true);
    ring = &r.f->console.ring;
    r.s.writes[0].at = 1;
    r.s.writes[0].buf = data;
    r.s.writes[0].n = sizeof(data);
    r.s.shutdowns[0].at = 2;
    monitor(&r);
    CHECK(r.k.n == RING && !memcmp(r.k.buf, data + sizeof(data) - RING, RING), "%zu bytes, not the newest",
          r.k.n);
    CHECK(ring->out_cons == sizeof(data), "out_cons %u", ring->out_cons);
    CHECK(r.out.console_bytes == RING, "%llu bytes", (unsigned long long)r.out.console_bytes);
    finish(&r);

    /* A wild producer index, no matter how far ahead, gets one ring's worth read. */
    start(&r, true);
    ring = &r.f->console.ring;
    ring->out_cons = 5;
    ring->out_prod = 5 + 0x80000000u;
    r.s.shutdowns[0].at = 1;
    monitor(&r);
    CHECK(r.k.n == RING && ring->out_cons == ring->out_prod, "%zu bytes, out_cons %#x", r.k.n,
          ring->out_cons);
    finish(&r);
}

/* A closed stdout: the guest is destroyed at once, with nothing leaked. */
static void test_output_failed(void)
{
    struct run r;

    start(&r, true);
    r.k.fail_from = 1;
    r.s.shutdowns[0].at = 3; /* what a wait that missed the failure would see */
    r.s.writes[0].at = 1;
    r.s.writes[0].buf = "lost";
    r.s.writes[0].n = 4;
    monitor(&r);
    CHECK(r.rc == 0 && r.out.outcome == FLB_WAIT_OUTPUT_FAILED, "%d, outcome %d", r.rc, r.out.outcome);
    CHECK(r.s.waits == 1 && r.k.calls == 1, "%u waits, %u writes", r.s.waits, r.k.calls);
    check_ended(&r, "output failed", 1);
    finish(&r);
}

/* Without the ring there is nothing to copy: no wait, the guest destroyed, err naming the call. */
static void test_map_fails(void)
{
    struct run r;

    start(&r, true);
    r.f->fail_at = r.f->calls + 1;
    monitor(&r);
    CHECK(r.rc == FLB_E_SYSTEM && r.out.outcome == FLB_WAIT_ERROR, "%d, outcome %d", r.rc, r.out.outcome);
    CHECK(!strcmp(r.err.msg, "mapping the console page 0xfefff: xenforeignmemory_map: Invalid argument"),
          "message: %s", r.err.msg);
    CHECK(r.s.waits == 0 && count(r.f, "xenevtchn_") == 1, "went on after the map failed");
    check_ended(&r, "map fails", 1);
    finish(&r);
}

/* Without its event channel nothing would wake the reader: an error naming the call, nothing held. */
static void test_bind_fails(void)
{
    struct run r;

    start(&r, true);
    r.f->fail_at = r.f->calls + 2;
    r.s.writes[0].at = 1;
    r.s.writes[0].buf = "lost\n";
    r.s.writes[0].n = 5;
    r.s.shutdowns[0].at = 3;
    monitor(&r);
    CHECK(r.rc == FLB_E_SYSTEM && r.out.outcome == FLB_WAIT_ERROR, "%d, outcome %d", r.rc, r.out.outcome);
    CHECK(!strcmp(r.err.msg,
                  "binding the console's event channel 2: xenevtchn_bind_interdomain: Invalid argument"),
          "message: %s", r.err.msg);
    CHECK(r.s.waits == 0 && count(r.f, "xenforeignmemory_unmap") == 1, "went on after the bind failed");
    check_ended(&r, "bind fails", 1);
    finish(&r);
}

int main(void)
{
    test_call_log();
    test_last_words();
    test_wrap();
    test_many_rounds();
    test_overrun();
    test_output_failed();
    test_map_fails();
    test_bind_fails();
    return check_summary();
}
