// SPDX-License-Identifier: GPL-2.0-only
// Kernel code that computes without ever waiting: a loop with no MMIO, WFE,
// delay, sleep or contended lock never meets simulated time, so neither the
// soft-lockup watchdog (waiting.cc) nor the end of simulated time ever sees
// it, and the host would spin for ever. The trace-pc hook
// (__sanitizer_cov_trace_pc, cpu_cost.cc) counts basic blocks DOWN, as a
// budget: one decrement, and a branch taken when the budget runs out. Then
// runaway_check() looks at the blocks run since the CPU last met simulated
// time (CpuCost::take re-arms the budget) and stops the CPU as the watchdog
// does once they are past its threshold (Scheduler::check_runaway,
// cpu_runaway.cc).
//
// The blocks counted so far are `armed - left`: CpuCost::take() adds them to
// smmusim_cpu_events[SMMUSIM_CPU_BLOCK] (fold_blocks()) before it reads the
// counts, so the statistics and the CPU time count every block as before.
#pragma once

#include <cstdint>

#include "smmusim/cpu_cost.h"

extern "C" {
// The budget: blocks left before the look, and what it was last set to
// (C names: a bench that calls the hook outside the simulation keeps them).
extern unsigned long long smmusim_cpu_blocks_left, smmusim_cpu_blocks_armed;
}

namespace smmusim::kshim {

// Blocks between two looks while the CPU is far from the threshold: about
// 0.5 ms of CPU time at the default cpu.* rate, a few ms of host time.
constexpr uint64_t kRunawayCheckBlocks = uint64_t(1) << 20;

// Blocks the hook counted that are not in smmusim_cpu_events yet.
inline unsigned long long pending_blocks() { return smmusim_cpu_blocks_armed - smmusim_cpu_blocks_left; }

// Adds them there; the budget goes on from where it is.
inline void fold_blocks()
{
    smmusim_cpu_events[SMMUSIM_CPU_BLOCK] += pending_blocks();
    smmusim_cpu_blocks_armed = smmusim_cpu_blocks_left;
}

// A new budget of `n` blocks (at least 1), the blocks before it folded.
inline void runaway_budget(unsigned long long n) { smmusim_cpu_blocks_left = smmusim_cpu_blocks_armed = n; }

// The CPU met simulated time (its counts were taken or dropped).
inline void runaway_rearm() { runaway_budget(kRunawayCheckBlocks); }

// The budget ran out at `pc` (the return address into the code whose block
// it was): folds the blocks, re-arms the budget, and stops the running
// context if it has run past the soft-lockup threshold or the end of
// simulated time (panic-like: throws KernelPanic through the kernel code).
[[gnu::cold]] void runaway_check(const void* pc);

}  // namespace smmusim::kshim
