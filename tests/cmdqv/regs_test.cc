// SPDX-License-Identifier: GPL-2.0-only
// The CMDQV programming interface: layout, PARAM, reset values, handshakes,
// the global and per-VINTF VCMDQ pages.
#include <gtest/gtest.h>

#include "cmdqv/cmdqv.h"
#include "cmdqv_helpers.h"

using namespace smmusim;
using namespace smmusim::cmdqv;
using namespace smmusim::test;

TEST(CmdqvRegs, LayoutMatchesTheDriver)
{
    // Offsets as drivers/iommu/arm/arm-smmu-v3/tegra241-cmdqv.c defines them.
    EXPECT_EQ(CONFIG, 0x0u);
    EXPECT_EQ(PARAM, 0x4u);
    EXPECT_EQ(STATUS, 0x8u);
    EXPECT_EQ(VINTF_ERR_MAP, 0x14u);
    EXPECT_EQ(VINTF_INT_MASK, 0x1cu);
    EXPECT_EQ(cmdq_err_map(3), 0x30u);
    EXPECT_EQ(cmdq_alloc(5), 0x214u);
    EXPECT_EQ(vintf(2), 0x1200u);
    EXPECT_EQ(vintf_sid_match(3), 0x4cu);
    EXPECT_EQ(vintf_sid_replace(3), 0x8cu);
    EXPECT_EQ(vintf_lvcmdq_err_map(1), 0xc8u);
    EXPECT_EQ(vq0(1, VCMDQ_GERRORN), 0x10094u);
    EXPECT_EQ(vq1(1, VCMDQ_CONS_INDX_BASE), 0x20088u);
    EXPECT_EQ(lvq0(1, 1, VCMDQ_PROD), 0x50084u);
    EXPECT_EQ(lvq1(1, 0, VCMDQ_BASE), 0x60000u);
    EXPECT_EQ(alloc::VINTF.mask(), 0x1f8000u);
    EXPECT_EQ(alloc::LVCMDQ.mask(), 0xfeu);
    EXPECT_EQ(vintf_config::HYP_OWN.mask(), 1u << 17);
    EXPECT_EQ(vintf_config::VMID.mask(), 0x1fffeu);
    EXPECT_EQ(vcmdq_base::ADDR.mask(), 0xffffffffffe0ull);
    EXPECT_EQ(space_size(64), 0x830000u);
}

TEST(CmdqvRegs, ParamAndResetValues)
{
    TestBench b({"cmdqv.vintfs_log2=2", "cmdqv.vcmdqs_log2=3", "cmdqv.sids_per_vintf_log2=2", "cmdqv.version=3"});
    EXPECT_EQ(b.soc().cmdqv().lvcmdqs_per_vintf(), 2u);
    b.run([&] {
        const uint32_t param = static_cast<uint32_t>(b.cmdqv_rd(PARAM));
        EXPECT_EQ(param::VER.get(param), 3u);
        EXPECT_EQ(param::NUM_VINTF_LOG2.get(param), 2u);
        EXPECT_EQ(param::NUM_VCMDQ_LOG2.get(param), 3u);
        EXPECT_EQ(param::NUM_SID_PER_VM_LOG2.get(param), 2u);
        for (uint32_t r : {CONFIG, STATUS, VINTF_ERR_MAP, VINTF_INT_MASK, cmdq_err_map(0), cmdq_alloc(7),
                           vintf(3) + VINTF_CONFIG, vintf(3) + VINTF_STATUS, vintf(3) + vintf_sid_match(3),
                           vq0(7, VCMDQ_CONS), vq0(7, VCMDQ_CONFIG), vq0(7, VCMDQ_GERROR)})
            EXPECT_EQ(b.cmdqv_rd(r), 0u) << std::hex << r;
        EXPECT_EQ(b.cmdqv_rd(vq1(7, VCMDQ_BASE), 8), 0u);
        // PARAM is read-only; beyond the configured VINTFs/SIDs/VCMDQs is RAZ/WI.
        b.cmdqv_wr(PARAM, 0);
        EXPECT_EQ(b.cmdqv_rd(PARAM), param);
        b.cmdqv_wr(vintf(4) + VINTF_CONFIG, 1);
        EXPECT_EQ(b.cmdqv_rd(vintf(4) + VINTF_CONFIG), 0u);
        b.cmdqv_wr(vintf(0) + vintf_sid_match(4), 1);
        EXPECT_EQ(b.cmdqv_rd(vintf(0) + vintf_sid_match(4)), 0u);
        b.cmdqv_wr(vq0(8, VCMDQ_PROD), 1);
        EXPECT_EQ(b.cmdqv_rd(vq0(8, VCMDQ_PROD)), 0u);
        // Past the last VINTF's pages: a bus error.
        uint64_t v = 0;
        EXPECT_FALSE(b.cmdqv_access(space_size(4), 4, false, v));
        EXPECT_FALSE(b.cmdqv_access(CONFIG, 2, false, v));
        EXPECT_FALSE(b.cmdqv_access(vq0(0, VCMDQ_CONS), 8, false, v));  // 64-bit on a 32-bit register
    });
    EXPECT_TRUE(b.finished());
}

TEST(CmdqvRegs, EnableHandshakeTakesExactlyEnableCycles)
{
    TestBench b;
    b.run([&] {
        b.cmdqv_wr(CONFIG, 1);
        b.wait_cycles(15);
        settle();
        EXPECT_EQ(b.soc().cmdqv().bank().get(STATUS), 0u) << "N-1";
        b.wait_cycles(1);
        settle();
        EXPECT_EQ(b.soc().cmdqv().bank().get(STATUS), 1u) << "N";
        // The same for a VINTF.
        b.cmdqv_wr(vintf(1) + VINTF_CONFIG, 1);
        b.wait_cycles(15);
        settle();
        EXPECT_FALSE(b.soc().cmdqv().vintf_enabled(1));
        b.wait_cycles(1);
        settle();
        EXPECT_TRUE(b.soc().cmdqv().vintf_enabled(1));
    });
    EXPECT_TRUE(b.finished());
}

TEST(CmdqvRegs, VintfNeedsTheCmdqvAndKeepsVmidWhileEnabled)
{
    TestBench b;
    b.run([&] {
        b.cmdqv_wr(vintf(2) + VINTF_CONFIG, 1);
        b.wait_cycles(50);
        EXPECT_EQ(b.cmdqv_rd(vintf(2) + VINTF_STATUS) & 1, 0u);  // CMDQV is off: ignored
        enable_cmdqv(b);
        enable_vintf(b, 2, false, 7);
        b.cmdqv_wr(vintf(2) + VINTF_CONFIG, vintf_config::VMID.put(9) | vintf_config::HYP_OWN.mask() | 1);
        EXPECT_EQ(b.cmdqv_rd(vintf(2) + VINTF_CONFIG), vintf_config::VMID.put(7) | 1);
        EXPECT_EQ(b.soc().cmdqv().vintf_view(2).vmid, 7);
        EXPECT_FALSE(b.soc().cmdqv().vintf_view(2).hyp_own);
        // Disabling with a plain 0 clears VMID too.
        b.cmdqv_wr(vintf(2) + VINTF_CONFIG, 0);
        b.wait_cycles(50);
        EXPECT_EQ(b.cmdqv_rd(vintf(2) + VINTF_CONFIG), 0u);
        EXPECT_EQ(b.cmdqv_rd(vintf(2) + VINTF_STATUS) & 1, 0u);
    });
    EXPECT_EQ(b.soc().cmdqv().stats().value("ignored_writes"), 2u);
}

TEST(CmdqvRegs, VintfPagesAliasTheMappedVcmdqOnly)
{
    TestBench b;
    b.run([&] {
        enable_cmdqv(b);
        map_lvcmdq(b, 5, 3, 0);  // global VCMDQ 5 = VINTF3's LVCMDQ0
        b.cmdqv_wr(lvq1(3, 0, VCMDQ_BASE), 0x80200000ull | 6, 8);
        EXPECT_EQ(b.cmdqv_rd(vq1(5, VCMDQ_BASE), 8), 0x80200000ull | 6);
        b.cmdqv_wr(vq0(5, VCMDQ_PROD), 3);
        EXPECT_EQ(b.cmdqv_rd(lvq0(3, 0, VCMDQ_PROD)), 3u);
        // LVCMDQ1 of VINTF3 is not mapped: RAZ/WI, and VCMDQ 6 is untouched.
        b.cmdqv_wr(lvq0(3, 1, VCMDQ_PROD), 9);
        EXPECT_EQ(b.cmdqv_rd(lvq0(3, 1, VCMDQ_PROD)), 0u);
        EXPECT_EQ(b.cmdqv_rd(vq0(6, VCMDQ_PROD)), 0u);
        // Another VINTF's page does not see it.
        EXPECT_EQ(b.cmdqv_rd(lvq0(2, 0, VCMDQ_PROD)), 0u);
        EXPECT_EQ(vintf_status::VI_NUM_LVCMDQ.get(b.cmdqv_rd(vintf(3) + VINTF_STATUS)), 1u);
    });
    EXPECT_TRUE(b.finished());
}

TEST(CmdqvRegs, VcmdqRegisterRules)
{
    TestBench b;
    b.run([&] {
        const uint64_t q = enable_host_lvcmdq0(b);
        // While enabled: BASE, CONS_INDX_BASE and CONS are frozen; STATUS and GERROR are read-only.
        b.cmdqv_wr(vq1(0, VCMDQ_BASE), 0, 8);
        b.cmdqv_wr(vq1(0, VCMDQ_CONS_INDX_BASE), 0x80000000, 8);
        b.cmdqv_wr(vq0(0, VCMDQ_CONS), 3);
        b.cmdqv_wr(vq0(0, VCMDQ_STATUS), 0);
        b.cmdqv_wr(vq0(0, VCMDQ_GERROR), 7);
        EXPECT_EQ(b.cmdqv_rd(vq1(0, VCMDQ_BASE), 8), q | 4);
        EXPECT_EQ(b.cmdqv_rd(vq1(0, VCMDQ_CONS_INDX_BASE), 8), 0u);
        EXPECT_EQ(b.cmdqv_rd(vq0(0, VCMDQ_CONS)), 0u);
        EXPECT_EQ(b.cmdqv_rd(vq0(0, VCMDQ_STATUS)), 1u);
        EXPECT_EQ(b.cmdqv_rd(vq0(0, VCMDQ_GERROR)), 0u);
        // BASE keeps only ADDR[47:5] and LOG2SIZE[4:0]... when disabled.
        write_config(b, vq0(0, VCMDQ_CONFIG), vq0(0, VCMDQ_STATUS), 0);
        b.cmdqv_wr(vq1(0, VCMDQ_BASE), ~0ull, 8);
        EXPECT_EQ(b.cmdqv_rd(vq1(0, VCMDQ_BASE), 8), 0xffffffffffffull);
    });
    EXPECT_EQ(b.soc().cmdqv().vcmdq(0).stats().value("ignored_writes"), 3u);
}
