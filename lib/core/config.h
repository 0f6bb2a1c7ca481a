/* The guest configuration model: one struct, explicit "unset" for every field, one pass of defaults. */
#ifndef FLB_CONFIG_H
#define FLB_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/affinity.h"
#include "core/cpuid.h"
#include "core/error.h"

/* Keys we act on, in xl.cfg(5) order. Both front ends use this one list. */
enum flb_key {
    FLB_KEY_NAME,
    FLB_KEY_TYPE,
    FLB_KEY_MEMORY,
    FLB_KEY_MAXMEM,
    FLB_KEY_VCPUS,
    FLB_KEY_MAXVCPUS,
    FLB_KEY_KERNEL,
    FLB_KEY_RAMDISK,
    FLB_KEY_CMDLINE,
    FLB_KEY_EXTRA,
    FLB_KEY_ROOT,
    FLB_KEY_MAX_GRANT_FRAMES,
    FLB_KEY_MAX_MAPTRACK_FRAMES,
    FLB_KEY_MAX_GRANT_VERSION,
    FLB_KEY_MMIO_HOLE,
    FLB_KEY_ACPI,
    FLB_KEY_FIXED_MEM_LAYOUT,
    FLB_KEY_FOREIGN_REGION_MIB,
    /* The on_ keys, in the order of struct flb_plan_lifecycle (core/lifecycle.h). */
    FLB_KEY_ON_POWEROFF,
    FLB_KEY_ON_REBOOT,
    FLB_KEY_ON_WATCHDOG,
    FLB_KEY_ON_CRASH,
    FLB_KEY_ON_SOFT_RESET,
    /* What xl sets on the domain beside its memory: core/xl_keys.c has every xl key's status. */
    FLB_KEY_UUID,
    FLB_KEY_HAP,
    FLB_KEY_OOS,
    FLB_KEY_SHADOW_MEMORY,
    FLB_KEY_NESTEDHVM,
    FLB_KEY_VPMU,
    FLB_KEY_MSR_RELAXED,
    FLB_KEY_MAX_EVENT_CHANNELS,
    FLB_KEY_TSC_MODE,
    FLB_KEY_CPUS,
    FLB_KEY_CPUS_SOFT,
    FLB_KEY_CPU_WEIGHT,
    FLB_KEY_CAP,
    FLB_KEY_LOCALTIME,
    FLB_KEY_RTC_TIMEOFFSET,
    FLB_KEY_TIMER_MODE,
    FLB_KEY_ALTP2M,
    FLB_KEY_VMTRACE_BUF_KB,
    FLB_KEY_DRIVER_DOMAIN,
    FLB_KEY_SECLABEL,
    FLB_KEY_INIT_SECLABEL,
    FLB_KEY_CPUID,
    FLB_KEY_COUNT
};

#define FLB_NR_ON_KEYS (FLB_KEY_ON_SOFT_RESET - FLB_KEY_ON_POWEROFF + 1)

/* Sentinel for an unset integer field. */
#define FLB_UNSET UINT64_MAX

/* Where a value came from, for messages: "guest.cfg:12", "override memory=512". */
struct flb_origin {
    const char *file; /* NULL for a command-line override */
    int line;         /* 0 when the parser cannot tell */
};

#define FLB_MAX_WARNINGS 32

/*
 * How deep a value's lists (and YAML mappings) may nest. xl's own keys need two levels; the bound keeps
 * the parsers' work linear in the file's size (libyaml's grows with the depth for every token it reads).
 */
#define FLB_CONFIG_MAX_NESTING 32

struct flb_config {
    const char *source; /* the config file's name as the user gave it */

    /* Strings: NULL means unset. Owned by the config. */
    char *name;
    char *type;
    char *kernel;
    char *ramdisk;
    char *cmdline;
    char *extra;
    char *root;

    /* Integers: FLB_UNSET means unset. Sizes in MiB as in xl.cfg. */
    uint64_t memory_mib;
    uint64_t maxmem_mib;
    uint64_t vcpus;
    uint64_t maxvcpus;
    uint64_t max_grant_frames;
    uint64_t max_maptrack_frames;
    uint64_t max_grant_version;
    uint64_t mmio_hole_mib;
    uint64_t foreign_region_mib;
    int fixed_mem_layout;          /* -1 unset, else 0 or 1 */
    int acpi;                      /* -1 unset, else 0 or 1 */
    int on_action[FLB_NR_ON_KEYS]; /* -1 unset, else an enum flb_action; FLB_KEY_ON_POWEROFF first */

    /* The domain's settings, as xl reads them; the same conventions. */
    char *uuid;                 /* "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"; NULL: a random one at build time */
    char *tsc_mode;             /* "default", "always_emulate" or "native", however it was written */
    uint64_t shadow_memory_mib; /* the paging pool; FLB_UNSET: libxl's size, which the plan computes */
    uint64_t max_event_channels;                /* FLB_UNSET, or 0 as libxl reads it: 1023 */
    int hap, oos, nestedhvm, vpmu, msr_relaxed; /* -1 unset, else 0 or 1 */

    /*
     * vCPU hard and soft affinity: the steps parsed from the string or list (nr_entries 0 when unset), and
     * the text as written, for the dry-run.
     */
    struct flb_affinity cpus, cpus_soft;
    char *cpus_text, *cpus_soft_text;
    /* The credit and credit2 schedulers' parameters; FLB_UNSET leaves Xen's (weight 256, no cap). */
    uint64_t cpu_weight, cap;

    /* Time and the virtual platform, as xl reads them. */
    char *rtc_timeoffset;      /* seconds, as a decimal number with its sign */
    char *timer_mode, *altp2m; /* the mode's name, however it was written */
    uint64_t vmtrace_buf_kb;   /* FLB_UNSET or 0: none */
    int localtime;             /* -1 unset, else 0 or 1 */

    /* The guest's role and its XSM (FLASK) labels, as written; NULL when unset. */
    int driver_domain; /* -1 unset, else 0 or 1 */
    char *seclabel, *init_seclabel;

    /* cpuid=: libxenguest's register strings per leaf (nr 0 when unset), and the text as written. */
    struct flb_cpuid cpuid;
    char *cpuid_text;

    struct flb_origin origin[FLB_KEY_COUNT];
    bool is_set[FLB_KEY_COUNT];
    char *override[FLB_KEY_COUNT]; /* the KEY=VALUE that set the key, if an override did; owned */

    /*
     * Filled by flb_config_finish(): the kernel command line as xl would
     * build it from cmdline/root/extra (NULL if none).
     */
    char *final_cmdline;

    /* Non-fatal findings (ignored or unknown keys), one line each. */
    char *warnings[FLB_MAX_WARNINGS];
    int nr_warnings;
    bool out_of_memory; /* a warning could not be kept: flb_config_finish() fails rather than drop it */
    bool
        strict; /* set before loading: a key that would be ignored or is unknown is an error, not a warning */
};

/*
 * A value as a front end read it, before it is checked against the key. A WORD is text xl cannot read as
 * written (a bare word, a signed number, a number with a unit): an override may give a string key a bare
 * word; for any other key it is a mistake, which the checks explain.
 */
enum flb_value_kind {
    FLB_VALUE_INT,
    FLB_VALUE_STRING,
    FLB_VALUE_BOOL,
    FLB_VALUE_LIST,
    FLB_VALUE_OTHER,
    FLB_VALUE_WORD
};
struct flb_value {
    enum flb_value_kind kind;
    const char *text; /* the string, or the integer's spelling as written */
    long long i;      /* FLB_VALUE_INT and FLB_VALUE_BOOL */
    /*
     * FLB_VALUE_LIST, for the keys that take one (cpus, cpus_soft): each item's text, a string decoded or a
     * number as written; NULL for an item that is not one of those (a nested list, a mapping).
     */
    char *const *items;
    size_t nr_items;
};

void flb_config_init(struct flb_config *cfg, const char *source);
void flb_config_free(struct flb_config *cfg);

/*
 * Sets one key. Known keys are type- and range-checked here, so both front
 * ends and the overrides get the same errors. Other xl.cfg(5) keys get what
 * core/xl_keys.c says: a warning when not for PVH, an error when refused;
 * unknown keys get a warning with the closest known key. A key set twice by the same file is an error
 * (overrides may replace anything: pass allow_replace).
 */
int flb_config_set(struct flb_config *cfg, const char *key, const struct flb_value *v,
                   struct flb_origin where, bool allow_replace, struct flb_error *err);

/* The message flb_config_set() would give for key and v, without changing any config: FLB_OK if none. */
int flb_config_check(const char *key, const struct flb_value *v, struct flb_origin where,
                     struct flb_error *err);

/*
 * Fills defaults and checks the whole model (maxmem == memory, type pvh...).
 * max_grant_frames and max_grant_version stay FLB_UNSET when the config does
 * not set them: Xen decides those, and flb_plan_make() resolves them.
 */
int flb_config_finish(struct flb_config *cfg, struct flb_error *err);

/*
 * The warnings a dry-run owes, added to cfg->warnings: values of a finished config that a live build
 * would see refused unless Xen was booted with more than its defaults (max_grant_frames above 64,
 * max_maptrack_frames above 1024). A live build learns it from Xen; a dry-run can only say it.
 */
void flb_config_dry_run_warnings(struct flb_config *cfg);

/* Where key k was set, as a message prefix: "guest.cfg:4: ", "override 'memory=1': " or the file's name. */
void flb_config_key_at(const struct flb_config *cfg, enum flb_key k, char *buf, size_t len);

/* A KEY=VALUE override from the command line; the value uses xl syntax. */
int flb_config_apply_override(struct flb_config *cfg, const char *assignment, struct flb_error *err);

const char *flb_key_name(enum flb_key key);

/* What each key accepts; the front ends and the man page follow this table. */
enum flb_key_kind { FLB_KEY_STRING, FLB_KEY_INT, FLB_KEY_BOOL };
struct flb_key_info {
    const char *name;
    enum flb_key_kind kind;
    const char *unit;  /* "MiB", "frames" or NULL, for messages */
    uint64_t min, max; /* inclusive range of FLB_KEY_INT and FLB_KEY_BOOL */
};
const struct flb_key_info *flb_key_info(enum flb_key key);
int flb_key_lookup(const char *name);     /* an enum flb_key, or -1 if unknown */
bool flb_key_is_xl(const char *name);     /* a key of xl.cfg(5) (core/xl_keys.h says what we do with it) */
bool flb_key_is_action(enum flb_key key); /* an on_ key: a string that names one action */
const char *flb_key_suggest(const char *name); /* the closest key, or NULL if none is close */

/*
 * Whether name is a key misspelt in a way xl would not even read: upper case, '-' for '_', a first
 * character that is not a letter. If so, msg says so in one sentence ("'Memory': keys are lower case
 * (did you mean 'memory'?)") and true is returned.
 */
bool flb_key_mistake(const char *name, char *msg, size_t len);

/*
 * Parses a whole integer ("512", "-5", "0x200"): 0, -1 if not a number, -2 if
 * it does not fit, -3 for a decimal number with a leading zero.
 */
int flb_parse_int(const char *text, long long *out);

/* Escapes msg (its buffer holds size bytes) by the rule of core/escape.h, so that it stays one line. */
void flb_config_oneline(char *msg, size_t size);

/* An override as messages quote it: its first 64 characters, then "..." if there is more. */
#define FLB_OVERRIDE_FMT "override '%.64s%s'"
#define FLB_OVERRIDE_ARG(a) (a), (strlen(a) > 64 ? "..." : "")

/* The numbers Xen takes for the mode names a finished config keeps (HVM_PARAM_TIMER_MODE, HVM_PARAM_ALTP2M).
 */
int flb_timer_mode_number(const char *name);
int flb_altp2m_number(const char *name);

/* Adds one line to cfg->warnings; the front ends use it for findings of their own. */
void flb_config_warn(struct flb_config *cfg, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
