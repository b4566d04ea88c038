// SPDX-License-Identifier: GPL-2.0-only
// What a test reads back of the stream table the driver wrote: an STE found
// in simulated DRAM the way the SMMU finds it (the model's own
// smmuv3::ste_address(), from STRTAB_BASE and STRTAB_BASE_CFG: Arm IHI 0070,
// 3.3 "Data structures"), and the pieces to fetch and decode STEs and CDs
// there (a TableReader over the DRAM backdoor, the SMMU's SteContext).
#pragma once

#include <cstdint>

#include "smmuv3/translation/ste.h"
#include "smmuv3/translation/table_reader.h"
#include "support/testbench.h"

namespace smmusim::test {

// Doubleword `w` (0..7) of the STE for `sid`; 0 when the stream table has
// no STE for it (C_BAD_STREAMID: a two-level table whose L1 descriptor's
// Span is 0, or a StreamID beyond the table).
uint64_t ste_word(TestBench& b, uint32_t sid, unsigned w = 0);

// Reads simulated DRAM through its backdoor (zero time); false where there
// is no memory.
class MemoryTableReader : public smmuv3::TableReader {
public:
    explicit MemoryTableReader(const Memory& mem) : mem_(mem) {}
    bool read(uint64_t addr, void* dst, size_t len) override { return mem_.read(addr, dst, len); }

private:
    const Memory& mem_;
};

// The SMMU's ID registers, CR0 and CR2 as STE/CD validity sees them.
smmuv3::SteContext smmu_context(TestBench& b);
// STRTAB_BASE and STRTAB_BASE_CFG as the driver programmed them.
uint64_t strtab_base(TestBench& b);
uint64_t strtab_base_cfg(TestBench& b);

}  // namespace smmusim::test
