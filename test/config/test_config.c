/* The config layer's tests: the runner, the table of bad inputs, and main() for all test_config*.c files. */
/*
 * The config layer: set, finish, front ends, overrides and files. The test_config*.c files are the one
 * place for the exact text of its messages.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/plan.h"
#include "frontend/config_file.h"
#include "test_config.h"
#include "test_util.h"

bool run_strict;

/* Loads, finishes and plans (with the host's assumed defaults), as a dry-run does; "" or the message. */
const char *run(struct flb_config *cfg, enum fmt fmt, const char *text, const char *const *overrides)
{
    static struct flb_error err;
    static struct flb_plan plan;
    struct flb_host host;
    int rc;

    memset(&err, 0, sizeof(err));
    flb_config_init(cfg, fmt == XL ? "guest.cfg" : "guest.yaml");
    cfg->strict = run_strict;
    if (fmt == XL)
        rc = flb_config_load_xl_data(cfg, text, (int)strlen(text), &err);
    else
        rc = flb_config_load_yaml_data(cfg, text, strlen(text), &err);
    for (; !rc && overrides && *overrides; overrides++)
        rc = flb_config_apply_override(cfg, *overrides, &err);
    if (!rc)
        rc = flb_config_finish(cfg, &err);
    flb_host_assumed(&host);
    if (!rc)
        rc = flb_plan_make(cfg, &host, &plan, &err);
    if (rc && rc != FLB_E_INPUT)
        return "(not FLB_E_INPUT)";
    if (!rc && err.msg[0])
        return "(message without failure)";
    return err.msg;
}

/* Warning i, or "(none)" past the last one: a missing warning fails its check rather than skipping it. */
const char *warning(const struct flb_config *cfg, int i)
{
    return i < cfg->nr_warnings ? cfg->warnings[i] : "(none)";
}

const char *or_null(const char *s)
{
    return s ? s : "(null)";
}

const char *repeat(char *buf, char c, size_t n)
{
    memset(buf, c, n);
    buf[n] = '\0';
    return buf;
}

void check_cases(const char *what, const struct error_case *cases, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const char *ov[] = {cases[i].override, NULL};
        struct flb_config cfg;
        const char *got = run(&cfg, cases[i].fmt, cases[i].text, ov);
        CHECK(!strcmp(got, cases[i].want), "%s case %zu\n  want: %s\n  got:  %s", what, i, cases[i].want,
              got);
        flb_config_free(&cfg);
    }
}

/*
 * Bad inputs and their exact messages. cli_test.py runs many of the same inputs through the built command
 * and checks only the shape of what it prints, so a change of wording is made here alone.
 */
static const struct error_case errors[] = {
    {XL, BASE_XL "memory = \"abc\"\n", NULL, "guest.cfg:3: memory: expected an integer (MiB), got a string"},
    {XL, BASE_XL "memory = [1]\n", NULL, "guest.cfg:3: memory: expected an integer (MiB), got a list"},
    {XL, BASE_XL "memory = [256]\n", NULL, "guest.cfg:3: memory: expected an integer (MiB), got a list"},
    {XL, BASE_XL "\nmemory = \"abc\"\n", NULL,
     "guest.cfg:4: memory: expected an integer (MiB), got a string"},
    {XL, BASE_XL "memory = 1e5\n", NULL, "guest.cfg:3: memory: expected an integer (MiB), got '1e5'"},
    {XL, BASE_XL "memory = 0256\n", NULL,
     "guest.cfg:3: memory: '0256' has a leading zero, which xl reads as octal; write it without"},
    {YAML, BASE_YAML "memory: 0256\n", NULL,
     "guest.yaml:3: memory: '0256' has a leading zero, which xl reads as octal; write it without"},
    {XL, BASE_XL "memory = 0\n", NULL, "guest.cfg:3: memory: must be between 1 and 4294967232 (MiB), got 0"},
    {XL, BASE_XL "memory = 99999999999999999999\n", NULL,
     "guest.cfg:3: memory: must be between 1 and 4294967232 (MiB), got 99999999999999999999"},
    {XL, BASE_XL "memory = 4294967233\n", NULL,
     "guest.cfg:3: memory: must be between 1 and 4294967232 (MiB), got 4294967233"},
    {XL, BASE_XL "memory = 256\n\n\nmemory = 512\n", NULL,
     "guest.cfg:6: duplicate key 'memory' (first set on line 3)"},
    {XL, BASE_XL "memory = 256\n\n\n# again\nmemory = 512\n", NULL,
     "guest.cfg:7: duplicate key 'memory' (first set on line 3)"},
    /* Line numbers stay right after a comment inside a list. */
    {XL, BASE_XL "disk = [ 'a', # comment\n 'b' ]\nmemory = 256\nmemory = 512\n", NULL,
     "guest.cfg:6: duplicate key 'memory' (first set on line 5)"},
    {XL, BASE_XL "memory = 256; vcpus = 0\n", NULL, "guest.cfg:3: vcpus: must be between 1 and 128, got 0"},
    {XL, BASE_XL "memory = 256\nvcpus = 129\n", NULL,
     "guest.cfg:4: vcpus: must be between 1 and 128, got 129"},
    {XL, BASE_XL "memory = 256\nvcpus = 0\n", NULL, "guest.cfg:4: vcpus: must be between 1 and 128, got 0"},
    {XL, BASE_XL "memory = 256\nvcpus = 200\n", NULL,
     "guest.cfg:4: vcpus: must be between 1 and 128, got 200"},
    {XL, BASE_XL "memory = 256\nvcpus = 4\nmaxvcpus = 2\n", NULL,
     "guest.cfg:5: maxvcpus: must be at least vcpus (4), got 2"},
    {XL, BASE_XL "memory = 256\nmax_grant_version = 3\n", NULL,
     "guest.cfg:4: max_grant_version: must be 1 or 2, got 3"},
    {XL, BASE_XL "memory = 256\ntype = \"hvm\"\n", NULL,
     "guest.cfg:4: type: 'hvm' is not supported: a fixed layout needs a PVH guest"},
    {XL, BASE_XL "memory = 256\ntype = \"pv\"\n", NULL,
     "guest.cfg:4: type: 'pv' is not supported: a fixed layout needs a PVH guest"},
    {XL, BASE_XL "memory = 256\nmaxmem = 512\n", NULL,
     "guest.cfg:4: maxmem: must equal memory (256 MiB) for a PVH guest, got 512"},
    {XL, BASE_XL "memory = 256\nmmio_hole = 100\n", NULL,
     "guest.cfg:4: mmio_hole: must be between 256 and 3840 (MiB), got 100"},
    {XL, BASE_XL "memory = 256\nmmio_hole = 4096\n", NULL,
     "guest.cfg:4: mmio_hole: must be between 256 and 3840 (MiB), got 4096"},
    {XL, BASE_XL "memory = 256\nacpi = \"on\"\n", NULL,
     "guest.cfg:4: acpi: expected 0 (false) or 1 (true), got a string"},
    {YAML, BASE_YAML "memory: 256\nacpi: [1]\n", NULL,
     "guest.yaml:4: acpi: expected 0 (false) or 1 (true), got a list"},
    {XL, BASE_XL "memory = 256\n", "acpi=yes",
     "override 'acpi=yes': acpi: expected 0 (false) or 1 (true), got 'yes'"},
    {XL, BASE_XL "memory = 256\nvcpus = 4\nmaxvcpus = 2\n", NULL,
     "guest.cfg:5: maxvcpus: must be at least vcpus (4), got 2"},
    {XL, BASE_XL "memory = 256\nmaxvcpus = 129\n", NULL,
     "guest.cfg:4: maxvcpus: must be between 1 and 128, got 129"},
    {XL, BASE_XL "memory = 256\nmax_grant_frames = 0\n", NULL,
     "guest.cfg:4: max_grant_frames: must be between 1 and 2147483647 (frames), got 0"},
    /* Frame counts must fit Xen's int32. */
    {XL, BASE_XL "memory = 256\nmax_grant_frames = 2147483648\n", NULL,
     "guest.cfg:4: max_grant_frames: must be between 1 and 2147483647 (frames), got 2147483648"},
    {XL, BASE_XL "memory = 256\nmax_maptrack_frames = 4294967295\n", NULL,
     "guest.cfg:4: max_maptrack_frames: must be between 0 and 2147483647 (frames), got 4294967295"},
    {XL, BASE_XL "memory = 256\nforeign_region_mib = 4294967297\n", NULL,
     "guest.cfg:4: foreign_region_mib: must be between 0 and 4294963199 (MiB), got 4294967297"},
    /* The key blamed is the one whose region crosses the limit; its message says where it was set. */
    {XL, BASE_XL "memory = 4294967232\nmmio_hole = 256\n", NULL,
     "guest.cfg:3: memory: the layout would end at 0x1000000c000000, beyond the 52-bit guest physical "
     "address space (lower memory)"},
    {XL, BASE_XL "memory = 4294967000\nfixed_mem_layout = 1\n", NULL,
     "guest.cfg:3: memory: the layout would end at 0x10000000001000, beyond the 52-bit guest physical "
     "address space (lower memory)"},
    {XL, BASE_XL "memory = 4294966000\nfixed_mem_layout = 1\nmax_grant_frames = 2147483647\n", NULL,
     "guest.cfg:5: max_grant_frames: the layout would end at 0x1008ffc0000000, beyond the 52-bit guest "
     "physical address space (lower max_grant_frames or memory)"},
    {XL, BASE_XL "memory = 4294966000\nfixed_mem_layout = 1\nforeign_region_mib = 2048\n", NULL,
     "guest.cfg:5: foreign_region_mib: the layout would end at 0x10000040049000, beyond the 52-bit guest "
     "physical address space (lower foreign_region_mib or memory)"},
    {XL, BASE_XL "memory = 4294966000\nfixed_mem_layout = 1\n", "foreign_region_mib=1536",
     "override 'foreign_region_mib=1536': foreign_region_mib: the layout would end at 0x10000020049000, "
     "beyond the 52-bit guest physical address space (lower foreign_region_mib or memory)"},
    {XL,
     BASE_XL "memory = 256\nfixed_mem_layout = 1\nforeign_region_mib = 4294963199\nmax_grant_frames = 512\n",
     NULL,
     "guest.cfg:5: foreign_region_mib: the layout would end at 0x10000000141000, beyond the 52-bit guest "
     "physical address space (lower foreign_region_mib or memory)"},
    {XL, "kernel = \"/k\"\nmemory = 256\n", NULL, "guest.cfg: missing required key 'name'"},
    {XL, BASE_XL, NULL, "guest.cfg: missing required key 'memory'"},
    /* Every missing key in one line. */
    {XL, "memory = 256\n", NULL, "guest.cfg: missing required keys 'name' and 'kernel'"},
    {XL, "", NULL, "guest.cfg: missing required keys 'name', 'memory' and 'kernel'"},
    {YAML, "vcpus: 2\n", NULL, "guest.yaml: missing required keys 'name', 'memory' and 'kernel'"},
    {XL, "kernel = \"/k\"\n", "name=g", "guest.cfg: missing required key 'memory'"},
    {XL, "name = \"g\"\nmemory = 256\n", NULL, "guest.cfg: missing required key 'kernel'"},
    {XL, BASE_XL "name = \"\"\n", NULL, "guest.cfg:3: duplicate key 'name' (first set on line 1)"},
    {XL, "name = \"\"\n", NULL, "guest.cfg:1: name: must not be empty"},
    {XL, BASE_XL "memory = \n", NULL, "guest.cfg:3: memory: no value after '='"},
    {XL, BASE_XL "memory =\nvcpus = 1\n", NULL, "guest.cfg:3: memory: no value after '='"},
    {XL, BASE_XL "memory = ", NULL, "guest.cfg:3: memory: no value after '='"},
    {XL, BASE_XL "memory = [1,\n2\n", NULL, "guest.cfg:3: memory: the list is not closed with ']'"},
    {XL, BASE_XL "memory = abc\n", NULL, "guest.cfg:3: memory: expected an integer (MiB), got 'abc'"},
    {XL, BASE_XL "memory = 1 2\n", NULL, "guest.cfg:3: memory: unexpected '2' after the value"},
    {XL, BASE_XL "Memory = 1\n", NULL, "guest.cfg:3: 'Memory': keys are lower case (did you mean 'memory'?)"},
    {XL, BASE_XL "memory = 1\nmemory += \"2\"\n", NULL,
     "guest.cfg:4: memory: '+=' only applies to strings and lists"},
    {XL, "\"", NULL, "guest.cfg:1: syntax error near '\"' (a statement is key = value)"},
    {XL, BASE_XL "memory = 256\nvcpus = 2\x04", NULL,
     "guest.cfg:4: vcpus: unexpected '\\x04' after the value"},
    {XL, BASE_XL "memory = 256\nextra = \"a\"\x19", NULL,
     "guest.cfg:4: extra: unexpected '\\x19' after the value"},
    {XL, BASE_XL "memory = 256\n", "memory=abc",
     "override 'memory=abc': memory: expected an integer (MiB), got 'abc'"},
    {XL, BASE_XL "memory = 256\n", "memory", "override 'memory': expected KEY=VALUE"},
    {XL, BASE_XL "memory = 256\n", "=5", "override '=5': expected KEY=VALUE"},
    {XL, BASE_XL "memory = 256\n", "foo=1", "override 'foo=1': unknown key 'foo'"},
    {XL, BASE_XL "memory = 256\n", "vcpus=0", "override 'vcpus=0': vcpus: must be between 1 and 128, got 0"},
    {XL, BASE_XL "memory = 256\n", "memmory=1",
     "override 'memmory=1': unknown key 'memmory' (did you mean 'memory'?)"},
    {XL, BASE_XL "memory = 256\n", "memory=-5",
     "override 'memory=-5': memory: must be between 1 and 4294967232 (MiB), got -5"},
    {XL, BASE_XL "memory = 256\n", "name=\"x", "override 'name=\"x': name: the string is not closed"},
    {XL, BASE_XL "memory = 256\n", "name='x'y", "override 'name='x'y': name: unexpected 'y' after the value"},
    {XL, BASE_XL "memory = 256\n", "maxmem=512",
     "override 'maxmem=512': maxmem: must equal memory (256 MiB) for a PVH guest, got 512"},
    {XL, BASE_XL "memory = 256\n", "type=hvm",
     "override 'type=hvm': type: 'hvm' is not supported: a fixed layout needs a PVH guest"},
    /* The on_ keys: xl.cfg(5)'s words, minus what we do not do. */
    {XL, BASE_XL "memory = 256\non_poweroff = \"explode\"\n", NULL,
     "guest.cfg:4: on_poweroff: unknown action 'explode' (expected destroy, restart, rename-restart or "
     "preserve)"},
    {YAML, BASE_YAML "memory: 256\non_reboot: Restart\n", NULL,
     "guest.yaml:4: on_reboot: unknown action 'Restart' (expected destroy, restart, rename-restart or "
     "preserve)"},
    {XL, BASE_XL "memory = 256\non_soft_reset = \"reset\"\n", NULL,
     "guest.cfg:4: on_soft_reset: unknown action 'reset' (expected destroy, restart, rename-restart, "
     "soft-reset or preserve)"},
    {XL, BASE_XL "memory = 256\non_crash = \"coredump-destroy\"\n", NULL,
     "guest.cfg:4: on_crash: 'coredump-destroy' is not supported: fixed-layout-build writes no core dump "
     "(preserve the guest and use xl dump-core)"},
    {YAML, BASE_YAML "memory: 256\non_watchdog: coredump-restart\n", NULL,
     "guest.yaml:4: on_watchdog: 'coredump-restart' is not supported: fixed-layout-build writes no core "
     "dump (preserve the guest and use xl dump-core)"},
    {XL, BASE_XL "memory = 256\non_poweroff = \"soft-reset\"\n", NULL,
     "guest.cfg:4: on_poweroff: 'soft-reset' only applies to on_soft_reset"},
    {XL, BASE_XL "memory = 256\n", "on_crash=soft-reset",
     "override 'on_crash=soft-reset': on_crash: 'soft-reset' only applies to on_soft_reset"},
    {XL, BASE_XL "memory = 256\n", "on_reboot=reboot",
     "override 'on_reboot=reboot': on_reboot: unknown action 'reboot' (expected destroy, restart, "
     "rename-restart or preserve)"},
    {XL, BASE_XL "memory = 256\n", "on_reboot+=restart",
     "override 'on_reboot+=restart': on_reboot: '+=' does not apply to an action, which is one word"},
    {XL, BASE_XL "memory = 256\non_reboot = \"re\"\non_reboot += \"start\"\n", NULL,
     "guest.cfg:5: on_reboot: '+=' does not apply to an action, which is one word"},
    {XL, BASE_XL "memory = 256\non_crash = 3\n", NULL,
     "guest.cfg:4: on_crash: unknown action '3' (expected destroy, restart, rename-restart or preserve)"},
    {XL, BASE_XL "memory = 256\non_crash = [\"destroy\"]\n", NULL,
     "guest.cfg:4: on_crash: expected a string, got a list"},
    {YAML, BASE_YAML "memory: 256\non_crash: \"\"\n", NULL, "guest.yaml:4: on_crash: must not be empty"},
    {XL, BASE_XL "memory = 256\non_crash = \"destroy\"\non_crash = \"preserve\"\n", NULL,
     "guest.cfg:5: duplicate key 'on_crash' (first set on line 4)"},
    {YAML, "- a\n- b\n", NULL, "guest.yaml:1: the document must be a mapping of keys to values"},
    {YAML, "- name\n- kernel\n", NULL, "guest.yaml:1: the document must be a mapping of keys to values"},
    {YAML, "just words\n", NULL, "guest.yaml:1: the document must be a mapping of keys to values"},
    {YAML, BASE_YAML "memory: 256\nmemory: 512\n", NULL,
     "guest.yaml:4: duplicate key 'memory' (first set on line 3)"},
    {YAML, BASE_YAML "memory: \"abc\"\n", NULL,
     "guest.yaml:3: memory: expected an integer (MiB), got a string"},
    {YAML, BASE_YAML "memory: big\n", NULL, "guest.yaml:3: memory: expected an integer (MiB), got a string"},
    {YAML, BASE_YAML "memory: true\n", NULL,
     "guest.yaml:3: memory: expected an integer (MiB), got a boolean"},
    {YAML, BASE_YAML "memory: -5\n", NULL,
     "guest.yaml:3: memory: must be between 1 and 4294967232 (MiB), got -5"},
    {YAML, BASE_YAML "memory: -256\n", NULL,
     "guest.yaml:3: memory: must be between 1 and 4294967232 (MiB), got -256"},
    {YAML, BASE_YAML "memory: 1.5\n", NULL, "guest.yaml:3: memory: expected an integer (MiB), got a string"},
    {YAML, BASE_YAML "memory: [1]\n", NULL, "guest.yaml:3: memory: expected an integer (MiB), got a list"},
    {YAML, BASE_YAML "memory: 256\nfixed_mem_layout: yes\n", NULL,
     "guest.yaml:4: fixed_mem_layout: expected 0 (false) or 1 (true), got a string"},
    {YAML, BASE_YAML "memory: 256\nfixed_mem_layout: maybe\n", NULL,
     "guest.yaml:4: fixed_mem_layout: expected 0 (false) or 1 (true), got a string"},
    {YAML, BASE_YAML "memory: 256\nname: [x]\n", NULL,
     "guest.yaml:4: duplicate key 'name' (first set on line 1)"},
    {YAML, BASE_YAML "memory: 256\nramdisk: [x]\n", NULL,
     "guest.yaml:4: ramdisk: expected a string, got a list"},
    {YAML, BASE_YAML "memory: 256\n  vcpus: 2\n", NULL,
     "guest.yaml:3: memory: expected an integer (MiB), got a string"},
    {YAML, BASE_YAML "memory: [256\n", NULL, "guest.yaml:4: syntax error: did not find expected ',' or ']'"},
    {YAML, BASE_YAML "memory: 256\nvcpus: [2\n", NULL,
     "guest.yaml:5: syntax error: did not find expected ',' or ']'"},
    {YAML, BASE_YAML "memory: 256\nvcpus: 2: 1\n", NULL,
     "guest.yaml:4: syntax error: mapping values are not allowed in this context"},
    {YAML, BASE_YAML "memory: 256\n---\nvcpus: 2\n", NULL, "guest.yaml:4: only one document is allowed"},
    {YAML, BASE_YAML "? [a]\n: 1\n", NULL, "guest.yaml:3: keys must be plain words such as 'memory'"},
    /* YAML features a config does not use say so, rather than what they become. */
    {YAML, BASE_YAML "memory: ~\n", NULL,
     "guest.yaml:3: memory: '~' is null, not a value: write a value, or leave the key out to take its "
     "default"},
    {YAML, BASE_YAML "memory: null\n", NULL,
     "guest.yaml:3: memory: 'null' is null, not a value: write a value, or leave the key out to take its "
     "default"},
    {YAML, BASE_YAML "memory:\n", NULL,
     "guest.yaml:3: memory: no value (null): write a value, or leave the key out to take its default"},
    {YAML, BASE_YAML "memory: 256\nramdisk: ~\n", NULL,
     "guest.yaml:4: ramdisk: '~' is null, not a value: write a value, or leave the key out to take its "
     "default"},
    {YAML, "size: &m 256\n" BASE_YAML "memory: *m\n", NULL,
     "guest.yaml:4: memory: aliases (*m) are not supported: write the value itself"},
    {YAML, "common: &c {memory: 256}\n<<: *c\n" BASE_YAML, NULL,
     "guest.yaml:2: merge keys (<<) are not supported: write the keys themselves"},
    {YAML, "k: &k memory\n*k : 256\n" BASE_YAML, NULL,
     "guest.yaml:2: aliases (*k) are not supported: write the key itself"},
    {YAML, "name = \"g\"\nkernel = \"/k\"\nmemory = 256\n", NULL,
     "guest.yaml:1: this is xl syntax (key = value), not YAML: name the file .cfg or use --config-format xl"},
    {YAML, "# an xl file\n\nname = \"g\"\nextra = \"root: /dev/xvda\"\n", NULL,
     "guest.yaml:3: this is xl syntax (key = value), not YAML: name the file .cfg or use --config-format xl"},
    /* YAML can write a NUL ("\0", "\x00", "\u0000"); a C string would silently end there. */
    {YAML, "name: \"g\\0x\"\nkernel: /k\nmemory: 64\n", NULL,
     "guest.yaml:1: name: a string cannot hold a NUL character (\\0)"},
    {YAML, BASE_YAML "memory: 64\ncmdline: \"a\\x00b\"\n", NULL,
     "guest.yaml:4: cmdline: a string cannot hold a NUL character (\\0)"},
    {YAML, BASE_YAML "memory: 64\ndisk: [\"a\\u0000b\"]\n", NULL,
     "guest.yaml:4: disk: a string cannot hold a NUL character (\\0)"},
    {YAML, BASE_YAML "memory: 64\n\"mem\\0ory\": 1\n", NULL,
     "guest.yaml:4: a string cannot hold a NUL character (\\0)"},
    {YAML, BASE_YAML "memory: \"64\\0\"\n", NULL,
     "guest.yaml:3: memory: a string cannot hold a NUL character (\\0)"},
};

void test_errors(void)
{
    check_cases("errors", errors, sizeof(errors) / sizeof(errors[0]));
}

int main(int argc, char **argv)
{
    if (argc == 2 && !strcmp(argv[1], "--scale")) {
        test_scale();
        return check_summary();
    }
    test_acpi_off_warning();
    test_raw_bytes();
    test_escaped_messages();
    test_utf8();
    test_errors();
    test_defaults();
    test_cmdline();
    test_cmdline_length();
    test_warnings();
    test_set_direct();
    test_many_warnings();
    test_override_replaces();
    test_dry_run_warnings();
    test_lifecycle();
    test_files();
    test_syntax();
    test_habits();
    test_xl_keys();
    test_domain_settings();
    test_sched_settings();
    test_platform_settings();
    test_label_settings();
    test_cpuid_settings();
    return check_summary();
}
