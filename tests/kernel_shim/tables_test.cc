// SPDX-License-Identifier: GPL-2.0-only
// The STEs and CDs the real arm-smmu-v3 driver writes into simulated DRAM,
// located and decoded by the model's stream-table code (stream_table.h,
// ste.h, cd.h), for a linear and a 2-level stream table: nothing Linux
// writes is C_BAD_STE / C_BAD_CD, and the decoded fields are what the
// driver meant (the paging domain's ASID, the VM's stage-2 VMID).
#include <cstdio>
#include <ostream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "kernel_shim.h"
#include "shim_setup.h"
#include "smmuv3/evtq.h"
#include "smmuv3/smmuv3_regs.h"
#include "smmuv3/translation/stream_table.h"
#include "support/stream_table.h"
#include "support/testbench.h"
#include "vmm/vmm.h"

namespace smmusim::kshim {
namespace {

using smmusim::test::TestBench;
using namespace smmusim::smmuv3;

constexpr uint32_t kSid = 0x10;

struct Layout {
    const char* name;
    std::vector<std::string> config;
    uint64_t fmt;
};

void PrintTo(const Layout& l, std::ostream* os) { *os << l.name; }

class KernelShimTables : public testing::TestWithParam<Layout> {};

SteFetch fetch(TestBench& bench, uint32_t sid)
{
    smmuv3::MemoryTableReader mem(bench.soc().memory());
    return fetch_stream_config(test::strtab_base(bench), test::strtab_base_cfg(bench), sid, test::smmu_context(bench),
                               mem);
}

TEST_P(KernelShimTables, PagingDomainSteAndCdDecode)
{
    TestBench bench(GetParam().config);
    KernelShim ks(bench.soc());
    ASSERT_EQ(ks.probe_smmu(), 0) << ks.dmesg() << ks.failures_text();
    EXPECT_EQ(strtab::FMT.get(test::strtab_base_cfg(bench)), GetParam().fmt);
    int ep = -1, dom = -1;
    ASSERT_NO_FATAL_FAILURE(attach_paging_domain(ks, ep, dom));

    const SteFetch ste = fetch(bench, kSid);
    ASSERT_FALSE(ste.fault) << "event " << int(ste.fault.type) << " reason " << int(ste.fault.reason);
    EXPECT_EQ(ste.config.mode, StreamMode::Translate);
    EXPECT_TRUE(ste.config.s1_enabled);
    EXPECT_FALSE(ste.config.s2_enabled);
    EXPECT_EQ(ste.reads, GetParam().fmt == strtab::FMT_2LVL ? 2u : 1u);

    // arm_smmu_device_reset() sets CR2.RECINVSID, and CR2.E2H on a VHE host
    // (ARM_SMMU_FEAT_E2H): the driver's STE has STRW = EL2, the EL2&0 regime,
    // whose TLB entries carry an ASID and no VMID.
    const SteContext ctx = test::smmu_context(bench);
    EXPECT_TRUE(ctx.recinvsid);
    EXPECT_TRUE(ctx.e2h);
    EXPECT_EQ(ste.config.regime, Regime::El2E2h);
    EXPECT_EQ(ste.config.vmid, 0u);
    smmuv3::MemoryTableReader mem(bench.soc().memory());
    const CdFetch cd = fetch_cd(ste.config, false, 0, CdContext::of(ctx, ste.config), mem);
    ASSERT_FALSE(cd.fault) << "event " << int(cd.fault.type) << " reason " << int(cd.fault.reason);
    EXPECT_FALSE(cd.s1_bypass);
    EXPECT_EQ(cd.config.asid, ks.domain_asid(dom));
    EXPECT_EQ(cd.config.s1.granule, Granule::k4K);
    EXPECT_EQ(cd.config.s1.oa_bits, 48u);
    EXPECT_TRUE(cd.config.s1.record);
    uint64_t top = 0;  // the top-level table io-pgtable allocated is memory
    EXPECT_TRUE(mem.read(cd.config.s1.ttb, &top, 8));

    // Every other StreamID of the table: the driver's initial STE (abort or
    // bypass), never an ILLEGAL one; beyond SIDSIZE, C_BAD_STREAMID.
    for (uint32_t sid = 0; sid < 64; sid++) {
        if (sid == kSid)
            continue;
        const SteFetch other = fetch(bench, sid);
        if (other.fault) {
            EXPECT_EQ(other.fault.type, evt::C_BAD_STREAMID) << sid;  // no level-2 array for it
        } else {
            EXPECT_NE(other.config.mode, StreamMode::Translate) << sid;
        }
    }
    if (ctx.sidsize < 32) {
        EXPECT_EQ(fetch(bench, uint32_t(1) << ctx.sidsize).fault.type, evt::C_BAD_STREAMID);
    }
    ks.domain_detach(dom, ep);
    ks.domain_free(dom);
    remove_smmu_cleanly(ks);
}

TEST_P(KernelShimTables, VmStageTwoSteDecodes)
{
    std::vector<std::string> config;  // the VM's vIOMMU is the CMDQV's: keep it on the board
    for (const std::string& c : GetParam().config)
        if (c != "cmdqv.present=false")
            config.push_back(c);
    TestBench bench(config);
    KernelShim ks(bench.soc());
    ASSERT_EQ(ks.probe_smmu(), 0) << ks.dmesg();
    const int ep = ks.add_endpoint("gpu0", {kSid});
    ASSERT_GE(ep, 0);
    Vm vm(ks);
    ASSERT_EQ(vm.create({ep, 2ull << 20, 1ull << 30, UserMemory::Layout::Contiguous, 2}), 0)
        << vm.failed_step() << "\n" << ks.dmesg();

    const SteFetch ste = fetch(bench, kSid);
    ASSERT_FALSE(ste.fault) << "event " << int(ste.fault.type) << " reason " << int(ste.fault.reason);
    EXPECT_EQ(ste.config.mode, StreamMode::Translate);
    EXPECT_TRUE(ste.config.s2_enabled);
    EXPECT_EQ(ste.config.vmid, test::ste_word(bench, kSid, 2) & 0xffff);
    EXPECT_NE(ste.config.vmid, 0u);
    const StageConfig& s2 = ste.config.s2;
    EXPECT_TRUE(s2.enabled && s2.record && s2.s2ptw);
    EXPECT_EQ(s2.granule, Granule::k4K);
    EXPECT_EQ(s2.oa_bits, 48u);
    uint64_t top = 0;
    smmuv3::MemoryTableReader mem(bench.soc().memory());
    EXPECT_TRUE(mem.read(s2.ttb, &top, 8));
    printf("VM stage 2: IPA %u bits, start level %u, %u table(s), S2PS %u bits\n", s2.ia_bits, s2.start_level,
           s2.concat, s2.oa_bits);
}

INSTANTIATE_TEST_SUITE_P(
    Layouts, KernelShimTables,
    testing::Values(Layout{"linear", {"cmdqv.present=false", "smmu.idr.st_2lvl=false"}, strtab::FMT_LINEAR},
                    Layout{"two_level", {"cmdqv.present=false"}, strtab::FMT_2LVL},
                    Layout{"two_level_sid32", {"cmdqv.present=false", "smmu.idr.sidsize=32"}, strtab::FMT_2LVL}),
    [](const testing::TestParamInfo<Layout>& i) { return std::string(i.param.name); });

}  // namespace
}  // namespace smmusim::kshim
