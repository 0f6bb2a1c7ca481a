/* xl's CPU lists: parsed once when the config is read, turned into a map of the host's CPUs at build time. */
#include "core/affinity.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A decimal number below 2^32 - 1: no sign, no blank, as every xl.cfg(5) example writes it. */
static bool read_number(const char **p, uint32_t *out)
{
    uint64_t v = 0;
    const char *s = *p;

    if (*s < '0' || *s > '9')
        return false;
    for (; *s >= '0' && *s <= '9'; s++) {
        v = v * 10 + (uint64_t)(*s - '0');
        if (v >= UINT32_MAX)
            return false;
    }
    *out = (uint32_t)v;
    *p = s;
    return true;
}

/* One piece between commas, of length n. */
static int read_step(const char *piece, size_t n, struct flb_cpu_step *st, char *why, size_t len)
{
    char buf[64];
    const char *p = buf;

    if (n >= sizeof(buf)) {
        snprintf(why, len, "'%.20s...' is not a CPU, a range of CPUs or nodes:N", piece);
        return -1;
    }
    memcpy(buf, piece, n);
    buf[n] = '\0';
    if (*p == '^') {
        st->remove = true;
        p++;
    }
    if (!strncmp(p, "nodes:", 6) || !strncmp(p, "node:", 5)) {
        st->nodes = true;
        p += p[4] == ':' ? 5 : 6;
    }
    if (!strcmp(p, "all")) {
        if (st->remove) {
            snprintf(why, len, "'%s': '^' cannot remove all (xl refuses it too)", buf);
            return -1;
        }
        st->all = true;
        return 0;
    }
    if (!read_number(&p, &st->first)) {
        snprintf(why, len, "'%s' is not a CPU (\"3\"), a range (\"0-3\"), all, or nodes:N", buf);
        return -1;
    }
    st->last = st->first;
    if (*p == '-') {
        p++;
        if (!read_number(&p, &st->last) || st->last < st->first) {
            snprintf(why, len, "'%s' is not a range: write FIRST-LAST with FIRST <= LAST", buf);
            return -1;
        }
    }
    if (*p) {
        snprintf(why, len, "'%s' is not a CPU (\"3\"), a range (\"0-3\"), all, or nodes:N", buf);
        return -1;
    }
    return 0;
}

int flb_affinity_add(struct flb_affinity *a, const char *text, char *why, size_t len)
{
    size_t added = 0;

    /* As xl splits it: empty pieces (",,", a leading or trailing comma) are skipped. */
    for (const char *p = text; *p;) {
        size_t n = strcspn(p, ",");
        if (n) {
            struct flb_cpu_step st = {.entry = a->nr_entries};
            struct flb_cpu_step *grown;
            if (read_step(p, n, &st, why, len))
                return -1;
            if (a->nr_steps >= FLB_AFFINITY_MAX_STEPS) {
                snprintf(why, len, "more than %d CPU ranges: join them into fewer ranges",
                         FLB_AFFINITY_MAX_STEPS);
                return -1;
            }
            if (!(grown = realloc(a->step, (a->nr_steps + 1) * sizeof(*grown))))
                return -2;
            a->step = grown;
            a->step[a->nr_steps++] = st;
            added++;
        }
        p += n + (p[n] == ',');
    }
    /* xl would hand Xen an empty map, which it refuses when the domain is built: say so now. */
    if (!added) {
        snprintf(why, len, "no CPU given: write the CPUs (\"0-3\", \"all\"), or leave the key out");
        return -1;
    }
    a->nr_entries++;
    return 0;
}

void flb_affinity_free(struct flb_affinity *a)
{
    free(a->step);
    memset(a, 0, sizeof(*a));
}

int flb_affinity_entry(const struct flb_affinity *a, uint32_t vcpu)
{
    if (!a->nr_entries)
        return -1;
    if (!a->per_vcpu)
        return 0;
    return vcpu < a->nr_entries ? (int)vcpu : -1;
}

static void set_bit(uint8_t *map, uint32_t cpu, bool on)
{
    if (on)
        map[cpu / 8] |= (uint8_t)(1u << (cpu % 8));
    else
        map[cpu / 8] &= (uint8_t) ~(1u << (cpu % 8));
}

uint32_t flb_affinity_map(const struct flb_affinity *a, uint32_t entry, const struct flb_cpu_topology *t,
                          uint8_t *map)
{
    uint32_t count = 0;

    memset(map, 0, (t->nr_cpus + 7) / 8);
    for (size_t i = 0; i < a->nr_steps; i++) {
        const struct flb_cpu_step *st = &a->step[i];
        if (st->entry != entry)
            continue;
        for (uint32_t cpu = 0; cpu < t->nr_cpus; cpu++) {
            bool in;
            if (st->all)
                in = true; /* "nodes:all" too: xl sets every bit of the map either way */
            else if (st->nodes)
                in = t->node[cpu] != FLB_CPU_ABSENT && t->node[cpu] >= st->first && t->node[cpu] <= st->last;
            else
                in = cpu >= st->first && cpu <= st->last;
            if (in)
                set_bit(map, cpu, !st->remove);
        }
    }
    for (uint32_t cpu = 0; cpu < t->nr_cpus; cpu++)
        count += (map[cpu / 8] >> (cpu % 8)) & 1;
    return count;
}
