// SPDX-License-Identifier: GPL-2.0-only
// The table and the JSON of the study "VCMDQ vs trapped" (study_report.h).
#include "study_report.h"

#include <fmt/format.h>

#include "complain.h"
#include "outputs.h"

namespace smmusim::studies {

namespace {

nlohmann::json optional_json(const std::optional<double>& v)
{
    return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

std::string size_text(uint64_t bytes)
{
    return bytes % 1024 ? fmt::format("{} B", bytes) : fmt::format("{} KiB", bytes / 1024);
}

std::string us_text(const std::optional<double>& v)
{
    return v ? fmt::format("{:.3f}", *v) : std::string("-");
}

// The trapped VM's VMM statistics of the whole run (vmm.trap.*, "trap" the
// study trace's name of the VM, vcmdq_vs_trap_trace.cc: traps, the
// cycles of its exits, entries, dispatch and ioctls), counters by value.
nlohmann::json vmm_statistics(const nlohmann::json& run_stats)
{
    nlohmann::json out = nlohmann::json::object();
    const nlohmann::json stats = run_stats.value("statistics", nlohmann::json::object());
    for (const auto& [name, s] : stats.items())
        if (name.rfind("vmm.trap.", 0) == 0 && s.value("kind", "") == "counter")
            out[name.substr(9)] = s.value("value", nlohmann::json());
    return out;
}

}  // namespace

nlohmann::json reduction_percent(const StudyRow& r)
{
    if (!r.trapped_us || !r.vcmdq_us || *r.trapped_us <= 0)
        return nullptr;
    return 100.0 * (*r.trapped_us - *r.vcmdq_us) / *r.trapped_us;
}

nlohmann::json study_json(const std::vector<StudyRow>& rows, const StudyMeta& m, const nlohmann::json& run_stats)
{
    nlohmann::json j;
    j["study"] = "vcmdq-vs-trap";
    j["schema"] = 1;
    j["simulator"] = {{"version", m.simulator_version}, {"commit", m.simulator_commit}};
    j["latency"] = "per unmap: from the first trace line of the guest's invalidation (its CPU work, then its "
                   "commands) to the end of the guest VM wait that saw CONS reach PROD; mean of the repetitions";
    j["guest"] = {{"ril", m.ril},
                  {"cmd_cycles", m.cmd_cycles},
                  {"submit_cycles", m.submit_cycles},
                  {"model", "studies/guest_driver.h (Linux 7.3's arm-smmu-v3 invalidation, not the real driver)"}};
    j["smmu_clock_mhz"] = m.smmu_mhz;
    j["repeats"] = m.repeats;
    j["rows"] = nlohmann::json::array();
    for (const StudyRow& r : rows)
        j["rows"].push_back({{"size", r.size},
                             {"threads", r.threads},
                             {"trapped_us", optional_json(r.trapped_us)},
                             {"vcmdq_us", optional_json(r.vcmdq_us)},
                             {"reduction_percent", reduction_percent(r)},
                             {"commands", r.commands},
                             {"submissions", r.submissions},
                             {"trapped_cycles", r.trapped_cycles},
                             {"vcmdq_cycles", r.vcmdq_cycles}});
    j["trapped_vmm"] = vmm_statistics(run_stats);
    j["sim"] = run_stats.value("sim", nlohmann::json());
    j["kernel"] = run_stats.value("kernel", nlohmann::json());
    j["config"] = run_stats.value("config", nlohmann::json::object());
    j["config"].update(m.study_config);
    return j;
}

std::string study_table(const std::vector<StudyRow>& rows)
{
    std::string s = fmt::format("{:>9} {:>7} {:>8} {:>11} {:>11} {:>10}\n", "size", "threads", "commands", "trapped_us",
                                "vcmdq_us", "reduction");
    for (const StudyRow& r : rows) {
        const nlohmann::json red = reduction_percent(r);
        s += fmt::format("{:>9} {:>7} {:>8} {:>11} {:>11} {:>10}\n", size_text(r.size), r.threads, r.commands,
                         us_text(r.trapped_us), us_text(r.vcmdq_us),
                         red.is_null() ? std::string("-") : fmt::format("{:.1f} %", red.get<double>()));
    }
    return s;
}

int write_json(const std::string& path, const nlohmann::json& doc)
{
    if (path.empty())
        return 0;
    try {
        OutputWriter out("--json", path);
        out.write(json_text(doc, 2));
        out.write("\n");
        if (out.close())
            return 0;
        complain(out.error());
    } catch (const OutputError& e) {
        complain(e.what());
    }
    return 3;
}

}  // namespace smmusim::studies
