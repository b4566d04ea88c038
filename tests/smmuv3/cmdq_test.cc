// SPDX-License-Identifier: GPL-2.0-only
// The SMMU command queue: consumption, timing, CMD_SYNC signalling, the
// CERROR_ILL path as the Linux driver handles it, and queue wrap.
#include <vector>

#include <gtest/gtest.h>

#include "smmuv3/cmdq.h"
#include "support/testbench.h"

using namespace smmusim;
using namespace smmusim::smmuv3;
using smmusim::test::TestBench;
using smmusim::test::settle;
using smmusim::test::cmd;
using smmusim::test::cmd_sync;

namespace {
uint32_t cons_now(TestBench& b) { return static_cast<uint32_t>(b.smmu().bank().get(CMDQ_CONS)); }
}  // namespace

TEST(Smmuv3Cmdq, SingleSyncCompletesInExactly49Cycles)
{
    // From the PROD write taking effect: fetch = bus 4 + DRAM 40 + 1 beat = 45,
    // decode 1, engine arbitration 1, CMD_SYNC 2  ->  49 cycles.
    TestBench b;
    b.run([&] {
        const uint64_t q = b.enable_cmdq();
        b.submit(q, 8, {cmd_sync()});
        b.wait_cycles(48);
        settle();
        EXPECT_EQ(cons_now(b), 0u) << "N-1";
        b.wait_cycles(1);
        settle();
        EXPECT_EQ(cons_now(b), 1u) << "N";
    });
    EXPECT_TRUE(b.finished());
    const Histogram* lat = b.smmu().cmdq().stats().find_histogram("latency_cycles");
    ASSERT_NE(lat, nullptr);
    EXPECT_EQ(lat->count(), 1u);
    EXPECT_EQ(lat->max(), 49u);
}

TEST(Smmuv3Cmdq, InvalidationsTakeTimeAndCostsAreParameters)
{
    // TLBI_NH_ASID (16) then CMD_SYNC (2) in one 32-byte burst:
    // 45 + 2 decodes + 1 arbitration = 48, then CONS=1 at 64 and CONS=2 at 66.
    TestBench b;
    std::vector<uint64_t> at;
    b.run([&] {
        const uint64_t q = b.enable_cmdq();
        b.submit(q, 8, {cmd(OP_TLBI_NH_ASID, cmdf::TLBI_ASID.put(5)), cmd_sync()});
        const uint64_t t0 = b.now();
        for (uint32_t want = 1; want <= 2; want++) {
            while (cons_now(b) < want)
                b.wait_cycles(1);
            at.push_back(b.now() - t0);
        }
    });
    EXPECT_EQ(at, (std::vector<uint64_t>{64, 66}));
}

TEST(Smmuv3Cmdq, ChangingATimingParameterChangesTheCycleCount)
{
    TestBench b({"smmu.exec.tlbi_asid_cycles=100"});
    uint64_t done = 0;
    b.run([&] {
        const uint64_t q = b.enable_cmdq();
        b.submit(q, 8, {cmd(OP_TLBI_NH_ASID), cmd_sync()});
        const uint64_t t0 = b.now();
        while (cons_now(b) < 2)
            b.wait_cycles(1);
        done = b.now() - t0;
    });
    EXPECT_EQ(done, 150u);  // 48 + 100 + 2
}

TEST(Smmuv3Cmdq, BatchWidthSplitsFetches)
{
    // 6 commands with a batch of 4: two bursts.
    TestBench b;
    b.run([&] {
        const uint64_t q = b.enable_cmdq();
        std::vector<std::pair<uint64_t, uint64_t>> cmds(5, cmd(OP_CFGI_STE));
        cmds.push_back(cmd_sync());
        b.submit(q, 8, cmds);
        EXPECT_TRUE(b.wait_until([&] { return cons_now(b) == 6; }, 1000));
    });
    EXPECT_EQ(b.smmu().cmdq().stats().value("batches"), 2u);
    EXPECT_EQ(b.smmu().cmdq().stats().value("consumed"), 6u);
    EXPECT_EQ(b.smmu().engine().stats().value("executed"), 6u);
}

TEST(Smmuv3Cmdq, SyncMsiPollFormOverwritesItsOwnSlot)
{
    // The Linux driver's MSI poll: CS=IRQ, MSIADDR = the CMD_SYNC's own queue
    // slot, MSIDATA = 0; the SMMU's MSI write zeroes the slot's first word.
    TestBench b;
    b.run([&] {
        const uint64_t q = b.enable_cmdq();
        const uint64_t slot = q + 1 * kCmdBytes;
        b.submit(q, 8, {cmd(OP_TLBI_NH_ALL), cmd_sync(cmdf::CS_IRQ, slot, 0)});
        EXPECT_NE(b.get64(slot) & 0xffffffffu, 0u);
        // Software that sees the MSI sees the sync consumed: CONS is past it
        // before the completion is signalled (IHI 0070, "Interrupts and
        // notifications"; Linux's MSI poll takes CONS past the sync then).
        EXPECT_TRUE(b.wait_until([&] { return cons_now(b) == 2; }, 1000));
        EXPECT_NE(b.get64(slot) & 0xffffffffu, 0u);  // not yet signalled when CONS moved
        EXPECT_TRUE(b.wait_until([&] { return (b.get64(slot) & 0xffffffffu) == 0; }, 100));
        EXPECT_EQ(cons_now(b), 2u);
    });
    EXPECT_TRUE(b.finished());
    EXPECT_EQ(b.smmu().stats().value("msis"), 1u);
}

TEST(Smmuv3Cmdq, SyncMsiToTheDoorbellRaisesAnInterrupt)
{
    TestBench b;
    std::vector<unsigned> irqs;
    b.irqc().set_handler([&](unsigned irq) { irqs.push_back(irq); });
    b.run([&] {
        const uint64_t q = b.enable_cmdq();
        b.submit(q, 8, {cmd_sync(cmdf::CS_IRQ, b.soc().params().msi_base, 77)});
        EXPECT_TRUE(b.wait_until([&] { return !irqs.empty(); }, 1000));
        EXPECT_EQ(cons_now(b), 1u);  // consumed before the MSI was sent
    });
    EXPECT_EQ(irqs, (std::vector<unsigned>{77}));
}

TEST(Smmuv3Cmdq, SyncWithoutMsiAddressUsesTheWiredLine)
{
    TestBench b;
    b.run([&] {
        const uint64_t q = b.enable_cmdq();
        b.submit(q, 8, {cmd_sync(cmdf::CS_IRQ)});
        EXPECT_TRUE(b.wait_until([&] { return cons_now(b) == 1; }, 1000));
    });
    EXPECT_EQ(b.irqc().count(b.soc().smmu_irq(Soc::IRQ_CMDQ_SYNC)), 1u);
    EXPECT_EQ(b.irqc().count(b.soc().smmu_irq(Soc::IRQ_COMBINED)), 1u);
}

TEST(Smmuv3Cmdq, SyncSevWakesWaiters)
{
    TestBench b;
    uint64_t woke = 0;
    b.run([&] {
        const uint64_t q = b.enable_cmdq();
        b.submit(q, 8, {cmd_sync(cmdf::CS_SEV)});
        const uint64_t t0 = b.now();
        sc_core::wait(b.smmu().sev());
        woke = b.now() - t0;
    });
    EXPECT_EQ(woke, 49u);
}

TEST(Smmuv3Cmdq, AtcInvalidationCompletesBeforeTheNextSync)
{
    // ATC_INV is issued in 4 cycles; its completion takes 1000 more, and the
    // CMD_SYNC behind it waits for that, off the engine. Burst 45 + 2
    // decodes + arb 1 = 48, ATC_INV issued at 52, completion at 1052, the
    // engine granted again at 1053 (arb 1), sync done at 1055.
    TestBench b;
    uint64_t done = 0;
    b.run([&] {
        const uint64_t q = b.enable_cmdq();
        b.submit(q, 8, {cmd(OP_ATC_INV, cmdf::ATC_SID.put(3)), cmd_sync()});
        const uint64_t t0 = b.now();
        while (cons_now(b) < 2)
            b.wait_cycles(1);
        done = b.now() - t0;
    });
    EXPECT_EQ(done, 1055u);
}

TEST(Smmuv3Cmdq, IllegalCommandHaltsUntilGerrornAndTheDriverRecoveryResumes)
{
    TestBench b;
    std::vector<uint8_t> executed;
    b.smmu().engine().add_observer([&](unsigned, const Command& c) { executed.push_back(c.op); });
    b.run([&] {
        b.wr32(IRQ_CTRL, irq_ctrl::GERROR_IRQEN.mask());
        const uint64_t q = b.enable_cmdq();
        b.submit(q, 8, {cmd(OP_TLBI_NH_ALL), cmd(0x7f), cmd(OP_CFGI_STE), cmd_sync()});
        EXPECT_TRUE(b.wait_until([&] { return gerror::CMDQ_ERR.get(b.rd32(GERROR)) != 0; }, 1000));
        // CONS points at the bad command and says why.
        uint32_t cons = b.rd32(CMDQ_CONS);
        EXPECT_EQ(cons & 0xff, 1u);
        EXPECT_EQ(q::CONS_ERR.get(cons), CERROR_ILL);
        // The queue stays halted.
        b.wait_cycles(500);
        EXPECT_EQ(b.rd32(CMDQ_CONS) & 0xff, 1u);
        // What arm_smmu_cmdq_skip_err does: replace it with a CMD_SYNC, ack.
        auto s = cmd_sync();
        b.put_cmd(q, 1, s.first, s.second);
        b.wr32(GERRORN, b.rd32(GERROR));
        EXPECT_TRUE(b.wait_until([&] { return (b.rd32(CMDQ_CONS) & 0xff) == 4; }, 1000));
    });
    EXPECT_TRUE(b.finished());
    EXPECT_EQ(executed, (std::vector<uint8_t>{OP_TLBI_NH_ALL, OP_CMD_SYNC, OP_CFGI_STE, OP_CMD_SYNC}));
    EXPECT_EQ(b.smmu().cmdq().stats().value("errors"), 1u);
    EXPECT_EQ(b.irqc().count(b.soc().smmu_irq(Soc::IRQ_GERROR)), 1u);
}

TEST(Smmuv3Cmdq, GerrorMsiWhenConfigured)
{
    TestBench b;
    std::vector<unsigned> irqs;
    b.irqc().set_handler([&](unsigned irq) { irqs.push_back(irq); });
    b.run([&] {
        b.wr64(GERROR_IRQ_CFG0, b.soc().params().msi_base);
        b.wr32(GERROR_IRQ_CFG1, 321);
        b.wr32(IRQ_CTRL, irq_ctrl::GERROR_IRQEN.mask());
        const uint64_t q = b.enable_cmdq();
        b.submit(q, 8, {cmd(0x00)});
        EXPECT_TRUE(b.wait_until([&] { return irqs.size() == 3; }, 1000));
    });
    // The wired gerror and combined lines pulse, and the MSI arrives.
    EXPECT_EQ(irqs, (std::vector<unsigned>{b.soc().smmu_irq(Soc::IRQ_GERROR), b.soc().smmu_irq(Soc::IRQ_COMBINED), 321}));
}

TEST(Smmuv3Cmdq, QueueWrapsAndTheWrapBitToggles)
{
    TestBench b;
    b.run([&] {
        const uint64_t q = b.enable_cmdq(2);  // 4 entries
        const QueueGeometry g{2};
        uint32_t expect = 0;
        for (int round = 0; round < 5; round++) {
            b.submit(q, 2, {cmd(OP_CFGI_CD), cmd(OP_CFGI_CD_ALL), cmd_sync()});
            expect = g.inc(expect, 3);
            EXPECT_TRUE(b.wait_until([&] { return b.rd32(CMDQ_CONS) == expect; }, 1000)) << round;
        }
        EXPECT_EQ(expect, 7u);  // 15 commands: index 3, wrap 1
    });
    EXPECT_EQ(b.smmu().cmdq().stats().value("consumed"), 15u);
}

TEST(Smmuv3Cmdq, Log2SizeIsCappedByIdr1Cmdqs)
{
    TestBench b({"smmu.idr.cmdqs=3"});
    b.run([&] {
        const uint64_t q = b.dram(0x100000);
        b.wr64(CMDQ_BASE, q | 10);  // asks for 1024 entries, gets 8
        b.wr32(CR0, cr0::CMDQEN.mask());
        EXPECT_TRUE(b.wait_until([&] { return b.rd32(CR0ACK) == cr0::CMDQEN.mask(); }));
        EXPECT_EQ(b.smmu().cmdq().geometry().log2size, 3u);
        // 8 syncs fill entries 0..7; PROD wraps to 0 with the wrap bit set.
        std::vector<std::pair<uint64_t, uint64_t>> cmds(8, cmd_sync());
        b.submit(q, 3, cmds);
        EXPECT_EQ(b.rd32(CMDQ_PROD), 8u);
        EXPECT_TRUE(b.wait_until([&] { return b.rd32(CMDQ_CONS) == 8u; }, 2000));
    });
    EXPECT_TRUE(b.finished());
}

// IHI 0070 6.3.26 SMMU_CMDQ_BASE: the effective base is aligned to the
// larger of the queue's size in bytes and 32 bytes; the low bits of ADDR are
// ignored. Commands written at the aligned base run; the words at the
// unaligned address (zeros: opcode 0 is CERROR_ILL) are never fetched.
TEST(Smmuv3Cmdq, BaseLowBitsBelowTheQueueSizeAreIgnored)
{
    TestBench b;
    b.run([&] {
        const uint64_t q = b.dram(0x100000);  // 4 KiB-aligned
        b.wr64(CMDQ_BASE, (q + 0xa0) | 4);   // 16 entries: 256 bytes, so bits [7:5] are ignored
        EXPECT_EQ(b.smmu().cmdq().base_pa(), q);
        b.wr32(CR0, cr0::CMDQEN.mask());
        EXPECT_TRUE(b.wait_until([&] { return b.rd32(CR0ACK) == cr0::CMDQEN.mask(); }));
        b.submit(q, 4, {cmd_sync(), cmd_sync()});
        EXPECT_TRUE(b.wait_until([&] { return b.rd32(CMDQ_CONS) == 2u; }, 2000));
        EXPECT_EQ(b.rd32(GERROR), 0u);
    });
    EXPECT_TRUE(b.finished());
}

TEST(Smmuv3Cmdq, BaseAlignmentFollowsTheCappedLog2Size)
{
    TestBench b({"smmu.idr.cmdqs=3"});
    const uint64_t q = b.dram(0x100000);
    uint64_t capped = 0, smallest = 0;
    b.run([&] {
        // LOG2SIZE 10 capped to IDR1.CMDQS = 3: 8 entries, 128 bytes, so
        // ADDR bit 7 counts and bits [6:5] are ignored.
        b.wr64(CMDQ_BASE, (q + 0xe0) | 10);
        capped = b.smmu().cmdq().base_pa();
        // At least 32 bytes: a 1-entry queue (16 bytes) keeps ADDR[5].
        b.wr64(CMDQ_BASE, (q + 0x20) | 0);
        smallest = b.smmu().cmdq().base_pa();
    });
    EXPECT_EQ(capped, q + 0x80);
    EXPECT_EQ(smallest, q + 0x20);
}

TEST(Smmuv3Cmdq, FullToNonFullSendsSev)
{
    TestBench b({"smmu.idr.cmdqs=2"});
    int sevs = 0;
    b.run([&] {
        sc_core::sc_spawn_options opts;
        opts.set_stack_size(TestBench::kStackBytes);
        sc_core::sc_spawn([&] { for (;;) { sc_core::wait(b.smmu().sev()); sevs++; } }, "sev_counter", &opts);
        const uint64_t q = b.enable_cmdq(2);
        // Four CFGIs fill the 4-entry queue: the first completion makes room.
        b.submit(q, 2, {cmd(OP_CFGI_STE), cmd(OP_CFGI_STE), cmd(OP_CFGI_STE), cmd(OP_CFGI_STE)});
        EXPECT_TRUE(b.wait_until([&] { return b.rd32(CMDQ_CONS) == 4u; }, 1000));
    });
    EXPECT_EQ(sevs, 1);
}

// Found by fuzz/regs_fuzz: a batch fetched before the queue was disabled and
// re-initialised must not run afterwards and move the new queue's CONS.
TEST(Smmuv3Cmdq, DisableAndReinitialiseMidBatchDropsTheStaleBatch)
{
    TestBench b({"smmu.exec.tlbi_asid_cycles=1000"});
    b.run([&] {
        const uint64_t q = b.enable_cmdq();
        std::vector<std::pair<uint64_t, uint64_t>> cmds(4, cmd(OP_TLBI_NH_ASID, cmdf::TLBI_ASID.put(1)));
        b.submit(q, 8, cmds);
        b.wait_cycles(100);  // the first command executes until cycle ~1050
        b.wr32(CR0, 0);
        // CR0ACK.CMDQEN clears only once the executing command completed;
        // from then on CONS never moves.
        b.wait_cycles(100);
        EXPECT_EQ(b.rd32(CR0ACK), cr0::CMDQEN.mask());
        ASSERT_TRUE(b.wait_until([&] { return b.rd32(CR0ACK) == 0; }, 2000));
        EXPECT_GT(b.now(), 1000u);
        EXPECT_EQ(cons_now(b), 1u);  // the one that was executing, no more
        b.wait_cycles(2000);
        EXPECT_EQ(cons_now(b), 1u);
        b.wr32(CMDQ_PROD, 0);
        b.wr32(CMDQ_CONS, 0);
        b.wr32(CR0, cr0::CMDQEN.mask());
        ASSERT_TRUE(b.wait_until([&] { return b.rd32(CR0ACK) == cr0::CMDQEN.mask(); }));
        b.wait_cycles(5000);
        EXPECT_EQ(cons_now(b), 0u);  // not 1 (the stale command), nor 4 (the stale batch)
        EXPECT_FALSE(b.smmu().gerror_active(gerror::CMDQ_ERR));
    });
    EXPECT_TRUE(b.finished());
}
