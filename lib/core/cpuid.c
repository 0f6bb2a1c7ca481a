/* cpuid= in xl's two syntaxes, turned into libxenguest's per-register strings; pure, so that it can be
 * fuzzed. */
#include "core/cpuid.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The entry for leaf and subleaf, made (every register unset) the first time; NULL when out of memory. */
static struct flb_cpuid_entry *entry_for(struct flb_cpuid *c, uint32_t leaf, uint32_t subleaf)
{
    struct flb_cpuid_entry *grown;

    for (size_t i = 0; i < c->nr; i++)
        if (c->entry[i].leaf == leaf && c->entry[i].subleaf == subleaf)
            return &c->entry[i];
    if (!(grown = realloc(c->entry, (c->nr + 1) * sizeof(*grown))))
        return NULL;
    c->entry = grown;
    memset(&c->entry[c->nr], 0, sizeof(c->entry[0]));
    c->entry[c->nr].leaf = leaf;
    c->entry[c->nr].subleaf = subleaf;
    return &c->entry[c->nr++];
}

/* A whole number as libxl reads one (decimal, 0x hexadecimal, 0 octal), with nothing after it. */
static bool read_number(const char *s, size_t n, uint64_t *out)
{
    char buf[24], *end;

    if (!n || n >= sizeof(buf) || *s < '0' || *s > '9')
        return false;
    memcpy(buf, s, n);
    buf[n] = '\0';
    *out = strtoull(buf, &end, 0);
    return *end == '\0';
}

/* Bit b of register string r (its first character is bit 31). */
static void put(char *r, unsigned b, char c)
{
    r[31 - b] = c;
}

/*
 * The family and model are split across leaf 1's EAX, as the manuals define them: a family above 15 is
 * 15 plus the extended family (bits 20-27); a model's high four bits go to bits 16-19. libxl writes the
 * extended family as 0 for a family below 16, and for x, k or s too.
 */
static void set_field(char *r, const struct flb_cpuid_field *f, const char *bits, uint64_t number)
{
    if (!strcmp(f->name, "family")) {
        for (unsigned i = 0; i < 8; i++)
            put(r, 20 + i, '0');
        if (number < 16) {
            for (unsigned i = 0; i < 4; i++)
                put(r, 8 + i, bits[i]);
        } else {
            for (unsigned i = 0; i < 4; i++)
                put(r, 8 + i, '1');
            for (unsigned i = 0; i < 8; i++)
                put(r, 20 + i, (number - 15) >> i & 1 ? '1' : '0');
        }
    } else if (!strcmp(f->name, "model")) {
        for (unsigned i = 0; i < 4; i++) {
            put(r, 4 + i, bits[i]);
            put(r, 16 + i, bits[4 + i]);
        }
    } else {
        for (unsigned i = 0; i < f->width; i++)
            put(r, f->bit + i, bits[i]);
    }
}

/* NAME=VALUE; bits[i] is bit i of the value. */
static int parse_setting(struct flb_cpuid *c, const char *s, size_t n, char *why, size_t len)
{
    const char *eq = memchr(s, '=', n);
    struct flb_cpuid_field f;
    struct flb_cpuid_entry *e;
    char bits[32], *r;
    uint64_t number = 0;
    size_t vlen;

    if (!eq) {
        snprintf(why, len, "'%.*s' is not NAME=VALUE", (int)(n < 40 ? n : 40), s);
        return -1;
    }
    if (!flb_cpuid_lookup(s, (size_t)(eq - s), &f)) {
        snprintf(why, len,
                 "'%.*s' is not a CPUID feature xl knows (xl.cfg(5) lists them, such as vmx or svm)",
                 (int)(eq - s < 40 ? eq - s : 40), s);
        return -1;
    }
    vlen = n - (size_t)(eq - s) - 1;
    if (read_number(eq + 1, vlen, &number)) {
        if (f.width < 64 && number >> f.width && strcmp(f.name, "family")) {
            snprintf(why, len, "%s=%.*s: %s takes %u bit%s, at most %llu", f.name, (int)vlen, eq + 1, f.name,
                     f.width, f.width == 1 ? "" : "s", (1ull << f.width) - 1);
            return -1;
        }
        /* libxl writes 7 bits of the extended family from the number: above that its result is garbled. */
        if (!strcmp(f.name, "family") && number > 15 + 127) {
            snprintf(why, len, "family=%.*s: at most 142 (15 plus the extended family)", (int)vlen, eq + 1);
            return -1;
        }
        for (unsigned i = 0; i < 32; i++)
            bits[i] = number >> i & 1 ? '1' : '0';
    } else if (vlen == 1 && (eq[1] == 'x' || eq[1] == 'k' || eq[1] == 's')) {
        memset(bits, eq[1], sizeof(bits));
    } else {
        snprintf(why, len, "%s=%.*s: expected a number, or x (default), k or s (the host's value)", f.name,
                 (int)(vlen < 40 ? vlen : 40), eq + 1);
        return -1;
    }
    if (!(e = entry_for(c, f.leaf, f.subleaf)))
        return -2;
    r = e->reg[f.reg];
    if (!r[0])
        memset(r, 'x', 32);
    set_field(r, &f, bits, number);
    return 0;
}

int flb_cpuid_parse_string(struct flb_cpuid *c, const char *text, char *why, size_t len)
{
    bool first = true;

    /* As xl splits it: empty pieces are skipped; the first must be "host". */
    for (const char *p = text; *p;) {
        size_t n = strcspn(p, ",");
        if (n && first) {
            if (n != 4 || strncmp(p, "host", 4)) {
                snprintf(why, len, "the string starts with \"host\", then NAME=VALUE pieces: \"host,%.*s\"",
                         (int)(n < 40 ? n : 40), p);
                return -1;
            }
            first = false;
        } else if (n) {
            int rc = parse_setting(c, p, n, why, len);
            if (rc)
                return rc;
        }
        p += n + (p[n] == ',');
    }
    if (first) {
        snprintf(why, len, "empty: write \"host\" then NAME=VALUE pieces, or leave cpuid out");
        return -1;
    }
    return 0;
}

/* A leaf or subleaf number at *p, as libxl reads it; moves *p past it. */
static bool read_leaf(const char **p, uint32_t *out)
{
    char *end;
    unsigned long long v;

    if (**p < '0' || **p > '9')
        return false;
    v = strtoull(*p, &end, 0);
    if (v > UINT32_MAX)
        return false;
    *out = (uint32_t)v;
    *p = end;
    return true;
}

int flb_cpuid_parse_xend(struct flb_cpuid *c, const char *item, char *why, size_t len)
{
    const char *p = item;
    uint32_t leaf, subleaf = FLB_CPUID_NO_SUBLEAF;
    struct flb_cpuid_entry *e;
    char regs[4][33] = {"", "", "", ""};

    if (!read_leaf(&p, &leaf) || (*p == ',' && (p++, !read_leaf(&p, &subleaf))) || *p != ':') {
        snprintf(why, len, "'%.40s' does not start with LEAF: or LEAF,SUBLEAF: (such as \"0x00000001:\")",
                 item);
        return -1;
    }
    for (p++;;) {
        size_t n;
        int r;
        if (p[0] != 'e' || p[1] < 'a' || p[1] > 'd' || p[2] != 'x' || p[3] != '=') {
            snprintf(why, len, "'%.20s': expected eax=, ebx=, ecx= or edx= and 32 characters", p);
            return -1;
        }
        r = p[1] - 'a';
        p += 4;
        n = strcspn(p, ",");
        if (n != 32 || strspn(p, "01xks") < 32) {
            snprintf(why, len,
                     "e%cx: expected 32 characters, each 1, 0, x, k or s (bit 31 first), got '%.*s'", 'a' + r,
                     (int)(n < 40 ? n : 40), p);
            return -1;
        }
        memcpy(regs[r], p, 32);
        regs[r][32] = '\0';
        p += n;
        if (!*p)
            break;
        /* libxl allows blanks after a comma. */
        for (p++; *p == ' ' || *p == '\n'; p++)
            ;
    }
    if (!(e = entry_for(c, leaf, subleaf)))
        return -2;
    for (int r = 0; r < 4; r++)
        if (regs[r][0])
            memcpy(e->reg[r], regs[r], 33);
    return 0;
}

void flb_cpuid_free(struct flb_cpuid *c)
{
    free(c->entry);
    memset(c, 0, sizeof(*c));
}
