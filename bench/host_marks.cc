// SPDX-License-Identifier: GPL-2.0-only
#define SC_INCLUDE_DYNAMIC_PROCESSES  // sc_spawn
#include "host_marks.h"

#include "measure.h"

namespace smmusim::bench {

HostMarks::HostMarks(std::vector<sc_core::sc_time> times, std::function<double()> sample)
{
    sc_core::sc_spawn(
        [this, times, sample] {
            for (const sc_core::sc_time& t : times) {
                if (t > sc_core::sc_time_stamp())
                    sc_core::wait(t - sc_core::sc_time_stamp());
                seconds_.push_back(host_seconds());
                if (sample)
                    samples_.push_back(sample());
            }
        },
        "bench_host_marks");
}

}  // namespace smmusim::bench
