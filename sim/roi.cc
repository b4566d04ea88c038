// SPDX-License-Identifier: GPL-2.0-only
// The region of interest's figures (roi.h).
#include "roi.h"

#include "platform/stats.h"

namespace smmusim {

void RegionOfInterest::begin(uint64_t cycle, uint64_t ops)
{
    StatRegistry::global().begin_region();
    open_ = true;
    begin_cycle_ = cycle;
    begin_ops_ = ops;
}

void RegionOfInterest::end(uint64_t cycle, uint64_t ops, bool complete)
{
    figures_ = {{"begin_cycle", begin_cycle_},
                {"end_cycle", cycle},
                {"cycles", cycle - begin_cycle_},
                {"ops", ops - begin_ops_},
                {"complete", complete},
                {"statistics", StatRegistry::global().end_region()}};
    open_ = false;
}

}  // namespace smmusim
