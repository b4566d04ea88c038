// SPDX-License-Identifier: GPL-2.0-only
// Host-side measurement helpers of the benchmarks: the host time the
// process consumed, the median of repeated measurements and the process's
// peak resident set. Host time is only ever compared within one run
// (ratios); it never appears in a test.
#pragma once

#include <vector>

namespace smmusim::bench {

// The CPU time this process has consumed, in seconds (an arbitrary
// origin; CLOCK_PROCESS_CPUTIME_ID). CPU time, not wall-clock time: on a
// machine shared with other work, wall-clock time also counts the time the
// others had the CPU (measured here: a quick run's children were on the CPU
// for a fifth of their wall-clock time during a parallel build).
double host_seconds();

// The median (the mean of the middle two for an even count); 0 for none.
double median(std::vector<double> v);

// This process's peak resident set so far, in MiB (getrusage's ru_maxrss).
double peak_rss_mb();

}  // namespace smmusim::bench
