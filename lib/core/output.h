/* Output formatting of a dry-run that needs no library: text and SVG for people (JSON: lib/output/json.h). */
#ifndef FLB_OUTPUT_H
#define FLB_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>

#include "core/plan.h"

/* "4 KiB", "64 MiB", "1.5 GiB". */
void flb_format_size(uint64_t bytes, char *buf, size_t len);

/*
 * s for a terminal: printable UTF-8 as it is; control characters, C1
 * controls, bidirectional formatting characters and bytes that are not UTF-8
 * escaped C-style ("\n", "\x1b", "\u202e"). quoted: inside double quotes,
 * with '"' and '\\' escaped too, so that the text reads back exactly.
 */
void flb_text_escape(FILE *out, const char *s, bool quoted);

/* Whether s is UTF-8, strictly: no overlong forms, no surrogates, nothing above U+10FFFF. */
bool flb_utf8_valid(const char *s);

/* The plan as a dry-run prints it. */
void flb_output_text(FILE *out, const struct flb_plan *plan);

/* The memory map as an SVG picture: every entry and hole a labelled band, not to scale. */
void flb_output_svg(FILE *out, const struct flb_plan *plan);

#endif
