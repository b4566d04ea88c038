// SPDX-License-Identifier: GPL-2.0-only
// Bit-field helpers shared by every register and command definition.
#pragma once

#include <cstdint>

namespace smmusim {

// A contiguous field [hi:lo] of a 64-bit word, usable in constexpr tables.
struct Field {
    unsigned hi;
    unsigned lo;

    constexpr uint64_t mask() const
    {
        return (hi - lo == 63 ? ~0ull : ((1ull << (hi - lo + 1)) - 1)) << lo;
    }
    constexpr uint64_t get(uint64_t word) const { return (word & mask()) >> lo; }
    constexpr uint64_t put(uint64_t value) const { return (value << lo) & mask(); }
    constexpr uint64_t set(uint64_t word, uint64_t value) const
    {
        return (word & ~mask()) | put(value);
    }
    constexpr bool fits(uint64_t value) const { return (value << lo >> lo) == value && (put(value) >> lo) == value; }
};

constexpr Field bit(unsigned n) { return Field{n, n}; }

constexpr uint64_t genmask(unsigned hi, unsigned lo) { return Field{hi, lo}.mask(); }

}  // namespace smmusim
