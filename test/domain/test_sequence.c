/* The build sequence against the recording fake: golden call logs, every call failing, signals, names. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sequence_run.h"

static void test_golden(const char *name, bool grant_v2, bool paused)
{
    struct fake *f = fake_new(true);
    struct run r;
    char *log;

    run_setup(&r, grant_v2);
    r.req.paused = paused;
    run_build(f, &r);
    CHECK(r.rc == 0, "%s: build failed: %s", name, r.err.msg);
    CHECK(r.res.created && r.res.domid == 1, "%s: no domain 1", name);
    CHECK(f->unpaused == !paused, "%s: unpause state", name);
    CHECK(f->open_doms == 0 && f->open_maps == 0, "%s: leaks", name);
    CHECK(f->destroys == 0, "%s: destroyed a good domain", name);
    log = fake_log_text(f);
    CHECK(golden_check(name, log), "%s: golden call log", name);
    free(log);

    /* The teardown a --wait ends with removes everything, once. */
    CHECK(flb_teardown(&f->be, &r.res, &r.err) == 0, "%s: teardown: %s", name, r.err.msg);
    CHECK(f->destroys == 1, "%s: destroyed %u times", name, f->destroys);
    run_check_clean(f, name);
    run_teardown(&r);
    fake_free(f);
}

/* The first word of a recorded call is the library function it stands for. */
static void call_name(const char *line, char *name, size_t len)
{
    snprintf(name, len, "%.*s", (int)strcspn(line, " "), line);
}

/* Nodes sent and not yet answered may be written after a removal on another connection: every send's
 * answers are read before the first removal. */
static void check_answers_before_removal(const struct fake *f, const char *what)
{
    bool pending = false;

    for (size_t i = 0; i < f->nr_lines; i++) {
        if (strncmp(f->lines[i], "xs_write_send ", 14) == 0)
            pending = true;
        else if (strncmp(f->lines[i], "xs_write_wait", 13) == 0)
            pending = false;
        else if (strncmp(f->lines[i], "xs_rm ", 6) == 0)
            CHECK(!pending, "%s: %s while sent nodes are unanswered", what, f->lines[i]);
    }
    CHECK(!pending, "%s: sent nodes left unanswered", what);
}

static void test_each_call_fails(bool grant_v2)
{
    struct fake *f = fake_new(true);
    struct run r;
    unsigned total;

    run_setup(&r, grant_v2);
    run_build(f, &r);
    total = f->calls;
    CHECK(r.rc == 0 && total > 30, "baseline: %s (%u calls)", r.err.msg, total);
    fake_free(f);
    run_teardown(&r);

    for (unsigned n = 1; n <= total; n++) {
        char what[64], name[64] = "";

        f = fake_new(true);
        f->fail_at = n;
        run_setup(&r, grant_v2);
        run_build(f, &r);
        snprintf(what, sizeof(what), "%s, call %u fails", grant_v2 ? "v2" : "v1", n);
        for (size_t i = 0; i < f->nr_lines; i++)
            if (strstr(f->lines[i], " -> FAIL "))
                call_name(f->lines[i], name, sizeof(name));
        CHECK(r.rc == FLB_E_SYSTEM, "%s: status %d (%s)", what, r.rc, r.err.msg);
        CHECK(name[0] && strstr(r.err.msg, name), "%s: message '%s' does not name %s", what, r.err.msg, name);
        CHECK(strstr(r.err.msg, ": Invalid argument"), "%s: message '%s' lacks errno", what, r.err.msg);
        CHECK(f->destroys == (f->next_domid > 1 ? 1u : 0u), "%s: destroyed %u times", what, f->destroys);
        run_check_clean(f, what);
        check_answers_before_removal(f, what);
        if (getenv("FLB_TEST_VERBOSE"))
            fprintf(stderr, "%s: %s\n", what, r.err.msg);
        run_teardown(&r);
        fake_free(f);
    }
}

static void test_batch_frame_error(void)
{
    struct fake *f = fake_new(true);
    struct run r;

    run_setup(&r, false);
    f->batch_frame_error = 3;
    run_build(f, &r);
    CHECK(r.rc == FLB_E_SYSTEM, "status %d", r.rc);
    CHECK(strcmp(r.err.msg, "mapping grant frame 3 at 0x240004000: xc_domain_add_to_physmap_batch: "
                            "Invalid argument") == 0,
          "message: %s", r.err.msg);
    CHECK(f->destroys == 1, "destroyed %u times", f->destroys);
    run_check_clean(f, "frame error");
    fake_free(f);
}

static void test_batch_message(void)
{
    struct fake *f = fake_new(true);
    unsigned n = 0;
    struct run r;

    run_setup(&r, false);
    run_build(f, &r);
    /* The call's number: the lines before it that are calls, not the indented lines of a batch. */
    for (size_t i = 0, calls = 0; i < f->nr_lines && !n; i++) {
        calls += f->lines[i][0] != ' ';
        if (strncmp(f->lines[i], "xc_domain_add_to_physmap_batch", 30) == 0)
            n = (unsigned)calls;
    }
    fake_free(f);
    f = fake_new(true);
    f->fail_at = n;
    run_build(f, &r);
    CHECK(strcmp(r.err.msg, "mapping grant frames at 0x240001000: xc_domain_add_to_physmap_batch: "
                            "Invalid argument") == 0,
          "message: %s", r.err.msg);
    fake_free(f);
}

static void test_batch_unsupported(void)
{
    struct fake *f = fake_new(true);
    struct run r;

    run_setup(&r, false);
    f->batch_unsupported = true;
    run_build(f, &r);
    CHECK(r.rc == 0, "fallback failed: %s", r.err.msg);
    /* shared info, the refused batch, then 64 frames one at a time */
    CHECK(f->physmap_calls == 1 + 1 + 64, "%u physmap calls", f->physmap_calls);
    fake_free(f);
}

static volatile sig_atomic_t stop_flag;

static void on_signal(int sig)
{
    (void)sig;
    stop_flag = 1;
}

static void raise_at_boot_mem_init(struct fake *f, unsigned call, const char *line, void *arg)
{
    (void)f, (void)call, (void)arg;
    if (strcmp(line, "xc_dom_boot_mem_init") == 0)
        raise(SIGINT);
}

static void test_signal_during_build(void)
{
    struct sigaction sa = {.sa_handler = on_signal}, old;
    struct fake *f = fake_new(true);
    struct run r;

    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old);
    stop_flag = 0;
    run_setup(&r, false);
    r.req.stop = &stop_flag;
    f->hook = raise_at_boot_mem_init;
    run_build(f, &r);
    sigaction(SIGINT, &old, NULL);
    CHECK(stop_flag == 1, "the signal was not delivered");
    CHECK(r.rc == FLB_E_SYSTEM && r.res.interrupted, "status %d: %s", r.rc, r.err.msg);
    CHECK(strcmp(r.err.msg, "interrupted before setting the memory map") == 0, "message: %s", r.err.msg);
    CHECK(f->destroys == 1, "destroyed %u times", f->destroys);
    CHECK(!f->unpaused, "unpaused an interrupted build");
    run_check_clean(f, "signal");
    fake_free(f);
}

/* If even the teardown fails, the message says a domain is left behind. */
static void test_destroy_fails(void)
{
    struct fake *f = fake_new(false);
    struct run r;

    run_setup(&r, false);
    r.req.use_xenstore = false;
    f->batch_frame_error = 0;
    f->destroy_fails = true;
    run_build(f, &r);
    CHECK(strcmp(r.err.msg, "mapping grant frame 0 at 0x240001000: xc_domain_add_to_physmap_batch: "
                            "Invalid argument; then destroying domain 1: xc_domain_destroy: Device "
                            "or resource busy: domain 1 is left behind") == 0,
          "message: %s", r.err.msg);
    CHECK(f->destroys == 1, "destroyed %u times", f->destroys);
    fake_free(f);
}

static void test_name_in_use(void)
{
    struct fake *f = fake_new(true);
    struct run r;

    fake_xs_set(f, "/local/domain/7/name", "example");
    run_setup(&r, false);
    run_build(f, &r);
    CHECK(r.rc == FLB_E_INPUT, "status %d: %s", r.rc, r.err.msg);
    CHECK(strcmp(r.err.msg, "name 'example' is already used by domain 7: pick another name or "
                            "destroy it") == 0,
          "message: %s", r.err.msg);
    CHECK(f->next_domid == 1 && f->destroys == 0, "a domain was created");
    fake_free(f);
}

/* A domain the run built is known by the name the run gave it: that name is refused without reading
 * it back. */
static void test_name_of_run(void)
{
    struct fake *f = fake_new(true);
    const struct flb_named_domain named[] = {{7, "example"}};
    struct run r;
    char line[256];

    /* What the store holds is not read: the run's own name for domain 7 decides. */
    fake_xs_set(f, "/local/domain/7/name", "renamed-since");
    run_setup(&r, false);
    r.req.named = named;
    r.req.nr_named = 1;
    run_build(f, &r);
    CHECK(r.rc == FLB_E_INPUT && strstr(r.err.msg, "name 'example' is already used by domain 7"),
          "run's name: status %d: %s", r.rc, r.err.msg);
    CHECK(fake_find_line(f, "  /local/domain/7/name ->", 0, line, sizeof(line)) < 0,
          "run's name: domain 7's name was read back: %s", line);
    CHECK(f->next_domid == 1 && f->destroys == 0, "run's name: a domain was created");
    fake_free(f);
}

/* A name is the user's: written whole, so the next build's name check sees it whole. */
static void test_long_name(void)
{
    struct fake *f = fake_new(true);
    struct run r;
    char name[201];

    memset(name, 'n', sizeof(name) - 1);
    name[sizeof(name) - 1] = '\0';
    run_setup(&r, false);
    r.cfg.name = name;
    plan_for(&r.cfg, &r.plan);
    run_build(f, &r);
    CHECK(r.rc == 0, "build failed: %s", r.err.msg);
    CHECK(fake_xs_get(f, "/local/domain/1/name") && !strcmp(fake_xs_get(f, "/local/domain/1/name"), name),
          "name stored as '%s'", fake_xs_get(f, "/local/domain/1/name"));
    CHECK(flb_teardown(&f->be, &r.res, &r.err) == 0, "teardown: %s", r.err.msg);

    /* A second build under the same long name is refused before anything is created. */
    fake_xs_set(f, "/local/domain/1/name", name);
    run_setup(&r, false);
    r.cfg.name = name;
    plan_for(&r.cfg, &r.plan);
    run_build(f, &r);
    CHECK(r.rc == FLB_E_INPUT, "second build with the same name: status %d", r.rc);
    fake_free(f);
}

/* The line of the log that starts with prefix, and after line `after`; -1 if none. */
static int line_of(const char *log, const char *prefix, int after, char *out, size_t len)
{
    int n = 0;

    for (const char *p = log; *p; n++) {
        const char *nl = strchr(p, '\n');
        size_t l = nl ? (size_t)(nl - p) : strlen(p);
        if (n > after && !strncmp(p, prefix, strlen(prefix))) {
            snprintf(out, len, "%.*s", (int)l, p);
            return n;
        }
        p += l + (nl ? 1 : 0);
    }
    out[0] = '\0';
    return -1;
}

/* The domain settings reach the calls libxl makes them with, in libxl's order. */
static void test_domain_settings(void)
{
    struct fake *f = fake_new(true);
    struct run r;
    char *log, line[512];
    int at;

    run_setup(&r, false);
    r.cfg.uuid = "00112233-4455-6677-8899-aabbccddeeff";
    r.cfg.hap = r.cfg.oos = 0;
    r.cfg.nestedhvm = r.cfg.vpmu = r.cfg.msr_relaxed = 1;
    r.cfg.max_event_channels = 4095;
    r.cfg.tsc_mode = "always_emulate";
    r.cfg.shadow_memory_mib = 48;
    r.cfg.vmtrace_buf_kb = 65; /* rounded up to pages: 17 */
    r.cfg.timer_mode = "one_missed_tick_pending";
    r.cfg.rtc_timeoffset = "-3600";
    r.cfg.localtime = 1;
    CHECK(flb_cpuid_parse_string(&r.cfg.cpuid, "host,vmx=0,avx2=1", (char[64]){0}, 64) == 0);
    /* Two hours east of UTC, all year: localtime adds 7200 seconds to the config's -3600. */
    setenv("TZ", "UTC-2", 1);
    tzset();
    plan_for(&r.cfg, &r.plan);
    run_build(f, &r);
    CHECK(r.rc == 0, "%s", r.err.msg);
    log = fake_log_text(f);
    at = line_of(log, "xc_domain_create ", -1, line, sizeof(line));
    CHECK_STR(line, "xc_domain_create flags=hvm|oos_off|nested_virt|vpmu emulation=lapic misc=msr_relaxed "
                    "max_vcpus=1 max_evtchn_port=4095 max_grant_frames=64 max_maptrack_frames=1024 "
                    "grant_version=1 vmtrace_size=69632 ssidref=12 -> domid 1");
    at = line_of(log, "xc_hvm_param_set ", at, line, sizeof(line));
    CHECK_STR(line, "xc_hvm_param_set domid=1 param=10 value=3");
    at = line_of(log, "xc_hvm_param_set ", at, line, sizeof(line));
    CHECK_STR(line, "xc_hvm_param_set domid=1 param=35 value=0");
    at = line_of(log, "xc_domain_set_tsc_info ", at, line, sizeof(line));
    CHECK_STR(line, "xc_domain_set_tsc_info domid=1 mode=1");
    at = line_of(log, "xc_domain_set_time_offset ", at, line, sizeof(line));
    CHECK_STR(line, "xc_domain_set_time_offset domid=1 seconds=3600");
    at = line_of(log, "xc_set_paging_mempool_size ", at, line, sizeof(line));
    CHECK_STR(line, "xc_set_paging_mempool_size domid=1 bytes=50331648");
    at = line_of(log, "xc_cpuid_apply_policy ", at, line, sizeof(line));
    /* always_emulate makes the TSC invariant, as libxl tells libxenguest; cpuid= goes over the policy. */
    CHECK_STR(line,
              "xc_cpuid_apply_policy domid=1 nested_virt=1 itsc=1 0x1:ecx=xxxxxxxxxxxxxxxxxxxxxxxxxx0xxxxx "
              "0x7,0:ebx=xxxxxxxxxxxxxxxxxxxxxxxxxx1xxxxx");
    /* The config's UUID, not the request's random one, names the domain's /vm node too. */
    CHECK(line_of(log, "  /vm/00112233-4455-6677-8899-aabbccddeeff/uuid ", 0, line, sizeof(line)) > 0,
          "no /vm node for the config's uuid");
    CHECK(strstr(log, "5eed0001") == NULL, "the request's uuid was used");
    free(log);
    flb_cpuid_free(&r.cfg.cpuid);
    CHECK(flb_teardown(&f->be, &r.res, &r.err) == 0, "%s", r.err.msg);
    run_teardown(&r);
    fake_free(f);
}

int main(void)
{
    test_golden("worked-example.log", false, false);
    test_golden("grant-v2.log", true, true);
    test_each_call_fails(false);
    test_each_call_fails(true);
    test_batch_frame_error();
    test_batch_message();
    test_batch_unsupported();
    test_signal_during_build();
    test_destroy_fails();
    test_name_in_use();
    test_name_of_run();
    test_long_name();
    test_domain_settings();
    return check_summary();
}
