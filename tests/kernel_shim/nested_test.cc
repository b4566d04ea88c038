// SPDX-License-Identifier: GPL-2.0-only
// A VM with its own stage 1, through the real iommufd core and
// arm-smmu-v3-iommufd.c: the guest's CD table and stage-1 tables in guest
// RAM (kernel_shim/vmm/guest_stage1.h), the VMM's nested HWPT from the
// guest's vSTE (IOMMU_HWPT_ALLOC, IOMMU_HWPT_DATA_ARM_SMMUV3) and the
// device moved onto it. Checked: the STE the driver wrote for the device
// (arm_smmu_make_nested_domain_ste), the CDs in guest RAM, the vSTEs the
// kernel refuses (arm_smmu_validate_vste: -EIO), the ARM_SMMUV3 vEVENTQ
// (the driver's event thread forwards an event record of the device with
// the vSID in place of the SID: arm_vmaster_report_event), and the guest's
// stage-1 tables walked by the model's walker (another part's code) from
// the CD the guest wrote; and, end to end, the guest's DMA (which needs the
// translation pipeline: skipped, saying so, until `dma` lines parse).
#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <string>
#include <variant>
#include <vector>

#include <gtest/gtest.h>

#include "kernel_shim.h"
#include "player.h"
#include "shim_setup.h"
#include "smmuv3/commands.h"
#include "smmuv3/evtq.h"
#include "smmuv3/translation/cd.h"
#include "smmuv3/translation/memory_tables.h"
#include "smmuv3/translation/ste.h"
#include "smmuv3/translation/walk.h"
#include "support/stream_table.h"
#include "support/testbench.h"
#include "support/trace_text.h"
#include "vmm/guest_tables.h"
#include "vmm/kernel_trace_ops.h"
#include "vmm/vmm.h"

namespace smmusim::kshim {
namespace {

using smmusim::test::ste_word;
using smmusim::test::TestBench;
namespace ste = smmuv3::ste;
namespace cd = smmuv3::cd;

constexpr uint32_t kSid = 0x20, kVsid = 5;
constexpr uint64_t kGpa = 1ull << 30, kRam = 2ull << 20;

// The platform, the drivers, an endpoint and a VM on it (attached to its
// nesting parent), as the `vm` trace line makes them.
struct NestedVm {
    TestBench bench;
    KernelShim ks{bench.soc()};
    int ep = -1;
    Vm vm{ks};

    void create()
    {
        ASSERT_EQ(ks.probe_smmu(), 0) << ks.dmesg();
        ep = ks.add_endpoint("vfio0", {kSid});
        ASSERT_GE(ep, 0);
        ASSERT_EQ(vm.create({ep, kRam, kGpa, UserMemory::Layout::Contiguous, kVsid}), 0)
            << vm.failed_step() << "\n" << ks.dmesg();
    }
    std::array<uint64_t, 8> ste()
    {
        std::array<uint64_t, 8> s{};
        for (unsigned i = 0; i < s.size(); i++)
            s[i] = ste_word(bench, kSid, i);
        return s;
    }
};

TEST(KernelShimNested, TheDriverWritesANestedSteFromTheGuestsVste)
{
    NestedVm t;
    ASSERT_NO_FATAL_FAILURE(t.create());
    // Attached to the nesting parent: stage 2 only (IHI 0070 5.2 Config = 0b110).
    const std::array<uint64_t, 8> parent = t.ste();
    ASSERT_EQ(ste::Config.get(parent), ste::CONFIG_S2_TRANS);

    GuestStage1::Config c;
    c.ssids = 4;
    c.asid = 7;
    ASSERT_EQ(t.vm.guest_stage1(c), 0);
    const GuestStage1& g = *t.vm.stage1();
    EXPECT_EQ(g.cd_table(), kGpa + kRam / 2);  // the table region starts at the upper half of guest RAM
    EXPECT_EQ(g.s1cdmax(), 2u);
    ASSERT_EQ(t.vm.nest(guest::make_vste(g.cd_table(), g.s1cdmax(), ste::S1DSS_SSID0, 0)), 0) << t.ks.dmesg();
    EXPECT_TRUE(t.vm.nested());

    const std::array<uint64_t, 8> s = t.ste();
    EXPECT_TRUE(ste::V.get(s));
    EXPECT_EQ(ste::Config.get(s), ste::CONFIG_NESTED);               // stage 1 + stage 2
    EXPECT_EQ(s[0] & ste::S1ContextPtr.mask(), g.cd_table());            // the guest CD table's IPA
    EXPECT_EQ(ste::S1CDMax.get(s), 2u);
    EXPECT_EQ(ste::S1Fmt.get(s), 0u);                                 // linear
    EXPECT_EQ(ste::S1DSS.get(s), ste::S1DSS_SSID0);
    EXPECT_EQ(ste::S1CIR.get(s), guest::S1C_CACHE_WBRA);
    EXPECT_TRUE(ste::MEV.get(s));                                     // the driver merges events (DoS)
    EXPECT_EQ(ste::EATS.get(s), 0u);
    // Stage 2 is the nesting parent's, under the VM's VMID.
    EXPECT_EQ(ste::S2VMID.get(s), ste::S2VMID.get(parent));
    EXPECT_EQ(s[2], parent[2]);
    EXPECT_EQ(s[3] & ste::S2TTB.mask(), parent[3] & ste::S2TTB.mask());
    EXPECT_NE(s[3] & ste::S2TTB.mask(), 0u);

    // The S2VMID is the VINTF's: the guest's TLBI through its HW queue runs under it.
    namespace f = smmuv3::cmdf;
    ASSERT_EQ(t.vm.hw_queue_alloc(0, kGpa, 4096), 0) << t.ks.dmesg();
    ASSERT_EQ(t.vm.guest_enable(0), 0);
    std::vector<smmuv3::Command> seen;
    t.bench.smmu().engine().add_observer([&](unsigned, const smmuv3::Command& cmd) { seen.push_back(cmd); });
    ASSERT_EQ(t.vm.guest_put(0, f::OPCODE.put(smmuv3::OP_TLBI_NH_ASID) | f::TLBI_ASID.put(7), 0), 0);
    ASSERT_EQ(t.vm.guest_doorbell(0), 0);
    ASSERT_EQ(t.vm.guest_wait_consumed(0), 0);
    ASSERT_EQ(seen.size(), 1u);
    EXPECT_EQ(seen[0].vmid, ste::S2VMID.get(s));

    // Back to the parent, then torn down with nothing left.
    EXPECT_EQ(t.vm.unnest(), 0);
    EXPECT_EQ(ste::Config.get(t.ste()), ste::CONFIG_S2_TRANS);
    t.vm.destroy();
    EXPECT_EQ(t.ks.user_memory().bytes_live(), 0u);
    remove_smmu_cleanly(t.ks);
}

// The CDs in guest RAM say what the guest asked, field by field, as
// arm_smmu_make_s1_cd writes them (IHI 0070 5.4).
TEST(KernelShimNested, TheGuestsCdsDecodeToWhatItAsked)
{
    NestedVm t;
    ASSERT_NO_FATAL_FAILURE(t.create());
    GuestStage1::Config c;
    c.ssids = 2;
    c.asid = 0x31;
    c.granule = smmuv3::Granule::k16K;
    c.ias = 40;
    c.tables = kGpa + 0x100000;
    ASSERT_EQ(t.vm.guest_stage1(c), 0);
    EXPECT_EQ(t.vm.guest_stage1(c), -EEXIST);
    const GuestStage1& g = *t.vm.stage1();
    EXPECT_EQ(g.cd_table(), kGpa + 0x100000);
    for (uint32_t ssid = 0; ssid < 2; ssid++) {
        const std::array<uint64_t, 8> d = g.cd(ssid);
        EXPECT_EQ(cd::T0SZ.get(d), 24u);
        EXPECT_EQ(cd::TG0.get(d), 2u);  // 16K
        EXPECT_EQ(cd::IPS.get(d), 5u);  // 48 bits
        EXPECT_EQ(cd::ASID.get(d), 0x31u + ssid);
        for (const smmuv3::DwordField& one : {cd::V, cd::AA64, cd::R, cd::A, cd::ASET, cd::EPD1})
            EXPECT_TRUE(one.get(d)) << one.bits.lo;
        for (const smmuv3::DwordField& zero : {cd::EPD0, cd::ENDI, cd::HA, cd::HD, cd::S})
            EXPECT_FALSE(zero.get(d)) << zero.bits.lo;
        EXPECT_EQ(d[1] & cd::TTB0.mask(), g.ttb0(ssid));
        EXPECT_EQ(g.ttb0(ssid) % 16384, 0u);  // a 16K granule's table
        EXPECT_GT(g.ttb0(ssid), g.cd_table());
        EXPECT_EQ(d[3], guest::kLinuxMair);
    }
    EXPECT_NE(g.ttb0(0), g.ttb0(1));
    EXPECT_EQ(g.cd(2), (std::array<uint64_t, 8>{}));  // past S1CDMax
    t.vm.destroy();
    remove_smmu_cleanly(t.ks);
}

// What the SMMU will do with the nested STE and the guest's CD, done here
// by the translation path's untimed walker (walk_nested): the guest's VA
// goes through the guest's stage-1 tables (in guest RAM, at guest PAs) and
// the nesting parent's stage 2 (written by the real io-pgtable-arm for
// IOMMU_IOAS_MAP) to the simulated PA of the guest page. The STE and the
// CD are decoded as the SMMU decodes them (decode_ste, decode_cd, with the
// model's default ID registers).
smmuv3::StageConfig s2_of_ste(const std::array<uint64_t, 8>& s)
{
    smmuv3::Dwords8 e{};
    std::copy(s.begin(), s.end(), e);
    const smmuv3::SteDecode d = smmuv3::decode_ste(e, smmuv3::SteContext{});
    const auto* c = std::get_if<smmuv3::StreamConfig>(&d);
    EXPECT_TRUE(c && c->s2_enabled) << "the nested STE does not decode to a stage 2";
    return c ? c->s2 : smmuv3::StageConfig{};
}

smmuv3::StageConfig s1_of_cd(const std::array<uint64_t, 8>& cd)
{
    smmuv3::Dwords8 e{};
    std::copy(cd.begin(), cd.end(), e);
    smmuv3::StreamConfig nested;
    nested.mode = smmuv3::StreamMode::Translate, nested.s1_enabled = nested.s2_enabled = true;
    const smmuv3::CdDecode d = smmuv3::decode_cd(e, smmuv3::CdContext::of(smmuv3::SteContext{}, nested));
    const auto* c = std::get_if<smmuv3::CdConfig>(&d);
    EXPECT_TRUE(c && c->valid) << "the guest's CD does not decode";
    return c ? c->s1 : smmuv3::StageConfig{};
}

// One simulation per process: one granule per test.
class GuestGranule : public testing::TestWithParam<smmuv3::Granule> {};

TEST_P(GuestGranule, TheGuestsVaWalksThroughBothStagesToItsPage)
{
    const smmuv3::Granule g = GetParam();
    NestedVm t;
    ASSERT_NO_FATAL_FAILURE(t.create());
    GuestStage1::Config c;
    c.ssids = 2;
    c.granule = g;
    ASSERT_EQ(t.vm.guest_stage1(c), 0);
    GuestStage1& s1 = *t.vm.stage1();
    ASSERT_EQ(t.vm.nest(guest::make_vste(s1.cd_table(), s1.s1cdmax(), ste::S1DSS_SSID0, 0)), 0);
    const uint64_t page = 1ull << smmuv3::granule_shift(g);
    const uint64_t va = 0x40000000, gpa = kGpa + 4 * page;
    ASSERT_EQ(s1.map(1, va, gpa, 2 * page, true), 0);
    ASSERT_EQ(s1.map(1, va + 2 * page, gpa, page, false), 0);  // read-only alias
    EXPECT_EQ(s1.map(1, va, gpa, page, true), -EINVAL);        // over a live mapping
    EXPECT_EQ(s1.map(1, va + 1, gpa, page, true), -EINVAL);    // misaligned
    EXPECT_EQ(s1.map(2, va, gpa, page, true), -EINVAL);        // past S1CDMax

    const smmuv3::StageConfig st1 = s1_of_cd(s1.cd(1)), st2 = s2_of_ste(t.ste());
    ASSERT_NE(st2.concat, 0u);
    smmuv3::MemoryTableReader mem(t.bench.mem());
    const smmuv3::Access read{}, write{true, false, false};
    smmuv3::WalkOutcome o = smmuv3::walk_nested(st1, st2, va + page + 0x18, write, mem);
    ASSERT_TRUE(o.ok()) << int(o.fault.type);
    EXPECT_EQ(o.result.ipa, gpa + page + 0x18);
    EXPECT_EQ(o.result.oa, t.vm.ram_pa(gpa + page + 0x18));
    EXPECT_FALSE(o.result.global);  // nG, as io-pgtable-arm writes
    o = smmuv3::walk_nested(st1, st2, va + 2 * page, write, mem);
    EXPECT_EQ(o.fault.type, smmuv3::evt::F_PERMISSION);
    EXPECT_FALSE(o.fault.s2);
    EXPECT_TRUE(smmuv3::walk_nested(st1, st2, va + 2 * page, read, mem).ok());
    // SSID 0 has nothing mapped there; after the guest's unmap, SSID 1 neither.
    EXPECT_EQ(smmuv3::walk_nested(s1_of_cd(s1.cd(0)), st2, va, read, mem).fault.type, smmuv3::evt::F_TRANSLATION);
    ASSERT_EQ(s1.unmap(1, va, page), 0);
    EXPECT_EQ(smmuv3::walk_nested(st1, st2, va, read, mem).fault.type, smmuv3::evt::F_TRANSLATION);
    EXPECT_TRUE(smmuv3::walk_nested(st1, st2, va + page, read, mem).ok());
    t.vm.destroy();
    remove_smmu_cleanly(t.ks);
}

INSTANTIATE_TEST_SUITE_P(KernelShimNested, GuestGranule,
                         testing::Values(smmuv3::Granule::k4K, smmuv3::Granule::k16K, smmuv3::Granule::k64K),
                         [](const testing::TestParamInfo<smmuv3::Granule>& i) {
                             return "granule" + std::to_string(1u << (smmuv3::granule_shift(i.param) - 10)) + "k";
                         });

// GuestStage1 on its own (guest RAM as a host buffer): every granule and
// VA size the grammar takes builds; what it cannot is refused, not written.
TEST(GuestStage1Tables, BuildsEveryGranuleAndVaSizeAndRefusesWhatItCannot)
{
    constexpr uint64_t kBase = 0x80000000, kBytes = 1ull << 20;
    std::vector<uint64_t> ram(kBytes / 8);
    for (smmuv3::Granule g : {smmuv3::Granule::k4K, smmuv3::Granule::k16K, smmuv3::Granule::k64K})
        for (unsigned ias : {25u, 32u, 39u, 40u, 48u}) {
            GuestStage1 s1(ram.data(), kBase, kBytes);
            GuestStage1::Config c;
            c.granule = g;
            c.ias = ias;
            c.tables = kBase;
            ASSERT_EQ(s1.build(c), 0) << smmuv3::granule_shift(g) << " " << ias;
            const uint64_t page = 1ull << smmuv3::granule_shift(g);
            EXPECT_EQ(s1.map(0, (1ull << ias) - page, kBase, page, true), 0) << ias;  // the last page of the VA space
            EXPECT_EQ(s1.map(0, 1ull << ias, kBase, page, true), -EINVAL) << ias;     // past it
            EXPECT_EQ(cd::T0SZ.get(s1.cd(0)), 64u - ias);
        }
    GuestStage1::Config c;
    c.tables = kBase + kBytes - 0x1000;  // room for the CD table, not for a 4K root table after it
    EXPECT_EQ(GuestStage1(ram.data(), kBase, kBytes).build(c), -ENOMEM);
    c.tables = kBase + kBytes;  // outside guest RAM
    EXPECT_EQ(GuestStage1(ram.data(), kBase, kBytes).build(c), -EINVAL);
    c.tables = kBase;
    c.ssids = 3;
    EXPECT_EQ(GuestStage1(ram.data(), kBase, kBytes).build(c), -EINVAL);
    c.ssids = 1;
    c.oas = 47;  // no IPS encoding
    EXPECT_EQ(GuestStage1(ram.data(), kBase, kBytes).build(c), -EINVAL);
    // Tables that fill guest RAM: a map that needs one more is ENOMEM.
    GuestStage1 full(ram.data(), kBase, kBytes);
    c.oas = 48;
    c.tables = kBase + kBytes - 0x2000;  // CD table + root, then nothing
    ASSERT_EQ(full.build(c), 0);
    EXPECT_EQ(full.map(0, 0x1000, kBase, 0x1000, true), -ENOMEM);
}

// arm_smmu_validate_vste: only V, Config (abort, bypass, stage 1), S1Fmt,
// S1ContextPtr, S1CDMax, S1DSS, S1CIR/COR/CSH, S1STALLD and EATS (0 or 1)
// may be set; anything else is -EIO, and the device stays where it was.
TEST(KernelShimNested, TheKernelRefusesVstesItMustRefuse)
{
    NestedVm t;
    ASSERT_NO_FATAL_FAILURE(t.create());
    ASSERT_EQ(t.vm.guest_stage1({}), 0);
    const uint64_t cdt = t.vm.stage1()->cd_table();
    const std::array<uint64_t, 2> good = guest::make_vste(cdt, 0, ste::S1DSS_SSID0, 0);
    const uint64_t before = ste_word(t.bench, kSid, 0);
    struct Row {
        const char* what;
        std::array<uint64_t, 2> vste;
    } rows[] = {
        {"Config = stage 2", {ste::Config.bits.set(good[0], ste::CONFIG_S2_TRANS), good[1]}},
        {"Config = nested", {ste::Config.bits.set(good[0], ste::CONFIG_NESTED), good[1]}},
        {"Config = 0b001 (reserved)", {ste::Config.bits.set(good[0], 1), good[1]}},
        {"EATS = 0b10 (S1CHK)", {good[0], ste::EATS.bits.set(good[1], 2)}},
        {"EATS = 0b11 (reserved)", {good[0], ste::EATS.bits.set(good[1], 3)}},
        {"STRW (dword 1 bits 31:30)", {good[0], good[1] | (2ull << 30)}},
        {"MEV", {good[0], good[1] | ste::MEV.mask()}},
        {"dword 0 bit 58 (RES0)", {good[0] | (1ull << 58), good[1]}},
    };
    for (const Row& r : rows) {
        EXPECT_EQ(t.vm.nest(r.vste), -EIO) << r.what;
        EXPECT_FALSE(t.vm.nested()) << r.what;
        EXPECT_EQ(ste_word(t.bench, kSid, 0), before) << r.what;
    }
    // V = 0: allowed, and installed as an abort STE (C_BAD_STE can reach the VM).
    EXPECT_EQ(t.vm.nest({0, 0}), 0);
    EXPECT_EQ(ste::Config.get(t.ste()), ste::CONFIG_ABORT);
    // Bypass: the parent's stage 2 alone.
    EXPECT_EQ(t.vm.nest({ste::V.mask() | ste::Config.bits.put(ste::CONFIG_BYPASS), 0}), 0);
    EXPECT_EQ(ste::Config.get(t.ste()), ste::CONFIG_S2_TRANS);
    // EATS = 1 on a device without ATS: accepted, the STE's EATS stays 0.
    EXPECT_EQ(t.vm.nest({good[0], ste::EATS.bits.set(good[1], 1)}), 0) << t.ks.dmesg();
    EXPECT_EQ(ste::Config.get(t.ste()), ste::CONFIG_NESTED);
    EXPECT_EQ(ste::EATS.get(t.ste()), 0u);
    EXPECT_TRUE(t.ks.failures().empty()) << t.ks.failures_text();
    t.vm.destroy();
    remove_smmu_cleanly(t.ks);
}

// An event record of the device, as the SMMU writes it into its event
// queue, reaches the VM's ARM_SMMUV3 vEVENTQ through the driver's event
// thread with the vSID in place of the SID; the TEGRA241_CMDQV vEVENTQ
// beside it stays empty. (The translation path will post such records for
// the guest's DMA; here the record is posted as it would.)
TEST(KernelShimNested, AnEventOfTheDeviceReachesTheVmsVeventqWithTheVsid)
{
    NestedVm t;
    ASSERT_NO_FATAL_FAILURE(t.create());
    ASSERT_EQ(t.vm.veventq_alloc(8, Vm::kVeventqArmSmmuv3), 0);
    EXPECT_EQ(t.vm.veventq_alloc(8, Vm::kVeventqArmSmmuv3), -EEXIST);  // one per type
    ASSERT_EQ(t.vm.veventq_alloc(8), 0);                               // TEGRA241_CMDQV beside it
    std::array<uint64_t, 4> evt{};
    EXPECT_EQ(t.vm.veventq_read_smmu(evt), -EAGAIN);
    ASSERT_EQ(t.vm.guest_stage1({}), 0);
    ASSERT_EQ(t.vm.nest(guest::make_vste(t.vm.stage1()->cd_table(), 0, ste::S1DSS_SSID0, 0)), 0);

    // F_TRANSLATION, StreamID kSid, stage 1 (S2 = 0), read, input address 0x12345000.
    const uint64_t iova = 0x12345000;
    t.bench.smmu().evtq().post({smmuv3::evt::F_TRANSLATION | (uint64_t{kSid} << 32), 0, iova, 0});
    bool lost = true;
    ASSERT_EQ(t.vm.veventq_read_smmu_wait(evt, 1000000, &lost), 0) << t.ks.dmesg();
    EXPECT_FALSE(lost);
    EXPECT_EQ(evt[0] & 0xff, smmuv3::evt::F_TRANSLATION);
    EXPECT_EQ(evt[0] >> 32, kVsid);
    EXPECT_EQ(evt[2], iova);
    std::array<uint64_t, 2> map{};
    EXPECT_EQ(t.vm.veventq_read(map), -EAGAIN);
    // A stage-2 fault is the host's (the driver does not forward S2 = 1).
    t.bench.smmu().evtq().post({smmuv3::evt::F_TRANSLATION | (uint64_t{kSid} << 32), 1ull << 39, iova, 0});
    EXPECT_EQ(t.vm.veventq_read_smmu_wait(evt, 100000, &lost), -EAGAIN);
    t.vm.destroy();
    remove_smmu_cleanly(t.ks);
}

// The trace's vEVENTQ read lines on an ARM_SMMUV3 vEVENTQ, executed by
// KernelTraceOps: a record that matches, one that does not (the failure
// names both), and none at all within the timeout.
TEST(KernelShimNested, VeventqReadLinesCompareTheEventRecord)
{
    TestBench bench;
    KernelShim ks(bench.soc());
    KernelTraceOps ops(ks, bench.soc());
    const std::vector<TraceOp> t = smmusim::test::parse_ops("kernel boot\n"
                                                            "endpoint gpu0 sid=0x20\n"
                                                            "vm v endpoint=gpu0 vsid=5\n"
                                                            "veventq v type=arm-smmuv3\n"
                                                            "guest v stage1\n"
                                                            "veventq v read type=arm-smmuv3 expect empty\n"
                                                            "veventq v read expect event=F_TRANSLATION vsid=5 iova=0x12345000\n"
                                                            "veventq v read timeout=1000 expect event=F_PERMISSION vsid=5\n");
    ASSERT_EQ(t.size(), 8u);
    for (size_t i = 0; i < 6; i++)
        ASSERT_EQ(ops.execute(t[i].kop), "") << i << "\n" << ks.dmesg();
    auto post = [&](uint8_t type) {
        bench.smmu().evtq().post({type | (uint64_t{0x20} << 32), 0, 0x12345000, 0});
    };
    post(smmuv3::evt::F_TRANSLATION);
    EXPECT_EQ(ops.execute(t[6].kop), "");
    post(smmuv3::evt::F_ACCESS);
    EXPECT_EQ(ops.execute(t[7].kop), "vEVENTQ read F_ACCESS vsid=0x5 iova=0x12345000, expected F_PERMISSION vsid=0x5");
    EXPECT_EQ(ops.execute(t[7].kop), "vEVENTQ read: empty after 1000 ns");
    ops.finish();
    EXPECT_EQ(ks.user_memory().bytes_live(), 0u);
}

// End to end, as the issue asks: guest DMA translated stage 1 + stage 2;
// the guest's unmap + TLBI_NH_VA + CMD_SYNC through its own HW queue, after
// which the same DMA faults with F_TRANSLATION and the VM reads the event
// (vSID, IOVA) from its ARM_SMMUV3 vEVENTQ; its other mapping and another
// VM's entries (same ASID, another VMID) still translate.
TEST(KernelShimNested, GuestDmaFaultsAfterItsOwnInvalidationAndTheVmHearsOfIt)
{
    const std::string trace = "kernel boot\n"
                              "endpoint gpu0 sid=0x10\n"
                              "endpoint gpu1 sid=0x20\n"
                              "vm vm0 endpoint=gpu0 vsid=3\n"
                              "vm vm1 endpoint=gpu1 vsid=4\n"
                              "veventq vm0 type=arm-smmuv3\n"
                              "guest vm0 stage1 ssids=2 asid=0x10\n"
                              "guest vm1 stage1 asid=0x10\n"
                              "guest vm0 map iova=0x100000 gpa=0x40010000 size=0x2000\n"
                              "guest vm1 map iova=0x100000 gpa=0x40010000 size=0x2000\n"
                              "dma gpu0 iova=0x100000 size=64 read expect=ok\n"
                              "dma gpu0 iova=0x101000 size=64 write expect=ok\n"
                              "dma gpu1 iova=0x101000 size=64 read expect=ok\n"
                              "hwqueue vm0 index=0 gpa=0x40000000 size=0x1000\n"
                              "guest vm0 enable 0\n"
                              "guest vm0 unmap iova=0x101000 size=0x1000\n"
                              "guest vm0 cmd 0 TLBI_NH_VA asid=0x10 addr=0x101000 leaf=1\n"
                              "guest vm0 cmd 0 CMD_SYNC\n"
                              "guest vm0 doorbell 0\n"
                              "guest vm0 wait 0\n"
                              "dma gpu0 iova=0x101000 size=64 read expect=fault:F_TRANSLATION\n"
                              "veventq vm0 read expect event=F_TRANSLATION vsid=3 iova=0x101000\n"
                              "dma gpu0 iova=0x100000 size=64 read expect=ok\n"
                              "dma gpu1 iova=0x101000 size=64 read expect=ok\n"
                              "dma gpu0 ssid=1 iova=0x100000 size=64 read expect=fault:F_TRANSLATION\n"
                              "veventq vm0 read expect event=F_TRANSLATION vsid=3 iova=0x100000\n"
                              "vm vm1 destroy\n"
                              "vm vm0 destroy\n";
    const std::string err = smmusim::test::parse_error(trace);
    ASSERT_EQ(err, "");
    TestBench bench;
    KernelShim ks(bench.soc());
    KernelTraceOps ops(ks, bench.soc());
    TracePlayer player(bench.soc(), smmusim::test::trace_text(trace));
    player.validate();
    player.set_kernel(&ops, ks.options().stack_bytes);
    player.start();
    sc_core::sc_start();
    ASSERT_TRUE(player.finished());
    for (const std::string& f : player.failures())
        ADD_FAILURE() << f;
    EXPECT_TRUE(ks.failures().empty()) << ks.failures_text();
}

}  // namespace
}  // namespace smmusim::kshim
