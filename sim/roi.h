// SPDX-License-Identifier: GPL-2.0-only
// A run's region of interest: the part of a trace between its `roi begin`
// and `roi end` lines (traces/FORMAT.md), so that a study's latency
// statistics leave out what came before (boot, set-up) and after. Its
// statistics are the registry's (StatRegistry::begin_region/end_region):
// the region's own figures are kept here, and the whole run's figures stay
// where they always are, the same as without the region.
//
// It knows nothing of traces or the platform: the player says when the
// region begins and ends (at the operations' places in simulated time) and
// the report writes what it holds.
#pragma once

#include <cstdint>

#include <nlohmann/json.hpp>

namespace smmusim {

class RegionOfInterest {
public:
    // At `roi begin`: the SMMU cycle and the operations played so far.
    void begin(uint64_t cycle, uint64_t ops);
    // At `roi end`; or, with complete = false, when the run stopped inside
    // the region (its figures so far, marked incomplete).
    void end(uint64_t cycle, uint64_t ops, bool complete = true);
    bool open() const { return open_; }
    // {"begin_cycle", "end_cycle", "cycles", "ops", "complete",
    // "statistics"}; null when the run had no region.
    const nlohmann::json& figures() const { return figures_; }

private:
    bool open_ = false;
    uint64_t begin_cycle_ = 0, begin_ops_ = 0;
    nlohmann::json figures_;
};

}  // namespace smmusim
