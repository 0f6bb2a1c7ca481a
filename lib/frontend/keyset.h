/* The keys a config file has set: finding a duplicate costs the same for the last key as for the first. */
#ifndef FLB_KEYSET_H
#define FLB_KEYSET_H

#include <stdbool.h>
#include <stddef.h>

struct flb_keyset_entry {
    char *key; /* a copy, NUL-terminated */
    size_t len;
    int line; /* where it was first set */
    int aux;  /* the front end's own: what the first statement was */
};

struct flb_keyset {
    struct flb_keyset_entry *slots; /* open addressing; a NULL key is a free slot */
    size_t cap, nr;
};

/*
 * The entry for key[0..len), added with line and aux if it was not there (then *added is true).
 * NULL when out of memory.
 */
struct flb_keyset_entry *flb_keyset_get(struct flb_keyset *set, const char *key, size_t len, int line,
                                        int aux, bool *added);
void flb_keyset_free(struct flb_keyset *set);

#endif
