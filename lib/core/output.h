/* Output formatting of a dry-run that needs no library: text and SVG for people (JSON: lib/output/json.h). */
#ifndef FLB_OUTPUT_H
#define FLB_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>

#include "core/plan.h"

/* "4 KiB", "64 MiB", "1.5 GiB". */
void flb_format_size(uint64_t bytes, char *buf, size_t len);

/*
 * s for a terminal, by the one escaping rule of core/escape.h (printable
 * UTF-8 as it is; "\n", "\t", "\r"; \xNN for every byte of anything a
 * terminal would act on or that is not UTF-8). quoted: inside double quotes,
 * with '"' and '\\' escaped too, so that the text reads back exactly.
 */
void flb_text_escape(FILE *out, const char *s, bool quoted);

/* The plan as a dry-run prints it. */
void flb_output_text(FILE *out, const struct flb_plan *plan);

/* The memory map as an SVG picture: every entry and hole a labelled band, not to scale. */
void flb_output_svg(FILE *out, const struct flb_plan *plan);

#endif
