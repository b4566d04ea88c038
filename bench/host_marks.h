// SPDX-License-Identifier: GPL-2.0-only
// The host CPU time (measure.h) at given absolute simulated times: a thread
// spawned before the run's sc_start that waits for each time in turn and
// notes the host time there (and, if asked, a value of the simulation's,
// e.g. a statistic, sampled there). A trace that idles until each of those times
// (`@CYCLE` lines) brackets the operations between two of them, so that
// their host time is measured without the start-up before them or the
// statistics after them (idle time costs nothing). Not here: choosing the
// times (trace_gen.h).
#pragma once

#include <functional>
#include <vector>

#include <systemc>

namespace smmusim::bench {

class HostMarks {
public:
    // `times` ascending; spawn during elaboration. `sample`, if given, is
    // called at each time too (in zero simulated time; it must not wait).
    explicit HostMarks(std::vector<sc_core::sc_time> times, std::function<double()> sample = nullptr);
    // The host seconds at each time reached so far.
    const std::vector<double>& seconds() const { return seconds_; }
    // What `sample` returned at each time reached so far.
    const std::vector<double>& samples() const { return samples_; }

private:
    std::vector<double> seconds_, samples_;
};

}  // namespace smmusim::bench
