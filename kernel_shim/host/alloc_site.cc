// SPDX-License-Identifier: GPL-2.0-only
#include "alloc_site.h"

#include <execinfo.h>

#include "symbols.h"

namespace smmusim::kshim {

namespace {
// The shim's heap functions (src/slab.c, kmem_cache.c, devres.c, dma.c)
// and the kernel's allocation helpers: a leak is reported at their caller.
bool allocator(const std::string& name)
{
    static const char* const kParts[] = {"kmalloc", "kzalloc", "kvmalloc", "heap_alloc", "krealloc", "kstrdup",
                                         "kasprintf", "kmem_cache_alloc", "get_free_pages", "devres_new",
                                         "devm_",   "dmam_"};
    for (const char* p : kParts)
        if (name.find(p) != std::string::npos)
            return true;
    return false;
}
}  // namespace

// noinline: frame 0 is this function, frame 1 its caller; both are left out.
__attribute__((noinline)) AllocSite AllocSite::capture()
{
    void* raw[10];
    const int n = backtrace(raw, 10);
    AllocSite s;
    for (int i = 2; i < n && s.depth < static_cast<int>(s.frames.size()); i++)
        s.frames[static_cast<size_t>(s.depth++)] = raw[i];
    return s;
}

// symbolize() reads the program's ELF symbol tables: the kernel's static
// functions have names there, not in the dynamic symbols dladdr() sees.
std::string AllocSite::name() const
{
    for (int i = 0; i < depth; i++) {
        const std::string s = symbolize(frames[static_cast<size_t>(i)]);
        if (s.rfind("0x", 0) == 0)
            continue;  // no symbol
        const std::string name = s.substr(0, s.find('+'));
        if (!allocator(name))
            return name;
    }
    return {};
}

}  // namespace smmusim::kshim
