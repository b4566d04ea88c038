// SPDX-License-Identifier: GPL-2.0-only
// --timeline: a valid Chrome trace-event file with one span per executed
// command on its queue's track and an instant per interrupt.
#include <cstdio>
#include <fstream>
#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "player.h"
#include "support/testbench.h"
#include "timeline.h"

using namespace smmusim;
using smmusim::test::TestBench;

TEST(Timeline, OneSpanPerCommandOnItsQueueTrack)
{
    const std::string path = "/tmp/smmusim-timeline-test.json";
    TestBench b;
    {
        Timeline tl(b.soc(), path);
        TracePlayer player(b.soc(), SMMUSIM_TRACE_DIR "/vcmdq-guest-illegal.trace");
        player.validate();
        player.on_op([&](const TraceOp& op, const std::string& name, const sc_core::sc_time& start,
                         const sc_core::sc_time& end) { tl.cpu_span(name, start, end, op.loc.str()); });
        player.start();
        sc_core::sc_start();
        ASSERT_TRUE(player.finished());
        ASSERT_TRUE(tl.close());
    }
    std::ifstream in(path);
    const nlohmann::json events = nlohmann::json::parse(in);
    std::map<int, std::string> tracks;
    std::map<std::string, int> spans;
    int instants = 0;
    double last_end = 0;
    std::vector<std::string> cpu_ops;
    double cpu_last_end = 0;
    for (const auto& e : events) {
        if (e["ph"] == "M" && e["name"] == "thread_name")
            tracks[e["tid"]] = e["args"]["name"];
        if (e["ph"] == "X" && tracks.at(e["tid"]) == "cpu0 (trace)") {
            // The CPU's operations, in trace order, one after another.
            cpu_ops.push_back(e["name"]);
            EXPECT_GE(e["ts"].get<double>() + 1e-6, cpu_last_end);  // microseconds, as doubles
            cpu_last_end = e["ts"].get<double>() + e["dur"].get<double>();
            continue;
        }
        if (e["ph"] == "X") {
            spans[tracks.at(e["tid"])]++;
            EXPECT_GE(e["ts"].get<double>(), last_end);  // one engine: spans never overlap
            last_end = e["ts"].get<double>() + e["dur"].get<double>();
        }
        if (e["ph"] == "i") {
            instants++;
            EXPECT_EQ(e["name"], "cmdqv");
        }
    }
    // TLBI, then after the fix TLBI + CMD_SYNC: 3 commands on VCMDQ 4.
    EXPECT_EQ(spans, (std::map<std::string, int>{{"soc.cmdqv.vcmdq4", 3}}));
    EXPECT_EQ(instants, 1);
    ASSERT_FALSE(cpu_ops.empty());
    EXPECT_EQ(cpu_ops.front(), "cmdqv enable");
    EXPECT_NE(std::find(cpu_ops.begin(), cpu_ops.end(), "doorbell vintf2.lvcmdq0"), cpu_ops.end());
    remove(path.c_str());
}
