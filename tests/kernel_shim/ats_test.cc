// SPDX-License-Identifier: GPL-2.0-only
// ATS with the real driver: a PCI endpoint function with an ATS Extended
// Capability behind a host bridge whose device-tree node has "iommu-map"
// and "ats-supported" (kernel_shim/src/pci.c, dt_nodes.c). The unmodified
// arm-smmu-v3.c prepares and enables ATS on it (the capability's Enable and
// STU in the model's configuration space), writes STE.EATS = 0b01, sends
// ATC_INV for the unmapped range after the TLB invalidation's CMD_SYNC and
// closes it with a CMD_SYNC (on VINTF0's VCMDQ), and disables ATS when the
// function is released. The ATC_INVs reach the endpoint's ATC model
// (models/endpoint/atc.h) through the command engine's invalidation hook.
#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "cmd_record.h"
#include "endpoint/atc.h"
#include "endpoint/pci_config.h"
#include "kernel_shim.h"
#include "shim_setup.h"
#include "smmuv3/evtq.h"
#include "smmuv3/smmuv3_regs.h"
#include "support/stream_table.h"
#include "support/testbench.h"

namespace smmusim::kshim {
namespace {

using smmusim::test::CmdRecord;
using smmusim::test::expect_cmd;
using smmusim::test::ste_word;
using smmusim::test::TestBench;

constexpr uint32_t kRid = 0x08;  // 00:01.0; the host bridge maps RID -> SID one to one
// STE doubleword 1: EATS[29:28] (IHI 0070 5.2; STRTAB_STE_1_EATS), 0b01 = full ATS.
uint64_t ste_eats(TestBench& b, uint32_t sid) { return (ste_word(b, sid, 1) >> 28) & 3; }

// CmdExpect for ATC_INV of `sid` over exactly [base, base + size).
CmdExpect atc_inv_covering(uint32_t sid, uint64_t base, uint64_t size)
{
    CmdExpect e = expect_cmd(smmuv3::OP_ATC_INV, {{"sid", sid}, {"ssv", 0}});
    e.has_covers = true;
    e.base = base;
    e.size = size;
    return e;
}

// Every command came from a VCMDQ of VINTF0 (the host's), as
// tegra241_cmdqv_get_cmdq() routes the kernel's own commands.
void expect_vintf0(TestBench& b, const std::vector<ExecutedCmd>& cmds)
{
    for (const auto& x : cmds) {
        unsigned q = 0;
        ASSERT_EQ(sscanf(x.queue.c_str(), "cmdqv.vcmdq%u", &q), 1) << x.queue;
        EXPECT_EQ(b.soc().cmdqv().vcmdq(q).vintf(), 0u) << x.queue;
    }
}

class KernelShimAts : public testing::Test {
protected:
    KernelShimAts() : ks(bench.soc()), rec(bench.smmu().engine()) {}
    void SetUp() override { ASSERT_NO_FATAL_FAILURE(expect_smmu_probed(ks)); }
    void add_nic(bool ats)
    {
        rec.clear();  // what the probe did is not the endpoint's
        ep = ks.add_pci_endpoint("nic0", kRid, ats);
        ASSERT_GE(ep, 0) << ks.dmesg();
        ASSERT_TRUE(ks.endpoint_has_group(ep)) << ks.dmesg();
        cfg = ks.endpoint_pci_config(ep);
        ASSERT_NE(cfg, nullptr);
    }
    void attach_and_map()
    {
        dom = ks.domain_alloc(ep);
        ASSERT_GE(dom, 0) << ks.dmesg();
        ASSERT_EQ(ks.domain_attach(dom, ep), 0) << ks.dmesg();
        ASSERT_EQ(ks.domain_map(dom, 0x100000, bench.dram(0x400000), 0x10000), 0) << ks.dmesg();
    }

    TestBench bench;
    KernelShim ks;
    CmdRecord rec;  // after ks: gone before the kernel's teardown runs
    int ep = -1, dom = -1;
    const endpoint::PciConfigSpace* cfg = nullptr;
};

TEST_F(KernelShimAts, ProbeEnablesAtsAndTheSteSaysEats)
{
    ASSERT_NO_FATAL_FAILURE(add_nic(true));
    EXPECT_TRUE(ks.log_contains("0000:00:01.0: Adding to iommu group")) << ks.dmesg();
    // The default domain is a DMA (paging) domain: arm_smmu_attach_prepare
    // finds ATS supported (IDR0.ATS, the bridge's ats-supported, the
    // capability), so the STE gets EATS = 0b01 and arm_smmu_enable_ats()
    // sets Enable with STU = log2 of the smallest page size (4 KiB: 0).
    EXPECT_TRUE(cfg->ats_enabled());
    EXPECT_EQ(cfg->ats_stu_shift(), 12u);
    EXPECT_EQ(ste_eats(bench, kRid), 1u);
    // Before enabling, the driver flushes the whole ATC of the stream
    // (arm_smmu_atc_inv_master: ATC_INV Size = 52), then syncs.
    CmdExpect all = expect_cmd(smmuv3::OP_ATC_INV, {{"sid", kRid}, {"ssv", 0}, {"size", 52}});
    all.count = 1;
    EXPECT_EQ(check_commands(all, rec.cmds), "") << rec.text();
    ASSERT_FALSE(rec.cmds.empty());
    EXPECT_EQ(rec.cmds.back().cmd.op, smmuv3::OP_CMD_SYNC) << rec.text();
    expect_vintf0(bench, rec.cmds);
    EXPECT_TRUE(ks.failures().empty()) << ks.failures_text() << ks.dmesg();
}

TEST_F(KernelShimAts, UnmapInvalidatesTheAtcAfterTheTlbAndSyncs)
{
    ASSERT_NO_FATAL_FAILURE(add_nic(true));
    ASSERT_NO_FATAL_FAILURE(attach_and_map());
    EXPECT_TRUE(cfg->ats_enabled());
    EXPECT_EQ(ste_eats(bench, kRid), 1u);

    rec.clear();
    ASSERT_EQ(ks.domain_unmap(dom, 0x100000, 0x4000), 0x4000u);
    EXPECT_EQ(check_commands(atc_inv_covering(kRid, 0x100000, 0x4000), rec.cmds), "") << rec.text();
    // "ATS must be after a sync of the S1/S2 invalidations": a CMD_SYNC
    // between the last TLBI and the first ATC_INV, and one at the end.
    size_t first_atc = rec.cmds.size(), last_tlbi = 0;
    for (size_t i = 0; i < rec.cmds.size(); i++) {
        if (rec.cmds[i].cmd.op == smmuv3::OP_ATC_INV && first_atc == rec.cmds.size())
            first_atc = i;
        if (rec.cmds[i].cmd.cls == smmuv3::CmdClass::TlbiVa)
            last_tlbi = i;
    }
    ASSERT_LT(first_atc, rec.cmds.size()) << rec.text();
    bool synced = false;
    for (size_t i = last_tlbi; i < first_atc; i++)
        synced |= rec.cmds[i].cmd.op == smmuv3::OP_CMD_SYNC;
    EXPECT_TRUE(synced) << rec.text();
    EXPECT_EQ(rec.cmds.back().cmd.op, smmuv3::OP_CMD_SYNC) << rec.text();
    expect_vintf0(bench, rec.cmds);

    // An unaligned range: the driver invalidates the smallest naturally
    // aligned power of two that holds it (pages 0x104..0x108: 16 pages
    // from 0x100).
    ASSERT_EQ(ks.domain_map(dom, 0x100000, bench.dram(0x400000), 0x4000), 0) << ks.dmesg();
    rec.clear();
    ASSERT_EQ(ks.domain_unmap(dom, 0x104000, 0x5000), 0x5000u);
    EXPECT_EQ(check_commands(atc_inv_covering(kRid, 0x100000, 0x10000), rec.cmds), "") << rec.text();
    EXPECT_TRUE(ks.failures().empty()) << ks.failures_text() << ks.dmesg();
}

TEST_F(KernelShimAts, TheAtcModelLosesExactlyTheUnmappedRange)
{
    endpoint::Atc atc("nic0.atc", EndpointParams{});
    bench.smmu().engine().add_invalidation_target(atc);
    ASSERT_NO_FATAL_FAILURE(add_nic(true));
    ASSERT_NO_FATAL_FAILURE(attach_and_map());
    for (uint64_t va = 0x100000; va < 0x110000; va += 0x1000) {
        endpoint::AtcEntry e;
        e.sid = kRid;
        e.untranslated = va;
        e.translated = bench.dram(0x400000) + (va - 0x100000);
        ASSERT_TRUE(atc.insert(e));
    }
    endpoint::AtcEntry other;  // another stream's page in the same range
    other.sid = kRid + 1;
    other.untranslated = 0x100000;
    ASSERT_TRUE(atc.insert(other));

    ASSERT_EQ(ks.domain_unmap(dom, 0x104000, 0x4000), 0x4000u);
    std::vector<uint64_t> left;
    for (const auto& e : atc.entries())
        if (e.sid == kRid)
            left.push_back(e.untranslated >> 12);
    std::sort(left.begin(), left.end());
    EXPECT_EQ(left, (std::vector<uint64_t>{0x100, 0x101, 0x102, 0x103, 0x108, 0x109, 0x10a, 0x10b, 0x10c, 0x10d,
                                           0x10e, 0x10f}));
    EXPECT_EQ(atc.valid(), 13u);
    ks.domain_detach(dom, ep);
    ks.domain_free(dom);
    ks.remove_endpoint(ep);
    EXPECT_TRUE(ks.failures().empty()) << ks.failures_text() << ks.dmesg();
}

TEST_F(KernelShimAts, WithoutTheCapabilityThereIsNoAts)
{
    ASSERT_NO_FATAL_FAILURE(add_nic(false));
    ASSERT_NO_FATAL_FAILURE(attach_and_map());
    EXPECT_FALSE(cfg->has_ats());
    EXPECT_EQ(ste_eats(bench, kRid), 0u);
    rec.clear();
    ASSERT_EQ(ks.domain_unmap(dom, 0x100000, 0x4000), 0x4000u);
    for (const auto& x : rec.cmds)
        EXPECT_NE(x.cmd.op, smmuv3::OP_ATC_INV) << rec.text();
    EXPECT_TRUE(ks.failures().empty()) << ks.failures_text() << ks.dmesg();
}

TEST_F(KernelShimAts, ReleaseDisablesAts)
{
    ASSERT_NO_FATAL_FAILURE(add_nic(true));
    ASSERT_NO_FATAL_FAILURE(attach_and_map());
    // Back to the default (DMA) domain: still translated, ATS stays on.
    ks.domain_detach(dom, ep);
    ks.domain_free(dom);
    EXPECT_TRUE(cfg->ats_enabled());
    EXPECT_EQ(ste_eats(bench, kRid), 1u);
    // device_del: the iommu core attaches the driver's release domain
    // (blocked): ATS is disabled in config space and the STE drops EATS.
    ASSERT_EQ(ks.remove_endpoint(ep), 0);
    EXPECT_FALSE(cfg->ats_enabled());
    EXPECT_EQ(cfg->ats_stu_shift(), 12u);  // pci_disable_ats clears Enable only
    EXPECT_EQ(cfg->ats_ctrl_writes(), 3u);  // prepare (STU), enable, disable
    EXPECT_EQ(ste_eats(bench, kRid), 0u);
    EXPECT_TRUE(ks.failures().empty()) << ks.failures_text() << ks.dmesg();
    remove_smmu_cleanly(ks);
}

// Each function is its own iommu group (pci_device_group: no aliases, no
// bridges), with its own STE.
TEST_F(KernelShimAts, EachFunctionHasItsOwnGroupAndStreamId)
{
    ASSERT_NO_FATAL_FAILURE(add_nic(true));
    const int ep2 = ks.add_pci_endpoint("nic1", 0x11, false);  // 00:02.1
    ASSERT_GE(ep2, 0);
    EXPECT_TRUE(ks.endpoint_has_group(ep2));
    EXPECT_TRUE(ks.log_contains("pci 0000:00:01.0: Adding to iommu group 0")) << ks.dmesg();
    EXPECT_TRUE(ks.log_contains("pci 0000:00:02.1: Adding to iommu group 1")) << ks.dmesg();
    EXPECT_EQ(ste_word(bench, kRid) & 1, 1u);
    EXPECT_EQ(ste_word(bench, 0x11) & 1, 1u);
    EXPECT_EQ(ste_eats(bench, 0x11), 0u);
    EXPECT_EQ(ks.add_pci_endpoint("again", 0x11, true), -EEXIST);  // one function per RID
    EXPECT_EQ(ks.add_pci_endpoint("bus1", 0x100, true), -EINVAL);  // past the root bus
    EXPECT_TRUE(ks.failures().empty()) << ks.failures_text() << ks.dmesg();
}

// The SMMU's side (IHI 0070 3.9.1.2, 3.9.1.3), against what the real driver
// wrote: its STE (EATS = 0b01) and io-pgtable's mapping answer a
// Translation Request with the mapped PA (a 4 KiB page, R = W = 1, not
// Global: io-pgtable sets nG); with CR0.ATSCHK = 1 (arm_smmu_device_reset
// sets it with IDR0.ATS) a Translated write at that PA is performed; a page
// the driver unmapped (TLBI + CMD_SYNC, ATC_INV) is answered R = W = 0.
// (The simulation ends with the bench's run: the driver's work comes first.)
TEST_F(KernelShimAts, TheSmmuAnswersTranslationRequestsFromTheDriversTables)
{
    using smmusim::test::DmaAttrs;
    using smmusim::test::DmaResult;
    using Status = StreamIdExtension::AtsCompletion::Status;
    ASSERT_NO_FATAL_FAILURE(add_nic(true));
    ASSERT_NO_FATAL_FAILURE(attach_and_map());
    ASSERT_EQ(ks.domain_unmap(dom, 0x104000, 0x4000), 0x4000u);
    EXPECT_TRUE(smmuv3::cr0::ATSCHK.get(bench.smmu().cr0ack()));
    DmaAttrs req, xlated;
    req.at = StreamIdExtension::At::TranslationRequest;
    xlated.at = StreamIdExtension::At::Translated;
    DmaResult tr, tx, gone;
    uint64_t v = 0x5a5a5a5a5a5a5a5aull, back = 0;
    bench.run([&] {
        tr = bench.dma(kRid, 0x103010, 8, true, req);
        tx = bench.dma(kRid, tr.ats.translated + 0x10, 8, true, xlated, &v);
        bench.mem().read(bench.dram(0x403010), &back, 8);
        gone = bench.dma(kRid, 0x105000, 8, false, req);
    });
    EXPECT_EQ(tr.ats.status, Status::Success);
    EXPECT_EQ(tr.ats.translated, bench.dram(0x403000));
    EXPECT_EQ(tr.ats.size, 0x1000u);
    EXPECT_TRUE(tr.ats.read && tr.ats.write);
    EXPECT_FALSE(tr.ats.global || tr.ats.exec || tr.ats.priv);
    EXPECT_TRUE(tx.ok());
    EXPECT_EQ(tx.outcome, StreamIdExtension::Outcome::Bypassed);
    EXPECT_EQ(back, v);
    EXPECT_EQ(gone.ats.status, Status::Success);
    EXPECT_FALSE(gone.ats.read || gone.ats.write);
    EXPECT_EQ(gone.fault, smmuv3::evt::F_TRANSLATION);
    EXPECT_FALSE(gone.recorded);
    EXPECT_TRUE(ks.failures().empty()) << ks.failures_text() << ks.dmesg();
}

// A root complex without "ats-supported": the function's capability is
// there, but arm_smmu_ats_supported() is false (no IOMMU_FWSPEC_PCI_RC_ATS),
// so the driver never touches ATS Control and the STE has no EATS.
TEST(KernelShimAtsRc, WithoutAtsSupportedOnTheBridgeAtsStaysOff)
{
    TestBench bench;
    KernelShim::Options o;
    o.pci_ats_supported = false;
    KernelShim ks(bench.soc(), o);
    ASSERT_NO_FATAL_FAILURE(expect_smmu_probed(ks));
    const int ep = ks.add_pci_endpoint("nic0", kRid, true);
    ASSERT_GE(ep, 0) << ks.dmesg();
    ASSERT_TRUE(ks.endpoint_has_group(ep)) << ks.dmesg();
    const endpoint::PciConfigSpace* cfg = ks.endpoint_pci_config(ep);
    ASSERT_NE(cfg, nullptr);
    EXPECT_TRUE(cfg->has_ats());
    EXPECT_FALSE(cfg->ats_enabled());
    EXPECT_EQ(cfg->ats_ctrl_writes(), 0u);
    EXPECT_EQ(ste_eats(bench, kRid), 0u);
    EXPECT_TRUE(ks.failures().empty()) << ks.failures_text() << ks.dmesg();
}

}  // namespace
}  // namespace smmusim::kshim
