// SPDX-License-Identifier: GPL-2.0-only
#define SC_INCLUDE_DYNAMIC_PROCESSES  // sc_spawn
#include "yardstick.h"

#include <stdexcept>

#include <systemc>

#include "measure.h"

namespace smmusim::bench {

void timed_waits(uint64_t n)
{
    const sc_core::sc_time ns(1, sc_core::SC_NS);
    for (uint64_t i = 0; i < n; i++)
        sc_core::wait(ns);
}

YardstickThread::YardstickThread(uint64_t n)
{
    if (n == 0 || n > kYardstickIdleCycles)
        throw std::invalid_argument("yardstick: 1 to kYardstickIdleCycles waits");
    sc_core::sc_spawn(
        [this, n] {
            const double t0 = host_seconds();
            timed_waits(n);
            seconds_ = host_seconds() - t0;
            ns_per_wait_ = seconds_ * 1e9 / double(n);
        },
        "bench_yardstick");
}

}  // namespace smmusim::bench
