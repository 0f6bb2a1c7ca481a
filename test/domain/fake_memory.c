/* The fake's guest memory: the start info, the ACPI tables, the console ring, mappings of them. */
#include "fake_backend_internal.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Where the fake's libxenguest loads the ramdisk. */
#define FAKE_MODULE_GPA UINT64_C(0x1000000)

static void put(uint8_t *p, uint64_t v, unsigned bytes)
{
    for (unsigned i = 0; i < bytes; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

/*
 * Writes start_info as libxenguest 4.17 lays it out: header, command line
 * (rounded up to 8 bytes), two module entries, two module command lines of
 * 1024 bytes, then the memory map, field by field from the e820 copy.
 */
void fake_write_start_info(struct fake *f, const struct flb_dom *dom)
{
    uint8_t *si = f->mem + f->start_info_offset;
    uint64_t base = FAKE_START_INFO_GPA + f->start_info_offset, cmdline_size = 0, modlist, memmap;

    memset(f->mem, 0, sizeof(f->mem));
    if (dom->cmdline) {
        cmdline_size = (strlen(dom->cmdline) + 1 + 7) & ~7ull;
        memcpy(si + 56, dom->cmdline, strlen(dom->cmdline));
        put(si + 24, base + 56, 8);
    }
    modlist = 56 + cmdline_size;
    if (dom->module_size) {
        put(si + modlist, FAKE_MODULE_GPA, 8);
        put(si + modlist + 8, dom->module_size, 8);
        put(si + 12, 1, 4);
        put(si + 16, base + modlist, 8);
    }
    memmap = modlist + 2 * 32 + 2 * 1024;
    put(si + 40, base + memmap, 8);
    put(si + 48, dom->e820.nr, 4);
    for (unsigned i = 0; i < dom->e820.nr; i++) {
        put(si + memmap + 24 * i, dom->e820.entry[i].addr, 8);
        put(si + memmap + 24 * i + 8, dom->e820.entry[i].size, 8);
        put(si + memmap + 24 * i + 16, dom->e820.entry[i].type, 4);
    }
    /* bootlate_hvm: "ACPI module 0 is the RSDP". */
    put(si + 32, dom->acpi ? dom->acpi_gpa : 0, 8);
    put(si, 0x336ec578u, 4);
    put(si + 4, 1, 4);
    if (f->corrupt_offset >= 0 && (size_t)f->corrupt_offset < sizeof(f->mem) - f->start_info_offset)
        si[f->corrupt_offset] ^= 0x01;
}

/* As xc_dom_load_acpi: one module, its page cleared, the data copied at its offset in the page. */
void fake_load_acpi(struct fake *f, const struct flb_dom *dom)
{
    uint64_t off;

    if (!dom->acpi)
        return;
    off = dom->acpi_gpa % PAGE;
    if (off + dom->acpi_len > PAGE)
        abort(); /* the plan puts the tables in one page; a fake of one page cannot hold more */
    memset(f->acpi_page, 0, sizeof(f->acpi_page));
    memcpy(f->acpi_page + off, dom->acpi, dom->acpi_len);
    f->acpi_gpa = dom->acpi_gpa - off;
    if (f->corrupt_acpi_offset >= 0 && (uint64_t)f->corrupt_acpi_offset < dom->acpi_len)
        f->acpi_page[off + (uint64_t)f->corrupt_acpi_offset] ^= 0x01;
}

int fake_map_foreign(void *ctx, uint32_t domid, uint64_t gfn, unsigned pages, bool writable, void **addr)
{
    struct fake *f = ctx;
    uint64_t first = FAKE_START_INFO_GPA / PAGE;

    if (fake_call(f, "xenforeignmemory_map domid=%" PRIu32 " gfn=0x%" PRIx64 " pages=%u %s", domid, gfn,
                  pages, writable ? "rw" : "ro"))
        return -1;
    if (f->acpi_gpa && gfn == f->acpi_gpa / PAGE && pages == 1) {
        *addr = f->acpi_page;
        f->open_maps++;
        return 0;
    }
    if (gfn == FAKE_CONSOLE_GFN && pages == 1) {
        *addr = f->console.page;
        f->open_maps++;
        return 0;
    }
    if (gfn < first || gfn + pages > first + FAKE_MEM_PAGES) {
        fake_result(f, "EFAULT");
        errno = EFAULT;
        return -1;
    }
    *addr = f->mem + (gfn - first) * PAGE;
    f->open_maps++;
    return 0;
}

int fake_unmap_foreign(void *ctx, void *addr, unsigned pages)
{
    struct fake *f = ctx;

    char line[64];

    /* munmap does not fail on a mapping we made: noted, never failed. */
    (void)addr;
    snprintf(line, sizeof(line), "xenforeignmemory_unmap pages=%u", pages);
    fake_note(f, line);
    f->open_maps--;
    return 0;
}
