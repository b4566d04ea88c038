// SPDX-License-Identifier: GPL-2.0-only
// The simulated process's user memory that devices may reach: simulated
// DRAM frames mapped into the host process, so a user address is a host
// pointer (the VMM and the tests read and write it directly) and the frame
// behind each page is a simulated physical address of the layout a test
// chose. pin_user_pages() (kernel_shim/src/gup.c) resolves user addresses
// through here, so iommufd pins the real simulated frames.
//
// Besides anonymous memory (frames owned by their mapping), it holds the
// frames of the simulated kernel's shmem files (memfd, src/shmem.c: one
// frame per page-cache page, owned by the file) and the shared mappings of
// them, which alias the file's frames and free none of them.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <unordered_map>
#include <vector>

#include "platform/memory.h"

namespace smmusim::kshim {

class UserMemory {
public:
    enum class Layout {
        Contiguous,  // consecutive frames, aligned to the size (up to 2 MiB)
        Scattered,   // no two neighbouring pages in neighbouring frames
    };

    // Frames come from [pool_pa, pool_pa + pool_size) of `mem`.
    UserMemory(const smmusim::Memory& mem, uint64_t pool_pa, uint64_t pool_size);
    ~UserMemory();
    UserMemory(const UserMemory&) = delete;
    UserMemory& operator=(const UserMemory&) = delete;

    // Page-granular user memory, zeroed; nullptr when the pool has no room.
    void* alloc(uint64_t bytes, Layout layout = Layout::Contiguous);
    // The same at a page-aligned address of the caller's (mmap(MAP_FIXED)
    // of anonymous memory: user memory in the range is unmapped first);
    // nullptr if the pool has no room. free() unmaps it.
    void* alloc_at(void* addr, uint64_t bytes, Layout layout = Layout::Contiguous);
    // False (and nothing freed) if `p` is not an allocation or a page of it
    // is still pinned.
    bool free(void* p);

    // munmap() of [addr, addr + bytes): the pages of user memory in the
    // range leave the process (mappings are split as needed); a frame still
    // pinned stays taken until its last unpin, as the kernel keeps a pinned
    // page. False if addr is not page-aligned or bytes is 0.
    bool unmap(void* addr, uint64_t bytes);

    // ---- shmem files (src/shmem.c) ----
    // One zeroed pool frame for a file's page cache: its PA, or ~0 when the
    // pool is full.
    uint64_t file_frame_alloc();
    // The file let go of the frame (truncation, the file's end): every
    // shared mapping of it loses that page (it reads as unmapped, as
    // truncate_pagecache() unmaps it), and the frame is free, or, while
    // pinned, freed by its last unpin.
    void file_frame_free(uint64_t pa);
    // Maps a file's frames (one per page; ~0 is a hole: a page past the
    // file's end stays inaccessible) at `at`, a page-aligned range the
    // caller reserved (PROT_NONE); unmap() puts the reservation back and
    // frees no frame. False if a frame is not DRAM.
    bool map_file(void* at, const std::vector<uint64_t>& frames);
    // A private mapping of a file (MAP_PRIVATE) at `at`: anonymous frames
    // holding a copy of the file's pages as they are now (the copy the
    // kernel makes on the first write, made at once; later writes to the
    // file are not seen), holes kept. False if the pool has no room.
    bool map_copy(void* at, const std::vector<uint64_t>& frames);

    // Simulated PA behind a user address, or ~0 if it is not user memory.
    uint64_t pa(uint64_t uva) const;
    // Pin count changes for a frame (FOLL_PIN users: iommufd).
    void pin(uint64_t pfn, int delta);
    uint64_t pins_live() const { return pins_live_; }
    int64_t pins_of(uint64_t pfn) const
    {
        auto it = pins_.find(pfn);
        return it == pins_.end() ? 0 : it->second;
    }
    uint64_t bytes_live() const;

    // The process's mappings: user VA -> its pages' frames.
    struct Mapping {
        uint64_t bytes;
        std::vector<uint64_t> frames;  // PA of each page
        bool fixed;                    // alloc_at(): outside the window
        bool shared = false;           // map_file(): the frames are a file's
    };
    using Mappings = std::map<uint64_t, Mapping>;
    // Simulated PA behind `uva` in `maps`, or ~0.
    static uint64_t lookup(const Mappings& maps, uint64_t uva);
    // fork(): the child's address space, a copy of these mappings whose
    // frames it shares (each frame held once more, so none returns to the
    // pool while the child maps it); release_copy() is its exit_mmap().
    Mappings copy_for_fork();
    void release_copy(const Mappings& maps);
    // A forked child's copy of the host side: its frames are its parent's
    // to hand out, so from now on alloc(), alloc_at(), map_copy(),
    // file_frame_alloc() and unmap() refuse.
    void freeze() { frozen_ = true; }

private:
    void map_frames(uint8_t* p, const std::vector<uint64_t>& frames, bool zero);
    void release(uint8_t* p, const std::vector<uint64_t>& frames, bool fixed, bool shared);
    void free_frame(uint64_t pa);
    void punch(uint64_t pa);
    bool take_frames(uint64_t pages, Layout layout, std::vector<uint64_t>& out);

    const smmusim::Memory& mem_;
    uint64_t pool_pa_, pool_pages_;
    std::vector<bool> used_;  // per pool frame
    uint8_t* window_ = nullptr;  // reserved host VA range for user mappings
    uint64_t window_size_ = 0, window_next_ = 0;
    std::map<uint64_t, Mapping> maps_;  // user VA -> mapping
    std::unordered_map<uint64_t, int64_t> pins_;
    uint64_t pins_live_ = 0;
    std::set<uint64_t> orphans_;  // PFNs unmapped while pinned or held
    std::unordered_map<uint64_t, int64_t> held_;  // PFN -> forked address spaces mapping it
    bool frozen_ = false;
    // An orphan frame no pin nor copy keeps goes back to the pool.
    void free_if_orphan(uint64_t pfn);
};

}  // namespace smmusim::kshim
