/* seclabel, init_seclabel and driver_domain against the recording fake: the calls and nodes libxl makes. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sequence_run.h"

/* init_seclabel at creation, seclabel once the domain is complete and before it runs. */
static void test_two_labels(void)
{
    struct fake *f = fake_new(true);
    struct run r;
    char line[512];
    int at, relabel;

    f->flask_enabled = true;
    run_setup(&r, false);
    r.cfg.init_seclabel = "system_u:system_r:domU_t";
    r.cfg.seclabel = "system_u:system_r:nomigrate_t";
    plan_for(&r.cfg, &r.plan);
    run_build(f, &r);
    CHECK(r.rc == 0, "%s", r.err.msg);
    at = fake_find_line(f, "xc_flask_context_to_sid ", 0, line, sizeof(line));
    CHECK_STR(line, "xc_flask_context_to_sid system_u:system_r:domU_t -> sid 40");
    CHECK(fake_find_line(f, "xc_flask_context_to_sid ", at + 1, line, sizeof(line)) == at + 1);
    CHECK_STR(line, "xc_flask_context_to_sid system_u:system_r:nomigrate_t -> sid 41");
    CHECK(fake_find_line(f, "xc_domain_create ", at, line, sizeof(line)) == at + 2, "labels before creation");
    CHECK(strstr(line, " ssidref=40 ") != NULL, "%s", line);
    relabel = fake_find_line(f, "xc_flask_relabel_domain ", at, line, sizeof(line));
    CHECK_STR(line, "xc_flask_relabel_domain domid=1 sid=41");
    CHECK(relabel > fake_find_line(f, "xc_dom_boot_image", 0, line, sizeof(line)),
          "after the domain is complete");
    CHECK(fake_find_line(f, "xc_domain_unpause ", 0, line, sizeof(line)) == relabel + 1,
          "just before it runs");
    /* The nodes and the introduction come before, as libxl does them: under the label of creation. */
    at = fake_find_line(f, "xs_introduce_send ", 0, line, sizeof(line));
    CHECK(at > 0 && at < relabel, "introduced before");
    CHECK(flb_teardown(&f->be, &r.res, &r.err) == 0, "%s", r.err.msg);
    run_teardown(&r);
    fake_free(f);
}

/* seclabel alone labels the domain at creation; no relabelling. */
static void test_one_label(void)
{
    struct fake *f = fake_new(true);
    struct run r;
    char line[512];

    f->flask_enabled = true;
    run_setup(&r, false);
    r.cfg.seclabel = "system_u:system_r:nomigrate_t";
    plan_for(&r.cfg, &r.plan);
    run_build(f, &r);
    CHECK(r.rc == 0, "%s", r.err.msg);
    CHECK(fake_find_line(f, "xc_domain_create ", 0, line, sizeof(line)) >= 0 && strstr(line, " ssidref=41 "),
          "%s", line);
    CHECK(fake_find_line(f, "xc_flask_relabel_domain", 0, line, sizeof(line)) < 0, "relabelled: %s", line);
    CHECK(flb_teardown(&f->be, &r.res, &r.err) == 0, "%s", r.err.msg);
    run_teardown(&r);
    fake_free(f);
}

/* Without FLASK, or with a label its policy lacks: exit status 2 naming the key; nothing is created. */
static void test_refused(void)
{
    static const struct {
        bool flask;
        const char *label, *want;
    } cases[] = {
        {false, "system_u:system_r:domU_t",
         "g.cfg:9: seclabel: this Xen has no XSM/FLASK to label the guest with (xl would build it "
         "unlabelled, "
         "with a warning): leave seclabel out, or boot Xen with flask=enforcing"},
        {true, "system_u:system_r:web_t",
         "g.cfg:9: seclabel: Xen's FLASK policy has no label 'system_u:system_r:web_t': name a label of the "
         "loaded policy"},
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct fake *f = fake_new(true);
        struct run r;
        char line[256];

        f->flask_enabled = cases[i].flask;
        run_setup(&r, false);
        r.cfg.seclabel = (char *)cases[i].label;
        plan_for(&r.cfg, &r.plan);
        snprintf(r.plan.domain.create_label_at, sizeof(r.plan.domain.create_label_at), "g.cfg:9: ");
        run_build(f, &r);
        CHECK(r.rc == FLB_E_INPUT, "%d", r.rc);
        CHECK_STR(r.err.msg, cases[i].want);
        CHECK(fake_find_line(f, "xc_domain_create", 0, line, sizeof(line)) < 0, "created anyway");
        run_check_clean(f, "refused label");
        run_teardown(&r);
        fake_free(f);
    }
}

/* driver_domain: the guest's own libxl and device-model directories, which it may write. */
static void test_driver_domain(void)
{
    for (int on = 0; on <= 1; on++) {
        struct fake *f = fake_new(true);
        struct run r;
        char line[256];

        run_setup(&r, false);
        r.cfg.driver_domain = on;
        plan_for(&r.cfg, &r.plan);
        run_build(f, &r);
        CHECK(r.rc == 0, "%s", r.err.msg);
        /* In the build's one batch of nodes, a line of its own each under xs_write_send. */
        fake_find_line(f, "  /local/domain/1/libxl ", 0, line, sizeof(line));
        CHECK_STR(line, on ? "  /local/domain/1/libxl \"\" owner=1 reader=1" : "");
        fake_find_line(f, "  /local/domain/1/device-model ", 0, line, sizeof(line));
        CHECK_STR(line, on ? "  /local/domain/1/device-model \"\" owner=1 reader=1" : "");
        CHECK(flb_teardown(&f->be, &r.res, &r.err) == 0, "%s", r.err.msg);
        run_teardown(&r);
        fake_free(f);
    }
}

int main(void)
{
    test_two_labels();
    test_one_label();
    test_refused();
    test_driver_domain();
    return check_summary();
}
