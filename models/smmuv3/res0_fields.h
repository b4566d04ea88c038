// SPDX-License-Identifier: GPL-2.0-only
// Register fields that the architecture makes RES0 when the ID registers say
// the feature behind them is absent (Arm IHI 0070, chapter 6 "Memory map and
// registers": each field's "RES0 if SMMU_IDRn.X == 0"). One table row per
// field: the model reads such a field as zero and ignores writes to it.
// tests/smmuv3/res0_fields_test.cc has a test row per table row.
#pragma once

#include <cstdint>
#include <vector>

#include "smmuv3_params.h"

namespace smmusim::smmuv3 {

struct Res0Field {
    const char* name;     // REGISTER.FIELD
    uint32_t offset;      // the register
    uint64_t mask;        // the field's bits
    const char* section;  // where the rule comes from
    bool (*absent)(const Smmuv3Params& p);  // the feature is not implemented
};

const std::vector<Res0Field>& res0_fields();
// The bits of the register at `offset` that are RES0 in this configuration.
uint64_t res0_bits(uint32_t offset, const Smmuv3Params& p);

}  // namespace smmusim::smmuv3
