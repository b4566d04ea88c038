// SPDX-License-Identifier: GPL-2.0-only
// The kernel shim's options: where its memory pools lie in DRAM, the
// simulated CPU's timing figures, its stack size, and the device tree's
// choices. The timing figures are `kernel.*` parameters (declared once
// below, with range, unit and source, as the models' are), so a Config
// (TOML, `--set`) sets them and `smmusim params` lists them.
#pragma once

#include <cstddef>
#include <cstdint>

#include "cpu_cost.h"
#include "endpoint/endpoint_params.h"
#include "platform/params.h"

namespace smmusim::kshim {

// X(type, field, "key", default, min, max, "unit", "description", "source")
#define SMMUSIM_KERNEL_PARAMS(X)                                                                              \
    X(uint64_t, cpu_relax_ns, "kernel.cpu_relax_ns", 10, 1, 1000000000ull, "ns",                              \
      "simulated time one cpu_relax() takes (a step of every busy-wait loop: smp_cond_load_relaxed(), the "   \
      "drivers' polls); also how often a masked interrupt is retried",                                       \
      "assumed: a few pipeline-pause instructions (arm64 YIELD/ISB) on a GHz core")                           \
    X(uint64_t, wfe_timeout_ns, "kernel.wfe_timeout_ns", 1000, 1, 1000000000ull, "ns",                       \
      "longest a WFE waits when no SEV comes (stands in for the arm64 event stream)",                         \
      "assumed: shorter than Linux's 100 us event stream (Linux 7.3 include/clocksource/arm_arch_timer.h: ARCH_TIMER_EVT_STREAM_PERIOD_US = 100), so unsignalled "    \
      "waits stay cheap to simulate")

SMMUSIM_PARAM_STRUCT(KernelParams, SMMUSIM_KERNEL_PARAMS);

struct ShimOptions {
    // DMA pool (dma_alloc_coherent, page tables) inside DRAM.
    uint64_t dma_offset = 512ull << 20;  // from mem.dram_base
    uint64_t dma_size = 256ull << 20;
    // What a cpu_relax() costs, and how long a WFE waits for an event
    // (kernel.cpu_relax_ns, kernel.wfe_timeout_ns).
    uint64_t cpu_relax_ns = KernelParams{}.cpu_relax_ns;
    uint64_t wfe_timeout_ns = KernelParams{}.wfe_timeout_ns;
    // arm64 CPU capability ARM64_HAS_VIRT_HOST_EXTN (kernel at EL2).
    bool vhe = true;
    // Stack of every kernel thread (CPU and interrupt threads).
    size_t stack_bytes = 8u << 20;
    // Also print the kernel log on stderr as it is written (default:
    // when the environment variable SMMUSIM_DMESG is set).
    bool echo_log = false;
    // Frames for the simulated process's user memory (user_alloc):
    // DRAM offset and size (default: right after the DMA pool, 256 MiB).
    uint64_t user_offset = 768ull << 20;
    uint64_t user_size = 256ull << 20;
    // The soft-lockup detector: a CPU context that busy-waits (cpu_relax,
    // WFE, udelay) without sleeping for this long of simulated time is
    // reported as the kernel's watchdog reports it, and stopped. Default
    // 20 s: Linux's soft-lockup threshold, 2 x watchdog_thresh (10 s,
    // kernel/watchdog.c). 0 turns it off. A trace sets it with
    // `kernel param watchdog_thresh=S` (seconds, as the kernel's).
    uint64_t softlockup_ns = 20000000000ull;
    // Put the CMDQV in the device tree (its node, and the SMMU node's
    // "nvidia,cmdqv" phandle) when the platform has one.
    bool cmdqv_node = true;
    // The PCI host bridge's node says "ats-supported" (the root complex
    // forwards ATS; without it the iommu core gives its functions no
    // IOMMU_FWSPEC_PCI_RC_ATS and the driver never enables ATS).
    bool pci_ats_supported = true;
    // A PCI endpoint's ATS capability and ATC (endpoint.*, run
    // parameters declared with kernel.*).
    EndpointParams endpoint;
    // The CPU cost model (cpu.*, run parameters declared with kernel.*).
    CpuParams cpu;
};

// Declares the kernel.*, cpu.* and endpoint.* parameters in `cfg` (for the
// provider registry that declares every parameter of a run).
void declare_kernel_params(Config& cfg);
// The options of a run: the defaults, with the kernel.* and endpoint.* parameters of
// `cfg` (which must have them declared).
ShimOptions shim_options(const Config& cfg);

}  // namespace smmusim::kshim
