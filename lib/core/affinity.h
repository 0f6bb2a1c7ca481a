/*
 * vCPU affinity as xl.cfg(5) writes it (cpus, cpus_soft): a string such as "0-3,^1", "all" or "nodes:0",
 * which applies to every vCPU, or a list of such strings, one per vCPU. Parsing is pure; turning the steps
 * into a CPU map needs the host's CPUs and their NUMA nodes, which the build asks Xen for.
 */
#ifndef FLB_AFFINITY_H
#define FLB_AFFINITY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One comma-separated piece, applied in the order written: "3-5" adds, "^1" removes, "nodes:0" whole nodes.
 */
struct flb_cpu_step {
    uint32_t entry;       /* the list item it belongs to; 0 for a string */
    uint32_t first, last; /* CPU numbers, or NUMA node numbers with nodes */
    bool remove, nodes, all;
};

struct flb_affinity {
    struct flb_cpu_step *step; /* owned */
    size_t nr_steps;
    uint32_t nr_entries; /* 0: the key is unset */
    bool per_vcpu;       /* a list: entry i is vCPU i's; a string applies to every vCPU */
};

/* The most steps one key may hold: a bound on the work, far above what a host's CPUs need. */
#define FLB_AFFINITY_MAX_STEPS 4096

/*
 * Adds one entry (a string, or one item of a list) to a. Returns 0, -1 with `why` saying what is wrong with
 * the text (one sentence, no prefix), or -2 when out of memory.
 */
int flb_affinity_add(struct flb_affinity *a, const char *text, char *why, size_t len);
void flb_affinity_free(struct flb_affinity *a);

/* The entry vCPU vcpu takes, or -1 when the key leaves it alone (unset, or a list shorter than the vCPUs). */
int flb_affinity_entry(const struct flb_affinity *a, uint32_t vcpu);

/* The host's CPUs: node[i] is CPU i's NUMA node, or FLB_CPU_ABSENT for a CPU that is not there. */
#define FLB_CPU_ABSENT UINT32_MAX
struct flb_cpu_topology {
    uint32_t nr_cpus;
    const uint32_t *node;
};

/*
 * Applies entry's steps to map, (nr_cpus + 7) / 8 bytes, which it clears first, as xl does: CPUs beyond
 * the host's are dropped, "all" means every CPU the map holds. Returns how many CPUs are set.
 */
uint32_t flb_affinity_map(const struct flb_affinity *a, uint32_t entry, const struct flb_cpu_topology *t,
                          uint8_t *map);

#endif
