/* The config file front ends: xl.cfg(5) syntax through libxlutil, and YAML through libyaml. */
#ifndef FLB_CONFIG_FILE_H
#define FLB_CONFIG_FILE_H

#include <stddef.h>

#include "core/config.h"
#include "core/error.h"

/* What messages call standard input, read when the path is "-". */
#define FLB_STDIN_NAME "<stdin>"

/* The format follows the file name's extension unless forced; "-" (standard input) is xl unless forced. */
enum flb_config_format { FLB_FORMAT_AUTO, FLB_FORMAT_XL, FLB_FORMAT_YAML };
int flb_config_load_file(struct flb_config *cfg, const char *path, enum flb_config_format fmt,
                         struct flb_error *err);
int flb_config_load_xl_data(struct flb_config *cfg, const char *data, int len, struct flb_error *err);
int flb_config_load_yaml_data(struct flb_config *cfg, const char *data, size_t len, struct flb_error *err);

/* xl's global configuration, and the lock file it names when it names none (XEN_LOCK_DIR "/xl" as Debian
 * builds xl). */
#define FLB_XL_CONF "/etc/xen/xl.conf"
#define FLB_XL_LOCKFILE "/var/lock/xl"

/*
 * The lock file xl takes around its name check and domain creation: conf's
 * lockfile, or FLB_XL_LOCKFILE. A missing conf is an empty one, as for xl;
 * one xl cannot parse is FLB_E_INPUT, since we would take another lock.
 */
int flb_xl_lockfile(const char *conf, char *path, size_t len, struct flb_error *err);

#endif
