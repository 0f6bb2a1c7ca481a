/* Loading a config file: reading it whole, and choosing the front end by extension unless forced. */
#include "frontend/config_file.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

/* A guest config is a few lines; anything this large is not one. */
#define MAX_CONFIG_SIZE (1024 * 1024)

static int read_error(const char *path, int e, struct flb_error *err)
{
    char why[128];

    if (e == ENOENT)
        return flb_fail(err, FLB_E_INPUT, "%s: no such file", path);
    if (e == EISDIR)
        return flb_fail(err, FLB_E_INPUT, "%s: is a directory, not a config file", path);
    if (e == ENOMEM)
        return flb_fail(err, FLB_E_SYSTEM, "%s: out of memory", path);
    snprintf(why, sizeof(why), "%s", strerror(e));
    why[0] = (char)tolower((unsigned char)why[0]);
    return flb_fail(err, FLB_E_INPUT, "%s: cannot read: %s", path, why);
}

/* Standard input stays open: it is the caller's. */
static void done_with(FILE *f)
{
    if (f != stdin)
        fclose(f);
}

/* path is the name messages use; "-" reads standard input, as xl does. */
static int read_whole(const char *path, char **data, size_t *len, struct flb_error *err)
{
    bool is_stdin = !strcmp(path, "-");
    FILE *f = is_stdin ? stdin : fopen(path, "rb");
    struct stat st;
    char *buf = NULL;
    size_t n;
    int e;

    if (is_stdin)
        path = FLB_STDIN_NAME;
    if (!f)
        return read_error(path, errno, err);
    if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        done_with(f);
        return read_error(path, EISDIR, err);
    }
    /* One byte more than the limit tells "too large" from "exactly at the limit". */
    buf = malloc(MAX_CONFIG_SIZE + 1);
    if (!buf) {
        done_with(f);
        return read_error(path, ENOMEM, err);
    }
    n = fread(buf, 1, MAX_CONFIG_SIZE + 1, f);
    e = ferror(f) ? (errno ? errno : EIO) : 0;
    done_with(f);
    if (e) {
        free(buf);
        return read_error(path, e, err);
    }
    if (n > MAX_CONFIG_SIZE) {
        free(buf);
        return flb_fail(err, FLB_E_INPUT, "%s: too large for a config file (more than %d KiB)", path,
                        MAX_CONFIG_SIZE / 1024);
    }
    buf[n] = '\0';
    *data = buf;
    *len = n;
    return FLB_OK;
}

static enum flb_config_format format_of(const char *path)
{
    const char *dot = strrchr(path, '.');
    const char *slash = strrchr(path, '/');

    if (dot && (!slash || dot > slash) && (!strcasecmp(dot, ".yaml") || !strcasecmp(dot, ".yml")))
        return FLB_FORMAT_YAML;
    return FLB_FORMAT_XL;
}

int flb_config_load_file(struct flb_config *cfg, const char *path, enum flb_config_format fmt,
                         struct flb_error *err)
{
    char *data = NULL;
    size_t len = 0;
    int rc;

    if (!path || !*path)
        return flb_fail(err, FLB_E_INPUT, "no config file given");
    /* Standard input has no name to name it by, nor an extension: xl syntax unless told. */
    if (!strcmp(path, "-") && (!cfg->source || !strcmp(cfg->source, "-")))
        cfg->source = FLB_STDIN_NAME;
    if (!cfg->source)
        cfg->source = path;
    rc = read_whole(path, &data, &len, err);
    if (rc)
        return rc;
    if (fmt == FLB_FORMAT_AUTO)
        fmt = strcmp(path, "-") ? format_of(path) : FLB_FORMAT_XL;
    if (fmt == FLB_FORMAT_YAML)
        rc = flb_config_load_yaml_data(cfg, data, len, err);
    else
        rc = flb_config_load_xl_data(cfg, data, (int)len, err);
    free(data);
    if (rc && err)
        flb_config_oneline(err->msg, sizeof(err->msg));
    return rc;
}
