/* hvm-params: what Xen holds for a domain that xl shows nowhere: its timer mode, altp2m mode and TSC mode. */
#include <stdio.h>
#include <stdlib.h>

#include "helper.h"

/* After xenctrl.h (helper.h), which brings the types Xen's public headers need. */
#include <xen/hvm/params.h>

int cmd_hvm_params(int argc, char **argv)
{
    static const struct {
        const char *name;
        int index;
    } params[] = {{"timer_mode", HVM_PARAM_TIMER_MODE}, {"altp2m", HVM_PARAM_ALTP2M}};
    xc_interface *xch;
    uint32_t domid, tsc_mode = 0, khz = 0, incarnation = 0;
    uint64_t elapsed = 0;
    int rc = 0;

    if (argc != 1) {
        printf("usage: hvm-params DOMID\n");
        return 2;
    }
    domid = (uint32_t)strtoul(argv[0], NULL, 10);
    if (!(xch = xc_interface_open(NULL, NULL, 0))) {
        printf("xc_interface_open failed\n");
        return 1;
    }
    for (size_t i = 0; i < sizeof(params) / sizeof(params[0]); i++) {
        uint64_t v = 0;
        if (xc_hvm_param_get(xch, domid, params[i].index, &v)) {
            printf("%s unreadable\n", params[i].name);
            rc = 1;
        } else {
            printf("%s %llu\n", params[i].name, (unsigned long long)v);
        }
    }
    if (xc_domain_get_tsc_info(xch, domid, &tsc_mode, &elapsed, &khz, &incarnation)) {
        printf("tsc_mode unreadable\n");
        rc = 1;
    } else {
        printf("tsc_mode %u\n", tsc_mode);
    }
    xc_interface_close(xch);
    return rc;
}
