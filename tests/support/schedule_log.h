// SPDX-License-Identifier: GPL-2.0-only
// What software and the platform can observe of the command pipelines, cycle
// by cycle: every change of a watched register bank (CONS, GERROR, CR0ACK,
// VCMDQ STATUS, ...) and every command the shared engine executed, with the
// SMMU cycles it started and ended, as one line each in simulated-time order.
// The pipeline tests compare a run's log with the one the per-command model
// (one thread wake per command per stage) gave, line for line, so that a
// host-speed change of the consumer can be seen to move nothing.
// Not here: the scenarios (tests/smmuv3/cmdq_schedule_test.cc,
// tests/cmdqv/vcmdq_schedule_test.cc).
#pragma once

#include <string>
#include <vector>

#include <fmt/format.h>

#include "smmuv3/smmuv3.h"
#include "support/testbench.h"

namespace smmusim::test {

class ScheduleLog {
public:
    // Watches the SMMU's registers and its engine from now on.
    explicit ScheduleLog(TestBench& b) : b_(b)
    {
        watch(b.smmu().bank(), "smmu");
        b.smmu().engine().add_span_observer(
            [this](unsigned src, const smmuv3::Command& c, const sc_core::sc_time& start, const sc_core::sc_time& end) {
                const ClockDomain& clk = b_.smmu().clock();
                lines_.push_back(fmt::format("{}..{} {} op {:#04x}", clk.to_cycles(start), clk.to_cycles(end),
                                             b_.smmu().engine().source_name(src), c.op));
            });
    }
    // Every change of `bank`'s registers, as "cycle name+offset=value".
    void watch(RegisterBank& bank, const std::string& name)
    {
        bank.add_change_observer([this, name](uint32_t off, uint64_t v) {
            lines_.push_back(fmt::format("{} {}+{:#x}={:#x}", b_.now(), name, off, v));
        });
    }
    const std::vector<std::string>& lines() const { return lines_; }

private:
    TestBench& b_;
    std::vector<std::string> lines_;
};

// Prints a log as a C++ initializer (to capture a new expectation).
inline std::string as_initializer(const std::vector<std::string>& lines)
{
    std::string s = "{\n";
    for (const std::string& l : lines)
        s += "    \"" + l + "\",\n";
    return s + "}";
}

}  // namespace smmusim::test
