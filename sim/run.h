// SPDX-License-Identifier: GPL-2.0-only
// One run of the simulator, as a library call: the configuration declared,
// loaded and checked, the outputs checked, the platform built, the trace
// checked, the kernel-level operations from the program's provider
// (kernel_ops_provider.h), the trace played, the statistics built and the
// outputs written. The smmusim program only parses options into a
// RunOptions; the golden tests call the same run.
//
// Exit status (traces/FORMAT.md): 0 the run completed and every expectation
// held; 1 an expectation in the trace failed (or a wait timed out), or the
// run stopped before the end of the trace (a line found malformed during the
// run, an error inside a model, simulated time at its end: statistics marked
// incomplete); 2 bad usage, configuration, output path or trace (nothing was
// simulated); 3 the run happened but an output (--stats, --timeline, --vcd)
// could not be written whole (its option and path are named; the trace's
// failures are still printed). 3 wins over 1: a lost output is the failure a
// script must not miss. Every message goes to stderr as "smmusim: ...".
//
// SystemC cannot restart a simulation: one run per process.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace smmusim {

class Config;

// One operation of the trace as it ran: its line, its name (as on the
// timeline's CPU track) and when it started and ended, in picoseconds of
// simulated time (a `when` prefix's wait is before `start_ps`).
struct OpSpan {
    unsigned line = 0;
    std::string name;
    uint64_t start_ps = 0, end_ps = 0;
};

struct RunOptions {
    std::string trace;                  // the trace to play (traces/FORMAT.md)
    std::string config;                 // a TOML configuration file; "" none
    std::vector<std::string> sets;      // "key=value" overrides, each key once
    std::string sets_origin = "--set";  // where the configuration says they came from
    std::string stats;                  // statistics JSON path; "" none
    std::string timeline;               // Perfetto timeline path; "" none
    std::string vcd;                    // value-change dump path; "" none
    bool dmesg = false;                 // print the kernel log after the run
    bool quiet = false;                 // no summary table on stdout
    bool progress = false;              // a progress line on stderr for runs longer than a second
    // Called after each operation that took part in the run (not `expect`
    // lines), in order; none by default. A study measures its operations so.
    std::function<void(const OpSpan&)> on_op;
    // Which simulator makes the figures (named in the statistics).
    std::string simulator_version, simulator_commit;
};

struct RunResult {
    int exit_status = 2;
    // The trace has kernel-level operations (known once it was checked).
    bool uses_kernel = false;
    // The trace ran to its end, and what its expectations found.
    bool complete = false;
    std::vector<std::string> failures;
    // The statistics document (null when nothing was simulated).
    nlohmann::json stats;
    // Every failure the kernel recorded in the run, with its log ("" none).
    std::string kernel_failures;
};

// Every parameter a run knows: the models' and the kernel-level operations
// provider's (when the program has one).
void declare_run_params(Config& cfg);

// Loads the configuration file `path` (--config) into `cfg`. It must be a
// regular file: the TOML reader sees a pipe as a file it cannot open and a
// device such as /dev/zero as empty, so a configuration given through
// either would be refused obscurely or ignored. Throws ConfigError.
void load_config_file(Config& cfg, const std::string& path);

RunResult run(const RunOptions& options);

}  // namespace smmusim
