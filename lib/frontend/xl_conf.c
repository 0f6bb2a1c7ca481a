/* xl's own configuration, xl.conf(5): the one setting we share with xl, the lock file of domain creation. */
#include "frontend/config_file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxlutil.h>

int flb_xl_lockfile(const char *conf, char *path, size_t len, struct flb_error *err)
{
    char *report = NULL;
    size_t report_len = 0;
    const char *value;
    XLU_Config *xlu;
    FILE *rf;
    int rc = FLB_OK;

    snprintf(path, len, "%s", FLB_XL_LOCKFILE);
    /* xl reads a missing xl.conf as an empty one. */
    if (access(conf, F_OK) != 0)
        return errno == ENOENT ? FLB_OK : flb_fail(err, FLB_E_SYSTEM, "%s: %s", conf, strerror(errno));
    rf = open_memstream(&report, &report_len);
    if (!rf)
        return flb_fail(err, FLB_E_SYSTEM, "out of memory");
    xlu = xlu_cfg_init(rf, conf);
    if (!xlu) {
        rc = flb_fail(err, FLB_E_SYSTEM, "out of memory");
    } else if (xlu_cfg_readfile(xlu, conf) != 0) {
        /* xl refuses to run with it, and we would take another lock than xl's. */
        fflush(rf);
        rc = flb_fail(err, FLB_E_INPUT,
                      "%.*s: xl refuses this file too, and its lockfile is the lock we share",
                      report && *report ? (int)strcspn(report, "\n") : (int)strlen(conf),
                      report && *report ? report : conf);
    } else if (!xlu_cfg_get_string(xlu, "lockfile", &value, 0)) {
        if (strlen(value) >= len || !*value)
            rc = flb_fail(err, FLB_E_INPUT, "%s: lockfile: '%s' is not a usable path", conf, value);
        else
            snprintf(path, len, "%s", value);
    }
    if (xlu)
        xlu_cfg_destroy(xlu);
    fclose(rf);
    free(report);
    if (rc && err)
        flb_config_oneline(err->msg, sizeof(err->msg));
    return rc;
}
