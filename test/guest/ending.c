/* How the test guest ends: halted, through SCHEDOP_shutdown, a watchdog, a triple fault, or as dom0 asks. */
#include "console.h"
#include "guest.h"

#include <xen/sched.h>

/* xen.h renames __HYPERVISOR_sched_op for old interface versions; this guest speaks the current one. */
#define HYPERCALL_SCHED_OP 29
#define CONTROL_WAIT_NS UINT64_C(300000000000)
#define CONTROL_POLL_NS UINT64_C(50000000)

/* An IDT of no entries: the next exception finds no handler, nor does the double fault after it. */
static void triple_fault(void)
{
    static const struct __attribute__((packed)) {
        uint16_t limit;
        uint64_t base;
    } no_idt = {0, 0};

    __asm__ volatile("lidt %0; int3" : : "m"(no_idt));
}

static const char *word_after(const char *cmdline, const char *key)
{
    for (const char *s = cmdline; s && *s; s++) {
        const char *a = s, *k = key;

        while (*k && *a == *k)
            a++, k++;
        if (!*k && (s == cmdline || s[-1] == ' '))
            return a;
    }
    return 0;
}

static bool is(const char *value, const char *word)
{
    while (*word && *value == *word)
        value++, word++;
    return !*word && (*value == ' ' || *value == '\0');
}

static void say(const char *what)
{
    con_begin("end");
    con_str(what);
    con_end();
}

static void shutdown(unsigned reason)
{
    struct sched_shutdown sd = {reason};

    hypercall2(HYPERCALL_SCHED_OP, SCHEDOP_shutdown, &sd);
}

/*
 * What a PV-aware guest does with its control node: advertise the requests
 * it handles, acknowledge one by clearing the node, carry it out.
 */
static void obey_control(void)
{
    char value[32];
    uint64_t start = clock_ns(), last;

    if (!xs_init() || !xs_write_node("control/feature-poweroff", "1") ||
        !xs_write_node("control/feature-reboot", "1")) {
        say("cannot write control/feature-poweroff: halting");
        return;
    }
    say("control ready");
    while (clock_ns() - start < CONTROL_WAIT_NS) {
        if (xs_read_node("control/shutdown", value, sizeof(value)) && value[0]) {
            xs_write_node("control/shutdown", "");
            con_begin("control");
            con_str(value);
            con_end();
            if (is(value, "reboot"))
                shutdown(SHUTDOWN_reboot);
            else if (is(value, "poweroff") || is(value, "halt"))
                shutdown(SHUTDOWN_poweroff);
        }
        /* Yielding, not spinning: under emulation a spinning guest starves dom0, and xenstored with it. */
        for (last = clock_ns(); clock_ns() - last < CONTROL_POLL_NS;)
            hypercall2(HYPERCALL_SCHED_OP, SCHEDOP_yield, 0);
    }
    say("no request from dom0: halting");
}

void guest_end(const struct hvm_start_info *si, const char *cmdline)
{
    const char *end = word_after(cmdline, "flbg.end=");
    const struct hvm_memmap_table_entry *s = memmap_find(si, FLB_MEMMAP_SHARED_INFO);
    struct sched_watchdog wd = {0, 1};

    /* Bounded waits in nanoseconds where the fixed shared info gives the scale; TSC ticks otherwise. */
    if (s)
        clock_init((const struct shared_info *)(uintptr_t)s->addr);
    if (word_after(cmdline, "flbg.pvcon") && !pv_console_write("FLBG pv console, ending\n"))
        say("cannot write the PV console");
    if (!end || is(end, "halt"))
        return; /* cli; hlt, which Xen takes for a poweroff */
    if (!hypercalls_init()) {
        say("no Xen CPUID leaves: halting");
        return;
    }
    if (word_after(cmdline, "flbg.ack") && !grant_handshake(si)) {
        say("no acknowledgement from dom0: halting");
        return;
    }
    /* Nothing between dom0's acknowledgement and the shutdown: the reaction benchmark starts there. */
    if (is(end, "poweroff"))
        shutdown(SHUTDOWN_poweroff);
    else if (is(end, "reboot"))
        shutdown(SHUTDOWN_reboot);
    else if (is(end, "crash"))
        shutdown(SHUTDOWN_crash);
    else if (is(end, "triple"))
        triple_fault();
    else if (is(end, "watchdog"))
        for (hypercall2(HYPERCALL_SCHED_OP, SCHEDOP_watchdog, &wd);;)
            cpu_relax();
    else if (is(end, "control"))
        obey_control();
}
