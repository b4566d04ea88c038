// SPDX-License-Identifier: GPL-2.0-only
#include "host.h"

#include <cstdio>
#include <cstdlib>
#include <algorithm>
#include <stdexcept>

#include "smmusim/kernel.h"

namespace smmusim::kshim {

namespace {
Host* g_host = nullptr;
}

Host& host()
{
    if (!g_host) {
        fprintf(stderr, "smmusim kernel shim: kernel code ran without a KernelShim\n");
        abort();
    }
    return *g_host;
}

DramLayout::DramLayout(Memory& dram, const ShimOptions& opts)
{
    const auto& regions = dram.regions();
    if (regions.empty())
        throw std::logic_error("kernel shim: the platform has no DRAM");
    const auto& r = regions.front();
    if (opts.dma_offset + opts.dma_size > r.size)
        throw std::invalid_argument("kernel shim: DMA pool outside DRAM");
    dma_base = r.base + opts.dma_offset;
    user_base = r.base + opts.user_offset;
    user_size = opts.user_offset < r.size ? std::min(opts.user_size, r.size - opts.user_offset) : 0;
    if (opts.user_offset < opts.dma_offset + opts.dma_size && opts.user_offset + user_size > opts.dma_offset)
        throw std::invalid_argument("kernel shim: user memory overlaps the DMA pool");
}

Host::Host(Board& b, const ShimOptions& o)
    : board(b),
      opts(o),
      layout(b.memory(), opts),
      log(opts.echo_log),
      cpu(0, b.sev(), opts.cpu),
      oops(cpu),
      sched(cpu, log, opts),
      kmem(b.memory(), layout.dma_base, opts.dma_size, log),
      mmio(b, sched, log),
      irqs(b.irqc(), sched, log, opts),
      kthreads(sched, log, opts),
      user(b.memory(), layout.user_base, layout.user_size),
      devices(*this),
      iommu(*this),
      process(*this)
{
    g_host = this;
    smmusim_kernel_init();
    CpuCost::discard();  // boot-time set-up before any CPU runs is free
}

Host::~Host() { g_host = nullptr; }

}  // namespace smmusim::kshim
