// SPDX-License-Identifier: GPL-2.0-only
#include "user_memory.h"

#include <sys/mman.h>

#include <algorithm>
#include <cstring>
#include <iterator>
#include <stdexcept>

#include "dram_zero.h"

namespace smmusim::kshim {

namespace {
constexpr uint64_t kPage = 4096;
constexpr uint64_t kMaxAlign = 2ull << 20;
}  // namespace

UserMemory::UserMemory(const smmusim::Memory& mem, uint64_t pool_pa, uint64_t pool_size)
    : mem_(mem), pool_pa_(pool_pa), pool_pages_(pool_size / kPage), used_(pool_size / kPage)
{
    // Room for every pool frame twice over plus alignment slack, never
    // backed by anything but the aliases map_alias() puts there.
    window_size_ = 2 * pool_pages_ * kPage + 64 * kMaxAlign;
    void* w = mmap(nullptr, window_size_, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (w == MAP_FAILED)
        throw std::runtime_error("kernel shim: cannot reserve host address space for user memory");
    window_ = static_cast<uint8_t*>(w);
}

UserMemory::~UserMemory() { munmap(window_, window_size_); }

bool UserMemory::take_frames(uint64_t pages, Layout layout, std::vector<uint64_t>& out)
{
    out.clear();
    if (layout == Layout::Contiguous) {
        uint64_t align = kPage;
        while (align < pages * kPage && align < kMaxAlign)
            align <<= 1;
        const uint64_t step = align / kPage;
        const uint64_t first = ((pool_pa_ + align - 1) & ~(align - 1)) - pool_pa_;
        for (uint64_t i = first / kPage; i + pages <= pool_pages_; i += step) {
            uint64_t j = 0;
            while (j < pages && !used_[i + j])
                j++;
            if (j < pages)
                continue;
            for (j = 0; j < pages; j++) {
                used_[i + j] = true;
                out.push_back(pool_pa_ + (i + j) * kPage);
            }
            return true;
        }
        return false;
    }
    // Scattered: from the top of the pool down, skipping a frame after each
    // page, so page n+1 lies below page n with a gap.
    for (uint64_t i = pool_pages_; i-- > 0 && out.size() < pages;) {
        if (used_[i])
            continue;
        if (!out.empty() && out.back() == pool_pa_ + (i + 1) * kPage)
            continue;
        out.push_back(pool_pa_ + i * kPage);
    }
    if (out.size() < pages) {
        out.clear();
        return false;
    }
    for (uint64_t pa : out)
        used_[(pa - pool_pa_) / kPage] = true;
    return true;
}

void* UserMemory::alloc(uint64_t bytes, Layout layout)
{
    // Rounded up without overflow; more than the pool holds is refused
    // before any frame is looked at.
    const uint64_t pages = bytes / kPage + (bytes % kPage != 0);
    if (frozen_ || pages == 0 || pages > pool_pages_)
        return nullptr;
    std::vector<uint64_t> frames;
    if (!take_frames(pages, layout, frames))
        return nullptr;
    // The user address keeps the frame's offset within 2 MiB, as a VMM's
    // huge-page-backed guest RAM would, and is 2 MiB aligned otherwise.
    uint64_t va = (window_next_ + kMaxAlign - 1) & ~(kMaxAlign - 1);
    va += frames.front() & (kMaxAlign - 1) & ~(kPage - 1);
    if (va + pages * kPage > window_size_) {
        for (uint64_t pa : frames)
            used_[(pa - pool_pa_) / kPage] = false;
        return nullptr;
    }
    uint8_t* p = window_ + va;
    map_frames(p, frames, true);
    window_next_ = va + pages * kPage;
    maps_[reinterpret_cast<uint64_t>(p)] = Mapping{pages * kPage, std::move(frames), false};
    return p;
}

void* UserMemory::alloc_at(void* addr, uint64_t bytes, Layout layout)
{
    const auto va = reinterpret_cast<uint64_t>(addr);
    const uint64_t pages = bytes / kPage + (bytes % kPage != 0);
    if (frozen_ || va % kPage || pages == 0 || pages > pool_pages_)
        return nullptr;
    unmap(addr, pages * kPage);  // MAP_FIXED replaces what was mapped there
    std::vector<uint64_t> frames;
    if (!take_frames(pages, layout, frames))
        return nullptr;
    map_frames(static_cast<uint8_t*>(addr), frames, true);
    maps_[va] = Mapping{pages * kPage, std::move(frames), true};
    return addr;
}

// Maps `frames` (one per page; ~0 is a hole, left as it is) at `p`, runs
// of consecutive frames at once, and zeroes them if asked.
void UserMemory::map_frames(uint8_t* p, const std::vector<uint64_t>& frames, bool zero)
{
    const uint64_t pages = frames.size();
    for (uint64_t i = 0; i < pages;) {
        if (frames[i] == ~0ull) {
            i++;
            continue;
        }
        uint64_t n = 1;
        while (i + n < pages && frames[i + n] == frames[i] + n * kPage)
            n++;
        if (!mem_.map_alias(frames[i], n * kPage, p + i * kPage))
            throw std::runtime_error("kernel shim: cannot map simulated DRAM into user memory");
        if (zero)
            zero_dram(mem_, frames[i], p + i * kPage, n * kPage);
        i += n;
    }
}

bool UserMemory::free(void* p)
{
    auto it = maps_.find(reinterpret_cast<uint64_t>(p));
    if (it == maps_.end())
        return false;
    if (!it->second.shared)
        for (uint64_t pa : it->second.frames) {
            auto pin = pins_.find(pa / kPage);
            if (pin != pins_.end() && pin->second > 0)
                return false;
        }
    Mapping m = std::move(it->second);
    maps_.erase(it);
    release(static_cast<uint8_t*>(p), m.frames, m.fixed, m.shared);
    return true;
}

uint64_t UserMemory::pa(uint64_t uva) const { return lookup(maps_, uva); }

uint64_t UserMemory::lookup(const Mappings& maps, uint64_t uva)
{
    auto it = maps.upper_bound(uva);
    if (it == maps.begin())
        return ~0ull;
    --it;
    const uint64_t off = uva - it->first;
    if (off >= it->second.bytes)
        return ~0ull;
    const uint64_t frame = it->second.frames[off / kPage];
    return frame == ~0ull ? ~0ull : frame + off % kPage;
}

UserMemory::Mappings UserMemory::copy_for_fork()
{
    for (const auto& m : maps_)
        for (uint64_t pa : m.second.frames)
            if (pa != ~0ull)  // a file's hole
                held_[pa / kPage]++;
    return maps_;
}

void UserMemory::release_copy(const Mappings& maps)
{
    for (const auto& m : maps)
        for (uint64_t pa : m.second.frames) {
            auto it = held_.find(pa / kPage);
            if (it == held_.end())
                continue;
            if (--it->second == 0) {
                held_.erase(it);
                free_if_orphan(pa / kPage);
            }
        }
}

void UserMemory::free_if_orphan(uint64_t pfn)
{
    if (!pins_.count(pfn) && !held_.count(pfn) && orphans_.erase(pfn))
        used_[(pfn * kPage - pool_pa_) / kPage] = false;
}

void UserMemory::pin(uint64_t pfn, int delta)
{
    int64_t& n = pins_[pfn];
    n += delta;
    if (delta > 0)
        pins_live_ += static_cast<uint64_t>(delta);
    else
        pins_live_ -= static_cast<uint64_t>(-delta);
    if (n == 0) {
        pins_.erase(pfn);
        // A frame unmapped while pinned is released by its last unpin.
        free_if_orphan(pfn);
    }
}

bool UserMemory::unmap(void* addr, uint64_t bytes)
{
    const auto va = reinterpret_cast<uint64_t>(addr);
    const uint64_t pages = bytes / kPage + (bytes % kPage != 0);
    if (frozen_ || va % kPage || pages == 0)
        return false;
    const uint64_t end = va + pages * kPage;
    auto it = maps_.upper_bound(va);
    if (it != maps_.begin())
        --it;
    while (it != maps_.end() && it->first < end) {
        const uint64_t start = it->first, stop = start + it->second.bytes;
        if (stop <= va) {
            ++it;
            continue;
        }
        Mapping m = std::move(it->second);
        it = maps_.erase(it);
        const uint64_t lo = std::max(start, va), hi = std::min(stop, end);
        auto slice = [&](uint64_t from, uint64_t to) {
            return std::vector<uint64_t>(m.frames.begin() + static_cast<long>((from - start) / kPage),
                                         m.frames.begin() + static_cast<long>((to - start) / kPage));
        };
        if (start < lo)
            maps_[start] = Mapping{lo - start, slice(start, lo), m.fixed, m.shared};
        if (hi < stop)
            it = maps_.emplace(hi, Mapping{stop - hi, slice(hi, stop), m.fixed, m.shared}).first;
        release(reinterpret_cast<uint8_t*>(lo), slice(lo, hi), m.fixed, m.shared);
    }
    return true;
}

// The pages at `p` (one per frame) leave the process: the host range is
// unmapped (alloc_at) or reserved again (the window, a file mapping's
// range), and each frame of anonymous memory is free, or, while pinned or
// mapped by a forked child, freed by its last unpin or the child's exit (a
// file's frames stay the file's).
void UserMemory::release(uint8_t* p, const std::vector<uint64_t>& frames, bool fixed, bool shared)
{
    const uint64_t len = frames.size() * kPage;
    if (fixed)
        munmap(p, len);
    else
        mmap(p, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED, -1, 0);
    if (!shared)
        for (uint64_t pa : frames)
            free_frame(pa);
}

void UserMemory::free_frame(uint64_t pa)
{
    orphans_.insert(pa / kPage);
    free_if_orphan(pa / kPage);
}

uint64_t UserMemory::file_frame_alloc()
{
    std::vector<uint64_t> frame;
    if (frozen_ || !take_frames(1, Layout::Contiguous, frame))
        return ~0ull;
    zero_dram(mem_, frame[0], mem_.host_ptr(frame[0], kPage), kPage);
    return frame[0];
}

void UserMemory::file_frame_free(uint64_t pa)
{
    punch(pa);
    free_frame(pa);
}

// Every shared mapping of the frame `pa` loses that page.
void UserMemory::punch(uint64_t pa)
{
    for (auto& [va, m] : maps_) {
        if (!m.shared)
            continue;
        for (size_t i = 0; i < m.frames.size(); i++) {
            if (m.frames[i] != pa)
                continue;
            mmap(reinterpret_cast<void*>(va + i * kPage), kPage, PROT_NONE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED, -1, 0);
            m.frames[i] = ~0ull;
        }
    }
}

bool UserMemory::map_file(void* at, const std::vector<uint64_t>& frames)
{
    const auto va = reinterpret_cast<uint64_t>(at);
    if (va % kPage || frames.empty())
        return false;
    for (uint64_t pa : frames)
        if (pa != ~0ull && !mem_.host_ptr(pa, kPage))
            return false;
    map_frames(static_cast<uint8_t*>(at), frames, false);
    maps_[va] = Mapping{frames.size() * kPage, frames, false, true};
    return true;
}

bool UserMemory::map_copy(void* at, const std::vector<uint64_t>& file)
{
    const auto va = reinterpret_cast<uint64_t>(at);
    std::vector<uint64_t> frames;
    if (frozen_ || va % kPage || file.empty() || !take_frames(file.size(), Layout::Contiguous, frames))
        return false;
    for (size_t i = 0; i < file.size(); i++)
        if (file[i] == ~0ull) {
            free_frame(frames[i]);
            frames[i] = ~0ull;
        }
    map_frames(static_cast<uint8_t*>(at), frames, false);
    for (size_t i = 0; i < file.size(); i++)
        if (frames[i] != ~0ull)
            std::memcpy(static_cast<uint8_t*>(at) + i * kPage, mem_.host_ptr(file[i], kPage), kPage);
    maps_[va] = Mapping{file.size() * kPage, std::move(frames), false};
    return true;
}

uint64_t UserMemory::bytes_live() const
{
    uint64_t b = 0;
    for (const auto& m : maps_)
        b += m.second.bytes;
    return b;
}

}  // namespace smmusim::kshim
