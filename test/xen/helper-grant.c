/* flb-dom0-helper grant: maps the page a guest granted dom0, checks its marker, acknowledges. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "helper.h" /* xenctrl.h first: it sets up Xen's public headers for the tools */
#include <xengnttab.h>

/* The same strings and offset as the test guest (test/guest/regions.c). */
#define MARKER "FLB-GRANT-MARKER"
#define ACK "FLB-GRANT-ACK"
#define ACK_OFFSET 2048

int cmd_grant(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: flb-dom0-helper grant DOMID REF\n");
        return 2;
    }
    return grant_ack((uint32_t)strtoul(argv[0], NULL, 0), (uint32_t)strtoul(argv[1], NULL, 0));
}

int grant_ack(uint32_t domid, uint32_t ref)
{
    int rc = 1;

    xengnttab_handle *xgt = xengnttab_open(NULL, 0);
    if (!xgt) {
        printf("grant: xengnttab_open failed (is xen-gntdev loaded?)\n");
        return 1;
    }
    char *page = xengnttab_map_grant_ref(xgt, domid, ref, PROT_READ | PROT_WRITE);
    if (!page) {
        printf("grant: cannot map ref %u of domain %u\n", ref, domid);
        goto out;
    }
    if (memcmp(page, MARKER, sizeof(MARKER))) {
        printf("grant: ref %u of domain %u mapped but holds '%.16s', not the marker\n", ref, domid, page);
    } else {
        memcpy(page + ACK_OFFSET, ACK, sizeof(ACK));
        __sync_synchronize();
        printf("grant: ref %u of domain %u mapped, marker found, acknowledged at %.6f s (CLOCK_MONOTONIC)\n",
               ref, domid, now_ms() / 1000);
        rc = 0;
    }
    xengnttab_unmap(xgt, page, 1);
out:
    xengnttab_close(xgt);
    return rc;
}
