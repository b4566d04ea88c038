// SPDX-License-Identifier: GPL-2.0-only
// The hole of the kernel's linear map (linear_hole.h).
#include "linear_hole.h"

#include <sys/mman.h>

#include "smmusim/host.h"

namespace smmusim::kshim {

namespace {

// Reserved once and never unmapped: a pointer into it may outlive a run's
// shim (the oops handler reads it, and a second shim shares it).
constexpr uint64_t kHoleBytes = kLinearHoleWindow + (64u << 10);
char* g_hole = nullptr;
uint64_t g_last_pa = 0;  // the last PA phys_to_virt() sent here

char* hole()
{
    if (!g_hole) {
        void* p = mmap(nullptr, kHoleBytes, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (p == MAP_FAILED)
            return nullptr;
        g_hole = static_cast<char*>(p);
    }
    return g_hole;
}

}  // namespace

bool linear_hole_pa(uintptr_t addr, uint64_t* pa)
{
    const auto base = reinterpret_cast<uintptr_t>(g_hole);
    if (!g_hole || addr < base || addr - base >= kHoleBytes)
        return false;
    *pa = (g_last_pa & ~(kLinearHoleWindow - 1)) + (addr - base);
    return true;
}

}  // namespace smmusim::kshim

extern "C" void* smmusim_host_linear_hole(unsigned long long pa)
{
    namespace k = smmusim::kshim;
    k::g_last_pa = pa;
    if (char* h = k::hole())
        return h + (pa & (k::kLinearHoleWindow - 1));
    // No host address space left for the hole: a non-canonical address
    // faults all the same (the oops then cannot name it).
    return reinterpret_cast<void*>(0x8000000000000000ull | pa);
}
