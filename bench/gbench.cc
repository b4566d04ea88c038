// SPDX-License-Identifier: GPL-2.0-only
#include "gbench.h"

#include <map>
#include <string>

#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include "rig.h"
#include "yardstick.h"

namespace smmusim::bench {

namespace {

Rig* rig;
constexpr int kPerJob = 1024;  // commands or translations per iteration

void BM_SmmuCmdq(benchmark::State& st)
{
    for (auto _ : st)
        rig->run_job([&] { rig->burst(Queue::SmmuCmdq, int(st.range(0))); });
    st.SetItemsProcessed(st.iterations() * st.range(0));
}

void BM_GuestVcmdq(benchmark::State& st)
{
    for (auto _ : st)
        rig->run_job([&] { rig->burst(Queue::GuestVcmdq, int(st.range(0))); });
    st.SetItemsProcessed(st.iterations() * st.range(0));
}

void BM_IdleCycles(benchmark::State& st)
{
    for (auto _ : st)
        rig->run_job([&] { sc_core::wait(rig->soc().smmu_clock().cycles(uint64_t(st.range(0)))); });
}

void BM_SystemcWait(benchmark::State& st)
{
    for (auto _ : st)
        rig->run_job([&] { timed_waits(uint64_t(st.range(0))); });
    st.SetItemsProcessed(st.iterations() * st.range(0));
}

// Walks and table reads the SMMU counted while each benchmark ran.
std::map<std::string, WalkCount> walk_counts;

void translate(benchmark::State& st, const char* name, bool hit, bool nested)
{
    bool ok = true;
    rig->run_job([&] { ok = rig->translate(1, true, nested); });  // warm: STE, CD
    const WalkCount w0 = rig->walk_count();
    for (auto _ : st)
        rig->run_job([&] { ok &= rig->translate(int(st.range(0)), hit, nested); });
    if (!ok)
        st.SkipWithError("a benchmark translation faulted");
    st.SetItemsProcessed(st.iterations() * st.range(0));
    const WalkCount w1 = rig->walk_count();
    walk_counts[std::string(name) + "/" + std::to_string(st.range(0))] = {
        w1.translations - w0.translations, w1.walks - w0.walks, w1.reads - w0.reads};
}

void BM_TranslateHit(benchmark::State& st) { translate(st, "BM_TranslateHit", true, false); }
void BM_TranslateS1Walk(benchmark::State& st) { translate(st, "BM_TranslateS1Walk", false, false); }
void BM_TranslateNestedWalk(benchmark::State& st) { translate(st, "BM_TranslateNestedWalk", false, true); }

BENCHMARK(BM_SystemcWait)->Arg(kPerJob)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_SmmuCmdq)->Arg(kPerJob)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_GuestVcmdq)->Arg(kPerJob)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_IdleCycles)->Arg(1000)->Arg(1000000000)->Unit(benchmark::kMicrosecond);
// After the command benchmarks, so their TLBIs meet the caches as before.
BENCHMARK(BM_TranslateHit)->Arg(kPerJob)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_TranslateS1Walk)->Arg(kPerJob)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_TranslateNestedWalk)->Arg(kPerJob)->Unit(benchmark::kMicrosecond);

class Collect : public benchmark::ConsoleReporter {
public:
    void ReportRuns(const std::vector<Run>& runs) override
    {
        for (const Run& r : runs)
            if (r.run_type == Run::RT_Iteration)
                ns[r.benchmark_name()] =
                    r.GetAdjustedCPUTime() / benchmark::GetTimeUnitMultiplier(r.time_unit) * 1e9;
        ConsoleReporter::ReportRuns(runs);
    }
    // CPU time per iteration (as the bench's own figures, measure.h: on a
    // shared machine real time counts the others' work too).
    std::map<std::string, double> ns;
};

// Per item (a command, a translation) against the bare timed wait.
void print_per_item(std::map<std::string, double>& ns)
{
    const std::string wait = "BM_SystemcWait/" + std::to_string(kPerJob);
    if (!ns.count(wait) || ns[wait] <= 0)
        return;
    const double wait_ns = ns[wait] / kPerJob;
    fmt::print("{:<58} {:8.1f} ns\n", "bare SystemC timed wait (one cycle), host time", wait_ns);
    const std::pair<const char*, const char*> items[] = {
        {"BM_SmmuCmdq", "command consumed, SMMU CMDQ"},
        {"BM_GuestVcmdq", "command consumed, guest VCMDQ"},
        {"BM_TranslateHit", "translation, TLB hit"},
        {"BM_TranslateS1Walk", "translation, stage-1 miss and walk"},
        {"BM_TranslateNestedWalk", "translation, nested miss and walk"},
    };
    for (const auto& [bm, what] : items) {
        const std::string name = std::string(bm) + "/" + std::to_string(kPerJob);
        if (!ns.count(name))
            continue;
        const double per = ns[name] / kPerJob;
        fmt::print("{:<40} {:8.1f} ns {:10.0f}/s {:6.2f}x wait", what, per, 1e9 / per, per / wait_ns);
        if (walk_counts.count(name) && walk_counts[name].translations) {
            const WalkCount& w = walk_counts[name];
            fmt::print("  walks/translation {:.2f}, reads/walk {:.2f}", double(w.walks) / w.translations,
                       w.walks ? double(w.reads) / w.walks : 0.0);
        }
        fmt::print("\n");
    }
}

}  // namespace

int run_gbench(int argc, char** argv)
{
    benchmark::Initialize(&argc, argv);
    Rig r;
    rig = &r;
    r.setup();
    Collect rep;
    benchmark::RunSpecifiedBenchmarks(&rep);
    auto ratio = [&](const char* what, const std::string& a, const std::string& b) {
        if (rep.ns.count(a) && rep.ns.count(b) && rep.ns[b] > 0)
            fmt::print("{:<58} {:8.2f}x\n", what, rep.ns[a] / rep.ns[b]);
    };
    fmt::print("\nratios (same run, same machine, CPU time):\n");
    ratio("guest VCMDQ vs SMMU CMDQ, host time per command", "BM_GuestVcmdq/1024", "BM_SmmuCmdq/1024");
    ratio("10^9 idle cycles vs 10^3 idle cycles, host time", "BM_IdleCycles/1000000000", "BM_IdleCycles/1000");
    print_per_item(rep.ns);
    benchmark::Shutdown();
    return 0;
}

}  // namespace smmusim::bench
