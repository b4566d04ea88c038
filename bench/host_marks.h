// SPDX-License-Identifier: GPL-2.0-only
// The host CPU time (measure.h) at given absolute simulated times: a thread
// spawned before the run's sc_start that waits for each time in turn and
// notes the host time there. A trace that idles until each of those times
// (`@CYCLE` lines) brackets the operations between two of them, so that
// their host time is measured without the start-up before them or the
// statistics after them (idle time costs nothing). Not here: choosing the
// times (trace_gen.h).
#pragma once

#include <vector>

#include <systemc>

namespace smmusim::bench {

class HostMarks {
public:
    // `times` ascending; spawn during elaboration.
    explicit HostMarks(std::vector<sc_core::sc_time> times);
    // The host seconds at each time reached so far.
    const std::vector<double>& seconds() const { return seconds_; }

private:
    std::vector<double> seconds_;
};

}  // namespace smmusim::bench
