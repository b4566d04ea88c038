// SPDX-License-Identifier: GPL-2.0-only
// What the hardware was told, not only that something happened: the fields
// of every command the real drivers make the models execute, checked
// against what the operation asked for (the checker is the trace player's
// `expect executed`, sim/cmd_expect.h), and the geometry of every queue the
// drivers program.
//  - iommu_unmap() of [iova, iova + size): the TLBI_NH_VAs executed cover
//    exactly that range (range TLBIs: Arm IHI 0070 4.4.1 and 4.4.2; without
//    IDR3.RIL one command per leaf), with the domain's ASID and VMID 0,
//    closed by a CMD_SYNC, on the queue the driver must use.
//  - SMMU_CMDQ_BASE and every host VCMDQ_BASE: LOG2SIZE is what IDR1.CMDQS
//    allows (6.3.26), the base naturally aligned, the queues disjoint in DRAM.
//  - Small queues wrap many times: hundreds of unmaps through a 128-entry
//    CMDQ or host VCMDQ, every invalidation arriving with its fields (and,
//    disabled until the model is fixed, one unmap of 500 pages that fills
//    the queue).
// The guest side (LVCMDQs through iommufd) is in guest_fields_test.cc.
#include <algorithm>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "kernel_shim.h"
#include "cmd_expect.h"
#include "cmdqv/cmdqv.h"
#include "cmdqv/cmdqv_regs.h"
#include "cmdqv/vcmdq.h"
#include "smmuv3/cmd_engine.h"
#include "smmuv3/commands.h"
#include "smmuv3/smmuv3_regs.h"
#include "support/testbench.h"
#include "cmd_record.h"
#include "shim_setup.h"

namespace smmusim::kshim {
namespace {

using smmusim::test::TestBench;
using smmusim::test::CmdRecord;
using smmusim::test::expect_cmd;

struct Platform {
    const char* name;
    std::vector<std::string> sets;
    bool cmdqv;
};

std::string PlatformName(const testing::TestParamInfo<Platform>& p) { return p.param.name; }

// The host's invalidations on the SMMU CMDQ or on a VCMDQ, with and without
// range invalidation (IDR3.RIL).
const Platform kPlatforms[] = {
    {"SmmuCmdq", {"cmdqv.present=false"}, false},
    {"HostVcmdq", {}, true},
    {"SmmuCmdqNoRil", {"cmdqv.present=false", "smmu.idr.ril=false"}, false},
    {"HostVcmdqNoRil", {"smmu.idr.ril=false"}, true},
};

// The queue the host's invalidations must use: the SMMU CMDQ, or (with a
// CMDQV) a VCMDQ the driver mapped to VINTF0, the host's own.
void expect_host_queue(TestBench& b, const Platform& p, const std::vector<ExecutedCmd>& cmds)
{
    for (const auto& x : cmds) {
        if (!p.cmdqv) {
            EXPECT_EQ(x.queue, "smmu.cmdq");
            continue;
        }
        unsigned q = 0;
        ASSERT_EQ(sscanf(x.queue.c_str(), "cmdqv.vcmdq%u", &q), 1) << x.queue;
        EXPECT_TRUE(b.soc().cmdqv().vcmdq(q).mapped());
        EXPECT_EQ(b.soc().cmdqv().vcmdq(q).vintf(), 0u) << x.queue;
    }
}

// A kernel at EL2 (VHE, the shim's default) invalidates its domains with
// the EL2 TLBIs (the driver's ARM_SMMU_FEAT_E2H), else with the NH ones.
uint8_t tlbi_va_op(const KernelShim& ks) { return ks.options().vhe ? smmuv3::OP_TLBI_EL2_VA : smmuv3::OP_TLBI_NH_VA; }

// The kernel on the parameter's platform (with `extra` settings), probed,
// with dma0 (SID 0x10) in an attached paging domain; `rec` holds the
// commands executed from then on.
class HostDomain : public testing::TestWithParam<Platform> {
protected:
    explicit HostDomain(const std::vector<std::string>& extra = {})
        : bench(with(GetParam().sets, extra)), ks(bench.soc()), rec(bench.smmu().engine())
    {
    }
    void SetUp() override
    {
        ASSERT_EQ(ks.probe_smmu(), 0) << ks.dmesg() << ks.failures_text();
        ASSERT_NO_FATAL_FAILURE(attach_paging_domain(ks, ep, dom));
        rec.clear();
    }
    static std::vector<std::string> with(std::vector<std::string> sets, const std::vector<std::string>& extra)
    {
        sets.insert(sets.end(), extra.begin(), extra.end());
        return sets;
    }

    TestBench bench;
    KernelShim ks;
    CmdRecord rec;  // after ks: gone before the kernel's teardown runs
    int ep = -1, dom = -1;
};

class UnmapFields : public HostDomain {};

// io-pgtable unmaps, the driver invalidates; whatever the split (range
// TLBIs with NUM/SCALE, or one TLBI per leaf), the union is exactly what
// was unmapped, with the domain's ASID and VMID 0: one page short, one too many, a
// wrong ASID or VMID, or no CMD_SYNC after the last TLBI fails.
TEST_P(UnmapFields, InvalidationsCoverExactlyTheUnmappedRange)
{
    const Platform& p = GetParam();
    const uint64_t asid = ks.domain_asid(dom);
    const uint8_t va_op = tlbi_va_op(ks);
    const uint64_t pa = bench.dram(0x400000);

    struct Case {
        uint64_t iova, size, leaf;
    };
    const Case cases[] = {
        {0x10000, 0x1000, 0x1000},        {0x20000, 0x3000, 0x1000},   {0x31000, 0x7000, 0x1000},
        {0x100000, 0x1f000, 0x1000},      {0x200000, 0x21000, 0x1000}, {0x301000, 0x41000, 0x1000},
        {0x40000000, 0x200000, 0x200000},  // one 2 MiB block
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(fmt::format("unmap [{:#x}, +{:#x})", c.iova, c.size));
        ASSERT_EQ(ks.domain_map(dom, c.iova, c.leaf == 0x1000 ? pa + 0x1000 : pa - 0x200000, c.size), 0);
        rec.clear();
        ASSERT_EQ(ks.domain_unmap(dom, c.iova, c.size), c.size);
        CmdExpect e = expect_cmd(va_op, {{"asid", asid}, {"vmid", 0}});
        e.has_covers = true;
        e.base = c.iova;
        e.size = c.size;
        e.granule = c.leaf;
        EXPECT_EQ(check_commands(e, rec.cmds), "") << rec.text();
        // Nothing else than the TLBIs and their CMD_SYNC, which comes last.
        CmdExpect sync = expect_cmd(smmuv3::OP_CMD_SYNC, {});
        EXPECT_EQ(check_commands(sync, rec.cmds), "") << rec.text();
        ASSERT_FALSE(rec.cmds.empty());
        EXPECT_EQ(rec.cmds.back().cmd.op, smmuv3::OP_CMD_SYNC) << rec.text();
        for (const auto& x : rec.cmds)
            EXPECT_TRUE(x.cmd.op == va_op || x.cmd.op == smmuv3::OP_CMD_SYNC) << rec.text();
        expect_host_queue(bench, p, rec.cmds);
    }
    EXPECT_TRUE(ks.failures().empty()) << ks.failures_text() << ks.dmesg();
}

INSTANTIATE_TEST_SUITE_P(KernelShimCmdFields, UnmapFields, testing::ValuesIn(kPlatforms), PlatformName);

// [base, base + bytes) of a queue from its *_BASE register.
struct QueueMem {
    std::string name;
    uint64_t base, bytes;
};

// Every command queue the drivers brought up: SMMU_CMDQ_BASE and the
// VCMDQ_BASE of each VCMDQ mapped to VINTF0 and enabled.
std::vector<QueueMem> host_queues(TestBench& b, unsigned want_log2)
{
    std::vector<QueueMem> qs;
    const uint64_t cq = b.smmu().bank().get(smmuv3::CMDQ_BASE);
    EXPECT_EQ(smmuv3::q::LOG2SIZE.get(cq), want_log2) << "SMMU_CMDQ_BASE";
    qs.push_back({"smmu.cmdq", smmuv3::q::ADDR.get(cq) << 5, 16ull << smmuv3::q::LOG2SIZE.get(cq)});
    if (!b.soc().has_cmdqv())
        return qs;
    Cmdqv& c = b.soc().cmdqv();
    for (unsigned i = 0; i < c.num_vcmdqs(); i++) {
        Vcmdq& v = c.vcmdq(i);
        if (!v.mapped() || v.vintf() != 0 || !v.hw_enabled())
            continue;
        const uint64_t r = v.reg(1, cmdqv::VCMDQ_BASE);
        EXPECT_EQ(cmdqv::vcmdq_base::LOG2SIZE.get(r), want_log2) << "VCMDQ" << i << "_BASE";
        qs.push_back({fmt::format("cmdqv.vcmdq{}", i), cmdqv::vcmdq_base::ADDR.get(r) << 5,
                      16ull << cmdqv::vcmdq_base::LOG2SIZE.get(r)});
    }
    return qs;
}

class QueueGeometry : public testing::TestWithParam<unsigned> {};

// The driver sizes its queues from IDR1.CMDQS (arm_smmu_device_hw_probe;
// tegra241_vcmdq_alloc_smmu_cmdq caps a VCMDQ the same way): LOG2SIZE is
// IDR1.CMDQS, the base is aligned to the queue's size (6.3.26: the base is
// aligned to the size of the queue or 32 bytes), the queues lie in DRAM and
// none overlaps another.
TEST_P(QueueGeometry, EveryHostQueueHasTheSizeIdr1Allows)
{
    const unsigned cmdqs = GetParam();
    TestBench bench({fmt::format("smmu.idr.cmdqs={}", cmdqs)});
    KernelShim ks(bench.soc());
    ASSERT_EQ(ks.probe_smmu(), 0) << ks.dmesg() << ks.failures_text();
    std::vector<QueueMem> qs = host_queues(bench, cmdqs);
    EXPECT_GE(qs.size(), 2u);  // the SMMU CMDQ and at least one host VCMDQ
    const auto& dram = bench.soc().memory().regions().front();
    std::sort(qs.begin(), qs.end(), [](const QueueMem& a, const QueueMem& b) { return a.base < b.base; });
    for (size_t i = 0; i < qs.size(); i++) {
        EXPECT_EQ(qs[i].base & (std::max<uint64_t>(qs[i].bytes, 32) - 1), 0u) << qs[i].name;
        EXPECT_GE(qs[i].base, dram.base) << qs[i].name;
        EXPECT_LE(qs[i].base + qs[i].bytes, dram.base + dram.size) << qs[i].name;
        if (i) {
            EXPECT_LE(qs[i - 1].base + qs[i - 1].bytes, qs[i].base) << qs[i - 1].name << " overlaps " << qs[i].name;
        }
    }
    EXPECT_TRUE(ks.failures().empty()) << ks.failures_text() << ks.dmesg();
}

INSTANTIATE_TEST_SUITE_P(KernelShimCmdFields, QueueGeometry, testing::Values(7u, 8u, 12u));

class QueueWrap : public HostDomain {
protected:
    QueueWrap() : HostDomain({"smmu.idr.cmdqs=7"}) {}
};

// 300 map/unmap rounds, each page at its own IOVA, through a 128-entry
// queue (IDR1.CMDQS = 7, the smallest the driver accepts): the queue wraps
// at least four times; every round's TLBI arrives, for its own page only.
TEST_P(QueueWrap, HundredsOfUnmapsThroughA128EntryQueue)
{
    const Platform& p = GetParam();
    host_queues(bench, 7);
    const uint64_t asid = ks.domain_asid(dom);
    const uint8_t va_op = tlbi_va_op(ks);
    const uint64_t pa = bench.dram(0x400000);
    uint64_t total = 0;
    // Each round's TLBIs: one on the SMMU CMDQ. With the CMDQV, Linux 7.3
    // issues the page's TLBI and CMD_SYNC twice on the host VCMDQ (in
    // every build, whatever the queue size): the count must then be the
    // same in every round, so none is lost or repeated as the queue wraps.
    uint64_t per_round = p.cmdqv ? 0 : 1;
    constexpr unsigned kRounds = 300;
    for (unsigned i = 0; i < kRounds; i++) {
        const uint64_t iova = 0x1000000 + uint64_t(i) * 0x3000;  // distinct, not adjacent
        ASSERT_EQ(ks.domain_map(dom, iova, pa + (i % 16) * 0x1000, 0x1000), 0);
        rec.clear();
        ASSERT_EQ(ks.domain_unmap(dom, iova, 0x1000), 0x1000u);
        if (!per_round)
            per_round = std::count_if(rec.cmds.begin(), rec.cmds.end(),
                                      [&](const ExecutedCmd& x) { return x.cmd.op == va_op; });
        CmdExpect e = expect_cmd(va_op, {{"asid", asid}, {"vmid", 0}, {"addr", iova}});
        e.has_count = true;
        e.count = per_round;
        e.has_covers = true;
        e.base = iova;
        e.size = 0x1000;
        ASSERT_EQ(check_commands(e, rec.cmds), "") << "round " << i << "\n" << rec.text();
        ASSERT_EQ(rec.cmds.back().cmd.op, smmuv3::OP_CMD_SYNC) << "round " << i;
        expect_host_queue(bench, p, rec.cmds);
        total += rec.cmds.size();
    }
    EXPECT_GE(per_round, 1u);
    EXPECT_GE(total, 2u * kRounds);  // > 4 wraps of 128 entries

    EXPECT_TRUE(ks.failures().empty()) << ks.failures_text() << ks.dmesg();
}

class QueueFull : public HostDomain {
protected:
    QueueFull() : HostDomain({"smmu.idr.cmdqs=7", "smmu.idr.ril=false"}) {}
};

// One unmap larger than the queue: without RIL, 500 TLBIs through a
// 128-entry queue, so the driver must wait for room as the queue fills;
// every page is invalidated, none twice.
// On the SMMU CMDQ the driver polls the CMD_SYNC's MSI and, seeing it,
// takes CONS to be past the sync: the model once advanced CONS only after
// the MSI write completed, the driver then read a CONS one behind its own,
// computed ~4 billion free entries and overwrote unconsumed TLBIs. A host
// VCMDQ has no MSI (the driver polls CONS).
TEST_P(QueueFull, AnUnmapLargerThanTheQueueLosesNoCommand)
{
    const Platform& p = GetParam();
    const uint64_t pa = bench.dram(0x401000);
    const uint64_t big = 0x20000000, pages = 500;
    ASSERT_EQ(ks.domain_map(dom, big, pa, pages * 0x1000), 0);
    rec.clear();
    ASSERT_EQ(ks.domain_unmap(dom, big, pages * 0x1000), pages * 0x1000);
    CmdExpect e = expect_cmd(tlbi_va_op(ks), {{"asid", ks.domain_asid(dom)}, {"vmid", 0}});
    e.has_covers = true;
    e.base = big;
    e.size = pages * 0x1000;
    EXPECT_EQ(check_commands(e, rec.cmds), "");
    if (!p.cmdqv) {  // one per page (see QueueWrap for the CMDQV platform)
        e.has_count = true;
        e.count = pages;
        EXPECT_EQ(check_commands(e, rec.cmds), "");
    }
    EXPECT_EQ(rec.cmds.back().cmd.op, smmuv3::OP_CMD_SYNC);
    expect_host_queue(bench, p, rec.cmds);
    EXPECT_TRUE(ks.failures().empty()) << ks.failures_text() << ks.dmesg();
}

INSTANTIATE_TEST_SUITE_P(KernelShimCmdFields, QueueFull, testing::ValuesIn(kPlatforms, kPlatforms + 2),
                         PlatformName);

INSTANTIATE_TEST_SUITE_P(KernelShimCmdFields, QueueWrap, testing::ValuesIn(kPlatforms), PlatformName);

}  // namespace
}  // namespace smmusim::kshim
