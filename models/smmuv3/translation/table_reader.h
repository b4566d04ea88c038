// SPDX-License-Identifier: GPL-2.0-only
// Where the translation path reads its tables: STEs, CDs, L1 descriptors
// and translation table descriptors. The timed translation unit reads
// through the SMMU's `dma` port (simulated time, memory latency, counted);
// tests read a Memory backdoor or a map; a nested walk reads stage-1 tables
// through a reader that translates each IPA by stage 2 first (walk.h).
#pragma once

#include <cstddef>
#include <cstdint>

namespace smmusim::smmuv3 {

class TableReader {
public:
    virtual ~TableReader() = default;
    // One read of `len` bytes at `addr` (naturally aligned: 8 for a
    // descriptor, 64 for an STE or a CD). False: an external abort (the
    // address is not memory, or a nested stage-2 translation of it failed —
    // then fault() says which).
    virtual bool read(uint64_t addr, void* dst, size_t len) = 0;
};

}  // namespace smmusim::smmuv3
