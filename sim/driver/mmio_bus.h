// SPDX-License-Identifier: GPL-2.0-only
// The CPU's side of the bus as a driver sequence (sequences.h) uses it:
// MMIO by physical address and the CPU's stores to memory, in the calling
// SC_THREAD. Each user (the trace player, the test bench, the fuzzer, the
// benchmarks) implements it with its own way of reporting bus errors and its
// own polling pace, so a sequence states only what the driver writes and
// what it waits for.
#pragma once

#include <cstddef>
#include <cstdint>

namespace smmusim::driver {

class MmioBus {
public:
    virtual ~MmioBus() = default;
    // A register access of `size` bytes (a bus error is the implementation's
    // to report; a failed read returns what the implementation chooses).
    virtual uint64_t read(uint64_t addr, unsigned size) = 0;
    virtual void write(uint64_t addr, unsigned size, uint64_t value) = 0;
    // Reads the 32-bit register at `addr` until (value & mask) == want, at
    // the implementation's pace and for at most its limit; false if it gave up.
    virtual bool poll(uint64_t addr, uint64_t mask, uint64_t want) = 0;
    // The CPU's (cacheable) stores to memory: zero simulated time. False if
    // `pa` is not populated memory.
    virtual bool store(uint64_t pa, const void* src, size_t len) = 0;
};

}  // namespace smmusim::driver
