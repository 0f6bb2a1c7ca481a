/* The on_ keys' values, their defaults, and which action a shutdown reason gets. */
#include "core/lifecycle.h"

#include <string.h>

/* The on_ keys, in the order of struct flb_plan_lifecycle. */
static const char *const key_names[] = {"on_poweroff", "on_reboot", "on_watchdog", "on_crash",
                                        "on_soft_reset"};
#define NR_KEYS (sizeof(key_names) / sizeof(key_names[0]))
#define SOFT_RESET_KEY 4u

/* xl.cfg(5)'s defaults: on_soft_reset's is soft-reset, which we carry out as a restart. */
static const enum flb_action defaults[NR_KEYS] = {
    FLB_ACTION_DESTROY, FLB_ACTION_RESTART, FLB_ACTION_DESTROY, FLB_ACTION_DESTROY, FLB_ACTION_RESTART,
};

static const char *const action_names[] = {
    [FLB_ACTION_DESTROY] = "destroy",
    [FLB_ACTION_RESTART] = "restart",
    [FLB_ACTION_RENAME_RESTART] = "rename-restart",
    [FLB_ACTION_PRESERVE] = "preserve",
    [FLB_ACTION_LEAVE] = "leave",
};

enum flb_action flb_lifecycle_decide(const struct flb_plan_lifecycle *lc, enum flb_shutdown_reason reason)
{
    switch (reason) {
    case FLB_SHUTDOWN_POWEROFF: return lc->on_poweroff;
    case FLB_SHUTDOWN_REBOOT: return lc->on_reboot;
    case FLB_SHUTDOWN_WATCHDOG: return lc->on_watchdog;
    case FLB_SHUTDOWN_CRASH: return lc->on_crash;
    case FLB_SHUTDOWN_SOFT_RESET: return lc->on_soft_reset;
    /* Whoever suspended the guest (a save, a migration) deals with it next. */
    case FLB_SHUTDOWN_SUSPEND: return FLB_ACTION_LEAVE;
    case FLB_SHUTDOWN_OTHER: break;
    }
    return FLB_ACTION_DESTROY;
}

/* Xen's public sched.h numbers them so; core/ includes no Xen header. */
enum flb_shutdown_reason flb_shutdown_reason_of(unsigned code)
{
    return code <= FLB_SHUTDOWN_SOFT_RESET ? (enum flb_shutdown_reason)code : FLB_SHUTDOWN_OTHER;
}

const char *flb_action_name(enum flb_action action)
{
    return (unsigned)action < sizeof(action_names) / sizeof(action_names[0]) ? action_names[action] : "?";
}

const char *flb_shutdown_reason_name(enum flb_shutdown_reason reason)
{
    static const char *const names[] = {"poweroff", "reboot", "suspend", "crash", "watchdog", "soft_reset"};

    return (unsigned)reason < sizeof(names) / sizeof(names[0]) ? names[reason] : "other";
}

void flb_action_defaults(int *on_action, unsigned n)
{
    for (unsigned i = 0; i < n && i < NR_KEYS; i++)
        if (on_action[i] < 0)
            on_action[i] = (int)defaults[i];
}

int flb_action_parse(unsigned index, const char *value, const char *at, int *action, struct flb_error *err)
{
    const char *key = index < NR_KEYS ? key_names[index] : "?";

    for (int a = FLB_ACTION_DESTROY; a <= FLB_ACTION_PRESERVE; a++)
        if (!strcmp(value, action_names[a])) {
            *action = a;
            return FLB_OK;
        }
    if (!strcmp(value, "soft-reset")) {
        if (index != SOFT_RESET_KEY)
            return flb_fail(err, FLB_E_INPUT, "%s%s: 'soft-reset' only applies to on_soft_reset", at, key);
        *action = FLB_ACTION_RESTART;
        return FLB_OK;
    }
    if (!strcmp(value, "coredump-destroy") || !strcmp(value, "coredump-restart"))
        return flb_fail(err, FLB_E_INPUT,
                        "%s%s: '%s' is not supported: fixed-layout-build writes no core dump (preserve the "
                        "guest and use xl dump-core)",
                        at, key, value);
    return flb_fail(err, FLB_E_INPUT,
                    "%s%s: unknown action '%s' (expected destroy, restart, rename-restart%s or "
                    "preserve)",
                    at, key, value, index == SOFT_RESET_KEY ? ", soft-reset" : "");
}
