/* The ACPI tables: every checksum, length and pointer, the MADT's APIC IDs and enabled flags, the limits. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "core/acpi.h"

#define BASE UINT64_C(0xFC000000)

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t get64(const uint8_t *p)
{
    return get32(p) | (uint64_t)get32(p + 4) << 32;
}

static const uint8_t *bytes(const struct flb_acpi *a, const struct flb_acpi_table *t)
{
    return a->blob + (t->addr - a->base);
}

/* Every table checksums, says its own length and signature, and lies inside the blob without overlap. */
static void check_tables(const struct flb_acpi *a, const char *what)
{
    static const char *order[] = {"RSDP", "XSDT", "FACP", "DSDT", "APIC"};
    uint64_t prev_end = a->base;

    CHECK(a->nr_tables == 5, "%s: %u tables", what, a->nr_tables);
    for (unsigned i = 0; i < a->nr_tables && i < 5; i++) {
        const struct flb_acpi_table *t = &a->table[i];
        const uint8_t *p = bytes(a, t);

        CHECK(!strcmp(t->signature, order[i]), "%s: table %u is %s", what, i, t->signature);
        CHECK(t->addr >= prev_end && t->addr % 16 == 0, "%s: %s at 0x%llx", what, t->signature,
              (unsigned long long)t->addr);
        CHECK(t->addr + t->length <= a->base + a->size, "%s: %s ends past the blob", what, t->signature);
        prev_end = t->addr + t->length;
        if (i == 0) {
            CHECK(!memcmp(p, "RSD PTR ", 8), "%s: RSDP signature", what);
            CHECK(flb_acpi_sum(p, 20) == 0, "%s: RSDP checksum", what);
            CHECK(flb_acpi_sum(p, 36) == 0, "%s: RSDP extended checksum", what);
            CHECK(p[15] == 2 && get32(p + 20) == 36, "%s: RSDP revision %u, length %u", what, p[15],
                  get32(p + 20));
            continue;
        }
        CHECK(!memcmp(p, t->signature, 4), "%s: %s header signature", what, t->signature);
        CHECK(get32(p + 4) == t->length, "%s: %s says length %u, recorded %u", what, t->signature,
              get32(p + 4), t->length);
        CHECK(p[8] == t->revision, "%s: %s revision %u", what, t->signature, p[8]);
        CHECK(flb_acpi_sum(p, t->length) == 0, "%s: %s checksum", what, t->signature);
    }
    CHECK(a->size <= FLB_ACPI_MAX_SIZE, "%s: %u bytes", what, a->size);
}

static void check_madt(const struct flb_acpi *a, unsigned vcpus, unsigned max_vcpus, const char *what)
{
    const struct flb_acpi_table *t = flb_acpi_find(a, "APIC");
    const uint8_t *p = bytes(a, t);
    unsigned enabled = 0;

    CHECK(t->length == 44 + 8 * max_vcpus, "%s: MADT length %u", what, t->length);
    CHECK(get32(p + 36) == 0xFEE00000u, "%s: local APIC at 0x%x", what, get32(p + 36));
    CHECK(get32(p + 40) == 0, "%s: MADT flags 0x%x", what, get32(p + 40));
    for (unsigned i = 0; i < max_vcpus; i++) {
        const uint8_t *e = p + 44 + 8 * i;

        CHECK(e[0] == 0 && e[1] == 8, "%s: entry %u type %u length %u", what, i, e[0], e[1]);
        CHECK(e[2] == i && e[3] == 2 * i, "%s: entry %u: UID %u, APIC ID %u", what, i, e[2], e[3]);
        CHECK(get32(e + 4) == (i < vcpus ? 1u : 0u), "%s: entry %u flags %u", what, i, get32(e + 4));
        enabled += get32(e + 4) & 1;
    }
    CHECK(enabled == vcpus, "%s: %u enabled", what, enabled);
}

static void test_layout_of_two_vcpus(void)
{
    static struct flb_acpi a;
    struct flb_error err = {{0}};
    const uint8_t *rsdp, *xsdt, *fadt;

    CHECK(flb_acpi_build(&a, BASE, 2, 2, &err) == FLB_OK, "%s", err.msg);
    check_tables(&a, "2 of 2");
    check_madt(&a, 2, 2, "2 of 2");
    rsdp = bytes(&a, &a.table[0]);
    xsdt = bytes(&a, flb_acpi_find(&a, "XSDT"));
    fadt = bytes(&a, flb_acpi_find(&a, "FACP"));
    CHECK(a.table[0].addr == BASE, "the RSDP starts the blob: 0x%llx", (unsigned long long)a.table[0].addr);
    CHECK(get32(rsdp + 16) == 0, "no RSDT: 0x%x", get32(rsdp + 16));
    CHECK(get64(rsdp + 24) == flb_acpi_find(&a, "XSDT")->addr, "RSDP -> XSDT");
    CHECK(get32(xsdt + 4) == 52, "XSDT length %u", get32(xsdt + 4));
    CHECK(get64(xsdt + 36) == flb_acpi_find(&a, "FACP")->addr, "XSDT[0] is the FADT");
    CHECK(get64(xsdt + 44) == flb_acpi_find(&a, "APIC")->addr, "XSDT[1] is the MADT");
    CHECK(get32(fadt + 4) == 268 && fadt[8] == 5, "FADT length %u revision %u", get32(fadt + 4), fadt[8]);
    CHECK(get32(fadt + 36) == 0, "no FACS: 0x%x", get32(fadt + 36));
    CHECK(get32(fadt + 40) == flb_acpi_find(&a, "DSDT")->addr, "FADT -> DSDT (32-bit)");
    CHECK(get64(fadt + 140) == flb_acpi_find(&a, "DSDT")->addr, "FADT -> DSDT (64-bit)");
    CHECK(get32(fadt + 112) == 0x00100031u, "FADT flags 0x%x", get32(fadt + 112));
    CHECK(fadt[109] == 0x24 && fadt[110] == 0, "IAPC_BOOT_ARCH 0x%x", fadt[109] | fadt[110] << 8);
    CHECK(flb_acpi_find(&a, "FACS") == NULL, "a hardware-reduced FADT needs no FACS");
}

/* Every valid vCPU count, with a pseudo-random maxvcpus at or above it, gives sound tables. */
static void test_every_vcpu_count(void)
{
    static struct flb_acpi a;
    unsigned seed = 12345;

    for (unsigned vcpus = 1; vcpus <= 128; vcpus++) {
        unsigned max_vcpus;
        struct flb_error err = {{0}};
        char what[32];

        seed = seed * 1103515245u + 12345u;
        max_vcpus = vcpus + (seed >> 16) % (129 - vcpus);
        snprintf(what, sizeof(what), "%u of %u", vcpus, max_vcpus);
        CHECK(flb_acpi_build(&a, BASE, vcpus, max_vcpus, &err) == FLB_OK, "%s: %s", what, err.msg);
        check_tables(&a, what);
        check_madt(&a, vcpus, max_vcpus, what);
    }
}

static void test_limits(void)
{
    static struct flb_acpi a;
    struct flb_error err = {{0}};

    CHECK(flb_acpi_build(&a, BASE, 128, 128, &err) == FLB_OK, "%s", err.msg);
    CHECK(a.size == 0x30 + 52 + 12 + 268 + 4 + 36 + 12 + 44 + 8 * 128, "128 vCPUs: %u bytes", a.size);
    CHECK(flb_acpi_build(&a, BASE, 2, 129, &err) == FLB_E_INPUT, "129 possible vCPUs accepted");
    CHECK(!strcmp(err.msg, "ACPI tables: 2 of 129 vCPUs online: need 1 <= vcpus <= maxvcpus <= 128"), "%s",
          err.msg);
    memset(&err, 0, sizeof(err));
    CHECK(flb_acpi_build(&a, BASE, 3, 2, &err) == FLB_E_INPUT, "more online than possible accepted");
    memset(&err, 0, sizeof(err));
    CHECK(flb_acpi_build(&a, BASE + 8, 1, 1, &err) == FLB_E_SYSTEM, "unaligned base accepted");
    CHECK(!strcmp(err.msg, "ACPI tables: base 0xfc000008 is not 16-byte aligned"), "%s", err.msg);
}

int main(void)
{
    test_layout_of_two_vcpus();
    test_every_vcpu_count();
    test_limits();
    return check_summary();
}
