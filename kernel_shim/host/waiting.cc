// SPDX-License-Identifier: GPL-2.0-only
// Waits of kernel code in simulated time (scheduler.h): busy-waits, sleeps,
// blocking, WFE; the soft-lockup watchdog and the end of simulated time.
#include "scheduler.h"

#include <algorithm>
#include <cstdint>

#include <fmt/format.h>

#include "smmusim/host.h"
#include "symbols.h"

namespace smmusim::kshim {

namespace {
sc_core::sc_time ns_time(uint64_t ns) { return sc_core::sc_time(static_cast<double>(ns), sc_core::SC_NS); }
}  // namespace

Context& Scheduler::begin_wait(bool on_cpu, sc_core::sc_time need, const void* caller)
{
    Context* me = cpu_.current();
    if (!me) {
        log_.fail("context", "kernel code waited outside a simulated CPU");
        throw KernelPanic{"wait outside a simulated CPU"};
    }
    if (time_ran_out() || need > time_left())
        out_of_time(*me, need, caller);
    if (!on_cpu) {
        me->spinning = false;
    } else {
        if (!me->spinning)
            me->spin_since = time_stamp().value();
        me->spinning = true;
        if (caller)
            me->spin_caller = caller;
    }
    smmusim_ctx_save(&me->preempt, &me->irqflags);
    cpu_.set_on_cpu(on_cpu ? me : nullptr);
    return *me;
}

void Scheduler::end_wait(Context& me, bool on_cpu, Context* prev_on_cpu)
{
    if (prev_on_cpu == &me)
        cpu_.set_on_cpu(&me);
    cpu_.set_current(&me);
    smmusim_ctx_restore(me.preempt, me.irqflags);
    if (on_cpu && opts_.softlockup_ns && stuck_at(me.spin_since, time_stamp()))
        soft_lockup(me);
}

// The threshold is whole nanoseconds between two times each rounded to a
// nanosecond (now_ns()): a double conversion of each. Far from it, ticks
// say as much with one subtraction: a span shorter than the threshold by
// more than a microsecond (a thousand times any rounding of ns_at(), even
// near the end of simulated time) is not stuck.
bool Scheduler::stuck_near_limit(uint64_t since, const sc_core::sc_time& at) const
{
    const uint64_t limit_ns = opts_.softlockup_ns;
    if (limit_ns != quick_limit_ns_) {  // the threshold changed (a trace's watchdog_thresh)
        static const uint64_t ticks_per_ns = sc_core::sc_time(1, sc_core::SC_NS).value();
        const uint64_t margin = 1000 * ticks_per_ns;
        quick_limit_ns_ = limit_ns;
        quick_ticks_ = ticks_per_ns && limit_ns <= UINT64_MAX / ticks_per_ns && limit_ns * ticks_per_ns > margin
                           ? limit_ns * ticks_per_ns - margin
                           : 0;
        if (at.value() - since < quick_ticks_)
            return false;
    }
    return ns_at(at) - ns_at(sc_core::sc_time::from_value(since)) >= limit_ns;
}

// What the kernel's soft-lockup detector prints (kernel/watchdog.c: the
// message, then the registers: RIP names the function the CPU is in); the
// CPU is then stopped as with softlockup_panic, so the simulation ends.
// Only code that cannot be preempted (preemption or interrupts disabled) is
// a soft lockup: the shim's kernel is CONFIG_PREEMPTION, and there the
// watchdog's thread preempts preemptible code, which then runs on. The
// simulator stops such code all the same (a run that never ends helps no
// one) and says so, without the kernel's BUG.
void Scheduler::soft_lockup(Context& c)
{
    soft_lockup(c, now_ns() - ns_at(sc_core::sc_time::from_value(c.spin_since)));
}

void Scheduler::soft_lockup(Context& c, uint64_t ns)
{
    const std::string stuck = ns >= 1000000000 ? fmt::format("{}s", ns / 1000000000)
                                               : fmt::format("{}ms", ns / 1000000);
    const std::string where = c.spin_caller ? symbolize(c.spin_caller) : "(unknown)";
    if (!smmusim_ctx_atomic()) {
        c.spinning = false;
        const std::string msg =
            fmt::format("CPU#{} ran preemptible kernel code for {} without sleeping, in {}: the simulator stops it "
                        "at the watchdog's threshold (not a soft lockup: the real kernel, CONFIG_PREEMPTION, "
                        "would preempt it for the watchdog and keep running it)",
                        cpu_.index(), stuck, where.substr(0, where.find('+')));
        log_.add(0, fmt::format("smmusim: CPU#{} stopped after {} of preemptible kernel code that never slept [{}]",
                                cpu_.index(), stuck, c.name));
        log_.add(4, fmt::format("RIP: {}", where));
        log_.fail("stopped", msg);
        throw KernelPanic{"stopped (" + msg + ")"};
    }
    log_.add(0, fmt::format("watchdog: BUG: soft lockup - CPU#{} stuck for {}! [{}]", cpu_.index(), stuck, c.name));
    log_.add(4, fmt::format("RIP: {}", where));
    c.spinning = false;
    const std::string msg = fmt::format("BUG: soft lockup - CPU#{} stuck for {} in {}", cpu_.index(), stuck,
                                        where.substr(0, where.find('+')));
    log_.fail("soft-lockup", msg);
    throw KernelPanic{"softlockup: hung tasks (" + msg + ")"};
}

// Simulated time is a 64-bit count of picoseconds: a wait past its end
// would wrap. The waiting code is stopped as the soft-lockup detector stops
// it (a panic unwinds it), and every later wait of kernel code is too.
void Scheduler::out_of_time(Context& c, sc_core::sc_time need, const void* caller)
{
    c.spinning = false;
    if (time_ran_out())
        throw KernelPanic{time_out_msg_};
    const std::string where = caller ? symbolize(caller) : std::string();
    time_out_msg_ = fmt::format("simulated time ran out: {} waited for {}{} with {} left before the end of "
                                "simulated time (2^64 - 1 ps)",
                                c.name, need.to_string(), where.empty() ? "" : " in " + where.substr(0, where.find('+')),
                                time_left().to_string());
    log_.add(0, time_out_msg_);
    log_.fail("time", time_out_msg_);
    throw KernelPanic{time_out_msg_};
}

void Scheduler::busy_wait(sc_core::sc_time t, const void* caller)
{
    if (t != sc_core::SC_ZERO_TIME)
        wait_in_kernel(true, t, [&] { sc_core::wait(t); }, caller);
}

void Scheduler::busy_wait_taken(sc_core::sc_time t, const void* caller)
{
    if (t != sc_core::SC_ZERO_TIME)
        wait_taken(true, t, [&] { sc_core::wait(t); }, caller);
}

// The CPU time so far, then the delay: one wait.
void Scheduler::spin_from(sc_core::sc_time t, const void* caller)
{
    t += take_busy();
    wait_taken(true, t, [&] { sc_core::wait(t); }, caller);
}

void Scheduler::sleep(sc_core::sc_time t, const char* what)
{
    if (smmusim_ctx_atomic())
        log_.fail("atomic-sleep", fmt::format("{}: sleeping while atomic (preemption or interrupts disabled)", what));
    rcu_quiescent();
    t += take_busy();  // the CPU time so far, then the sleep: one wait
    wait_taken(false, t, [&] { sc_core::wait(t); }, nullptr);
}

void Scheduler::block(const char* what)
{
    if (smmusim_ctx_atomic())
        log_.fail("atomic-sleep", fmt::format("{}: blocking while atomic (preemption or interrupts disabled)", what));
    rcu_quiescent();
    const uint64_t wakes = wakes_;
    charge();
    if (wakes_ != wakes)
        return;  // woken while the CPU was busy: the caller checks again
    wait_in_kernel(false, sc_core::SC_ZERO_TIME, [&] { sc_core::wait(wake_ev_); });
}

uint64_t Scheduler::block_timeout(uint64_t ns, const char* what)
{
    if (smmusim_ctx_atomic())
        log_.fail("atomic-sleep", fmt::format("{}: blocking while atomic (preemption or interrupts disabled)", what));
    rcu_quiescent();
    const sc_core::sc_time t0 = sc_core::sc_time_stamp();
    const sc_core::sc_time limit = ns_time(ns);
    const uint64_t wakes = wakes_;
    charge();
    if (wakes_ == wakes) {  // else woken while the CPU was busy
        const sc_core::sc_time rest = limit - std::min(limit, sc_core::sc_time_stamp() - t0);
        wait_in_kernel(false, rest, [&] { sc_core::wait(rest, wake_ev_); });
    }
    const sc_core::sc_time spent = sc_core::sc_time_stamp() - t0;
    return spent >= limit ? 0 : static_cast<uint64_t>((limit - spent).to_seconds() * 1e9);
}

void Scheduler::cpu_relax(const void* caller) { spin_from(ns_time(opts_.cpu_relax_ns), caller); }

// WFE: returns at once if the event register is set, else waits for an
// event (SEV) or the timeout. The CPU time before it is folded into that
// wait when nothing can run before it ends (cpu_window.cc): then no SEV
// can come during it, so the event register is already what it would be.
// Else, when no other kernel code can run on the CPU meanwhile, the CPU
// time and the WFE are still one wait (busy_then_wfe()); otherwise two.
void Scheduler::wfe(const void* caller)
{
    if (opts_.wfe_timeout_ns != wfe_timeout_ns_) {  // converted once a value (a library call)
        wfe_timeout_ns_ = opts_.wfe_timeout_ns;
        wfe_timeout_ = ns_time(wfe_timeout_ns_);
    }
    const sc_core::sc_time limit = wfe_timeout_;
    const sc_core::sc_time busy = take_busy();
    const bool one_wait = busy != sc_core::SC_ZERO_TIME && !cpu_.event_pending();
    if (one_wait && can_fold(busy, limit)) {
        folded_wait(busy, limit, [&](sc_core::sc_time lead) { sc_core::wait(lead + limit, cpu_.event()); }, caller);
    } else if (one_wait && can_merge(busy, limit)) {
        busy_then_wfe(busy, limit, caller);
    } else {
        busy_wait_taken(busy, caller);  // an SEV while the CPU was busy sets the event register
        if (cpu_.take_event())
            return;
        const auto wfe_wait = [&] { sc_core::wait(limit, cpu_.event()); };
        if (busy == sc_core::SC_ZERO_TIME)  // nothing ran since the take
            wait_taken(true, limit, wfe_wait, caller);
        else
            wait_in_kernel(true, limit, wfe_wait, caller);
    }
    cpu_.clear_event();
}

// The busy-wait of `busy` and the WFE after it (can_merge() said yes), as
// one wait for an SEV until the WFE's timeout, `busy + limit` from now.
// The two waits it replaces return at max(now + busy, the first SEV), or
// at the timeout, and so does this:
// - an SEV during the CPU time sets the event register then, as before,
//   and wakes this wait only at the end of the CPU time
//   (Cpu::defer_wake_until): a timed wake, in the first delta of that
//   time, as the busy-wait's; the event register is then cleared as
//   take_event() cleared it;
// - an SEV at the very end of the CPU time or later: the busy-wait's
//   timed wake came first (the SEV's method runs a delta after the send,
//   send_sev() notifying with SC_ZERO_TIME, so never in the first delta
//   of a time), found no event and waited for it; the WFE returned in
//   the delta after the SEV's method, as this wait does;
// - the timeout: busy + limit after now either way (integer ticks).
// What happened between the two waits changes nothing here: the watchdog
// would not fire at the end of the CPU time and the WFE fits before the
// end of simulated time (both checked), and with no other context on the
// CPU the CPU state end_wait() and begin_wait() set then (the running and
// busy-waiting context, the per-CPU flags) is already this context's.
void Scheduler::busy_then_wfe(sc_core::sc_time busy, sc_core::sc_time limit, const void* caller)
{
    Context* prev_on_cpu = cpu_.on_cpu();
    Context& me = begin_wait(true, busy + limit, caller);
    cpu_.defer_wake_until(time_stamp() + busy);
    sc_core::wait(busy + limit, cpu_.event());
    cpu_.defer_wake_until(sc_core::SC_ZERO_TIME);
    end_wait(me, true, prev_on_cpu);
}

}  // namespace smmusim::kshim
