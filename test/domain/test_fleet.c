/*
 * Several guests in one run, through the command's live path (cmd/live_build.c) on the recording fake:
 * Xen asked once, the guests built in order with a created record each once all are built; a build
 * that fails destroys the guests built before it (all or nothing), or with --keep-going leaves them;
 * a signal destroys every one; -F waits for every guest and exits with the first status that is not
 * 0 in command-line order.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "live_capture.h"
#include "test_util.h"

#include <xen/sched.h>

#define MAX_GUESTS 4

struct run {
    struct fake *f;
    struct cli_opts opts;
    struct flb_config cfg[MAX_GUESTS];
    struct live_guest g[MAX_GUESTS];
    struct live_fleet fleet;
    struct captured c;
    int n;
};

/* n guests of the worked example, named a, b, c... from a.cfg, b.cfg, c.cfg... */
static struct run *setup(int n)
{
    static char kernel[4096];
    static const char *const names[MAX_GUESTS] = {"a", "b", "c", "d"};
    static const char *const files[MAX_GUESTS] = {"a.cfg", "b.cfg", "c.cfg", "d.cfg"};
    struct run *r = calloc(1, sizeof(*r));

    if (!r)
        abort();
    if (!kernel[0]) {
        snprintf(kernel, sizeof(kernel), "%s", scratch_path("pvh-kernel"));
        make_elf_kernel(kernel, true, 0);
    }
    r->f = fake_new(true);
    r->n = n;
    for (int i = 0; i < n; i++) {
        config_worked_example(&r->cfg[i], kernel);
        /* The example's strings are not the config's own: nothing to free. */
        r->cfg[i].name = (char *)names[i];
        r->cfg[i].source = files[i];
    }
    r->fleet = (struct live_fleet){.g = r->g, .n = n};
    return r;
}

static void teardown(struct run *r)
{
    fake_free(r->f);
    free(r);
}

static void run_live(struct run *r)
{
    live_capture(r->f, &r->opts, r->cfg, &r->fleet, &r->c);
}

/* Calls in the log that start with call. */
static unsigned count(const struct fake *f, const char *call)
{
    unsigned n = 0;

    for (size_t i = 0; i < f->nr_lines; i++)
        n += !strncmp(f->lines[i], call, strlen(call));
    return n;
}

static unsigned count_lines(const char *text)
{
    unsigned n = 0;

    for (; *text; text++)
        n += *text == '\n';
    return n;
}

static bool logged(const struct fake *f, const char *line)
{
    return count(f, line) > 0;
}

/* Whether domid still exists in the fake. */
static bool exists(const struct fake *f, uint32_t domid)
{
    if (f->domain_exists && f->domid == domid)
        return true;
    for (unsigned i = 0; i < f->nr_others; i++)
        if (f->others[i].domid == domid)
            return true;
    return false;
}

static unsigned nr_domains(const struct fake *f)
{
    return f->nr_others + (f->domain_exists ? 1u : 0u);
}

/* Fails the nth call that starts with prefix. */
struct fail_nth {
    const char *prefix;
    unsigned nth, seen;
};

static void fail_nth(struct fake *f, unsigned call, const char *line, void *arg)
{
    struct fail_nth *x = arg;

    if (!strncmp(line, x->prefix, strlen(x->prefix)) && ++x->seen == x->nth)
        f->fail_at = call;
}

/* Three guests: Xen opened and asked once, three domains running, three records in order. */
static void test_all_built(void)
{
    struct run *r = setup(3);

    run_live(r);
    CHECK(r->c.status == EXIT_OK, "all built: status %d, stderr '%s'", r->c.status, r->c.err);
    CHECK_STR(r->c.out, "created domain 1 (a)\ncreated domain 2 (b)\ncreated domain 3 (c)\n");
    CHECK_STR(r->c.err, "");
    CHECK(nr_domains(r->f) == 3 && exists(r->f, 1) && exists(r->f, 2) && exists(r->f, 3),
          "all built: %u domains", nr_domains(r->f));
    /* The host's facts once for all: the version and the grant version are asked once. */
    CHECK(count(r->f, "xc_version XENVER_version") == 1 && count(r->f, "xc_physinfo") == 1,
          "host asked %u and %u times", count(r->f, "xc_version XENVER_version"), count(r->f, "xc_physinfo"));
    CHECK(count(r->f, "xc_domain_create") == 3 && count(r->f, "xc_domain_unpause") == 3 &&
              count(r->f, "xc_domain_destroy") == 0,
          "all built: creates %u, unpauses %u", count(r->f, "xc_domain_create"),
          count(r->f, "xc_domain_unpause"));
    CHECK(r->fleet.detach, "the detached monitor is not to start");
    /* What the teardown checks below must find gone is there when the guests stand. */
    CHECK(fake_xs_count(r->f, "/local/domain/1") > 0 && fake_xs_count(r->f, "/local/domain/3") > 0 &&
              fake_xs_count(r->f, "/vm") > 1,
          "all built: xenstore nodes missing");
    for (int i = 0; i < 3; i++)
        CHECK(r->g[i].built && r->g[i].res.domid == (uint32_t)i + 1 && r->g[i].status == EXIT_OK,
              "guest %d: built %d domid %u", i, r->g[i].built, r->g[i].res.domid);
    CHECK(r->f->watches == 0 && r->f->open_doms == 0 && r->f->open_maps == 0,
          "left open: watches %u, images %d, maps %d", r->f->watches, r->f->open_doms, r->f->open_maps);
    teardown(r);
}

/*
 * The second guest's build fails after its domain exists: its own domain is destroyed by the build,
 * the first guest's by the run, the third is never built; nothing on stdout, one line on stderr.
 */
static void test_all_or_nothing(void)
{
    struct run *r = setup(3);
    struct fail_nth x = {"xc_dom_boot_image", 2, 0};

    r->f->hook = fail_nth;
    r->f->hook_arg = &x;
    run_live(r);
    CHECK(r->c.status == EXIT_FAILURE_OTHER, "all or nothing: status %d", r->c.status);
    CHECK_STR(r->c.out, "");
    CHECK_STR(r->c.err,
              "fixed-layout-build: b.cfg (b): booting the image: xc_dom_boot_image: Invalid argument; "
              "the guests built before it were destroyed: domain 1 (a)\n");
    CHECK(logged(r->f, "xc_domain_destroy domid=1") && logged(r->f, "xc_domain_destroy domid=2"),
          "the first two domains were not destroyed");
    CHECK(count(r->f, "xc_domain_create") == 2 && nr_domains(r->f) == 0, "creates %u, %u domains left",
          count(r->f, "xc_domain_create"), nr_domains(r->f));
    CHECK(fake_xs_count(r->f, "/local/domain/1") == 0 && fake_xs_count(r->f, "/local/domain/2") == 0 &&
              fake_xs_count(r->f, "/vm") == 1 /* the directory itself, as on any host */,
          "xenstore nodes left: %zu %zu %zu", fake_xs_count(r->f, "/local/domain/1"),
          fake_xs_count(r->f, "/local/domain/2"), fake_xs_count(r->f, "/vm"));
    CHECK(!r->fleet.detach && !r->g[0].built && !r->g[1].built && !r->g[2].built,
          "a guest still counts as built");
    CHECK(r->f->watches == 0, "the monitor's watch was left");
    teardown(r);
}

/* The second guest cannot be planned (its layout is past the address space): refused before any
 * guest is built, naming that guest; status 2, nothing on stdout. */
static void test_plan_fails(void)
{
    struct run *r = setup(3);

    r->cfg[1].foreign_region_mib = UINT64_C(1) << 40;
    run_live(r);
    CHECK(r->c.status == EXIT_USAGE, "plan fails: status %d", r->c.status);
    CHECK_STR(r->c.out, "");
    CHECK(strstr(r->c.err, "fixed-layout-build: b.cfg (b): foreign_region_mib: ") == r->c.err &&
              strchr(r->c.err, '\n') == r->c.err + strlen(r->c.err) - 1,
          "plan fails: stderr '%s'", r->c.err);
    CHECK(count(r->f, "xc_domain_create") == 0 && nr_domains(r->f) == 0 && r->f->watches == 0,
          "plan fails: something was built");
    teardown(r);
}

/* The second guest's name is taken by a domain that runs already: status 2, the first guest destroyed. */
static void test_name_taken(void)
{
    struct run *r = setup(3);

    fake_xs_set(r->f, "/local/domain/7/name", "b");
    run_live(r);
    CHECK(r->c.status == EXIT_USAGE, "name taken: status %d", r->c.status);
    CHECK_STR(r->c.out, "");
    CHECK(strstr(r->c.err, "fixed-layout-build: b.cfg (b): ") == r->c.err &&
              strstr(r->c.err, "name 'b' is already used by domain 7") &&
              strstr(r->c.err, "; the guests built before it were destroyed: domain 1 (a)\n") &&
              strchr(r->c.err, '\n') == r->c.err + strlen(r->c.err) - 1,
          "name taken: stderr '%s'", r->c.err);
    CHECK(count(r->f, "xc_domain_create") == 1 && logged(r->f, "xc_domain_destroy domid=1") &&
              nr_domains(r->f) == 0,
          "name taken: creates %u, %u domains left", count(r->f, "xc_domain_create"), nr_domains(r->f));
    teardown(r);
}

/* The name checks read the names of the run's earlier guests no more: the run gave them. */
static void test_names_read_once(void)
{
    struct run *r = setup(3);
    unsigned read_a = 0, read_b = 0;

    run_live(r);
    CHECK(r->c.status == EXIT_OK, "names read once: status %d: %s", r->c.status, r->c.err);
    for (size_t i = 0; i < r->f->nr_lines; i++) {
        read_a += !strncmp(r->f->lines[i], "  /local/domain/1/name ->", 25);
        read_b += !strncmp(r->f->lines[i], "  /local/domain/2/name ->", 25);
    }
    CHECK(read_a == 0 && read_b == 0, "names read once: the run's guests' names read %u and %u times", read_a,
          read_b);
    CHECK(count(r->f, "xs_directory /local/domain") == 3, "names read once: %u directory reads",
          count(r->f, "xs_directory /local/domain"));
    teardown(r);
}

/* --keep-going: the failed guest says why, the others are built, reported, and left for the monitor. */
static void test_keep_going(void)
{
    struct run *r = setup(3);
    struct fail_nth x = {"xc_dom_boot_image", 2, 0};

    r->opts.keep_going = true;
    r->f->hook = fail_nth;
    r->f->hook_arg = &x;
    run_live(r);
    CHECK(r->c.status == EXIT_FAILURE_OTHER, "keep going: status %d", r->c.status);
    CHECK_STR(r->c.out, "created domain 1 (a)\ncreated domain 3 (c)\n");
    CHECK_STR(r->c.err,
              "fixed-layout-build: b.cfg (b): booting the image: xc_dom_boot_image: Invalid argument\n");
    CHECK(exists(r->f, 1) && !exists(r->f, 2) && exists(r->f, 3) && nr_domains(r->f) == 2,
          "keep going: %u domains", nr_domains(r->f));
    CHECK(r->fleet.detach && r->g[0].built && !r->g[1].built && r->g[2].built,
          "keep going: the monitor's guests");
    CHECK(r->g[0].status == EXIT_OK && r->g[1].status == EXIT_FAILURE_OTHER && r->g[2].status == EXIT_OK,
          "keep going: statuses %d %d %d", r->g[0].status, r->g[1].status, r->g[2].status);
    teardown(r);
}

/* The first failure in command-line order is the status: a taken name (2) before a failed call (1). */
static void test_keep_going_status(void)
{
    struct run *r = setup(3);
    struct fail_nth x = {"xc_dom_boot_image", 2, 0};

    r->opts.keep_going = true;
    fake_xs_set(r->f, "/local/domain/7/name", "a");
    r->f->hook = fail_nth;
    r->f->hook_arg = &x;
    run_live(r);
    /* a is refused by name before any image; b builds (the first image), c fails (the second). */
    CHECK(r->c.status == EXIT_USAGE, "keep going, two failures: status %d, stderr '%s'", r->c.status,
          r->c.err);
    CHECK_STR(r->c.out, "created domain 1 (b)\n");
    CHECK(nr_domains(r->f) == 1 && exists(r->f, 1), "keep going, two failures: %u domains", nr_domains(r->f));
    teardown(r);
}

/* A signal during the third build destroys every guest of the run, --keep-going or not. */
static void raise_at_third(struct fake *f, unsigned call, const char *line, void *arg)
{
    unsigned *creates = arg;

    (void)f;
    (void)call;
    if (!strncmp(line, "xc_domain_setmaxmem", 19) && ++*creates == 3)
        live_stop = SIGTERM;
}

static void test_signal(void)
{
    struct run *r = setup(3);
    unsigned creates = 0;

    r->opts.keep_going = true;
    r->f->hook = raise_at_third;
    r->f->hook_arg = &creates;
    live_stop = 0;
    run_live(r);
    live_stop = 0;
    CHECK(r->c.status == EXIT_FAILURE_OTHER, "signal: status %d", r->c.status);
    CHECK_STR(r->c.out, "");
    CHECK(strstr(r->c.err, "fixed-layout-build: c.cfg (c): interrupted before ") == r->c.err &&
              strstr(r->c.err, "; the guests built before it were destroyed: domain 1 (a), domain 2 (b)\n"
                               "fixed-layout-build: interrupted by signal 15: nothing was left behind\n"),
          "signal: stderr '%s'", r->c.err);
    CHECK(nr_domains(r->f) == 0 && logged(r->f, "xc_domain_destroy domid=1") &&
              logged(r->f, "xc_domain_destroy domid=2") && logged(r->f, "xc_domain_destroy domid=3"),
          "signal: %u domains left", nr_domains(r->f));
    teardown(r);
}

/* -F: the guests shut down as the monitor first looks: a crashes, b powers off. */
static void shut_down_both(struct fake *f, unsigned call, const char *line, void *arg)
{
    bool *done = arg;

    (void)call;
    if (*done || strncmp(line, "xc_domain_getinfo", 17))
        return;
    *done = true;
    /* b is the domain made last; a is the one it outlived. */
    f->others[0].state = (struct flb_domain_state){.shutdown = true, .shutdown_reason = SHUTDOWN_crash};
    f->state = (struct flb_domain_state){.shutdown = true, .shutdown_reason = SHUTDOWN_poweroff};
}

static void test_wait(void)
{
    struct run *r = setup(2);
    bool done = false;

    r->opts.wait = true;
    r->f->hook = shut_down_both;
    r->f->hook_arg = &done;
    run_live(r);
    CHECK(r->c.status == EXIT_GUEST_CRASHED, "-F: status %d, stderr '%s'", r->c.status, r->c.err);
    CHECK_STR(r->c.out, "created domain 1 (a)\ncreated domain 2 (b)\n");
    CHECK_STR(r->c.err, "fixed-layout-build: domain 1 (a) crashed: destroyed\n");
    CHECK(nr_domains(r->f) == 0 && r->g[0].status == EXIT_GUEST_CRASHED && r->g[1].status == EXIT_OK,
          "-F: %u domains, statuses %d %d", nr_domains(r->f), r->g[0].status, r->g[1].status);
    CHECK(!r->fleet.detach && r->f->watches == 0, "-F: detach %d, watches %u", r->fleet.detach,
          r->f->watches);
    teardown(r);
}

/* -F --timeout: one deadline for all; every guest still running is destroyed, each with 124. */
static void test_timeout(void)
{
    struct run *r = setup(2);

    r->opts.wait = true;
    r->opts.timeout_s = 1;
    r->opts.format = CLI_FORMAT_JSON;
    run_live(r);
    CHECK(r->c.status == EXIT_TIMEOUT, "timeout: status %d", r->c.status);
    CHECK_STR(r->c.err, "fixed-layout-build: timeout: domain 1 (a) still running after 1 s, destroying it\n"
                        "fixed-layout-build: timeout: domain 2 (b) still running after 1 s, destroying it\n");
    /* Two created records, then two ended ones, one line each. */
    CHECK(count_lines(r->c.out) == 4 && strstr(r->c.out, "\"event\":\"created\",\"domid\":1,") &&
              strstr(r->c.out, "\"event\":\"created\",\"domid\":2,") &&
              strstr(r->c.out, "\"event\":\"ended\",\"domid\":2,\"name\":\"b\",\"outcome\":\"timeout\""),
          "timeout: records '%.300s'", r->c.out);
    CHECK(nr_domains(r->f) == 0, "timeout: %u domains left", nr_domains(r->f));
    teardown(r);
}

int main(void)
{
    test_all_built();
    test_all_or_nothing();
    test_plan_fails();
    test_name_taken();
    test_names_read_once();
    test_keep_going();
    test_keep_going_status();
    test_signal();
    test_wait();
    test_timeout();
    return check_summary();
}
