/* hvm_start_info v1: encoding into and decoding from an image of guest memory. */
#include "core/start_info.h"

#include <stdio.h>
#include <string.h>

#include "core/hvm_start_info_abi.h"
#include "core/le.h"

/* Where [paddr, paddr+size) lies in an image of len bytes at base, or a message naming the piece. */
static int locate(flb_gpa base, size_t len, flb_gpa paddr, uint64_t size, const char *what, size_t *off,
                  struct flb_error *err)
{
    uint64_t end;

    if (paddr < base || __builtin_add_overflow(paddr - base, size, &end) || end > len)
        return flb_fail(err, FLB_E_SYSTEM, "start_info: %s at 0x%llx is outside the image", what,
                        (unsigned long long)paddr);
    *off = (size_t)(paddr - base);
    return FLB_OK;
}

void flb_start_info_from_layout(struct flb_start_info *si, const struct flb_layout *layout,
                                const char *cmdline)
{
    memset(si, 0, sizeof(*si));
    si->magic = FLB_START_INFO_MAGIC;
    si->version = FLB_START_INFO_VERSION;
    si->memmap = layout->map;
    si->memmap_entries = layout->map.nr;
    if (cmdline)
        snprintf(si->cmdline, sizeof(si->cmdline), "%s", cmdline);
}

static uint64_t cmdline_bytes(const struct flb_start_info *si)
{
    return strnlen(si->cmdline, sizeof(si->cmdline) - 1) + 1;
}

size_t flb_start_info_span(const struct flb_start_info *si)
{
    struct {
        flb_gpa paddr;
        uint64_t size;
    } piece[] = {
        {si->base, FLB_START_INFO_SIZE},
        {si->nr_modules ? si->modlist_paddr : 0, (uint64_t)si->nr_modules * FLB_MODLIST_ENTRY_SIZE},
        {si->cmdline_paddr, si->cmdline_paddr ? cmdline_bytes(si) : 0},
        {si->memmap_entries ? si->memmap_paddr : 0, (uint64_t)si->memmap_entries * FLB_MEMMAP_ENTRY_SIZE},
    };
    uint64_t span = 0;

    for (size_t i = 0; i < sizeof(piece) / sizeof(piece[0]); i++)
        if (piece[i].paddr >= si->base && piece[i].size && piece[i].paddr - si->base + piece[i].size > span)
            span = piece[i].paddr - si->base + piece[i].size;
    return (size_t)span;
}

void flb_start_info_encode_header(const struct flb_start_info *si, uint8_t *hdr)
{
    memset(hdr, 0, FLB_START_INFO_SIZE);
    flb_le_put(hdr + offsetof(struct flb_hvm_start_info, magic), si->magic, 4);
    flb_le_put(hdr + offsetof(struct flb_hvm_start_info, version), si->version, 4);
    flb_le_put(hdr + offsetof(struct flb_hvm_start_info, flags), si->flags, 4);
    flb_le_put(hdr + offsetof(struct flb_hvm_start_info, nr_modules), si->nr_modules, 4);
    flb_le_put(hdr + offsetof(struct flb_hvm_start_info, modlist_paddr), si->modlist_paddr, 8);
    flb_le_put(hdr + offsetof(struct flb_hvm_start_info, cmdline_paddr), si->cmdline_paddr, 8);
    flb_le_put(hdr + offsetof(struct flb_hvm_start_info, rsdp_paddr), si->rsdp_paddr, 8);
    flb_le_put(hdr + offsetof(struct flb_hvm_start_info, memmap_paddr), si->memmap_paddr, 8);
    flb_le_put(hdr + offsetof(struct flb_hvm_start_info, memmap_entries), si->memmap_entries, 4);
}

void flb_memmap_encode(const struct flb_memmap *map, uint8_t *buf)
{
    memset(buf, 0, (size_t)map->nr * FLB_MEMMAP_ENTRY_SIZE);
    for (uint32_t i = 0; i < map->nr; i++) {
        uint8_t *e = buf + i * FLB_MEMMAP_ENTRY_SIZE;
        flb_le_put(e + offsetof(struct flb_hvm_memmap_entry, addr), map->entry[i].addr, 8);
        flb_le_put(e + offsetof(struct flb_hvm_memmap_entry, size), map->entry[i].size, 8);
        flb_le_put(e + offsetof(struct flb_hvm_memmap_entry, type), map->entry[i].type, 4);
    }
}

int flb_start_info_encode(const struct flb_start_info *si, uint8_t *buf, size_t len, struct flb_error *err)
{
    size_t off = 0;

    if (si->nr_modules > FLB_SI_MAX_MODULES || si->memmap_entries > FLB_MEMMAP_MAX)
        return flb_fail(err, FLB_E_SYSTEM, "start_info: %u modules, %u memmap entries: too many",
                        si->nr_modules, si->memmap_entries);
    memset(buf, 0, len);

    if (len < FLB_START_INFO_SIZE)
        return flb_fail(err, FLB_E_SYSTEM, "start_info: header does not fit in %zu bytes", len);
    flb_start_info_encode_header(si, buf);

    if (si->nr_modules) {
        if (locate(si->base, len, si->modlist_paddr, si->nr_modules * FLB_MODLIST_ENTRY_SIZE, "module list",
                   &off, err))
            return FLB_E_SYSTEM;
        for (uint32_t i = 0; i < si->nr_modules; i++) {
            uint8_t *m = buf + off + i * FLB_MODLIST_ENTRY_SIZE;
            flb_le_put(m + offsetof(struct flb_hvm_modlist_entry, paddr), si->module[i].paddr, 8);
            flb_le_put(m + offsetof(struct flb_hvm_modlist_entry, size), si->module[i].size, 8);
            flb_le_put(m + offsetof(struct flb_hvm_modlist_entry, cmdline_paddr), si->module[i].cmdline_paddr,
                       8);
        }
    }

    if (si->cmdline_paddr) {
        if (locate(si->base, len, si->cmdline_paddr, cmdline_bytes(si), "command line", &off, err))
            return FLB_E_SYSTEM;
        memcpy(buf + off, si->cmdline, cmdline_bytes(si));
    }

    if (si->memmap_entries) {
        if (locate(si->base, len, si->memmap_paddr, si->memmap_entries * FLB_MEMMAP_ENTRY_SIZE, "memory map",
                   &off, err))
            return FLB_E_SYSTEM;
        struct flb_memmap map = si->memmap;

        map.nr = si->memmap_entries;
        flb_memmap_encode(&map, buf + off);
    }
    return FLB_OK;
}

void flb_start_info_read_header(const uint8_t *hdr, flb_gpa base, struct flb_start_info *si)
{
    memset(si, 0, sizeof(*si));
    si->base = base;
    si->magic = (uint32_t)flb_le_get(hdr + offsetof(struct flb_hvm_start_info, magic), 4);
    si->version = (uint32_t)flb_le_get(hdr + offsetof(struct flb_hvm_start_info, version), 4);
    si->flags = (uint32_t)flb_le_get(hdr + offsetof(struct flb_hvm_start_info, flags), 4);
    si->nr_modules = (uint32_t)flb_le_get(hdr + offsetof(struct flb_hvm_start_info, nr_modules), 4);
    si->modlist_paddr = flb_le_get(hdr + offsetof(struct flb_hvm_start_info, modlist_paddr), 8);
    si->cmdline_paddr = flb_le_get(hdr + offsetof(struct flb_hvm_start_info, cmdline_paddr), 8);
    si->rsdp_paddr = flb_le_get(hdr + offsetof(struct flb_hvm_start_info, rsdp_paddr), 8);
    si->memmap_paddr = flb_le_get(hdr + offsetof(struct flb_hvm_start_info, memmap_paddr), 8);
    si->memmap_entries = (uint32_t)flb_le_get(hdr + offsetof(struct flb_hvm_start_info, memmap_entries), 4);
}

int flb_start_info_decode(const uint8_t *buf, size_t len, flb_gpa base, struct flb_start_info *si,
                          struct flb_error *err)
{
    size_t off = 0;

    memset(si, 0, sizeof(*si));
    si->base = base;
    if (len < FLB_START_INFO_SIZE)
        return flb_fail(err, FLB_E_SYSTEM, "start_info: %zu bytes is shorter than the header", len);
    flb_start_info_read_header(buf, base, si);
    if (si->magic != FLB_START_INFO_MAGIC)
        return flb_fail(err, FLB_E_SYSTEM, "start_info: bad magic 0x%08x", si->magic);
    if (si->version < FLB_START_INFO_VERSION)
        return flb_fail(err, FLB_E_SYSTEM, "start_info: version %u has no memory map", si->version);
    if ((uint32_t)flb_le_get(buf + offsetof(struct flb_hvm_start_info, reserved), 4))
        return flb_fail(err, FLB_E_SYSTEM, "start_info: reserved header field is not 0");
    if (si->nr_modules > FLB_SI_MAX_MODULES || si->memmap_entries > FLB_MEMMAP_MAX)
        return flb_fail(err, FLB_E_SYSTEM, "start_info: %u modules, %u memmap entries: too many",
                        si->nr_modules, si->memmap_entries);

    if (si->nr_modules) {
        if (locate(base, len, si->modlist_paddr, si->nr_modules * FLB_MODLIST_ENTRY_SIZE, "module list", &off,
                   err))
            return FLB_E_SYSTEM;
        for (uint32_t i = 0; i < si->nr_modules; i++) {
            const uint8_t *m = buf + off + i * FLB_MODLIST_ENTRY_SIZE;
            si->module[i].paddr = flb_le_get(m + offsetof(struct flb_hvm_modlist_entry, paddr), 8);
            si->module[i].size = flb_le_get(m + offsetof(struct flb_hvm_modlist_entry, size), 8);
            si->module[i].cmdline_paddr =
                flb_le_get(m + offsetof(struct flb_hvm_modlist_entry, cmdline_paddr), 8);
            if (flb_le_get(m + offsetof(struct flb_hvm_modlist_entry, reserved), 8))
                return flb_fail(err, FLB_E_SYSTEM, "start_info: module %u: reserved field is not 0", i);
        }
    }

    if (si->cmdline_paddr) {
        if (locate(base, len, si->cmdline_paddr, 1, "command line", &off, err))
            return FLB_E_SYSTEM;
        size_t room = len - off;
        const uint8_t *nul = memchr(buf + off, 0, room);
        if (!nul || (size_t)(nul - (buf + off)) >= sizeof(si->cmdline))
            return flb_fail(err, FLB_E_SYSTEM, "start_info: command line is not terminated");
        memcpy(si->cmdline, buf + off, (size_t)(nul - (buf + off)) + 1);
    }

    if (si->memmap_entries) {
        if (locate(base, len, si->memmap_paddr, si->memmap_entries * FLB_MEMMAP_ENTRY_SIZE, "memory map",
                   &off, err))
            return FLB_E_SYSTEM;
        si->memmap.nr = si->memmap_entries;
        for (uint32_t i = 0; i < si->memmap_entries; i++) {
            const uint8_t *e = buf + off + i * FLB_MEMMAP_ENTRY_SIZE;
            si->memmap.entry[i].addr = flb_le_get(e + offsetof(struct flb_hvm_memmap_entry, addr), 8);
            si->memmap.entry[i].size = flb_le_get(e + offsetof(struct flb_hvm_memmap_entry, size), 8);
            si->memmap.entry[i].type =
                (uint32_t)flb_le_get(e + offsetof(struct flb_hvm_memmap_entry, type), 4);
            if ((uint32_t)flb_le_get(e + offsetof(struct flb_hvm_memmap_entry, reserved), 4))
                return flb_fail(err, FLB_E_SYSTEM, "start_info: memmap entry %u: reserved field is not 0", i);
        }
    }
    return FLB_OK;
}
