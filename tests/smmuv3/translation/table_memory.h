// SPDX-License-Identifier: GPL-2.0-only
// A sparse byte memory for the translation tests, without SystemC: a
// TableReader (reads of unwritten bytes give 0, as fresh DRAM in the model
// does; reads touching an `abort` range fail, as an external abort) and a
// TableWriter for PgtableBuilder (tables handed out from a bump pointer).
// put() writes a whole STE or CD. Every read is logged, so a test can check
// which descriptors a walk or a table lookup fetched. Not timed; no stage-2
// translation.
#pragma once

#include <cstdint>
#include <cstring>
#include <map>
#include <unordered_map>
#include <utility>
#include <vector>

#include "smmuv3/translation/pgtable_builder.h"
#include "smmuv3/translation/struct_field.h"
#include "smmuv3/translation/table_reader.h"

namespace smmusim::test {

class TableMemory : public smmuv3::TableReader, public smmuv3::TableWriter {
public:
    explicit TableMemory(uint64_t pool = 0x4000'0000) : next_(pool) {}

    bool read(uint64_t addr, void* dst, size_t len) override
    {
        reads.push_back(addr);
        for (const auto& [lo, hi] : aborts)
            if (addr < hi && addr + len > lo)
                return false;
        auto* out = static_cast<uint8_t*>(dst);
        for (size_t i = 0; i < len; ++i) {
            const auto it = bytes_.find(addr + i);
            out[i] = it == bytes_.end() ? 0 : it->second;
        }
        return true;
    }
    void write64(uint64_t pa, uint64_t value) override
    {
        for (unsigned i = 0; i < 8; ++i)
            bytes_[pa + i] = uint8_t(value >> (8 * i));
    }
    uint64_t alloc_table(uint64_t bytes) override
    {
        const uint64_t pa = (next_ + bytes - 1) & ~(bytes - 1);
        next_ = pa + bytes;
        tables.push_back(pa);
        return pa;
    }
    uint64_t read64(uint64_t pa)
    {
        uint64_t v = 0;
        for (unsigned i = 0; i < 8; ++i) {
            const auto it = bytes_.find(pa + i);
            v |= uint64_t(it == bytes_.end() ? 0 : it->second) << (8 * i);
        }
        return v;
    }
    void abort_range(uint64_t lo, uint64_t len) { aborts.emplace_back(lo, lo + len); }
    // Reads that touch the doubleword at `addr` abort.
    void abort_at(uint64_t addr) { abort_range(addr & ~7ull, 8); }
    void put64(uint64_t addr, uint64_t v) { write64(addr, v); }
    void put(uint64_t addr, const smmuv3::Dwords8& s)
    {
        for (unsigned i = 0; i < 8; i++)
            put64(addr + 8 * i, s[i]);
    }
    // The address of every read, in order.
    const std::vector<uint64_t>& log() const { return reads; }

    std::vector<uint64_t> reads;                      // every read's address, in order
    std::vector<uint64_t> tables;                     // every table allocated, in order
    std::vector<std::pair<uint64_t, uint64_t>> aborts;  // [lo, hi) ranges that abort

private:
    std::unordered_map<uint64_t, uint8_t> bytes_;
    uint64_t next_;
};

}  // namespace smmusim::test
