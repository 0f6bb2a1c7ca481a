/* The test guest: prints its start_info and memory map, checks the fixed layout, then ends as told (by
 * default it halts, which Xen takes as a power-off). */
#include "console.h"
#include "guest.h"

static unsigned nr_pass, nr_fail;
bool no_dom0;

void check_report(const char *name, enum check_result r, const char *detail)
{
    static const char *const word[] = {"PASS", "FAIL", "SKIP"};
    con_begin("CHECK");
    con_str(name);
    con_str(" ");
    con_str(word[r]);
    if (detail && *detail) {
        con_str(" ");
        con_str(detail);
    }
    con_end();
    if (r == CHECK_PASS)
        nr_pass++;
    else if (r == CHECK_FAIL)
        nr_fail++;
}

const struct hvm_memmap_table_entry *memmap_find(const struct hvm_start_info *si, uint32_t type)
{
    const struct hvm_memmap_table_entry *e = (const void *)(uintptr_t)si->memmap_paddr;
    for (uint32_t i = 0; i < si->memmap_entries; i++)
        if (e[i].type == type)
            return &e[i];
    return 0;
}

static bool has_word(const char *s, const char *w)
{
    while (s && *s) {
        const char *a = s, *b = w;
        while (*b && *a == *b)
            a++, b++;
        if (!*b && (*a == ' ' || *a == '\0'))
            return true;
        while (*s && *s != ' ')
            s++;
        while (*s == ' ')
            s++;
    }
    return false;
}

static void print_start_info(const struct hvm_start_info *si)
{
    con_begin("si");
    con_str("magic=");
    con_hex(si->magic);
    con_str(" version=");
    con_dec(si->version);
    con_str(" flags=");
    con_hex(si->flags);
    con_str(" nr_modules=");
    con_dec(si->nr_modules);
    con_end();
    con_begin("si");
    con_str("modlist=");
    con_hex(si->modlist_paddr);
    con_str(" cmdline=");
    con_hex(si->cmdline_paddr);
    con_str(" rsdp=");
    con_hex(si->rsdp_paddr);
    con_end();
    con_begin("si");
    con_str("memmap=");
    con_hex(si->memmap_paddr);
    con_str(" entries=");
    con_dec(si->memmap_entries);
    con_end();
}

/* One line per entry: "FLBG e820 <addr> <size> <type>", all hex. */
static void print_memmap(const struct hvm_start_info *si)
{
    const struct hvm_memmap_table_entry *e = (const void *)(uintptr_t)si->memmap_paddr;
    for (uint32_t i = 0; i < si->memmap_entries; i++) {
        con_begin("e820");
        con_hex(e[i].addr);
        con_str(" ");
        con_hex(e[i].size);
        con_str(" ");
        con_hex(e[i].type);
        con_end();
    }
    con_begin("e820-end");
    con_dec(si->memmap_entries);
    con_end();
}

static void check_memmap(const struct hvm_start_info *si)
{
    const struct hvm_memmap_table_entry *e = (const void *)(uintptr_t)si->memmap_paddr;
    if (!si->memmap_paddr || !si->memmap_entries) {
        check_report("memmap_sorted", CHECK_FAIL, "no memory map");
        return;
    }
    for (uint32_t i = 0; i < si->memmap_entries; i++) {
        if ((e[i].addr | e[i].size) & (FLB_PAGE_SIZE - 1) || !e[i].size) {
            check_report("memmap_sorted", CHECK_FAIL, "entry not page aligned or empty");
            return;
        }
        if (i && e[i - 1].addr + e[i - 1].size > e[i].addr) {
            check_report("memmap_sorted", CHECK_FAIL, "entries unsorted or overlapping");
            return;
        }
    }
    check_report("memmap_sorted", CHECK_PASS, "sorted, disjoint, page aligned");
}

/* The page tables reach RAM above 4 GiB: write and read back the last word of the highest RAM. */
static void check_high_ram(const struct hvm_start_info *si)
{
    const struct hvm_memmap_table_entry *e = (const void *)(uintptr_t)si->memmap_paddr, *top = 0;
    for (uint32_t i = 0; i < si->memmap_entries; i++)
        if (e[i].type == FLB_MEMMAP_RAM && e[i].addr >= FLB_4GIB)
            top = &e[i];
    if (!top) {
        check_report("high_ram", CHECK_SKIP, "no RAM above 4 GiB");
        return;
    }
    volatile uint64_t *w = (volatile uint64_t *)(uintptr_t)(top->addr + top->size - sizeof(uint64_t));
    *w = UINT64_C(0x464c422d48494748);
    check_report("high_ram", *w == UINT64_C(0x464c422d48494748) ? CHECK_PASS : CHECK_FAIL,
                 "last word of RAM above 4 GiB written and read back");
}

void guest_main(const struct hvm_start_info *si)
{
    const char *cmdline = 0;

    if (si->magic != XEN_HVM_START_MAGIC_VALUE) {
        check_report("magic_version", CHECK_FAIL, "bad start_info magic");
        con_begin("DONE");
        con_str("fail");
        con_end();
        return;
    }
    if (si->cmdline_paddr)
        cmdline = (const char *)(uintptr_t)si->cmdline_paddr;
    no_dom0 = has_word(cmdline, "flbg.nodom0");
    if (has_word(cmdline, "flbg.quiet")) {
        con_begin("hello");
        con_str("quiet");
        con_end();
        guest_end(si, cmdline);
        return;
    }

    con_begin("hello");
    con_str("test guest, identity map with ");
    con_str(huge_pages ? "1 GiB pages (512 GiB)" : "2 MiB pages (64 GiB)");
    con_end();
    print_start_info(si);
    con_begin("cmdline");
    con_str(cmdline ? cmdline : "");
    con_end();
    print_memmap(si);
    print_cpuid();

    check_report("magic_version", si->version == FLB_START_INFO_VERSION ? CHECK_PASS : CHECK_FAIL,
                 "magic ok, version must be 1");
    check_memmap(si);
    check_high_ram(si);
    check_shared_info(si);
    check_grant_table(si);
    check_grant_status(si);
    check_acpi(si);

    con_begin("DONE");
    con_str(nr_fail ? "fail" : "pass");
    con_str(" passed=");
    con_dec(nr_pass);
    con_str(" failed=");
    con_dec(nr_fail);
    con_end();
    guest_end(si, cmdline);
}
