/* ACPI tables for a PVH guest: RSDP, XSDT, a hardware-reduced FADT, a minimal DSDT and a MADT, built as one
 * blob. */
#ifndef FLB_ACPI_H
#define FLB_ACPI_H

#include <stdbool.h>
#include <stdint.h>

#include "core/error.h"
#include "core/layout.h"

/*
 * The blob a guest receives, laid out from its base (lib/DESIGN.md, "ACPI
 * tables"). The RSDP comes first: libxenguest hands the address of the first
 * ACPI module to the guest as start_info.rsdp_paddr.
 *
 *   RSDP  36 bytes, revision 2, the XSDT's address only
 *   XSDT  36 + 8 per table: FADT, MADT
 *   FADT  "FACP", revision 5 (268 bytes), HW_REDUCED_ACPI: no FACS, no fixed hardware
 *   DSDT  the header alone: no AML
 *   MADT  "APIC", revision 2, 44 + 8 bytes per possible vCPU
 *
 * in this order, each on a 16-byte boundary.
 */
#define FLB_ACPI_MAX_VCPUS 128u /* xAPIC entries: APIC ID 2 * index must fit a byte */
#define FLB_ACPI_MAX_SIZE 4096u /* the blob always fits one page */
#define FLB_ACPI_MAX_TABLES 5u

/* The local APIC's address, as every Xen vCPU sees it. */
#define FLB_ACPI_LAPIC_ADDR UINT32_C(0xFEE00000)

struct flb_acpi_table {
    char signature[5]; /* "RSDP" names the root pointer, whose own signature is "RSD PTR " */
    flb_gpa addr;
    uint32_t length;
    uint8_t revision;
};

struct flb_acpi {
    flb_gpa base; /* where the blob starts: the RSDP */
    uint32_t size;
    uint8_t blob[FLB_ACPI_MAX_SIZE];

    unsigned nr_tables; /* RSDP, XSDT, FACP, DSDT, APIC, in blob order */
    struct flb_acpi_table table[FLB_ACPI_MAX_TABLES];

    unsigned max_vcpus; /* MADT entries */
    unsigned vcpus;     /* of which enabled: the first vcpus */
};

/*
 * Builds the tables for a guest with max_vcpus possible vCPUs, the first
 * vcpus of them online at boot, to sit at base. vCPU i has ACPI processor
 * UID i and APIC ID 2 * i, as Xen's virtual local APIC reports it. Pure.
 */
int flb_acpi_build(struct flb_acpi *acpi, flb_gpa base, unsigned vcpus, unsigned max_vcpus,
                   struct flb_error *err);

/* The table with this signature ("RSDP", "XSDT", "FACP", "DSDT", "APIC"), or NULL. */
const struct flb_acpi_table *flb_acpi_find(const struct flb_acpi *acpi, const char *signature);

/* The 8-bit sum of len bytes: 0 for a table whose checksum is right. */
uint8_t flb_acpi_sum(const uint8_t *p, uint32_t len);

#endif
