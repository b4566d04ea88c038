// SPDX-License-Identifier: GPL-2.0-only
// The host side of the kernel shim, whole: the parts behind the facade
// (kernel_shim.h) and the C ABI (c_abi.cc, implementing smmusim/host.h),
// private to kernel_shim/host/. One per process: kernel code reaches it
// through host().
//
//   per CPU        cpu (Cpu: one instance today)
//   shared         log, sched (CPU jobs, waits), kmem (heap, DMA pool),
//                  mmio, irqs, kthreads, user memory, devices, iommu API,
//                  process
#pragma once

#include <cstdint>
#include <functional>

#include <systemc>

#include "cpu.h"
#include "devices.h"
#include "iommu_api.h"
#include "irq_threads.h"
#include "klog.h"
#include "kmem.h"
#include "kthreads.h"
#include "mmio.h"
#include "oops.h"
#include "options.h"
#include "platform/board.h"
#include "process.h"
#include "scheduler.h"
#include "user_memory.h"

namespace smmusim::kshim {

// Where the shim's pools lie in DRAM (checked against the board).
struct DramLayout {
    DramLayout(Memory& dram, const ShimOptions& opts);
    uint64_t dma_base, user_base, user_size;
};

struct Host {
    Host(Board& board, const ShimOptions& opts);
    ~Host();
    Host(const Host&) = delete;
    Host& operator=(const Host&) = delete;

    Board& board;
    ShimOptions opts;
    DramLayout layout;
    Klog log;
    Cpu cpu;
    OopsGuard oops;  // a host fault in kernel code: the kernel's oops (oops.h)
    Scheduler sched;
    Kmem kmem;
    Mmio mmio;
    IrqThreads irqs;
    Kthreads kthreads;
    UserMemory user;
    Devices devices;
    IommuApi iommu;
    Process process;
    // SMMU cycles the last timed() call took.
    uint64_t last_cycles = 0;

    bool run(const std::function<void()>& body, sc_core::sc_time limit = sc_core::sc_time(10, sc_core::SC_SEC))
    {
        return sched.run(body, limit);
    }
    // Runs fn on the simulated CPU and records the SMMU cycles it took.
    template <class F> auto timed(F&& fn)
    {
        decltype(fn()) ret{};
        run([&] {
            const uint64_t t0 = board.smmu_clock().now();
            ret = fn();
            sched.charge();
            last_cycles = board.smmu_clock().now() - t0;
        });
        return ret;
    }
};

// The one Host of the process (kernel code running without one aborts).
Host& host();

}  // namespace smmusim::kshim
