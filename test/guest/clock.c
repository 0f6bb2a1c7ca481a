/* The test guest's clock: TSC scaled by the shared info page's vcpu 0 time, for bounded waits. */
#include "guest.h"

static uint32_t mul;
static int8_t shift;

static uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

void clock_init(const struct shared_info *s)
{
    const volatile struct vcpu_time_info *t = &s->vcpu_info[0].time;
    mul = t->tsc_to_system_mul;
    shift = t->tsc_shift;
}

/* Without a scale, TSC ticks stand in for nanoseconds: a wait then lasts at most as long. */
uint64_t clock_ns(void)
{
    uint64_t tsc = rdtsc();
    if (!mul)
        return tsc;
    tsc = shift < 0 ? tsc >> -shift : tsc << shift;
    return (uint64_t)(((unsigned __int128)tsc * mul) >> 32);
}
