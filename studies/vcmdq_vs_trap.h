// SPDX-License-Identifier: GPL-2.0-only
// The study "VCMDQ vs trapped" (issue 14, docs/studies.md): a guest
// unmaps buffers of 4 KiB to 256 KiB and invalidates them either through
// its VCMDQ (TEGRA241_CMDQV vIOMMU: written directly through the mmapped
// VINTF page) or trapped (ARM_SMMUV3 vIOMMU: VM exit, the VMM, the real
// IOMMU_HWPT_INVALIDATE on the host SMMU CMDQ, VM entry). One run of the
// simulator (sim/run.h) plays the study's trace (vcmdq_vs_trap_trace.h);
// each row is the per-unmap latency of both paths, measured on the
// simulated clock from the first line of the guest's invalidation to the
// end of the `guest VM wait` that sees CONS reach PROD.
//
// Exit status: the run's (sim/run.h): 0 every unmap ran and its `expect
// executed` held; 1 the run failed or stopped; 2 a bad option, size,
// parameter or output path (nothing simulated); 3 an output could not be
// written. Messages go to stderr as "smmusim: ...". One study per process
// (one SystemC simulation).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace smmusim::studies {

struct StudyOptions {
    std::string config;             // the simulator's TOML configuration; "" none
    std::vector<std::string> sets;  // "key=value": study.* keys to the study (study_params.h), the rest to the run
    std::vector<uint64_t> sizes = {0x1000, 0x4000, 0x10000, 0x20000, 0x40000};
    std::string json;               // the rows as JSON; "" none
    std::string emit_trace;         // a directory to keep the study's trace in; "" a temporary file
    bool quiet = false;             // no table on stdout
    std::string simulator_version, simulator_commit;
};

struct StudyRow {
    uint64_t size = 0;
    unsigned threads = 1;
    unsigned commands = 0, submissions = 0;  // per unmap (CMD_SYNC not counted)
    std::vector<uint64_t> trapped_cycles, vcmdq_cycles;  // SMMU cycles, one per repetition
    std::optional<double> trapped_us, vcmdq_us;          // their mean in microseconds
};

struct StudyResult {
    int exit_status = 2;
    std::vector<StudyRow> rows;
    nlohmann::json doc;  // what --json writes (null when nothing was measured)
};

// The names `smmusim study` knows.
const std::vector<std::string>& study_names();

StudyResult run_vcmdq_vs_trap(const StudyOptions& o);

// The rows as a table for people: size, threads, commands, both latencies
// and the reduction in percent.
std::string study_table(const std::vector<StudyRow>& rows);

}  // namespace smmusim::studies
