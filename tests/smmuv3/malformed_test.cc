// SPDX-License-Identifier: GPL-2.0-only
// Malformed programming sequences: each must leave the simulator running
// with the architected error (or documented behaviour) visible.
#include <gtest/gtest.h>

#include "smmuv3/cmdq.h"
#include "smmuv3/evtq.h"
#include "support/testbench.h"

using namespace smmusim;
using namespace smmusim::smmuv3;
using smmusim::test::TestBench;
using smmusim::test::cmd;
using smmusim::test::cmd_sync;

TEST(Smmuv3Malformed, CommandQueueInUnpopulatedMemoryAborts)
{
    TestBench b;
    b.run([&] {
        b.wr64(CMDQ_BASE, 0x4000000000ull | 4);  // nothing lives there
        b.wr32(CR0, cr0::CMDQEN.mask());
        b.wait_cycles(20);
        b.wr32(CMDQ_PROD, 1);
        EXPECT_TRUE(b.wait_until([&] { return gerror::CMDQ_ERR.get(b.rd32(GERROR)) != 0; }, 1000));
        EXPECT_EQ(q::CONS_ERR.get(b.rd32(CMDQ_CONS)), CERROR_ABT);
        EXPECT_EQ(b.rd32(CMDQ_CONS) & 0xff, 0u);
    });
    EXPECT_TRUE(b.finished());
    EXPECT_EQ(b.smmu().cmdq().stats().value("fetch_aborts"), 1u);
}

TEST(Smmuv3Malformed, BaseAndConsWritesWhileEnabledAreIgnored)
{
    TestBench b;
    b.run([&] {
        const uint64_t q = b.enable_cmdq();
        b.wr64(CMDQ_BASE, 0x4000000000ull);
        b.wr32(CMDQ_CONS, 5);
        EXPECT_EQ(b.rd64(CMDQ_BASE), q | 8);
        EXPECT_EQ(b.rd32(CMDQ_CONS), 0u);
        b.submit(q, 8, {cmd_sync()});
        EXPECT_TRUE(b.wait_until([&] { return b.rd32(CMDQ_CONS) == 1u; }, 1000));
    });
    EXPECT_EQ(b.smmu().stats().value("ignored_writes"), 2u);
}

TEST(Smmuv3Malformed, ProdBeyondTheQueueUsesOnlyIndexAndWrapBits)
{
    TestBench b;
    b.run([&] {
        const uint64_t q = b.enable_cmdq(2);  // 4 entries: pointer bits [2:0]
        for (uint32_t i = 0; i < 4; i++) {
            auto s = cmd_sync();
            b.put_cmd(q, i, s.first, s.second);
        }
        b.wr32(CMDQ_PROD, 0x8 | 2);  // bit 3 is above index + wrap: ignored
        EXPECT_TRUE(b.wait_until([&] { return b.rd32(CMDQ_CONS) == 2u; }, 1000));
        b.wait_cycles(200);
        EXPECT_EQ(b.rd32(CMDQ_CONS), 2u);
    });
    EXPECT_EQ(b.smmu().cmdq().stats().value("consumed"), 2u);
}

TEST(Smmuv3Malformed, DisablingMidStreamStopsAndReenablingResumes)
{
    TestBench b;
    b.run([&] {
        const uint64_t q = b.enable_cmdq();
        std::vector<std::pair<uint64_t, uint64_t>> cmds(12, cmd(OP_TLBI_NH_ALL));  // 32 cycles each
        b.submit(q, 8, cmds);
        b.wait_cycles(100);
        b.wr32(CR0, 0);
        EXPECT_TRUE(b.wait_until([&] { return b.rd32(CR0ACK) == 0; }));
        b.wait_cycles(500);
        const uint32_t stopped = b.rd32(CMDQ_CONS);
        EXPECT_GT(stopped, 0u);
        EXPECT_LT(stopped, 12u);
        b.wait_cycles(500);
        EXPECT_EQ(b.rd32(CMDQ_CONS), stopped);
        b.wr32(CR0, cr0::CMDQEN.mask());
        EXPECT_TRUE(b.wait_until([&] { return b.rd32(CMDQ_CONS) == 12u; }, 5000));
    });
    EXPECT_EQ(b.smmu().cmdq().stats().value("consumed"), 12u);
}

TEST(Smmuv3Malformed, ReservedSyncCsIsIllegal)
{
    TestBench b;
    b.run([&] {
        const uint64_t q = b.enable_cmdq();
        b.submit(q, 8, {cmd(OP_CMD_SYNC, cmdf::SYNC_CS.put(3))});
        EXPECT_TRUE(b.wait_until([&] { return gerror::CMDQ_ERR.get(b.rd32(GERROR)) != 0; }, 1000));
        EXPECT_EQ(q::CONS_ERR.get(b.rd32(CMDQ_CONS)), CERROR_ILL);
        // A second error while the first is unacknowledged changes nothing.
        b.smmu().raise_gerror(gerror::CMDQ_ERR);
        EXPECT_EQ(gerror::CMDQ_ERR.get(b.rd32(GERROR)), 1u);
    });
    EXPECT_EQ(b.smmu().stats().value("gerrors"), 1u);
}

TEST(Smmuv3Malformed, SyncMsiToNowhereRaisesMsiCmdqAbortAndStillCompletes)
{
    TestBench b;
    b.run([&] {
        const uint64_t q = b.enable_cmdq();
        b.submit(q, 8, {cmd_sync(cmdf::CS_IRQ, 0x4000000000ull, 1)});
        EXPECT_TRUE(b.wait_until([&] { return b.rd32(CMDQ_CONS) == 1u; }, 1000));
        EXPECT_EQ(gerror::MSI_CMDQ_ABT_ERR.get(b.rd32(GERROR)), 1u);
    });
    EXPECT_TRUE(b.finished());
}

TEST(Smmuv3Malformed, EventQueueInUnpopulatedMemoryRaisesEvtqAbort)
{
    TestBench b;
    b.run([&] {
        b.wr64(EVTQ_BASE, 0x4000000000ull | 4);
        b.wr32(CR0, cr0::EVTQEN.mask());
        b.wait_cycles(20);
        b.smmu().evtq().post({1, 0, 0, 0});
        b.smmu().evtq().post({1, 0, 0, 0});
        EXPECT_TRUE(b.wait_until([&] { return gerror::EVTQ_ABT_ERR.get(b.rd32(GERROR)) != 0; }, 1000));
        b.wait_cycles(100);
        EXPECT_EQ(b.rd32(EVTQ_PROD), 0u);
    });
    EXPECT_EQ(b.smmu().evtq().stats().value("aborts"), 1u);
    EXPECT_EQ(b.smmu().evtq().stats().value("dropped"), 1u);
}

TEST(Smmuv3Malformed, EventMsiToNowhereRaisesMsiEvtqAbort)
{
    TestBench b;
    b.run([&] {
        b.wr64(EVTQ_IRQ_CFG0, 0x4000000000ull);
        b.wr64(EVTQ_BASE, b.dram(0x1000) | 2);
        b.wr32(IRQ_CTRL, irq_ctrl::EVTQ_IRQEN.mask());
        b.wr32(CR0, cr0::EVTQEN.mask());
        b.wait_cycles(20);
        b.smmu().evtq().post({1, 0, 0, 0});
        EXPECT_TRUE(b.wait_until([&] { return gerror::MSI_EVTQ_ABT_ERR.get(b.rd32(GERROR)) != 0; }, 1000));
    });
    EXPECT_TRUE(b.finished());
}

TEST(Smmuv3Malformed, GarbageEverywhereNeverStopsTheSimulator)
{
    // Random-ish writes over the whole register space, then a normal bring-up.
    TestBench b;
    b.run([&] {
        uint64_t x = 0x9e3779b97f4a7c15ull;
        for (int i = 0; i < 2000; i++) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            const uint32_t off = static_cast<uint32_t>(x % kRegSpaceSize) & ~3u;
            uint64_t v = x * 0x2545f4914f6cdd1dull;
            if (off == CR0 || off == CMDQ_PROD)
                continue;  // keep the queue off so the bring-up below is clean
            b.access(off, (x >> 60) & 1 ? 8 : 4, true, v);
            b.access(off, 4, false, v);
        }
        b.wr32(GERRORN, b.rd32(GERROR));
        const uint64_t q = b.enable_cmdq();
        b.submit(q, 8, {cmd(OP_CFGI_STE_RANGE, 0, cmdf::CFGI_RANGE.put(31)), cmd_sync()});
        EXPECT_TRUE(b.wait_until([&] { return (b.rd32(CMDQ_CONS) & 0xfffff) == 2u; }, 2000));
    });
    EXPECT_TRUE(b.finished());
}
