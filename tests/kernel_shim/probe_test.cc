// SPDX-License-Identifier: GPL-2.0-only
// The real drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3.c, compiled unmodified,
// probes and removes the SMMUv3 model through its platform_driver.
#include <gtest/gtest.h>

#include "bridge.h"
#include "smmuv3/cmdq.h"
#include "support/bench.h"

namespace smmusim::kshim {
namespace {

using smmusim::test::Bench;

uint64_t cmdq_consumed(Bench& b) { return b.smmu().cmdq().stats().value("consumed"); }

TEST(KernelShimProbe, ArmSmmuV3ProbesTheModel)
{
    Bench bench;
    KernelShim ks(bench.soc());

    ASSERT_EQ(ks.probe_smmu(), 0) << ks.dmesg() << ks.failures_text();
    EXPECT_TRUE(ks.failures().empty()) << ks.failures_text() << ks.dmesg();
    EXPECT_TRUE(ks.smmu_bound());
    EXPECT_EQ(ks.iommus_registered(), 1);

    // The driver's own messages (arm_smmu_device_hw_probe, queue setup).
    EXPECT_TRUE(ks.log_contains("arm-smmu-v3 10000000.iommu: oas 48-bit")) << ks.dmesg();
    EXPECT_TRUE(ks.log_contains("allocated")) << ks.dmesg();
    EXPECT_TRUE(ks.log_contains("entries for cmdq")) << ks.dmesg();
    EXPECT_TRUE(ks.log_contains("entries for evtq")) << ks.dmesg();
    // Wired interrupts: the tree has no msi-parent.
    EXPECT_TRUE(ks.log_contains("msi_domain absent - falling back to wired irqs")) << ks.dmesg();

    // arm_smmu_device_reset: queues and translation enabled and acknowledged.
    auto& smmu = bench.smmu();
    EXPECT_TRUE(smmu.smmu_enabled());
    EXPECT_TRUE(smmu.cmdq_enabled());
    EXPECT_TRUE(smmu.evtq_enabled());
    // CFGI_ALL + CMD_SYNC, TLBI_EL2_ALL + TLBI_NSNH_ALL + CMD_SYNC (at least).
    EXPECT_GE(cmdq_consumed(bench), 5u);
    EXPECT_EQ(smmu.cmdq().stats().value("errors"), 0u);
    // The driver requested its event queue and global error interrupts.
    EXPECT_EQ(ks.alloc_stats().irqs_live, 2u);

    // SystemC is deterministic: the probe always takes the same number of
    // SMMU cycles (update when the model's timing or the kernel changes).
    RecordProperty("probe_cycles", std::to_string(ks.probe_cycles()));
    EXPECT_GT(ks.probe_cycles(), 0u);
}

TEST(KernelShimProbe, ProbeIsDeterministic)
{
    // Same configuration, same simulated cycle count as the first test's
    // figure; also printed for the report.
    Bench bench;
    KernelShim ks(bench.soc());
    ASSERT_EQ(ks.probe_smmu(), 0) << ks.failures_text();
    printf("probe took %llu SMMU cycles (%llu ns simulated in total)\n",
           static_cast<unsigned long long>(ks.probe_cycles()), static_cast<unsigned long long>(ks.now_ns()));
#ifdef SMMUSIM_KERNEL_PROBE_CYCLES
    EXPECT_EQ(ks.probe_cycles(), SMMUSIM_KERNEL_PROBE_CYCLES);
#endif
}

TEST(KernelShimProbe, RemoveReleasesEverything)
{
    Bench bench;
    KernelShim ks(bench.soc());
    ks.boot();
    const auto before = ks.alloc_stats();
    ASSERT_EQ(ks.probe_smmu(), 0) << ks.failures_text();
    const auto bound = ks.alloc_stats();
    EXPECT_GT(bound.kmalloc_live, before.kmalloc_live);
    EXPECT_GT(bound.dma_live, 0u);
    EXPECT_EQ(bound.ioremap_live, 2u);  // page 0 and page 1
    EXPECT_GT(ks.smmu_devres_count(), 0);

    ks.remove_smmu();
    EXPECT_TRUE(ks.failures().empty()) << ks.failures_text() << ks.dmesg();
    EXPECT_FALSE(ks.smmu_bound());
    EXPECT_EQ(ks.iommus_registered(), 0);
    const auto after = ks.alloc_stats();
    // The driver registration itself (one record) went with the exitcalls.
    EXPECT_EQ(after.kmalloc_live, 0u) << after.kmalloc_live_bytes << " bytes still allocated";
    EXPECT_EQ(after.dma_live, 0u);
    EXPECT_EQ(after.ioremap_live, 0u);
    EXPECT_EQ(after.irqs_live, 0u);
    // arm_smmu_device_disable (the devres action): everything off.
    EXPECT_FALSE(bench.smmu().smmu_enabled());
    EXPECT_FALSE(bench.smmu().cmdq_enabled());
    EXPECT_FALSE(bench.smmu().evtq_enabled());
}

TEST(KernelShimProbe, AllocationFailureUnwindsCleanly)
{
    Bench bench;
    KernelShim ks(bench.soc());
    ks.boot();
    const auto before = ks.alloc_stats();
    ks.fail_kmalloc_after(0);  // the very first allocation of the probe
    EXPECT_EQ(ks.probe_smmu(), -12);  // -ENOMEM
    EXPECT_FALSE(ks.smmu_bound());
    EXPECT_TRUE(ks.failures().empty()) << ks.failures_text();
    const auto after = ks.alloc_stats();
    EXPECT_EQ(after.kmalloc_failed, 1u);
    EXPECT_EQ(ks.smmu_devres_count(), 0);
    EXPECT_EQ(after.dma_live, 0u);
    EXPECT_EQ(after.ioremap_live, 0u);
    // Only the device (built before the probe) is live beyond the baseline.
    ks.remove_smmu();
    EXPECT_EQ(ks.alloc_stats().kmalloc_live, 0u);
    (void)before;
}

}  // namespace
}  // namespace smmusim::kshim
