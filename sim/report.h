// SPDX-License-Identifier: GPL-2.0-only
// Run statistics: the JSON document `--stats` writes (its schema is in
// traces/FORMAT.md) and the human summary table built from the same figures.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "soc.h"

namespace smmusim {

struct RunInfo {
    std::string trace;
    double host_seconds = 0;
    uint64_t ops = 0;
    bool complete = false;
    // Set when kernel-level operations ran (the kernel shim was in the run).
    std::string kernel_version;
    unsigned kernel_warnings = 0;
};

nlohmann::json build_stats(Soc& soc, const RunInfo& info);
std::string summary_table(const nlohmann::json& stats);

}  // namespace smmusim
