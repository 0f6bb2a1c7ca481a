/* Output formatting of a dry-run: text for people, JSON for scripts. Both read the one layout. */
#ifndef FLB_OUTPUT_H
#define FLB_OUTPUT_H

#include <stdio.h>

#include "core/config.h"
#include "core/layout.h"
#include "core/start_info.h"

/* "4 KiB", "64 MiB", "1.5 GiB". */
void flb_format_size(uint64_t bytes, char *buf, size_t len);

void flb_output_text(FILE *out, const struct flb_config *cfg, const struct flb_layout *layout,
                     const struct flb_start_info *si);
void flb_output_json(FILE *out, const struct flb_config *cfg, const struct flb_layout *layout,
                     const struct flb_start_info *si);

/* Writes s as a JSON string literal, quotes included. */
void flb_json_string(FILE *out, const char *s);

#endif
