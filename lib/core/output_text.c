/* The dry-run for people: the E820 as a table, then the start_info fields. */
#include "core/output.h"

#include <inttypes.h>

#include "core/hvm_start_info_abi.h"

static void print_region_note(FILE *out, const struct flb_layout *layout)
{
    if (!layout->fixed) {
        fputs("fixed_mem_layout is off: no special regions; the guest maps shared info and grant frames itself.\n",
              out);
        return;
    }
    fprintf(out, "Special regions start at 0x%" PRIx64 "; they lie above 4 GiB, out of reach until the\n"
                 "guest enables PAE or long mode.\n", layout->special_start);
    if (layout->gnttab_status.size)
        fputs("GNTTAB_STATUS is reserved, not mapped: status frames exist only once the guest itself\n"
              "switches to grant table v2.\n", out);
}

static void print_assumptions(FILE *out, const struct flb_plan *plan)
{
    if (plan->assumed_max_grant_frames)
        fprintf(out, "assumed: max_grant_frames = %" PRIu32 " (Xen's gnttab_max_frames default; set it to be sure)\n",
                plan->domain.max_grant_frames);
    if (plan->assumed_max_grant_version)
        fprintf(out, "assumed: max_grant_version = %" PRIu32 " (the highest this Xen supports, not asked in a dry-run)\n",
                plan->domain.max_grant_version);
}

void flb_output_text(FILE *out, const struct flb_plan *plan)
{
    const struct flb_layout *layout = &plan->layout;
    const struct flb_start_info *si = &plan->start_info;
    char size[32];

    fprintf(out, "Guest \"%s\": %" PRIu64 " MiB, %" PRIu32 " vCPU(s), PVH\n\n", plan->name,
            plan->image.memory_mib, plan->domain.vcpus);
    fprintf(out, "E820 (%u entries)\n", layout->map.nr);
    fprintf(out, "  %-18s  %-18s  %10s  %s\n", "start", "end (incl.)", "size", "type");
    for (unsigned i = 0; i < layout->map.nr; i++) {
        const struct flb_memmap_entry *e = &layout->map.entry[i];
        flb_format_size(e->size, size, sizeof(size));
        fprintf(out, "  0x%016" PRIx64 "  0x%016" PRIx64 "  %10s  0x%x %s\n", e->addr, e->addr + e->size - 1,
                size, e->type, flb_memmap_type_name(e->type));
    }
    fputc('\n', out);
    print_region_note(out, layout);

    fputs("\nstart_info (hvm_start_info v1)\n", out);
    fprintf(out, "  magic           0x%08" PRIx32 "\n", si->magic);
    fprintf(out, "  version         %" PRIu32 "\n", si->version);
    fprintf(out, "  flags           0x%" PRIx32 "\n", si->flags);
    fprintf(out, "  nr_modules      %" PRIu32 "%s\n", si->nr_modules, si->nr_modules ? " (the ramdisk)" : "");
    fprintf(out, "  cmdline         ");
    flb_json_string(out, si->cmdline);
    fputc('\n', out);
    fprintf(out, "  rsdp_paddr      0x%" PRIx64 " (no ACPI tables are built)\n", si->rsdp_paddr);
    fprintf(out, "  memmap_entries  %" PRIu32 " (%u bytes)\n", si->memmap_entries,
            si->memmap_entries * FLB_MEMMAP_ENTRY_SIZE);
    fputs("  The guest addresses of start_info and its tables are chosen by libxenguest at build time.\n",
          out);
    print_assumptions(out, plan);
}
