/* One build of a known guest against the fake, as the sequence tests run it: setup, build, and the leak
 * check. */
#include "sequence_run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const uint8_t test_uuid[16] = {0x5e, 0xed, 0x00, 0x01, 0x02, 0x03, 0x44, 0x05,
                                      0x86, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d};

const char *kernel_path(void)
{
    static const char *path;

    if (!path) {
        path = strdup(scratch_path("pvh-kernel"));
        make_elf_kernel(path, true, 0);
    }
    return path;
}

void run_setup(struct run *r, bool grant_v2)
{
    memset(r, 0, sizeof(*r));
    config_worked_example(&r->cfg, kernel_path());
    if (grant_v2) {
        /* A smaller guest with a ramdisk, grant v2 and a status region to reserve. */
        static const char initrd[5000] = "initrd";
        const char *ramdisk = scratch_path("initrd.img");

        write_file(ramdisk, initrd, sizeof(initrd));
        r->cfg.name = "grant-v2";
        r->cfg.ramdisk = strdup(ramdisk);
        r->cfg.memory_mib = r->cfg.maxmem_mib = 2048;
        r->cfg.vcpus = 2;
        r->cfg.maxvcpus = 4;
        r->cfg.max_grant_frames = 32;
        r->cfg.max_grant_version = 2;
        r->cfg.foreign_region_mib = 256;
        r->cfg.final_cmdline = "console=hvc0 root=/dev/ram0";
    }
    plan_for(&r->cfg, &r->plan);
    r->req.plan = &r->plan;
    memcpy(r->req.uuid, test_uuid, sizeof(test_uuid));
    r->req.use_xenstore = true;
}

void run_teardown(struct run *r)
{
    if (r->cfg.ramdisk)
        free(r->cfg.ramdisk);
}

void run_build(struct fake *f, struct run *r)
{
    memset(&r->err, 0, sizeof(r->err));
    r->rc = flb_build(&f->be, &r->req, &r->res, &r->err);
}

/* Nothing may outlive a failed build. */
void run_check_clean(const struct fake *f, const char *what)
{
    CHECK(!f->domain_exists, "%s: the domain still exists", what);
    CHECK(f->open_doms == 0, "%s: %d libxenguest images leaked", what, f->open_doms);
    CHECK(f->open_maps == 0, "%s: %d foreign mappings leaked", what, f->open_maps);
    CHECK(f->bound_ports == 0, "%s: %d event channels leaked", what, f->bound_ports);
    CHECK(fake_xs_count(f, "/local/domain/1") == 0, "%s: xenstore nodes left behind", what);
    CHECK(fake_xs_count(f, "/vm/5eed0001-0203-4405-8607-08090a0b0c0d") == 0, "%s: /vm nodes left behind",
          what);
    CHECK(fake_xs_count(f, "/libxl/1") == 0, "%s: /libxl nodes left behind", what);
}

int fake_find_line(const struct fake *f, const char *prefix, int from, char *out, size_t len)
{
    for (size_t i = from < 0 ? 0 : (size_t)from; i < f->nr_lines; i++)
        if (!strncmp(f->lines[i], prefix, strlen(prefix))) {
            snprintf(out, len, "%s", f->lines[i]);
            return (int)i;
        }
    out[0] = '\0';
    return -1;
}
