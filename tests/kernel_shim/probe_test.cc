// SPDX-License-Identifier: GPL-2.0-only
// The real drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3.c, compiled unmodified,
// probes and removes the SMMUv3 model through its platform_driver (a
// platform without the CMDQV).
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "kernel_shim.h"
#include "shim_setup.h"
#include "smmuv3/cmdq.h"
#include "support/in_child.h"
#include "support/testbench.h"

namespace smmusim::kshim {
namespace {

using smmusim::test::TestBench;

// These tests are about the SMMUv3 driver alone: a platform without the
// CMDQV, so the device tree has no CMDQV node (cmdqv_test.cc has it).
const std::vector<std::string> kSmmuOnly = {"cmdqv.present=false"};

uint64_t cmdq_consumed(TestBench& b) { return b.smmu().cmdq().stats().value("consumed"); }

TEST(KernelShimProbe, ArmSmmuV3ProbesTheModel)
{
    TestBench bench(kSmmuOnly);
    KernelShim ks(bench.soc());
    ASSERT_FALSE(bench.soc().has_cmdqv());

    ASSERT_NO_FATAL_FAILURE(expect_smmu_probed(ks));

    // The driver's own messages (arm_smmu_device_hw_probe, queue setup).
    EXPECT_TRUE(ks.log_contains("allocated")) << ks.dmesg();
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
    const auto st = ks.alloc_stats();
    printf("probe: %llu SMMU cycles, %llu kmallocs (%llu live), %llu DMA buffers\n",
           static_cast<unsigned long long>(ks.probe_cycles()), static_cast<unsigned long long>(st.kmalloc_calls),
           static_cast<unsigned long long>(st.kmalloc_live), static_cast<unsigned long long>(st.dma_allocs));
    EXPECT_GT(ks.probe_cycles(), 0u);
}

// Probes in a fresh child process (a SystemC simulation cannot restart)
// and reports "<probe cycles> <commands consumed> <end time ns>".
std::string probe_in_child()
{
    return smmusim::test::in_child([] {
        TestBench bench(kSmmuOnly);
        KernelShim ks(bench.soc());
        const int ret = ks.probe_smmu();
        return ret ? std::string("probe failed")
                   : std::to_string(ks.probe_cycles()) + " " + std::to_string(cmdq_consumed(bench)) + " " +
                         std::to_string(ks.now_ns());
    });
}

TEST(KernelShimProbe, ProbeIsDeterministic)
{
    const std::string a = probe_in_child();
    const std::string b = probe_in_child();
    printf("probe (cycles, commands, end ns): %s\n", a.c_str());
    ASSERT_NE(a, "probe failed");
    EXPECT_EQ(a, b);

    // The figure for the default configuration and the kernel this was
    // written against. It changes with the model's timing parameters, the
    // CPU cost model's (cpu.*: 5630 without it) or the kernel version; then
    // update it (the test prints the new value).
    if (std::string(SMMUSIM_KERNEL_VERSION) == "7.3.4") {
        EXPECT_EQ(a.substr(0, a.find(' ')), "6529") << "probe cycle count changed (model timing or driver?)";
    }
}

TEST(KernelShimProbe, RemoveReleasesEverything)
{
    TestBench bench(kSmmuOnly);
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
    // The driver registration itself (one record) went with the exitcalls.
    expect_all_released(ks);
    // arm_smmu_device_disable (the devres action): everything off.
    EXPECT_FALSE(bench.smmu().smmu_enabled());
    EXPECT_FALSE(bench.smmu().cmdq_enabled());
    EXPECT_FALSE(bench.smmu().evtq_enabled());
}

// Allocation failure injection: the n-th kmalloc of probe_smmu() fails
// (n = 0 .. 6 are the shim's own device-tree node; later ones are the
// driver's). The driver tolerates some failures (it then probes anyway);
// otherwise the probe must fail and unwind. Either way nothing may warn,
// and nothing may stay allocated once the device is gone.
class KernelShimAllocFailure : public testing::TestWithParam<int> {};

TEST_P(KernelShimAllocFailure, ProbeFailsCleanly)
{
    TestBench bench(kSmmuOnly);
    KernelShim ks(bench.soc());
    ks.boot();
    ks.fail_kmalloc_after(GetParam());
    const int ret = ks.probe_smmu();
    EXPECT_EQ(ks.alloc_stats().kmalloc_failed, 1u);
    if (ret != 0) {
        EXPECT_FALSE(ks.smmu_bound());
        EXPECT_EQ(ks.smmu_devres_count(), 0);
    } else {
        EXPECT_TRUE(ks.smmu_bound());
        EXPECT_TRUE(bench.smmu().smmu_enabled());
    }
    RecordProperty("probe_result", ret);
    EXPECT_TRUE(ks.failures().empty()) << ks.failures_text() << ks.dmesg();
    ks.remove_smmu();
    expect_all_released(ks);
}

INSTANTIATE_TEST_SUITE_P(FirstAllocations, KernelShimAllocFailure, testing::Range(0, 22));

}  // namespace
}  // namespace smmusim::kshim
