/* Every key of xl.cfg(5) in Xen 4.17, with what this builder does with it and why: one table in the code. */
#ifndef FLB_XL_KEYS_H
#define FLB_XL_KEYS_H

#include <stddef.h>

/*
 * honoured: same meaning and default as xl for a PVH guest.
 * not for PVH: xl itself does nothing with it for a PVH guest; a warning says so (an error with --strict).
 * refused: a guest built with it would differ from xl's; exit status 2 with the reason and what to do.
 */
enum flb_xl_status { FLB_XL_HONOURED, FLB_XL_NOT_PVH, FLB_XL_REFUSED };

struct flb_xl_key {
    const char *name;
    enum flb_xl_status status;
    const char *reason; /* one clause, lower case, no final full stop: messages and cfg(5) quote it */
};

/* The table, sorted by name; *n receives its length. */
const struct flb_xl_key *flb_xl_keys(size_t *n);

/* The entry for name, or NULL when xl.cfg(5) has no such key. */
const struct flb_xl_key *flb_xl_key_find(const char *name);

/* "honoured", "not for PVH", "refused". */
const char *flb_xl_status_name(enum flb_xl_status status);

#endif
