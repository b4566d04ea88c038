// SPDX-License-Identifier: GPL-2.0-only
// Golden regression: every sample trace in traces/ is played and its
// statistics compared with traces/golden/<name>.json, exactly (the simulator
// is deterministic). Host time and the trace's path are left out.
//
// Re-bless after a deliberate change (a timing parameter, a model fix):
//   SMMUSIM_BLESS=1 ctest --test-dir build -R Golden
// then review and commit the diff of traces/golden/.
#include <dirent.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "player.h"
#include "report.h"
#include "support/bench.h"

using namespace smmusim;
using smmusim::test::Bench;

namespace {

std::vector<std::string> sample_traces()
{
    std::vector<std::string> names;
    if (DIR* d = opendir(SMMUSIM_TRACE_DIR)) {
        while (dirent* e = readdir(d)) {
            std::string n = e->d_name;
            if (n.size() > 6 && n.compare(n.size() - 6, 6, ".trace") == 0)
                names.push_back(n.substr(0, n.size() - 6));
        }
        closedir(d);
    }
    std::sort(names.begin(), names.end());
    return names;
}

class Golden : public testing::TestWithParam<std::string> {};

}  // namespace

TEST_P(Golden, StatisticsMatch)
{
    const std::string name = GetParam();
    Bench b;
    TracePlayer player(b.soc(), std::string(SMMUSIM_TRACE_DIR "/") + name + ".trace");
    player.validate();
    player.start();
    sc_core::sc_start();
    ASSERT_TRUE(player.finished());
    for (const auto& f : player.failures())
        ADD_FAILURE() << f;

    nlohmann::json got = build_stats(b.soc(), RunInfo{"", 0.0, player.ops(), player.finished()});
    got.erase("host");
    got.erase("trace");
    const std::string path = std::string(SMMUSIM_TRACE_DIR "/golden/") + name + ".json";
    if (getenv("SMMUSIM_BLESS")) {
        std::ofstream(path) << got.dump(2) << "\n";
        GTEST_SKIP() << "blessed " << path;
    }
    std::ifstream in(path);
    ASSERT_TRUE(in) << path << " is missing: run SMMUSIM_BLESS=1 ctest -R Golden and commit it";
    const nlohmann::json want = nlohmann::json::parse(in);
    const nlohmann::json diff = nlohmann::json::diff(want, got);
    EXPECT_TRUE(diff.empty()) << name << " differs from its golden statistics:\n" << diff.dump(2);
}

INSTANTIATE_TEST_SUITE_P(Samples, Golden, testing::ValuesIn(sample_traces()),
                         [](const testing::TestParamInfo<std::string>& i) {
                             std::string n = i.param;
                             std::replace(n.begin(), n.end(), '-', '_');
                             return n;
                         });

TEST(GoldenRegression, ATimingChangeShowsUpAsADiff)
{
    // One cycle more per VA invalidation must move the bring-up trace's
    // simulated time away from its golden figure.
    Bench b({"smmu.exec.tlbi_va_cycles=9"});
    TracePlayer player(b.soc(), SMMUSIM_TRACE_DIR "/smmu-bringup.trace");
    player.validate();
    player.start();
    sc_core::sc_start();
    std::ifstream in(SMMUSIM_TRACE_DIR "/golden/smmu-bringup.json");
    ASSERT_TRUE(in);
    const nlohmann::json want = nlohmann::json::parse(in);
    const nlohmann::json got = build_stats(b.soc(), RunInfo{"", 0.0, player.ops(), player.finished()});
    EXPECT_NE(got["sim"]["cycles"], want["sim"]["cycles"]);
    EXPECT_EQ(got["sim"]["cycles"].get<uint64_t>(), want["sim"]["cycles"].get<uint64_t>() + 4);  // 4 TLBI_NH_VAs
}
