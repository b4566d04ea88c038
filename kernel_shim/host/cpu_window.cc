// SPDX-License-Identifier: GPL-2.0-only
// Quiet windows for the kernel CPU: when the CPU time kernel code has cost
// since it last met simulated time can be folded into the busy-wait that
// follows it (an MMIO access, a WFE), so that the two take one SystemC
// wait instead of two (scheduler.h, busy_wait_after_charge()).
//
// Charged alone, the CPU time is a busy-wait of its own: the CPU thread
// wakes at its end only to start the next wait, doing nothing anyone could
// see in between. If no other process can run before that end (it lies
// strictly before the horizon of models/platform/quiet.h: nothing
// runnable, no delta notification, no timed one before it), nobody can
// notice the missing wake-up either: no SEV can set the event register in
// it, no interrupt can be taken in it, no DMA can read what the kernel
// code wrote before it. The wait that follows then starts that much later
// instead: an MMIO access carries it as its transaction's annotated delay
// (TLM-2.0's loosely timed style; Board::mmio_read_after), so the register
// is read or written at the very time it was before; a WFE waits that much
// longer for its timeout. Also checked first, so that a folded pair of
// waits stops where the pair would: the end of simulated time (both waits
// fit) and the soft-lockup watchdog (it would not fire at the end of the
// CPU time).
//
// When the CPU time cannot be folded before a WFE (someone else is
// runnable: the consumer a PROD write woke), the two waits can still be
// one (can_merge(); waiting.cc, busy_then_wfe()): a wait for an SEV that
// times out as the WFE would, and that, woken by an SEV before the CPU time
// ends, waits out the rest. Between the two waits only this context's own
// bookkeeping runs; it changes nothing anyone can see as long as no other
// kernel code ran on the CPU in the meantime (its interrupts are masked, so
// no handler is taken; no kernel thread or other CPU job is parked, so none
// can wake), and the wait would not be cut short by the watchdog or the end
// of simulated time at the end of the CPU time.
//
// Not here: carrying CPU time across kernel code to a later wait (the code
// in between could read the time, notify an event or write memory a
// device reads), nor folding into a sleep, a block or a wait of another
// context: those wait as before.
#include "platform/kernel_time.h"
#include "platform/quiet.h"
#include "scheduler.h"
#include "smmusim/host.h"
#include "smmusim/kernel_facts.h"

namespace smmusim::kshim {

bool& cpu_windows()
{
    static bool on = true;
    return on;
}

uint64_t& cpu_window_folds()
{
    static uint64_t n = 0;
    return n;
}

uint64_t& cpu_wfe_merges()
{
    static uint64_t n = 0;
    return n;
}

bool Scheduler::can_fold(sc_core::sc_time busy, sc_core::sc_time need) const
{
    if (!cpu_windows())
        return false;
    const Context* me = cpu_.current();
    if (!me)
        return false;
    const sc_core::sc_time now = time_stamp();
    if (!ends_before(now, busy, quiet_until()))
        return false;  // someone else may run before the CPU time ends
    if (need > time_left() - busy)
        return false;  // the wait after it would not fit: out_of_time() as before
    if (opts_.softlockup_ns) {
        const uint64_t since = me->spinning ? me->spin_since : now.value();
        if (stuck_at(since, now + busy))
            return false;  // the watchdog fires at the end of the CPU time
    }
    cpu_window_folds()++;
    return true;
}

bool Scheduler::alone_on_cpu(const Context& me) const
{
    unsigned long preempt = 0, irqflags = 0;
    smmusim_ctx_save(&preempt, &irqflags);
    if (!smmusim_kernel_irqs_disabled_flags(irqflags))
        return false;  // an interrupt could be taken during the wait
    for (const auto& c : cpu_contexts_)
        if (c.get() != &me)
            return false;  // another CPU job, parked: it could wake
    for (const Context* c : others_)
        if (c != &me && c->active)
            return false;  // a kernel thread or a running interrupt handler
    return true;
}

bool Scheduler::can_merge(sc_core::sc_time busy, sc_core::sc_time limit) const
{
    if (!cpu_windows())
        return false;
    const Context* me = cpu_.current();
    if (!me || !alone_on_cpu(*me))
        return false;
    const sc_core::sc_time left = time_left();
    if (busy > left || limit > left - busy)
        return false;  // the busy-wait or the WFE would not fit: out_of_time() as before
    if (opts_.softlockup_ns) {
        const sc_core::sc_time now = time_stamp();
        const uint64_t since = me->spinning ? me->spin_since : now.value();
        if (stuck_at(since, now + busy))
            return false;  // the watchdog fires at the end of the CPU time
    }
    cpu_wfe_merges()++;
    return true;
}

}  // namespace smmusim::kshim
