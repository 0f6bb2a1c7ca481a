/* Writing what the guest will get, byte for byte, into a directory: the ACPI tables, start_info, the memory
 * map. */
#ifndef FLB_DUMP_H
#define FLB_DUMP_H

#include "core/error.h"
#include "core/plan.h"

/*
 * Writes into dir (created if missing; it must not be anything but a
 * directory):
 *   rsdp.dat xsdt.dat facp.dat dsdt.dat apic.dat  each ACPI table as the guest
 *       reads it, named as acpixtract names tables (none with acpi = 0);
 *   memmap.bin  the memory map's 24-byte entries;
 *   start_info.bin  the 56-byte header, then the command line and its NUL if
 *       there is one. The guest addresses libxenguest chooses at build time
 *       (modlist_paddr, cmdline_paddr, memmap_paddr) are 0 in it, and the
 *       module list, whose addresses libxenguest also chooses, is left out.
 * All or nothing: on failure no file of the set is left behind, nor a
 * directory this call created. FLB_E_INPUT: dir is not a usable directory.
 */
int flb_dump_plan(const struct flb_plan *plan, const char *dir, struct flb_error *err);

#endif
