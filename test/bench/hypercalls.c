/* Counts the hypercalls that map the fixed regions: one batch for all grant frames against one call per
 * frame. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/build.h"
#include "fake_backend.h"
#include "test_util.h"

struct count {
    unsigned single, batch;
};

/* Builds the worked example with G grant frames against the fake and counts the mapping calls. */
static int count_calls(const char *kernel, unsigned frames, bool batch_supported, struct count *c)
{
    struct flb_config cfg;
    struct flb_plan plan;
    struct flb_build_request req;
    struct flb_build_result res;
    struct flb_error err = {{0}};
    struct fake *f = fake_new(false);
    int rc;

    config_worked_example(&cfg, kernel);
    cfg.max_grant_frames = frames;
    plan_for(&cfg, &plan);
    memset(&req, 0, sizeof(req));
    req.plan = &plan;
    f->batch_unsupported = !batch_supported;
    rc = flb_build(&f->be, &req, &res, &err);
    if (rc)
        fprintf(stderr, "hypercalls_bench: %s\n", err.msg);
    c->single = f->physmap_single;
    /* A refused batch is the fallback's probe, not part of the per-frame cost. */
    c->batch = batch_supported ? f->physmap_batch : 0;
    fake_free(f);
    return rc;
}

int main(void)
{
    static const unsigned frames[] = {1, 4, 64, 256, 1024};
    const char *kernel = scratch_path("pvh-kernel");
    int rc = 0;

    make_elf_kernel(kernel, true, 0);
    printf("hypercalls to map shared info + G grant frames (memory 8192, fixed layout, V=1)\n");
    printf("%6s  %18s  %18s\n", "G", "batch (expect 2)", "one at a time (1+G)");
    for (size_t i = 0; i < sizeof(frames) / sizeof(frames[0]); i++) {
        struct count b, s;

        rc |= count_calls(kernel, frames[i], true, &b);
        rc |= count_calls(kernel, frames[i], false, &s);
        printf("%6u  %18u  %18u\n", frames[i], b.single + b.batch, s.single + s.batch);
        if (b.single + b.batch != 2 || s.single + s.batch != 1 + frames[i]) {
            fprintf(stderr, "hypercalls_bench: unexpected count for G=%u\n", frames[i]);
            rc = 1;
        }
    }
    return rc ? 1 : 0;
}
