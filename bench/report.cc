// SPDX-License-Identifier: GPL-2.0-only
#include "report.h"

#include <algorithm>
#include <memory>
#include <stdexcept>
#include <vector>

#include <fmt/format.h>

#include "child_process.h"
#include "kernel_ops_provider.h"
#include "outputs.h"
#include "targets.h"

namespace smmusim::bench {

namespace {

// The scaling size whose run gives ns_per_command_trace: 10^5 commands, or
// the largest swept size below it.
constexpr uint64_t kTraceFigureOps = 100000;

std::vector<std::string> child_args(const char* name, uint64_t ops, bool quick)
{
    std::vector<std::string> a{name, "--ops", std::to_string(ops)};
    if (quick)
        a.push_back("--quick");
    return a;
}

// The model child's figures, into the document.
void add_model(nlohmann::json& doc, const nlohmann::json& m)
{
    const nlohmann::json &ns = m["ns"], &x = m["x_wait"];
    doc["systemc_wait_ns"] = ns["wait"];
    doc["ns_per_command_smmu_cmdq"] = ns["cmdq"];
    doc["ns_per_command_vcmdq"] = ns["vcmdq"];
    doc["ns_per_command_smmu_cmdq_caches_full"] = ns["cmdq_caches_full"];
    doc["translations_per_s_hit"] = 1e9 / ns["hit"].get<double>();
    doc["translations_per_s_miss"] = 1e9 / ns["miss"].get<double>();
    doc["walks_per_miss"] = m["walks_per_miss"];
    doc["walk_steps_per_walk"] = m["steps_per_walk"];
    const double steps = m["walks_per_miss"].get<double>() * m["steps_per_walk"].get<double>();
    auto per_step = [&](const nlohmann::json& v) {
        return steps > 0 ? (v["miss"].get<double>() - v["hit"].get<double>()) / steps : 0.0;
    };
    doc["ns_per_walk_step"] = per_step(ns);
    doc["idle_1s_host_ms"] = ns["idle_1s"].get<double>() / 1e6;
    nlohmann::json& r = doc["ratio_to_wait"];
    r["systemc_wait_ns"] = 1.0;
    r["ns_per_command_smmu_cmdq"] = x["cmdq"];
    r["ns_per_command_vcmdq"] = x["vcmdq"];
    r["ns_per_command_smmu_cmdq_caches_full"] = x["cmdq_caches_full"];
    r["translation_hit"] = x["hit"];
    r["translation_miss"] = x["miss"];
    r["ns_per_walk_step"] = per_step(x);
    r["idle_1s_host_ms"] = x["idle_1s"];
}

// The scaling sweep: one trace child per size; the trace figure from one.
void add_scaling(nlohmann::json& doc, const BenchOptions& o, double& peak)
{
    nlohmann::json list = nlohmann::json::array(), figure;
    for (uint64_t ops : scaling_sizes(o)) {
        nlohmann::json c = run_child_process(child_args("trace", ops, o.quick));
        const double host_s = c["host_s"];
        list.push_back({{"ops", ops}, {"host_s", host_s}, {"ns_per_op", host_s * 1e9 / double(ops)},
                        {"peak_rss_mb", c["peak_rss_mb"]}, {"wait_ns", c["wait_ns"]}});
        if (figure.is_null() || ops <= kTraceFigureOps)
            figure = list.back();
        peak = std::max(peak, c["peak_rss_mb"].get<double>());
    }
    doc["scaling"] = list;
    doc["ns_per_command_trace"] = figure["ns_per_op"];
    doc["ratio_to_wait"]["ns_per_command_trace"] = figure["ns_per_op"].get<double>() / figure["wait_ns"].get<double>();
}

// Map+unmap through the driver: one run of N pairs, timed around them,
// with the CPU cost model on (the default) and one with it off; what the
// trace-pc hook costs of it. Null without the kernel shim.
void add_driver(nlohmann::json& doc, const BenchOptions& o, double& peak)
{
    static const char* const kKeys[] = {"ns_per_map_unmap_driver", "ns_per_map_unmap_driver_cost_off",
                                        "cpu_cost_hook_ns", "cpu_cost_hook_ns_per_map_unmap"};
    if (!kernel_ops_provider()) {
        for (const char* k : kKeys)
            doc[k] = doc["ratio_to_wait"][k] = nullptr;
        doc["cpu_cost_blocks_per_map_unmap"] = nullptr;
        return;
    }
    const uint64_t n = o.quick ? 200 : 20000;
    const nlohmann::json on = run_child_process(child_args("driver", n, o.quick));
    const nlohmann::json off = run_child_process(child_args("driver_cost_off", n, o.quick));
    const double wait = on["wait_ns"].get<double>();
    const double blocks = on["blocks_per_pair"].get<double>(), hook = on["hook_ns"].get<double>();
    const double figures[] = {on["host_s"].get<double>() * 1e9 / double(n), off["host_s"].get<double>() * 1e9 / double(n),
                              hook, hook * blocks};
    const double waits[] = {wait, off["wait_ns"].get<double>(), wait, wait};
    for (size_t i = 0; i < std::size(kKeys); i++) {
        doc[kKeys[i]] = figures[i];
        doc["ratio_to_wait"][kKeys[i]] = figures[i] / waits[i];
    }
    doc["cpu_cost_blocks_per_map_unmap"] = blocks;
    doc["map_unmap_pairs"] = n;
    peak = std::max({peak, on["peak_rss_mb"].get<double>(), off["peak_rss_mb"].get<double>()});
}

void print_table(const nlohmann::json& doc)
{
    const nlohmann::json& r = doc["ratio_to_wait"];
    fmt::print("smmusim bench{}: host CPU time, each figure also in bare SystemC timed waits of its own process\n",
               doc["quick"].get<bool>() ? " (--quick: tiny sizes, figures are rough)" : "");
    fmt::print("{:<37} {:>14} {:>10}\n", "figure", "value", "x wait");
    auto row = [&](const char* key, const char* unit, const char* xkey) {
        if (doc[key].is_null())
            return fmt::print("{:<37} {:>14}\n", key, "(no kernel shim)");
        fmt::print("{:<37} {:>11.4g} {:<2} {:>10.2f}\n", key, doc[key].get<double>(), unit, r[xkey].get<double>());
    };
    row("systemc_wait_ns", "ns", "systemc_wait_ns");
    row("ns_per_command_smmu_cmdq", "ns", "ns_per_command_smmu_cmdq");
    row("ns_per_command_vcmdq", "ns", "ns_per_command_vcmdq");
    row("ns_per_command_smmu_cmdq_caches_full", "ns", "ns_per_command_smmu_cmdq_caches_full");
    row("ns_per_command_trace", "ns", "ns_per_command_trace");
    row("ns_per_map_unmap_driver", "ns", "ns_per_map_unmap_driver");
    row("ns_per_map_unmap_driver_cost_off", "ns", "ns_per_map_unmap_driver_cost_off");
    row("cpu_cost_hook_ns", "ns", "cpu_cost_hook_ns");
    row("cpu_cost_hook_ns_per_map_unmap", "ns", "cpu_cost_hook_ns_per_map_unmap");
    row("translations_per_s_hit", "/s", "translation_hit");
    row("translations_per_s_miss", "/s", "translation_miss");
    row("ns_per_walk_step", "ns", "ns_per_walk_step");
    row("idle_1s_host_ms", "ms", "idle_1s_host_ms");
    fmt::print("{:<37} {:>11.4g}\n{:<37} {:>11.4g}\n{:<37} {:>11.4g} MiB\n", "walks_per_miss",
               doc["walks_per_miss"].get<double>(), "walk_steps_per_walk", doc["walk_steps_per_walk"].get<double>(),
               "peak_rss_mb", doc["peak_rss_mb"].get<double>());
    fmt::print("\nscaling (commands through the trace path, one process each):\n{:>10} {:>10} {:>10} {:>8} {:>10}\n",
               "ops", "host_s", "ns_per_op", "x wait", "peak_rss_mb");
    for (const nlohmann::json& s : doc["scaling"])
        fmt::print("{:>10} {:>10.3f} {:>10.1f} {:>8.2f} {:>10.1f}\n", s["ops"].get<uint64_t>(), s["host_s"].get<double>(),
                   s["ns_per_op"].get<double>(), s["ns_per_op"].get<double>() / s["wait_ns"].get<double>(),
                   s["peak_rss_mb"].get<double>());
    fmt::print("\ntargets (issue #13):\n");
    for (const nlohmann::json& t : doc["targets"])
        fmt::print("  [{:<7}] {:<28} {:>10}  {}\n", t["met"].get<bool>() ? "met" : "not met",
                   t["name"].get<std::string>(), t["value"].is_null() ? "-" : fmt::format("{:.3g}", t["value"].get<double>()),
                   t["want"].get<std::string>());
}

}  // namespace

std::vector<uint64_t> scaling_sizes(const BenchOptions& o)
{
    const std::vector<uint64_t> all = o.quick ? std::vector<uint64_t>{1000, 10000}
                                              : std::vector<uint64_t>{10000, 100000, 1000000, 10000000};
    std::vector<uint64_t> sizes;
    for (uint64_t s : all)
        if (s <= o.max_ops)
            sizes.push_back(s);
    if (sizes.empty())
        sizes.push_back(o.max_ops);
    return sizes;
}

nlohmann::json collect(const BenchOptions& o)
{
    nlohmann::json doc;
    doc["quick"] = o.quick;
    const nlohmann::json model = run_child_process(o.quick ? std::vector<std::string>{"model", "--quick"}
                                                           : std::vector<std::string>{"model"});
    add_model(doc, model);
    double peak = model["peak_rss_mb"];
    add_scaling(doc, o, peak);
    add_driver(doc, o, peak);
    doc["peak_rss_mb"] = peak;
    doc["baseline_997360c"] = {{"ns_per_map_unmap_driver", kBaselineMapUnmapNs}, {"systemc_wait_ns", kBaselineWaitNs}};
    doc["targets"] = judge_targets(doc);
    return doc;
}

int run_bench(const BenchOptions& o)
{
    // Opened first: a path that cannot be written fails before minutes of
    // measuring (and is written, as every output is, by outputs.h's rule).
    std::unique_ptr<OutputWriter> f;
    if (!o.json.empty()) {
        try {
            f = std::make_unique<OutputWriter>("--json", o.json);
        } catch (const OutputError& e) {
            fmt::print(stderr, "smmusim_bench: {}\n", e.what());
            return 1;
        }
    }
    nlohmann::json doc;
    try {
        doc = collect(o);
    } catch (const std::exception& e) {
        fmt::print(stderr, "smmusim_bench: {}\n", e.what());
        return 1;
    }
    print_table(doc);
    if (o.json.empty())
        return 0;
    f->write(json_text(doc, 2) + "\n");
    if (!f->close()) {
        fmt::print(stderr, "smmusim_bench: {}\n", f->error());
        return 1;
    }
    return 0;
}

}  // namespace smmusim::bench
