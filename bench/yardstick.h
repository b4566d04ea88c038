// SPDX-License-Identifier: GPL-2.0-only
// The yardstick every host-time figure is divided by: a bare SystemC timed
// wait, one thread waiting 1 ns (one cycle of the default 1 GHz SMMU clock)
// again and again, touching no model. Each process that measures a figure
// measures the yardstick too, so that figures from different processes are
// compared as ratios (host load changes between processes, much less within
// one).
//
// Two ways to take it: timed_waits() on a thread of a platform that is
// resumed job by job (rig.h), and YardstickThread in a process whose one
// simulation is a library-level run (sim/run.h), which the trace lets idle
// while the yardstick measures: at its start (its first line waits
// kYardstickIdleCycles) and at its end (it waits until a time far beyond
// its operations, then kYardstickIdleCycles more: trace_gen.h), so that a
// long run's figure is divided by the load at both ends of it.
#pragma once

#include <cstdint>
#include <vector>

#include <systemc>

namespace smmusim::bench {

// On a SystemC thread: `n` timed waits of 1 ns.
void timed_waits(uint64_t n);

// SMMU cycles a trace idles first so that a YardstickThread of up to this
// many waits runs alone (every model idle, the player waiting).
constexpr uint64_t kYardstickIdleCycles = 1000000;

// Spawned before the run's sc_start (during elaboration): at each of
// `starts` it makes `n` timed waits (n <= kYardstickIdleCycles) in kChunks
// chunks and times each on the host; the figure is the median chunk's (one
// descheduling or interrupt in a 10 ms loop moves a mean, not the median).
class YardstickThread {
public:
    static constexpr unsigned kChunks = 9;
    YardstickThread(uint64_t n, std::vector<sc_core::sc_time> starts);
    // Host ns per wait (the median chunk's), and the host seconds all the
    // loops took (to take out of the run's time); 0 until a loop ran.
    double ns_per_wait() const { return ns_per_wait_; }
    double seconds() const { return seconds_; }

private:
    std::vector<double> per_wait_;
    double ns_per_wait_ = 0, seconds_ = 0;
};

}  // namespace smmusim::bench
