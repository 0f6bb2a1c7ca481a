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

#endif
