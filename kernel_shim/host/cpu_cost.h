// SPDX-License-Identifier: GPL-2.0-only
// The CPU cost model: what the kernel code a CPU runs costs in simulated
// time.
//
// Kernel code counts events as it runs (include/smmusim/cpu_cost.h): every
// basic block of an upstream object (GCC's -fsanitize-coverage=trace-pc
// calls __sanitizer_cov_trace_pc, defined here), atomic read-modify-writes
// and barriers (the shadow headers include/linux/kcsan-checks.h and
// include/asm/barrier.h), locks, allocations and user copies (the shim's
// services), MMIO accesses (mmio.cc). CpuCost::take() turns the counts since
// the last take into cycles with the cpu.* parameters, and the cycles into
// simulated time at cpu.clock_mhz; the scheduler waits that long at the
// points where kernel code meets simulated time anyway (scheduler.h).
//
// What it does not model: caches, TLBs, branch prediction, pipelines — one
// average cost per basic block; the shim's own C services except for the
// explicit per-call costs; contention between CPUs (there is one).
#pragma once

#include <cstdint>
#include <string>

#include <systemc>

#include "cpu_runaway.h"
#include "platform/params.h"
#include "platform/stats.h"
#include "smmusim/cpu_cost.h"

namespace smmusim::kshim {

// X(type, field, "key", default, min, max, "unit", "description", "source")
#define SMMUSIM_CPU_PARAMS(X)                                                                                   \
    X(bool, cost_model, "cpu.cost_model", true, 0, 1, "bool",                                                  \
      "charge simulated time for the kernel code the CPU runs (off: kernel code takes no simulated time, "     \
      "only its MMIO, delays, polls and sleeps do)",                                                           \
      "smmusim design: on, so a study sees the driver's own work (docs/cpu-cost.md)")                          \
    X(uint64_t, clock_mhz, "cpu.clock_mhz", 3000, 1, 100000, "MHz", "the simulated CPU's clock",                \
      "assumed: 3 GHz, the class of a server Arm core (Neoverse V2, as in NVIDIA Grace, the CMDQV's "          \
      "platform); cpu.block_cycles is calibrated at this clock (docs/cpu-cost.md)")                            \
    X(double, block_cycles, "cpu.block_cycles", 1.54, 0, 1000, "cycles",                                        \
      "cycles per basic block of upstream kernel code (its instructions at the kernel's IPC)",                 \
      "calibrated: iommu_map() of one 4 KiB page takes 61 ns on average (J. Gunthorpe, 'iommupt: Add the "    \
      "x86 64 bit page table format', the io-pgtable implementation's figure); here 93 blocks + 1 DSB "        \
      "(docs/cpu-cost.md)")                                                                                    \
    X(uint64_t, atomic_cycles, "cpu.atomic_cycles", 20, 0, 100000, "cycles",                                   \
      "an atomic read-modify-write (LSE CAS/LDADD on a line the CPU owns)",                                    \
      "assumed: an uncontended LSE atomic on an L1-resident line, a few tens of cycles (docs/cpu-cost.md)")    \
    X(uint64_t, dmb_cycles, "cpu.dmb_cycles", 10, 0, 100000, "cycles",                                          \
      "a DMB (smp_*mb, dma_*mb) with no outstanding misses",                                                   \
      "assumed: a barrier that drains the store buffer of a few stores (docs/cpu-cost.md)")                    \
    X(uint64_t, dsb_cycles, "cpu.dsb_cycles", 40, 0, 100000, "cycles",                                          \
      "a DSB (mb, rmb, wmb): waits for every outstanding access",                                              \
      "assumed: four DMBs, since a DSB also waits for the accesses to complete (docs/cpu-cost.md)")           \
    X(uint64_t, lock_cycles, "cpu.lock_cycles", 40, 0, 100000, "cycles",                                       \
      "an uncontended mutex/rwsem acquire and its release (two acquire/release atomics and the calls)",        \
      "assumed: two cpu.atomic_cycles")                                                                         \
    X(uint64_t, alloc_cycles, "cpu.alloc_cycles", 60, 0, 100000, "cycles",                                     \
      "a kmalloc or kfree (the shim's allocator stands in for SLUB's fast path)",                              \
      "assumed: SLUB's per-CPU fast path is a few tens of instructions (docs/cpu-cost.md)")                    \
    X(uint64_t, mmio_cycles, "cpu.mmio_cycles", 0, 0, 100000, "cycles",                                         \
      "issuing a device register access, on top of the access the SMMU model times",                           \
      "assumed: 0, the platform's MMIO model already times the access (docs/cpu-cost.md)")                     \
    X(double, copy_byte_cycles, "cpu.copy_byte_cycles", 0.0625, 0, 1000, "cycles",                              \
      "a byte copied from or to user memory (copy_{from,to}_user)",                                            \
      "assumed: 16 bytes per cycle, one 128-bit load/store pair per cycle")

SMMUSIM_PARAM_STRUCT(CpuParams, SMMUSIM_CPU_PARAMS);

// How many times longer than with the defaults (the calibrated 3 GHz and
// cycle figures) kernel code takes under `p`: the clock's ratio times the
// largest ratio of a cost to its default (MMIO's, 0 by default, aside); 1
// when the model is off or no slower. A bound on what the driver's own
// code takes in simulated time scales by it (the DMA's event wait).
double cpu_slowdown(const CpuParams& p);

class CpuCost {
public:
    // Statistics as "kernel.<cpu>" (e.g. kernel.cpu0.busy_cycles).
    CpuCost(const CpuParams& p, const std::string& cpu_name);

    // The events counted since the last take(), by the code of one context
    // (`irq`: an interrupt handler's), as simulated time; they are added
    // to the statistics. Zero when the cost model is off.
    sc_core::sc_time take(bool irq)
    {
        // Inline: most takes find nothing (no kernel code ran since the
        // last), and return without a call.
        unsigned long long any = pending_blocks();  // the hook's (cpu_runaway.h)
#pragma GCC unroll 8
        for (unsigned long long e : smmusim_cpu_events)
            any |= e;
        return any ? take_counted(irq) : sc_core::SC_ZERO_TIME;
    }
    // Drops the events counted so far (code that ran before any CPU was
    // simulated, or a context a panic stopped).
    static void discard();

    const CpuParams& params() const { return p_; }
    uint64_t busy_cycles() const { return busy_.value(); }

private:
    // take() when some event was counted.
    sc_core::sc_time take_counted(bool irq);

    CpuParams p_;
    double mhz_;  // cpu.clock_mhz, converted once
    StatGroup stats_;
    Counter& busy_;
    Counter& irq_busy_;
    Counter* events_[SMMUSIM_CPU_EVENTS];
    // Cycles charged so far (exact sum) and the simulated time they made
    // (picoseconds, rounded down from the sum, so no rounding accumulates).
    double cycles_ = 0;
    uint64_t charged_ps_ = 0;
};

}  // namespace smmusim::kshim
