// SPDX-License-Identifier: GPL-2.0-only
// VCMDQs consuming commands: host- and guest-owned VINTFs, the security
// invariants, error reporting end to end, timing and arbitration.
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "cmdqv/cmdqv.h"
#include "cmdqv_helpers.h"
#include "smmuv3/cmdq.h"

using namespace smmusim;
using namespace smmusim::cmdqv;
using namespace smmusim::smmuv3;
using namespace smmusim::test;

namespace {
uint32_t cons_of(TestBench& b, unsigned q) { return static_cast<uint32_t>(b.soc().cmdqv().vcmdq(q).reg(0, VCMDQ_CONS)); }

// One CMD_SYNC on VINTF v's LVCMDQ0 (global VCMDQ q): CONS moves exactly
// `cycles` after PROD lands, not a cycle before.
void expect_sync_takes(TestBench& b, unsigned v, bool hyp_own, uint16_t vmid, unsigned q, uint64_t cycles)
{
    b.run([&] {
        const uint64_t base = b.dram(0x300000);
        bring_up_lvcmdq0(b, v, hyp_own, vmid, q, base);
        submit_lvcmdq(b, v, 0, base, 4, {cmd_sync()});
        b.wait_cycles(cycles - 1);
        settle();
        EXPECT_EQ(cons_of(b, q), 0u) << "N-1";
        b.wait_cycles(1);
        settle();
        EXPECT_EQ(cons_of(b, q), 1u) << "N";
    });
    EXPECT_TRUE(b.finished());
}

struct Seen {
    unsigned src;
    Command cmd;
};

// The commands the engine executes from now on, with their sources.
struct SeenCmds : std::vector<Seen> {
    explicit SeenCmds(TestBench& b)
    {
        b.smmu().engine().add_observer([this](unsigned s, const Command& c) { push_back({s, c}); });
    }
};
}  // namespace

TEST(Vcmdq, HostVintfSyncCompletesInExactly49Cycles)
{
    // PROD lands; fetch 4 + 40 + 1 = 45; decode 1; arbitration 1; CMD_SYNC 2.
    TestBench b;
    expect_sync_takes(b, 0, true, 0, 0, 49);
    EXPECT_EQ(b.soc().cmdqv().vcmdq(0).stats().find_histogram("latency_cycles")->max(), 49u);
}

TEST(Vcmdq, GuestCommandsPayTheFilterCycle)
{
    // The same with a guest-owned VINTF: + cmdqv.filter_cycles (1) = 50.
    TestBench b;
    expect_sync_takes(b, 1, false, 9, 2, 50);
}

TEST(Vcmdq, HostVintfExecutesWhatTheSmmuCmdqWould)
{
    TestBench b;
    SeenCmds seen(b);
    b.run([&] {
        const uint64_t base = b.dram(0x300000);
        bring_up_lvcmdq0(b, 0, true, 0, 0, base);
        submit_lvcmdq(b, 0, 0, base, 4,
                      {cmd(OP_CFGI_STE_RANGE, 0, cmdf::CFGI_RANGE.put(31)), cmd(OP_TLBI_S12_VMALL, cmdf::TLBI_VMID.put(3)),
                       cmd(OP_TLBI_NH_ASID, cmdf::TLBI_VMID.put(3) | cmdf::TLBI_ASID.put(4)), cmd_sync()});
        EXPECT_TRUE(b.wait_until([&] { return cons_of(b, 0) == 4; }, 2000));
    });
    ASSERT_EQ(seen.size(), 4u);
    EXPECT_EQ(seen[1].cmd.vmid, 3);  // unchanged: the host chooses
    EXPECT_EQ(seen[2].cmd.vmid, 3);
    EXPECT_EQ(b.smmu().engine().source_name(seen[0].src), "soc.cmdqv.vcmdq0");
}

TEST(Vcmdq, GuestCannotTouchAnotherVmidNorAnUnmappedSid)
{
    TestBench b;
    SeenCmds seen(b);
    b.run([&] {
        const uint64_t base = b.dram(0x300000);
        bring_up_lvcmdq0(b, 3, false, 77, 6, base);
        // vSID 5 -> pSID 0x200 in pair 2.
        b.cmdqv_wr(vintf(3) + vintf_sid_replace(2), 0x200);
        b.cmdqv_wr(vintf(3) + vintf_sid_match(2), sid_match::VIRT_SID.put(5) | 1);
        submit_lvcmdq(b, 3, 0, base, 4,
                      {cmd(OP_TLBI_NH_VA, cmdf::TLBI_VMID.put(1) | cmdf::TLBI_ASID.put(2), cmdf::TLBI_VA.put(0x10)),
                       cmd(OP_TLBI_NH_ASID, cmdf::TLBI_VMID.put(78) | cmdf::TLBI_ASID.put(2)),
                       cmd(OP_ATC_INV, cmdf::ATC_SID.put(5)), cmd_sync(cmdf::CS_IRQ, b.soc().params().msi_base, 1),
                       cmd(OP_ATC_INV, cmdf::ATC_SID.put(0x200))});  // a physical SID: refused
        EXPECT_TRUE(b.wait_until([&] { return (b.cmdqv_rd(lvq0(3, 0, VCMDQ_GERROR)) & 1) != 0; }, 2000));
        EXPECT_EQ(vcmdq_cons::ERR.get(b.cmdqv_rd(lvq0(3, 0, VCMDQ_CONS))), CERROR_ILL_ACCESS);
        EXPECT_EQ(b.cmdqv_rd(lvq0(3, 0, VCMDQ_CONS)) & 0x1f, 4u);
    });
    ASSERT_EQ(seen.size(), 4u);
    std::set<uint16_t> vmids;
    for (const Seen& s : seen)
        if (s.cmd.op == OP_TLBI_NH_VA || s.cmd.op == OP_TLBI_NH_ASID)
            vmids.insert(s.cmd.vmid);
    EXPECT_EQ(vmids, std::set<uint16_t>{77});
    EXPECT_EQ(seen[2].cmd.sid, 0x200u);
    EXPECT_EQ(seen[3].cmd.cs, cmdf::CS_NONE);  // no MSI to the guest's chosen address
    EXPECT_EQ(b.irqc().msi_count(), 0u);
    EXPECT_EQ(b.soc().cmdqv().vcmdq(6).stats().value("sync_signal_suppressed"), 1u);
}

TEST(Vcmdq, IllegalGuestCommandIsReportedEndToEnd)
{
    TestBench b;
    std::vector<unsigned> irqs;
    b.irqc().set_handler([&](unsigned irq) { irqs.push_back(irq); });
    const unsigned cmdqv_irq = static_cast<unsigned>(b.cfg().u64("platform.cmdqv_irq"));
    Cmdqv& c = b.soc().cmdqv();
    b.run([&] {
        const uint64_t base = b.dram(0x300000), base1 = b.dram(0x310000);
        bring_up_lvcmdq0(b, 2, false, 5, 4, base);
        map_lvcmdq(b, 37, 2, 1);  // global VCMDQ 37 = VINTF2's LVCMDQ1
        enable_lvcmdq(b, 2, 1, base1, 4);
        // CFGI_STE is not for guests: the queue stops at index 1.
        submit_lvcmdq(b, 2, 0, base, 4, {cmd(OP_TLBI_NH_ASID), cmd(OP_CFGI_STE), cmd_sync()});
        EXPECT_TRUE(b.wait_until([&] { return irqs.size() == 1; }, 2000));
        EXPECT_EQ(irqs[0], cmdqv_irq);
        const uint32_t cons = static_cast<uint32_t>(b.cmdqv_rd(lvq0(2, 0, VCMDQ_CONS)));
        EXPECT_EQ(cons & 0x1f, 1u);
        EXPECT_EQ(vcmdq_cons::ERR.get(cons), CERROR_ILL);
        EXPECT_EQ(b.cmdqv_rd(lvq0(2, 0, VCMDQ_GERROR)), 1u);
        EXPECT_EQ(b.cmdqv_rd(vintf(2) + vintf_lvcmdq_err_map(0), 8), 1u);   // LVCMDQ0
        EXPECT_EQ(b.cmdqv_rd(VINTF_ERR_MAP), 1u << 2);                       // VINTF2
        EXPECT_EQ(b.cmdqv_rd(cmdq_err_map(0)), 1u << 4);                     // VCMDQ4
        // A second queue of the same VINTF fails while the map bit is set:
        // the interrupt still fires (edge per new error).
        submit_lvcmdq(b, 2, 1, base1, 4, {cmd(OP_TLBI_NH_ALL)});
        EXPECT_TRUE(b.wait_until([&] { return irqs.size() == 2; }, 2000));
        EXPECT_EQ(b.cmdqv_rd(vintf(2) + vintf_lvcmdq_err_map(0), 8), 3u);
        EXPECT_EQ(b.cmdqv_rd(cmdq_err_map(1)), 1u << (37 - 32));
        // The halted queue stays halted.
        b.wait_cycles(300);
        EXPECT_EQ(b.cmdqv_rd(lvq0(2, 0, VCMDQ_CONS)) & 0x1f, 1u);
        // The guest fixes its queue (replaces the command by a TLBI) and acks.
        auto t = cmd(OP_TLBI_NH_ASID);
        b.put_cmd(base, 1, t.first, t.second);
        b.cmdqv_wr(lvq0(2, 0, VCMDQ_GERRORN), b.cmdqv_rd(lvq0(2, 0, VCMDQ_GERROR)));
        EXPECT_TRUE(b.wait_until([&] { return (b.cmdqv_rd(lvq0(2, 0, VCMDQ_CONS)) & 0x1f) == 3; }, 2000));
        EXPECT_EQ(b.cmdqv_rd(vintf(2) + vintf_lvcmdq_err_map(0), 8), 2u);  // LVCMDQ1 still in error
        EXPECT_EQ(b.cmdqv_rd(VINTF_ERR_MAP), 1u << 2);
        EXPECT_EQ(b.cmdqv_rd(cmdq_err_map(0)), 0u);
        b.cmdqv_wr(lvq0(2, 1, VCMDQ_GERRORN), 1);
        b.wait_cycles(10);
        EXPECT_EQ(b.cmdqv_rd(VINTF_ERR_MAP), 0u);
        EXPECT_EQ(b.cmdqv_rd(vintf(2) + vintf_lvcmdq_err_map(0), 8), 0u);
    });
    EXPECT_TRUE(b.finished());
    EXPECT_EQ(c.stats().value("errors"), 2u);
    EXPECT_EQ(c.stats().value("irqs"), 2u);
}

TEST(Vcmdq, MaskedVintfRaisesNoInterrupt)
{
    TestBench b;
    b.run([&] {
        const uint64_t base = b.dram(0x300000);
        bring_up_lvcmdq0(b, 1, false, 5, 2, base);
        b.cmdqv_wr(VINTF_INT_MASK, 1u << 1);
        submit_lvcmdq(b, 1, 0, base, 4, {cmd(OP_CFGI_STE)});
        EXPECT_TRUE(b.wait_until([&] { return (b.cmdqv_rd(lvq0(1, 0, VCMDQ_GERROR)) & 1) != 0; }, 2000));
        EXPECT_EQ(b.cmdqv_rd(VINTF_ERR_MAP), 2u);  // still recorded
    });
    EXPECT_EQ(b.soc().cmdqv().stats().value("irqs"), 0u);
}

TEST(Vcmdq, BaseInUnpopulatedMemoryAbortsWithoutCrashing)
{
    TestBench b;
    b.run([&] {
        bring_up_lvcmdq0(b, 0, true, 0, 0, 0x4000000000ull);
        b.cmdqv_wr(lvq0(0, 0, VCMDQ_PROD), 1);
        EXPECT_TRUE(b.wait_until([&] { return (b.cmdqv_rd(vq0(0, VCMDQ_GERROR)) & 1) != 0; }, 2000));
        EXPECT_EQ(vcmdq_cons::ERR.get(b.cmdqv_rd(vq0(0, VCMDQ_CONS))), CERROR_ABT);
    });
    EXPECT_EQ(b.soc().cmdqv().vcmdq(0).stats().value("fetch_aborts"), 1u);
}

TEST(Vcmdq, EnablingAnUnmappedOrOversizedQueueIsAnInitError)
{
    TestBench b({"smmu.idr.cmdqs=8"});
    b.run([&] {
        enable_cmdqv(b);
        b.cmdqv_wr(vq0(3, VCMDQ_CONFIG), 1);  // not mapped
        b.wait_cycles(50);
        EXPECT_EQ(b.cmdqv_rd(vq0(3, VCMDQ_STATUS)), 0u);
        EXPECT_EQ(b.cmdqv_rd(vq0(3, VCMDQ_GERROR)), vcmdq_gerror::CMDQ_INIT_ERR.mask());
        enable_vintf(b, 0, true, 0);
        map_lvcmdq(b, 0, 0, 0);
        b.cmdqv_wr(lvq1(0, 0, VCMDQ_BASE), b.dram(0x300000) | 9, 8);  // 512 entries > IDR1.CMDQS
        b.cmdqv_wr(lvq0(0, 0, VCMDQ_CONFIG), 1);
        b.wait_cycles(50);
        EXPECT_EQ(b.cmdqv_rd(lvq0(0, 0, VCMDQ_STATUS)), 0u);
        EXPECT_EQ(b.cmdqv_rd(lvq0(0, 0, VCMDQ_GERROR)), vcmdq_gerror::CMDQ_INIT_ERR.mask());
        EXPECT_EQ(b.cmdqv_rd(VINTF_ERR_MAP), 1u);
    });
    EXPECT_EQ(b.soc().cmdqv().stats().value("irqs"), 2u);
}

TEST(Vcmdq, DisablingMidStreamStopsDeterministicallyAndResumes)
{
    TestBench b;
    uint32_t stopped = 0;
    b.run([&] {
        const uint64_t base = b.dram(0x300000);
        bring_up_lvcmdq0(b, 0, true, 0, 0, base);
        std::vector<std::pair<uint64_t, uint64_t>> cmds(10, cmd(OP_TLBI_NH_ALL));
        submit_lvcmdq(b, 0, 0, base, 4, cmds);
        b.wait_cycles(120);
        write_config(b, lvq0(0, 0, VCMDQ_CONFIG), lvq0(0, 0, VCMDQ_STATUS), 0);
        stopped = cons_of(b, 0);
        b.wait_cycles(500);
        EXPECT_EQ(cons_of(b, 0), stopped);
        write_config(b, lvq0(0, 0, VCMDQ_CONFIG), lvq0(0, 0, VCMDQ_STATUS), 1);
        EXPECT_TRUE(b.wait_until([&] { return cons_of(b, 0) == 10; }, 2000));
    });
    // 45 fetch + 4 decodes + 1 arbitration, then 32 per TLBI: 120 cycles
    // after the doorbell two had completed; the disable lands 16 cycles
    // later, during the third, which completes before STATUS drops.
    EXPECT_EQ(stopped, 3u);
}

TEST(Vcmdq, CmdqvResetUnderLoadStopsEveryQueue)
{
    TestBench b;
    b.run([&] {
        const uint64_t b0 = b.dram(0x300000), b1 = b.dram(0x310000);
        bring_up_lvcmdq0(b, 0, true, 0, 0, b0);
        bring_up_lvcmdq0(b, 1, false, 4, 2, b1);
        submit_lvcmdq(b, 0, 0, b0, 4, std::vector<std::pair<uint64_t, uint64_t>>(12, cmd(OP_TLBI_NH_ALL)));
        submit_lvcmdq(b, 1, 0, b1, 4, std::vector<std::pair<uint64_t, uint64_t>>(12, cmd(OP_TLBI_NH_ASID)));
        b.wait_cycles(150);
        write_config(b, CONFIG, STATUS, 0);
        // Each queue stops once its executing command completes.
        EXPECT_TRUE(b.wait_until([&] { return b.cmdqv_rd(vq0(0, VCMDQ_STATUS)) == 0; }, 100));
        EXPECT_TRUE(b.wait_until([&] { return b.cmdqv_rd(vq0(2, VCMDQ_STATUS)) == 0; }, 100));
        const uint32_t c0 = cons_of(b, 0), c2 = cons_of(b, 2);
        b.wait_cycles(1000);
        EXPECT_EQ(cons_of(b, 0), c0);
        EXPECT_EQ(cons_of(b, 2), c2);
        EXPECT_LT(c0, 12u);
        EXPECT_LT(c2, 12u);
        EXPECT_EQ(b.cmdqv_rd(vintf(1) + VINTF_STATUS), 0u);
    });
    EXPECT_TRUE(b.finished());
}

TEST(Vcmdq, ConsIsMirroredToMemoryWhenConsDramEnabled)
{
    TestBench b;
    b.run([&] {
        const uint64_t base = b.dram(0x300000), mirror = b.dram(0x320000);
        enable_cmdqv(b);
        enable_vintf(b, 0, true, 0);
        map_lvcmdq(b, 0, 0, 0);
        b.cmdqv_wr(lvq1(0, 0, VCMDQ_CONS_INDX_BASE), mirror, 8);
        enable_lvcmdq(b, 0, 0, base, 4, vcmdq_config::CONS_DRAM_EN.mask());
        submit_lvcmdq(b, 0, 0, base, 4, {cmd(OP_TLBI_NH_ALL), cmd_sync()});
        EXPECT_TRUE(b.wait_until([&] { return (b.get64(mirror) & 0xffffffff) == 2; }, 2000));
        // A mirror address nowhere: CONS_DRAM_WR_ABT_ERR, the queue goes on.
        write_config(b, lvq0(0, 0, VCMDQ_CONFIG), lvq0(0, 0, VCMDQ_STATUS), 0);
        b.cmdqv_wr(lvq1(0, 0, VCMDQ_CONS_INDX_BASE), 0x4000000000ull, 8);
        write_config(b, lvq0(0, 0, VCMDQ_CONFIG), lvq0(0, 0, VCMDQ_STATUS), vcmdq_config::CONS_DRAM_EN.mask() | 1);
        submit_lvcmdq(b, 0, 0, base, 4, {cmd_sync()});
        EXPECT_TRUE(b.wait_until([&] { return cons_of(b, 0) == 3; }, 2000));
        EXPECT_EQ(b.cmdqv_rd(lvq0(0, 0, VCMDQ_GERROR)), vcmdq_gerror::CONS_DRAM_WR_ABT_ERR.mask());
    });
    EXPECT_TRUE(b.finished());
}

TEST(Vcmdq, SyncWaitingForAtcCompletionLeavesTheEngineToOtherQueues)
{
    // The SMMU CMDQ's CMD_SYNC waits ~1000 cycles for its ATC_INV to
    // complete; a VCMDQ's TLBI + sync submitted meanwhile runs during that
    // wait, not after it.
    TestBench b;
    uint64_t smmu_done = 0, vcmdq_done = 0;
    b.run([&] {
        const uint64_t smmu_q = b.enable_cmdq(5);
        enable_cmdqv(b);
        enable_vintf(b, 0, true, 0);
        const uint64_t base = b.dram(0x300000);
        map_lvcmdq(b, 0, 0, 0);
        enable_lvcmdq(b, 0, 0, base, 5);
        const uint64_t t0 = b.now();
        b.submit(smmu_q, 5, {cmd(OP_ATC_INV, cmdf::ATC_SID.put(3)), cmd_sync()});
        b.wait_cycles(100);  // the SMMU CMDQ is now in its sync's wait
        submit_lvcmdq(b, 0, 0, base, 5, {cmd(OP_TLBI_NH_ASID), cmd_sync()});
        EXPECT_TRUE(b.wait_until([&] { return cons_of(b, 0) == 2; }, 5000));
        vcmdq_done = b.now() - t0;
        EXPECT_TRUE(b.wait_until([&] { return (b.rd32(CMDQ_CONS) & 0xff) == 2; }, 5000));
        smmu_done = b.now() - t0;
    });
    EXPECT_LT(vcmdq_done, 300u);
    EXPECT_GT(smmu_done, 1000u);
}

TEST(Vcmdq, ArbitrationIsFairAcrossBusyQueues)
{
    // The SMMU CMDQ and three VCMDQs, each with 16 TLBIs: round robin, one
    // batch (4 commands) per grant, so every queue gets 4 grants and they
    // finish within one batch of each other.
    TestBench b;
    std::vector<std::string> order;
    b.smmu().engine().add_observer([&](unsigned s, const Command&) {
        const std::string n = b.smmu().engine().source_name(s);
        if (order.empty() || order.back() != n)
            order.push_back(n);
    });
    b.run([&] {
        const uint64_t smmu_q = b.enable_cmdq(5);
        enable_cmdqv(b);
        enable_vintf(b, 0, true, 0);
        const uint64_t bases[3] = {b.dram(0x300000), b.dram(0x310000), b.dram(0x320000)};
        for (unsigned l = 0; l < 2; l++) {
            map_lvcmdq(b, l, 0, l);
            enable_lvcmdq(b, 0, l, bases[l], 5);
        }
        bring_up_lvcmdq0(b, 1, false, 3, 2, bases[2]);
        const std::vector<std::pair<uint64_t, uint64_t>> tlbis(16, cmd(OP_TLBI_NH_ASID));
        b.submit(smmu_q, 5, tlbis);
        submit_lvcmdq(b, 0, 0, bases[0], 5, tlbis);
        submit_lvcmdq(b, 0, 1, bases[1], 5, tlbis);
        submit_lvcmdq(b, 1, 0, bases[2], 4, tlbis);
        EXPECT_TRUE(b.wait_until([&] { return cons_of(b, 2) == 16 && cons_of(b, 0) == 16 && cons_of(b, 1) == 16; },
                                 10000));
    });
    for (const char* q : {"soc.smmu.cmdq", "soc.cmdqv.vcmdq0", "soc.cmdqv.vcmdq1", "soc.cmdqv.vcmdq2"})
        EXPECT_EQ(b.smmu().engine().stats().value(std::string("grants.") + q), 4u) << q;
    // No queue is served twice in a row while others wait.
    ASSERT_GE(order.size(), 16u);
    for (size_t i = 1; i < 12; i++)
        EXPECT_NE(order[i], order[i - 1]);
}

// A VCMDQ's thread is made when the queue is first enabled (host start-up,
// cmdq_consumer.h), named as one made at construction (<queue>.run), the
// SMMU CMDQ's at construction; the first command
// takes the 49 cycles it took when every VCMDQ had its thread from
// construction (HostVintfSyncCompletesInExactly49Cycles).
TEST(Vcmdq, ThreadIsMadeAtTheFirstEnable)
{
    TestBench b;
    Cmdqv& c = b.soc().cmdqv();
    for (unsigned q = 0; q < c.num_vcmdqs(); q++)
        EXPECT_FALSE(c.vcmdq(q).has_thread()) << q;
    EXPECT_TRUE(b.smmu().cmdq().has_thread());
    const std::string run = std::string(c.vcmdq(3).name()) + ".run";
    EXPECT_EQ(sc_core::sc_find_object(run.c_str()), nullptr);
    expect_sync_takes(b, 0, true, 0, 3, 49);
    EXPECT_TRUE(c.vcmdq(3).has_thread());
    EXPECT_NE(sc_core::sc_find_object(run.c_str()), nullptr);
    for (unsigned q = 0; q < c.num_vcmdqs(); q++)
        EXPECT_EQ(c.vcmdq(q).has_thread(), q == 3) << q;
}
