// SPDX-License-Identifier: GPL-2.0-only
#include "report.h"

#include <sstream>

#include <fmt/format.h>

#include "cmdqv/cmdqv.h"
#include "smmuv3/cmdq.h"
#include "smmuv3/evtq.h"

namespace smmusim {

namespace {

nlohmann::json latency(const Histogram* h)
{
    if (!h || !h->count())
        return {{"min", 0}, {"p50", 0}, {"p99", 0}, {"max", 0}, {"mean", 0.0}};
    return {{"min", h->min()}, {"p50", h->percentile(50)}, {"p99", h->percentile(99)}, {"max", h->max()},
            {"mean", h->mean()}};
}

}  // namespace

nlohmann::json build_stats(Soc& soc, const RunInfo& info)
{
    using nlohmann::json;
    const sc_core::sc_time now = sc_core::sc_time_stamp();
    Smmuv3& smmu = soc.smmu();
    StatGroup& cq = smmu.cmdq().stats();
    StatGroup& eq = smmu.evtq().stats();

    json queues = json::array();
    queues.push_back({{"name", "smmu.cmdq"},
                      {"kind", "smmu-cmdq"},
                      {"owner", "host"},
                      {"consumed", cq.value("consumed")},
                      {"errors", cq.value("errors")},
                      {"batches", cq.value("batches")},
                      {"stall_cycles", cq.value("stall_cycles")},
                      {"latency_cycles", latency(cq.find_histogram("latency_cycles"))}});

    uint64_t cmdqv_errors = 0;
    if (soc.has_cmdqv()) {
        Cmdqv& c = soc.cmdqv();
        cmdqv_errors = c.stats().value("errors");
        // Every VCMDQ that did something or is mapped; idle unmapped ones are left out.
        for (unsigned q = 0; q < c.num_vcmdqs(); q++) {
            Vcmdq& v = c.vcmdq(q);
            StatGroup& st = v.stats();
            if (!v.mapped() && !st.value("consumed") && !st.value("errors"))
                continue;
            queues.push_back({{"name", st.name().substr(st.name().find("cmdqv."))},
                              {"kind", "vcmdq"},
                              {"owner", v.mapped() ? json(v.vintf()) : json("unmapped")},
                              {"lvcmdq", v.mapped() ? json(v.lidx()) : json(nullptr)},
                              {"consumed", st.value("consumed")},
                              {"errors", st.value("errors")},
                              {"batches", st.value("batches")},
                              {"stall_cycles", st.value("stall_cycles")},
                              {"latency_cycles", latency(st.find_histogram("latency_cycles"))}});
        }
    }

    json j;
    j["schema"] = 1;
    j["trace"] = info.trace;
    j["complete"] = info.complete;
    j["sim"] = {{"cycles", soc.smmu_clock().to_cycles(now)},
                {"time_ns", static_cast<uint64_t>(now.to_seconds() * 1e9 + 0.5)},
                {"ops", info.ops}};
    j["host"] = {{"seconds", info.host_seconds}};
    if (info.kernel_version.empty())
        j["kernel"] = {{"version", nullptr}, {"warnings", 0}};  // the kernel shim was not in this run
    else
        j["kernel"] = {{"version", info.kernel_version}, {"warnings", info.kernel_warnings}};
    j["queues"] = queues;
    // The translation path is not implemented yet: zeros, not estimates.
    j["translations"] = {{"count", 0}, {"faults", 0}, {"latency_cycles", latency(nullptr)}};
    j["caches"] = json::array();
    j["events"] = {{"evtq_records", eq.value("written")},
                   {"evtq_overflows", eq.value("overflows")},
                   {"gerrors", smmu.stats().value("gerrors")},
                   {"cmdqv_errors", cmdqv_errors}};
    j["engine"] = smmu.engine().stats().to_json();
    j["memory"] = soc.memory().stats().to_json();
    j["config"] = soc.config().resolved();
    return j;
}

std::string summary_table(const nlohmann::json& s)
{
    std::ostringstream os;
    os << fmt::format("simulated  {:>14} cycles  {:>14} ns   ({} operations, {:.3f} s host)\n",
                      s["sim"]["cycles"].get<uint64_t>(), s["sim"]["time_ns"].get<uint64_t>(),
                      s["sim"]["ops"].get<uint64_t>(), s["host"]["seconds"].get<double>());
    os << fmt::format("\n{:<18} {:<10} {:<7} {:>10} {:>7} {:>8} {:>8} {:>8} {:>8} {:>10}\n", "queue", "kind", "owner",
                      "consumed", "errors", "lat.min", "lat.p50", "lat.p99", "lat.max", "lat.mean");
    for (const auto& q : s["queues"]) {
        const auto& l = q["latency_cycles"];
        const std::string owner =
            q["owner"].is_string() ? q["owner"].get<std::string>() : "vintf" + std::to_string(q["owner"].get<unsigned>());
        os << fmt::format("{:<18} {:<10} {:<7} {:>10} {:>7} {:>8} {:>8} {:>8} {:>8} {:>10.1f}\n",
                          q["name"].get<std::string>(), q["kind"].get<std::string>(), owner,
                          q["consumed"].get<uint64_t>(), q["errors"].get<uint64_t>(), l["min"].get<uint64_t>(),
                          l["p50"].get<uint64_t>(), l["p99"].get<uint64_t>(), l["max"].get<uint64_t>(),
                          l["mean"].get<double>());
    }
    if (s["kernel"]["version"].is_string())
        os << fmt::format("\nkernel: Linux {}, {} warnings in its log\n", s["kernel"]["version"].get<std::string>(),
                          s["kernel"]["warnings"].get<unsigned>());
    os << fmt::format("\nevents: {} event records, {} overflows, {} SMMU global errors, {} CMDQV errors\n",
                      s["events"]["evtq_records"].get<uint64_t>(), s["events"]["evtq_overflows"].get<uint64_t>(),
                      s["events"]["gerrors"].get<uint64_t>(), s["events"]["cmdqv_errors"].get<uint64_t>());
    return os.str();
}

}  // namespace smmusim
