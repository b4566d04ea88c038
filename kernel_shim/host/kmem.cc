// SPDX-License-Identifier: GPL-2.0-only
#include "kmem.h"

#include <sys/mman.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

#include <fmt/format.h>

#include "dram_zero.h"
#include "klog.h"
#include "smmusim/kernel_facts.h"

namespace smmusim::kshim {

namespace {
constexpr uint64_t kPage = 4096;

uint64_t pow2_at_least(uint64_t v)
{
    uint64_t p = 1;
    while (p < v)
        p <<= 1;
    return p;
}

uint64_t page_align(uint64_t v) { return (v + kPage - 1) & ~(kPage - 1); }
}  // namespace

Kmem::Kmem(Memory& dram, uint64_t dma_base, uint64_t dma_size, Klog& log) : dram_(dram), log_(log)
{
    dma_free_[dma_base] = dma_size;
}

Kmem::~Kmem()
{
    for (auto& z : zero_maps_)
        munmap(z.first, z.second);
    for (auto& k : blocks_)
        free(const_cast<void*>(k.first));
}

void* Kmem::kmalloc(size_t size, bool zero, const AllocSite& site)
{
    calls_++;
    largest_ = std::max<uint64_t>(largest_, size);
    if (fail_after_ >= 0 && fail_after_-- == 0) {
        failed_++;
        return nullptr;
    }
    // kmalloc() aligns power-of-two sizes to their size (up to a page).
    size_t align = 16;
    if ((size & (size - 1)) == 0 && size > align)
        align = size < kPage ? size : kPage;
    void* p = aligned_alloc(align, (size + align - 1) / align * align);
    if (!p)
        return nullptr;
    memset(p, zero ? 0 : smmusim_kernel_poison_inuse, size);
    blocks_[p] = Block{size, site, booting_};
    return p;
}

void Kmem::kfree(const void* p)
{
    auto it = blocks_.find(p);
    if (it == blocks_.end()) {
        log_.fail("WARN", fmt::format("kfree of {} which kmalloc did not return (or a double free)", p));
        return;
    }
    memset(const_cast<void*>(p), smmusim_kernel_poison_free, it->second.size);
    blocks_.erase(it);
    free(const_cast<void*>(p));
}

size_t Kmem::ksize(const void* p) const
{
    auto it = blocks_.find(p);
    return it == blocks_.end() ? 0 : it->second.size;
}

std::string Kmem::live_kmallocs() const
{
    std::string s;
    for (const auto& [p, b] : blocks_) {
        if (b.boot)
            continue;
        const std::string site = b.site.name();
        s += fmt::format("{} bytes at {} from {}\n", b.size, p, site.empty() ? "?" : site);
    }
    return s;
}

void* Kmem::dma_alloc(size_t size, uint64_t* pa)
{
    const uint64_t align = std::max<uint64_t>(kPage, pow2_at_least(size));
    const uint64_t len = page_align(size);
    for (auto it = dma_free_.begin(); it != dma_free_.end(); ++it) {
        const uint64_t start = (it->first + align - 1) & ~(align - 1);
        const uint64_t end = it->first + it->second;
        if (start + len > end)
            continue;
        const uint64_t fbase = it->first;
        dma_free_.erase(it);
        if (start > fbase)
            dma_free_[fbase] = start - fbase;
        if (start + len < end)
            dma_free_[start + len] = end - (start + len);
        dma_live_[start] = len;
        dma_allocs_++;
        uint8_t* host = dram_.host_ptr(start, len);
        zero_dram(dram_, start, host, len);
        *pa = start;
        return host;
    }
    log_.add(3, fmt::format("smmusim: DMA pool exhausted ({} bytes requested)", size));
    return nullptr;
}

void Kmem::dma_free(void* cpu)
{
    const uint64_t pa = dram_.pa_of(cpu);
    auto it = dma_live_.find(pa);
    if (it == dma_live_.end()) {
        log_.fail("WARN", fmt::format("DMA free of {} which was not allocated", cpu));
        return;
    }
    uint64_t base = it->first, len = it->second;
    dma_live_.erase(it);
    memset(cpu, smmusim_kernel_poison_free, len);
    auto next = dma_free_.lower_bound(base);
    if (next != dma_free_.end() && next->first == base + len) {
        len += next->second;
        dma_free_.erase(next);
    }
    auto prev = dma_free_.lower_bound(base);
    if (prev != dma_free_.begin()) {
        --prev;
        if (prev->first + prev->second == base) {
            base = prev->first;
            len += prev->second;
            dma_free_.erase(prev);
        }
    }
    dma_free_[base] = len;
}

void* Kmem::map_zero(uint64_t bytes)
{
    const size_t len = page_align(bytes);
    void* p = mmap(nullptr, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED)
        throw std::runtime_error("kernel shim: mmap failed");
    zero_maps_.push_back({p, len});
    return p;
}

Kmem::Stats Kmem::stats() const
{
    Stats s;
    s.kmalloc_calls = calls_;
    s.kmalloc_failed = failed_;
    s.kmalloc_largest = largest_;
    for (auto& k : blocks_) {
        if (k.second.boot) {
            s.kmalloc_boot_live++;
            continue;
        }
        s.kmalloc_live++;
        s.kmalloc_live_bytes += k.second.size;
    }
    s.dma_allocs = dma_allocs_;
    s.dma_live = dma_live_.size();
    for (auto& d : dma_live_)
        s.dma_live_bytes += d.second;
    return s;
}

}  // namespace smmusim::kshim
