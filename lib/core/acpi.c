/* Building the ACPI tables a PVH guest finds through start_info.rsdp_paddr, into one buffer. */
#include "core/acpi.h"

#include <string.h>

#include "core/le.h"

/* Header fields every table carries (ACPI 6.5, 5.2.6). */
#define HEADER_SIZE 36u
#define OEM_ID "FIXLAY"         /* 6 bytes */
#define OEM_TABLE_ID "PVH     " /* 8 bytes */
#define OEM_REVISION 1u
#define CREATOR_ID "FLB " /* 4 bytes */
#define CREATOR_REVISION 1u

#define RSDP_SIZE 36u
#define RSDP_V1_SIZE 20u /* the part the first checksum covers */
#define FADT_SIZE 268u   /* revision 5 */
#define MADT_FIXED_SIZE 44u
#define MADT_LAPIC_SIZE 8u
#define TABLE_ALIGN 16u

/* FADT fields (ACPI 6.5, 5.2.9) at their byte offsets. */
#define FADT_DSDT 40u
#define FADT_IAPC_BOOT_ARCH 109u
#define FADT_FLAGS 112u
#define FADT_X_DSDT 140u
#define IAPC_VGA_NOT_PRESENT (1u << 2)
#define IAPC_CMOS_RTC_NOT_PRESENT (1u << 5)
#define FADT_WBINVD (1u << 0)
#define FADT_PWR_BUTTON (1u << 4) /* no fixed-feature power button */
#define FADT_SLP_BUTTON (1u << 5) /* no fixed-feature sleep button */
#define FADT_HW_REDUCED_ACPI (1u << 20)

#define MADT_TYPE_LOCAL_APIC 0u
#define MADT_LAPIC_ENABLED 1u

uint8_t flb_acpi_sum(const uint8_t *p, uint32_t len)
{
    uint8_t sum = 0;

    while (len--)
        sum = (uint8_t)(sum + *p++);
    return sum;
}

/* Makes the len bytes at p sum to 0 through the checksum byte at p[at]. */
static void checksum(uint8_t *p, uint32_t len, uint32_t at)
{
    p[at] = 0;
    p[at] = (uint8_t)(0x100 - flb_acpi_sum(p, len));
}

/* Reserves the next table's room in the blob and records it; returns its bytes. */
static uint8_t *add_table(struct flb_acpi *acpi, const char *signature, uint32_t length, uint8_t revision)
{
    struct flb_acpi_table *t = &acpi->table[acpi->nr_tables++];
    uint32_t off = (acpi->size + TABLE_ALIGN - 1) & ~(TABLE_ALIGN - 1);

    memcpy(t->signature, signature, 5);
    t->addr = acpi->base + off;
    t->length = length;
    t->revision = revision;
    acpi->size = off + length;
    return acpi->blob + off;
}

/* The 36-byte header every table but the RSDP starts with; the checksum is set once the table is whole. */
static void header(uint8_t *p, const char *signature, uint32_t length, uint8_t revision)
{
    memcpy(p, signature, 4);
    flb_le_put(p + 4, length, 4);
    p[8] = revision;
    memcpy(p + 10, OEM_ID, 6);
    memcpy(p + 16, OEM_TABLE_ID, 8);
    flb_le_put(p + 24, OEM_REVISION, 4);
    memcpy(p + 28, CREATOR_ID, 4);
    flb_le_put(p + 32, CREATOR_REVISION, 4);
}

/*
 * Hardware-reduced: Xen emulates no ACPI fixed hardware for a PVH guest (no
 * PM1 or GPE blocks, no PM timer, no SCI), so the FADT says there is none,
 * and the guest has no registers to poll and no FACS to look for.
 */
static void build_fadt(uint8_t *p, flb_gpa dsdt)
{
    header(p, "FACP", FADT_SIZE, 5);
    flb_le_put(p + FADT_DSDT, (uint32_t)dsdt, 4);
    flb_le_put(p + FADT_IAPC_BOOT_ARCH, IAPC_VGA_NOT_PRESENT | IAPC_CMOS_RTC_NOT_PRESENT, 2);
    flb_le_put(p + FADT_FLAGS, FADT_WBINVD | FADT_PWR_BUTTON | FADT_SLP_BUTTON | FADT_HW_REDUCED_ACPI, 4);
    flb_le_put(p + FADT_X_DSDT, dsdt, 8);
    checksum(p, FADT_SIZE, 9);
}

/*
 * One local APIC entry per possible vCPU: enabled for those online at boot,
 * present but disabled for the rest, which a guest counts as hotplug slots.
 * No I/O APIC and no 8259 pair (flags 0): PVH emulates only the local APIC.
 */
static void build_madt(uint8_t *p, uint32_t length, unsigned vcpus, unsigned max_vcpus)
{
    header(p, "APIC", length, 2);
    flb_le_put(p + 36, FLB_ACPI_LAPIC_ADDR, 4);
    flb_le_put(p + 40, 0, 4);
    for (unsigned i = 0; i < max_vcpus; i++) {
        uint8_t *e = p + MADT_FIXED_SIZE + i * MADT_LAPIC_SIZE;

        e[0] = MADT_TYPE_LOCAL_APIC;
        e[1] = MADT_LAPIC_SIZE;
        e[2] = (uint8_t)i;       /* ACPI processor UID */
        e[3] = (uint8_t)(2 * i); /* APIC ID: Xen's vLAPIC reports vcpu_id * 2 */
        flb_le_put(e + 4, i < vcpus ? MADT_LAPIC_ENABLED : 0, 4);
    }
    checksum(p, length, 9);
}

/* Revision 2 with the XSDT alone: every guest this tool serves reads ACPI 2.0 or later. */
static void build_rsdp(uint8_t *p, flb_gpa xsdt)
{
    memcpy(p, "RSD PTR ", 8);
    memcpy(p + 9, OEM_ID, 6);
    p[15] = 2;
    flb_le_put(p + 16, 0, 4); /* no RSDT */
    flb_le_put(p + 20, RSDP_SIZE, 4);
    flb_le_put(p + 24, xsdt, 8);
    checksum(p, RSDP_V1_SIZE, 8);
    checksum(p, RSDP_SIZE, 32);
}

int flb_acpi_build(struct flb_acpi *acpi, flb_gpa base, unsigned vcpus, unsigned max_vcpus,
                   struct flb_error *err)
{
    uint8_t *rsdp, *xsdt, *fadt, *dsdt, *madt;
    uint32_t madt_len = MADT_FIXED_SIZE + max_vcpus * MADT_LAPIC_SIZE;

    if (vcpus < 1 || vcpus > max_vcpus || max_vcpus > FLB_ACPI_MAX_VCPUS)
        return flb_fail(err, FLB_E_INPUT,
                        "ACPI tables: %u of %u vCPUs online: need 1 <= vcpus <= maxvcpus <= %u", vcpus,
                        max_vcpus, FLB_ACPI_MAX_VCPUS);
    if (base % TABLE_ALIGN)
        return flb_fail(err, FLB_E_SYSTEM, "ACPI tables: base 0x%llx is not %u-byte aligned",
                        (unsigned long long)base, TABLE_ALIGN);
    memset(acpi, 0, sizeof(*acpi));
    acpi->base = base;
    acpi->vcpus = vcpus;
    acpi->max_vcpus = max_vcpus;

    rsdp = add_table(acpi, "RSDP", RSDP_SIZE, 2);
    xsdt = add_table(acpi, "XSDT", HEADER_SIZE + 2 * 8, 1);
    fadt = add_table(acpi, "FACP", FADT_SIZE, 5);
    dsdt = add_table(acpi, "DSDT", HEADER_SIZE, 2);
    madt = add_table(acpi, "APIC", madt_len, 2);

    header(dsdt, "DSDT", HEADER_SIZE, 2);
    checksum(dsdt, HEADER_SIZE, 9);
    build_fadt(fadt, acpi->table[3].addr);
    build_madt(madt, madt_len, vcpus, max_vcpus);
    header(xsdt, "XSDT", HEADER_SIZE + 2 * 8, 1);
    flb_le_put(xsdt + HEADER_SIZE, acpi->table[2].addr, 8);
    flb_le_put(xsdt + HEADER_SIZE + 8, acpi->table[4].addr, 8);
    checksum(xsdt, HEADER_SIZE + 2 * 8, 9);
    build_rsdp(rsdp, acpi->table[1].addr);
    return FLB_OK;
}

const struct flb_acpi_table *flb_acpi_find(const struct flb_acpi *acpi, const char *signature)
{
    for (unsigned i = 0; i < acpi->nr_tables; i++)
        if (!strcmp(acpi->table[i].signature, signature))
            return &acpi->table[i];
    return NULL;
}
