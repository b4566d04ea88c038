// SPDX-License-Identifier: GPL-2.0-only
// The region of interest of a trace (`roi begin` / `roi end`, sim/roi.h):
// the statistics counted between the two lines, at their places in
// simulated time, are the region's; the whole run's statistics stay what
// they are without the lines; a run that stops inside the region ends it
// there, marked incomplete.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "platform/stats.h"
#include "player.h"
#include "smmuv3/cmdq.h"
#include "support/testbench.h"
#include "support/trace_text.h"

using namespace smmusim;
using smmusim::test::TestBench;
using smmusim::test::trace_text;

namespace {

// 2 commands before the region, 3 inside, 1 after.
constexpr const char* kTrace = R"(cmdq enable
cmd cmdq CFGI_ALL
cmd cmdq CMD_SYNC
doorbell cmdq
wait consumed cmdq
wait 50
+100 roi begin
cmd cmdq TLBI_EL2_ALL
cmd cmdq TLBI_NSNH_ALL
cmd cmdq CMD_SYNC
doorbell cmdq
wait consumed cmdq
roi end
cmd cmdq CMD_SYNC
doorbell cmdq
wait consumed cmdq
)";

struct Played {
    nlohmann::json roi;
    bool finished = false;
    std::vector<uint64_t> op_end_cycles;  // each operation's end, in order
};

Played play(TestBench& b, const std::string& text)
{
    TracePlayer player(b.soc(), trace_text(text));
    player.validate();
    Played p;
    player.on_op([&](const TraceOp&, const std::string&, const sc_core::sc_time&, const sc_core::sc_time& end) {
        p.op_end_cycles.push_back(b.soc().smmu_clock().to_cycles(end));
    });
    player.start();
    sc_core::sc_start();
    p.finished = player.finished();
    p.roi = player.roi_after_run().figures();
    return p;
}

uint64_t counter(const nlohmann::json& statistics, const std::string& name)
{
    return statistics.at(name).at("value").get<uint64_t>();
}

}  // namespace

TEST(Roi, CountsTheCommandsInsideTheRegionAndKeepsTheWholeRun)
{
    TestBench b;
    const Played p = play(b, kTrace);
    ASSERT_TRUE(p.finished);
    ASSERT_FALSE(p.roi.is_null());
    EXPECT_TRUE(p.roi["complete"].get<bool>());
    // Inside: the three commands and their doorbell's wait.
    EXPECT_EQ(counter(p.roi["statistics"], "soc.smmu.cmdq.consumed"), 3u);
    EXPECT_EQ(p.roi["statistics"]["soc.smmu.cmdq.latency_cycles"]["count"], 3);
    EXPECT_EQ(counter(p.roi["statistics"], "soc.smmu.engine.executed"), 3u);
    // The roi lines are no operations: 14 operations, 5 of them inside.
    ASSERT_EQ(p.op_end_cycles.size(), 14u);
    EXPECT_EQ(p.roi["ops"], 5);
    // It begins 100 cycles after `wait 50` (the 6th operation) ended and
    // ends where `wait consumed` (the 11th) did.
    EXPECT_EQ(p.roi["begin_cycle"].get<uint64_t>(), p.op_end_cycles[5] + 100);
    EXPECT_EQ(p.roi["end_cycle"].get<uint64_t>(), p.op_end_cycles[10]);
    EXPECT_EQ(p.roi["cycles"].get<uint64_t>(), p.op_end_cycles[10] - p.op_end_cycles[5] - 100);
    // The whole run's figures, as without the region: 6 commands.
    const StatGroup& q = b.soc().smmu().cmdq().stats();
    EXPECT_EQ(q.value("consumed"), 6u);
    EXPECT_EQ(q.find_histogram("latency_cycles")->count(), 6u);
    EXPECT_FALSE(StatRegistry::global().in_region());
}

// A run that stops inside the region (here: simulated time at its end)
// ends the region where it stopped, marked incomplete, and the statistics
// hold the whole run's figures again.
TEST(Roi, ARunStoppedInsideTheRegionEndsItIncomplete)
{
    TestBench b;
    const Played p = play(b, "cmdq enable\ncmd cmdq CMD_SYNC\ndoorbell cmdq\nwait consumed cmdq\nroi begin\n"
                             "cmd cmdq CMD_SYNC\ndoorbell cmdq\nwait consumed cmdq\n"
                             "+18446744073709000\n+1000\nroi end\n");
    EXPECT_FALSE(p.finished);
    ASSERT_FALSE(p.roi.is_null());
    EXPECT_FALSE(p.roi["complete"].get<bool>());
    EXPECT_EQ(counter(p.roi["statistics"], "soc.smmu.cmdq.consumed"), 1u);
    EXPECT_EQ(b.soc().smmu().cmdq().stats().value("consumed"), 2u);
    EXPECT_FALSE(StatRegistry::global().in_region());
}

// `expect executed` checks what it would check without the roi lines: the
// region's edges neither end nor start its window.
TEST(Roi, TheRegionsEdgesLeaveTheExpectWindowAlone)
{
    TestBench b;
    TracePlayer player(b.soc(), trace_text("cmdq enable\ncmd cmdq CFGI_ALL\ncmd cmdq CMD_SYNC\ndoorbell cmdq\n"
                                           "roi begin\nwait consumed cmdq\nroi end\n"
                                           "expect executed CFGI_ALL count=1\nexpect executed CMD_SYNC count=1\n"));
    player.validate();
    player.start();
    sc_core::sc_start();
    EXPECT_TRUE(player.finished());
    EXPECT_TRUE(player.failures().empty()) << player.failures().front();
}

TEST(Roi, NoRegionNoFigures)
{
    TestBench b;
    const Played p = play(b, "cmdq enable\ncmd cmdq CMD_SYNC\ndoorbell cmdq\nwait consumed cmdq\n");
    EXPECT_TRUE(p.finished);
    EXPECT_TRUE(p.roi.is_null());
}
