// SPDX-License-Identifier: GPL-2.0-only
// What the study "VCMDQ vs trapped" reports: the table for people and the
// JSON document (`--json FILE`, the study's golden, `smmusim plot`'s
// input): `rows` of {size, threads, trapped_us, vcmdq_us} and the figures
// behind them. It measures nothing (vcmdq_vs_trap.h does).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "vcmdq_vs_trap.h"

namespace smmusim::studies {

// What the rows were measured with.
struct StudyMeta {
    uint64_t smmu_mhz = 0;
    bool ril = true;
    uint64_t repeats = 0;
    double cmd_cycles = 0, submit_cycles = 0;  // the guest CPU's work, SMMU cycles (cpu.* prices)
    nlohmann::json study_config;  // study.* resolved (Config::resolved)
    std::string simulator_version, simulator_commit;
};

// The reduction of the VCMDQ's latency against the trapped one, percent;
// null unless both were measured.
nlohmann::json reduction_percent(const StudyRow& r);

// `run_stats`: the run's statistics (its `sim` and `config` are kept).
nlohmann::json study_json(const std::vector<StudyRow>& rows, const StudyMeta& meta, const nlohmann::json& run_stats);

std::string study_table(const std::vector<StudyRow>& rows);

// Writes `doc` to `path` ("" nothing): 0, or 3 after naming what failed.
int write_json(const std::string& path, const nlohmann::json& doc);

}  // namespace smmusim::studies
