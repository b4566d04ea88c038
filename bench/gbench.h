// SPDX-License-Identifier: GPL-2.0-only
// `smmusim_bench --gbench [Google Benchmark flags]`: the Google Benchmark
// suite on the benchmarks' platform (rig.h), for looking at one figure
// closely (--benchmark_filter, --benchmark_repetitions, ...): a bare SystemC
// timed wait, commands on the SMMU CMDQ and a guest VCMDQ, idle cycles,
// translations (TLB hit, stage-1 walk, nested walk), with their ratios to
// the wait printed at the end. The table and JSON of `./smmusim bench` are
// report.h's, from child processes (children.h); this suite is the same
// platform in one process.
#pragma once

namespace smmusim::bench {

// Runs the suite (argv: the program name, then Google Benchmark's flags);
// the exit status.
int run_gbench(int argc, char** argv);

}  // namespace smmusim::bench
