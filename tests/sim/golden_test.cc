// SPDX-License-Identifier: GPL-2.0-only
// Golden regression: every sample trace in traces/ is played and its
// statistics compared with traces/golden/<name>.json, exactly (the simulator
// is deterministic). Host time and the trace's path are left out.
//
// Traces with kernel-level operations need the kernel shim (this file is
// then built into the kernel tests) and their goldens hold for the kernel
// version they were blessed with.
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
#ifdef SMMUSIM_HAVE_KERNEL_SHIM
#include "trace_ops.h"
#endif

using namespace smmusim;
using smmusim::test::Bench;

namespace {

RunInfo run_info(const TracePlayer& p)
{
    RunInfo i;
    i.ops = p.ops();
    i.complete = p.finished();
    return i;
}

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

// A trace that needs another configuration than the default (e.g. small
// queues) has it beside it, traces/<name>.toml, as `smmusim run --config`
// takes it: its settings, as assignments for the test bench.
std::vector<std::string> sidecar_config(const std::string& name)
{
    const std::string path = std::string(SMMUSIM_TRACE_DIR "/") + name + ".toml";
    if (!std::ifstream(path))
        return {};
    Config c;
    declare_all_params(c);
    c.load_file(path);
    std::vector<std::string> sets;
    const nlohmann::json all = c.resolved();
    for (const auto& [k, e] : all.items())
        if (e["origin"] != "default")
            sets.push_back(k + "=" + (e["value"].is_string() ? e["value"].get<std::string>() : e["value"].dump()));
    return sets;
}

class Golden : public testing::TestWithParam<std::string> {};

}  // namespace

TEST_P(Golden, StatisticsMatch)
{
    const std::string name = GetParam();
    Bench b(sidecar_config(name));
    TracePlayer player(b.soc(), std::string(SMMUSIM_TRACE_DIR "/") + name + ".trace");
    player.validate();
    RunInfo info;
#ifdef SMMUSIM_HAVE_KERNEL_SHIM
    // Traces with kernel-level operations run the real Linux code.
    std::unique_ptr<kshim::KernelShim> ks;
    std::unique_ptr<kshim::KernelTraceOps> kops;
    if (player.uses_kernel()) {
        ks = std::make_unique<kshim::KernelShim>(b.soc());
        kops = std::make_unique<kshim::KernelTraceOps>(*ks);
        player.set_kernel(kops.get(), ks->options().stack_bytes);
    }
#else
    if (player.uses_kernel())
        GTEST_SKIP() << name << " has kernel-level operations and this build has no kernel shim";
#endif
    player.start();
    sc_core::sc_start();
    ASSERT_TRUE(player.finished());
    for (const auto& f : player.failures())
        ADD_FAILURE() << f;

    info = run_info(player);
#ifdef SMMUSIM_HAVE_KERNEL_SHIM
    if (kops) {
        info.kernel_version = kops->version();
        info.kernel_warnings = kops->warnings();
        EXPECT_TRUE(ks->failures().empty()) << ks->failures_text() << ks->dmesg();
    }
#endif
    nlohmann::json got = build_stats(b.soc(), info);
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
    // Kernel-level traces run the kernel under test, whose code (errata
    // workarounds, ...) sets their timing: their goldens hold for the
    // kernel they were blessed with (the default one).
    if (want["kernel"]["version"].is_string() && want["kernel"]["version"] != got["kernel"]["version"])
        GTEST_SKIP() << path << " was blessed with Linux " << want["kernel"]["version"].get<std::string>()
                     << "; this build runs " << got["kernel"]["version"].get<std::string>();
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
    const nlohmann::json got = build_stats(b.soc(), run_info(player));
    EXPECT_NE(got["sim"]["cycles"], want["sim"]["cycles"]);
    EXPECT_EQ(got["sim"]["cycles"].get<uint64_t>(), want["sim"]["cycles"].get<uint64_t>() + 4);  // 4 TLBI_NH_VAs
}
