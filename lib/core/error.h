/* Error results the library hands back: a status and a one-line message; the library never prints. */
#ifndef FLB_ERROR_H
#define FLB_ERROR_H

enum flb_status {
    FLB_OK = 0,
    FLB_E_SYSTEM = -1, /* anything the user's input did not cause; exit status 1 */
    FLB_E_INPUT = -2,  /* bad config, command line or kernel file; exit status 2 */
};

/* One message, written by the first failure; later failures keep it. */
struct flb_error {
    char msg[512];
};

/* Records a printf-style message (unless one is already there) and returns rc. */
int flb_fail(struct flb_error *err, int rc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
