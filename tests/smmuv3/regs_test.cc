// SPDX-License-Identifier: GPL-2.0-only
// The SMMUv3 programming interface: offsets, reset values, masks, ID
// registers from the config, and the timed acknowledgement handshakes.
#include <gtest/gtest.h>

#include "support/testbench.h"

using namespace smmusim;
using namespace smmusim::smmuv3;
using smmusim::test::TestBench;
using smmusim::test::settle;

TEST(Smmuv3Regs, OffsetsAreTheArchitectedOnes)
{
    // Arm IHI 0070 register map (page 0; EVTQ/PRIQ PROD/CONS in page 1).
    EXPECT_EQ(IDR0, 0x0u);
    EXPECT_EQ(IDR5, 0x14u);
    EXPECT_EQ(IIDR, 0x18u);
    EXPECT_EQ(AIDR, 0x1cu);
    EXPECT_EQ(CR0, 0x20u);
    EXPECT_EQ(CR0ACK, 0x24u);
    EXPECT_EQ(CR1, 0x28u);
    EXPECT_EQ(CR2, 0x2cu);
    EXPECT_EQ(STATUSR, 0x40u);
    EXPECT_EQ(GBPA, 0x44u);
    EXPECT_EQ(AGBPA, 0x48u);
    EXPECT_EQ(IRQ_CTRL, 0x50u);
    EXPECT_EQ(IRQ_CTRLACK, 0x54u);
    EXPECT_EQ(GERROR, 0x60u);
    EXPECT_EQ(GERRORN, 0x64u);
    EXPECT_EQ(GERROR_IRQ_CFG0, 0x68u);
    EXPECT_EQ(STRTAB_BASE, 0x80u);
    EXPECT_EQ(STRTAB_BASE_CFG, 0x88u);
    EXPECT_EQ(CMDQ_BASE, 0x90u);
    EXPECT_EQ(CMDQ_PROD, 0x98u);
    EXPECT_EQ(CMDQ_CONS, 0x9cu);
    EXPECT_EQ(EVTQ_BASE, 0xa0u);
    EXPECT_EQ(EVTQ_IRQ_CFG0, 0xb0u);
    EXPECT_EQ(PRIQ_BASE, 0xc0u);
    EXPECT_EQ(PRIQ_IRQ_CFG0, 0xd0u);
    EXPECT_EQ(EVTQ_PROD, 0x100a8u);
    EXPECT_EQ(EVTQ_CONS, 0x100acu);
    EXPECT_EQ(PRIQ_PROD, 0x100c8u);
    EXPECT_EQ(PRIQ_CONS, 0x100ccu);
}

TEST(Smmuv3Regs, ResetValuesAndIdRegistersFromConfig)
{
    TestBench b({"smmu.idr.sidsize=20", "smmu.idr.cmdqs=10", "smmu.idr.ats=false", "smmu.idr.ril=false",
             "smmu.idr.iidr=0x12345678"});
    b.run([&] {
        const uint32_t idr0 = b.rd32(IDR0), idr1 = b.rd32(IDR1);
        EXPECT_EQ(idr1::SIDSIZE.get(idr1), 20u);
        EXPECT_EQ(idr1::CMDQS.get(idr1), 10u);
        EXPECT_EQ(idr1::SSIDSIZE.get(idr1), 20u);
        EXPECT_EQ(idr0::ATS.get(idr0), 0u);
        EXPECT_EQ(idr0::S1P.get(idr0), 1u);
        EXPECT_EQ(idr0::S2P.get(idr0), 1u);
        EXPECT_EQ(idr0::MSI.get(idr0), 1u);
        EXPECT_EQ(idr0::TTF.get(idr0), idr0::TTF_AARCH64);
        EXPECT_EQ(idr0::ST_LVL.get(idr0), idr0::ST_LVL_2LVL);
        EXPECT_EQ(idr0::STALL_MODEL.get(idr0), idr0::STALL_MODEL_NONE);
        EXPECT_EQ(idr0::PRI.get(idr0), 0u);  // not implemented, so not advertised
        EXPECT_EQ(idr3::RIL.get(b.rd32(IDR3)), 0u);
        EXPECT_EQ(idr5::OAS.get(b.rd32(IDR5)), idr5::OAS_48);
        EXPECT_EQ(b.rd32(IIDR), 0x12345678u);
        for (uint32_t r : {CR0, CR0ACK, CR1, CR2, STATUSR, IRQ_CTRL, IRQ_CTRLACK, GERROR, GERRORN, CMDQ_PROD, CMDQ_CONS,
                           EVTQ_PROD, EVTQ_CONS, STRTAB_BASE_CFG})
            EXPECT_EQ(b.rd32(r), 0u) << std::hex << r;
        EXPECT_EQ(b.rd32(GBPA), gbpa::SHCFG.put(1));
        EXPECT_EQ(b.rd64(CMDQ_BASE), 0u);
        // ID registers are read-only.
        b.wr32(IDR1, 0);
        EXPECT_EQ(b.rd32(IDR1), idr1);
    });
    EXPECT_TRUE(b.finished());
}

TEST(Smmuv3Regs, WriteMasksDropReservedBits)
{
    TestBench b;
    b.run([&] {
        // PRIQEN, the PRI bits of GERRORN and PRIQ_IRQEN are RES0 (IDR0.PRI = 0;
        // res0_fields_test.cc has the rest).
        b.wr32(CR0, 0xffffffff);
        EXPECT_EQ(b.rd32(CR0), cr0::kMask & ~cr0::PRIQEN.mask());
        b.wr32(CR0, 0);
        b.wr64(CMDQ_BASE, ~0ull);
        EXPECT_EQ(b.rd64(CMDQ_BASE), q::kBaseMask);
        b.wr64(STRTAB_BASE, ~0ull);
        EXPECT_EQ(b.rd64(STRTAB_BASE), strtab::kBaseMask);
        b.wr32(GERROR_IRQ_CFG0, 0xffffffff);  // low half of a 64-bit register
        EXPECT_EQ(b.rd64(GERROR_IRQ_CFG0), 0xfffffffcull);
        b.wr32(GERROR_IRQ_CFG0 + 4, 0xffffffff);
        EXPECT_EQ(b.rd64(GERROR_IRQ_CFG0), irq_cfg::kCfg0Mask);
        b.wr32(GERRORN, 0xffffffff);
        EXPECT_EQ(b.rd32(GERRORN), gerror::kMask & ~(gerror::PRIQ_ABT_ERR.mask() | gerror::MSI_PRIQ_ABT_ERR.mask()));
        b.wr32(IRQ_CTRL, 0xff);
        EXPECT_EQ(b.rd32(IRQ_CTRL), irq_ctrl::kMask & ~irq_ctrl::PRIQ_IRQEN.mask());
        // CMDQ_PROD keeps index + wrap bits of the largest queue (IDR1.CMDQS = 19).
        b.wr32(CMDQ_PROD, 0xffffffff);
        EXPECT_EQ(b.rd32(CMDQ_PROD), (2u << 19) - 1);
    });
    EXPECT_TRUE(b.finished());
}

TEST(Smmuv3Regs, Cr0AckFollowsAfterExactlyCr0AckCycles)
{
    // The CR0 write takes effect when it lands (bus 4 + register 2 cycles,
    // i.e. when wr32 returns); CR0ACK follows smmu.cr0ack_cycles = 16 later.
    TestBench b;
    b.run([&] {
        const uint64_t t0 = b.now();
        b.wr32(CR0, cr0::CMDQEN.mask() | cr0::EVTQEN.mask());
        EXPECT_EQ(b.now() - t0, 6u);
        b.wait_cycles(15);
        settle();
        EXPECT_EQ(b.smmu().bank().get(CR0ACK), 0u) << "N-1";
        b.wait_cycles(1);
        settle();
        EXPECT_EQ(b.smmu().bank().get(CR0ACK), cr0::CMDQEN.mask() | cr0::EVTQEN.mask()) << "N";
        EXPECT_TRUE(b.smmu().cmdq_enabled());
    });
    EXPECT_TRUE(b.finished());
}

TEST(Smmuv3Regs, Cr0AckTimingIsAParameter)
{
    TestBench b({"smmu.cr0ack_cycles=100"});
    b.run([&] {
        b.wr32(CR0, cr0::SMMUEN.mask());
        b.wait_cycles(99);
        settle();
        EXPECT_EQ(b.smmu().bank().get(CR0ACK), 0u);
        b.wait_cycles(1);
        settle();
        EXPECT_EQ(b.smmu().bank().get(CR0ACK), cr0::SMMUEN.mask());
    });
    EXPECT_TRUE(b.finished());
}

TEST(Smmuv3Regs, IrqCtrlAckAndGbpaUpdateTakeModelledTime)
{
    TestBench b;
    b.run([&] {
        b.wr32(IRQ_CTRL, irq_ctrl::GERROR_IRQEN.mask() | irq_ctrl::EVTQ_IRQEN.mask());
        b.wait_cycles(7);
        settle();
        EXPECT_EQ(b.smmu().bank().get(IRQ_CTRLACK), 0u);
        b.wait_cycles(1);
        settle();
        EXPECT_EQ(b.smmu().bank().get(IRQ_CTRLACK), irq_ctrl::GERROR_IRQEN.mask() | irq_ctrl::EVTQ_IRQEN.mask());

        b.wr32(GBPA, gbpa::UPDATE.mask() | gbpa::ABORT.mask());
        EXPECT_TRUE(gbpa::UPDATE.get(b.smmu().bank().get(GBPA)));
        b.wr32(GBPA, 0);  // ignored: an update is in progress
        b.wait_cycles(1);
        EXPECT_TRUE(gbpa::ABORT.get(b.smmu().bank().get(GBPA)));
        EXPECT_TRUE(b.wait_until([&] { return !gbpa::UPDATE.get(b.rd32(GBPA)); }, 20));
        EXPECT_TRUE(gbpa::ABORT.get(b.rd32(GBPA)));
        EXPECT_EQ(b.smmu().stats().value("ignored_writes"), 1u);
    });
    EXPECT_TRUE(b.finished());
}

TEST(Smmuv3Regs, TablesAndControlAreFrozenWhileEnabled)
{
    TestBench b;
    b.run([&] {
        b.wr64(STRTAB_BASE, 0x80000000);
        b.wr32(CR1, 0x555);
        b.wr32(CR0, cr0::SMMUEN.mask());
        EXPECT_TRUE(b.wait_until([&] { return b.rd32(CR0ACK) == cr0::SMMUEN.mask(); }));
        b.wr64(STRTAB_BASE, 0x90000000);
        b.wr32(STRTAB_BASE_CFG, 5);
        b.wr32(CR1, 0);
        b.wr32(CR2, 1);
        EXPECT_EQ(b.rd64(STRTAB_BASE), 0x80000000u);
        EXPECT_EQ(b.rd32(STRTAB_BASE_CFG), 0u);
        EXPECT_EQ(b.rd32(CR1), 0x555u);
        EXPECT_EQ(b.rd32(CR2), 0u);
        EXPECT_EQ(b.smmu().stats().value("ignored_writes"), 4u);
    });
    EXPECT_TRUE(b.finished());
}

TEST(Smmuv3Regs, IllegalAccessSizesAreBusErrorsAndReservedSpaceIsRazWi)
{
    TestBench b;
    b.run([&] {
        uint64_t v = 0;
        EXPECT_FALSE(b.access(CR0, 2, false, v));       // 16-bit
        EXPECT_FALSE(b.access(CR0, 8, false, v));       // 64-bit on a 32-bit register
        EXPECT_FALSE(b.access(CMDQ_BASE + 2, 4, true, v));  // misaligned
        EXPECT_FALSE(b.access(CMDQ_PROD, 1, true, v));  // byte write
        v = 0xdead;
        EXPECT_TRUE(b.access(0x300, 4, true, v));       // reserved: WI
        EXPECT_TRUE(b.access(0x300, 4, false, v));      // RAZ
        EXPECT_EQ(v, 0u);
        EXPECT_TRUE(b.access(0xa8, 4, false, v));       // page-0 hole where EVTQ_PROD is not
        EXPECT_EQ(v, 0u);
        EXPECT_EQ(b.smmu().stats().value("bad_accesses"), 4u);
        // The model keeps working.
        b.wr32(CR2, 1);
        EXPECT_EQ(b.rd32(CR2), 1u);
    });
    EXPECT_TRUE(b.finished());
}
