/* What the config layer's own files share: the fields by key, and the value checks flb_config_set() runs. */
#ifndef FLB_CONFIG_INTERNAL_H
#define FLB_CONFIG_INTERNAL_H

#include <stdint.h>

#include "core/config.h"

/* The field a key sets, or NULL when the key is of another kind. */
char **flb_config_string_field(struct flb_config *cfg, enum flb_key k);
int *flb_config_bool_field(struct flb_config *cfg, enum flb_key k);
uint64_t *flb_config_int_field(struct flb_config *cfg, enum flb_key k);

/*
 * A key that will have no effect (an xl key we do not use, an unknown key, root beside cmdline): a
 * warning, or with cfg->strict an error of the same text that says --strict refused it.
 */
int flb_config_ignored(struct flb_config *cfg, struct flb_error *err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/*
 * A key of xl.cfg(5) that the key table does not hold, as core/xl_keys.h says: a warning for one xl does
 * not use for PVH, an error (FLB_E_INPUT) for one refused. `at` prefixes the message.
 */
int flb_config_xl_key(struct flb_config *cfg, const char *key, const char *at, struct flb_error *err);

/* "guest.cfg:4: ", "guest.cfg: ", or "" for an override (its caller names it). */
void flb_config_where(char *buf, size_t len, struct flb_origin o);

/* ", got a string" and the like, for "expected ..." messages; "" when nothing useful can be said. */
const char *flb_value_kind_name(enum flb_value_kind kind);

/* A list of strings as the dry-run shows it, ["0-1", "3"]: malloc'd, NULL when out of memory. */
char *flb_value_list_text(const struct flb_value *v);

/* Check v against key k and store it; `at` prefixes any message (config_value.c). */
int flb_config_set_string(struct flb_config *cfg, enum flb_key k, const struct flb_value *v, const char *at,
                          struct flb_error *err);
/* cpus and cpus_soft: a string or a list of strings, parsed into the config's affinity (config_affinity.c).
 */
int flb_config_set_affinity(struct flb_config *cfg, enum flb_key k, const struct flb_value *v, const char *at,
                            struct flb_error *err);
/* rtc_timeoffset, timer_mode and altp2m: a signed number, or a name xl knows (config_modes.c). */
int flb_config_set_mode(struct flb_config *cfg, enum flb_key k, const struct flb_value *v, const char *at,
                        struct flb_error *err);
/* cpuid: xl's string or list form, parsed into the config's entries (config_cpuid.c). */
int flb_config_set_cpuid(struct flb_config *cfg, const struct flb_value *v, const char *at,
                         struct flb_error *err);
int flb_config_set_int(struct flb_config *cfg, enum flb_key k, const struct flb_value *v, const char *at,
                       struct flb_error *err);

#endif
