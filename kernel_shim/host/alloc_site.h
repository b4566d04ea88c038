// SPDX-License-Identifier: GPL-2.0-only
// Where a kmalloc block was allocated, for the heap's leak report
// (Kmem::live_kmallocs): the return addresses of the call chain, taken at
// every allocation, and named (symbols.h, the costly part) only when a
// report is printed.
#pragma once

#include <array>
#include <string>

namespace smmusim::kshim {

struct AllocSite {
    // The calling chain of the function that calls capture(), innermost
    // first (that function itself is left out).
    static AllocSite capture();
    // The first function of the chain that is not an allocator (the shim's
    // heap functions, kmalloc/kzalloc/kvmalloc/krealloc/kstrdup/kasprintf,
    // kmem_cache_alloc, devres, devm_*/dmam_*), or "" when none is named.
    std::string name() const;

    std::array<void*, 8> frames{};
    int depth = 0;
};

}  // namespace smmusim::kshim
