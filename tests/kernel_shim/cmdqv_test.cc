// SPDX-License-Identifier: GPL-2.0-only
// The real arm-smmu-v3.c and tegra241-cmdqv.c, compiled unmodified, probe
// the SMMUv3 and the Tegra241 CMDQV models from a Tegra264-style device tree
// (arm,smmu-v3 node with an nvidia,cmdqv phandle), route in-kernel
// invalidations to VINTF0's VCMDQs (or, with bypass_vcmdq, to the SMMU
// CMDQ), recover from a command error through the CMDQV interrupt, and
// remove cleanly.
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "kernel_shim.h"
#include "shim_setup.h"
#include "cmdqv/cmdqv.h"
#include "cmdqv/cmdqv_regs.h"
#include "smmuv3/cmdq.h"
#include "support/testbench.h"

namespace smmusim::kshim {
namespace {

using smmusim::test::TestBench;
namespace cq = smmusim::cmdqv;

constexpr const char* kVcmdq0 = "soc.cmdqv.vcmdq0";
constexpr const char* kSmmuCmdq = "soc.smmu.cmdq";

// Every command the shared engine executes, by the name of its queue.
struct EngineLog {
    explicit EngineLog(Smmuv3& smmu) : smmu_(smmu)
    {
        smmu.engine().add_observer([this](unsigned src, const smmuv3::Command& c) {
            const std::string& q = smmu_.engine().source_name(src);
            by_queue[q]++;
            seq.push_back(q + ":" + smmuv3::opcode_name(static_cast<uint8_t>(c.op)));
        });
    }
    void clear()
    {
        by_queue.clear();
        seq.clear();
    }
    uint64_t count(const std::string& q) const
    {
        auto it = by_queue.find(q);
        return it == by_queue.end() ? 0 : it->second;
    }
    std::string text() const
    {
        std::string s;
        for (const auto& e : seq)
            s += e + "\n";
        return s;
    }
    std::map<std::string, uint64_t> by_queue;
    std::vector<std::string> seq;

private:
    Smmuv3& smmu_;
};

// The kernel under test is at least major.minor.
bool kernel_at_least(int major, int minor)
{
    int ma = 0, mi = 0;
    if (sscanf(SMMUSIM_KERNEL_VERSION, "%d.%d", &ma, &mi) != 2)
        return false;
    return ma > major || (ma == major && mi >= minor);
}

// From 7.3 on, a "nvidia,tegra264-smmu" node turns on the driver's
// repeat-TLBI/CFGI erratum workaround: a TLBI or CFGI list issued with a
// sync is issued again, sync included.
unsigned tlbi_repeats() { return kernel_at_least(7, 3) ? 2 : 1; }

uint32_t cmdqv_reg(TestBench& b, uint32_t off) { return static_cast<uint32_t>(b.soc().cmdqv().bank().get(off)); }

uint64_t vcmdq_stat(TestBench& b, unsigned q, const char* name) { return b.soc().cmdqv().vcmdq(q).stats().value(name); }

TEST(KernelShimCmdqv, Tegra241CmdqvProbeEnablesVintf0)
{
    TestBench bench;
    KernelShim ks(bench.soc());
    ASSERT_TRUE(bench.soc().has_cmdqv());

    ASSERT_NO_FATAL_FAILURE(expect_smmu_probed(ks));
    EXPECT_TRUE(ks.cmdqv_in_dt());

    // The SMMU driver's messages (above), and none of tegra241_cmdqv_probe's
    // fall-back or error messages.
    // tegra241_vcmdq_alloc_smmu_cmdq -> arm_smmu_init_one_queue, per LVCMDQ.
    EXPECT_TRUE(ks.log_contains("arm-smmu-v3 10000000.iommu: allocated 262144 entries for vcmdq0")) << ks.dmesg();
    EXPECT_TRUE(ks.log_contains("arm-smmu-v3 10000000.iommu: allocated 262144 entries for vcmdq1")) << ks.dmesg();
    EXPECT_FALSE(ks.log_contains("Falling back to standard SMMU CMDQ")) << ks.dmesg();
    EXPECT_FALSE(ks.log_contains("no interrupt")) << ks.dmesg();
    EXPECT_FALSE(ks.log_contains("tegra241_cmdqv: ")) << ks.dmesg();

    // tegra241_cmdqv_hw_reset: CMDQV enabled.
    auto& cmdqv = bench.soc().cmdqv();
    EXPECT_TRUE(cmdqv.enabled());
    EXPECT_EQ(cmdqv_reg(bench, cq::STATUS) & 1u, 1u);
    // tegra241_vintf_hw_init(vintf0, hyp_own = true): VINTF0 enabled, HYP_OWN, VMID 0.
    EXPECT_TRUE(cmdqv.vintf_enabled(0));
    const uint32_t vcfg = cmdqv_reg(bench, cq::vintf(0) + cq::VINTF_CONFIG);
    EXPECT_EQ(vcfg, (1u << 17) | 1u) << std::hex << vcfg;
    EXPECT_FALSE(cmdqv.vintf_enabled(1));
    // CMDQ_ALLOC: VCMDQ0/1 mapped to VINTF0 LVCMDQ0/1, the rest assigned
    // (VINTF, LVCMDQ fields) but not allocated.
    EXPECT_EQ(cmdqv_reg(bench, cq::cmdq_alloc(0)), 0x1u);
    EXPECT_EQ(cmdqv_reg(bench, cq::cmdq_alloc(1)), (1u << 1) | 1u);
    EXPECT_EQ(cmdqv_reg(bench, cq::cmdq_alloc(2)), 1u << 15);
    EXPECT_EQ(cmdqv_reg(bench, cq::cmdq_alloc(127)), (63u << 15) | (1u << 1));
    EXPECT_EQ(cmdqv.lvcmdq(0, 0), 0);
    EXPECT_EQ(cmdqv.lvcmdq(0, 1), 1);
    EXPECT_EQ(cmdqv.lvcmdq(1, 0), -1);
    // tegra241_vcmdq_hw_init: both enabled, with the driver's queues.
    for (unsigned q = 0; q < 2; q++) {
        EXPECT_TRUE(cmdqv.vcmdq(q).hw_enabled()) << q;
        EXPECT_EQ(cmdqv.vcmdq(q).reg(0, cq::VCMDQ_STATUS) & 1u, 1u) << q;
        EXPECT_NE(cmdqv.vcmdq(q).base_pa(), 0u) << q;
    }
    EXPECT_FALSE(cmdqv.vcmdq(2).hw_enabled());
    EXPECT_EQ(cmdqv.stats().value("alloc_violations"), 0u);
    EXPECT_EQ(cmdqv.stats().value("errors"), 0u);

    // eventq, gerror and the CMDQV's error interrupt.
    EXPECT_EQ(ks.alloc_stats().irqs_live, 3u);
    // SMMU page 0 and page 1, and the CMDQV.
    EXPECT_EQ(ks.alloc_stats().ioremap_live, 3u);
    printf("probe with CMDQV: %llu SMMU cycles\n", static_cast<unsigned long long>(ks.probe_cycles()));
    RecordProperty("probe_cycles", std::to_string(ks.probe_cycles()));
}

TEST(KernelShimCmdqv, NoCmdqvNodeMeansNoCmdqvProbe)
{
    // The platform has a CMDQV, but the device tree does not describe it:
    // the driver must leave it alone.
    TestBench bench;
    KernelShim::Options o;
    o.cmdqv_node = false;
    KernelShim ks(bench.soc(), o);
    ASSERT_EQ(ks.probe_smmu(), 0) << ks.dmesg() << ks.failures_text();
    EXPECT_TRUE(ks.failures().empty()) << ks.failures_text();
    EXPECT_FALSE(ks.cmdqv_in_dt());
    EXPECT_FALSE(bench.soc().cmdqv().enabled());
    EXPECT_EQ(bench.soc().cmdqv().stats().value("reg_writes"), 0u);
    EXPECT_EQ(ks.alloc_stats().irqs_live, 2u);
}

TEST(KernelShimCmdqv, IllegalCommandOnVcmdqIsRecoveredByTheIsr)
{
    TestBench bench;
    KernelShim ks(bench.soc());
    ASSERT_EQ(ks.probe_smmu(), 0) << ks.dmesg() << ks.failures_text();
    EngineLog eng(bench.smmu());
    auto& cmdqv = bench.soc().cmdqv();
    const uint64_t consumed0 = vcmdq_stat(bench, 0, "consumed");

    // An opcode no SMMU knows, issued without a CMD_SYNC: with interrupts
    // masked while it waited for a sync, a single simulated CPU could never
    // take the CMDQV interrupt that unblocks it.
    bool secondary = false;
    EXPECT_EQ(ks.issue_cmd(0x7f, 0, false, &secondary), 0);
    EXPECT_TRUE(secondary) << "tegra241_cmdqv_get_cmdq did not pick a VCMDQ";
    ks.idle(sc_core::sc_time(100, sc_core::SC_US));

    // The model saw the error and raised the interrupt.
    EXPECT_EQ(vcmdq_stat(bench, 0, "errors"), 1u);
    EXPECT_EQ(cmdqv.stats().value("errors"), 1u);
    EXPECT_EQ(cmdqv.stats().value("irqs"), 1u);
    // tegra241_cmdqv_isr -> tegra241_vintf0_handle_error ->
    // __arm_smmu_cmdq_skip_err ran, on the VCMDQ.
    EXPECT_TRUE(ks.log_contains("tegra241_cmdqv: unexpected error reported. vintf_map: 0000000000000001, "
                                "vcmdq_map 00000000:00000000:00000000:00000001"))
        << ks.dmesg();
    EXPECT_TRUE(ks.log_contains("CMDQ error (cons 0x01000000): Illegal command")) << ks.dmesg();
    EXPECT_TRUE(ks.log_contains("skipping command in error state:")) << ks.dmesg();
    EXPECT_TRUE(ks.log_contains("0x000000000000007f")) << ks.dmesg();
    // Acknowledged: no error left anywhere, and the replacement CMD_SYNC ran.
    // (CONS.ERR keeps the code of the last error, as the SMMU's CMDQ_CONS.)
    EXPECT_EQ(cmdqv.vcmdq(0).reg(0, cq::VCMDQ_CONS) >> 24 & 0x7f, 1u);
    EXPECT_FALSE(cmdqv.vcmdq(0).error_active(cq::vcmdq_gerror::CMDQ_ERR));
    EXPECT_EQ(cmdqv.vcmdq(0).reg(0, cq::VCMDQ_GERROR), cmdqv.vcmdq(0).reg(0, cq::VCMDQ_GERRORN));
    EXPECT_EQ(cmdqv_reg(bench, cq::VINTF_ERR_MAP), 0u);
    EXPECT_EQ(cmdqv_reg(bench, cq::cmdq_err_map(0)), 0u);
    EXPECT_EQ(eng.count(kVcmdq0), 1u) << eng.text();
    EXPECT_EQ(vcmdq_stat(bench, 0, "consumed"), consumed0 + 1);

    // The queue continues: a TLBI with its CMD_SYNC, on the same VCMDQ
    // (twice from 7.3 on: tlbi_repeats()).
    eng.clear();
    const uint64_t tlbi_nh_asid = 0x11 | (5ull << 48);
    EXPECT_EQ(ks.issue_cmd(tlbi_nh_asid, 0, true, &secondary), 0) << ks.dmesg();
    EXPECT_TRUE(secondary);
    std::string expect;
    for (unsigned i = 0; i < tlbi_repeats(); i++)
        expect += "soc.cmdqv.vcmdq0:TLBI_NH_ASID\nsoc.cmdqv.vcmdq0:CMD_SYNC\n";
    EXPECT_EQ(eng.text(), expect);
    EXPECT_EQ(vcmdq_stat(bench, 0, "consumed"), consumed0 + 1 + 2 * tlbi_repeats());
    EXPECT_EQ(vcmdq_stat(bench, 0, "errors"), 1u);
    EXPECT_EQ(cmdqv.stats().value("irqs"), 1u);

    EXPECT_TRUE(ks.failures().empty()) << ks.failures_text() << ks.dmesg();
    remove_smmu_cleanly(ks);
}

// An endpoint (stream ID 0x10) attached to a paging domain with 16 KiB of
// 4 KiB pages mapped at IOVA 1 MiB, through the iommu core's own API.
struct Attached {
    int ep = -1, dom = -1;
    uint64_t pa = 0;
};

Attached attach_and_map(TestBench& bench, KernelShim& ks)
{
    Attached a;
    a.ep = ks.add_endpoint("dma0", {0x10});
    EXPECT_GE(a.ep, 0);
    EXPECT_TRUE(ks.endpoint_has_group(a.ep)) << ks.dmesg();
    a.dom = ks.domain_alloc(a.ep);
    EXPECT_GE(a.dom, 0) << ks.dmesg();
    EXPECT_EQ(ks.domain_attach(a.dom, a.ep), 0) << ks.dmesg();
    a.pa = bench.dram(0x100000);
    EXPECT_EQ(ks.domain_map(a.dom, 0x100000, a.pa, 0x4000), 0);
    EXPECT_EQ(ks.domain_iova_to_phys(a.dom, 0x102345), a.pa + 0x2345);
    return a;
}

TEST(KernelShimCmdqv, UnmapInvalidatesOnVcmdqOrWithBypassOnTheSmmuCmdq)
{
    TestBench bench;
    // The queues' own timing, compared: the CPU cost model is off (with it,
    // the VCMDQ path's extra driver code outweighs its quicker completion,
    // and a repeated unmap can end a cycle apart, as its CPU time in
    // picoseconds falls differently against the SMMU clock).
    KernelShim::Options opts;
    opts.cpu.cost_model = false;
    KernelShim ks(bench.soc(), opts);
    ASSERT_EQ(ks.probe_smmu(), 0) << ks.dmesg() << ks.failures_text();
    const Attached a = attach_and_map(bench, ks);
    ks.idle(sc_core::sc_time(1, sc_core::SC_US));
    EngineLog eng(bench.smmu());
    const uint64_t smmu0 = bench.smmu().cmdq().stats().value("consumed");
    const uint64_t vq0 = vcmdq_stat(bench, 0, "consumed");

    // iommu_unmap() of 16 KiB: io-pgtable clears the PTEs, then the driver's
    // iotlb_sync -> arm_smmu_domain_inv_range() for the domain's ASID, on
    // the queue tegra241_cmdqv_get_cmdq() picks.
    ASSERT_EQ(ks.domain_unmap(a.dom, 0x100000, 0x4000), 0x4000u);
    const uint64_t vcmdq_cycles = ks.last_cycles();
    EXPECT_EQ(ks.domain_iova_to_phys(a.dom, 0x102345), 0u);
    // The driver returns once it sees its CMD_SYNC complete; let the queues
    // finish their bookkeeping (CONS) before counting.
    ks.idle(sc_core::sc_time(1, sc_core::SC_US));
    const std::string vcmdq_seq = eng.text();
    const uint64_t on_vcmdq = eng.count(kVcmdq0);
    EXPECT_EQ(on_vcmdq, 2u * tlbi_repeats()) << vcmdq_seq;
    EXPECT_EQ(eng.count(kSmmuCmdq), 0u) << vcmdq_seq;
    EXPECT_EQ(vcmdq_stat(bench, 0, "consumed"), vq0 + on_vcmdq);
    EXPECT_EQ(bench.smmu().cmdq().stats().value("consumed"), smmu0);
    EXPECT_NE(vcmdq_seq.find("soc.cmdqv.vcmdq0:CMD_SYNC"), std::string::npos) << vcmdq_seq;

    // bypass_vcmdq=1, set through the kernel's own __param table.
    ASSERT_EQ(ks.domain_map(a.dom, 0x100000, a.pa, 0x4000), 0);
    ks.idle(sc_core::sc_time(1, sc_core::SC_US));
    eng.clear();
    EXPECT_EQ(ks.set_module_param("arm_smmu_v3.bypass_vcmdq", "1"), 0);
    EXPECT_EQ(ks.set_module_param("arm_smmu_v3.no_such_param", "1"), -2);
    ASSERT_EQ(ks.domain_unmap(a.dom, 0x100000, 0x4000), 0x4000u);
    const uint64_t smmu_cycles = ks.last_cycles();
    ks.idle(sc_core::sc_time(1, sc_core::SC_US));
    const std::string smmu_seq = eng.text();
    EXPECT_EQ(eng.count(kVcmdq0), 0u) << smmu_seq;
    EXPECT_EQ(eng.count(kSmmuCmdq), on_vcmdq) << smmu_seq;
    EXPECT_EQ(bench.smmu().cmdq().stats().value("consumed"), smmu0 + on_vcmdq);
    EXPECT_EQ(vcmdq_stat(bench, 0, "consumed"), vq0 + on_vcmdq);

    // And back: the same unmap costs what it cost the first time.
    ASSERT_EQ(ks.domain_map(a.dom, 0x100000, a.pa, 0x4000), 0);
    ks.idle(sc_core::sc_time(1, sc_core::SC_US));
    eng.clear();
    EXPECT_EQ(ks.set_module_param("arm_smmu_v3.bypass_vcmdq", "0"), 0);
    ASSERT_EQ(ks.domain_unmap(a.dom, 0x100000, 0x4000), 0x4000u);
    ks.idle(sc_core::sc_time(1, sc_core::SC_US));
    EXPECT_EQ(eng.count(kVcmdq0), on_vcmdq) << eng.text();
    EXPECT_EQ(ks.last_cycles(), vcmdq_cycles);

    printf("unmap (ASID %u) invalidation via VCMDQ0: %llu SMMU cycles\n%s", ks.domain_asid(a.dom),
           static_cast<unsigned long long>(vcmdq_cycles), vcmdq_seq.c_str());
    printf("unmap invalidation via SMMU CMDQ (bypass_vcmdq): %llu SMMU cycles\n%s",
           static_cast<unsigned long long>(smmu_cycles), smmu_seq.c_str());
    RecordProperty("vcmdq_cycles", std::to_string(vcmdq_cycles));
    RecordProperty("smmu_cmdq_cycles", std::to_string(smmu_cycles));
    // Deterministic figures for the default configuration and the kernel
    // this was written against (update when the models' timing, the shim's
    // wfe_timeout_ns or the driver changes; the test prints them). The VCMDQ
    // path's CMD_SYNCs are CS=NONE and polled with WFE; the CMDQV's SEV at
    // a CMD_SYNC's completion (cmdqv.vcmdq.sev = sync) wakes the CPU, and
    // there is no MSI write, so it is the quicker of the two. (136 with an
    // SEV at every CONS advance, before session 17 of issue #13: the CPU
    // then left each of the unmap's two WFEs at the TLBI's advance, 2
    // cycles before the CMD_SYNC's.)
    EXPECT_GT(smmu_cycles, vcmdq_cycles);
    if (std::string(SMMUSIM_KERNEL_VERSION) == "7.3.4") {
        EXPECT_EQ(vcmdq_cycles, 140u);
        EXPECT_EQ(smmu_cycles, 172u);
    }

    ks.domain_detach(a.dom, a.ep);
    ks.domain_free(a.dom);
    EXPECT_TRUE(ks.failures().empty()) << ks.failures_text() << ks.dmesg();
    remove_smmu_cleanly(ks);
}

TEST(KernelShimCmdqv, RemoveReleasesEverything)
{
    TestBench bench;
    KernelShim ks(bench.soc());
    ks.boot();
    ASSERT_EQ(ks.probe_smmu(), 0) << ks.failures_text();
    const Attached a = attach_and_map(bench, ks);
    ASSERT_EQ(ks.domain_unmap(a.dom, 0x100000, 0x4000), 0x4000u);
    ks.domain_detach(a.dom, a.ep);
    ks.domain_free(a.dom);
    ks.remove_smmu();
    EXPECT_TRUE(ks.failures().empty()) << ks.failures_text() << ks.dmesg();
    EXPECT_FALSE(ks.smmu_bound());
    EXPECT_FALSE(ks.cmdqv_in_dt());
    EXPECT_EQ(ks.iommus_registered(), 0);
    expect_all_released(ks);
    // tegra241_cmdqv_hw_disable: LVCMDQs disabled and unmapped (descending),
    // VINTF0 disabled; nothing the model's mapping rules refused.
    auto& cmdqv = bench.soc().cmdqv();
    EXPECT_FALSE(cmdqv.vcmdq(0).hw_enabled());
    EXPECT_FALSE(cmdqv.vcmdq(1).hw_enabled());
    EXPECT_EQ(cmdqv.lvcmdq(0, 0), -1);
    EXPECT_EQ(cmdqv.lvcmdq(0, 1), -1);
    EXPECT_FALSE(cmdqv.vintf_enabled(0));
    EXPECT_EQ(cmdqv.stats().value("alloc_violations"), 0u);
    EXPECT_FALSE(bench.smmu().smmu_enabled());
}

// Allocation failure injection with the CMDQV: the n-th kmalloc of
// probe_smmu() fails (the first 5 are the shim's CMDQV node, then the SMMU
// node, then the drivers'; the probe makes 40 in all). Either way nothing may
// warn or stay allocated.
class KernelShimCmdqvAllocFailure : public testing::TestWithParam<int> {};

TEST_P(KernelShimCmdqvAllocFailure, ProbeFailsCleanly)
{
    TestBench bench;
    KernelShim ks(bench.soc());
    ks.boot();
    ks.fail_kmalloc_after(GetParam());
    const int ret = ks.probe_smmu();
    EXPECT_EQ(ks.alloc_stats().kmalloc_failed, 1u);
    if (ret == 0)
        EXPECT_TRUE(bench.smmu().smmu_enabled());
    else
        EXPECT_FALSE(ks.smmu_bound());
    const bool vintf0 = bench.soc().cmdqv().vintf_enabled(0);
    printf("kmalloc #%d fails: probe %d, VINTF0 %s\n", GetParam(), ret, vintf0 ? "enabled" : "not enabled");
    RecordProperty("probe_result", ret);
    RecordProperty("vintf0_enabled", vintf0);
    EXPECT_TRUE(ks.failures().empty()) << ks.failures_text() << ks.dmesg();
    ks.remove_smmu();
    EXPECT_TRUE(ks.failures().empty()) << ks.failures_text() << ks.dmesg();
    expect_all_released(ks);
}

INSTANTIATE_TEST_SUITE_P(FirstAllocations, KernelShimCmdqvAllocFailure, testing::Range(0, 40));

}  // namespace
}  // namespace smmusim::kshim
