// SPDX-License-Identifier: GPL-2.0-only
// The walk cache: table descriptors (not leaves) met on stage-1 and stage-2
// walks, so a walk can start below the initial level. An entry says "for
// input addresses in [base, base + size), the level+1 table of this walk is
// at `table`", tagged like the TLB (regime, VMID, ASID for stage 1) plus the
// stage and granule. Set-associative with LRU (set_assoc.h); descriptors of
// every level share the structure, each placed by its own range and a
// lookup returning the deepest level present.
//
// A nested stream's stage-1 entries hold the next table's IPA, as the
// stage-1 descriptor gives it: the walker translates it through stage 2 (its
// stage-2 TLB / walk-cache entries) each time, so a stage-2 change needs no
// stage-1 walk-cache invalidation here.
//
// An InvalidationTarget (walk_tlbi_covers() is the rule), IHI 0070 4.4:
//   TLBI_NH_ALL / _ASID, TLBI_EL2_ALL / _ASID, TLBI_S12_VMALL, TLBI_NSNH_ALL
//       by tag, as for the TLB (stage-1 entries; S12_VMALL and NSNH_ALL stage 2 too)
//   TLBI_NH_VA / _VAA, TLBI_EL2_VA / _VAA with Leaf = 0
//       stage-1 entries of the tag whose range overlaps the VA (range); Leaf = 1 keeps them
//   TLBI_S2_IPA with Leaf = 0
//       stage-2 entries of the VMID whose range overlaps the IPA (range); Leaf = 1 keeps them
// TTL is ignored here: it names the level of the leaf, and the table
// entries above it are in scope whatever it says.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "../invalidation.h"
#include "set_assoc.h"
#include "types.h"

namespace smmusim::smmuv3 {

enum class WalkStage : uint8_t { S1, S2 };

// Normalised as the TLB's: El2 has no VMID and no ASID, El2E2h no VMID,
// stage 2 no ASID.
struct WalkTag {
    Regime regime = Regime::Nh;
    WalkStage stage = WalkStage::S1;
    uint16_t vmid = 0;
    uint16_t asid = 0;
};

struct WalkEntry {
    WalkTag tag;
    Granule granule = Granule::k4K;
    unsigned level = 0;  // level of the cached table descriptor (0..2); it points at a level+1 table
    uint64_t base = 0;   // the input range (VA / IPA) the descriptor covers, aligned to size
    uint64_t size = 0;   // a power of two
    uint64_t table = 0;  // the next-level table's address (PA; IPA for a nested stage 1)
    uint64_t attrs = 0;  // what the walker carries down (APTable, XNTable, PXNTable, NSTable): opaque here
};

bool walk_tlbi_covers(const InvalidationScope& s, const WalkEntry& e);

class WalkCache : public InvalidationTarget {
public:
    WalkCache(const std::string& stat_group, const CacheGeometry& g);

    // The deepest-level entry of `key` and `granule` covering `addr`, made
    // most recently used; nullptr on a miss. Counted. Valid until the next
    // insert or invalidate.
    const WalkEntry* lookup(const WalkTag& key, Granule granule, uint64_t addr);
    // std::logic_error for a range that is not a power of two aligned to itself.
    void insert(const WalkEntry& e);
    void invalidate(const InvalidationScope& s) override;
    ScopeKinds kinds() const override { return kind_bit(InvalidationScope::Kind::Tlb); }

    size_t size() const { return cache_.size(); }
    void for_each(const std::function<void(const WalkEntry&)>& fn) const { cache_.for_each(fn); }
    const CacheStats& stats() const { return stats_; }

private:
    struct Range {
        static uint64_t base(const WalkEntry& e) { return e.base; }
        static uint64_t size(const WalkEntry& e) { return e.size; }
    };
    CacheStats stats_;
    RangedSetAssoc<WalkEntry, Range, 2> cache_;  // chains: tlbi_rule.h
};

}  // namespace smmusim::smmuv3
