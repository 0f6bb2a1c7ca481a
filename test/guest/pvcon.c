/* The test guest's PV console: one line into the ring xenconsoled (or fixed-layout-build -c) reads. */
#include "guest.h"

#include <xen/event_channel.h>
#include <xen/hvm/hvm_op.h>
#include <xen/hvm/params.h>
#include <xen/io/console.h>

/* The current numbers: xen.h renames some for old interface versions. */
#define HYPERCALL_EVENT_CHANNEL_OP 32
#define HYPERCALL_HVM_OP 34
/* libxenguest's HVM special page for the console ring. */
#define CONSOLE_GFN 0xfefffu

bool pv_console_write(const char *line)
{
    volatile struct xencons_interface *ring =
        (volatile void *)(uintptr_t)((uint64_t)CONSOLE_GFN << FLB_PAGE_SHIFT);
    struct xen_hvm_param p = {.domid = DOMID_SELF, .index = HVM_PARAM_CONSOLE_EVTCHN};
    struct evtchn_send send;

    if (!hypercalls_init() || hypercall2(HYPERCALL_HVM_OP, HVMOP_get_param, &p) != 0)
        return false;
    for (const char *c = line; *c; c++) {
        /* A full ring waits for the reader, which the notification below wakes. */
        while (ring->out_prod - ring->out_cons >= sizeof(ring->out)) {
            send.port = (uint32_t)p.value;
            hypercall2(HYPERCALL_EVENT_CHANNEL_OP, EVTCHNOP_send, &send);
            cpu_relax();
        }
        ring->out[MASK_XENCONS_IDX(ring->out_prod, ring->out)] = *c;
        __asm__ volatile("sfence" ::: "memory");
        ring->out_prod++;
    }
    send.port = (uint32_t)p.value;
    return hypercall2(HYPERCALL_EVENT_CHANNEL_OP, EVTCHNOP_send, &send) == 0;
}
