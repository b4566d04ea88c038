// SPDX-License-Identifier: GPL-2.0-only
// Golden regression: every sample trace in traces/ is played and its
// statistics compared with traces/golden/<name>.json, exactly (the simulator
// is deterministic). Host time, the trace's path and the simulator's version
// are left out. Every registered statistic is compared by its figures alone
// (not its description or unit), and one still at zero (a counter at 0, a
// histogram without samples) is left out of the file: absent means zero.
//
// Every trace is played by the library-level run (sim/run.h), the one the
// smmusim program makes. Traces with kernel-level operations need the kernel
// shim's operations (this test links them when they are built): without
// them such a trace is skipped, with the reason. Their goldens hold for the
// kernel version they were blessed with.
//
// Re-bless after a deliberate change (a timing parameter, a model fix):
//   SMMUSIM_BLESS=1 ctest --test-dir build -R Golden
// then review and commit the diff of traces/golden/.
#include <dirent.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "kernel_ops_provider.h"
#include "outputs.h"
#include "player.h"
#include "report.h"
#include "run.h"
#include "support/testbench.h"
#include "support/trace_text.h"

using namespace smmusim;
using smmusim::test::TestBench;

namespace {

// One run of `trace` (a path), as the program makes it, quiet; `sets` as the
// test bench takes them (origin "test").
RunResult run_trace(const std::string& trace, const std::vector<std::string>& sets = {})
{
    RunOptions o;
    o.trace = trace;
    o.sets = sets;
    o.sets_origin = "test";
    o.quiet = true;
    return run(o);
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
// takes it: its settings, as assignments (origin "test", as the goldens
// were blessed).
std::vector<std::string> sidecar_config(const std::string& name)
{
    const std::string path = std::string(SMMUSIM_TRACE_DIR "/") + name + ".toml";
    if (!std::ifstream(path))
        return {};
    Config c;
    declare_run_params(c);
    c.load_file(path);
    std::vector<std::string> sets;
    const nlohmann::json all = c.resolved();
    for (const auto& [k, e] : all.items())
        if (e["origin"] != "default")
            sets.push_back(k + "=" + (e["value"].is_string() ? e["value"].get<std::string>() : e["value"].dump()));
    return sets;
}

class Golden : public testing::TestWithParam<std::string> {};

// Removes from a golden's "config" the parameters this build does not
// declare (a build without the kernel shim has no kernel.*, cpu.*, vm.* or
// endpoint.*: its provider declares them), as the parameter registry of a
// run says, so that no list of prefixes has to follow the shim's groups.
void strip_kernel_params(nlohmann::json& config)
{
    Config declared;
    declare_run_params(declared);
    for (auto it = config.begin(); it != config.end();)
        it = declared.declared(it.key()) ? std::next(it) : config.erase(it);
}

// A document's "statistics" by their figures alone, those at zero left out.
nlohmann::json figures_only(nlohmann::json statistics)
{
    nlohmann::json figures = nlohmann::json::object();
    for (auto& [name, st] : statistics.items()) {
        if (st["kind"] == "counter" ? st["value"] == 0 : st["count"] == 0)
            continue;
        if (st["kind"] == "counter") {
            figures[name] = st["value"];
            continue;
        }
        for (const char* k : {"kind", "unit", "description"})
            st.erase(k);
        figures[name] = st;
    }
    return figures;
}

// What a golden file holds of a statistics document (see the header); the
// region of interest's statistics (a trace with `roi` lines) as the whole
// run's.
nlohmann::json golden_view(nlohmann::json s)
{
    s.erase("host");
    s.erase("trace");
    s.erase("simulator");
    s["statistics"] = figures_only(s["statistics"]);
    if (s.contains("roi"))
        s["roi"]["statistics"] = figures_only(s["roi"]["statistics"]);
    return s;
}

}  // namespace

TEST_P(Golden, StatisticsMatch)
{
    const std::string name = GetParam();
    const RunResult r = run_trace(std::string(SMMUSIM_TRACE_DIR "/") + name + ".trace", sidecar_config(name));
    if (r.uses_kernel && !kernel_ops_provider())
        GTEST_SKIP() << name << " has kernel-level operations and this build has no kernel shim";
    ASSERT_FALSE(r.stats.is_null()) << name << " was refused (exit status " << r.exit_status << ")";
    ASSERT_TRUE(r.complete);
    for (const auto& f : r.failures)
        ADD_FAILURE() << f;
    // Traces with kernel-level operations run the real Linux code: it must
    // not have failed anywhere in the run, between operations included.
    EXPECT_TRUE(r.kernel_failures.empty()) << r.kernel_failures;
    const nlohmann::json got = golden_view(r.stats);
    const std::string path = std::string(SMMUSIM_TRACE_DIR "/golden/") + name + ".json";
    if (getenv("SMMUSIM_BLESS")) {
        // Written as the program writes its outputs (outputs.h).
        OutputWriter out("SMMUSIM_BLESS", path);
        out.write(got.dump(2) + "\n");
        ASSERT_TRUE(out.close()) << out.error();
        GTEST_SKIP() << "blessed " << path;
    }
    std::ifstream in(path);
    ASSERT_TRUE(in) << path << " is missing: run SMMUSIM_BLESS=1 ctest -R Golden and commit it";
    nlohmann::json want = nlohmann::json::parse(in);
    // The kernel shim's parameters (kernel.*, cpu.*, vm.*, endpoint.*) are
    // declared by its provider: a build without the shim has none, so a
    // golden's are not compared there (every other figure still is).
    if (!kernel_ops_provider())
        strip_kernel_params(want["config"]);
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

TEST(GoldenRegression, ParametersThisBuildDoesNotDeclareAreLeftOut)
{
    // What a build without the kernel shim compares: the golden's config
    // without the parameters it does not declare, whatever their group
    // (vm.* too, which a list of prefixes once missed).
    nlohmann::json config = {{"smmu.clock_mhz", 1}, {"vm.exit_ns", 2}, {"no.such.group", 3}};
    strip_kernel_params(config);
    Config declared;
    declare_run_params(declared);
    nlohmann::json want = {{"smmu.clock_mhz", 1}};
    if (declared.declared("vm.exit_ns"))
        want["vm.exit_ns"] = 2;
    EXPECT_EQ(config, want);
    EXPECT_EQ(declared.declared("vm.exit_ns"), kernel_ops_provider() != nullptr);
}

TEST(GoldenRegression, ATimingChangeShowsUpAsADiff)
{
    // One cycle more per VA invalidation must move the bring-up trace's
    // simulated time away from its golden figure.
    const nlohmann::json got =
        run_trace(SMMUSIM_TRACE_DIR "/smmu-bringup.trace", {"smmu.exec.tlbi_va_cycles=9"}).stats;
    std::ifstream in(SMMUSIM_TRACE_DIR "/golden/smmu-bringup.json");
    ASSERT_TRUE(in);
    nlohmann::json want = nlohmann::json::parse(in);
    // The kernel shim's parameters (kernel.*, cpu.*, vm.*, endpoint.*) are
    // declared by its provider: a build without the shim has none, so a
    // golden's are not compared there (every other figure still is).
    if (!kernel_ops_provider())
        strip_kernel_params(want["config"]);
    EXPECT_NE(got["sim"]["cycles"], want["sim"]["cycles"]);
    EXPECT_EQ(got["sim"]["cycles"].get<uint64_t>(), want["sim"]["cycles"].get<uint64_t>() + 4);  // 4 TLBI_NH_VAs
}

TEST(GoldenRegression, AStatisticLeftOutAtZeroStillShowsWhenItCounts)
{
    // Goldens leave out statistics at zero; one that starts counting must
    // appear in the view (and so in the diff against the golden file).
    nlohmann::json s = run_trace(SMMUSIM_TRACE_DIR "/smmu-bringup.trace").stats;
    ASSERT_EQ(s["statistics"]["soc.smmu.bad_accesses"]["value"], 0);
    const nlohmann::json before = golden_view(s);
    EXPECT_FALSE(before["statistics"].contains("soc.smmu.bad_accesses"));
    s["statistics"]["soc.smmu.bad_accesses"]["value"] = 1;
    const nlohmann::json after = golden_view(s);
    EXPECT_EQ(after["statistics"]["soc.smmu.bad_accesses"], 1);
    EXPECT_FALSE(nlohmann::json::diff(before, after).empty());
    // A description is not a figure: editing one needs no re-bless.
    s["statistics"]["soc.smmu.reg_reads"]["description"] = "edited";
    EXPECT_EQ(golden_view(s), after);
}

// ---- the statistics document (sim/report.h) --------------------------------
// Played on a test bench, so that the platform (and its statistics registry)
// is still there to compare with.

namespace {

// Plays a register-level trace to its end; its statistics document.
nlohmann::json play(TestBench& b, TraceInput trace, RunInfo info = {})
{
    TracePlayer player(b.soc(), std::move(trace));
    player.validate();
    player.start();
    sc_core::sc_start();
    EXPECT_TRUE(player.finished());
    for (const auto& f : player.failures())
        ADD_FAILURE() << f;
    info.ops = player.ops();
    info.complete = player.finished();
    return build_stats(b.soc(), info);
}

const nlohmann::json& queue(const nlohmann::json& s, const std::string& name)
{
    for (const auto& q : s["queues"])
        if (q["name"] == name)
            return q;
    static const nlohmann::json none;
    ADD_FAILURE() << "no queue " << name << " in the statistics";
    return none;
}

}  // namespace

TEST(Report, QueueOwnerIsWhoUsedItNotTheEndState)
{
    // VCMDQ2 serves VINTF1, is unmapped (VINTF1 disabled first, as the
    // unmap rule wants), then serves VINTF3, which keeps it.
    const TraceInput p = smmusim::test::trace_text("cmdqv enable\n"
                                      "vintf 1 enable vmid=1\n"
                                      "vintf 1 map 0 vcmdq=2\n"
                                      "vintf1.lvcmdq0 enable log2size=5\n"
                                      "cmd vintf1.lvcmdq0 TLBI_NH_ASID asid=1\n"
                                      "cmd vintf1.lvcmdq0 CMD_SYNC\n"
                                      "doorbell vintf1.lvcmdq0\n"
                                      "wait consumed vintf1.lvcmdq0\n"
                                      "vintf 1 map 1 vcmdq=5\n"
                                      "write32 cmdqv.VINTF1_CONFIG 0\n"
                                      "wait 100\n"
                                      "write32 cmdqv.CMDQ_ALLOC5 0\n"
                                      "write32 cmdqv.CMDQ_ALLOC2 0\n"
                                      "read32 cmdqv.CMDQ_ALLOC2 expect 0\n"
                                      "vintf 3 map 0 vcmdq=2\n");
    TestBench b;
    const nlohmann::json s = play(b, p);
    const nlohmann::json& q2 = queue(s, "cmdqv.vcmdq2");
    EXPECT_EQ(q2["owner"], "vintf1,vintf3");
    EXPECT_EQ(q2["used_by"], nlohmann::json::parse(R"([{"vintf": 1, "lvcmdq": 0, "user": null},
                                                        {"vintf": 3, "lvcmdq": 0, "user": null}])"));
    EXPECT_EQ(q2["mapped_at_end"], nlohmann::json::parse(R"({"vintf": 3, "lvcmdq": 0})"));
    EXPECT_EQ(q2["consumed"], 2);
    // Mapped during the run, idle and unmapped at its end: still listed.
    const nlohmann::json& q5 = queue(s, "cmdqv.vcmdq5");
    EXPECT_EQ(q5["owner"], "vintf1");
    EXPECT_TRUE(q5["mapped_at_end"].is_null());
    EXPECT_EQ(queue(s, "smmu.cmdq")["owner"], "host");
    EXPECT_NE(summary_table(s).find("cmdqv.vcmdq2       vcmdq      vintf1,vintf3"), std::string::npos)
        << summary_table(s);
}

TEST(Report, EveryRegisteredStatisticIsExportedWithItsDescriptionAndUnit)
{
    TestBench b;
    const nlohmann::json s = play(b, TraceInput(SMMUSIM_TRACE_DIR "/vcmdq-multi-vintf.trace"));
    const nlohmann::json& st = s["statistics"];
    size_t n = 0;
    StatRegistry::global().for_each([&](const StatInfo& i) {
        n++;
        ASSERT_TRUE(st.contains(i.name)) << i.name;
        const nlohmann::json& e = st[i.name];
        EXPECT_EQ(e["kind"], i.kind_name()) << i.name;
        EXPECT_FALSE(e["description"].get<std::string>().empty()) << i.name;
        EXPECT_FALSE(e["unit"].get<std::string>().empty()) << i.name;
        if (i.counter) {
            EXPECT_EQ(e["value"], i.counter->value()) << i.name;
            return;
        }
        uint64_t in_buckets = 0;
        for (const auto& k : e["buckets"]) {
            EXPECT_LE(k["lo"].get<uint64_t>(), k["hi"].get<uint64_t>()) << i.name;
            in_buckets += k["count"].get<uint64_t>();
        }
        EXPECT_EQ(in_buckets, e["count"].get<uint64_t>()) << i.name;
    });
    EXPECT_EQ(st.size(), n);
    // What the report used to leave out (issue #10): register reads, ignored
    // writes, bad accesses, MSIs, the engine and memory counters.
    for (const char* name : {"soc.smmu.reg_reads", "soc.smmu.ignored_writes", "soc.smmu.bad_accesses",
                             "soc.smmu.msis", "soc.cmdqv.reg_writes", "soc.cmdqv.alloc_violations",
                             "soc.smmu.engine.busy_cycles", "soc.smmu.cmdq.fetch_aborts"})
        EXPECT_TRUE(st.contains(name)) << name;
    EXPECT_EQ(st["soc.smmu.engine.busy_cycles"]["unit"], "cycles");
    EXPECT_EQ(st["soc.smmu.cmdq.consumed"]["unit"], "count");
    EXPECT_EQ(st["soc.smmu.cmdq.consumed"]["value"], 9);
    // The SMMU CMDQ's nine latencies (FORMAT.md: doorbell to CONS update).
    const nlohmann::json& lat = st["soc.smmu.cmdq.latency_cycles"];
    EXPECT_EQ(lat["count"], 9);
    EXPECT_EQ(lat["percentiles"], "exact");
    EXPECT_EQ(lat["max"], 572);
}

TEST(Report, PercentilesAreNearestRankAndWithinMinMax)
{
    TestBench b;
    const nlohmann::json s = play(b, TraceInput(SMMUSIM_TRACE_DIR "/vcmdq-multi-vintf.trace"));
    for (const auto& q : s["queues"]) {
        const auto& l = q["latency_cycles"];
        EXPECT_LE(l["min"].get<uint64_t>(), l["p50"].get<uint64_t>()) << q["name"];
        EXPECT_LE(l["p50"].get<uint64_t>(), l["p99"].get<uint64_t>()) << q["name"];
        // Nearest rank: below 100 samples the 99th percentile is the largest.
        EXPECT_EQ(l["p99"], l["max"]) << q["name"];
    }
    // VCMDQ2's 9 samples read p99 568 with max 569 from the buckets before.
    EXPECT_EQ(queue(s, "cmdqv.vcmdq2")["latency_cycles"]["p99"], 569);
}

TEST(Report, SummaryMarksBucketedPercentiles)
{
    TestBench b;
    nlohmann::json s = play(b, TraceInput(SMMUSIM_TRACE_DIR "/smmu-bringup.trace"));
    const std::string exact = summary_table(s);
    EXPECT_EQ(exact.find('~'), std::string::npos) << exact;
    // As a queue with more than Histogram::kExactSamples latencies reads.
    s["queues"][0]["latency_cycles"]["percentiles"] = "bucketed";
    s["queues"][0]["latency_cycles"]["p99"] = 1136;
    EXPECT_NE(summary_table(s).find(" ~1136 "), std::string::npos) << summary_table(s);
}

TEST(Report, SimulatorVersionAndCommit)
{
    TestBench b;
    RunInfo info;
    info.simulator_version = "1.2.3";
    info.simulator_commit = "0123abc";
    const nlohmann::json s = play(b, TraceInput(SMMUSIM_TRACE_DIR "/smmu-bringup.trace"), info);
    EXPECT_EQ(s["simulator"], nlohmann::json::parse(R"({"version": "1.2.3", "commit": "0123abc"})"));
    EXPECT_EQ(s["schema"], 2);
    // Left out of the goldens, like host time.
    EXPECT_FALSE(golden_view(s).contains("simulator"));
}
