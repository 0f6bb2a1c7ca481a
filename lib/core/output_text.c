/* The dry-run for people: the E820 as a table, then the start_info fields. */
#include "core/output.h"

#include <inttypes.h>
#include <string.h>

#include "core/hvm_start_info_abi.h"
#include "core/plan_settings.h"

static void print_region_note(FILE *out, const struct flb_layout *layout)
{
    if (!layout->fixed) {
        fputs("fixed_mem_layout is off: no special regions; the guest maps shared info and grant frames "
              "itself.\n",
              out);
        return;
    }
    fprintf(out,
            "Special regions start at 0x%" PRIx64 "; they lie above 4 GiB, out of reach until the\n"
            "guest enables PAE or long mode.\n",
            layout->special_start);
    if (layout->gnttab_status.size)
        fputs("GNTTAB_STATUS is reserved, not mapped: status frames exist only once the guest itself\n"
              "switches to grant table v2.\n",
              out);
}

static void print_assumptions(FILE *out, const struct flb_plan *plan)
{
    if (plan->assumed_max_grant_frames)
        fprintf(out,
                "assumed: max_grant_frames = %" PRIu32
                " (Xen's gnttab_max_frames default; set it to be sure)\n",
                plan->domain.max_grant_frames);
    if (plan->assumed_max_grant_version)
        fprintf(out,
                "assumed: max_grant_version = %" PRIu32
                " (the highest this Xen supports, not asked in a dry-run)\n",
                plan->domain.max_grant_version);
}

/* What the config set on the domain beyond xl's defaults; nothing when it set nothing. */
static void print_settings(FILE *out, const struct flb_plan *plan)
{
    struct flb_setting s[FLB_MAX_SETTINGS];
    size_t n = flb_plan_settings(plan, s);

    if (!n)
        return;
    fputs("Domain settings that differ from xl's defaults\n", out);
    for (size_t i = 0; i < n; i++) {
        fprintf(out, "  %-18s  ", s[i].key);
        if (s[i].kind == FLB_SETTING_TEXT)
            fprintf(out, "%s\n", s[i].text);
        else
            fprintf(out, "%" PRIu64 "%s\n", s[i].number, !strcmp(s[i].key, "shadow_memory") ? " MiB" : "");
    }
    fputc('\n', out);
}

/* The MADT's local APICs in runs: "APIC IDs 0-6 (step 2) enabled, 8-14 disabled". */
static void print_local_apics(FILE *out, const struct flb_acpi *acpi)
{
    fprintf(out, "  MADT: %u local APIC(s), APIC ID 2 x vCPU index: ", acpi->max_vcpus);
    if (acpi->vcpus == 1)
        fputs("0 enabled", out);
    else
        fprintf(out, "0-%u (step 2) enabled", 2 * (acpi->vcpus - 1));
    if (acpi->max_vcpus == acpi->vcpus + 1)
        fprintf(out, ", %u present but disabled", 2 * acpi->vcpus);
    else if (acpi->max_vcpus > acpi->vcpus)
        fprintf(out, ", %u-%u present but disabled", 2 * acpi->vcpus, 2 * (acpi->max_vcpus - 1));
    fputc('\n', out);
}

static void print_acpi(FILE *out, const struct flb_plan *plan)
{
    if (!plan->has_acpi) {
        fputs("\nNo ACPI tables (acpi = 0).\n", out);
        return;
    }
    fprintf(out, "\nACPI tables (%u bytes from 0x%" PRIx64 ")\n", plan->acpi.size, plan->acpi.base);
    for (unsigned i = 0; i < plan->acpi.nr_tables; i++) {
        const struct flb_acpi_table *t = &plan->acpi.table[i];
        fprintf(out, "  %s  0x%016" PRIx64 "  %4" PRIu32 " bytes  revision %u\n", t->signature, t->addr,
                t->length, t->revision);
    }
    fputs("  FACP is hardware-reduced: no FACS, no fixed ACPI hardware.\n", out);
    print_local_apics(out, &plan->acpi);
}

/* The size column is as wide as its widest entry: a 16 TiB region in KiB must not shift the type column. */
static int size_width(const struct flb_memmap *map)
{
    char size[32];
    int width = 10;

    for (unsigned i = 0; i < map->nr; i++) {
        flb_format_size(map->entry[i].size, size, sizeof(size));
        if ((int)strlen(size) > width)
            width = (int)strlen(size);
    }
    return width;
}

/* The config's strings, escaped: a name or a path must not reach the terminal raw. */
static void print_guest(FILE *out, const struct flb_plan *plan)
{
    fputs("Guest ", out);
    flb_text_escape(out, plan->name, true);
    fprintf(out, ": %" PRIu64 " MiB, %" PRIu32 " vCPU(s), PVH\n", plan->image.memory_mib, plan->domain.vcpus);
    fputs("  kernel   ", out);
    flb_text_escape(out, plan->image.kernel ? plan->image.kernel : "", true);
    fputs("\n  ramdisk  ", out);
    if (plan->image.ramdisk)
        flb_text_escape(out, plan->image.ramdisk, true);
    else
        fputs("none", out);
    fputs("\n\n", out);
}

void flb_output_text(FILE *out, const struct flb_plan *plan)
{
    const struct flb_layout *layout = &plan->layout;
    const struct flb_start_info *si = &plan->start_info;
    int width = size_width(&layout->map);
    char size[32];

    print_guest(out, plan);
    print_settings(out, plan);
    fprintf(out, "E820 (%u entries)\n", layout->map.nr);
    fprintf(out, "  %-18s  %-18s  %*s  %s\n", "start", "end (incl.)", width, "size", "type");
    for (unsigned i = 0; i < layout->map.nr; i++) {
        const struct flb_memmap_entry *e = &layout->map.entry[i];
        flb_format_size(e->size, size, sizeof(size));
        fprintf(out, "  0x%016" PRIx64 "  0x%016" PRIx64 "  %*s  0x%x %s\n", e->addr, e->addr + e->size - 1,
                width, size, e->type, flb_memmap_type_name(e->type));
    }
    fputc('\n', out);
    print_region_note(out, layout);
    print_acpi(out, plan);

    fputs("\nstart_info (hvm_start_info v1)\n", out);
    fprintf(out, "  magic           0x%08" PRIx32 "\n", si->magic);
    fprintf(out, "  version         %" PRIu32 "\n", si->version);
    fprintf(out, "  flags           0x%" PRIx32 "\n", si->flags);
    fprintf(out, "  nr_modules      %" PRIu32 "%s\n", si->nr_modules, si->nr_modules ? " (the ramdisk)" : "");
    fprintf(out, "  cmdline         ");
    flb_text_escape(out, si->cmdline, true);
    fputc('\n', out);
    fprintf(out, "  rsdp_paddr      0x%" PRIx64 "%s\n", si->rsdp_paddr,
            si->rsdp_paddr ? " (the RSDP)" : " (no ACPI tables)");
    fprintf(out, "  memmap_entries  %" PRIu32 " (%u bytes)\n", si->memmap_entries,
            si->memmap_entries * FLB_MEMMAP_ENTRY_SIZE);
    fputs("  The guest addresses of start_info and its tables are chosen by libxenguest at build time.\n",
          out);
    print_assumptions(out, plan);
}
