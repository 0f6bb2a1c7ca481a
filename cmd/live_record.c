/* The live build's records: the guest built, each restart, and how a --wait ended; text or JSON, one stream.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "core/output.h"
#include "live.h"
#include "output/json.h"

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

/*
 * The config's strings were checked as UTF-8 and the name before the build (cli_live_run): a record
 * fails only when memory runs out, and says so.
 */
static void json_done(int rc, const struct flb_error *err)
{
    if (rc)
        cli_error("%s", err->msg);
}

/* The plan member is the dry-run's document itself: the same memory map and start_info, said once. */
void live_record_created(const struct cli_opts *opts, FILE *out, const struct flb_build_request *req,
                         uint32_t domid)
{
    struct flb_error err = {{0}};
    char uuid[40];

    if (opts->format == CLI_FORMAT_JSON) {
        /* The domain's own: the config's uuid when it sets one, as the build gave it (build.c). */
        flb_uuid_format(req->plan->domain.has_uuid ? req->plan->domain.uuid : req->uuid, uuid, sizeof(uuid));
        json_done(flb_output_json_created(out, domid, uuid, req->plan, &err), &err);
    } else if (!opts->quiet) {
        fprintf(out, "created domain %u (", domid);
        flb_text_escape(out, req->plan->name, false);
        fputs(")\n", out);
    }
    fflush(out);
}

void live_record_restarted(const struct cli_opts *opts, FILE *out, uint32_t domid, uint32_t previous,
                           enum flb_shutdown_reason reason, enum flb_action action)
{
    struct flb_error err = {{0}};

    if (opts->format != CLI_FORMAT_JSON)
        return; /* said as a message already */
    json_done(flb_output_json_restarted(out, domid, previous, reason, action, &err), &err);
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
    struct flb_json_ended e = {
        .domid = r->domid,
        .name = name,
        .outcome = outcome_name(r->outcome),
        .shut_down = r->shut_down,
        .reason = r->reason,
        .xen_reason = r->xen_reason,
        .action = r->action,
        .restarts = r->restarts,
        .exit_status = status,
    };
    struct flb_error err = {{0}};

    if (opts->format != CLI_FORMAT_JSON)
        return; /* the messages and the exit status say it */
    json_done(flb_output_json_ended(out, &e, &err), &err);
    fflush(out);
}
