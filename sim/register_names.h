// SPDX-License-Identifier: GPL-2.0-only
// The name of the register at a bus address, from the models' own register
// names, for messages: "smmu.CR0ACK", "cmdqv.VINTF1_STATUS" (as a trace
// names them), "cmdqv.VCMDQ2_STATUS" and "cmdqv.VINTF1_LVCMDQ0_CONS" for a
// VCMDQ's registers through its global or its VINTF's pages. A word inside
// a 64-bit register gets "+4".
#pragma once

#include <cstdint>
#include <string>

namespace smmusim {

class Soc;

// "" when no register of the SMMU or the CMDQV is at `addr`.
std::string register_name(Soc& soc, uint64_t addr);

}  // namespace smmusim
