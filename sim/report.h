// SPDX-License-Identifier: GPL-2.0-only
// Run statistics: the JSON document `--stats` writes (its schema is in
// traces/FORMAT.md) and the human summary table built from the same figures.
// Both walk the statistics registry (models/platform/stats.h): every
// registered statistic is in the JSON, each queue's entry holds every
// statistic of its group, and the summary shows every one that counted (a
// queue's in its row, the rest in a table), so a statistic a model adds
// needs no change here. The event section is a view of named figures.
#pragma once

#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "soc.h"

namespace smmusim {

struct RunInfo {
    std::string trace;
    double host_seconds = 0;
    uint64_t ops = 0;
    bool complete = false;
    // Which simulator made the figures (filled in by the program; empty in tests).
    std::string simulator_version;
    std::string simulator_commit;
    // Set when kernel-level operations ran (the kernel shim was in the run).
    std::string kernel_version;
    unsigned kernel_warnings = 0;
    // Who each VINTF served, by index ("host" or VM names): KernelOps::vintf_owners().
    std::map<unsigned, std::string> vintf_owners;
    // The region of interest's figures (RegionOfInterest::figures()); null
    // when the trace has none, and then the document has no "roi".
    nlohmann::json roi;
};

nlohmann::json build_stats(Soc& soc, const RunInfo& info);
// `stats_path`: where --stats wrote the whole document ("" without it), for
// the line that says where every statistic is.
std::string summary_table(const nlohmann::json& stats, const std::string& stats_path = "");

}  // namespace smmusim
