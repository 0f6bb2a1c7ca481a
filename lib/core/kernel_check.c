/* Refusing a kernel that cannot boot as PVH, before any domain exists. */
#include "core/kernel_check.h"

#include <elf.h>
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/le.h"

/* Linux boot protocol: "HdrS" at 0x202 marks a bzImage (libxenguest unpacks its ELF payload). */
#define BZIMAGE_MAGIC_OFFSET 0x202
#define BZIMAGE_MAGIC "HdrS"

struct image {
    const uint8_t *p;
    size_t len;
    bool is64;
};

static bool in_file(const struct image *im, uint64_t off, uint64_t size)
{
    return off <= im->len && size <= im->len - off;
}

/* Walks one note area; true if it holds a "Xen" note of type PHYS32_ENTRY. */
static bool has_pvh_note(const struct image *im, uint64_t off, uint64_t size)
{
    uint64_t end = off + size;

    while (off + 12 <= end) {
        uint64_t namesz = flb_le_get(im->p + off, 4), descsz = flb_le_get(im->p + off + 4, 4);
        uint64_t type = flb_le_get(im->p + off + 8, 4);
        const uint8_t *name = im->p + off + 12;
        uint64_t next = off + 12 + ((namesz + 3) & ~3ull) + ((descsz + 3) & ~3ull);

        if (next > end || next <= off)
            return false;
        if (namesz == 4 && memcmp(name, "Xen", 4) == 0 && type == FLB_ELFNOTE_PHYS32_ENTRY)
            return true;
        off = next;
    }
    return false;
}

/* Looks in the PT_NOTE segments, then in the SHT_NOTE sections, as libxenguest's loader does. */
static int check_elf(const char *path, const struct image *im, struct flb_error *err)
{
    const uint8_t *h = im->p;
    size_t ehsize = im->is64 ? sizeof(Elf64_Ehdr) : sizeof(Elf32_Ehdr);
    uint64_t phoff, shoff, phentsize, shentsize, phnum, shnum;

    if (im->len < ehsize)
        return flb_fail(err, FLB_E_INPUT, "kernel '%s': truncated ELF header", path);
    if (h[EI_DATA] != ELFDATA2LSB)
        return flb_fail(err, FLB_E_INPUT, "kernel '%s': big-endian ELF, not an x86 kernel", path);
    if (im->is64) {
        Elf64_Ehdr eh;
        const Elf64_Ehdr *e = &eh;

        memcpy(&eh, h, sizeof(eh)); /* the image need not be aligned */
        phoff = e->e_phoff, shoff = e->e_shoff, phentsize = e->e_phentsize;
        shentsize = e->e_shentsize, phnum = e->e_phnum, shnum = e->e_shnum;
    } else {
        Elf32_Ehdr eh;
        const Elf32_Ehdr *e = &eh;

        memcpy(&eh, h, sizeof(eh));
        phoff = e->e_phoff, shoff = e->e_shoff, phentsize = e->e_phentsize;
        shentsize = e->e_shentsize, phnum = e->e_phnum, shnum = e->e_shnum;
    }
    if (phnum && (phentsize < (im->is64 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr)) ||
                  !in_file(im, phoff, phnum * phentsize)))
        return flb_fail(err, FLB_E_INPUT,
                        "kernel '%s': truncated ELF file (program headers "
                        "past the end)",
                        path);
    for (uint64_t i = 0; i < phnum; i++) {
        const uint8_t *ph = im->p + phoff + i * phentsize;
        uint64_t type = flb_le_get(ph, 4);
        uint64_t off = im->is64 ? flb_le_get(ph + 8, 8) : flb_le_get(ph + 4, 4);
        uint64_t size = im->is64 ? flb_le_get(ph + 32, 8) : flb_le_get(ph + 16, 4);

        if (type != PT_NOTE)
            continue;
        if (!in_file(im, off, size))
            return flb_fail(err, FLB_E_INPUT,
                            "kernel '%s': truncated ELF file (a note segment "
                            "is past the end)",
                            path);
        if (has_pvh_note(im, off, size))
            return 0;
    }
    if (shnum && shentsize >= (im->is64 ? sizeof(Elf64_Shdr) : sizeof(Elf32_Shdr)) &&
        in_file(im, shoff, shnum * shentsize))
        for (uint64_t i = 0; i < shnum; i++) {
            const uint8_t *sh = im->p + shoff + i * shentsize;
            uint64_t off = im->is64 ? flb_le_get(sh + 24, 8) : flb_le_get(sh + 16, 4);
            uint64_t size = im->is64 ? flb_le_get(sh + 32, 8) : flb_le_get(sh + 20, 4);

            if (flb_le_get(sh + 4, 4) == SHT_NOTE && in_file(im, off, size) && has_pvh_note(im, off, size))
                return 0;
        }
    return flb_fail(err, FLB_E_INPUT,
                    "kernel '%s': ELF file without a XEN_ELFNOTE_PHYS32_ENTRY note: it has no PVH "
                    "entry point (build it with PVH support, e.g. CONFIG_PVH=y for Linux)",
                    path);
}

int flb_kernel_check_image(const uint8_t *image, size_t len, const char *path, struct flb_error *err)
{
    struct image im = {image, len, false};

    if (len < 4)
        return flb_fail(err, FLB_E_INPUT, "kernel '%s': %s", path,
                        len ? "too short to be a kernel" : "empty file");
    if (memcmp(im.p, ELFMAG, SELFMAG) == 0) {
        if (im.len <= EI_CLASS || (im.p[EI_CLASS] != ELFCLASS32 && im.p[EI_CLASS] != ELFCLASS64))
            return flb_fail(err, FLB_E_INPUT, "kernel '%s': truncated ELF header", path);
        im.is64 = im.p[EI_CLASS] == ELFCLASS64;
        return check_elf(path, &im, err);
    }
    if (im.len >= BZIMAGE_MAGIC_OFFSET + 4 && memcmp(im.p + BZIMAGE_MAGIC_OFFSET, BZIMAGE_MAGIC, 4) == 0)
        return 0; /* its ELF payload is compressed: libxenguest checks the note when it parses it */
    return flb_fail(err, FLB_E_INPUT, "kernel '%s': neither an ELF file nor a bzImage", path);
}

int flb_kernel_check(const char *path, struct flb_error *err)
{
    struct stat st;
    void *map = MAP_FAILED;
    int fd = -1, rc;

    if (!path)
        return flb_fail(err, FLB_E_INPUT, "no kernel: set kernel= in the config");
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || fstat(fd, &st) != 0) {
        rc = flb_fail(err, FLB_E_INPUT, "kernel '%s': %s", path, strerror(errno));
        goto out;
    }
    if (!S_ISREG(st.st_mode)) {
        rc = flb_fail(err, FLB_E_INPUT, "kernel '%s': not a regular file", path);
        goto out;
    }
    if (st.st_size == 0) {
        rc = flb_fail(err, FLB_E_INPUT, "kernel '%s': empty file", path);
        goto out;
    }
    map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (map == MAP_FAILED) {
        rc = flb_fail(err, FLB_E_INPUT, "kernel '%s': %s", path, strerror(errno));
        goto out;
    }
    rc = flb_kernel_check_image(map, (size_t)st.st_size, path, err);
out:
    if (map != MAP_FAILED)
        munmap(map, (size_t)st.st_size);
    if (fd >= 0)
        close(fd);
    return rc;
}

/* libxenguest loads the ramdisk whole: a readable, non-empty regular file. */
static int check_ramdisk(const char *path, struct flb_error *err)
{
    struct stat st;
    int fd = open(path, O_RDONLY | O_CLOEXEC), rc = FLB_OK;

    if (fd < 0 || fstat(fd, &st) != 0)
        rc = flb_fail(err, FLB_E_INPUT, "ramdisk '%s': %s", path, strerror(errno));
    else if (!S_ISREG(st.st_mode))
        rc = flb_fail(err, FLB_E_INPUT, "ramdisk '%s': not a regular file", path);
    else if (st.st_size == 0)
        rc = flb_fail(err, FLB_E_INPUT, "ramdisk '%s': empty file", path);
    if (fd >= 0)
        close(fd);
    return rc;
}

static bool is_absent(const char *path)
{
    return path && access(path, F_OK) != 0 && errno == ENOENT;
}

int flb_check_boot_files(const char *kernel, const char *ramdisk, unsigned *absent, struct flb_error *err)
{
    int rc = FLB_OK;

    if (absent)
        *absent = 0;
    if (absent && is_absent(kernel))
        *absent |= FLB_BOOT_FILE_KERNEL;
    else
        rc = flb_kernel_check(kernel, err);
    if (rc || !ramdisk)
        return rc;
    if (absent && is_absent(ramdisk))
        *absent |= FLB_BOOT_FILE_RAMDISK;
    else
        rc = check_ramdisk(ramdisk, err);
    return rc;
}
