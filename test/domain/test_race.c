/* Builders in several processes against one shared fake xenstore: one name, one winner; many names, all
 * built. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "domain/build.h"
#include "fake_backend.h"
#include "test_util.h"

/* What a racing builder's exit status says. */
enum { BUILT = 0, NAME_TAKEN = 2, OTHER = 3 };

/* After the name check and before the name is written: the window a second builder would slip into. */
static void slow_create(struct fake *f, unsigned call, const char *line, void *arg)
{
    (void)f, (void)call, (void)arg;
    if (!strncmp(line, "xc_domain_create", 16))
        usleep(200000);
}

/* One builder, in its own process: its own fake, the shared xenstore and domain ids. */
static int builder(const char *store, const char *lock, const char *name, const char *kernel)
{
    static struct flb_plan plan;
    struct flb_build_request req;
    struct flb_build_result res;
    struct flb_error err = {{0}};
    struct flb_config cfg;
    struct fake *f = fake_new(true);
    int rc;

    fake_share(f, store);
    f->hook = slow_create;
    config_worked_example(&cfg, kernel);
    cfg.name = (char *)name;
    plan_for(&cfg, &plan);
    memset(&req, 0, sizeof(req));
    req.plan = &plan;
    req.use_xenstore = true;
    req.lock_path = lock;
    rc = flb_build(&f->be, &req, &res, &err);
    if (rc == FLB_E_INPUT && strstr(err.msg, "is already used by domain"))
        return NAME_TAKEN;
    if (rc)
        fprintf(stderr, "builder %s: %s\n", name, err.msg);
    /* The loser made nothing; the winner's domain stays, as a built guest does. */
    return rc ? OTHER : BUILT;
}

/* n builders at once, names[i] each; counts of each outcome. */
static void race(int n, const char *const *names, const char *store, const char *lock, int counts[4])
{
    static const char *kernel;
    struct fake *seed;
    pid_t pids[16];

    if (!kernel) {
        kernel = strdup(scratch_path("race-kernel"));
        make_elf_kernel(kernel, true, 0);
    }
    unlink(store);
    /* dom0's nodes are in the store before anyone races. */
    seed = fake_new(true);
    fake_share(seed, store);
    {
        struct flb_xs_write dom0 = {"/local/domain/0/name", "Domain-0", 0, 0};
        unsigned failed;

        if (seed->be.ops->xs_write_send(seed->be.ctx, &dom0, 1) == 0)
            seed->be.ops->xs_write_wait(seed->be.ctx, &failed);
    }
    fake_free(seed);
    memset(counts, 0, 4 * sizeof(int));
    for (int i = 0; i < n; i++) {
        pids[i] = fork();
        if (pids[i] == 0)
            _exit(builder(store, lock, names[i], kernel));
    }
    for (int i = 0; i < n; i++) {
        int status;

        waitpid(pids[i], &status, 0);
        counts[WIFEXITED(status) && WEXITSTATUS(status) <= 2 ? WEXITSTATUS(status) : OTHER]++;
    }
}

/* The domains the shared store names name. */
static int named(const char *store, const char *name)
{
    char line[512], want[300];
    FILE *in = fopen(store, "r");
    int n = 0;

    snprintf(want, sizeof(want), "\t%s\n", name);
    while (in && fgets(line, sizeof(line), in))
        n += !strncmp(line, "/local/domain/", 14) && strstr(line, "/name\t") && strstr(line, want);
    if (in)
        fclose(in);
    return n;
}

/* Two builders of one name at once: with the lock exactly one builds, the other is refused, naming it. */
static void test_one_name(bool locked)
{
    const char *names[] = {"race", "race"};
    const char *store = scratch_path("race-store");
    int counts[4];

    race(2, names, store, locked ? scratch_path("race-lock") : NULL, counts);
    if (locked) {
        CHECK(counts[BUILT] == 1 && counts[NAME_TAKEN] == 1 && counts[OTHER] == 0,
              "locked: %d built, %d refused, %d other", counts[BUILT], counts[NAME_TAKEN], counts[OTHER]);
        CHECK(named(store, "race") == 1, "locked: %d domains named race", named(store, "race"));
    } else {
        /* Without it both pass the check before either writes the name: the race the lock closes. */
        CHECK(counts[BUILT] == 2, "unlocked: %d built: the race did not happen", counts[BUILT]);
        CHECK(named(store, "race") == 2, "unlocked: %d domains named race", named(store, "race"));
    }
}

/* Eight builders of eight names at once: all built, eight domains, eight ids. */
static void test_eight_names(void)
{
    const char *names[] = {"g0", "g1", "g2", "g3", "g4", "g5", "g6", "g7"};
    const char *store = scratch_path("race-store8");
    int counts[4], total = 0;

    race(8, names, store, scratch_path("race-lock"), counts);
    CHECK(counts[BUILT] == 8, "%d of 8 built, %d refused, %d other", counts[BUILT], counts[NAME_TAKEN],
          counts[OTHER]);
    for (int i = 0; i < 8; i++)
        total += named(store, names[i]);
    CHECK(total == 8, "%d domains named", total);
}

/* Whether a write lock on path is held, as another process sees it (a process never sees its own). */
static bool held_seen_from_outside(const char *path)
{
    int status;
    pid_t pid = fork();

    if (pid == 0) {
        struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
        int fd = open(path, O_WRONLY);

        _exit(fd >= 0 && fcntl(fd, F_GETLK, &fl) == 0 && fl.l_type != F_UNLCK);
    }
    waitpid(pid, &status, 0);
    return WIFEXITED(status) && WEXITSTATUS(status) == 1;
}

struct span {
    const char *path;
    int at_directory, at_create, after_name; /* -1 not seen, else held (1) or not (0) */
};

static void watch_lock(struct fake *f, unsigned call, const char *line, void *arg)
{
    struct span *s = arg;

    (void)f, (void)call;
    if (!strncmp(line, "xs_directory /local/domain", 26))
        s->at_directory = held_seen_from_outside(s->path);
    else if (!strncmp(line, "xc_domain_create", 16))
        s->at_create = held_seen_from_outside(s->path);
    else if (!strncmp(line, "xc_domain_max_vcpus", 19))
        s->after_name = held_seen_from_outside(s->path);
}

/* The lock spans the name check, the creation and the name's write, and no more: the image is built without
 * it. */
static void test_lock_span(void)
{
    static struct flb_plan plan;
    struct span span = {scratch_path("span-lock"), -1, -1, -1};
    struct flb_build_request req;
    struct flb_build_result res;
    struct flb_error err = {{0}};
    struct flb_config cfg;
    struct fake *f = fake_new(true);
    const char *kernel = scratch_path("span-kernel");

    make_elf_kernel(kernel, true, 0);
    config_worked_example(&cfg, kernel);
    plan_for(&cfg, &plan);
    memset(&req, 0, sizeof(req));
    req.plan = &plan;
    req.use_xenstore = true;
    req.lock_path = span.path;
    f->hook = watch_lock;
    f->hook_arg = &span;
    CHECK(flb_build(&f->be, &req, &res, &err) == 0, "build: %s", err.msg);
    CHECK(span.at_directory == 1 && span.at_create == 1, "not held for the check (%d) or the creation (%d)",
          span.at_directory, span.at_create);
    CHECK(span.after_name == 0, "still held once the name was written (%d)", span.after_name);
    CHECK(!held_seen_from_outside(span.path), "held after the build");
    fake_free(f);
}

int main(void)
{
    test_lock_span();
    test_one_name(true);
    test_one_name(false);
    test_eight_names();
    return check_summary();
}
