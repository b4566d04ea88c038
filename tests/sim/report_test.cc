// SPDX-License-Identifier: GPL-2.0-only
// The summary table walks the statistics document: a statistic nobody told
// the report about shows in its queue's `other` column or in the table of
// other statistics, and one at zero does not (sim/report.h).
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "report.h"

using namespace smmusim;
using nlohmann::json;

namespace {

json latency(uint64_t n, uint64_t v)
{
    return {{"count", n}, {"min", v}, {"max", v}, {"mean", double(v)}, {"p50", v},
            {"p90", v},   {"p99", v}, {"percentiles", "exact"}};
}

// A statistics document as build_stats() writes it, one queue.
json document()
{
    json q = {{"name", "smmu.cmdq"}, {"kind", "smmu-cmdq"}, {"group", "soc.smmu.cmdq"}, {"owner", "host"},
              {"consumed", 4},       {"errors", 0},         {"batches", 2},              {"fetch_aborts", 0},
              {"latency_cycles", latency(4, 60)}};
    json st = json::object();
    st["soc.smmu.cmdq.consumed"] = {{"kind", "counter"}, {"unit", "count"}, {"description", "d"}, {"value", 4}};
    st["soc.smmu.reg_reads"] = {{"kind", "counter"}, {"unit", "count"}, {"description", "d"}, {"value", 7}};
    st["soc.smmu.bad_accesses"] = {{"kind", "counter"}, {"unit", "count"}, {"description", "d"}, {"value", 0}};
    json h = latency(3, 2);
    h.update({{"kind", "histogram"}, {"unit", "requesters"}, {"description", "d"}});
    st["soc.smmu.engine.queue_length"] = h;
    return {{"sim", {{"cycles", 100}, {"time_ns", 100}, {"ops", 3}}},
            {"host", {{"seconds", 0.0}}},
            {"kernel", {{"version", nullptr}, {"warnings", 0}}},
            {"queues", json::array({q})},
            {"events", {{"evtq_records", 0}, {"evtq_overflows", 0}, {"gerrors", 0}, {"cmdqv_errors", 0}}},
            {"statistics", st}};
}

}  // namespace

TEST(Summary, AQueuesOtherStatisticsShowInItsLastColumnUnlessZero)
{
    json s = document();
    std::string t = summary_table(s);
    EXPECT_NE(t.find("  batches=2\n"), std::string::npos) << t;
    EXPECT_EQ(t.find("fetch_aborts"), std::string::npos) << t;  // zero
    // A counter the queue model adds later needs no change to the report.
    s["queues"][0]["new_counter"] = 9;
    t = summary_table(s);
    EXPECT_NE(t.find("  batches=2 new_counter=9\n"), std::string::npos) << t;
}

TEST(Summary, OtherRegisteredStatisticsShowUnlessZeroOrInTheQueueTable)
{
    json s = document();
    const std::string t = summary_table(s);
    EXPECT_NE(t.find("soc.smmu.reg_reads"), std::string::npos) << t;
    EXPECT_NE(t.find("n=3 min=2 p50=2 p99=2 max=2  requesters"), std::string::npos) << t;
    EXPECT_EQ(t.find("soc.smmu.bad_accesses"), std::string::npos) << t;   // zero
    EXPECT_EQ(t.find("soc.smmu.cmdq.consumed"), std::string::npos) << t;  // its queue's row has it
    s["statistics"]["soc.dram.new_counter"] = {{"kind", "counter"}, {"unit", "bytes"}, {"description", "d"},
                                               {"value", 12}};
    const std::string t2 = summary_table(s);
    EXPECT_NE(t2.find("soc.dram.new_counter"), std::string::npos) << t2;
    EXPECT_NE(t2.find("12  bytes"), std::string::npos) << t2;
}

// The last line says what the table shows and where every statistic goes:
// with --stats, the file written; without, the option that writes one (it
// said "in --stats FILE.json" whether or not a file was written).
TEST(Summary, LastLineSaysWhereEveryStatisticIs)
{
    const json s = document();
    const std::string n = std::to_string(s["statistics"].size());
    EXPECT_NE(summary_table(s).find("\nstatistics: those not zero are above; all " + n +
                                    ", each with its description, are written by --stats FILE.json\n"),
              std::string::npos)
        << summary_table(s);
    EXPECT_NE(summary_table(s, "out/s.json").find("; all " + n + ", each with its description, are written to out/s.json "
                                                  "(--stats)\n"),
              std::string::npos)
        << summary_table(s, "out/s.json");
}
