// SPDX-License-Identifier: GPL-2.0-only
// The address part of a TLBI's scope, shared by the TLB and the walk cache:
// whether a cached input range overlaps the command's address or range, and
// whether a range TLBI's TTL hint leaves a leaf of another level alone
// (IHI 0070 4.4: TG/TTL/NUM/SCALE; the decoder has already turned them into
// addr + span). Not here: the tag rules (tlb.cc, walk_cache.cc).
#pragma once

#include <cstdint>

#include "../invalidation.h"

namespace smmusim::smmuv3 {

// [base, base + size) overlaps [s.addr, s.addr + s.span), or contains
// s.addr when span = 0 (a TLBI of one address: the entry holding it). A
// range that starts inside a block therefore removes the whole block.
inline bool scope_overlaps(const InvalidationScope& s, uint64_t base, uint64_t size)
{
    const uint64_t last = s.span == 0 ? s.addr : (s.addr + (s.span - 1) < s.addr ? ~0ull : s.addr + (s.span - 1));
    return base <= last && s.addr <= base + (size - 1);
}

// A range TLBI (TG != 0) with TTL != 0 names the level of the leaf entries
// to remove; TTL = 1 with the 16 KiB granule (TG = 2) names no level without
// IHI 0070's 52-bit addresses (IDR5.DS, not modelled) and is no hint.
inline bool ttl_excludes(const InvalidationScope& s, unsigned level)
{
    if (s.tg == 0 || s.ttl == 0 || (s.tg == 2 && s.ttl == 1))
        return false;
    return level != s.ttl;
}

// A leaf entry at `level` covering [base, base + size) is in the TLBI's range.
inline bool tlbi_range_covers(const InvalidationScope& s, unsigned level, uint64_t base, uint64_t size)
{
    return scope_overlaps(s, base, size) && !ttl_excludes(s, level);
}

}  // namespace smmusim::smmuv3
