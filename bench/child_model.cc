// SPDX-License-Identifier: GPL-2.0-only
// The `model` child (children.h): the benchmarks' platform driven directly,
// each figure timed around one job and divided by the yardstick taken in the
// same repetition; the medians of the repetitions. Three phases, in this
// order: commands and idle time while the SMMU's caches are empty (as a
// register-level trace meets them), translations (which fill the TLB, the
// walk cache and the configuration cache), then the SMMU CMDQ's commands
// again with those caches full (its TLBIs name another ASID: they find
// work to look at but invalidate nothing, so the caches stay full).
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "children.h"
#include "measure.h"
#include "rig.h"
#include "yardstick.h"

namespace smmusim::bench {

namespace {

struct Job {
    std::string name;
    int items;
    std::function<void()> fn;
};

// Medians over repetitions, host ns per item and per item in waits.
struct Medians {
    std::map<std::string, std::vector<double>> ns, x;
    void add(nlohmann::json& j) const
    {
        for (const auto& [k, v] : ns) {
            j["ns"][k] = median(v);
            j["x_wait"][k] = median(x.at(k));
        }
    }
};

double per_item_ns(Rig& rig, const Job& job)
{
    const double t0 = host_seconds();
    rig.run_job(job.fn);
    return (host_seconds() - t0) * 1e9 / job.items;
}

// `reps` repetitions of the yardstick (`n` waits) then each of `jobs`.
void repeat(Rig& rig, int reps, int n, const std::vector<Job>& jobs, Medians& m)
{
    for (int i = 0; i < reps; i++) {
        const double wait = per_item_ns(rig, {"wait", n, [n] { timed_waits(uint64_t(n)); }});
        m.ns["wait"].push_back(wait);
        m.x["wait"].push_back(1.0);
        for (const Job& job : jobs) {
            const double ns = per_item_ns(rig, job);
            m.ns[job.name].push_back(ns);
            m.x[job.name].push_back(ns / wait);
        }
    }
}

}  // namespace

nlohmann::json measure_model(bool quick)
{
    const int n = quick ? 256 : 1024, reps = quick ? 3 : 9;
    Rig rig;
    rig.setup();
    bool ok = true;
    const std::vector<Job> commands{
        {"cmdq", n, [&rig, n] { rig.burst(Queue::SmmuCmdq, n); }},
        {"vcmdq", n, [&rig, n] { rig.burst(Queue::GuestVcmdq, n); }},
        {"idle_1s", 1, [] { sc_core::wait(sc_core::sc_time(1, sc_core::SC_SEC)); }},
    };
    const std::vector<Job> translations{
        {"hit", n, [&rig, &ok, n] { ok &= rig.translate(n, true); }},
        {"miss", n, [&rig, &ok, n] { ok &= rig.translate(n, false); }},
    };
    const std::vector<Job> full{{"cmdq_caches_full", n, [&rig, n] { rig.burst(Queue::SmmuCmdq, n); }}};
    Medians m, warm;
    repeat(rig, 1, n, commands, warm);  // warm-up: the host's caches
    repeat(rig, reps, n, commands, m);
    repeat(rig, 1, n, translations, warm);  // warm-up: STEs, CDs
    const WalkCount w0 = rig.walk_count();
    repeat(rig, reps, n, translations, m);
    const WalkCount w1 = rig.walk_count();
    repeat(rig, reps, n, full, m);
    if (!ok)
        throw std::runtime_error("a benchmark translation faulted");
    nlohmann::json j;
    m.add(j);
    // The misses' walks (each of the reps' miss jobs made n translations).
    const double walks = double(w1.walks - w0.walks);
    j["walks_per_miss"] = walks / (double(reps) * n);
    j["steps_per_walk"] = walks > 0 ? double(w1.reads - w0.reads) / walks : 0.0;
    j["items_per_job"] = n;
    j["repetitions"] = reps;
    j["peak_rss_mb"] = peak_rss_mb();
    return j;
}

}  // namespace smmusim::bench
