// SPDX-License-Identifier: GPL-2.0-only
// A clock domain: converts between cycles and simulated time. Models never
// look at host time; everything they do is a whole number of their cycles.
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include <systemc>

#include "kernel_time.h"  // time_stamp(), max_time()
#include "params.h"       // ConfigError

namespace smmusim {

class ClockDomain {
public:
    ClockDomain(std::string name, uint64_t freq_mhz)
        : name_(std::move(name)), freq_mhz_(freq_mhz), period_ps_(period_of(name_, freq_mhz))
    {
    }

    const std::string& name() const { return name_; }
    uint64_t period_ps() const { return period_ps_; }
    // The period is rounded to a whole picosecond (1 GHz -> 1000 ps exactly).
    uint64_t freq_mhz() const { return freq_mhz_; }

    // n cycles as a time: exactly n × ticks_per_cycle() ticks. SystemC counts
    // time in 64-bit ticks: a count past max_cycles() saturates to
    // sc_max_time() instead of wrapping. Integer arithmetic only (no sc_time
    // built from a double); the short spans the pipelines wait most (under
    // kSmallCycles) come from a table, inline (sc_time::from_value is a
    // library call), the rest from cycles_far().
    sc_core::sc_time cycles(uint64_t n) const
    {
        if (n < kSmallCycles && ticks_per_cycle_ != 0)
            return small_[n];
        return cycles_far(n);
    }
    // The most cycles a sc_time holds (2^64 - 1 ticks).
    uint64_t max_cycles() const { return UINT64_MAX / ticks_per_cycle(); }
    // Cycles left before simulated time reaches its end (sc_max_time()).
    uint64_t cycles_left() const { return max_cycles() - now(); }

    // Whole cycles elapsed at time t (t is always on an edge for our models).
    uint64_t to_cycles(const sc_core::sc_time& t) const { return t.value() / ticks_per_cycle(); }
    uint64_t now() const { return to_cycles(time_stamp()); }

    // Time until the next edge of this clock at or after `t`.
    sc_core::sc_time align(const sc_core::sc_time& t) const
    {
        const uint64_t ticks = ticks_per_cycle();
        uint64_t v = t.value();
        uint64_t up = (v + ticks - 1) / ticks * ticks;
        return sc_core::sc_time::from_value(up);
    }

    // SystemC ticks per cycle: the period in picoseconds times the ticks of
    // a picosecond (sc_time values count resolution ticks; we require 1 ps
    // resolution or finer).
    uint64_t ticks_per_cycle() const { return ticks_per_cycle_ != 0 ? ticks_per_cycle_ : resolve(); }

private:
    // 1 MHz .. 1 THz: a period of at least one whole picosecond.
    static uint64_t period_of(const std::string& name, uint64_t freq_mhz)
    {
        if (freq_mhz == 0 || freq_mhz > 1000000)
            throw ConfigError("clock domain '" + name + "': " + std::to_string(freq_mhz) +
                              " MHz is out of range [1, 1000000]");
        return (1000000 + freq_mhz / 2) / freq_mhz;
    }

    // Fixes ticks_per_cycle_ and fills the table on first use, not at
    // construction: SystemC fixes its time resolution when the first
    // non-zero sc_time is built, which a platform's construction must not
    // do before its configuration could set it.
    [[gnu::noinline, gnu::cold]] uint64_t resolve() const
    {
        const uint64_t ticks_per_ps = static_cast<uint64_t>(sc_core::sc_time(1, sc_core::SC_PS).value());
        const uint64_t ticks = period_ps_ * ticks_per_ps;
        for (uint64_t i = 0; i < kSmallCycles; i++)
            small_[i] = sc_core::sc_time::from_value(i * ticks);
        ticks_per_cycle_ = ticks;
        return ticks;
    }
    [[gnu::noinline]] sc_core::sc_time cycles_far(uint64_t n) const
    {
        uint64_t ticks;
        if (__builtin_mul_overflow(n, ticks_per_cycle(), &ticks))
            return sc_core::sc_max_time();
        return sc_core::sc_time::from_value(ticks);
    }

    std::string name_;
    uint64_t freq_mhz_;
    uint64_t period_ps_;
    static constexpr uint64_t kSmallCycles = 64;
    mutable uint64_t ticks_per_cycle_ = 0;                       // 0 until resolve()
    mutable std::array<sc_core::sc_time, kSmallCycles> small_{};  // i cycles, filled by resolve()
};

}  // namespace smmusim
