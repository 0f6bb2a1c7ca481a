/* Kernel validation: each unusable file is refused with its own message. */
#include <stdio.h>
#include <string.h>

#include "core/kernel_check.h"
#include "test_util.h"

static void expect(const char *path, int want_rc, const char *want_msg)
{
    struct flb_error err = {{0}};
    char msg[600];
    int rc = flb_kernel_check(path, &err);

    snprintf(msg, sizeof(msg), want_msg, path);
    CHECK(rc == want_rc, "%s: status %d, expected %d (%s)", path, rc, want_rc, err.msg);
    CHECK(strcmp(err.msg, want_rc ? msg : "") == 0, "%s: message '%s', expected '%s'", path, err.msg,
          want_rc ? msg : "");
}

/* The kernel first, then a ramdisk that must be readable; each refusal names its file. */
static void test_boot_files(const char *good_kernel, const char *readable, const char *empty)
{
    const char *missing = scratch_path("no-ramdisk");
    struct flb_error err = {{0}};
    char want[600];
    unsigned absent = 99;
    int rc;

    rc = flb_check_boot_files(good_kernel, readable, NULL, &err);
    CHECK(rc == FLB_OK, "status %d: %s", rc, err.msg);
    rc = flb_check_boot_files(good_kernel, NULL, NULL, &err);
    CHECK(rc == FLB_OK, "status %d: %s", rc, err.msg);
    rc = flb_check_boot_files(good_kernel, missing, NULL, &err);
    snprintf(want, sizeof(want), "ramdisk '%s': No such file or directory", missing);
    CHECK(rc == FLB_E_INPUT && !strcmp(err.msg, want), "status %d: %s", rc, err.msg);
    memset(&err, 0, sizeof(err));
    rc = flb_check_boot_files(readable, missing, NULL, &err);
    snprintf(want, sizeof(want), "kernel '%s': neither an ELF file nor a bzImage", readable);
    CHECK(rc == FLB_E_INPUT && !strcmp(err.msg, want), "the kernel is checked first: %s", err.msg);

    /* A dry-run's view: what does not exist is reported apart; what exists is checked all the same. */
    memset(&err, 0, sizeof(err));
    rc = flb_check_boot_files(missing, missing, &absent, &err);
    CHECK(rc == FLB_OK && absent == (FLB_BOOT_FILE_KERNEL | FLB_BOOT_FILE_RAMDISK),
          "status %d, absent %u: %s", rc, absent, err.msg);
    rc = flb_check_boot_files(good_kernel, missing, &absent, &err);
    CHECK(rc == FLB_OK && absent == FLB_BOOT_FILE_RAMDISK, "status %d, absent %u", rc, absent);
    rc = flb_check_boot_files(readable, missing, &absent, &err);
    CHECK(rc == FLB_E_INPUT && !strcmp(err.msg, want), "an existing bad kernel: status %d: %s", rc, err.msg);
    memset(&err, 0, sizeof(err));
    rc = flb_check_boot_files(good_kernel, scratch_dir(), &absent, &err);
    snprintf(want, sizeof(want), "ramdisk '%s': not a regular file", scratch_dir());
    CHECK(rc == FLB_E_INPUT && !strcmp(err.msg, want), "a directory as the ramdisk: status %d: %s", rc,
          err.msg);
    memset(&err, 0, sizeof(err));
    rc = flb_check_boot_files(good_kernel, empty, &absent, &err);
    snprintf(want, sizeof(want), "ramdisk '%s': empty file", empty);
    CHECK(rc == FLB_E_INPUT && !strcmp(err.msg, want), "an empty ramdisk: status %d: %s", rc, err.msg);
}

int main(void)
{
    const char *good = scratch_path("good.elf"), *text = scratch_path("text.txt");
    const char *cut = scratch_path("truncated.elf"), *nonote = scratch_path("no-note.elf");
    const char *cutnote = scratch_path("truncated-note.elf"), *bz = scratch_path("bzImage");
    const char *empty = scratch_path("empty");
    static unsigned char bzimage[4096];

    make_elf_kernel(good, true, 0);
    write_file(text, "this is not a kernel\n", 21);
    make_elf_kernel(cut, true, 40);
    make_elf_kernel(nonote, false, 0);
    make_elf_kernel(cutnote, true, 0x208);
    memcpy(bzimage + 0x202, "HdrS", 4);
    write_file(bz, bzimage, sizeof(bzimage));
    write_file(empty, "", 0);

    expect(good, 0, "");
    expect(bz, 0, "");
    expect(scratch_path("missing"), FLB_E_INPUT, "kernel '%s': No such file or directory");
    expect(text, FLB_E_INPUT, "kernel '%s': neither an ELF file nor a bzImage");
    expect(empty, FLB_E_INPUT, "kernel '%s': empty file");
    expect(cut, FLB_E_INPUT, "kernel '%s': truncated ELF header");
    expect(cutnote, FLB_E_INPUT, "kernel '%s': truncated ELF file (a note segment is past the end)");
    expect(nonote, FLB_E_INPUT,
           "kernel '%s': ELF file without a XEN_ELFNOTE_PHYS32_ENTRY note: it has no PVH entry "
           "point (build it with PVH support, e.g. CONFIG_PVH=y for Linux)");
    expect(scratch_dir(), FLB_E_INPUT, "kernel '%s': not a regular file");
    expect(NULL, FLB_E_INPUT, "no kernel: set kernel= in the config");
    test_boot_files(good, text, empty);
    return check_summary();
}
