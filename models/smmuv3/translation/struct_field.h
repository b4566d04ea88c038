// SPDX-License-Identifier: GPL-2.0-only
// A field of an in-memory structure made of 64-bit doublewords (an STE, a
// CD): the doubleword it lives in and its bits there. IHI 0070 chapter 5
// numbers a structure's bits from 0 across its doublewords: bit N is bit
// N % 64 of doubleword N / 64 (STE.S2T0SZ, bits [165:160], is doubleword 2,
// bits [37:32]). Registers and commands use bits.h's Field directly.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "../../platform/bits.h"

namespace smmusim::smmuv3 {

// An STE or a CD as the SMMU reads it: eight little-endian doublewords.
using Dwords8 = uint64_t[8];

struct DwordField {
    unsigned dword;
    Field bits;

    constexpr uint64_t get(const Dwords8& s) const { return bits.get(s[dword]); }
    constexpr void set(Dwords8& s, uint64_t v) const { s[dword] = bits.set(s[dword], v); }
    constexpr uint64_t mask() const { return bits.mask(); }
    // The same on the leading doublewords a writer builds (the VMM's vSTE
    // holds dwords 0-1); the field's doubleword must be among them.
    template <size_t N>
    constexpr uint64_t get(const std::array<uint64_t, N>& s) const { return bits.get(s.at(dword)); }
    template <size_t N>
    constexpr void set(std::array<uint64_t, N>& s, uint64_t v) const { s.at(dword) = bits.set(s.at(dword), v); }
};

}  // namespace smmusim::smmuv3
