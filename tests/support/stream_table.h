// SPDX-License-Identifier: GPL-2.0-only
// What a test reads back of the stream table the driver wrote: an STE found
// in simulated DRAM the way the SMMU finds it (the model's own
// smmuv3::ste_address(), from STRTAB_BASE and STRTAB_BASE_CFG: Arm IHI 0070,
// 3.3 "Data structures"), and the pieces to fetch and decode STEs and CDs
// there (the SMMU's SteContext; the TableReader over the DRAM backdoor is
// smmuv3::MemoryTableReader, memory_tables.h).
#pragma once

#include <cstdint>

#include "smmuv3/translation/ste.h"
#include "smmuv3/translation/memory_tables.h"
#include "support/testbench.h"

namespace smmusim::test {

// Doubleword `w` (0..7) of the STE for `sid`; 0 when the stream table has
// no STE for it (C_BAD_STREAMID: a two-level table whose L1 descriptor's
// Span is 0, or a StreamID beyond the table).
uint64_t ste_word(TestBench& b, uint32_t sid, unsigned w = 0);

// The SMMU's ID registers, CR0 and CR2 as STE/CD validity sees them.
smmuv3::SteContext smmu_context(TestBench& b);
// STRTAB_BASE and STRTAB_BASE_CFG as the driver programmed them.
uint64_t strtab_base(TestBench& b);
uint64_t strtab_base_cfg(TestBench& b);

}  // namespace smmusim::test
