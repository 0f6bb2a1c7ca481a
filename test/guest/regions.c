/* Checks of the fixed-layout regions: live shared info, live grant table, reserved status frames. */
#include "console.h"
#include "guest.h"

#ifndef GNTTAB_RESERVED_XENSTORE
#define GNTTAB_RESERVED_XENSTORE 1
#endif

/* libxenguest's HVM special pages: the console and xenstore rings. */
#define CONSOLE_GFN 0xfefffu
#define XENSTORE_GFN 0xfeffcu

#define SECOND_NS UINT64_C(1000000000)
#define TIME_WAIT_NS (5 * SECOND_NS)
#define ACK_WAIT_NS (60 * SECOND_NS)

/* The grant the guest offers dom0; refs below GNTTAB_NR_RESERVED_ENTRIES belong to the toolstack. */
#define TEST_GRANT_REF GNTTAB_NR_RESERVED_ENTRIES
#define MARKER "FLB-GRANT-MARKER"
#define ACK "FLB-GRANT-ACK"
#define ACK_OFFSET 2048

static char grant_page[FLB_PAGE_SIZE] __attribute__((aligned(4096)));

static bool mem_eq(const volatile char *a, const char *b)
{
    for (; *b; a++, b++)
        if (*a != *b)
            return false;
    return true;
}

void check_shared_info(const struct hvm_start_info *si)
{
    const struct hvm_memmap_table_entry *r = memmap_find(si, FLB_MEMMAP_SHARED_INFO);
    if (!r) {
        check_report("shared_info", CHECK_SKIP, "no SHARED_INFO region");
        return;
    }
    const struct shared_info *s = (const void *)(uintptr_t)r->addr;
    const volatile struct vcpu_time_info *t = &s->vcpu_info[0].time;
    uint32_t v0 = t->version;
    uint64_t st0 = t->system_time;
    con_begin("shared_info");
    con_str("version=");
    con_hex(v0);
    con_str(" system_time=");
    con_hex(st0);
    con_str(" mul=");
    con_hex(t->tsc_to_system_mul);
    con_end();
    if (!v0 && !st0) {
        check_report("shared_info", CHECK_FAIL, "vcpu 0 time is all zero");
        return;
    }
    clock_init(s);
    uint64_t start = clock_ns();
    while (t->version == v0 && t->system_time == st0 && clock_ns() - start < TIME_WAIT_NS)
        cpu_relax();
    if (t->version == v0 && t->system_time == st0) {
        check_report("shared_info", CHECK_FAIL, "vcpu 0 time did not advance");
        return;
    }
    con_begin("shared_info");
    con_str("version=");
    con_hex(t->version);
    con_str(" system_time=");
    con_hex(t->system_time);
    con_end();
    check_report("shared_info", CHECK_PASS, "live, time advancing");
}

/* The backends of the console and xenstore rings run in dom0 in the test rig. */
#define BACKEND_DOMID 0

static bool seeded_ok(const volatile grant_entry_v1_t *g, uint32_t gfn)
{
    return (g->flags & GTF_permit_access) && g->frame == gfn && g->domid == BACKEND_DOMID;
}

static void print_entry(unsigned ref, const volatile grant_entry_v1_t *g)
{
    con_begin("grant");
    con_str("entry=");
    con_dec(ref);
    con_str(" flags=");
    con_hex(g->flags);
    con_str(" domid=");
    con_dec(g->domid);
    con_str(" frame=");
    con_hex(g->frame);
    con_end();
}

/* Offers grant_page to dom0 and waits, bounded, for dom0's acknowledgement; says only the offer. */
static bool offer_and_wait(volatile grant_entry_v1_t *table)
{
    volatile grant_entry_v1_t *g = &table[TEST_GRANT_REF];
    volatile char *page = grant_page;
    for (unsigned i = 0; i < sizeof(MARKER); i++)
        page[i] = MARKER[i];
    g->domid = 0;
    g->frame = (uint32_t)((uintptr_t)grant_page >> FLB_PAGE_SHIFT);
    barrier();
    g->flags = GTF_permit_access;
    con_begin("grant");
    con_str("offer ref=");
    con_dec(TEST_GRANT_REF);
    con_str(" gfn=");
    con_hex(g->frame);
    con_end();

    uint64_t start = clock_ns();
    while (!mem_eq(page + ACK_OFFSET, ACK) && clock_ns() - start < ACK_WAIT_NS)
        cpu_relax();
    bool acked = mem_eq(page + ACK_OFFSET, ACK);
    g->flags = 0;
    return acked;
}

static void offer_grant(volatile grant_entry_v1_t *table)
{
    bool acked = offer_and_wait(table);
    check_report("grant_dom0", acked ? CHECK_PASS : CHECK_FAIL,
                 acked ? "dom0 mapped the grant and acknowledged" : "no acknowledgement from dom0");
}

bool grant_handshake(const struct hvm_start_info *si)
{
    const struct hvm_memmap_table_entry *s = memmap_find(si, FLB_MEMMAP_SHARED_INFO);
    const struct hvm_memmap_table_entry *t = memmap_find(si, FLB_MEMMAP_GRANT_TABLE);

    if (!s || !t)
        return false;
    clock_init((const struct shared_info *)(uintptr_t)s->addr);
    return offer_and_wait((volatile grant_entry_v1_t *)(uintptr_t)t->addr);
}

void check_grant_table(const struct hvm_start_info *si)
{
    const struct hvm_memmap_table_entry *r = memmap_find(si, FLB_MEMMAP_GRANT_TABLE);
    if (!r) {
        check_report("grant_table", CHECK_SKIP, "no GRANT_TABLE region");
        check_report("grant_dom0", CHECK_SKIP, "no GRANT_TABLE region");
        return;
    }
    volatile grant_entry_v1_t *table = (volatile void *)(uintptr_t)r->addr;
    print_entry(GNTTAB_RESERVED_CONSOLE, &table[GNTTAB_RESERVED_CONSOLE]);
    print_entry(GNTTAB_RESERVED_XENSTORE, &table[GNTTAB_RESERVED_XENSTORE]);
    bool ok = seeded_ok(&table[GNTTAB_RESERVED_CONSOLE], CONSOLE_GFN) &&
              seeded_ok(&table[GNTTAB_RESERVED_XENSTORE], XENSTORE_GFN);
    check_report("grant_table", ok ? CHECK_PASS : CHECK_FAIL,
                 ok ? "console and xenstore entries seeded" : "seeded entries missing");
    if (no_dom0)
        check_report("grant_dom0", CHECK_SKIP, "flbg.nodom0: no grant offered");
    else
        offer_grant(table);
}

/* Not mapped: a read of a hole in an HVM guest's physmap returns all ones. */
void check_grant_status(const struct hvm_start_info *si)
{
    const struct hvm_memmap_table_entry *r = memmap_find(si, FLB_MEMMAP_GNTTAB_STATUS);
    if (!r) {
        check_report("gnttab_status", CHECK_SKIP, "no GNTTAB_STATUS region");
        return;
    }
    const struct hvm_memmap_table_entry *e = (const void *)(uintptr_t)si->memmap_paddr;
    for (uint32_t i = 0; i < si->memmap_entries; i++)
        if (e[i].type == FLB_MEMMAP_RAM && e[i].addr < r->addr + r->size && r->addr < e[i].addr + e[i].size) {
            check_report("gnttab_status", CHECK_FAIL, "overlaps RAM");
            return;
        }
    uint64_t word = *(const volatile uint64_t *)(uintptr_t)r->addr;
    con_begin("gnttab_status");
    con_str("first_word=");
    con_hex(word);
    con_end();
    check_report("gnttab_status", word == UINT64_MAX ? CHECK_PASS : CHECK_FAIL,
                 word == UINT64_MAX ? "reserved, not backed" : "backed by memory");
}
