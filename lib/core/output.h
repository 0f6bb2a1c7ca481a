/* Output formatting of a dry-run: text for people, JSON for scripts. Both read the one plan. */
#ifndef FLB_OUTPUT_H
#define FLB_OUTPUT_H

#include <stdio.h>

#include "core/plan.h"

/* "4 KiB", "64 MiB", "1.5 GiB". */
void flb_format_size(uint64_t bytes, char *buf, size_t len);

/* The plan as a dry-run prints it. */
void flb_output_text(FILE *out, const struct flb_plan *plan);
void flb_output_json(FILE *out, const struct flb_plan *plan);

/* Writes s as a JSON string literal, quotes included. */
void flb_json_string(FILE *out, const char *s);

#endif
