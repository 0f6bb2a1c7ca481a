/* JSON output through libyajl: the dry-run's document and the live build's line, valid JSON or nothing. */
#ifndef FLB_OUTPUT_JSON_H
#define FLB_OUTPUT_JSON_H

#include <stdint.h>
#include <stdio.h>

#include "core/error.h"
#include "core/plan.h"

/* The "format_version" both documents carry; it changes only when a key changes meaning or goes away. */
#define FLB_JSON_FORMAT_VERSION 1

/*
 * Each writes a whole document or, on failure, nothing: FLB_E_INPUT when a
 * string is not valid UTF-8 (JSON cannot carry it), FLB_E_SYSTEM when
 * memory runs out. Errors writing to out are left to the caller's
 * ferror(out), as with any stdio output.
 */
int flb_output_json(FILE *out, const struct flb_plan *plan, struct flb_error *err);

/* A live build's one line: {"format_version": 1, "domid": N, "name": "..."}. */
int flb_output_json_created(FILE *out, uint32_t domid, const char *name, struct flb_error *err);

/* Whether s can go into a JSON string: what names it in the message, "name" say. */
int flb_json_check_string(const char *what, const char *s, struct flb_error *err);

#endif
