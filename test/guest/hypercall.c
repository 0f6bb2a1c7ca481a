/* The test guest's hypercalls: the page Xen fills on an MSR write, and a two-argument call through it. */
#include "guest.h"

/* Xen's CPUID leaves: "XenVMMXenVMM" at a base from 0x40000000 in steps of 0x100; base + 2 names the MSR. */
#define XEN_CPUID_FIRST 0x40000000u
#define XEN_CPUID_LAST 0x40010000u

static char hypercall_page[FLB_PAGE_SIZE] __attribute__((aligned(4096)));
static bool ready;

static void cpuid(uint32_t leaf, uint32_t *a, uint32_t *b, uint32_t *c, uint32_t *d)
{
    __asm__ volatile("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d) : "a"(leaf), "c"(0));
}

bool hypercalls_init(void)
{
    for (uint32_t base = XEN_CPUID_FIRST; !ready && base < XEN_CPUID_LAST; base += 0x100) {
        uint32_t a, b, c, d;
        uint64_t gpa = (uintptr_t)hypercall_page;

        cpuid(base, &a, &b, &c, &d);
        if (b != 0x566e6558 || c != 0x65584d4d || d != 0x4d4d566e || a < base + 2)
            continue; /* "XenV" "MMXe" "nVMM" */
        cpuid(base + 2, &a, &b, &c, &d);
        __asm__ volatile("wrmsr" : : "c"(b), "a"((uint32_t)gpa), "d"((uint32_t)(gpa >> 32)) : "memory");
        ready = true;
    }
    return ready;
}

/* The page's stub for op: eax = op, then vmcall or vmmcall; Xen may clobber every argument register. */
long hypercall2(unsigned op, unsigned long a1, void *a2)
{
    register unsigned long rdi __asm__("rdi") = a1;
    register unsigned long rsi __asm__("rsi") = (uintptr_t)a2;
    long ret;

    __asm__ volatile("call *%[stub]"
                     : "=a"(ret), "+r"(rdi), "+r"(rsi)
                     : [stub] "r"(hypercall_page + op * 32)
                     : "rdx", "r10", "r8", "memory");
    return ret;
}
