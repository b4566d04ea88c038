// SPDX-License-Identifier: GPL-2.0-only
// MMIO from kernel code: ioremap() hands out a cookie inside a PROT_NONE
// host range (a stray dereference faults instead of touching anything),
// and readl()/writeq()/... on a cookie become the board's MMIO accesses at
// the physical address behind it, in simulated time, as a busy-wait of the
// CPU. The simulated process's mmap()ed device regions are translated the
// same way.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>

#include "platform/board.h"

namespace smmusim::kshim {

class Klog;
class Scheduler;

// One MMIO access of kernel code, as it completed.
struct MmioAccess {
    uint64_t time_ps;  // simulated time at its completion
    bool write;
    uint64_t pa;
    unsigned size;
    uint64_t value;  // written, or read (~0 after a bus error)
    bool ok;
};

class Mmio {
public:
    Mmio(Board& board, Scheduler& sched, Klog& log) : board_(board), sched_(sched), log_(log) {}
    ~Mmio();
    Mmio(const Mmio&) = delete;
    Mmio& operator=(const Mmio&) = delete;

    void* ioremap(uint64_t pa, uint64_t size);
    void iounmap(const volatile void* cookie);
    // Host addresses [where, where + size) the caller reserved become MMIO
    // at pa (an mmap()ed region), until unmap_region(where).
    void map_region(uintptr_t where, uint64_t pa, uint64_t size)
    {
        maps_[where] = Region{pa, size, 0};
        forget_last();
    }
    void unmap_region(uintptr_t where)
    {
        maps_.erase(where);
        forget_last();
    }

    // `caller`: the kernel code accessing (the watchdog names it).
    uint64_t read(const volatile void* addr, unsigned size, const void* caller = nullptr);
    void write(volatile void* addr, uint64_t v, unsigned size, const void* caller = nullptr);

    // Called with every access as it completes while set: what tests
    // compare runs by (nothing in a run sets it).
    static std::function<void(const MmioAccess&)>& observer();

    uint64_t ioremaps() const { return ioremaps_; }
    uint64_t live() const { return maps_.size(); }

private:
    struct Region {
        uint64_t pa, size;
        size_t host_len;  // our own PROT_NONE mapping (0: the caller's)
    };
    // The PA behind a host address, or false (a bus error is recorded).
    bool translate(const volatile void* addr, unsigned size, bool write, uint64_t* pa);
    // The region translate() found last, while no region is added or
    // removed: [last_base_, last_next_) holds no other region's start, so
    // an address in it is that region's as the map's lookup would say.
    void forget_last() { last_ = nullptr; }
    void remember_last(std::map<uintptr_t, Region>::const_iterator it);

    Board& board_;
    Scheduler& sched_;
    Klog& log_;
    std::map<uintptr_t, Region> maps_;  // host address -> region
    uint64_t ioremaps_ = 0;
    const Region* last_ = nullptr;
    uintptr_t last_base_ = 0, last_next_ = 0;  // its start, the next region's (or the end of the address space)
};

}  // namespace smmusim::kshim
