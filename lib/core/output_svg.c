/* The dry-run as a picture: the memory map as a column of labelled bands, an SVG document. */
#include "core/output.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "core/hvm_start_info_abi.h"
#include "core/xen_pvh_layout.h"

#define WIDTH 900
#define TOP 104    /* the first band's top edge */
#define SCALE_X 24 /* the to-scale bar */
#define SCALE_W 14
#define ADDR_X 206 /* right edge of the boundary addresses */
#define BAR_X 216  /* the bands */
#define BAR_W 170
#define LABEL_X 402 /* the labels */
#define MIN_H 34    /* a band holds two lines of label */
#define H_PER_DOUBLING 7

/* An entry of the map, or a hole between two (type 0). */
struct band {
    uint64_t addr, size;
    uint32_t type;
    const char *name;
    int y, h;
};

static const char *fill(uint32_t type)
{
    switch (type) {
    case FLB_MEMMAP_RAM: return "#9ad29a";
    case FLB_MEMMAP_RESERVED: return "#b8b8b8";
    case FLB_MEMMAP_ACPI: return "#f5b86b";
    case FLB_MEMMAP_SHARED_INFO: return "#7fb8e6";
    case FLB_MEMMAP_GRANT_TABLE: return "#b79ad6";
    case FLB_MEMMAP_GNTTAB_STATUS: return "#ee9f9a";
    case FLB_MEMMAP_FOREIGN_REG: return "#f3de7a";
    case 0: return "url(#hole)";
    default: return "#e0e0e0";
    }
}

/* Bands grow with the logarithm of their size: linear, a 4 KiB page next to 4 GiB of RAM would be 1/10^6 of
 * it. */
static int height(uint64_t size)
{
    uint64_t pages = size >> 12;

    return MIN_H + H_PER_DOUBLING * (pages > 1 ? 63 - __builtin_clzll(pages) : 0);
}

/* The map's entries with the holes between them, in address order; returns how many. */
static unsigned make_bands(const struct flb_plan *plan, struct band *b)
{
    const struct flb_memmap *map = &plan->layout.map;
    uint64_t pos = 0;
    unsigned n = 0;
    int y = TOP;

    for (unsigned i = 0; i < map->nr; i++) {
        const struct flb_memmap_entry *e = &map->entry[i];
        if (e->addr > pos) {
            bool mmio = pos >= plan->layout.mmio_start && e->addr <= FLB_4GIB;
            b[n++] = (struct band){pos, e->addr - pos, 0, mmio ? "MMIO hole" : "hole", 0, 0};
        }
        b[n++] = (struct band){e->addr, e->size, e->type, flb_memmap_type_name(e->type), 0, 0};
        pos = e->addr + e->size;
    }
    for (unsigned i = 0; i < n; i++) {
        b[i].y = y;
        b[i].h = height(b[i].size);
        y += b[i].h;
    }
    return n;
}

/* XML text: &, <, > and " as entities. The string has been through flb_text_escape, so holds no controls. */
static void xml_text(FILE *out, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&': fputs("&amp;", out); break;
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '"': fputs("&quot;", out); break;
        default: fputc(*s, out);
        }
    }
}

/* A config string in the picture: escaped for a terminal first (XML 1.0 cannot hold most controls at all). */
static void config_text(FILE *out, const char *s)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);

    if (!m)
        return;
    flb_text_escape(m, s, true);
    if (fclose(m) == 0)
        xml_text(out, buf);
    free(buf);
}

static void header(FILE *out, const struct flb_plan *plan, int h)
{
    fprintf(out,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
            "font-family=\"DejaVu Sans, Verdana, sans-serif\" font-size=\"13\">\n",
            WIDTH, h, WIDTH, h);
    fputs("<title>Memory map of ", out);
    config_text(out, plan->name);
    fputs("</title>\n<defs><pattern id=\"hole\" width=\"8\" height=\"8\" patternUnits=\"userSpaceOnUse\" "
          "patternTransform=\"rotate(45)\"><rect width=\"8\" height=\"8\" fill=\"#ffffff\"/>"
          "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"8\" stroke=\"#d8d8d8\" "
          "stroke-width=\"3\"/></pattern></defs>\n",
          out);
    fprintf(out, "<rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>\n", WIDTH, h);
    fputs("<text x=\"24\" y=\"34\" font-size=\"19\" font-weight=\"bold\">Memory map of ", out);
    config_text(out, plan->name);
    fprintf(out, ": %" PRIu64 " MiB, %" PRIu32 " vCPU(s), PVH</text>\n", plan->image.memory_mib,
            plan->domain.vcpus);
    fputs("<text x=\"24\" y=\"58\" fill=\"#a02020\">Not to scale: each band's height grows with the "
          "logarithm of its size, so that single pages stay visible.</text>\n",
          out);
    fputs("<text x=\"24\" y=\"76\" fill=\"#a02020\">The thin bar on the left is to scale. Hatched bands are "
          "holes: addresses with nothing in the map.</text>\n",
          out);
}

/* The whole address range at its true proportions: the tiny pages vanish there, which is the point. */
static void scale_bar(FILE *out, const struct band *b, unsigned n)
{
    int top = b[0].y, h = b[n - 1].y + b[n - 1].h - top;
    double end = (double)(b[n - 1].addr + b[n - 1].size);

    fprintf(out, "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">to scale</text>\n",
            SCALE_X + SCALE_W / 2 + 6, top - 8);
    for (unsigned i = 0; i < n; i++) {
        double y0 = top + h * (double)b[i].addr / end, y1 = top + h * (double)(b[i].addr + b[i].size) / end;
        fprintf(out, "<rect x=\"%d\" y=\"%.2f\" width=\"%d\" height=\"%.2f\" fill=\"%s\"/>\n", SCALE_X, y0,
                SCALE_W, y1 - y0, fill(b[i].type));
    }
    fprintf(out, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#404040\"/>\n",
            SCALE_X, top, SCALE_W, h);
}

static void band(FILE *out, const struct band *b)
{
    char size[32];
    bool hole = b->type == 0;

    flb_format_size(b->size, size, sizeof(size));
    /* One group per band, classed, so that a reader (or a test) can tell entries from holes. */
    fprintf(out, "<g class=\"%s\">\n", hole ? "hole" : "entry");
    fprintf(out, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\" stroke=\"#404040\"%s/>\n",
            BAR_X, b->y, BAR_W, b->h, fill(b->type), hole ? " stroke-dasharray=\"4 3\"" : "");
    fprintf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-size=\"12\"%s>%s</text>\n",
            BAR_X + BAR_W / 2, b->y + b->h / 2 + 4, hole ? " fill=\"#606060\"" : "", b->name);
    /* The band's start address at its top edge, as the text table's "start" column. */
    fprintf(out,
            "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" font-family=\"DejaVu Sans Mono, monospace\" "
            "font-size=\"11\">0x%016" PRIx64 "</text>\n",
            ADDR_X, b->y + 4, b->addr);
    fprintf(out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#404040\"/>\n", ADDR_X + 2, b->y,
            BAR_X, b->y);
    fprintf(out, "<text x=\"%d\" y=\"%d\"><tspan font-weight=\"bold\"%s>%s</tspan>  %s", LABEL_X, b->y + 15,
            hole ? " fill=\"#606060\"" : "", b->name, size);
    if (hole)
        fputs(b->name[0] == 'M' ? ", for devices: no memory" : ", no memory", out);
    else if (b->size <= 64 * 4096)
        fprintf(out, " (%" PRIu64 " page%s)", b->size >> 12, b->size == 4096 ? "" : "s");
    fputs("</text>\n", out);
    fprintf(out,
            "<text x=\"%d\" y=\"%d\" font-family=\"DejaVu Sans Mono, monospace\" font-size=\"11\" "
            "fill=\"#404040\">0x%" PRIx64 " - 0x%" PRIx64,
            LABEL_X, b->y + 29, b->addr, b->addr + b->size - 1);
    if (!hole)
        fprintf(out, "  type 0x%" PRIx32, b->type);
    fputs("</text>\n</g>\n", out);
}

static void footer(FILE *out, const struct flb_plan *plan, int y)
{
    const struct flb_layout *layout = &plan->layout;

    fprintf(out, "<text x=\"24\" y=\"%d\" font-size=\"12\">", y);
    if (layout->fixed)
        fprintf(out,
                "The fixed regions start at 0x%" PRIx64 ", above 4 GiB: out of reach until the guest enables "
                "PAE or long mode.",
                layout->special_start);
    else
        fputs("fixed_mem_layout is off: no fixed regions.", out);
    fputs("</text>\n", out);
    fprintf(out, "<text x=\"24\" y=\"%d\" font-size=\"12\">", y + 18);
    if (plan->has_acpi)
        fprintf(out, "ACPI tables: the RSDP at 0x%" PRIx64 " (start_info.rsdp_paddr), %u bytes.",
                plan->acpi.base, plan->acpi.size);
    else
        fputs("No ACPI tables (acpi = 0).", out);
    fputs("</text>\n", out);
}

void flb_output_svg(FILE *out, const struct flb_plan *plan)
{
    struct band b[2 * FLB_MEMMAP_MAX + 1];
    unsigned n = make_bands(plan, b);
    int bottom = b[n - 1].y + b[n - 1].h;

    header(out, plan, bottom + 68);
    scale_bar(out, b, n);
    for (unsigned i = 0; i < n; i++)
        band(out, &b[i]);
    /* The end of the last band, where the next would start. */
    fprintf(out,
            "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" font-family=\"DejaVu Sans Mono, monospace\" "
            "font-size=\"11\">0x%016" PRIx64 "</text>\n",
            ADDR_X, bottom + 4, b[n - 1].addr + b[n - 1].size);
    fprintf(out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#404040\"/>\n", ADDR_X + 2, bottom,
            BAR_X, bottom);
    footer(out, plan, bottom + 34);
    fputs("</svg>\n", out);
}
