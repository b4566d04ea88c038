// SPDX-License-Identifier: GPL-2.0-only
// A TableReader over a sparse map of doublewords, for the translation
// tests: what was not written reads as zero (as fresh DRAM in the model
// does), an address marked with abort_at() fails the read (an external
// abort), and every read is logged. Not timed; no stage-2 translation.
#pragma once

#include <cstdint>
#include <cstring>
#include <map>
#include <set>
#include <vector>

#include "smmuv3/translation/struct_field.h"
#include "smmuv3/translation/table_reader.h"

namespace smmusim::test {

class TableMemory : public smmuv3::TableReader {
public:
    void put64(uint64_t addr, uint64_t v) { words_[addr] = v; }
    void put(uint64_t addr, const smmuv3::Dwords8& s)
    {
        for (unsigned i = 0; i < 8; i++)
            put64(addr + 8 * i, s[i]);
    }
    // Reads that touch the doubleword at `addr` abort.
    void abort_at(uint64_t addr) { aborts_.insert(addr & ~7ull); }

    bool read(uint64_t addr, void* dst, size_t len) override
    {
        log_.push_back(addr);
        for (size_t off = 0; off < len; off += 8) {
            const uint64_t a = (addr + off) & ~7ull;
            if (aborts_.count(a))
                return false;
            const auto it = words_.find(a);
            const uint64_t v = it == words_.end() ? 0 : it->second;
            std::memcpy(static_cast<uint8_t*>(dst) + off, &v, len - off < 8 ? len - off : 8);
        }
        return true;
    }
    // The address of every read, in order.
    const std::vector<uint64_t>& log() const { return log_; }

private:
    std::map<uint64_t, uint64_t> words_;
    std::set<uint64_t> aborts_;
    std::vector<uint64_t> log_;
};

}  // namespace smmusim::test
