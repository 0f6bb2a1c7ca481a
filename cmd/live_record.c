/* The live build's records: the guest built, each restart, and how a --wait ended; text or JSON, one stream.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "core/output.h"
#include "live.h"

FILE *live_record_open(const struct cli_opts *opts)
{
    FILE *f;

    if (!opts->record_path)
        return opts->console ? stderr : stdout; /* with -c, standard output is the console's alone */
    f = fopen(opts->record_path, "w");
    if (!f)
        cli_error("--record: cannot write '%s': %s", opts->record_path, strerror(errno));
    return f;
}

void live_record_close(FILE *rec)
{
    if (rec && rec != stdout && rec != stderr && fclose(rec) != 0)
        cli_error("--record: writing the records failed: %s", strerror(errno));
}

static void uuid_member(FILE *out, const uint8_t uuid[16])
{
    char s[40];

    flb_uuid_format(uuid, s, sizeof(s));
    fprintf(out, "\"uuid\": \"%s\"", s);
}

/* The plan member is the dry-run's document itself: the same memory map and start_info, said once. */
void live_record_created(const struct cli_opts *opts, FILE *out, const struct flb_build_request *req,
                         uint32_t domid)
{
    if (opts->format == CLI_FORMAT_JSON) {
        fprintf(out, "{\"event\": \"created\", \"domid\": %u, ", domid);
        uuid_member(out, req->uuid);
        fputs(", \"name\": ", out);
        flb_json_string(out, req->plan->name);
        fputs(", \"plan\": ", out);
        flb_output_json(out, req->plan);
        fputs("}\n", out);
    } else if (!opts->quiet) {
        fprintf(out, "created domain %u (%s)\n", domid, req->plan->name);
    }
    fflush(out);
}

void live_record_restarted(const struct cli_opts *opts, FILE *out, uint32_t domid, uint32_t previous,
                           enum flb_shutdown_reason reason, enum flb_action action)
{
    if (opts->format != CLI_FORMAT_JSON)
        return; /* said as a message already */
    fprintf(out,
            "{\"event\": \"restarted\", \"domid\": %u, \"previous_domid\": %u, \"reason\": \"%s\", "
            "\"action\": \"%s\"}\n",
            domid, previous, flb_shutdown_reason_name(reason), flb_action_name(action));
    fflush(out);
}

static const char *outcome_name(enum flb_wait_outcome o)
{
    switch (o) {
    case FLB_WAIT_SHUTDOWN: return "shutdown";
    case FLB_WAIT_TIMEOUT: return "timeout";
    case FLB_WAIT_STOPPED: return "signal";
    case FLB_WAIT_VANISHED: return "destroyed-elsewhere";
    case FLB_WAIT_OUTPUT_FAILED: return "output-failed";
    case FLB_WAIT_ERROR: break;
    }
    return "error";
}

void live_record_ended(const struct cli_opts *opts, FILE *out, const char *name,
                       const struct flb_monitor_result *r, int status)
{
    if (opts->format != CLI_FORMAT_JSON)
        return; /* the messages and the exit status say it */
    fprintf(out, "{\"event\": \"ended\", \"domid\": %u, \"name\": ", r->domid);
    flb_json_string(out, name);
    fprintf(out, ", \"outcome\": \"%s\", ", outcome_name(r->outcome));
    if (r->shut_down)
        fprintf(out, "\"reason\": \"%s\", \"xen_reason\": %u, \"action\": \"%s\", ",
                flb_shutdown_reason_name(r->reason), r->xen_reason, flb_action_name(r->action));
    else
        fputs("\"reason\": null, \"xen_reason\": null, \"action\": null, ", out);
    fprintf(out, "\"restarts\": %u, \"exit_status\": %d}\n", r->restarts, status);
    fflush(out);
}
