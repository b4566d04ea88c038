// SPDX-License-Identifier: GPL-2.0-only
// What a test reads back of the stream table the driver wrote: an STE found
// in simulated DRAM the way the SMMU finds it, linear or two-level, from
// STRTAB_BASE and STRTAB_BASE_CFG (Arm IHI 0070, 3.3 "Data structures").
#pragma once

#include <cstdint>

#include "support/testbench.h"

namespace smmusim::test {

// Doubleword `w` (0..7) of the STE for `sid`; 0 when a two-level table has
// no level-2 table for it (its L1 descriptor's SPAN is 0).
uint64_t ste_word(TestBench& b, uint32_t sid, unsigned w = 0);

}  // namespace smmusim::test
