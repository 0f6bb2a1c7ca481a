/* The domain settings a plan holds that differ from xl's defaults: what both dry-run outputs list. */
#ifndef FLB_PLAN_SETTINGS_H
#define FLB_PLAN_SETTINGS_H

#include <stddef.h>
#include <stdint.h>

#include "core/plan.h"

enum flb_setting_kind { FLB_SETTING_BOOL, FLB_SETTING_NUMBER, FLB_SETTING_TEXT };

struct flb_setting {
    const char *key; /* the config key, as xl.cfg(5) names it */
    enum flb_setting_kind kind;
    uint64_t number; /* BOOL (0 or 1) and NUMBER */
    char text[128];  /* TEXT, cut with "..." when longer */
};

#define FLB_MAX_SETTINGS 24

/* Fills out (FLB_MAX_SETTINGS entries) in key-table order and returns how many differ from the defaults. */
size_t flb_plan_settings(const struct flb_plan *plan, struct flb_setting *out);

#endif
