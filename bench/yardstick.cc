// SPDX-License-Identifier: GPL-2.0-only
#define SC_INCLUDE_DYNAMIC_PROCESSES  // sc_spawn
#include "yardstick.h"

#include <algorithm>
#include <stdexcept>
#include <vector>

#include <systemc>

#include "measure.h"

namespace smmusim::bench {

void timed_waits(uint64_t n)
{
    const sc_core::sc_time ns(1, sc_core::SC_NS);
    for (uint64_t i = 0; i < n; i++)
        sc_core::wait(ns);
}

YardstickThread::YardstickThread(uint64_t n, std::vector<sc_core::sc_time> starts)
{
    if (n == 0 || n > kYardstickIdleCycles)
        throw std::invalid_argument("yardstick: 1 to kYardstickIdleCycles waits");
    sc_core::sc_spawn(
        [this, n, starts] {
            const uint64_t chunk = std::max<uint64_t>(n / kChunks, 1);
            for (const sc_core::sc_time& at : starts) {
                if (at > sc_core::sc_time_stamp())
                    sc_core::wait(at - sc_core::sc_time_stamp());
                const double start = host_seconds();
                for (uint64_t done = 0; done < n; done += chunk) {
                    const uint64_t k = std::min(chunk, n - done);
                    const double t0 = host_seconds();
                    timed_waits(k);
                    per_wait_.push_back((host_seconds() - t0) * 1e9 / double(k));
                }
                seconds_ += host_seconds() - start;
                ns_per_wait_ = median(per_wait_);
            }
        },
        "bench_yardstick");
}

}  // namespace smmusim::bench
