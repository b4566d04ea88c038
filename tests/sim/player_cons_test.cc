// SPDX-License-Identifier: GPL-2.0-only
// When the trace player's driver reads CONS (sim/player_queues.cc; the model
// change of docs/model-changes.md): a `cmd` only when its copy of CONS says
// the queue is full, a `wait consumed` once when the queue has drained (none
// when its copy says it has), as Linux's arm_smmu_cmdq_issue_cmdlist() does
// with its llq. The CONS reads are counted as the SMMU's register reads
// inside a region of interest (the region's other operations read nothing),
// and the read's time is checked against the cycle CONS reached PROD. The
// consumer runs the commands before the one that drains the queue in quiet
// windows while the wait sleeps (CommandQueueConsumer::watch_cons): every
// operation's end, engine span and statistic is the same without them.
// Not here: the waits' failures and timeouts (player_test.cc).
#include <cstdint>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "platform/quiet.h"
#include "player.h"
#include "smmuv3/cmdq.h"
#include "smmuv3/smmuv3_regs.h"
#include "support/in_child.h"
#include "support/testbench.h"
#include "support/trace_text.h"

using namespace smmusim;
using smmusim::test::in_child;
using smmusim::test::TestBench;
using smmusim::test::trace_text;

namespace {

struct Played {
    bool finished = false;
    std::vector<std::string> failures;
    nlohmann::json roi;                  // the region's figures
    std::vector<uint64_t> start, end;    // each operation's, in SMMU cycles
};

Played play(TestBench& b, const std::string& text)
{
    TracePlayer player(b.soc(), trace_text(text));
    player.validate();
    Played p;
    const ClockDomain& clk = b.soc().smmu_clock();
    player.on_op([&](const TraceOp&, const std::string&, const sc_core::sc_time& s, const sc_core::sc_time& e) {
        p.start.push_back(clk.to_cycles(s));
        p.end.push_back(clk.to_cycles(e));
    });
    player.start();
    sc_core::sc_start();
    p.finished = player.finished();
    p.failures = player.failures();
    p.roi = player.roi_after_run().figures();
    return p;
}

uint64_t roi_counter(const Played& p, const std::string& name)
{
    const nlohmann::json& s = p.roi.at("statistics");
    return s.contains(name) ? s.at(name).at("value").get<uint64_t>() : 0;
}

std::string commands(int n, const char* queue = "cmdq", const char* cmd = "TLBI_NH_ALL")
{
    std::string s;
    for (int i = 0; i < n; i++)
        s += fmt::format("cmd {} {}\n", queue, cmd);
    return s;
}

// The run finished without a failure, the queue `group` consumed
// `consumed` commands in the region, and the block `block` was read `reads`
// times there.
void expect_region(const Played& p, const std::string& group, uint64_t consumed, const std::string& block,
                   uint64_t reads)
{
    ASSERT_TRUE(p.finished);
    EXPECT_TRUE(p.failures.empty()) << p.failures[0];
    EXPECT_EQ(roi_counter(p, group + ".consumed"), consumed);
    EXPECT_EQ(roi_counter(p, block + ".reg_reads"), reads);
}

}  // namespace

// A 4-entry queue: the first four commands find room in the driver's copy
// (CONS 0), so do not read; the fifth finds the copy full and reads once
// (CONS 4: the hardware consumed all four meanwhile), which makes room for
// three more without a read; the ninth reads again; the `wait consumed`
// reads once, and the second `wait consumed` not at all (its copy says
// everything was consumed). Three CONS reads for nine commands.
TEST(PlayerCons, ACmdReadsConsOnlyWhenItsCopySaysFull)
{
    TestBench b;
    const Played p = play(b, "cmdq enable log2size=2\nroi begin\n" + commands(4) + "doorbell cmdq\nwait 1000\n" +
                                 commands(4) + "doorbell cmdq\nwait 1000\n" + commands(1) +
                                 "doorbell cmdq\nwait consumed cmdq\nwait consumed cmdq\nroi end\n");
    expect_region(p, "soc.smmu.cmdq", 9, "soc.smmu", 3);
}

// A full queue still draining: the copy says full, the read finds it full
// (nothing consumed yet), and the driver reads again when CONS first moves:
// two reads, and the command is written at once after the second.
TEST(PlayerCons, ACmdOnAFullQueueReadsAgainWhenConsMoves)
{
    TestBench b;
    const Played p = play(b, "cmdq enable log2size=2\nroi begin\n" + commands(4) + "doorbell cmdq\n" +
                                 commands(1) + "doorbell cmdq\nwait consumed cmdq\nroi end\n");
    expect_region(p, "soc.smmu.cmdq", 5, "soc.smmu", 3);  // the fifth command's two reads, the wait's one
}

// 128 commands, one doorbell: `wait consumed` reads CONS once (it read it
// once per CONS move before the model change), starting at the cycle CONS
// reached PROD, so it ends one CONS read's time later.
TEST(PlayerCons, WaitConsumedReadsOnceAtTheCycleTheQueueDrained)
{
    TestBench b;
    uint64_t drained = 0;  // the cycle CONS last changed
    b.smmu().bank().add_change_observer([&](uint32_t off, uint64_t v) {
        if (off == smmuv3::CMDQ_CONS && v == 128)
            drained = b.now();
    });
    // Operations (the roi lines are none): enable, 128 cmds, doorbell,
    // wait consumed, read32.
    const Played p = play(b, "cmdq enable log2size=8\nroi begin\n" + commands(128) +
                                 "doorbell cmdq\nwait consumed cmdq\nroi end\nread32 smmu.CMDQ_CONS expect 128\n");
    expect_region(p, "soc.smmu.cmdq", 128, "soc.smmu", 1);
    const size_t wait = 1 + 128 + 1, read = wait + 1;
    ASSERT_EQ(p.end.size(), read + 1);
    ASSERT_GT(drained, p.start[wait]);
    EXPECT_EQ(p.end[wait] - drained, p.end[read] - p.start[read]);
}

// The same on a guest-owned VCMDQ through its VINTF's page (a guest may
// not send TLBI_NH_ALL: TLBI_NH_ASID): one read per
// `wait consumed`, none for the commands.
TEST(PlayerCons, AVcmdqWaitReadsOnce)
{
    TestBench b;
    const Played p = play(b, "cmdqv enable\nvintf 1 enable vmid=3\nvintf 1 map 0 vcmdq=2\nvintf1.lvcmdq0 enable\n"
                             "roi begin\n" + commands(20, "vintf1.lvcmdq0", "TLBI_NH_ASID asid=3") +
                                 "doorbell vintf1.lvcmdq0\nwait consumed vintf1.lvcmdq0\nroi end\n");
    expect_region(p, "soc.cmdqv.vcmdq2", 20, "soc.cmdqv", 1);
}

// Two queues' bursts and waits, played with quiet windows on or off
// (models/platform/quiet.h): every operation's end, every engine span and
// every statistic, as text.
std::string played_log(bool quiet)
{
    quiet_windows() = quiet;
    TestBench b;
    std::string log;
    b.smmu().engine().add_span_observer(
        [&](unsigned src, const smmuv3::Command& c, const sc_core::sc_time& s, const sc_core::sc_time& e) {
            const ClockDomain& clk = b.smmu().clock();
            log += fmt::format("{}..{} {} {:#x}\n", clk.to_cycles(s), clk.to_cycles(e), src, c.op);
        });
    const std::string burst = commands(40) + "cmd cmdq CMD_SYNC\ndoorbell cmdq\n" +
                              commands(30, "vintf1.lvcmdq0", "TLBI_NH_ASID asid=3") +
                              "doorbell vintf1.lvcmdq0\nwait consumed cmdq\nwait consumed vintf1.lvcmdq0\n";
    const Played p = play(b, "cmdqv enable\nvintf 1 enable vmid=3\nvintf 1 map 0 vcmdq=2\n"
                             "vintf1.lvcmdq0 enable log2size=6\ncmdq enable log2size=6\n" +
                                 burst + burst + "+7\n" + burst);
    for (size_t i = 0; i < p.end.size(); i++)
        log += fmt::format("op {} ends {}\n", i, p.end[i]);
    log += fmt::format("failures {} quiet {}\n", p.failures.size(), b.smmu().cmdq().quiet_executed() > 0);
    return log + StatRegistry::global().to_json().dump(1);
}

TEST(PlayerCons, WaitConsumedKeepsQuietWindowsExact)
{
    const std::string off = in_child([] { return played_log(false); });
    const std::string on = in_child([] { return played_log(true); });
    ASSERT_NE(off.find("failures 0 quiet false"), std::string::npos) << off.substr(0, 2000);
    const size_t at = on.find("failures 0 quiet true");  // the windows were used
    ASSERT_NE(at, std::string::npos) << on.substr(0, 2000);
    std::string on_same = on;
    on_same.replace(at, 21, "failures 0 quiet false");
    EXPECT_EQ(on_same, off);
}
