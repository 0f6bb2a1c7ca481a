/* What the config tests share: running a config as a dry-run does, and a table of bad inputs. */
#ifndef FLB_TEST_CONFIG_H
#define FLB_TEST_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "core/config.h"

enum fmt { XL, YAML };

#define BASE_XL "name = \"g\"\nkernel = \"/k\"\n"
#define BASE_YAML "name: g\nkernel: /k\n"

/* Set, run() loads as with --strict. */
extern bool run_strict;

/* Loads, finishes and plans (with the host's assumed defaults), as a dry-run does; "" or the message. */
const char *run(struct flb_config *cfg, enum fmt fmt, const char *text, const char *const *overrides);

/* Warning i, or "(none)" past the last one: a missing warning fails its check rather than skipping it. */
const char *warning(const struct flb_config *cfg, int i);

const char *or_null(const char *s);

/* n copies of c in buf, which holds n + 1 bytes. */
const char *repeat(char *buf, char c, size_t n);

/* One bad input (a config, and an override or NULL) and its exact message. */
struct error_case {
    enum fmt fmt;
    const char *text;
    const char *override;
    const char *want;
};

/* Runs each case and checks its message; `what` names the table in failures. */
void check_cases(const char *what, const struct error_case *cases, size_t n);

/* The tests, by file. */
void test_errors(void);
void test_defaults(void);
void test_acpi_off_warning(void);
void test_cmdline(void);
void test_cmdline_length(void);
void test_warnings(void);
void test_many_warnings(void);
void test_set_direct(void);
void test_override_replaces(void);
void test_dry_run_warnings(void);
void test_lifecycle(void);
void test_raw_bytes(void);
void test_escaped_messages(void);
void test_utf8(void);
void test_files(void);
void test_syntax(void);
void test_habits(void);
void test_xl_keys(void);
void test_domain_settings(void);
void test_sched_settings(void);
void test_platform_settings(void);
void test_label_settings(void);
void test_cpuid_settings(void);
void test_scale(void); /* slow: run apart (test_config --scale) */

#endif
