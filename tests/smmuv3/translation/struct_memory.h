// SPDX-License-Identifier: GPL-2.0-only
// A sparse doubleword memory for the STE/CD tests, without SystemC: a
// TableReader where what was not written reads as zero (as fresh DRAM in
// the model does), reads that touch an abort_range() fail (an external
// abort), and every read's address is logged in `reads`. Not timed; no
// stage-2 translation. (The walk tests' TableMemory is the same reader with
// a table allocator; this one writes whole STEs and CDs.)
#pragma once

#include <cstdint>
#include <cstring>
#include <map>
#include <utility>
#include <vector>

#include "smmuv3/translation/struct_field.h"
#include "smmuv3/translation/table_reader.h"

namespace smmusim::test {

class StructMemory : public smmuv3::TableReader {
public:
    void write64(uint64_t pa, uint64_t v) { words_[pa] = v; }
    // An STE or a CD: eight doublewords from `pa`.
    void put(uint64_t pa, const smmuv3::Dwords8& s)
    {
        for (unsigned i = 0; i < 8; i++)
            write64(pa + 8 * i, s[i]);
    }
    void abort_range(uint64_t lo, uint64_t len) { aborts.emplace_back(lo, lo + len); }

    bool read(uint64_t addr, void* dst, size_t len) override
    {
        reads.push_back(addr);
        for (const auto& [lo, hi] : aborts)
            if (addr < hi && addr + len > lo)
                return false;
        for (size_t off = 0; off < len; off += 8) {
            const auto it = words_.find((addr + off) & ~7ull);
            const uint64_t v = it == words_.end() ? 0 : it->second;
            std::memcpy(static_cast<uint8_t*>(dst) + off, &v, len - off < 8 ? len - off : 8);
        }
        return true;
    }

    std::vector<uint64_t> reads;                        // every read's address, in order
    std::vector<std::pair<uint64_t, uint64_t>> aborts;  // [lo, hi) ranges that abort

private:
    std::map<uint64_t, uint64_t> words_;  // naturally aligned doublewords
};

}  // namespace smmusim::test
