/* The known keys, integer spelling, and closest-key suggestion (among them and every xl.cfg key). */
#include "core/config.h"
#include "core/config_internal.h"

#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xen_pvh_layout.h"
#include "core/xl_keys.h"

/*
 * Upper bounds keep every size small enough that the layout arithmetic cannot
 * wrap: 2^32 MiB is the whole 52-bit guest physical address space, and Xen
 * takes frame counts as signed 32-bit numbers (a negative one means "Xen's default").
 */
#define MAX_MIB (FLB_GUEST_PADDR_LIMIT / FLB_MIB)
#define MAX_FRAMES UINT64_C(0x7FFFFFFF) /* Xen's createdomain takes them as int32_t */

/*
 * And each bound is one that works, so that the range cfg(5) gives is a range a user can use: the most
 * memory any layout holds is the address space less the smallest MMIO hole (64 MiB, the default); the
 * foreign region starts above 4 GiB, after the shared info page and at least one grant frame. Other
 * settings lower both; the layout then names the keys to blame.
 */
#define MAX_MEMORY_MIB (MAX_MIB - FLB_DEFAULT_MMIO_HOLE / FLB_MIB)
#define MAX_FOREIGN_MIB (MAX_MIB - FLB_4GIB / FLB_MIB - 1)

static const struct flb_key_info keys[FLB_KEY_COUNT] = {
    [FLB_KEY_NAME] = {"name", FLB_KEY_STRING, NULL, 0, 0},
    [FLB_KEY_TYPE] = {"type", FLB_KEY_STRING, NULL, 0, 0},
    [FLB_KEY_MEMORY] = {"memory", FLB_KEY_INT, "MiB", 1, MAX_MEMORY_MIB},
    [FLB_KEY_MAXMEM] = {"maxmem", FLB_KEY_INT, "MiB", 1, MAX_MEMORY_MIB},
    [FLB_KEY_VCPUS] = {"vcpus", FLB_KEY_INT, NULL, 1, 128},
    [FLB_KEY_MAXVCPUS] = {"maxvcpus", FLB_KEY_INT, NULL, 1, 128},
    [FLB_KEY_KERNEL] = {"kernel", FLB_KEY_STRING, NULL, 0, 0},
    [FLB_KEY_RAMDISK] = {"ramdisk", FLB_KEY_STRING, NULL, 0, 0},
    [FLB_KEY_CMDLINE] = {"cmdline", FLB_KEY_STRING, NULL, 0, 0},
    [FLB_KEY_EXTRA] = {"extra", FLB_KEY_STRING, NULL, 0, 0},
    [FLB_KEY_ROOT] = {"root", FLB_KEY_STRING, NULL, 0, 0},
    [FLB_KEY_MAX_GRANT_FRAMES] = {"max_grant_frames", FLB_KEY_INT, "frames", 1, MAX_FRAMES},
    [FLB_KEY_MAX_MAPTRACK_FRAMES] = {"max_maptrack_frames", FLB_KEY_INT, "frames", 0, MAX_FRAMES},
    [FLB_KEY_MAX_GRANT_VERSION] = {"max_grant_version", FLB_KEY_INT, NULL, 1, 2},
    [FLB_KEY_MMIO_HOLE] = {"mmio_hole", FLB_KEY_INT, "MiB", FLB_MMIO_HOLE_MIN_MIB, FLB_MMIO_HOLE_MAX_MIB},
    /* Booleans as xl reads them: 0 is false, any other number true; a negative one is out of range. */
    [FLB_KEY_ACPI] = {"acpi", FLB_KEY_BOOL, NULL, 0, INT64_MAX},
    [FLB_KEY_FIXED_MEM_LAYOUT] = {"fixed_mem_layout", FLB_KEY_BOOL, NULL, 0, INT64_MAX},
    [FLB_KEY_FOREIGN_REGION_MIB] = {"foreign_region_mib", FLB_KEY_INT, "MiB", 0, MAX_FOREIGN_MIB},
    /* Strings whose values core/lifecycle.c checks. */
    [FLB_KEY_ON_POWEROFF] = {"on_poweroff", FLB_KEY_STRING, NULL, 0, 0},
    [FLB_KEY_ON_REBOOT] = {"on_reboot", FLB_KEY_STRING, NULL, 0, 0},
    [FLB_KEY_ON_WATCHDOG] = {"on_watchdog", FLB_KEY_STRING, NULL, 0, 0},
    [FLB_KEY_ON_CRASH] = {"on_crash", FLB_KEY_STRING, NULL, 0, 0},
    [FLB_KEY_ON_SOFT_RESET] = {"on_soft_reset", FLB_KEY_STRING, NULL, 0, 0},
    [FLB_KEY_UUID] = {"uuid", FLB_KEY_STRING, NULL, 0, 0},
    [FLB_KEY_HAP] = {"hap", FLB_KEY_BOOL, NULL, 0, INT64_MAX},
    [FLB_KEY_OOS] = {"oos", FLB_KEY_BOOL, NULL, 0, INT64_MAX},
    /* libxl shifts the size in KiB left by 10 into 64 bits: at most 2^44 MiB, far above any guest's. */
    [FLB_KEY_SHADOW_MEMORY] = {"shadow_memory", FLB_KEY_INT, "MiB", 1, MAX_MIB},
    [FLB_KEY_NESTEDHVM] = {"nestedhvm", FLB_KEY_BOOL, NULL, 0, INT64_MAX},
    [FLB_KEY_VPMU] = {"vpmu", FLB_KEY_BOOL, NULL, 0, INT64_MAX},
    [FLB_KEY_MSR_RELAXED] = {"msr_relaxed", FLB_KEY_BOOL, NULL, 0, INT64_MAX},
    /* Xen takes the highest port as a uint32_t and caps it at INT_MAX; 0 is libxl's "unset". */
    [FLB_KEY_MAX_EVENT_CHANNELS] = {"max_event_channels", FLB_KEY_INT, NULL, 0, INT32_MAX},
    /* A name, or (deprecated, as xl warns) its number: config_value.c reads both. */
    [FLB_KEY_TSC_MODE] = {"tsc_mode", FLB_KEY_STRING, NULL, 0, 0},
    /* A string or a list of strings; '+=' joins strings and lists as for any string key. */
    [FLB_KEY_CPUS] = {"cpus", FLB_KEY_STRING, NULL, 0, 0},
    [FLB_KEY_CPUS_SOFT] = {"cpus_soft", FLB_KEY_STRING, NULL, 0, 0},
    /* libxl's bounds for credit and credit2; cap's upper bound, 100 per vCPU, is checked once maxvcpus is
       known. */
    [FLB_KEY_CPU_WEIGHT] = {"cpu_weight", FLB_KEY_INT, NULL, 1, 65535},
    [FLB_KEY_LOCALTIME] = {"localtime", FLB_KEY_BOOL, NULL, 0, INT64_MAX},
    /* Signed, as xl reads it from a quoted number: config_modes.c checks it. */
    [FLB_KEY_RTC_TIMEOFFSET] = {"rtc_timeoffset", FLB_KEY_STRING, NULL, 0, 0},
    /* A name, or its number (for timer_mode deprecated, as xl warns): config_modes.c reads both. */
    [FLB_KEY_TIMER_MODE] = {"timer_mode", FLB_KEY_STRING, NULL, 0, 0},
    [FLB_KEY_ALTP2M] = {"altp2m", FLB_KEY_STRING, NULL, 0, 0},
    /* Per vCPU; libxl rounds it up to pages into Xen's 32-bit size, which this bound keeps from wrapping. */
    [FLB_KEY_VMTRACE_BUF_KB] = {"vmtrace_buf_kb", FLB_KEY_INT, "KiB", 0, 4194300},
    [FLB_KEY_DRIVER_DOMAIN] = {"driver_domain", FLB_KEY_BOOL, NULL, 0, INT64_MAX},
    /* FLASK labels ("system_u:system_r:domU_t"): only Xen's policy can tell a good one. */
    [FLB_KEY_SECLABEL] = {"seclabel", FLB_KEY_STRING, NULL, 0, 0},
    [FLB_KEY_INIT_SECLABEL] = {"init_seclabel", FLB_KEY_STRING, NULL, 0, 0},
    /* A string or a list of strings (config_cpuid.c). */
    [FLB_KEY_CPUID] = {"cpuid", FLB_KEY_STRING, NULL, 0, 0},
    [FLB_KEY_CAP] = {"cap", FLB_KEY_INT, "% of one CPU", 0, 12800},
};

const char *flb_key_name(enum flb_key key)
{
    return (unsigned)key < FLB_KEY_COUNT ? keys[key].name : "?";
}

const struct flb_key_info *flb_key_info(enum flb_key key)
{
    return (unsigned)key < FLB_KEY_COUNT ? &keys[key] : NULL;
}

bool flb_key_is_action(enum flb_key key)
{
    return key >= FLB_KEY_ON_POWEROFF && key <= FLB_KEY_ON_SOFT_RESET;
}

int flb_key_lookup(const char *name)
{
    for (int k = 0; k < FLB_KEY_COUNT; k++)
        if (!strcmp(keys[k].name, name))
            return k;
    return -1;
}

bool flb_key_is_xl(const char *name)
{
    return flb_xl_key_find(name) != NULL;
}

/* Shared by the front ends so that "512" means the same in xl, YAML and overrides. */
int flb_parse_int(const char *text, long long *out)
{
    const char *p = text;
    bool neg = false;
    int base = 10;
    unsigned long long v = 0;

    if (*p == '-' || *p == '+')
        neg = *p++ == '-';
    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
        base = 16;
        p += 2;
    } else if (p[0] == '0' && p[1] >= '0' && p[1] <= '9' && !p[strspn(p, "0123456789")]) {
        return -3; /* xl reads "010" as octal 8, YAML as 10: refuse to guess */
    }
    if (!*p)
        return -1;
    for (; *p; p++) {
        int d;
        if (*p >= '0' && *p <= '9')
            d = *p - '0';
        else if (base == 16 && *p >= 'a' && *p <= 'f')
            d = *p - 'a' + 10;
        else if (base == 16 && *p >= 'A' && *p <= 'F')
            d = *p - 'A' + 10;
        else
            return -1;
        if (v > (ULLONG_MAX - (unsigned)d) / (unsigned)base)
            v = ULLONG_MAX; /* keep scanning: "99...9x" is not a number at all */
        else
            v = v * (unsigned)base + (unsigned)d;
    }
    if (v > (unsigned long long)LLONG_MAX)
        return -2;
    *out = neg ? -(long long)v : (long long)v;
    return 0;
}

/* Levenshtein distance, giving up (returning limit + 1) on long words. */
static size_t distance(const char *a, const char *b, size_t limit)
{
    size_t la = strlen(a), lb = strlen(b);
    size_t row[64];

    if (la >= 64 || lb >= 64)
        return limit + 1;
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] != b[j - 1]);
            if (row[j] + 1 < best)
                best = row[j] + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

const char *flb_key_suggest(const char *name)
{
    /* A third of the word may be wrong, at least one letter: "foo" suggests nothing. */
    size_t limit = strlen(name) / 3 ? strlen(name) / 3 : 1;
    const char *best = NULL;
    size_t best_d = limit + 1, nr_xl;
    const struct flb_xl_key *xl;

    for (int k = 0; k < FLB_KEY_COUNT; k++) {
        size_t d = distance(name, keys[k].name, limit);
        if (d < best_d) {
            best_d = d;
            best = keys[k].name;
        }
    }
    xl = flb_xl_keys(&nr_xl);
    for (size_t i = 0; i < nr_xl; i++) {
        size_t d = distance(name, xl[i].name, limit);
        if (d < best_d) {
            best_d = d;
            best = xl[i].name;
        }
    }
    return best;
}

bool flb_key_mistake(const char *name, char *msg, size_t len)
{
    char fixed[64], hint[96] = "";
    bool upper = false, dash = false;
    size_t n = strlen(name);

    for (const char *p = name; *p; p++) {
        upper |= isupper((unsigned char)*p) != 0;
        dash |= *p == '-';
    }
    if (!upper && !dash && islower((unsigned char)name[0]))
        return false;
    /* The key it was probably meant to be, when that is one we know. */
    if (n < sizeof(fixed)) {
        for (size_t i = 0; i <= n; i++)
            fixed[i] = name[i] == '-' ? '_' : (char)tolower((unsigned char)name[i]);
        if (flb_key_lookup(fixed) >= 0 || flb_key_is_xl(fixed))
            snprintf(hint, sizeof(hint), " (did you mean '%s'?)", fixed);
    }
    if (upper)
        snprintf(msg, len, "'%s': keys are lower case%s", name, hint);
    else if (dash)
        snprintf(msg, len, "'%s': keys are written with '_', not '-'%s", name, hint);
    else
        snprintf(msg, len, "'%s': a key starts with a lower-case letter", name);
    return true;
}

/* Where each key's value lives in the config: one switch per kind, beside the key table. */
char **flb_config_string_field(struct flb_config *cfg, enum flb_key k)
{
    switch (k) {
    case FLB_KEY_NAME: return &cfg->name;
    case FLB_KEY_TYPE: return &cfg->type;
    case FLB_KEY_KERNEL: return &cfg->kernel;
    case FLB_KEY_RAMDISK: return &cfg->ramdisk;
    case FLB_KEY_CMDLINE: return &cfg->cmdline;
    case FLB_KEY_EXTRA: return &cfg->extra;
    case FLB_KEY_ROOT: return &cfg->root;
    case FLB_KEY_UUID: return &cfg->uuid;
    case FLB_KEY_TSC_MODE: return &cfg->tsc_mode;
    case FLB_KEY_CPUS: return &cfg->cpus_text;
    case FLB_KEY_CPUS_SOFT: return &cfg->cpus_soft_text;
    case FLB_KEY_RTC_TIMEOFFSET: return &cfg->rtc_timeoffset;
    case FLB_KEY_TIMER_MODE: return &cfg->timer_mode;
    case FLB_KEY_ALTP2M: return &cfg->altp2m;
    case FLB_KEY_SECLABEL: return &cfg->seclabel;
    case FLB_KEY_CPUID: return &cfg->cpuid_text;
    case FLB_KEY_INIT_SECLABEL: return &cfg->init_seclabel;
    default: return NULL;
    }
}

int *flb_config_bool_field(struct flb_config *cfg, enum flb_key k)
{
    switch (k) {
    case FLB_KEY_FIXED_MEM_LAYOUT: return &cfg->fixed_mem_layout;
    case FLB_KEY_ACPI: return &cfg->acpi;
    case FLB_KEY_HAP: return &cfg->hap;
    case FLB_KEY_OOS: return &cfg->oos;
    case FLB_KEY_NESTEDHVM: return &cfg->nestedhvm;
    case FLB_KEY_VPMU: return &cfg->vpmu;
    case FLB_KEY_MSR_RELAXED: return &cfg->msr_relaxed;
    case FLB_KEY_LOCALTIME: return &cfg->localtime;
    case FLB_KEY_DRIVER_DOMAIN: return &cfg->driver_domain;
    default: return NULL;
    }
}

uint64_t *flb_config_int_field(struct flb_config *cfg, enum flb_key k)
{
    switch (k) {
    case FLB_KEY_MEMORY: return &cfg->memory_mib;
    case FLB_KEY_MAXMEM: return &cfg->maxmem_mib;
    case FLB_KEY_VCPUS: return &cfg->vcpus;
    case FLB_KEY_MAXVCPUS: return &cfg->maxvcpus;
    case FLB_KEY_MAX_GRANT_FRAMES: return &cfg->max_grant_frames;
    case FLB_KEY_MAX_MAPTRACK_FRAMES: return &cfg->max_maptrack_frames;
    case FLB_KEY_MAX_GRANT_VERSION: return &cfg->max_grant_version;
    case FLB_KEY_MMIO_HOLE: return &cfg->mmio_hole_mib;
    case FLB_KEY_FOREIGN_REGION_MIB: return &cfg->foreign_region_mib;
    case FLB_KEY_SHADOW_MEMORY: return &cfg->shadow_memory_mib;
    case FLB_KEY_MAX_EVENT_CHANNELS: return &cfg->max_event_channels;
    case FLB_KEY_CPU_WEIGHT: return &cfg->cpu_weight;
    case FLB_KEY_CAP: return &cfg->cap;
    case FLB_KEY_VMTRACE_BUF_KB: return &cfg->vmtrace_buf_kb;
    default: return NULL;
    }
}
