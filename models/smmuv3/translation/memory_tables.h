// SPDX-License-Identifier: GPL-2.0-only
// Tables in the platform's Memory, through its backdoor (zero simulated
// time): a TableReader for untimed walks of what is in simulated DRAM (the
// tests' oracle against the kernel's io-pgtable, tools), and a TableWriter
// with a bump allocator over a pool of DRAM for PgtableBuilder (tests, a
// VMM's guest tables). The timed translation unit does not read through
// this: it reads through the SMMU's `dma` port.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <vector>

#include "../../platform/memory.h"
#include "pgtable_builder.h"
#include "table_reader.h"

namespace smmusim::smmuv3 {

class MemoryTableReader : public TableReader {
public:
    explicit MemoryTableReader(const Memory& mem) : mem_(mem) {}
    bool read(uint64_t addr, void* dst, size_t len) override { return mem_.read(addr, dst, len); }

private:
    const Memory& mem_;
};

// Tables are carved from [base, base + size), never freed. Throws
// std::runtime_error when the pool is exhausted or a write misses memory.
class MemoryTableWriter : public TableWriter {
public:
    MemoryTableWriter(Memory& mem, uint64_t base, uint64_t size) : mem_(mem), next_(base), end_(base + size) {}

    void write64(uint64_t pa, uint64_t value) override
    {
        uint8_t b[8];
        for (unsigned i = 0; i < 8; ++i)
            b[i] = uint8_t(value >> (8 * i));
        if (!mem_.write(pa, b, sizeof b))
            throw std::runtime_error("table writer: no memory at the descriptor's PA");
    }

    uint64_t alloc_table(uint64_t bytes) override
    {
        const uint64_t pa = (next_ + bytes - 1) & ~(bytes - 1);
        if (pa < next_ || pa + bytes > end_)
            throw std::runtime_error("table writer: table pool exhausted");
        const std::vector<uint8_t> zero(bytes, 0);
        if (!mem_.write(pa, zero.data(), zero.size()))
            throw std::runtime_error("table writer: the table pool is not memory");
        next_ = pa + bytes;
        return pa;
    }

private:
    Memory& mem_;
    uint64_t next_;
    uint64_t end_;
};

}  // namespace smmusim::smmuv3
