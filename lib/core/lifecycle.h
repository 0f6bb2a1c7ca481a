/* What happens when a guest shuts down: xl.cfg's on_poweroff... actions, and the decision for each reason. */
#ifndef FLB_LIFECYCLE_H
#define FLB_LIFECYCLE_H

#include <stdbool.h>

#include "core/error.h"

/* Why a guest stopped: Xen's SHUTDOWN_* codes, so that no caller needs Xen's headers. */
enum flb_shutdown_reason {
    FLB_SHUTDOWN_POWEROFF,
    FLB_SHUTDOWN_REBOOT,
    FLB_SHUTDOWN_SUSPEND,
    FLB_SHUTDOWN_CRASH,
    FLB_SHUTDOWN_WATCHDOG,
    FLB_SHUTDOWN_SOFT_RESET,
    FLB_SHUTDOWN_OTHER, /* a code this Xen's headers do not name */
};

/*
 * What is done with a guest that shut down. The config names the first
 * four as xl.cfg(5) does; LEAVE is no config's: a suspended guest is left
 * to whoever suspended it, as xl leaves it.
 */
enum flb_action {
    FLB_ACTION_DESTROY,
    FLB_ACTION_RESTART,
    FLB_ACTION_RENAME_RESTART,
    FLB_ACTION_PRESERVE,
    FLB_ACTION_LEAVE,
};

/* The actions a plan resolved, one per on_ key. */
struct flb_plan_lifecycle {
    enum flb_action on_poweroff;
    enum flb_action on_reboot;
    enum flb_action on_watchdog;
    enum flb_action on_crash;
    enum flb_action on_soft_reset;
};

/* The action for a reason: the matching on_ key; LEAVE for a suspend; DESTROY for a reason xl does not know.
 */
enum flb_action flb_lifecycle_decide(const struct flb_plan_lifecycle *lc, enum flb_shutdown_reason reason);

/* Xen's SHUTDOWN_* code as a reason. */
enum flb_shutdown_reason flb_shutdown_reason_of(unsigned code);

/* "destroy", "rename-restart"...; "leave" for LEAVE. */
const char *flb_action_name(enum flb_action action);
/* "poweroff", "reboot", "suspend", "crash", "watchdog", "soft_reset", "other": xl's words. */
const char *flb_shutdown_reason_name(enum flb_shutdown_reason reason);

/*
 * Parses the value of an on_ key (index 0 for on_poweroff, in the order
 * of struct flb_plan_lifecycle) into *action. at prefixes the message:
 * "guest.cfg:4: ". FLB_E_INPUT for a value xl does not know, one it knows
 * but we do not do (core dumps), or soft-reset on another key than
 * on_soft_reset.
 */
int flb_action_parse(unsigned index, const char *value, const char *at, int *action, struct flb_error *err);

/* Fills the unset (-1) of the n on_ keys' actions with xl.cfg(5)'s defaults; on_soft_reset's is a restart. */
void flb_action_defaults(int *on_action, unsigned n);

#endif
