// SPDX-License-Identifier: GPL-2.0-only
// A simulated CPU and the kernel execution contexts that run on it.
//
// A Context is what kernel code runs as: the CPU's own thread (run()) or an
// interrupt thread. It keeps the per-CPU state the code had when it last
// gave up the host CPU (preempt count, IRQ flags), restored whenever it
// runs again, and the watchdog's view of its busy-waiting.
//
// A Cpu holds what belongs to one processor: its name ("cpu0"), the
// context it runs now, the context busy-waiting on it (so whether
// interrupts can be delivered), and its event register (SEV sets it, WFE
// consumes it), and what the code it runs costs (CpuCost, cpu_cost.h).
// There is exactly one today; several CPUs will be more
// instances plus a scheduler choosing a CPU for each context.
#pragma once

#include <cstdint>
#include <string>

#include <systemc>

#include "cpu_cost.h"

namespace smmusim::kshim {

struct Context {
    std::string name;
    unsigned long preempt = 0, irqflags = 0;
    // Busy-waiting without a sleep since the simulated time whose value
    // (sc_time::value(), ticks) is spin_since (the watchdog's view), last
    // in spin_caller.
    bool spinning = false;
    uint64_t spin_since = 0;
    const void* spin_caller = nullptr;
    // Parked inside kernel code (a CPU job or a running interrupt
    // handler): its state counts for RCU grace periods.
    bool active = true;
    // An interrupt thread's context (its CPU time is also counted apart).
    bool irq = false;

    // Preemption enabled, interrupts enabled (the kernel's initial state).
    void reset();
};

class Cpu {
public:
    // Sets the event register whenever `sev` is notified; `cost`: the cpu.*
    // parameters of its cost model.
    Cpu(unsigned index, const sc_core::sc_event& sev, const CpuParams& cost);

    unsigned index() const { return index_; }
    const std::string& name() const { return name_; }

    // The context running on this CPU now (null: none).
    Context* current() const { return cur_; }
    void set_current(Context* c) { cur_ = c; }
    // Makes `c` the running context with its saved per-CPU state.
    void enter(Context& c);
    // Saves the running context's per-CPU state and leaves it.
    void leave(Context& c);

    // The context busy-waiting on this CPU (null: it sleeps or is idle).
    Context* on_cpu() const { return on_cpu_; }
    void set_on_cpu(Context* c) { on_cpu_ = c; }
    // The CPU is busy-waiting with interrupts masked: delivery waits.
    bool irqs_masked() const;

    // The event register: WFE returns at once if it is set (and clears it).
    bool take_event();
    bool event_pending() const { return sev_pending_; }
    void clear_event() { sev_pending_ = false; }
    const sc_core::sc_event& event() const { return wfe_ev_; }
    // An SEV before `t` sets the event register at once but wakes a WFE
    // only at `t`, the end of the CPU time the WFE waits together with
    // (Scheduler::busy_then_wfe); SC_ZERO_TIME: at once, as it is otherwise.
    void defer_wake_until(const sc_core::sc_time& t) { wake_from_ = t; }

    // The cost model of the code this CPU runs.
    CpuCost& cost() { return cost_; }

private:
    unsigned index_;
    std::string name_;
    Context* cur_ = nullptr;
    Context* on_cpu_ = nullptr;
    bool sev_pending_ = false;
    sc_core::sc_event wfe_ev_;
    sc_core::sc_time wake_from_;  // defer_wake_until()
    CpuCost cost_;
};

}  // namespace smmusim::kshim
