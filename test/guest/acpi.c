/* The guest's view of its ACPI tables: found through start_info, every checksum, the MADT against its own
 * APIC ID. */
#include "console.h"
#include "guest.h"

struct acpi_header {
    char signature[4];
    uint32_t length;
    uint8_t revision;
    uint8_t checksum;
    char oem[26];
} __attribute__((packed));

static uint8_t sum(const void *p, uint32_t len)
{
    const uint8_t *b = p;
    uint8_t s = 0;

    while (len--)
        s = (uint8_t)(s + *b++);
    return s;
}

static bool same4(const char *a, const char *b)
{
    return a[0] == b[0] && a[1] == b[1] && a[2] == b[2] && a[3] == b[3];
}

/* Inside one ACPI entry of the memory map: what a guest may trust without touching other memory. */
static bool in_acpi_entry(const struct hvm_start_info *si, uint64_t addr, uint64_t len)
{
    const struct hvm_memmap_table_entry *e = (const void *)(uintptr_t)si->memmap_paddr;

    for (uint32_t i = 0; i < si->memmap_entries; i++)
        if (e[i].type == FLB_MEMMAP_ACPI && addr >= e[i].addr && addr + len <= e[i].addr + e[i].size)
            return true;
    return false;
}

/* The boot CPU's local APIC ID, from CPUID leaf 1. */
static uint32_t own_apic_id(void)
{
    uint32_t a = 1, b, c = 0, d;

    __asm__ volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
    return b >> 24;
}

/* "FLBG madt <entries> enabled=<n> ids=0,2,..." in lines the console can carry. */
static void check_madt(const struct acpi_header *h)
{
    const uint8_t *p = (const uint8_t *)h + 44, *end = (const uint8_t *)h + h->length;
    uint32_t entries = 0, enabled = 0;
    bool ids_ok = true;

    for (; p + 2 <= end && p[1] >= 2 && p + p[1] <= end; p += p[1]) {
        if (p[0] != 0)
            continue; /* only local APIC entries are expected, but others are not an error */
        if (p[3] != 2 * p[2])
            ids_ok = false;
        if (p[4] & 1)
            enabled++;
        entries++;
    }
    con_begin("madt");
    con_dec(entries);
    con_str(" enabled=");
    con_dec(enabled);
    con_str(" boot_apic_id=");
    con_dec(own_apic_id());
    con_end();
    check_report("acpi_madt", ids_ok && entries && enabled && own_apic_id() == 0 ? CHECK_PASS : CHECK_FAIL,
                 "APIC ID 2 x processor UID; the boot CPU's is 0");
}

void check_acpi(const struct hvm_start_info *si)
{
    const uint8_t *rsdp = (const uint8_t *)(uintptr_t)si->rsdp_paddr;
    const struct acpi_header *xsdt;
    uint32_t n, bad = 0;
    bool madt = false;

    if (!si->rsdp_paddr) {
        check_report("acpi_rsdp", CHECK_SKIP, "rsdp_paddr is 0: no ACPI tables");
        return;
    }
    if (!in_acpi_entry(si, si->rsdp_paddr, 36) || !same4((const char *)rsdp, "RSD ") ||
        !same4((const char *)rsdp + 4, "PTR ") || sum(rsdp, 20) || rsdp[15] < 2 || sum(rsdp, 36)) {
        check_report("acpi_rsdp", CHECK_FAIL, "RSDP outside an ACPI entry, or bad signature or checksum");
        return;
    }
    check_report("acpi_rsdp", CHECK_PASS, "in an ACPI entry, both checksums right, revision 2");

    xsdt = (const void *)(uintptr_t)(*(const uint64_t *)(rsdp + 24));
    if (!in_acpi_entry(si, (uintptr_t)xsdt, 36) || !same4(xsdt->signature, "XSDT") ||
        !in_acpi_entry(si, (uintptr_t)xsdt, xsdt->length) || sum(xsdt, xsdt->length)) {
        check_report("acpi_tables", CHECK_FAIL, "bad XSDT");
        return;
    }
    n = (xsdt->length - 36) / 8;
    for (uint32_t i = 0; i < n; i++) {
        uint64_t addr;
        const struct acpi_header *t;

        __builtin_memcpy(&addr, (const uint8_t *)xsdt + 36 + 8 * i, 8);
        t = (const void *)(uintptr_t)addr;
        if (!in_acpi_entry(si, addr, 36) || !in_acpi_entry(si, addr, t->length) || sum(t, t->length)) {
            bad++;
            continue;
        }
        con_begin("acpi");
        con_str((const char[5]){t->signature[0], t->signature[1], t->signature[2], t->signature[3], 0});
        con_str(" ");
        con_hex(addr);
        con_str(" len=");
        con_dec(t->length);
        con_end();
        if (same4(t->signature, "APIC")) {
            madt = true;
            check_madt(t);
        }
    }
    check_report("acpi_tables", !bad && n ? CHECK_PASS : CHECK_FAIL,
                 "XSDT and every table it lists checksum");
    if (!madt)
        check_report("acpi_madt", CHECK_FAIL, "the XSDT lists no MADT");
}
