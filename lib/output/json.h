/* JSON output through libyajl: the dry-run's document and the live build's records, valid JSON or nothing. */
#ifndef FLB_OUTPUT_JSON_H
#define FLB_OUTPUT_JSON_H

#include <stdint.h>
#include <stdio.h>

#include "core/error.h"
#include "core/lifecycle.h"
#include "core/plan.h"

/* The "format_version" every document and record carries; it changes only when a key changes meaning or goes
 * away. */
#define FLB_JSON_FORMAT_VERSION 1

/*
 * Each writes a whole document or, on failure, nothing: FLB_E_INPUT when a
 * string is not valid UTF-8 (JSON cannot carry it), FLB_E_SYSTEM when
 * memory runs out. Errors writing to out are left to the caller's
 * ferror(out), as with any stdio output.
 */
int flb_output_json(FILE *out, const struct flb_plan *plan, struct flb_error *err);
/* The same document on one line, as a dry-run of several configs prints each guest's. */
int flb_output_json_line(FILE *out, const struct flb_plan *plan, struct flb_error *err);

/*
 * The live build's records, one line each, every one with format_version,
 * "event" and "domid": "created" (uuid, name, and the plan as
 * flb_output_json writes it), "restarted" (the previous domid, the reason and
 * the action that restarted it), "ended" (struct flb_json_ended).
 */
int flb_output_json_created(FILE *out, uint32_t domid, const char *uuid, const struct flb_plan *plan,
                            struct flb_error *err);
int flb_output_json_restarted(FILE *out, uint32_t domid, uint32_t previous, enum flb_shutdown_reason reason,
                              enum flb_action action, struct flb_error *err);

/* How a monitor in the foreground ended: its last shutdown, if there was one, and the exit status. */
struct flb_json_ended {
    uint32_t domid; /* the guest's last domain */
    const char *name;
    /* "shutdown", "timeout", "signal", "destroyed-elsewhere", "output-failed" or "error" */
    const char *outcome;
    bool shut_down; /* reason, xen_reason and action are the last shutdown's; else all null */
    enum flb_shutdown_reason reason;
    unsigned xen_reason;
    enum flb_action action;
    unsigned restarts;
    int exit_status;
};
int flb_output_json_ended(FILE *out, const struct flb_json_ended *e, struct flb_error *err);

/* Whether s can go into a JSON string: what names it in the message, "name" say. */
int flb_json_check_string(const char *what, const char *s, struct flb_error *err);

#endif
