/*
 * The feature names xl's cpuid= string accepts (Xen 4.17), as the processor manuals lay the registers
 * out: for each register a leaf holds, the name of each bit, from bit 0 up ("" where xl names none).
 * Fields wider than one bit, and the spellings xl accepts twice, are listed apart.
 */
#include "core/cpuid.h"

#include <string.h>

#define NONE FLB_CPUID_NO_SUBLEAF

struct reg_bits {
    uint32_t leaf, subleaf;
    enum flb_cpuid_reg reg;
    const char *bit[32];
};

/* clang-format off */
static const struct reg_bits registers[] = {
    {0x00000001, NONE, FLB_CPUID_ECX, {
        "sse3", "pclmulqdq", "dtes64", "monitor", "dscpl", "vmx", "smx", "est",
        "tm2", "ssse3", "cntxid", "", "fma", "cmpxchg16", "xtpr", "pdcm",
        "", "pcid", "dca", "sse4_1", "sse4_2", "x2apic", "movbe", "popcnt",
        "tsc-deadline", "aes", "xsave", "osxsave", "avx", "f16c", "rdrand", "hypervisor"}},
    {0x00000001, NONE, FLB_CPUID_EDX, {
        "fpu", "vme", "de", "pse", "tsc", "msr", "pae", "mce",
        "cmpxchg8", "apic", "", "sysenter", "mtrr", "pge", "mca", "cmov",
        "pat", "pse36", "psn", "clfsh", "", "ds", "acpi", "mmx",
        "fxsr", "sse", "sse2", "ss", "htt", "tm", "ia64", "pbe"}},
    {0x00000006, NONE, FLB_CPUID_EAX, {"", "", "arat"}},
    {0x00000007, 0, FLB_CPUID_EBX, {
        "fsgsbase", "tsc_adjust", "", "bmi1", "hle", "avx2", "", "smep",
        "bmi2", "erms", "invpcid", "rtm", "cmt", "", "mpx", "",
        "avx512f", "avx512dq", "rdseed", "adx", "smap", "avx512-ifma", "", "clflushopt",
        "clwb", "proc-trace", "avx512pf", "avx512er", "avx512cd", "sha", "avx512bw", "avx512vl"}},
    {0x00000007, 0, FLB_CPUID_ECX, {
        "prefetchwt1", "avx512-vbmi", "umip", "pku", "ospke", "", "avx512-vbmi2", "cet-ss",
        "gfni", "vaes", "vpclmulqdq", "avx512-vnni", "avx512-bitalg", "", "avx512-vpopcntdq", "",
        "", "", "", "", "", "", "rdpid", "",
        "", "cldemote"}},
    {0x00000007, 0, FLB_CPUID_EDX, {
        "", "", "avx512-4vnniw", "avx512-4fmaps", "fsrm", "", "", "",
        "avx512-vp2intersect", "srbds-ctrl", "md-clear", "", "", "", "serialize", "",
        "tsxldtrk", "", "", "", "cet-ibt", "", "", "avx512-fp16",
        "", "", "ibrsb", "stibp", "l1d-flush", "arch-caps", "core-caps", "ssbd"}},
    {0x00000007, 1, FLB_CPUID_EAX, {
        "", "", "", "", "avx-vnni", "avx512-bf16", "", "",
        "", "", "fzrm", "fsrs", "fsrcs"}},
    {0x00000007, 2, FLB_CPUID_EDX, {"intel-psfd", "", "", "", "", "mcdt-no"}},
    {0x80000001, NONE, FLB_CPUID_ECX, {
        "lahfsahf", "cmplegacy", "svm", "extapic", "altmovcr8", "abm", "sse4a", "misalignsse",
        "3dnowprefetch", "osvw", "ibs", "xop", "skinit", "wdt", "", "lwp",
        "fma4", "", "", "nodeid", "", "tbm", "topoext", "perfctr_core",
        "perfctr_nb"}},
    {0x80000001, NONE, FLB_CPUID_EDX, {
        "", "", "", "", "", "", "", "",
        "", "", "", "syscall", "", "", "", "",
        "", "", "", "", "nx", "", "mmxext", "",
        "", "ffxsr", "page1gb", "rdtscp", "", "lm", "3dnowext", "3dnow"}},
    {0x80000007, NONE, FLB_CPUID_EDX, {"", "", "", "", "", "", "", "", "invtsc"}},
    {0x80000008, NONE, FLB_CPUID_EBX, {
        "clzero", "", "rstr-fp-err-ptrs", "", "", "", "", "",
        "", "wbnoinvd", "", "", "ibpb", "", "ibrs", "amd-stibp",
        "ibrs-always", "stibp-always", "ibrs-fast", "ibrs-same-mode", "no-lmsl", "", "", "ppin",
        "amd-ssbd", "virt-ssbd", "ssb-no", "", "psfd", "btc-no", "ibpb-ret"}},
    {0x8000000a, NONE, FLB_CPUID_EDX, {
        "svm_npt", "svm_lbrv", "", "svm_nrips", "svm_tscrate", "svm_vmcbclean", "", "svm_decode",
        "", "", "svm_pausefilt"}},
    {0x80000021, NONE, FLB_CPUID_EAX, {"", "", "lfence+", "", "", "", "nscb"}},
};

/* Fields of several bits, and the second spellings of two single bits. */
static const struct flb_cpuid_field fields[] = {
    {"maxleaf", 0x00000000, NONE, FLB_CPUID_EAX, 0, 32},
    {"stepping", 0x00000001, NONE, FLB_CPUID_EAX, 0, 4},
    {"model", 0x00000001, NONE, FLB_CPUID_EAX, 4, 8},
    {"family", 0x00000001, NONE, FLB_CPUID_EAX, 8, 8},
    {"brandid", 0x00000001, NONE, FLB_CPUID_EBX, 0, 8},
    {"clflush", 0x00000001, NONE, FLB_CPUID_EBX, 8, 8},
    {"proccount", 0x00000001, NONE, FLB_CPUID_EBX, 16, 8},
    {"localapicid", 0x00000001, NONE, FLB_CPUID_EBX, 24, 8},
    {"sse4.1", 0x00000001, NONE, FLB_CPUID_ECX, 19, 1},
    {"sse4.2", 0x00000001, NONE, FLB_CPUID_ECX, 20, 1},
    {"procpkg", 0x00000004, 0, FLB_CPUID_EAX, 26, 6},
    {"nc", 0x80000008, NONE, FLB_CPUID_ECX, 0, 8},
    {"apicidsize", 0x80000008, NONE, FLB_CPUID_ECX, 12, 4},
    {"maxhvleaf", 0x40000000, NONE, FLB_CPUID_EAX, 0, 8},
};
/* clang-format on */

bool flb_cpuid_lookup(const char *name, size_t len, struct flb_cpuid_field *out)
{
    for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
        if (strlen(fields[i].name) == len && !strncmp(fields[i].name, name, len)) {
            *out = fields[i];
            return true;
        }
    for (size_t r = 0; r < sizeof(registers) / sizeof(registers[0]); r++)
        for (unsigned b = 0; b < 32; b++) {
            const char *n = registers[r].bit[b];
            if (n && *n && strlen(n) == len && !strncmp(n, name, len)) {
                *out = (struct flb_cpuid_field){
                    n, registers[r].leaf, registers[r].subleaf, registers[r].reg, b, 1};
                return true;
            }
        }
    return false;
}
