/* Helpers shared by the build tests: checks, generated kernels, configs, golden files. */
#ifndef FLB_TEST_UTIL_H
#define FLB_TEST_UTIL_H

#include <stdbool.h>
#include <stddef.h>

#include "core/config.h"
#include "core/layout.h"
#include "core/plan.h"

#include "check.h"

/* A minimal x86-64 ELF kernel; with the PVH note if pvh_note; cut to `keep` bytes if keep > 0. */
void make_elf_kernel(const char *path, bool pvh_note, size_t keep);
void write_file(const char *path, const void *data, size_t len);
/* A scratch directory for generated files, created once. */
const char *scratch_dir(void);
/* scratch_dir()/name, in a static buffer per call slot (16 slots). */
const char *scratch_path(const char *name);

/* The worked example, as conf/large.cfg: 8192 MiB, fixed layout, G=64, V=1, F=512. */
void config_worked_example(struct flb_config *cfg, const char *kernel);

/* The plan a dry-run would make of cfg (the host's assumed defaults); exits on failure. */
void plan_for(const struct flb_config *cfg, struct flb_plan *plan);

/* Compares text with golden/<name>; FLB_UPDATE_GOLDEN=1 rewrites it. */
bool golden_check(const char *name, const char *text);

#endif
