// SPDX-License-Identifier: GPL-2.0-only
// Zeroing simulated DRAM from the host side (the DMA pool's buffers, a
// process's user memory): a page-aligned range of 64 KiB or more becomes a
// hole in DRAM's memory file, which reads as zero through every mapping of
// it (the models' DRAM, user-memory aliases), so pages never touched cost
// nothing and touched ones are freed instead of rewritten; smaller ranges
// are written. Not for memory outside DRAM.
#pragma once

#include <cstdint>

#include "platform/memory.h"

namespace smmusim::kshim {

// [pa, pa + len) of `dram`, which the caller sees at `host` (any mapping).
void zero_dram(const Memory& dram, uint64_t pa, void* host, uint64_t len);

}  // namespace smmusim::kshim
