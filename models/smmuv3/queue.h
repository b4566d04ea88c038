// SPDX-License-Identifier: GPL-2.0-only
// Circular-queue pointer arithmetic shared by every SMMUv3-style queue (the
// SMMU's CMDQ/EVTQ/PRIQ and the CMDQV's VCMDQs): a pointer is an index of
// log2size bits with a wrap bit just above it.
#pragma once

#include <cstdint>

namespace smmusim::smmuv3 {

struct QueueGeometry {
    unsigned log2size;

    // The geometry a queue's BASE.LOG2SIZE gives: a LOG2SIZE above what the
    // hardware supports (IDR1.CMDQS / IDR1.EVENTQS) is taken as that maximum.
    static QueueGeometry capped(uint64_t log2size, uint64_t max_log2size)
    {
        return QueueGeometry{static_cast<unsigned>(log2size < max_log2size ? log2size : max_log2size)};
    }

    uint32_t entries() const { return 1u << log2size; }
    uint32_t idx_mask() const { return entries() - 1; }
    uint32_t ptr_mask() const { return (2u << log2size) - 1; }  // index + wrap
    uint32_t idx(uint32_t p) const { return p & idx_mask(); }
    uint32_t wrap(uint32_t p) const { return (p >> log2size) & 1; }
    uint32_t inc(uint32_t p, uint32_t n = 1) const { return (p + n) & ptr_mask(); }
    uint32_t used(uint32_t prod, uint32_t cons) const { return (prod - cons) & ptr_mask(); }
    bool empty(uint32_t prod, uint32_t cons) const { return ((prod ^ cons) & ptr_mask()) == 0; }
    bool full(uint32_t prod, uint32_t cons) const
    {
        return idx(prod) == idx(cons) && wrap(prod) != wrap(cons);
    }
    // Entries readable from cons without crossing the end of the ring.
    uint32_t contiguous(uint32_t prod, uint32_t cons) const
    {
        uint32_t n = used(prod, cons);
        uint32_t to_end = entries() - idx(cons);
        return n < to_end ? n : to_end;
    }
};

}  // namespace smmusim::smmuv3
