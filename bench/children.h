// SPDX-License-Identifier: GPL-2.0-only
// The measurements that need a simulation of their own, each run as a child
// process of the benchmark program (`smmusim_bench --child NAME ...`;
// SystemC cannot restart, and each size of the scaling sweep must have its
// own peak resident set). A child measures its figure and the yardstick
// (yardstick.h) in the same process and prints one JSON line on stdout:
//   model   the benchmarks' platform (rig.h) driven directly: commands on
//           the SMMU CMDQ and a guest VCMDQ, translations on TLB hits and
//           on misses with a walk each, 1 s of idle simulated time; the
//           median of repetitions, each with its own yardstick
//   trace   a generated trace of `ops` commands (trace_gen.h) through the
//           library-level run (sim/run.h), the program's own run
//   driver  a generated kernel-level trace of `ops` map+unmap pairs through
//           the library-level run with the kernel shim's operations, and
//           the CPU cost model's trace-pc hook alone (cpu_hook.h)
//   driver_cost_off  the same run with cpu.cost_model = false
//   count_cmdq, count_vcmdq, count_wait, count_hit, count_miss
//           `ops` untimed jobs of the model child's (child_count.cc), for
//           counting instructions under callgrind
// Their fields are listed in bench/README.md. Not here: spawning them and
// combining their answers (report.h).
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

namespace smmusim::bench {

struct ChildArgs {
    std::string name;  // model, trace, driver, driver_cost_off
    uint64_t ops = 0;  // trace: commands; driver: map+unmap pairs
    bool quick = false;
};

nlohmann::json measure_model(bool quick);
nlohmann::json measure_trace(uint64_t commands, bool quick);
nlohmann::json measure_driver(uint64_t pairs, bool quick, bool cost_model);
// `what`: cmdq, vcmdq, wait, hit or miss.
nlohmann::json count_jobs(const std::string& what, uint64_t jobs);

// Runs the child `a` names and prints its JSON line; the exit status (2 for
// an unknown name, 1 when the measurement failed, its reason on stderr).
int run_child(const ChildArgs& a);

}  // namespace smmusim::bench
