// SPDX-License-Identifier: GPL-2.0-only
// Endpoints and paging domains through the real iommu core
// (drivers/iommu/iommu.c and of_iommu.c, compiled unmodified): a DMA master
// described in the device tree ("iommus" = <&smmu sid>) is probed with the
// SMMU, gets a group and a default domain (its STE written by the driver
// into the simulated stream table), and an in-kernel user allocates a
// paging domain, attaches, maps and unmaps; the driver's invalidations
// reach the models. A platform without the CMDQV (cmdqv_test.cc has the
// VCMDQ routing).
#include <cstdio>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "kernel_shim.h"
#include "shim_setup.h"
#include "smmuv3/cmdq.h"
#include "smmuv3/smmuv3_regs.h"
#include "support/stream_table.h"
#include "support/testbench.h"

namespace smmusim::kshim {
namespace {

using smmusim::test::TestBench;
using smmusim::test::ste_word;

const std::vector<std::string> kSmmuOnly = {"cmdqv.present=false"};

constexpr uint64_t kSteV = 1, kSteCfgS1Trans = 5;  // STE.V, STE.Config = S1 translate, S2 bypass
uint64_t ste_config(uint64_t w0) { return (w0 >> 1) & 7; }

TEST(KernelShimDomain, EndpointIsProbedIntoAGroupWithItsSteWritten)
{
    TestBench bench(kSmmuOnly);
    KernelShim ks(bench.soc());
    ASSERT_EQ(ks.probe_smmu(), 0) << ks.dmesg() << ks.failures_text();
    EXPECT_EQ(ste_word(bench, 0x10) & kSteV, 0u);

    const uint64_t cmds0 = bench.smmu().cmdq().stats().value("consumed");
    const int ep = ks.add_endpoint("dma0", {0x10});
    ASSERT_GE(ep, 0);
    EXPECT_TRUE(ks.endpoint_has_group(ep)) << ks.dmesg();
    EXPECT_TRUE(ks.log_contains("dma0: Adding to iommu group 0")) << ks.dmesg();
    // The default domain (translated, DMA) is attached: the driver wrote a
    // valid stage-1 STE and told the SMMU (CFGI_STE/CD + CMD_SYNC).
    const uint64_t w0 = ste_word(bench, 0x10);
    EXPECT_EQ(w0 & kSteV, kSteV);
    EXPECT_EQ(ste_config(w0), kSteCfgS1Trans);
    EXPECT_GT(bench.smmu().cmdq().stats().value("consumed"), cmds0);

    // A second endpoint gets a group of its own.
    const int ep2 = ks.add_endpoint("dma1", {0x11});
    ASSERT_GE(ep2, 0);
    EXPECT_TRUE(ks.log_contains("dma1: Adding to iommu group 1")) << ks.dmesg();
    EXPECT_EQ(ste_word(bench, 0x11) & kSteV, kSteV);

    EXPECT_TRUE(ks.failures().empty()) << ks.failures_text() << ks.dmesg();
    remove_smmu_cleanly(ks);
    EXPECT_EQ(ks.alloc_stats().dma_live, 0u);
}

// An endpoint with several stream IDs (one "iommus" specifier each): one
// master, one group, an STE per stream ID; the trace's "sid=S1,S2".
TEST(KernelShimDomain, AnEndpointWithTwoStreamIdsGetsAnSteForEach)
{
    TestBench bench(kSmmuOnly);
    KernelShim ks(bench.soc());
    ASSERT_EQ(ks.probe_smmu(), 0) << ks.dmesg() << ks.failures_text();
    const int ep = ks.add_endpoint("dma0", {0x10, 0x13});
    ASSERT_GE(ep, 0);
    EXPECT_TRUE(ks.endpoint_has_group(ep)) << ks.dmesg();
    for (uint32_t sid : {0x10u, 0x13u}) {
        const uint64_t w0 = ste_word(bench, sid);
        EXPECT_EQ(w0 & kSteV, kSteV) << "SID " << sid;
        EXPECT_EQ(ste_config(w0), kSteCfgS1Trans) << "SID " << sid;
    }
    // The stream ID between them is no one's (the driver's initial STE).
    EXPECT_NE(ste_config(ste_word(bench, 0x11)), kSteCfgS1Trans);
    // A paging domain attaches to both streams: one CD table for the master.
    const int dom = ks.domain_alloc(ep);
    ASSERT_GE(dom, 0) << ks.dmesg();
    ASSERT_EQ(ks.domain_attach(dom, ep), 0) << ks.dmesg();
    EXPECT_EQ(ste_word(bench, 0x10), ste_word(bench, 0x13));
    EXPECT_EQ(ste_config(ste_word(bench, 0x13)), kSteCfgS1Trans);
    ks.domain_detach(dom, ep);
    ks.domain_free(dom);
    EXPECT_TRUE(ks.failures().empty()) << ks.failures_text() << ks.dmesg();
}

TEST(KernelShimDomain, MapUnmapThroughAPagingDomain)
{
    TestBench bench(kSmmuOnly);
    KernelShim ks(bench.soc());
    ASSERT_EQ(ks.probe_smmu(), 0) << ks.dmesg() << ks.failures_text();
    int ep = -1, dom = -1;
    ASSERT_NO_FATAL_FAILURE(attach_paging_domain(ks, ep, dom));

    const uint64_t pa = bench.dram(0x200000);
    // 2 MiB at a 2 MiB-aligned IOVA and PA: one block mapping; then pages.
    ASSERT_EQ(ks.domain_map(dom, 0x40000000, pa, 0x200000), 0);
    ASSERT_EQ(ks.domain_map(dom, 0x10000, pa, 0x3000, false), 0);
    EXPECT_EQ(ks.domain_iova_to_phys(dom, 0x40123456), pa + 0x123456);
    EXPECT_EQ(ks.domain_iova_to_phys(dom, 0x12abc), pa + 0x2abc);
    EXPECT_EQ(ks.domain_iova_to_phys(dom, 0x13000), 0u);
    // Misaligned: the iommu core refuses (-EINVAL) before the driver sees it.
    EXPECT_EQ(ks.domain_map(dom, 0x20001, pa, 0x1000), -22);

    const uint64_t cmds0 = bench.smmu().cmdq().stats().value("consumed");
    EXPECT_EQ(ks.domain_unmap(dom, 0x10000, 0x3000), 0x3000u);
    const uint64_t page_cycles = ks.last_cycles();
    const uint64_t after_pages = bench.smmu().cmdq().stats().value("consumed");
    EXPECT_GT(after_pages, cmds0);  // TLBI (range or per page) + CMD_SYNC
    EXPECT_EQ(ks.domain_unmap(dom, 0x40000000, 0x200000), 0x200000u);
    EXPECT_GT(bench.smmu().cmdq().stats().value("consumed"), after_pages);
    EXPECT_EQ(ks.domain_iova_to_phys(dom, 0x40123456), 0u);
    EXPECT_TRUE(ks.failures().empty()) << ks.failures_text();
    // Unmapping what was never mapped is a caller bug: io-pgtable unmaps
    // nothing and WARNs, and the shim records the kernel's WARN.
    EXPECT_EQ(ks.domain_unmap(dom, 0x80000000, 0x1000), 0u);
    ASSERT_EQ(ks.failures().size(), 1u);
    EXPECT_EQ(ks.failures()[0].kind, "WARN");
    EXPECT_NE(ks.failures()[0].message.find("io-pgtable-arm.c"), std::string::npos);
    printf("unmap of 3 pages (ASID %u): %llu SMMU cycles\n", ks.domain_asid(dom),
           static_cast<unsigned long long>(page_cycles));
    EXPECT_GT(page_cycles, 0u);

    // Detach: the group goes back to its default domain.
    ks.domain_detach(dom, ep);
    EXPECT_EQ(ste_config(ste_word(bench, 0x10)), kSteCfgS1Trans);
    ks.domain_free(dom);
    ks.remove_smmu();
    EXPECT_EQ(ks.failures().size(), 1u) << ks.failures_text() << ks.dmesg();
    EXPECT_EQ(ks.alloc_stats().kmalloc_live, 0u) << ks.live_kmallocs();
    EXPECT_EQ(ks.alloc_stats().dma_live, 0u);
}

TEST(KernelShimDomain, BadEndpointAndDomainArgumentsFailCleanly)
{
    TestBench bench(kSmmuOnly);
    KernelShim ks(bench.soc());
    EXPECT_EQ(ks.add_endpoint("dma0", {0x10}), -19);  // no SMMU yet: ENODEV
    ASSERT_EQ(ks.probe_smmu(), 0);
    EXPECT_EQ(ks.add_endpoint("dma0", {}), -22);
    EXPECT_EQ(ks.domain_alloc(7), -22);
    EXPECT_TRUE(ks.failures().empty()) << ks.failures_text();
}

}  // namespace
}  // namespace smmusim::kshim
