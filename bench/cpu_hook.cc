// SPDX-License-Identifier: GPL-2.0-only
// The trace-pc hook's host cost (cpu_hook.h).
#include "cpu_hook.h"

#include "measure.h"
#include "platform/stats.h"

#ifdef SMMUSIM_BENCH_KERNEL_SHIM
// kernel_shim/include/smmusim/cpu_cost.h's, declared here: that folder's
// headers shadow the system's and are for kernel code only.
extern "C" {
void __sanitizer_cov_trace_pc(void);
extern unsigned long long smmusim_cpu_events[];
extern unsigned long long smmusim_cpu_blocks_left, smmusim_cpu_blocks_armed;  // cpu_runaway.h
}
#endif

namespace smmusim::bench {

std::optional<double> trace_pc_hook_ns(uint64_t calls)
{
#ifdef SMMUSIM_BENCH_KERNEL_SHIM
    void (*volatile hook)(void) = __sanitizer_cov_trace_pc;
    // The hook counts blocks down (a budget, kernel_shim/host/cpu_runaway.h)
    // and adds them to smmusim_cpu_events when the budget runs out.
    const unsigned long long kept = smmusim_cpu_events[0];  // SMMUSIM_CPU_BLOCK
    const unsigned long long left = smmusim_cpu_blocks_left, armed = smmusim_cpu_blocks_armed;
    const double t0 = host_seconds();
    for (uint64_t i = 0; i < calls; i++)
        hook();
    const double s = host_seconds() - t0;
    smmusim_cpu_events[0] = kept;  // the simulation counts only its own blocks
    smmusim_cpu_blocks_left = left;
    smmusim_cpu_blocks_armed = armed;
    return s * 1e9 / double(calls);
#else
    (void)calls;
    return std::nullopt;
#endif
}

double kernel_blocks()
{
    const StatGroup* g = StatRegistry::global().find("kernel.cpu0");
    const Counter* c = g ? g->find_counter("blocks") : nullptr;
    return c ? double(c->value()) : 0.0;
}

}  // namespace smmusim::bench
