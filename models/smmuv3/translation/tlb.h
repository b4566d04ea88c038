// SPDX-License-Identifier: GPL-2.0-only
// The SMMU's TLB: completed translations (leaf entries) tagged as IHI 0070
// 4.4 invalidates them — translation regime, VMID, ASID or global (nG = 0),
// which stage(s) the entry holds (stage 1 only, stage 2 only, or a combined
// stage 1 + stage 2 entry of a nested stream), and for each stage the leaf
// descriptor's granule, level and input range. Set-associative with LRU
// (set_assoc.h); pages and blocks of every size share the structure, each
// entry placed by its own size and a lookup probing each size present.
//
// An InvalidationTarget: each TLBI_* removes exactly the entries its
// architected scope covers (tlbi_covers() is the rule, stated once):
//
//   TLBI_NH_ALL     Nh stage-1 and combined entries of the VMID (every ASID, global too)
//   TLBI_NH_ASID    the same, of the ASID, global entries kept
//   TLBI_NH_VA      the same, of the ASID or global, whose stage-1 leaf overlaps the VA (range)
//   TLBI_NH_VAA     the same, of every ASID, by VA (range)
//   TLBI_EL2_*      the same for the El2 / El2E2h regimes (no VMID; El2 entries have no ASID: global)
//   TLBI_S12_VMALL  every Nh entry of the VMID: stage 1, stage 2 and combined
//   TLBI_S2_IPA     stage-2-only entries of the VMID whose stage-2 leaf overlaps the IPA (range);
//                   combined entries are kept: IHI 0070 4.4 (as the Arm ARM's TLBI IPAS2E1)
//                   does not require them to go, and Linux follows a nesting parent's S2_IPA
//                   with TLBI_NH_ALL (arm_smmu_master_build_invs, INV_TYPE_S2_VMID_S1_CLEAR)
//   TLBI_NSNH_ALL   every Nh entry (every VMID); El2 entries kept
//
// A range TLBI (TG != 0) with a TTL hint removes only entries whose leaf (of
// the stage the command names) is at level TTL; TTL = 1 with the 16 KiB
// granule is no hint (no level 1 without IDR5.DS). Beyond the architected
// scope the TLB removes entries of another granule than TG (the range is
// matched in bytes). Leaf = 1 changes nothing here: every TLB entry is a
// leaf (the walk cache holds the table entries). CFGI_* and ATC_INV are
// ignored. A TLBI visits only the entries of the keys it names (by VMID, or
// by VMID and ASID with the global and stage-2-only entries apart:
// tlbi_rule.h), not every line.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "../invalidation.h"
#include "set_assoc.h"
#include "types.h"

namespace smmusim::smmuv3 {

enum class TlbStage : uint8_t {
    S1,   // stage 1 only (STE.Config = stage 1): VA -> PA
    S2,   // stage 2 only (STE.Config = stage 2, or a nested walk's table IPA): IPA -> PA
    S12,  // combined nested entry: VA -> PA through both stages
};

// What an entry is tagged with, and what a lookup presents. Normalised on
// insert and lookup: El2 has no VMID and no ASID (its entries are global),
// El2E2h has no VMID, stage-2-only entries have no ASID.
struct TlbTag {
    Regime regime = Regime::Nh;
    TlbStage stage = TlbStage::S1;
    uint16_t vmid = 0;    // Nh: STE.S2VMID (0 for a stage-1-only stream, as Linux programs it)
    uint16_t asid = 0;    // stage 1 of Nh and El2E2h: CD.ASID
    bool global = false;  // stage 1: the leaf's nG = 0 (matches every ASID); ignored in a lookup key
};

// One stage's leaf descriptor: the input range it maps (VA for stage 1, IPA
// for stage 2), its level (a range TLBI's TTL is matched on it) and granule
// (recorded, not matched: see above).
struct LeafRange {
    Granule granule = Granule::k4K;
    unsigned level = 3;
    uint64_t base = 0;  // aligned to size
    uint64_t size = 0;  // a power of two; 0 on insert: the entry's own range (result.page_base_in/page_size)
};

struct TlbEntry {
    TlbTag tag;
    // oa, page_base_in, page_size (a power of two), level, perm: what a hit
    // returns; page_base_in/page_size is the input range the entry translates.
    TranslationResult result;
    LeafRange s1;  // S1, S12: the stage-1 leaf (for S12 it may be larger than the entry: a block split by stage 2)
    LeafRange s2;  // S2, S12: the stage-2 leaf (for S12: of the IPA the stage-1 output went to)
};

// The architected rule: whether the TLBI `s` covers `e` (false for scopes of
// another kind than Tlb).
bool tlbi_covers(const InvalidationScope& s, const TlbEntry& e);

class Tlb : public InvalidationTarget {
public:
    // `stat_group`: the statistics' group name (e.g. "soc.smmu.tlb").
    // ConfigError for a geometry set_assoc.h refuses (named smmu.tlb.*).
    Tlb(const std::string& stat_group, const CacheGeometry& g);

    // The entry translating `addr` for `key` (regime, stage, VMID, and the
    // ASID unless the entry is global), made most recently used; nullptr on
    // a miss. Counted (lookups, hits, misses). The pointer is valid until
    // the next insert or invalidate.
    const TlbEntry* lookup(const TlbTag& key, uint64_t addr);
    // Fills `e` (replacing an entry with the same tag and range). Throws
    // std::logic_error for a range that is not a power of two aligned to
    // itself (a caller's error, not a guest's).
    void insert(const TlbEntry& e);
    // InvalidationTarget: removes what tlbi_covers() says.
    void invalidate(const InvalidationScope& s) override;
    ScopeKinds kinds() const override { return kind_bit(InvalidationScope::Kind::Tlb); }

    size_t size() const { return cache_.size(); }
    void for_each(const std::function<void(const TlbEntry&)>& fn) const { cache_.for_each(fn); }
    const CacheStats& stats() const { return stats_; }

private:
    struct Range {
        static uint64_t base(const TlbEntry& e) { return e.result.page_base_in; }
        static uint64_t size(const TlbEntry& e) { return e.result.page_size; }
    };
    CacheStats stats_;
    RangedSetAssoc<TlbEntry, Range, 2> cache_;  // chains: tlbi_rule.h
};

}  // namespace smmusim::smmuv3
