/* The keys a config file has set, in a hash set: checking each new key for a duplicate is linear overall. */
#include "frontend/keyset.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

/*
 * FNV-1a from a random start, then a finalizer that spreads every bit into the low ones the table uses:
 * a file cannot be written in advance so that its keys collide and make each lookup a long probe.
 */
static size_t hash(const char *key, size_t len)
{
    static uint64_t seed;
    uint64_t h;

    if (!seed && getrandom(&seed, sizeof(seed), GRND_NONBLOCK) != sizeof(seed))
        seed = (uint64_t)(uintptr_t)&seed; /* no entropy yet: at least the address layout's */
    h = UINT64_C(0xcbf29ce484222325) ^ seed;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)key[i]) * UINT64_C(0x100000001b3);
    h ^= h >> 33;
    h *= UINT64_C(0xff51afd7ed558ccd);
    h ^= h >> 33;
    return (size_t)h;
}

static struct flb_keyset_entry *find(struct flb_keyset_entry *slots, size_t cap, const char *key, size_t len)
{
    size_t i = hash(key, len) & (cap - 1);

    while (slots[i].key && (slots[i].len != len || memcmp(slots[i].key, key, len)))
        i = (i + 1) & (cap - 1);
    return &slots[i];
}

/* Keeps the table at most half full, so that a probe ends soon. */
static int grow(struct flb_keyset *set)
{
    size_t cap = set->cap ? set->cap * 2 : 64;
    struct flb_keyset_entry *slots = calloc(cap, sizeof(*slots));

    if (!slots)
        return -1;
    for (size_t i = 0; i < set->cap; i++)
        if (set->slots[i].key)
            *find(slots, cap, set->slots[i].key, set->slots[i].len) = set->slots[i];
    free(set->slots);
    set->slots = slots;
    set->cap = cap;
    return 0;
}

struct flb_keyset_entry *flb_keyset_get(struct flb_keyset *set, const char *key, size_t len, int line,
                                        int aux, bool *added)
{
    struct flb_keyset_entry *e;

    *added = false;
    if ((set->nr + 1) * 2 > set->cap && grow(set))
        return NULL;
    e = find(set->slots, set->cap, key, len);
    if (e->key)
        return e;
    if (!(e->key = malloc(len + 1)))
        return NULL;
    memcpy(e->key, key, len);
    e->key[len] = '\0';
    e->len = len;
    e->line = line;
    e->aux = aux;
    set->nr++;
    *added = true;
    return e;
}

void flb_keyset_free(struct flb_keyset *set)
{
    for (size_t i = 0; i < set->cap; i++)
        free(set->slots[i].key);
    free(set->slots);
    set->slots = NULL;
    set->cap = set->nr = 0;
}
