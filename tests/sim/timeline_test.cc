// SPDX-License-Identifier: GPL-2.0-only
// --timeline: a valid Chrome trace-event file with one span per executed
// command on its queue's track and an instant per interrupt.
#include <cstdio>
#include <fstream>
#include <map>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "player.h"
#include "support/bench.h"
#include "timeline.h"

using namespace smmusim;
using smmusim::test::Bench;

TEST(Timeline, OneSpanPerCommandOnItsQueueTrack)
{
    const std::string path = "/tmp/smmusim-timeline-test.json";
    Bench b;
    {
        Timeline tl(b.soc(), path);
        TracePlayer player(b.soc(), SMMUSIM_TRACE_DIR "/vcmdq-guest-illegal.trace");
        player.validate();
        player.start();
        sc_core::sc_start();
        ASSERT_TRUE(player.finished());
    }
    std::ifstream in(path);
    const nlohmann::json events = nlohmann::json::parse(in);
    std::map<int, std::string> tracks;
    std::map<std::string, int> spans;
    int instants = 0;
    double last_end = 0;
    for (const auto& e : events) {
        if (e["ph"] == "M" && e["name"] == "thread_name")
            tracks[e["tid"]] = e["args"]["name"];
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
    remove(path.c_str());
}
