/* The guests of one run: built in turn, all or nothing unless --keep-going, and the run's status. */
#include <stdio.h>
#include <stdlib.h>

#include "live.h"

const char *live_who(const struct live_fleet *fleet, const struct live_guest *g, char *buf, size_t size)
{
    if (fleet->n < 2)
        return "";
    snprintf(buf, size, "%s (%s): ", g->config_path, g->plan.name ? g->plan.name : "?");
    return buf;
}

void live_destroy_built(struct flb_backend *be, struct live_fleet *fleet, char *list, size_t size)
{
    size_t len = 0;

    list[0] = '\0';
    for (int i = 0; i < fleet->n; i++) {
        struct live_guest *g = &fleet->g[i];
        struct flb_error err = {{0}};

        if (!g->built)
            continue;
        g->built = false;
        /* A guest that could not be destroyed is named by its own error, not in the list. */
        if (flb_teardown(be, &g->res, &err) != 0) {
            cli_error("%s", err.msg);
            continue;
        }
        if (len < size)
            len += (size_t)snprintf(list + len, size - len, "%sdomain %u (%s)", len ? ", " : "", g->res.domid,
                                    g->plan.name);
    }
}

/*
 * Builds each guest in turn. A failure ends the run with the guests built before it destroyed (and
 * says so on the failure's line), unless --keep-going, which goes on with the next; a signal ends
 * it that way whatever the options. Returns the failure's status when the run ends, else -1.
 */
int live_build_all(const struct cli_opts *opts, struct flb_backend *be, struct live_fleet *fleet)
{
    /* The guests built so far, whose names the next builds need not read back; without memory for
     * the list every name is read, as a single build does. */
    struct flb_named_domain *named = calloc((size_t)fleet->n, sizeof(*named));
    size_t nr_named = 0;

    for (int i = 0; i < fleet->n; i++) {
        struct live_guest *g = &fleet->g[i];
        struct flb_error err = {{0}};
        char who[512], list[1024];
        int rc;

        g->req.named = named;
        g->req.nr_named = nr_named;
        rc = flb_build(be, &g->req, &g->res, &err);
        /* The request outlives the list: a monitor's restart builds from it. */
        g->req.named = NULL;
        g->req.nr_named = 0;
        if (!rc) {
            g->built = true;
            if (named)
                named[nr_named++] = (struct flb_named_domain){g->res.domid, g->plan.xenstore.name};
            continue;
        }
        g->status = cli_exit_status(rc);
        live_who(fleet, g, who, sizeof(who));
        if (opts->keep_going && !g->res.interrupted) {
            cli_error("%s%s", who, err.msg);
            continue;
        }
        live_destroy_built(be, fleet, list, sizeof(list));
        if (list[0])
            cli_error("%s%s; the guests built before it were destroyed: %s", who, err.msg, list);
        else
            cli_error("%s%s", who, err.msg);
        if (g->res.interrupted && !g->res.left_behind)
            cli_error("interrupted by signal %d: nothing was left behind", (int)live_stop);
        free(named);
        return g->status;
    }
    free(named);
    return -1;
}

/* The run's status: the first guest's, in command-line order, that is not 0. */
int live_first_failure(const struct live_fleet *fleet)
{
    for (int i = 0; i < fleet->n; i++)
        if (fleet->g[i].status != EXIT_OK)
            return fleet->g[i].status;
    return EXIT_OK;
}
