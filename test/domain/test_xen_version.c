/*
 * The live run refuses a hypervisor older than the Xen libraries it was built with: one line on
 * stderr, exit status 1, nothing on stdout and nothing created. A newer or equal one builds.
 * Runs the command's own live path (cmd/live_build.c) on the recording fake.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "live_capture.h"
#include "test_util.h"

/* One guest, as a single config's run. */
static void run_live(struct fake *f, const struct cli_opts *opts, const struct flb_config *cfg,
                     struct captured *c)
{
    static struct live_guest guest;
    struct live_fleet fleet = {.g = &guest, .n = 1};

    live_capture(f, opts, cfg, &fleet, c);
}

static bool logged(const struct fake *f, const char *call)
{
    for (size_t i = 0; i < f->nr_lines; i++)
        if (!strncmp(f->lines[i], call, strlen(call)))
            return true;
    return false;
}

static void setup(struct cli_opts *opts, struct flb_config *cfg)
{
    static char kernel[4096];

    if (!kernel[0]) {
        snprintf(kernel, sizeof(kernel), "%s", scratch_path("pvh-kernel"));
        make_elf_kernel(kernel, true, 0);
    }
    memset(opts, 0, sizeof(*opts));
    config_worked_example(cfg, kernel);
}

/* An older Xen: refused before the grant query, the plan, --dump-tables or any domain call. */
static void test_older(unsigned major, unsigned minor)
{
    struct fake *f = fake_new(true);
    struct cli_opts opts;
    struct flb_config cfg;
    struct captured c;
    struct stat st;
    char want[512], first[64], dump[4096];

    setup(&opts, &cfg);
    snprintf(dump, sizeof(dump), "%s/dump-%u.%u", scratch_dir(), major, minor);
    opts.dump_dir = dump;
    f->xen_major = major;
    f->xen_minor = minor;
    run_live(f, &opts, &cfg, &c);
    snprintf(
        want, sizeof(want),
        "fixed-layout-build: the hypervisor is Xen %u.%u, older than the Xen %u.%u libraries this binary "
        "was built with: boot Xen %u.%u or later, or rebuild against the host's libraries\n",
        major, minor, FLB_XEN_BUILT_MAJOR, FLB_XEN_BUILT_MINOR, FLB_XEN_BUILT_MAJOR, FLB_XEN_BUILT_MINOR);
    CHECK(c.status == EXIT_FAILURE_OTHER, "Xen %u.%u: exit status %d", major, minor, c.status);
    CHECK_STR(c.err, want);
    CHECK(c.out[0] == '\0', "Xen %u.%u: stdout '%s'", major, minor, c.out);
    snprintf(first, sizeof(first), "xc_version XENVER_version -> %u.%u", major, minor);
    CHECK(f->nr_lines == 1 && !strcmp(f->lines[0], first),
          "Xen %u.%u: calls beyond the version: %zu, first '%s'", major, minor, f->nr_lines,
          f->nr_lines ? f->lines[0] : "");
    CHECK(!logged(f, "xc_domain_create") && !f->domain_exists && f->next_domid == 1,
          "Xen %u.%u: a domain was created", major, minor);
    CHECK(stat(dump, &st) != 0 && errno == ENOENT, "Xen %u.%u: --dump-tables wrote %s", major, minor, dump);
    CHECK(fake_xs_count(f, "/local/domain/1") == 0 && fake_xs_count(f, "/vm") == 0,
          "Xen %u.%u: xenstore nodes written", major, minor);
    fake_free(f);
}

/* The same release or a newer one: the build goes on and the guest is reported. */
static void test_allowed(unsigned major, unsigned minor)
{
    struct fake *f = fake_new(true);
    struct cli_opts opts;
    struct flb_config cfg;
    struct captured c;

    setup(&opts, &cfg);
    f->xen_major = major;
    f->xen_minor = minor;
    run_live(f, &opts, &cfg, &c);
    CHECK(c.status == EXIT_OK, "Xen %u.%u: exit status %d, stderr '%s'", major, minor, c.status, c.err);
    CHECK_STR(c.out, "created domain 1 (example)\n");
    CHECK(c.err[0] == '\0', "Xen %u.%u: stderr '%s'", major, minor, c.err);
    CHECK(f->nr_lines > 1 && !strncmp(f->lines[0], "xc_version XENVER_version", 25),
          "Xen %u.%u: the version was not asked first", major, minor);
    CHECK(logged(f, "xc_domain_create") && f->domain_exists && f->unpaused, "Xen %u.%u: no running domain",
          major, minor);
    fake_free(f);
}

/* A version query that fails names the call, and nothing else is asked. */
static void test_query_fails(void)
{
    struct fake *f = fake_new(true);
    struct cli_opts opts;
    struct flb_config cfg;
    struct captured c;

    setup(&opts, &cfg);
    f->fail_at = 1;
    f->fail_errno = EPERM;
    run_live(f, &opts, &cfg, &c);
    CHECK(c.status == EXIT_FAILURE_OTHER, "exit status %d", c.status);
    CHECK_STR(c.err, "fixed-layout-build: asking Xen for its version: xc_version: Operation not permitted\n");
    CHECK(c.out[0] == '\0' && f->calls == 1 && !f->domain_exists, "went on after a failed query");
    fake_free(f);
}

int main(void)
{
    /* One release back, within the major and across it. */
    if (FLB_XEN_BUILT_MINOR > 0)
        test_older(FLB_XEN_BUILT_MAJOR, FLB_XEN_BUILT_MINOR - 1);
    test_older(FLB_XEN_BUILT_MAJOR - 1, 99);
    test_allowed(FLB_XEN_BUILT_MAJOR, FLB_XEN_BUILT_MINOR);
    test_allowed(FLB_XEN_BUILT_MAJOR, FLB_XEN_BUILT_MINOR + 1);
    test_allowed(FLB_XEN_BUILT_MAJOR + 1, 0);
    test_query_fails();
    return check_summary();
}
