// SPDX-License-Identifier: GPL-2.0-only
// What the CPU cost model's per-basic-block hook costs on the host: the
// kernel shim's __sanitizer_cov_trace_pc (kernel_shim/host/cpu_cost.cc),
// which GCC's -fsanitize-coverage=trace-pc calls at the start of every basic
// block of the upstream objects, timed alone in a loop of calls, and the
// number of such calls the simulation counted (the kernel CPU's `blocks`
// statistic). Not here: the rest of the cost model (CpuCost::take, the
// waits it adds), which the driver child's run with cpu.cost_model off
// measures (children.h).
#pragma once

#include <cstdint>
#include <optional>

namespace smmusim::bench {

// Host CPU nanoseconds per call of the hook (a call through a pointer, as
// the instrumented code's is a call too), from `calls` calls; the hook's
// counter is left as it was. None in a build without the kernel shim.
std::optional<double> trace_pc_hook_ns(uint64_t calls);

// The kernel CPU's basic blocks counted so far (kernel.cpu0.blocks); 0
// when there is no kernel CPU.
double kernel_blocks();

}  // namespace smmusim::bench
