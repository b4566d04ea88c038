// SPDX-License-Identifier: GPL-2.0-only
// How kernel code runs and waits in simulated time.
//
// CPU jobs: run(body) runs kernel code as a CPU context, either on a new
// SystemC thread while the caller simulates until it returns (outside the
// simulation: tests), or right on the calling SystemC thread (inside it:
// the trace player's CPU).
//
// Waiting: every wait of kernel code (MMIO, delays, cpu_relax, WFE,
// sleeps, contended locks) goes through wait_in_kernel(), which saves and
// restores the context's per-CPU state around it, lets RCU grace periods
// pass, runs the soft-lockup watchdog on busy-waits, and stops a wait that
// cannot fit before the end of simulated time.
//
// CPU time: what the code of the running context cost since it last met
// simulated time (CpuCost, cpu_cost.h) is charged there, as a busy-wait, so
// kernel code takes simulated time without any new synchronisation point:
// before every wait (added to the wait itself where it is a plain delay),
// at the end of a CPU job and of an interrupt handler. A wait for an event
// charges first and checks for the event after, so none is lost. Where
// nothing else can run before the CPU time ends, it is folded into the
// busy-wait that follows it (an MMIO access, a WFE) as one SystemC wait
// (cpu_window.cc).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <systemc>

#include "cpu.h"
#include "klog.h"
#include "options.h"
#include "platform/clock.h"  // time_stamp, max_time

namespace smmusim::kshim {

// Thrown by panic() (and the watchdog, and the end of simulated time) to
// leave kernel code; caught where the context started.
struct KernelPanic {
    std::string message;
};

// Whether the CPU folds its CPU time into the busy-wait that follows it
// (cpu_window.cc; on unless a test compares runs with and without it:
// the simulated results must be the same).
bool& cpu_windows();
// CPU times folded so far, in this process (tests).
uint64_t& cpu_window_folds();
// CPU times waited in one wait with the WFE after them (can_merge()), in
// this process (tests).
uint64_t& cpu_wfe_merges();

class Scheduler {
public:
    // One CPU: every context (CPU jobs, interrupt threads) runs on `cpu`.
    // Several CPUs will need a Cpu each and a choice of CPU per context here.
    Scheduler(Cpu& cpu, Klog& log, ShimOptions& opts) : cpu_(cpu), log_(log), opts_(opts) {}

    // ---- CPU jobs --------------------------------------------------------
    // See KernelShim::run().
    bool run(const std::function<void()>& body, sc_core::sc_time limit);
    // `body` as kernel code of context `c`, on the calling SystemC thread;
    // a panic stops it (the next body starts from a clean state).
    void run_on(Context& c, const std::function<void()>& body);
    Cpu& cpu() { return cpu_; }
    Context* current() const { return cpu_.current(); }
    // A context whose state counts for RCU (interrupt threads add theirs).
    void add_context(Context* c) { others_.push_back(c); }

    // ---- waiting ---------------------------------------------------------
    // on_cpu: a busy-wait (the CPU stays with this context, so interrupts
    // are delivered only if it has them enabled); otherwise the context
    // sleeps. need: the simulated time the wait may take (its timeout).
    // `caller`: the kernel code that busy-waits (the watchdog names it).
    template <class F>
    void wait_in_kernel(bool on_cpu, sc_core::sc_time need, F&& wait_fn, const void* caller = nullptr);
    void spin_from(sc_core::sc_time t, const void* caller);
    void sleep(sc_core::sc_time t, const char* what);
    void block(const char* what);
    uint64_t block_timeout(uint64_t ns, const char* what);
    void wake_all()
    {
        ++wakes_;
        wake_ev_.notify(sc_core::SC_ZERO_TIME);
    }
    void cpu_relax(const void* caller);
    void wfe(const void* caller);
    // A grace period for the queued call_rcu() callbacks, if no context is
    // parked inside a non-preemptible section.
    void rcu_quiescent();
    // After an exception left kernel code on this stack (a panic, a
    // kthread_exit()): see scheduler.cc.
    void unpoison_unwound_frames();

    // ---- CPU time (cpu_cost.h) ---------------------------------------------
    // Busy-waits for the CPU time the running context's code has cost
    // since it last met simulated time (nothing if none).
    void charge(const void* caller = nullptr) { busy_wait_taken(take_busy(), caller); }
    // That CPU time, taken: the caller adds it to a wait of its own.
    // Inline, as CpuCost::take()'s check for nothing to take.
    sc_core::sc_time take_busy()
    {
        const Context* c = cpu_.current();
        return cpu_.cost().take(c && c->irq);
    }
    // A busy-wait of the running context for `t` (nothing if zero).
    void busy_wait(sc_core::sc_time t, const void* caller);
    // The CPU time so far, then a busy-wait (on_cpu) of at most `need`:
    // wait_fn(lead) waits, `lead` after the current time, for what it
    // waits for. `lead` is that CPU time when it can be folded into the
    // wait (can_fold), else zero, the CPU time waited first as charge().
    template <class F>
    void busy_wait_after_charge(sc_core::sc_time need, F&& wait_fn, const void* caller);
    // Whether the running context's CPU time `busy` can be folded into the
    // busy-wait of at most `need` that follows it (cpu_window.cc).
    bool can_fold(sc_core::sc_time busy, sc_core::sc_time need) const;
    // That busy-wait with `busy` folded in (can_fold() said yes).
    template <class F>
    void folded_wait(sc_core::sc_time busy, sc_core::sc_time need, F&& wait_fn, const void* caller);
    // Whether the running context's CPU time `busy`, which cannot be
    // folded, and the WFE of at most `limit` after it can still be one
    // wait (busy_then_wfe(), waiting.cc): no other kernel code can run on
    // the CPU before it returns, the WFE fits before the end of simulated
    // time and the watchdog would not fire at the end of the CPU time
    // (cpu_window.cc). Off with the quiet windows.
    bool can_merge(sc_core::sc_time busy, sc_core::sc_time limit) const;
    // The running context has run many basic blocks without meeting
    // simulated time, the last at `pc`: stops it if they are past the
    // soft-lockup threshold or the end of simulated time (cpu_runaway.h).
    void check_runaway(const void* pc);

    // ---- the end of simulated time -----------------------------------------
    bool time_ran_out() const { return !time_out_msg_.empty(); }
    const std::string& time_out_message() const { return time_out_msg_; }
    static sc_core::sc_time time_left() { return max_time() - time_stamp(); }

private:
    // wait_in_kernel() right after a take_busy(): nothing to charge (no
    // kernel code ran since), so no second take.
    template <class F>
    void wait_taken(bool on_cpu, sc_core::sc_time need, F&& wait_fn, const void* caller);
    // busy_wait() of the CPU time a take_busy() just returned.
    void busy_wait_taken(sc_core::sc_time t, const void* caller);
    // Before and after wait_fn (waiting.cc).
    Context& begin_wait(bool on_cpu, sc_core::sc_time need, const void* caller);
    void end_wait(Context& me, bool on_cpu, Context* prev_on_cpu);
    void soft_lockup(Context& c);
    void soft_lockup(Context& c, uint64_t stuck_ns);  // stuck that long
    void busy_then_wfe(sc_core::sc_time busy, sc_core::sc_time limit, const void* caller);
    // No other context can run on the CPU while the running one busy-waits
    // (cpu_window.cc).
    bool alone_on_cpu(const Context& me) const;
    // Whether a busy-wait since `since` (ticks) has reached the soft-lockup
    // threshold at `at` (in whole nanoseconds, as the watchdog counts them).
    // Far from the threshold (a threshold that did not change since), a
    // subtraction of ticks says no; else stuck_near_limit() compares.
    bool stuck_at(uint64_t since, const sc_core::sc_time& at) const
    {
        return (at.value() - since >= quick_ticks_ || opts_.softlockup_ns != quick_limit_ns_) &&
               stuck_near_limit(since, at);
    }
    bool stuck_near_limit(uint64_t since, const sc_core::sc_time& at) const;
    [[noreturn]] void out_of_time(Context& c, sc_core::sc_time need, const void* caller);
    Context* new_cpu_context();
    void retire(Context* c);

    Cpu& cpu_;
    Klog& log_;
    ShimOptions& opts_;
    Context* inline_cpu_ = nullptr;  // the context of run() from a SystemC thread
    std::vector<std::unique_ptr<Context>> cpu_contexts_;
    std::vector<Context*> others_;
    sc_core::sc_event wake_ev_;
    bool done_ = false;
    std::string time_out_msg_;  // see time_ran_out()
    uint64_t wakes_ = 0;        // wake_all() calls so far
    // stuck_at(): the threshold it last saw, and the span in ticks below
    // which a busy-wait is surely not stuck (0: none is).
    mutable uint64_t quick_limit_ns_ = 0, quick_ticks_ = 0;
    // wfe(): the timeout it last saw (opts_.wfe_timeout_ns) as simulated time.
    uint64_t wfe_timeout_ns_ = 0;
    sc_core::sc_time wfe_timeout_ = sc_core::SC_ZERO_TIME;
};

template <class F>
void Scheduler::wait_in_kernel(bool on_cpu, sc_core::sc_time need, F&& wait_fn, const void* caller)
{
    charge(caller);
    wait_taken(on_cpu, need, wait_fn, caller);
}

template <class F>
void Scheduler::wait_taken(bool on_cpu, sc_core::sc_time need, F&& wait_fn, const void* caller)
{
    Context* prev_on_cpu = cpu_.on_cpu();
    Context& me = begin_wait(on_cpu, need, caller);
    wait_fn();
    end_wait(me, on_cpu, prev_on_cpu);
}

template <class F>
void Scheduler::busy_wait_after_charge(sc_core::sc_time need, F&& wait_fn, const void* caller)
{
    const sc_core::sc_time busy = take_busy();
    if (busy != sc_core::SC_ZERO_TIME && can_fold(busy, need)) {
        folded_wait(busy, need, wait_fn, caller);
        return;
    }
    const auto unfolded = [&] { wait_fn(sc_core::SC_ZERO_TIME); };
    if (busy == sc_core::SC_ZERO_TIME) {  // nothing ran since the take
        wait_taken(true, need, unfolded, caller);
        return;
    }
    busy_wait_taken(busy, caller);
    wait_in_kernel(true, need, unfolded, caller);
}

template <class F>
void Scheduler::folded_wait(sc_core::sc_time busy, sc_core::sc_time need, F&& wait_fn, const void* caller)
{
    // As after the busy-wait of `busy`, which nobody could have
    // interrupted: this context on the CPU.
    Context& me = begin_wait(true, busy + need, caller);
    wait_fn(busy);
    end_wait(me, true, &me);
}

}  // namespace smmusim::kshim
