/* xenstore reads and writes pipelined: every request of a batch on the daemon's socket before any answer is
 * read.
 *
 * libxenstore sends a request and waits for its answer before the next, so a domain's nodes cost a
 * round trip each through xenstored (a wake-up of the daemon and one of us, each time). The wire
 * protocol (xen/io/xs_wire.h) carries a request id in every message and xenstored answers one
 * connection's requests in order, so the whole batch can go in one write and the answers come back
 * together. The batch has a connection of its own: libxenstore's socket is not ours to share. It is
 * the same socket libxenstore reaches xenstored through (xen_backend.c opens it socket-only), so
 * wherever the backend has xenstore at all, the batch connection can be made. */
#include "flb_xen/xen_internal.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* The batch connection, opened on first use and kept until the backend closes. */
static int batch_fd(struct xen_ctx *x)
{
    if (x->xs_batch_fd < 0)
        x->xs_batch_fd = xen_xs_connect();
    return x->xs_batch_fd;
}

void xen_xs_batch_close(struct xen_ctx *x)
{
    if (x->xs_batch_fd >= 0)
        close(x->xs_batch_fd);
    x->xs_batch_fd = -1;
    x->xs_sent = x->xs_answers = 0;
}

struct buf {
    char *p;
    size_t len, cap;
};

static int put(struct buf *b, const void *data, size_t len)
{
    if (b->len + len > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        char *p;

        while (cap < b->len + len)
            cap *= 2;
        p = realloc(b->p, cap);
        if (!p) {
            errno = ENOMEM;
            return -1;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, data, len);
    b->len += len;
    return 0;
}

/* One message: the header, then the payload's parts back to back. */
static int message(struct buf *b, uint32_t type, uint32_t req_id, const char *const *parts,
                   const size_t *lens, unsigned nparts)
{
    struct xsd_sockmsg h = {.type = type, .req_id = req_id, .tx_id = XBT_NULL, .len = 0};

    for (unsigned i = 0; i < nparts; i++)
        h.len += (uint32_t)lens[i];
    if (h.len > XENSTORE_PAYLOAD_MAX) {
        errno = E2BIG;
        return -1;
    }
    if (put(b, &h, sizeof(h)))
        return -1;
    for (unsigned i = 0; i < nparts; i++)
        if (put(b, parts[i], lens[i]))
            return -1;
    return 0;
}

/* Request ids: the write of node i, counted over the sends since the last wait from first, is 2i,
 * its permissions 2i + 1, so that an answer names its node. */
static int encode(struct buf *b, const struct flb_xs_write *nodes, unsigned n, unsigned first,
                  unsigned *answers)
{
    *answers = 0;
    for (unsigned k = 0; k < n; k++) {
        const struct flb_xs_write *node = &nodes[k];
        uint32_t i = first + k;
        const char *w[] = {node->path, "", node->value};
        size_t wl[] = {strlen(node->path), 1, strlen(node->value)};
        char owner[16], reader[16];

        if (message(b, XS_WRITE, 2 * i, w, wl, 3))
            return -1;
        ++*answers;
        if (node->owner == FLB_XS_INHERIT)
            continue;
        /* Ownership as libxl sets it: the owner has full access, the reader may read. */
        snprintf(owner, sizeof(owner), "n%u", node->owner);
        snprintf(reader, sizeof(reader), "r%u", node->reader);
        const char *p[] = {node->path, "", owner, "", reader, ""};
        size_t pl[] = {wl[0], 1, strlen(owner), 1, strlen(reader), 1};
        if (message(b, XS_SET_PERMS, 2 * i + 1, p, pl, node->reader == node->owner ? 4 : 6))
            return -1;
        ++*answers;
    }
    return 0;
}

static int write_all(int fd, const char *p, size_t len)
{
    while (len) {
        ssize_t k = send(fd, p, len, MSG_NOSIGNAL);

        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return -1;
        p += k;
        len -= (size_t)k;
    }
    return 0;
}

static int read_all(int fd, void *p, size_t len)
{
    while (len) {
        ssize_t k = read(fd, p, len);

        if (k < 0 && errno == EINTR)
            continue;
        if (k == 0)
            errno = ECONNRESET;
        if (k <= 0)
            return -1;
        p = (char *)p + k;
        len -= (size_t)k;
    }
    return 0;
}

/* xenstored names its errors as errno's symbols ("ENOENT"). */
static int error_number(const char *name)
{
    for (size_t i = 0; i < sizeof(xsd_errors) / sizeof(xsd_errors[0]); i++)
        if (!strcmp(xsd_errors[i].errstring, name))
            return xsd_errors[i].errnum;
    return EIO;
}

/* What to do with each answer; payload is NUL-terminated past its h->len bytes. */
typedef void on_answer_fn(void *arg, const struct xsd_sockmsg *h, const char *payload);

/* Reads every answer, even past a refusal, so the connection stays in step for the next batch. */
static int read_answers(int fd, unsigned answers, on_answer_fn *fn, void *arg)
{
    for (unsigned k = 0; k < answers; k++) {
        struct xsd_sockmsg h;
        char payload[XENSTORE_PAYLOAD_MAX + 1];

        if (read_all(fd, &h, sizeof(h)))
            return -1;
        if (h.len > XENSTORE_PAYLOAD_MAX) {
            errno = EPROTO;
            return -1;
        }
        if (read_all(fd, payload, h.len))
            return -1;
        payload[h.len] = '\0';
        fn(arg, &h, payload);
    }
    return 0;
}

/* Sends the requests in b in one go; a broken connection is closed, and a later batch opens another. */
static int send_requests(struct xen_ctx *x, const struct buf *b)
{
    int fd = batch_fd(x);

    if (fd < 0)
        return -1;
    if (write_all(fd, b->p, b->len)) {
        int e = errno;
        xen_xs_batch_close(x);
        errno = e;
        return -1;
    }
    return 0;
}

/* Hands each of the answers to fn; a broken batch may leave answers unread, so its connection goes. */
static int take_answers(struct xen_ctx *x, unsigned answers, on_answer_fn *fn, void *arg)
{
    if (read_answers(x->xs_batch_fd, answers, fn, arg)) {
        int e = errno;
        xen_xs_batch_close(x);
        errno = e;
        return -1;
    }
    return 0;
}

/* The introduction's request id: above every node's (2i, 2i + 1). */
#define INTRODUCE_ID UINT32_MAX

struct write_result {
    unsigned failed; /* the first node refused; n when none was */
    int err;
    int introduce_err; /* the introduction's refusal, when it was sent and refused */
};

static void on_write(void *arg, const struct xsd_sockmsg *h, const char *payload)
{
    struct write_result *r = arg;

    if (h->type == XS_ERROR && h->req_id == INTRODUCE_ID)
        r->introduce_err = error_number(payload);
    else if (h->type == XS_ERROR && h->req_id / 2 < r->failed) {
        r->failed = h->req_id / 2;
        r->err = error_number(payload);
    }
}

int xen_xs_write_send(void *ctx, const struct flb_xs_write *nodes, unsigned n)
{
    struct xen_ctx *x = ctx;
    struct buf b = {0};
    unsigned answers;
    int rc = -1;

    if (!x->xsh) {
        errno = ENOTCONN;
        return -1;
    }
    if (encode(&b, nodes, n, x->xs_sent, &answers) || send_requests(x, &b))
        goto out;
    x->xs_sent += n;
    x->xs_answers += answers;
    rc = 0;
out:
    free(b.p);
    return rc;
}

/* libxenstore's XS_INTRODUCE: the domain, its ring's frame and its port, each NUL-terminated. */
int xen_xs_introduce_send(void *ctx, uint32_t domid, uint64_t gfn, uint32_t port)
{
    struct xen_ctx *x = ctx;
    char d[16], g[24], p[16];
    struct buf b = {0};
    int rc = -1;

    if (!x->xsh) {
        errno = ENOTCONN;
        return -1;
    }
    snprintf(d, sizeof(d), "%" PRIu32, domid);
    snprintf(g, sizeof(g), "%" PRIu64, gfn);
    snprintf(p, sizeof(p), "%" PRIu32, port);
    const char *parts[] = {d, "", g, "", p, ""};
    size_t lens[] = {strlen(d), 1, strlen(g), 1, strlen(p), 1};
    if (message(&b, XS_INTRODUCE, INTRODUCE_ID, parts, lens, 6) || send_requests(x, &b))
        goto out;
    x->xs_answers++;
    rc = 0;
out:
    free(b.p);
    return rc;
}

int xen_xs_write_wait(void *ctx, unsigned *failed)
{
    struct xen_ctx *x = ctx;
    struct write_result r = {x->xs_sent, 0, 0};
    unsigned answers = x->xs_answers;

    *failed = x->xs_sent;
    x->xs_sent = x->xs_answers = 0;
    if (answers && take_answers(x, answers, on_write, &r)) {
        *failed = UINT_MAX;
        return -1;
    }
    if (r.err) {
        *failed = r.failed;
        errno = r.err;
        return -1;
    }
    if (r.introduce_err) {
        errno = r.introduce_err;
        return -1;
    }
    return 0;
}

struct read_result {
    char **values;
    int *errs;
    unsigned n;
};

static void on_read(void *arg, const struct xsd_sockmsg *h, const char *payload)
{
    struct read_result *r = arg;

    if (h->req_id >= r->n)
        return;
    if (h->type == XS_ERROR) {
        r->errs[h->req_id] = error_number(payload);
        return;
    }
    r->values[h->req_id] = strdup(payload);
    r->errs[h->req_id] = r->values[h->req_id] ? 0 : ENOMEM;
}

int xen_xs_read_batch(void *ctx, const char *const *paths, unsigned n, char **values, int *errs)
{
    struct xen_ctx *x = ctx;
    struct buf b = {0};
    struct read_result r = {values, errs, n};
    int rc = -1;

    for (unsigned i = 0; i < n; i++) {
        values[i] = NULL;
        errs[i] = EIO; /* until its answer comes */
    }
    if (!x->xsh) {
        errno = ENOTCONN;
        return -1;
    }
    /* The answers would come after the writes' still unread. */
    if (x->xs_answers) {
        errno = EBUSY;
        return -1;
    }
    for (unsigned i = 0; i < n; i++) {
        const char *p[] = {paths[i], ""};
        size_t pl[] = {strlen(paths[i]), 1};

        if (message(&b, XS_READ, i, p, pl, 2))
            goto out;
    }
    rc = send_requests(x, &b);
    if (!rc)
        rc = take_answers(x, n, on_read, &r);
out:
    free(b.p);
    if (rc)
        for (unsigned i = 0; i < n; i++) {
            free(values[i]);
            values[i] = NULL;
        }
    return rc;
}
