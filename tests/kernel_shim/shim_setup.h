// SPDX-License-Identifier: GPL-2.0-only
// Set-up steps and checks the kernel shim's tests share, each asserting
// what it needs (call the steps through ASSERT_NO_FATAL_FAILURE so that a
// failed step ends the test).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "kernel_shim.h"

namespace smmusim::kshim {

// A DMA master `name` with the stream IDs `sids` (probed into its group),
// in a new paging domain, attached: `ep` and `dom` are their handles.
inline void attach_paging_domain(KernelShim& ks, int& ep, int& dom, const std::string& name = "dma0",
                                 const std::vector<uint32_t>& sids = {0x10})
{
    ep = ks.add_endpoint(name, sids);
    ASSERT_GE(ep, 0) << ks.dmesg();
    dom = ks.domain_alloc(ep);
    ASSERT_GE(dom, 0) << ks.dmesg();
    ASSERT_EQ(ks.domain_attach(dom, ep), 0) << ks.dmesg();
}

// arm_smmu_device_probe succeeded and bound the driver with no failure,
// and the driver said what it found (OAS) and set up its command queue.
inline void expect_smmu_probed(KernelShim& ks)
{
    ASSERT_EQ(ks.probe_smmu(), 0) << ks.dmesg() << ks.failures_text();
    EXPECT_TRUE(ks.failures().empty()) << ks.failures_text() << ks.dmesg();
    EXPECT_TRUE(ks.smmu_bound());
    EXPECT_EQ(ks.iommus_registered(), 1);
    EXPECT_TRUE(ks.log_contains("arm-smmu-v3 10000000.iommu: oas 48-bit")) << ks.dmesg();
    EXPECT_TRUE(ks.log_contains("entries for cmdq")) << ks.dmesg();
}

// Removes the driver: nothing fails, and no kmalloc is left.
inline void remove_smmu_cleanly(KernelShim& ks)
{
    ks.remove_smmu();
    EXPECT_TRUE(ks.failures().empty()) << ks.failures_text() << ks.dmesg();
    EXPECT_EQ(ks.alloc_stats().kmalloc_live, 0u) << ks.live_kmallocs();
}

// After the driver is removed: nothing it allocated is left (kmalloc, DMA
// memory, ioremaps, IRQs).
inline void expect_all_released(KernelShim& ks)
{
    const auto after = ks.alloc_stats();
    EXPECT_EQ(after.kmalloc_live, 0u) << ks.live_kmallocs();
    EXPECT_EQ(after.dma_live, 0u);
    EXPECT_EQ(after.ioremap_live, 0u);
    EXPECT_EQ(after.irqs_live, 0u);
}

}  // namespace smmusim::kshim
