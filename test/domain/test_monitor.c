/* The monitor against the recording fake: every reason x action, restarts from the same plan, a failed
 * restart. */
#include <ctype.h>
#include <regex.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xen/xen.h>
#include <xen/sched.h>

#include "domain/monitor.h"
#include "fake_backend.h"
#include "test_util.h"
#include "wait_script.h"

static const struct {
    unsigned code;
    const char *name;
} reasons[] = {
    {SHUTDOWN_poweroff, "poweroff"}, {SHUTDOWN_reboot, "reboot"},         {SHUTDOWN_crash, "crash"},
    {SHUTDOWN_watchdog, "watchdog"}, {SHUTDOWN_soft_reset, "soft_reset"}, {SHUTDOWN_suspend, "suspend"},
    {SHUTDOWN_MAX + 2, "other"},
};

#define VM_PATH "/vm/5eed0001-0203-4405-8607-08090a0b0c0d"

static const enum flb_action actions[] = {FLB_ACTION_DESTROY, FLB_ACTION_RESTART, FLB_ACTION_RENAME_RESTART,
                                          FLB_ACTION_PRESERVE};

/* Every key destroy, but the one of code, which gets a. */
static void set_action(struct flb_plan *plan, unsigned code, enum flb_action a)
{
    struct flb_plan_lifecycle *lc = &plan->lifecycle;

    *lc = (struct flb_plan_lifecycle){FLB_ACTION_DESTROY, FLB_ACTION_DESTROY, FLB_ACTION_DESTROY,
                                      FLB_ACTION_DESTROY, FLB_ACTION_DESTROY};
    switch (code) {
    case SHUTDOWN_poweroff: lc->on_poweroff = a; break;
    case SHUTDOWN_reboot: lc->on_reboot = a; break;
    case SHUTDOWN_crash: lc->on_crash = a; break;
    case SHUTDOWN_watchdog: lc->on_watchdog = a; break;
    case SHUTDOWN_soft_reset: lc->on_soft_reset = a; break;
    default: break; /* no key: suspend and unknown reasons have their own rule */
    }
}

/* What xl does with a reason: its key's action; a suspend left alone; an unknown reason destroyed. */
static enum flb_action expected(unsigned code, enum flb_action a)
{
    if (code == SHUTDOWN_suspend)
        return FLB_ACTION_LEAVE;
    if (code > SHUTDOWN_soft_reset)
        return FLB_ACTION_DESTROY;
    return a;
}

static bool is_preserved_name(const char *s)
{
    regex_t re;
    bool ok;

    regcomp(&re, "^example-[0-9]{8}T[0-9]{4}Z$", REG_EXTENDED | REG_NOSUB);
    ok = s && regexec(&re, s, 0, NULL, 0) == 0;
    regfree(&re);
    return ok;
}

static void check_kept(struct run *r, const char *what, const char *name)
{
    CHECK(!r->res.created || r->res.domid != 1, "%s: domain 1 still counted ours", what);
    CHECK(r->f->domain_exists ? r->f->domid == 1 : r->f->nr_others == 1, "%s: domain 1 is gone", what);
    CHECK(fake_xs_get(r->f, "/local/domain/1/name") &&
              !strcmp(fake_xs_get(r->f, "/local/domain/1/name"), name),
          "%s: domain 1 is named '%s'", what, fake_xs_get(r->f, "/local/domain/1/name"));
}

/* One reason, one action: the monitor's part of the decision table. */
static void one_case(unsigned code, const char *rname, enum flb_action a)
{
    enum flb_action want = expected(code, a);
    unsigned second = code == SHUTDOWN_poweroff ? SHUTDOWN_crash : SHUTDOWN_poweroff;
    struct run r;
    char what[96];

    snprintf(what, sizeof(what), "%s x %s", rname, flb_action_name(a));
    start_built(&r, false);
    set_action(&r.plan, code, a);
    r.s.shutdowns[0].at = 1;
    r.s.shutdowns[0].reason = code;
    r.s.shutdowns[1].at = 2; /* the restarted guest powers off (or crashes), which destroys it */
    r.s.shutdowns[1].reason = second;
    monitor(&r);
    CHECK(r.rc == 0 && r.out.outcome == FLB_WAIT_SHUTDOWN, "%s: %d, outcome %d: %s", what, r.rc,
          r.out.outcome, r.err.msg);
    CHECK(r.e.n >= 1 && r.e.ev[0].kind == FLB_MONITOR_SHUTDOWN && r.e.ev[0].action == want &&
              r.e.ev[0].xen_reason == code && r.e.ev[0].domid == 1,
          "%s: first event %d, action %d", what, r.e.ev[0].kind, r.e.ev[0].action);
    switch (want) {
    case FLB_ACTION_DESTROY:
        CHECK(r.e.n == 1 && r.out.action == FLB_ACTION_DESTROY && r.out.xen_reason == code, "%s: %u events",
              what, r.e.n);
        check_ended(&r, what, 1);
        CHECK(fake_xs_count(r.f, "/local/domain/1") == 0 && fake_xs_count(r.f, VM_PATH) == 0,
              "%s: nodes left", what);
        break;
    case FLB_ACTION_PRESERVE:
    case FLB_ACTION_LEAVE:
        CHECK(r.e.n == 1 && r.out.action == want && r.f->destroys == 0, "%s: %u events, %u destroys", what,
              r.e.n, r.f->destroys);
        CHECK(r.f->domain_exists && r.f->state.shutdown && r.f->state.shutdown_reason == code,
              "%s: not kept as it stopped", what);
        check_kept(&r, what, "example");
        break;
    case FLB_ACTION_RESTART:
        CHECK(r.e.n == 3 && r.e.ev[1].kind == FLB_MONITOR_RESTARTED && r.e.ev[1].new_domid == 2 &&
                  r.e.ev[2].kind == FLB_MONITOR_SHUTDOWN && r.e.ev[2].domid == 2,
              "%s: %u events", what, r.e.n);
        CHECK(r.out.restarts == 1 && r.out.domid == 2 && r.out.xen_reason == second,
              "%s: %u restarts, domain %u", what, r.out.restarts, r.out.domid);
        check_ended(&r, what, 2);
        CHECK(fake_xs_count(r.f, "/local/domain") == fake_xs_count(r.f, "/local/domain/0") + 1,
              "%s: nodes left", what);
        break;
    case FLB_ACTION_RENAME_RESTART:
        CHECK(r.e.n == 4 && r.e.ev[1].kind == FLB_MONITOR_PRESERVED &&
                  is_preserved_name(r.e.ev[1].new_name) && r.e.ev[2].kind == FLB_MONITOR_RESTARTED &&
                  r.e.ev[2].new_domid == 2,
              "%s: %u events", what, r.e.n);
        CHECK(r.out.restarts == 1 && r.f->destroys == 1 && r.f->nr_others == 1,
              "%s: %u restarts, %u destroys", what, r.out.restarts, r.f->destroys);
        /* Kept under a new UUID and name; the restarted guest has the old ones. */
        CHECK(memcmp(r.f->others[0].handle, script_uuid, 16) && !memcmp(r.f->handle, script_uuid, 16),
              "%s: handles", what);
        check_kept(&r, what, r.e.ev[1].new_name);
        CHECK(fake_xs_count(r.f, "/local/domain/2") == 0, "%s: domain 2's nodes left", what);
        break;
    }
    finish(&r);
}

static void test_decisions(void)
{
    for (size_t i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++)
        for (size_t j = 0; j < sizeof(actions) / sizeof(actions[0]); j++)
            one_case(reasons[i].code, reasons[i].name, actions[j]);
}

/* The domain's id (after "domid=", "domid ", "reader=") made N, a port "=<n>@" made "=P@": what differs by
 * build. */
static void normalize(const char *l, char *out, size_t len)
{
    static const char *const ids[] = {"domid=", "domid ", "reader="};
    size_t n = 0;

    while (*l && n + 8 < len) {
        const char *e = l + 1;
        size_t k;

        for (k = 0; k < 3 && strncmp(l, ids[k], strlen(ids[k])); k++)
            ;
        if (k < 3) {
            n += (size_t)snprintf(out + n, len - n, "%sN", ids[k]);
            for (l += strlen(ids[k]); isdigit((unsigned char)*l); l++)
                ;
            continue;
        }
        while (*l == '=' && isdigit((unsigned char)*e))
            e++;
        if (*l == '=' && e > l + 1 && *e == '@') {
            n += (size_t)snprintf(out + n, len - n, "=P");
            l = e;
            continue;
        }
        out[n++] = *l++;
    }
    out[n] = '\0';
}

/* The which-th build's lines that carry the layout and the guest's identity, normalized. */
static char *build_lines(const struct fake *f, unsigned which)
{
    static const char *const carry[] = {"xc_domain_create", "xc_domain_setmaxmem", "xc_domain_set_memory_map",
                                        "xc_dom_image",     "xc_dom_allocate",     "xc_domain_add_to_physmap",
                                        "  /vm/",           "xc_hvm_param_set"};
    size_t len = 1, n = 0;
    unsigned builds = 0;
    char *out, line[1200];

    for (size_t i = 0; i < f->nr_lines; i++)
        len += strlen(f->lines[i]) + 1;
    out = calloc(1, len);
    for (size_t i = 0; i < f->nr_lines; i++) {
        builds += !strncmp(f->lines[i], "xc_domain_create", 16);
        if (builds != which)
            continue;
        for (size_t k = 0; k < sizeof(carry) / sizeof(carry[0]); k++)
            if (!strncmp(f->lines[i], carry[k], strlen(carry[k]))) {
                normalize(f->lines[i], line, sizeof(line));
                n += (size_t)sprintf(out + n, "%s\n", line);
            }
    }
    return out;
}

/* A reboot restarts the guest from the same plan: the golden call log, and the two builds' layouts equal. */
static void test_restart_same_plan(void)
{
    struct run r;
    char *log, *first, *second;

    start_built(&r, true);
    r.s.shutdowns[0].at = 1;
    r.s.shutdowns[0].reason = SHUTDOWN_reboot;
    r.s.writes[0].at = 2;
    r.s.writes[0].buf = "again\n";
    r.s.writes[0].n = 6;
    r.s.shutdowns[1].at = 3;
    r.s.shutdowns[1].reason = SHUTDOWN_poweroff;
    monitor(&r);
    CHECK(r.out.outcome == FLB_WAIT_SHUTDOWN && r.out.restarts == 1 && r.out.reason == FLB_SHUTDOWN_POWEROFF,
          "outcome %d, %u restarts: %s", r.out.outcome, r.out.restarts, r.err.msg);
    CHECK(r.k.n == 6 && !memcmp(r.k.buf, "again\n", 6), "the restarted guest's console: '%.*s'", (int)r.k.n,
          r.k.buf);
    check_ended(&r, "restart", 2);
    log = fake_log_text(r.f);
    CHECK(golden_check("restart.log", log), "restart: golden call log");
    first = build_lines(r.f, 1);
    second = build_lines(r.f, 2);
    CHECK(strlen(first) > 1000 && !strcmp(first, second), "the restart's layout differs:\n%s\n--\n%s", first,
          second);
    free(first);
    free(second);
    free(log);
    finish(&r);
}

/* A restart whose build fails: said, with the step; nothing of the new domain left, the old one destroyed. */
static void fail_second_build_image(struct fake *f, unsigned call, const char *line, void *arg)
{
    static unsigned images;

    guest(f, call, line, arg);
    if (!strcmp(line, "xc_dom_build_image") && ++images == 1)
        f->fail_at = call;
}

static void test_restart_fails(void)
{
    struct run r;

    start_built(&r, false);
    r.f->hook = fail_second_build_image;
    r.s.shutdowns[0].at = 1;
    r.s.shutdowns[0].reason = SHUTDOWN_crash;
    r.plan.lifecycle.on_crash = FLB_ACTION_RESTART;
    monitor(&r);
    CHECK(r.rc == FLB_E_SYSTEM && r.out.outcome == FLB_WAIT_ERROR, "%d, outcome %d", r.rc, r.out.outcome);
    CHECK(!strcmp(r.err.msg, "restarting example (domain 1) after its crash: building the image: "
                             "xc_dom_build_image: Invalid argument"),
          "message: %s", r.err.msg);
    CHECK(r.e.n == 2 && r.e.ev[1].kind == FLB_MONITOR_RESTART_FAILED, "%u events", r.e.n);
    CHECK(r.out.shut_down && r.out.reason == FLB_SHUTDOWN_CRASH && r.out.restarts == 0, "reason %d",
          r.out.reason);
    CHECK(r.f->next_domid == 3, "no second domain was made");
    check_ended(&r, "restart fails", 2);
    CHECK(fake_xs_count(r.f, "/local/domain") == fake_xs_count(r.f, "/local/domain/0") + 1 &&
              fake_xs_count(r.f, VM_PATH) == 0 && fake_xs_count(r.f, "/libxl/2") == 0,
          "xenstore nodes left");
    finish(&r);
}

/* A stopped monitor of a restarting guest (-F, SIGTERM mid-build): the new domain is destroyed too. */
static void stop_in_restart(struct fake *f, unsigned call, const char *line, void *arg)
{
    struct script *s = arg;

    guest(f, call, line, arg);
    if (!strcmp(line, "xc_dom_boot_mem_init") && f->domid == 2)
        *s->stop = SIGTERM;
}

static void test_stop_in_restart(void)
{
    struct run r;

    start_built(&r, false);
    r.f->hook = stop_in_restart;
    r.breq.stop = &r.stop;
    r.s.shutdowns[0].at = 1;
    r.s.shutdowns[0].reason = SHUTDOWN_reboot;
    monitor(&r);
    CHECK(r.out.outcome == FLB_WAIT_ERROR && strstr(r.err.msg, "interrupted before setting the memory map"),
          "outcome %d: %s", r.out.outcome, r.err.msg);
    check_ended(&r, "stop in restart", 2);
    finish(&r);
}

/* Reboots in a row: a restart each, one domain at a time, nothing left at the end. */
static void test_many_restarts(void)
{
    struct run r;

    start_built(&r, false);
    r.s.noise_until = 0;
    for (unsigned i = 0; i < 4; i++) {
        r.s.shutdowns[i].at = i + 1;
        r.s.shutdowns[i].reason = i < 3 ? SHUTDOWN_reboot : SHUTDOWN_poweroff;
    }
    monitor(&r);
    CHECK(r.out.outcome == FLB_WAIT_SHUTDOWN && r.out.restarts == 3 && r.out.domid == 4,
          "%u restarts, domain %u", r.out.restarts, r.out.domid);
    CHECK(r.f->nr_others == 0, "%u domains outlived their restart", r.f->nr_others);
    check_ended(&r, "many restarts", 4);
    finish(&r);
}

int main(void)
{
    test_decisions();
    test_restart_same_plan();
    test_restart_fails();
    test_stop_in_restart();
    test_many_restarts();
    return check_summary();
}
