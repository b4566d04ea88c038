// SPDX-License-Identifier: GPL-2.0-only
// The kernel's memory on the host side: the kmalloc heap (host memory,
// every live block counted with the kernel function that allocated it,
// failure injection, poisoning), the DMA pool (a first-fit allocator over a
// DRAM sub-range: coherent buffers and page-table pages the devices reach
// by physical address) and zero-filled host mappings that live for ever.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "alloc_site.h"
#include "platform/memory.h"

namespace smmusim::kshim {

class Klog;

class Kmem {
public:
    // The DMA pool: [dma_base, dma_base + dma_size) of DRAM.
    Kmem(Memory& dram, uint64_t dma_base, uint64_t dma_size, Klog& log);
    ~Kmem();
    Kmem(const Kmem&) = delete;
    Kmem& operator=(const Kmem&) = delete;

    // ---- the heap ----------------------------------------------------------
    // NULL when a failure is injected; zero: clear, else poison (POISON_INUSE).
    void* kmalloc(size_t size, bool zero, const AllocSite& site = {});
    void kfree(const void* p);
    size_t ksize(const void* p) const;
    // The n-th kmalloc from now (0 = the next one) returns NULL; -1 = off.
    void fail_kmalloc_after(int64_t n) { fail_after_ = n; }
    // Blocks allocated while booting live as long as the kernel.
    void set_booting(bool b) { booting_ = b; }
    // Live blocks not allocated at boot, with their sites (a leak report).
    std::string live_kmallocs() const;

    // ---- the DMA pool -----------------------------------------------------
    // Zeroed, aligned to the smallest power of two >= size (>= 4 KiB).
    void* dma_alloc(size_t size, uint64_t* pa);
    void dma_free(void* cpu);
    uint64_t dram_pa(const void* cpu) const { return dram_.pa_of(cpu); }

    // Zero-filled host memory, never freed (the struct page array).
    void* map_zero(uint64_t bytes);

    struct Stats {
        uint64_t kmalloc_calls = 0, kmalloc_failed = 0, kmalloc_live = 0, kmalloc_live_bytes = 0;
        uint64_t kmalloc_largest = 0, kmalloc_boot_live = 0;
        uint64_t dma_allocs = 0, dma_live = 0, dma_live_bytes = 0;
    };
    Stats stats() const;

private:
    struct Block {
        size_t size;
        AllocSite site;
        bool boot = false;
    };
    Memory& dram_;
    Klog& log_;
    std::map<const void*, Block> blocks_;
    uint64_t calls_ = 0, failed_ = 0, largest_ = 0;
    int64_t fail_after_ = -1;
    bool booting_ = false;

    std::map<uint64_t, uint64_t> dma_free_;  // pa -> length
    std::map<uint64_t, uint64_t> dma_live_;  // pa -> length
    uint64_t dma_allocs_ = 0;
    std::vector<std::pair<void*, size_t>> zero_maps_;
};

}  // namespace smmusim::kshim
