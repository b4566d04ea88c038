// SPDX-License-Identifier: GPL-2.0-only
#include "mmio.h"

#include <sys/mman.h>

#include <cstdint>
#include <iterator>

#include <fmt/format.h>

#include "klog.h"
#include "scheduler.h"

namespace smmusim::kshim {

namespace {
// The longest an MMIO access may take, for the end-of-time check: far more
// than any register access of the models (a few hundred cycles at most).
const sc_core::sc_time kMmioTimeBound(1, sc_core::SC_US);
}  // namespace

Mmio::~Mmio()
{
    for (auto& m : maps_)
        if (m.second.host_len)
            munmap(reinterpret_cast<void*>(m.first), m.second.host_len);
}

namespace {
// Mmio::observer(): a namespace-scope object, so that an access tests it
// without a function-local static's guard (nothing sets it before main()).
std::function<void(const MmioAccess&)> g_observer;

void observe(bool write, uint64_t pa, unsigned size, uint64_t v, bool ok)
{
    if (g_observer)
        g_observer(MmioAccess{sc_core::sc_time_stamp().value(), write, pa, size, ok ? v : ~0ull, ok});
}
}  // namespace

std::function<void(const MmioAccess&)>& Mmio::observer() { return g_observer; }

void* Mmio::ioremap(uint64_t pa, uint64_t size)
{
    const size_t len = (size + 4095) & ~uint64_t(4095);
    void* p = mmap(nullptr, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED)
        return nullptr;
    maps_[reinterpret_cast<uintptr_t>(p)] = Region{pa, size, len};
    forget_last();
    ioremaps_++;
    return p;
}

void Mmio::iounmap(const volatile void* cookie)
{
    auto it = maps_.find(reinterpret_cast<uintptr_t>(cookie));
    if (it == maps_.end()) {
        log_.fail("WARN", fmt::format("iounmap of {} which ioremap did not return", const_cast<const void*>(cookie)));
        return;
    }
    munmap(reinterpret_cast<void*>(it->first), it->second.host_len);
    maps_.erase(it);
    forget_last();
}

void Mmio::remember_last(std::map<uintptr_t, Region>::const_iterator it)
{
    last_ = &it->second;
    last_base_ = it->first;
    const auto next = std::next(it);
    last_next_ = next == maps_.end() ? UINTPTR_MAX : next->first;
}

bool Mmio::translate(const volatile void* addr, unsigned size, bool write, uint64_t* pa)
{
    const auto a = reinterpret_cast<uintptr_t>(addr);
    // Most accesses are to the region of the access before (the driver's
    // queue registers): the map's lookup is the one it would find.
    if (last_ && a >= last_base_ && a < last_next_ && a - last_base_ + size <= last_->size) {
        *pa = last_->pa + (a - last_base_);
        return true;
    }
    auto it = maps_.upper_bound(a);
    if (it == maps_.begin() || a - std::prev(it)->first + size > std::prev(it)->second.size) {
        log_.fail("bus-error", fmt::format("MMIO {} of {} bytes at {:#x}: not an ioremap()ed address",
                                           write ? "write" : "read", size, a));
        return false;
    }
    --it;
    *pa = it->second.pa + (a - it->first);
    remember_last(it);
    return true;
}

uint64_t Mmio::read(const volatile void* addr, unsigned size, const void* caller)
{
    uint64_t pa = 0, v = 0;
    if (!translate(addr, size, false, &pa))
        return ~0ull;
    bool ok = true;
    sched_.busy_wait_after_charge(
        kMmioTimeBound, [&](sc_core::sc_time lead) { ok = board_.mmio_read_after(lead, pa, size, v); }, caller);
    observe(false, pa, size, v, ok);
    if (!ok) {
        log_.fail("bus-error", fmt::format("MMIO read of {} bytes at PA {:#x} failed", size, pa));
        return ~0ull;
    }
    return v;
}

void Mmio::write(volatile void* addr, uint64_t v, unsigned size, const void* caller)
{
    uint64_t pa = 0;
    if (!translate(addr, size, true, &pa))
        return;
    bool ok = true;
    sched_.busy_wait_after_charge(
        kMmioTimeBound, [&](sc_core::sc_time lead) { ok = board_.mmio_write_after(lead, pa, size, v); }, caller);
    observe(true, pa, size, v, ok);
    if (!ok)
        log_.fail("bus-error", fmt::format("MMIO write of {} bytes at PA {:#x} failed", size, pa));
}

}  // namespace smmusim::kshim
