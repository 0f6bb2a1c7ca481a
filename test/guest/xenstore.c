/* A xenstore client of the smallest kind: one request at a time on the ring, read and write, no watches. */
#include "console.h"
#include "guest.h"

#include <xen/event_channel.h>
#include <xen/hvm/hvm_op.h>
#include <xen/hvm/params.h>
#include <xen/io/xs_wire.h>

/* The current numbers: xen.h renames some for old interface versions. */
#define HYPERCALL_EVENT_CHANNEL_OP 32
#define HYPERCALL_HVM_OP 34
/* libxenguest's HVM special page for the xenstore ring. */
#define XENSTORE_GFN 0xfeffcu
#define REPLY_WAIT_NS UINT64_C(30000000000)

static volatile struct xenstore_domain_interface *ring;
static uint32_t port;

static void notify(void)
{
    struct evtchn_send send = {port};

    hypercall2(HYPERCALL_EVENT_CHANNEL_OP, EVTCHNOP_send, &send);
}

bool xs_init(void)
{
    struct xen_hvm_param p = {.domid = DOMID_SELF, .index = HVM_PARAM_STORE_EVTCHN};

    if (!hypercalls_init() || hypercall2(HYPERCALL_HVM_OP, HVMOP_get_param, &p) != 0)
        return false;
    port = (uint32_t)p.value;
    ring = (volatile void *)(uintptr_t)((uint64_t)XENSTORE_GFN << FLB_PAGE_SHIFT);
    return true;
}

static void put(const void *data, uint32_t n)
{
    const char *p = data;

    for (uint32_t i = 0; i < n; i++) {
        while (ring->req_prod - ring->req_cons >= XENSTORE_RING_SIZE)
            cpu_relax();
        ring->req[MASK_XENSTORE_IDX(ring->req_prod)] = p[i];
        __asm__ volatile("sfence" ::: "memory");
        ring->req_prod++;
    }
}

/* n bytes of the reply; false when xenstored has not answered in time. */
static bool get(void *data, uint32_t n)
{
    char *p = data;
    uint64_t start = clock_ns();

    for (uint32_t i = 0; i < n; i++) {
        while (ring->rsp_prod == ring->rsp_cons)
            if (clock_ns() - start > REPLY_WAIT_NS)
                return false;
        __asm__ volatile("lfence" ::: "memory");
        p[i] = ring->rsp[MASK_XENSTORE_IDX(ring->rsp_cons)];
        ring->rsp_cons++;
    }
    notify();
    return true;
}

/* One request and its reply: the reply's body (NUL-terminated) in out, its type returned; XS_INVALID: none.
 */
static uint32_t request(uint32_t type, const char *path, const char *value, char *out, uint32_t len)
{
    struct xsd_sockmsg msg = {.type = type};
    uint32_t plen = 0, vlen = 0;
    char skip;

    while (path[plen])
        plen++;
    while (value && value[vlen])
        vlen++;
    msg.len = plen + 1 + vlen;
    put(&msg, sizeof(msg));
    put(path, plen + 1);
    if (value)
        put(value, vlen);
    notify();
    if (!get(&msg, sizeof(msg)))
        return XS_INVALID;
    for (uint32_t i = 0; i < msg.len; i++)
        if (!get(i + 1 < len ? &out[i] : &skip, 1))
            return XS_INVALID;
    out[msg.len < len ? msg.len : len - 1] = '\0';
    return msg.type;
}

bool xs_write_node(const char *path, const char *value)
{
    char reply[16];

    return request(XS_WRITE, path, value, reply, sizeof(reply)) == XS_WRITE;
}

bool xs_read_node(const char *path, char *value, uint32_t len)
{
    return request(XS_READ, path, 0, value, len) == XS_READ;
}
