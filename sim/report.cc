// SPDX-License-Identifier: GPL-2.0-only
#include "report.h"

#include <algorithm>
#include <sstream>
#include <vector>

#include <fmt/format.h>

#include "cmdqv/cmdqv.h"
#include "complain.h"
#include "smmuv3/cmdq.h"
#include "smmuv3/evtq.h"
#include "smmuv3/translation/translation_unit.h"

namespace smmusim {

namespace {

using nlohmann::json;

// A queue's entry: who it is, then every statistic its group registered
// (counters by value, histograms by their summary), so a counter a queue
// model adds appears here without a change to the report.
json queue_figures(const std::string& name, const StatGroup& st, const char* kind)
{
    json q = st.to_json();
    q["name"] = name;
    q["kind"] = kind;
    q["group"] = st.name();
    return q;
}

// Who used a VCMDQ: every (VINTF, LVCMDQ) it was mapped as, with whom the
// VINTF served when the run knows it (kernel-level traces); "owner" says
// the same for people. Never mapped: reached only through the global VCMDQ
// pages, which are the host's.
void add_owners(json& q, const Vcmdq& v, const RunInfo& info)
{
    json used_by = json::array();
    std::string owner;
    unsigned last_vintf = ~0u;
    for (const Vcmdq::Mapping& m : v.mappings()) {
        auto it = info.vintf_owners.find(m.vintf);
        const json user = it == info.vintf_owners.end() ? json(nullptr) : json(it->second);
        used_by.push_back({{"vintf", m.vintf}, {"lvcmdq", m.lidx}, {"user", user}});
        if (m.vintf == last_vintf)
            continue;
        last_vintf = m.vintf;
        owner += fmt::format("{}vintf{}{}", owner.empty() ? "" : ",", m.vintf,
                             user.is_string() ? "(" + user.get<std::string>() + ")" : "");
    }
    q["owner"] = owner.empty() ? "host" : owner;
    q["used_by"] = used_by;
    q["mapped_at_end"] = v.mapped() ? json{{"vintf", v.vintf()}, {"lvcmdq", v.lidx()}} : json(nullptr);
}

json queues(Soc& soc, const RunInfo& info)
{
    json qs = json::array();
    json cq = queue_figures("smmu.cmdq", soc.smmu().cmdq().stats(), "smmu-cmdq");
    cq["owner"] = "host";
    qs.push_back(cq);
    if (!soc.has_cmdqv())
        return qs;
    Cmdqv& c = soc.cmdqv();
    // Every VCMDQ that was mapped or did something; idle unmapped ones are left out.
    for (unsigned i = 0; i < c.num_vcmdqs(); i++) {
        Vcmdq& v = c.vcmdq(i);
        const StatGroup& st = v.stats();
        if (v.mappings().empty() && !st.value("consumed") && !st.value("errors"))
            continue;
        json q = queue_figures(st.name().substr(st.name().find("cmdqv.")), st, "vcmdq");
        add_owners(q, v, info);
        qs.push_back(q);
    }
    return qs;
}

// The translation unit's figures for people: transactions, how each ended,
// the latency, PCIe ATS (Translation Requests and Translated transactions,
// not in "count"); every statistic of its group is in "statistics" too.
json translations(smmuv3::TranslationUnit& xlat)
{
    const StatGroup& st = xlat.stats();
    return {{"count", st.value("transactions")},
            {"translated", st.value("translated")},
            {"bypassed", st.value("bypassed") + st.value("gbpa_bypassed")},
            {"aborted", st.value("ste_aborted") + st.value("gbpa_aborted")},
            {"faults", st.value("faults")},
            {"latency_cycles", st.find_histogram("latency")->summary_json()},
            {"ats", {{"requests", st.value("ats.requests")}, {"success", st.value("ats.success")},
                     {"translated_allowed", st.value("ats.translated_allowed")},
                     {"translated_refused", st.value("ats.translated_refused")}}}};
}

// One entry per translation cache: every statistic of its group.
json caches(smmuv3::TranslationUnit& xlat)
{
    json cs = json::array();
    const std::pair<const char*, const StatGroup*> all[] = {{"tlb", &xlat.tlb().stats().stats},
                                                            {"cfgcache", &xlat.config_cache().stats().stats},
                                                            {"walkcache", &xlat.walk_cache().stats().stats}};
    for (const auto& [name, st] : all) {
        json c = st->to_json();
        c["name"] = name;
        c["group"] = st->name();
        cs.push_back(c);
    }
    return cs;
}

// A queue's entry in the region of interest: who it is (from the whole
// run's entry) and its group's figures counted inside the region, in the
// same form as the whole run's (counters by value, histograms by summary).
json roi_queue(const json& whole, const json& roi_statistics)
{
    json q;
    for (const char* k : {"name", "kind", "group", "owner"})
        q[k] = whole[k];
    const std::string prefix = whole["group"].get<std::string>() + ".";
    for (const auto& [name, st] : roi_statistics.items()) {
        if (name.compare(0, prefix.size(), prefix) != 0)
            continue;
        const std::string stat = name.substr(prefix.size());
        if (st["kind"] == "counter") {
            q[stat] = st["value"];
            continue;
        }
        json h = st;
        for (const char* k : {"buckets", "kind", "unit", "description"})
            h.erase(k);
        q[stat] = h;
    }
    return q;
}

// The region's figures with its queues' entries, as the whole run's.
json roi_section(const json& roi, const json& whole_queues)
{
    json r = roi;
    r["queues"] = json::array();
    for (const json& q : whole_queues)
        r["queues"].push_back(roi_queue(q, roi["statistics"]));
    return r;
}

}  // namespace

nlohmann::json build_stats(Soc& soc, const RunInfo& info)
{
    const sc_core::sc_time now = sc_core::sc_time_stamp();
    Smmuv3& smmu = soc.smmu();
    const StatGroup& eq = smmu.evtq().stats();

    json j;
    j["schema"] = 2;
    j["simulator"] = {{"version", info.simulator_version}, {"commit", info.simulator_commit}};
    j["trace"] = info.trace;
    j["complete"] = info.complete;
    j["sim"] = {{"cycles", soc.smmu_clock().to_cycles(now)},
                // Whole nanoseconds elapsed, rounded down as `cycles` counts whole
                // cycles: at smmu.clock_mhz = 1000 the two are equal.
                {"time_ns", now.value() / sc_core::sc_time(1, sc_core::SC_NS).value()},
                {"ops", info.ops}};
    j["host"] = {{"seconds", info.host_seconds}};
    if (info.kernel_version.empty())
        j["kernel"] = {{"version", nullptr}, {"warnings", 0}};  // the kernel shim was not in this run
    else
        j["kernel"] = {{"version", info.kernel_version}, {"warnings", info.kernel_warnings}};
    j["queues"] = queues(soc, info);
    j["translations"] = translations(smmu.translation());
    j["caches"] = caches(smmu.translation());
    j["events"] = {{"evtq_records", eq.value("written")},
                   {"evtq_overflows", eq.value("overflows")},
                   {"gerrors", smmu.stats().value("gerrors")},
                   {"cmdqv_errors", soc.has_cmdqv() ? soc.cmdqv().stats().value("errors") : 0}};
    j["statistics"] = StatRegistry::global().to_json();
    if (!info.roi.is_null())
        j["roi"] = roi_section(info.roi, j["queues"]);
    j["config"] = soc.config().resolved();
    return j;
}

namespace {

// The queue table's columns (traces/FORMAT.md): the identity keys of a
// queue's entry and the figures every command queue has. Whatever else the
// queue's group registered goes into its last column, `other`.
bool queue_column(const std::string& key)
{
    for (const char* k : {"name", "kind", "group", "owner", "used_by", "mapped_at_end", "consumed", "errors",
                          "latency_cycles"})
        if (key == k)
            return true;
    return false;
}

bool is_zero(const json& figure)
{
    return figure.is_number() ? figure == 0 : figure["count"] == 0;
}

// A histogram in one cell; "~" marks percentiles read from the buckets.
std::string histogram_cell(const json& h)
{
    const char* est = h["percentiles"] == "exact" ? "" : "~";
    return fmt::format("n={} min={} p50={}{} p99={}{} max={}", h["count"].get<uint64_t>(), h["min"].get<uint64_t>(),
                       est, h["p50"].get<uint64_t>(), est, h["p99"].get<uint64_t>(), h["max"].get<uint64_t>());
}

std::string figure_cell(const json& figure)
{
    return figure.is_number() ? figure.dump() : histogram_cell(figure);
}

// The queue's registered figures that have no column of their own and are
// not zero, as "name=value".
std::string other_queue_figures(const json& q)
{
    std::string out;
    for (const auto& [k, v] : q.items())
        if (!queue_column(k) && !is_zero(v))
            out += fmt::format("{}{}={}", out.empty() ? "" : " ", k, figure_cell(v));
    return out;
}

void queue_table(std::ostringstream& os, const json& s)
{
    size_t ow = 5;
    for (const auto& q : s["queues"])
        ow = std::max(ow, q["owner"].get<std::string>().size());
    os << fmt::format("\n{:<18} {:<10} {:<{}} {:>10} {:>7} {:>8} {:>8} {:>8} {:>8} {:>10}  {}\n", "queue", "kind",
                      "owner", ow, "consumed", "errors", "lat.min", "lat.p50", "lat.p99", "lat.max", "lat.mean",
                      "other");
    for (const auto& q : s["queues"]) {
        const auto& l = q["latency_cycles"];
        // "~": estimated from the histogram's buckets (traces/FORMAT.md).
        auto pct = [&l](const char* k) {
            return (l["percentiles"] == "exact" ? "" : "~") + std::to_string(l[k].get<uint64_t>());
        };
        const std::string other = other_queue_figures(q);
        os << fmt::format("{:<18} {:<10} {:<{}} {:>10} {:>7} {:>8} {:>8} {:>8} {:>8} {:>10.1f}{}{}\n",
                          q["name"].get<std::string>(), q["kind"].get<std::string>(), q["owner"].get<std::string>(),
                          ow, q["consumed"].get<uint64_t>(), q["errors"].get<uint64_t>(), l["min"].get<uint64_t>(),
                          pct("p50"), pct("p99"), l["max"].get<uint64_t>(), l["mean"].get<double>(),
                          other.empty() ? "" : "  ", other);
    }
}

// Every registered statistic that counted and is not in the queue table.
void statistics_table(std::ostringstream& os, const json& s)
{
    std::vector<std::string> queue_groups;
    for (const auto& q : s["queues"])
        queue_groups.push_back(q["group"].get<std::string>() + ".");
    auto in_queue_table = [&](const std::string& name) {
        return std::any_of(queue_groups.begin(), queue_groups.end(),
                           [&](const std::string& g) { return name.compare(0, g.size(), g) == 0; });
    };
    struct Row {
        std::string name, value, unit;
    };
    std::vector<Row> rows;
    size_t nw = 9, vw = 12;
    for (const auto& [name, st] : s["statistics"].items()) {
        const json& figure = st["kind"] == "counter" ? st["value"] : st;
        if (is_zero(figure) || in_queue_table(name))
            continue;
        rows.push_back({name, figure_cell(figure), st["unit"].get<std::string>()});
        nw = std::max(nw, name.size());
        vw = std::max(vw, rows.back().value.size());
    }
    if (rows.empty())
        return;
    os << fmt::format("\n{:<{}} {:>{}}  {}\n", "statistic", nw, "value", vw, "unit");
    for (const Row& r : rows)
        os << fmt::format("{:<{}} {:>{}}  {}\n", r.name, nw, r.value, vw, r.unit);
}

}  // namespace

std::string summary_table(const nlohmann::json& s, const std::string& stats_path)
{
    std::ostringstream os;
    os << fmt::format("simulated  {:>14} cycles  {:>14} ns   ({} operations, {:.3f} s host)\n",
                      s["sim"]["cycles"].get<uint64_t>(), s["sim"]["time_ns"].get<uint64_t>(),
                      s["sim"]["ops"].get<uint64_t>(), s["host"]["seconds"].get<double>());
    queue_table(os, s);
    statistics_table(os, s);
    if (s.contains("roi")) {
        const json& r = s["roi"];
        os << fmt::format("\nregion of interest (roi begin .. roi end): cycles {} to {}, {} cycles, {} operations{}\n",
                          r["begin_cycle"].get<uint64_t>(), r["end_cycle"].get<uint64_t>(),
                          r["cycles"].get<uint64_t>(), r["ops"].get<uint64_t>(),
                          r["complete"].get<bool>() ? "" : " (the run stopped inside it)");
        queue_table(os, r);
    }
    if (s["kernel"]["version"].is_string())
        os << fmt::format("\nkernel: Linux {}, {} warnings in its log\n", s["kernel"]["version"].get<std::string>(),
                          s["kernel"]["warnings"].get<unsigned>());
    os << fmt::format("\nevents: {} event records, {} overflows, {} SMMU global errors, {} CMDQV errors\n",
                      s["events"]["evtq_records"].get<uint64_t>(), s["events"]["evtq_overflows"].get<uint64_t>(),
                      s["events"]["gerrors"].get<uint64_t>(), s["events"]["cmdqv_errors"].get<uint64_t>());
    // The table shows the figures that are not zero; the JSON holds them all
    // (a newcomer read "in --stats FILE.json" as a file already written).
    os << fmt::format("statistics: those not zero are above; all {}, each with its description, {}\n",
                      s["statistics"].size(),
                      stats_path.empty() ? std::string("are written by --stats FILE.json")
                                         : fmt::format("are written to {} (--stats)", shown_path(stats_path)));
    return os.str();
}

}  // namespace smmusim
