// SPDX-License-Identifier: GPL-2.0-only
// The global-error handshake of a GERROR/GERRORN register pair (Arm IHI
// 0070, 6.3.19 SMMU_GERROR and 6.3.20 SMMU_GERRORN), which the CMDQV's
// VCMDQ_GERROR/GERRORN follow too: an error is active while its bit in
// GERROR differs from the same bit in GERRORN. The hardware raises an error
// by toggling its GERROR bit (not again while it is active); software
// acknowledges it by writing GERRORN to match.
#pragma once

#include <cstdint>

#include "../platform/regbank.h"

namespace smmusim::smmuv3 {

// Any of the errors in `mask` is active in the pair at `gerror`/`gerrorn`.
inline bool gerror_active(const RegisterBank& bank, uint32_t gerror, uint32_t gerrorn, uint64_t mask)
{
    return ((bank.get(gerror) ^ bank.get(gerrorn)) & mask) != 0;
}

// Raises the error `bit` (a mask of one bit) unless it is active; false if
// it was.
inline bool raise_gerror(RegisterBank& bank, uint32_t gerror, uint32_t gerrorn, uint64_t bit)
{
    if (gerror_active(bank, gerror, gerrorn, bit))
        return false;
    bank.set(gerror, bank.get(gerror) ^ bit);
    return true;
}

}  // namespace smmusim::smmuv3
