// SPDX-License-Identifier: GPL-2.0-only
// Kernel code that computes without ever waiting (cpu_runaway.h): the
// look the trace-pc hook's budget of blocks triggers.
#include "cpu_runaway.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "host.h"
#include "kernel_shim.h"

extern "C" {
unsigned long long smmusim_cpu_blocks_left = smmusim::kshim::kRunawayCheckBlocks;
unsigned long long smmusim_cpu_blocks_armed = smmusim::kshim::kRunawayCheckBlocks;
}

namespace smmusim::kshim {

void runaway_check(const void* pc)
{
    fold_blocks();
    runaway_rearm();
    // Code run with no shim (a bench timing the hook alone) or outside a
    // simulated CPU has nothing to stop: only the budget is re-armed.
    if (KernelShim::instance())
        host().sched.check_runaway(pc);
}

// The blocks run since the CPU last met simulated time, at the cost
// model's rate (cpu.block_cycles at cpu.clock_mhz; with the cost model off,
// or blocks that cost nothing, the defaults' rate, so that the threshold is
// still a count of blocks: 20 s is 3.9e10 blocks), added to the busy-wait
// the context was in, if any: the CPU's time since it last slept.
//  - Past the soft-lockup threshold (or, when the blocks cost simulated
//    time, past the end of simulated time): when the blocks cost simulated
//    time they are charged now, as a busy-wait of the looping code, and
//    that wait's own watchdog (end_wait()) or end of simulated time
//    (begin_wait()) stops the context as for any busy-wait; otherwise the
//    watchdog's report is made here with the time the blocks stand for.
//  - Else the next look is at the threshold (or the end of time), at most
//    kRunawayCheckBlocks on.
// Nothing else changes: a context under the threshold is not charged
// earlier than it would have been, so simulated time is as without the
// look.
void Scheduler::check_runaway(const void* pc)
{
    Context* me = cpu_.current();
    if (!me)
        return;
    const CpuParams& p = cpu_.cost().params();
    const bool charged = p.cost_model && p.block_cycles > 0;
    const CpuParams rate = charged ? p : CpuParams{};
    const double ns_per_block = rate.block_cycles * 1000.0 / double(rate.clock_mhz);
    const uint64_t blocks = smmusim_cpu_events[SMMUSIM_CPU_BLOCK];
    const double ran_ns = double(blocks) * ns_per_block;
    const uint64_t limit_ns = opts_.softlockup_ns;
    const uint64_t spun_ns = me->spinning ? now_ns() - ns_at(sc_core::sc_time::from_value(me->spin_since)) : 0;
    const double left_ns = double(time_left().value()) / double(sc_core::sc_time(1, sc_core::SC_NS).value());

    // How much longer the CPU may run before it must be looked at again.
    double room_ns = INFINITY;
    if (limit_ns)
        room_ns = double(limit_ns) - double(spun_ns) - ran_ns;
    if (charged)
        room_ns = std::min(room_ns, left_ns - ran_ns);
    if (room_ns > 0) {
        const double more = std::ceil(room_ns / ns_per_block);
        runaway_budget(more < double(kRunawayCheckBlocks) ? std::max<uint64_t>(1, uint64_t(more))
                                                          : kRunawayCheckBlocks);
        return;
    }
    if (charged) {
        charge(pc);
        // The time charged fell short of the threshold by its rounding to
        // picoseconds: the context is now busy-waiting, and a few more
        // blocks take it there.
        runaway_budget(1 + uint64_t(std::ceil(1000 / ns_per_block)));
        return;
    }
    log_.add(0, fmt::format("smmusim: {} ran {} basic blocks without meeting simulated time (cpu.cost_model off: "
                            "counted at {} cycles a block at {} MHz)",
                            me->name, blocks, rate.block_cycles, rate.clock_mhz));
    me->spin_caller = pc;
    soft_lockup(*me, spun_ns + uint64_t(ran_ns));
}

}  // namespace smmusim::kshim
