// SPDX-License-Identifier: GPL-2.0-only
// Kernel code that computes without ever waiting: a loop with no MMIO, WFE,
// delay, sleep or contended lock never meets simulated time, so neither the
// soft-lockup watchdog (waiting.cc) nor the end of simulated time ever sees
// it, and the host would spin for ever. The trace-pc hook
// (__sanitizer_cov_trace_pc, cpu_cost.cc) counts a budget of basic blocks
// down as it counts them; when it runs out, runaway_check() looks at the
// blocks run since the CPU last met simulated time (CpuCost::take
// re-arms the budget) and stops the CPU as the watchdog does once they are
// past its threshold (Scheduler::check_runaway, cpu_runaway.cc).
#pragma once

#include <cstdint>

namespace smmusim::kshim {

// Blocks between two looks while the CPU is far from the threshold: about
// 0.5 ms of CPU time at the default cpu.* rate, a few ms of host time.
constexpr uint64_t kRunawayCheckBlocks = uint64_t(1) << 20;

// Basic blocks the hook counts before it calls runaway_check().
extern uint64_t runaway_blocks_left;

// The CPU met simulated time (its counts were taken or dropped).
inline void runaway_rearm() { runaway_blocks_left = kRunawayCheckBlocks; }

// The budget ran out at `pc` (the return address into the code whose block
// it was): re-arms it, and stops the running context if it has run past
// the soft-lockup threshold or the end of simulated time (panic-like:
// throws KernelPanic through the kernel code).
[[gnu::cold]] void runaway_check(const void* pc);

}  // namespace smmusim::kshim
