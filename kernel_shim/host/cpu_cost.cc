// SPDX-License-Identifier: GPL-2.0-only
// The CPU cost model (cpu_cost.h): the event counters kernel code bumps,
// __sanitizer_cov_trace_pc, and the conversion of counts into cycles and
// simulated time.
#include "cpu_cost.h"

#include <cstring>

#include "cpu_runaway.h"

extern "C" {

unsigned long long smmusim_cpu_events[SMMUSIM_CPU_EVENTS];

// Called by GCC's -fsanitize-coverage=trace-pc at the start of every basic
// block of the upstream objects (and only them: kernel_shim/CMakeLists.txt).
// Blocks are counted down, as the budget before a look at a CPU that never
// waits (cpu_runaway.h): one decrement and a branch rarely taken; take()
// adds them to smmusim_cpu_events[SMMUSIM_CPU_BLOCK].
void __sanitizer_cov_trace_pc(void)
{
    if (__builtin_expect(--smmusim_cpu_blocks_left == 0, 0))
        smmusim::kshim::runaway_check(__builtin_return_address(0));
}

}  // extern "C"

namespace smmusim::kshim {

namespace {
struct EventName {
    const char* stat;
    const char* desc;
};
// Indexed by enum smmusim_cpu_event.
const EventName kEvents[SMMUSIM_CPU_EVENTS] = {
    {"blocks", "basic blocks of upstream kernel code run (cpu.block_cycles each)"},
    {"atomics", "atomic read-modify-writes (cpu.atomic_cycles each)"},
    {"dmbs", "DMB barriers: smp_*mb, dma_*mb (cpu.dmb_cycles each)"},
    {"dsbs", "DSB barriers: mb, rmb, wmb (cpu.dsb_cycles each)"},
    {"locks", "mutexes and rwsems taken (cpu.lock_cycles each)"},
    {"allocs", "kmallocs and kfrees (cpu.alloc_cycles each)"},
    {"mmio_accesses", "device register accesses issued (cpu.mmio_cycles each)"},
    {"copy_bytes", "bytes copied from or to user memory (cpu.copy_byte_cycles each)"},
};

// Each term is the same double in both branches: below 2^46 events (and
// cpu.* integers at most 100000 < 2^17) every product is below 2^63, and a
// signed conversion of a non-negative integer below 2^63 rounds as the
// unsigned one does; the signed one is one instruction, the unsigned a
// test and a branch more. The sum is taken in the same order.
double cycles_of(const CpuParams& p, const unsigned long long (&ev)[SMMUSIM_CPU_EVENTS])
{
    unsigned long long all = 0;
#pragma GCC unroll 8
    for (unsigned long long e : ev)
        all |= e;
    if (__builtin_expect(all >> 46, 0))
        return double(ev[SMMUSIM_CPU_BLOCK]) * p.block_cycles + double(ev[SMMUSIM_CPU_ATOMIC] * p.atomic_cycles) +
               double(ev[SMMUSIM_CPU_DMB] * p.dmb_cycles) + double(ev[SMMUSIM_CPU_DSB] * p.dsb_cycles) +
               double(ev[SMMUSIM_CPU_LOCK] * p.lock_cycles) + double(ev[SMMUSIM_CPU_ALLOC] * p.alloc_cycles) +
               double(ev[SMMUSIM_CPU_MMIO] * p.mmio_cycles) + double(ev[SMMUSIM_CPU_COPY_BYTE]) * p.copy_byte_cycles;
    const auto term = [&ev](unsigned k, uint64_t cycles) { return double(int64_t(ev[k] * cycles)); };
    return double(int64_t(ev[SMMUSIM_CPU_BLOCK])) * p.block_cycles + term(SMMUSIM_CPU_ATOMIC, p.atomic_cycles) +
           term(SMMUSIM_CPU_DMB, p.dmb_cycles) + term(SMMUSIM_CPU_DSB, p.dsb_cycles) +
           term(SMMUSIM_CPU_LOCK, p.lock_cycles) + term(SMMUSIM_CPU_ALLOC, p.alloc_cycles) +
           term(SMMUSIM_CPU_MMIO, p.mmio_cycles) + double(int64_t(ev[SMMUSIM_CPU_COPY_BYTE])) * p.copy_byte_cycles;
}

// sc_time(delta, SC_PS) without its conversion from a double when the
// kernel counts in picoseconds. Inline: one picosecond times delta, which
// sc_time::operator*= rounds as (1.0 * delta + 0.5) truncated, that is
// delta itself while delta + 0.5 is exact (delta below 2^52 ps, about an
// hour of simulated time): the value sc_time::from_value(delta) makes,
// without the library call.
[[gnu::always_inline]] inline sc_core::sc_time picoseconds(uint64_t delta)
{
    // One picosecond is one tick exactly when the resolution is 1 ps
    // (it rounds to 0 ticks under a coarser one, to 1000 or more under a
    // finer one).
    static const sc_core::sc_time one_ps(1, sc_core::SC_PS);
    if (one_ps.value() == 1 && delta < (uint64_t(1) << 52))
        return one_ps * double(int64_t(delta));
    return sc_core::sc_time(static_cast<double>(delta), sc_core::SC_PS);
}

}  // namespace

CpuCost::CpuCost(const CpuParams& p, const std::string& cpu_name)
    : p_(p),
      mhz_(double(p.clock_mhz)),
      stats_("kernel." + cpu_name),
      busy_(stats_.counter("busy_cycles", "CPU cycles the kernel code cost (cpu.* cost model), at cpu.clock_mhz")),
      irq_busy_(stats_.counter("irq_busy_cycles", "the part of busy_cycles spent in interrupt handlers"))
{
    p_.check_ranges();
    for (unsigned k = 0; k < SMMUSIM_CPU_EVENTS; ++k)
        events_[k] = &stats_.counter(kEvents[k].stat, kEvents[k].desc);
}

void CpuCost::discard()
{
    std::memset(smmusim_cpu_events, 0, sizeof smmusim_cpu_events);
    runaway_rearm();
}

sc_core::sc_time CpuCost::take_counted(bool irq)
{
    fold_blocks();
    unsigned long long ev[SMMUSIM_CPU_EVENTS];
    std::memcpy(ev, smmusim_cpu_events, sizeof ev);
    discard();
    if (!p_.cost_model)
        return sc_core::SC_ZERO_TIME;
#pragma GCC unroll 8
    for (unsigned k = 0; k < SMMUSIM_CPU_EVENTS; ++k)
        *events_[k] += ev[k];
    const uint64_t whole_before = static_cast<uint64_t>(cycles_);
    cycles_ += cycles_of(p_, ev);
    const uint64_t whole = static_cast<uint64_t>(cycles_) - whole_before;
    busy_ += whole;
    if (irq)
        irq_busy_ += whole;
    // cycles * 1e6 / MHz picoseconds, from the running sum, rounded down:
    // the conversion truncates, which is floor() here, the quotient being
    // never negative (no cpu.* parameter is below 0).
    const auto ps = static_cast<uint64_t>(cycles_ * 1e6 / mhz_);
    const uint64_t delta = ps - charged_ps_;
    charged_ps_ = ps;
    return picoseconds(delta);
}

double cpu_slowdown(const CpuParams& p)
{
    const CpuParams d;
    if (!p.cost_model || !p.clock_mhz)
        return 1;
    double cost = 1;
    for (const auto [v, dv] : {std::pair<double, double>{p.block_cycles, d.block_cycles},
                               {static_cast<double>(p.atomic_cycles), static_cast<double>(d.atomic_cycles)},
                               {static_cast<double>(p.dmb_cycles), static_cast<double>(d.dmb_cycles)},
                               {static_cast<double>(p.dsb_cycles), static_cast<double>(d.dsb_cycles)},
                               {static_cast<double>(p.lock_cycles), static_cast<double>(d.lock_cycles)},
                               {static_cast<double>(p.alloc_cycles), static_cast<double>(d.alloc_cycles)},
                               {p.copy_byte_cycles, d.copy_byte_cycles}})
        if (dv > 0 && v / dv > cost)
            cost = v / dv;
    const double s = cost * static_cast<double>(d.clock_mhz) / static_cast<double>(p.clock_mhz);
    return s > 1 ? s : 1;
}

}  // namespace smmusim::kshim
