/* The dry-run for scripts: one JSON object, integers as JSON numbers. */
#include "core/output.h"

#include <inttypes.h>

static void region(FILE *out, const char *key, const struct flb_region *r, int last)
{
    fprintf(out, "    \"%s\": ", key);
    if (r->size)
        fprintf(out, "{\"addr\": %" PRIu64 ", \"size\": %" PRIu64 ", \"pages\": %" PRIu64 "}", r->addr, r->size,
                r->pages);
    else
        fputs("null", out);
    fputs(last ? "\n" : ",\n", out);
}

static void acpi(FILE *out, const struct flb_plan *plan)
{
    const struct flb_acpi *a = &plan->acpi;

    if (!plan->has_acpi) {
        fputs("  \"acpi\": null,\n", out);
        return;
    }
    fprintf(out, "  \"acpi\": {\n    \"rsdp\": %" PRIu64 ",\n    \"tables\": [\n", a->base);
    for (unsigned i = 0; i < a->nr_tables; i++)
        fprintf(out, "      {\"signature\": \"%s\", \"addr\": %" PRIu64 ", \"length\": %" PRIu32
                     ", \"revision\": %u}%s\n",
                a->table[i].signature, a->table[i].addr, a->table[i].length, a->table[i].revision,
                i + 1 < a->nr_tables ? "," : "");
    fputs("    ],\n    \"local_apics\": [", out);
    for (unsigned i = 0; i < a->max_vcpus; i++)
        fprintf(out, "%s{\"apic_id\": %u, \"enabled\": %s}", i ? ", " : "", 2 * i,
                i < a->vcpus ? "true" : "false");
    fputs("]\n  },\n", out);
}

void flb_output_json(FILE *out, const struct flb_plan *plan)
{
    const struct flb_layout *layout = &plan->layout;
    const struct flb_start_info *si = &plan->start_info;
    const struct flb_plan_domain *d = &plan->domain;

    fputs("{\n  \"name\": ", out);
    flb_json_string(out, plan->name);
    fprintf(out, ",\n  \"memory_mib\": %" PRIu64 ",\n  \"vcpus\": %" PRIu32 ",\n  \"maxvcpus\": %" PRIu32 ",\n",
            plan->image.memory_mib, d->vcpus, d->max_vcpus);
    fprintf(out, "  \"max_grant_frames\": %" PRIu32 ",\n  \"max_maptrack_frames\": %" PRIu32
                 ",\n  \"max_grant_version\": %" PRIu32 ",\n",
            d->max_grant_frames, d->max_maptrack_frames, d->max_grant_version);
    fprintf(out, "  \"fixed_mem_layout\": %s,\n", layout->fixed ? "true" : "false");
    fputs("  \"kernel\": ", out);
    flb_json_string(out, plan->image.kernel ? plan->image.kernel : "");
    fputs(",\n  \"ramdisk\": ", out);
    if (plan->image.ramdisk)
        flb_json_string(out, plan->image.ramdisk);
    else
        fputs("null", out);
    fputs(",\n  \"e820\": [\n", out);
    for (unsigned i = 0; i < layout->map.nr; i++) {
        const struct flb_memmap_entry *e = &layout->map.entry[i];
        fprintf(out, "    {\"addr\": %" PRIu64 ", \"size\": %" PRIu64 ", \"type\": %" PRIu32 ", \"type_name\": \"%s\"}%s\n",
                e->addr, e->size, e->type, flb_memmap_type_name(e->type), i + 1 < layout->map.nr ? "," : "");
    }
    fputs("  ],\n  \"regions\": {\n", out);
    region(out, "shared_info", &layout->shared_info, 0);
    region(out, "grant_table", &layout->grant_table, 0);
    region(out, "gnttab_status", &layout->gnttab_status, 0);
    region(out, "foreign", &layout->foreign, 1);
    fputs("  },\n", out);
    acpi(out, plan);
    fputs("  \"start_info\": {\n", out);
    fprintf(out, "    \"magic\": %" PRIu32 ",\n    \"version\": %" PRIu32 ",\n    \"flags\": %" PRIu32
                 ",\n    \"nr_modules\": %" PRIu32 ",\n    \"cmdline\": ",
            si->magic, si->version, si->flags, si->nr_modules);
    flb_json_string(out, si->cmdline);
    fprintf(out, ",\n    \"rsdp_paddr\": %" PRIu64 ",\n    \"memmap_entries\": %" PRIu32 "\n  },\n", si->rsdp_paddr,
            si->memmap_entries);
    fprintf(out, "  \"assumed\": {\"max_grant_frames\": %s, \"max_grant_version\": %s}\n}\n",
            plan->assumed_max_grant_frames ? "true" : "false", plan->assumed_max_grant_version ? "true" : "false");
}
