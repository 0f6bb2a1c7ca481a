/*
 * What the guest's CPUID policy says, for the rig to compare between builders and against the config:
 * one "FLBG cpuid <leaf> eax=.. ebx=.. ecx=.. edx=.." line per leaf. The leaves hold the bits xl.cfg keys
 * change: VMX (leaf 1) and SVM (0x80000001) with nestedhvm, the invariant TSC (0x80000007) with
 * tsc_mode = "always_emulate", and whatever a cpuid= line sets.
 */
#include "console.h"
#include "guest.h"

static void cpuid(uint32_t leaf, uint32_t subleaf, uint32_t r[4])
{
    __asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(leaf), "c"(subleaf));
}

void print_cpuid(void)
{
    static const uint32_t leaves[] = {0x00000001, 0x00000007, 0x80000001, 0x80000007, 0x80000008};
    static const char *const reg[] = {" eax=", " ebx=", " ecx=", " edx="};

    for (unsigned i = 0; i < sizeof(leaves) / sizeof(leaves[0]); i++) {
        uint32_t r[4];
        cpuid(leaves[i], 0, r);
        /* Leaf 1's EBX holds this vCPU's APIC ID and CLFLUSH size: only its feature bits compare. */
        if (leaves[i] == 1)
            r[1] = 0;
        con_begin("cpuid");
        con_hex(leaves[i]);
        for (int j = 0; j < 4; j++) {
            con_str(reg[j]);
            con_hex(r[j]);
        }
        con_end();
    }
}
