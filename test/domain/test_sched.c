/* cpus, cpus_soft, cpu_weight and cap against the recording fake: the calls libxl makes, in its order. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/affinity.h"
#include "sequence_run.h"

static void add(struct flb_affinity *a, const char *text)
{
    char why[200];

    CHECK(flb_affinity_add(a, text, why, sizeof(why)) == 0, "%s: %s", text, why);
}

/* Three vCPUs: a hard string for all, soft entries for the first two; weight and cap on credit2. */
static void setup(struct run *r, struct flb_affinity *hard, struct flb_affinity *soft)
{
    run_setup(r, false);
    r->cfg.maxvcpus = r->cfg.vcpus = 3;
    *hard = (struct flb_affinity){0};
    *soft = (struct flb_affinity){.per_vcpu = true};
    add(hard, "all,^1");
    add(soft, "nodes:1");
    add(soft, "0");
    r->cfg.cpus = *hard;
    r->cfg.cpus_soft = *soft;
    r->cfg.cpu_weight = 512;
    r->cfg.cap = 150;
    plan_for(&r->cfg, &r->plan);
}

static void test_calls_in_order(void)
{
    struct fake *f = fake_new(true);
    struct flb_affinity hard, soft;
    struct run r;
    char line[512];
    int at;

    setup(&r, &hard, &soft);
    run_build(f, &r);
    CHECK(r.rc == 0, "%s", r.err.msg);
    at = fake_find_line(f, "xc_domain_max_vcpus ", 0, line, sizeof(line));
    CHECK(fake_find_line(f, "xc_cputopoinfo", at, line, sizeof(line)) == at + 1,
          "topology after the vcpu limit");
    CHECK_STR(line, "xc_cputopoinfo -> 4 cpus");
    CHECK(fake_find_line(f, "xc_vcpu_setaffinity ", at, line, sizeof(line)) == at + 2);
    CHECK_STR(line, "xc_vcpu_setaffinity domid=1 vcpu=0 hard=0,2-3 soft=2-3");
    CHECK(fake_find_line(f, "xc_vcpu_setaffinity ", at + 3, line, sizeof(line)) == at + 3);
    CHECK_STR(line, "xc_vcpu_setaffinity domid=1 vcpu=1 hard=0,2-3 soft=0");
    /* No soft entry for vCPU 2: only its hard map is given. */
    CHECK(fake_find_line(f, "xc_vcpu_setaffinity ", at + 4, line, sizeof(line)) == at + 4);
    CHECK_STR(line, "xc_vcpu_setaffinity domid=1 vcpu=2 hard=0,2-3 soft=-");
    CHECK(fake_find_line(f, "xc_domain_setmaxmem ", at, line, sizeof(line)) == at + 5,
          "then the memory limit");

    at = fake_find_line(f, "xc_cpupool_getinfo ", 0, line, sizeof(line));
    CHECK_STR(line, "xc_cpupool_getinfo domid=1 -> credit2");
    CHECK(at > fake_find_line(f, "xc_dom_boot_image", 0, line, sizeof(line)), "scheduling after the image");
    CHECK(fake_find_line(f, "xc_sched_credit2_domain_get ", at, line, sizeof(line)) == at + 1);
    CHECK(fake_find_line(f, "xc_sched_credit2_domain_set ", at, line, sizeof(line)) == at + 2);
    CHECK_STR(line, "xc_sched_credit2_domain_set domid=1 weight=512 cap=150");
    /* Before the guest runs: the ring references, the nodes' answers, the introduction, the unpause. */
    CHECK(fake_find_line(f, "xs_write_send 2 nodes", at, line, sizeof(line)) == at + 3,
          "before the ring references");
    CHECK(fake_find_line(f, "xc_domain_unpause ", at, line, sizeof(line)) > at + 3, "before the unpause");
    CHECK(flb_teardown(&f->be, &r.res, &r.err) == 0, "%s", r.err.msg);
    flb_affinity_free(&hard);
    flb_affinity_free(&soft);
    run_teardown(&r);
    fake_free(f);
}

/* The credit scheduler too; a weight alone keeps the cap Xen gave the domain. */
static void test_credit_keeps_unset(void)
{
    struct fake *f = fake_new(true);
    struct run r;
    char line[256];

    run_setup(&r, false);
    r.cfg.cpu_weight = 64;
    plan_for(&r.cfg, &r.plan);
    f->scheduler = "credit";
    f->sched_cap = 30;
    run_build(f, &r);
    CHECK(r.rc == 0, "%s", r.err.msg);
    CHECK(fake_find_line(f, "xc_sched_credit_domain_set ", 0, line, sizeof(line)) > 0);
    CHECK_STR(line, "xc_sched_credit_domain_set domid=1 weight=64 cap=30");
    CHECK(fake_find_line(f, "xc_cputopoinfo", 0, line, sizeof(line)) < 0, "no affinity asked, none set");
    CHECK(flb_teardown(&f->be, &r.res, &r.err) == 0, "%s", r.err.msg);
    run_teardown(&r);
    fake_free(f);
}

/* What the host decides is the config's to fix (exit status 2), with no domain left behind. */
static void test_host_refuses(void)
{
    struct fake *f = fake_new(true);
    struct flb_affinity hard = {0};
    struct run r;

    run_setup(&r, false);
    add(&hard, "8-9");
    r.cfg.cpus = hard;
    plan_for(&r.cfg, &r.plan);
    snprintf(r.plan.domain.hard_affinity_at, sizeof(r.plan.domain.hard_affinity_at), "g.cfg:7: ");
    run_build(f, &r);
    CHECK(r.rc == FLB_E_INPUT, "%d", r.rc);
    CHECK_STR(r.err.msg,
              "g.cfg:7: cpus: vCPU 0 would run on no CPU of this host, whose CPUs are 0-3: name CPUs "
              "or nodes the host has");
    run_check_clean(f, "empty hard affinity");
    flb_affinity_free(&hard);
    run_teardown(&r);
    fake_free(f);

    f = fake_new(true);
    run_setup(&r, false);
    r.cfg.cap = 50;
    plan_for(&r.cfg, &r.plan);
    snprintf(r.plan.domain.sched_at, sizeof(r.plan.domain.sched_at), "g.cfg:8: ");
    f->scheduler = "rtds";
    run_build(f, &r);
    CHECK(r.rc == FLB_E_INPUT, "%d", r.rc);
    CHECK_STR(r.err.msg,
              "g.cfg:8: cap: the domain's cpupool runs the rtds scheduler, which has no weight or cap: "
              "leave cpu_weight and cap out, or build in a pool that runs credit or credit2");
    run_check_clean(f, "another scheduler");
    run_teardown(&r);
    fake_free(f);
}

/*
 * Every call of a build that uses every step this file and the labels add fails in turn: the build stops
 * with a message naming the call, and nothing is left behind.
 */
static void test_each_call_fails(void)
{
    struct fake *f = fake_new(true);
    struct flb_affinity hard, soft;
    struct run r;
    unsigned total;

    f->flask_enabled = true;
    setup(&r, &hard, &soft);
    r.cfg.init_seclabel = "system_u:system_r:domU_t";
    r.cfg.seclabel = "system_u:system_r:nomigrate_t";
    r.cfg.rtc_timeoffset = "60";
    plan_for(&r.cfg, &r.plan);
    run_build(f, &r);
    total = f->calls;
    CHECK(r.rc == 0, "baseline: %s", r.err.msg);
    CHECK(flb_teardown(&f->be, &r.res, &r.err) == 0, "%s", r.err.msg);
    fake_free(f);
    for (unsigned n = 1; n <= total; n++) {
        char what[64];

        f = fake_new(true);
        f->flask_enabled = true;
        f->fail_at = n;
        run_build(f, &r);
        snprintf(what, sizeof(what), "call %u of %u fails", n, total);
        /* A label Xen cannot turn into a SID is the config's to fix; every other failure is the host's. */
        CHECK(r.rc == FLB_E_SYSTEM || (r.rc == FLB_E_INPUT && strstr(r.err.msg, "seclabel")),
              "%s: status %d (%s)", what, r.rc, r.err.msg);
        run_check_clean(f, what);
        fake_free(f);
    }
    flb_affinity_free(&hard);
    flb_affinity_free(&soft);
    run_teardown(&r);
}

int main(void)
{
    test_calls_in_order();
    test_credit_keeps_unset();
    test_host_refuses();
    test_each_call_fails();
    return check_summary();
}
