/*
 * cpuid= as xl reads it: the string "host,NAME=VALUE,..." or a list of libxc's register strings
 * ("0x00000001:ecx=xxxx...x0x"). Both become the entries libxenguest applies over the default policy:
 * per leaf and subleaf, a 32-character string per register, bit 31 first, each character '1' or '0'
 * (forced), 'x' (the default), 'k' or 's' (the host's value), or nothing set for that register.
 */
#ifndef FLB_CPUID_H
#define FLB_CPUID_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A leaf without subleaves (libxc's XEN_CPUID_INPUT_UNUSED). */
#define FLB_CPUID_NO_SUBLEAF UINT32_MAX

enum flb_cpuid_reg { FLB_CPUID_EAX, FLB_CPUID_EBX, FLB_CPUID_ECX, FLB_CPUID_EDX };

struct flb_cpuid_entry {
    uint32_t leaf, subleaf;
    char reg[4][33]; /* "" where the entry sets nothing in that register */
};

struct flb_cpuid {
    struct flb_cpuid_entry *entry; /* owned */
    size_t nr;
};

/* One name of the string form: a field of width bits at bit of a register (cpuid_names.c). */
struct flb_cpuid_field {
    const char *name;
    uint32_t leaf, subleaf;
    enum flb_cpuid_reg reg;
    unsigned bit, width;
};
bool flb_cpuid_lookup(const char *name, size_t len, struct flb_cpuid_field *out);

/*
 * The string form, whole: "host" then NAME=VALUE pieces, VALUE a number (its bits, as many as the field
 * has) or x, k or s for every bit. Returns 0, -1 with `why` (one sentence, no prefix), -2 out of memory.
 */
int flb_cpuid_parse_string(struct flb_cpuid *c, const char *text, char *why, size_t len);

/* One item of the list form: "LEAF[,SUBLEAF]:eXx=STRING[,eXx=STRING...]"; the same returns. */
int flb_cpuid_parse_xend(struct flb_cpuid *c, const char *item, char *why, size_t len);

void flb_cpuid_free(struct flb_cpuid *c);

#endif
