/* The test guest's checks, each printing "FLBG CHECK <name> PASS|FAIL|SKIP <detail>". */
#ifndef FLB_GUEST_H
#define FLB_GUEST_H

#include <stdbool.h>
#include <stdint.h>

#include <xen/xen.h>
#include <xen/arch-x86/hvm/start_info.h>
#include <xen/grant_table.h>

#include "core/hvm_start_info_abi.h"
#include "core/xen_pvh_layout.h"

/* Set by the entry code when it mapped memory with 1 GiB pages. */
extern uint32_t huge_pages;

/* Outcome of one check, printed by check_report(). */
enum check_result { CHECK_PASS, CHECK_FAIL, CHECK_SKIP };

void check_report(const char *name, enum check_result r, const char *detail);

/* The memmap entry of the given type, or NULL. */
const struct hvm_memmap_table_entry *memmap_find(const struct hvm_start_info *si, uint32_t type);

/* Guest clock: nanoseconds from the shared info time when known, else raw TSC ticks. */
void clock_init(const struct shared_info *s);
uint64_t clock_ns(void);

/* "flbg.nodom0" on the command line: nobody in dom0 answers the grant offer, so none is made. */
extern bool no_dom0;

/* Checks of the fixed-layout regions (regions.c). */
void check_shared_info(const struct hvm_start_info *si);
void check_grant_table(const struct hvm_start_info *si);
void check_grant_status(const struct hvm_start_info *si);

/*
 * Offers dom0 a grant in the fixed grant table and waits, bounded, for its
 * acknowledgement, printing only the offer (regions.c); false without the
 * fixed regions or the acknowledgement.
 */
bool grant_handshake(const struct hvm_start_info *si);

/* Asks Xen for its hypercall page (hypercall.c); false when this is not Xen. */
bool hypercalls_init(void);
long hypercall2(unsigned op, unsigned long a1, void *a2);

/* xenstore on its ring, one request at a time (xenstore.c); paths relative to the domain's. */
bool xs_init(void);
bool xs_read_node(const char *path, char *value, uint32_t len);
bool xs_write_node(const char *path, const char *value);

/* One line on the PV console ring, then the notification (pvcon.c); false when it cannot. */
bool pv_console_write(const char *line);

/*
 * Ends as the command line's flbg.end= says (halt, poweroff, reboot, crash,
 * triple, watchdog, or control: as dom0 asks through control/shutdown),
 * after dom0's acknowledgement of a grant with flbg.ack (ending.c). With
 * flbg.pvcon it first says so on the PV console: "FLBG pv console, ending".
 */
void guest_end(const struct hvm_start_info *si, const char *cmdline);

/* "FLBG cpuid" lines: the CPUID leaves the config's keys change (cpuid.c). */
void print_cpuid(void);

/* The ACPI tables start_info points at (acpi.c). */
void check_acpi(const struct hvm_start_info *si);

static inline void barrier(void)
{
    __asm__ volatile("" ::: "memory");
}

static inline void cpu_relax(void)
{
    __asm__ volatile("pause" ::: "memory");
}

#endif
