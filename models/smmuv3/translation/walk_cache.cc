// SPDX-License-Identifier: GPL-2.0-only
// The walk cache (walk_cache.h): tag normalisation, per-level placement and
// deepest-first probing, and the TLBI rule for table entries (IHI 0070 4.4).
#include "walk_cache.h"

#include "address_range.h"

namespace smmusim::smmuv3 {

namespace {

using Scope = InvalidationScope;

WalkTag normalised(WalkTag t)
{
    if (t.regime != Regime::Nh) {
        t.vmid = 0;
        t.stage = WalkStage::S1;
    }
    if (t.regime == Regime::El2 || t.stage == WalkStage::S2)
        t.asid = 0;
    return t;
}

bool same_tag(const WalkTag& a, const WalkTag& b)
{
    return a.regime == b.regime && a.stage == b.stage && a.vmid == b.vmid && a.asid == b.asid;
}

// TLBI_NH_* / TLBI_EL2_*: stage-1 table entries of the regime (and VMID),
// of the ASID when the command names one. El2 entries have no ASID: a VA
// command of any ASID reaches them, an ASID command none.
bool stage1_tag_covered(const Scope& s, const WalkTag& t)
{
    if (t.stage != WalkStage::S1)
        return false;
    if (s.regime == Scope::Regime::Nh) {
        if (t.regime != Regime::Nh || t.vmid != s.vmid)
            return false;
    } else if (t.regime == Regime::Nh) {
        return false;
    }
    if (!s.by_asid)
        return true;
    if (t.regime == Regime::El2)
        return s.by_address;
    return t.asid == s.asid;
}

}  // namespace

bool walk_tlbi_covers(const Scope& s, const WalkEntry& e)
{
    if (s.kind != Scope::Kind::Tlb)
        return false;
    const WalkTag& t = e.tag;
    switch (s.regime) {
    case Scope::Regime::Nsnh:
        return t.regime == Regime::Nh;
    case Scope::Regime::S2:
        if (t.regime != Regime::Nh || t.vmid != s.vmid)
            return false;
        if (!s.by_address)
            return true;  // TLBI_S12_VMALL: both stages
        return t.stage == WalkStage::S2 && !s.leaf && scope_overlaps(s, e.base, e.size);
    case Scope::Regime::Nh:
    case Scope::Regime::El2:
        if (!stage1_tag_covered(s, t))
            return false;
        return !s.by_address || (!s.leaf && scope_overlaps(s, e.base, e.size));
    }
    return false;
}

WalkCache::WalkCache(const std::string& stat_group, const CacheGeometry& g)
    : stats_(stat_group), cache_("smmu.walkcache", g, stats_)
{
}

// The smallest range first: the deepest level's descriptor saves the most steps.
const WalkEntry* WalkCache::lookup(const WalkTag& key_in, Granule granule, uint64_t addr)
{
    const WalkTag key = normalised(key_in);
    return stats_.counted(cache_.find(addr, key.vmid, [&](const WalkEntry& e) {
        return e.granule == granule && same_tag(e.tag, key);
    }));
}

void WalkCache::insert(const WalkEntry& in)
{
    WalkEntry e = in;
    e.tag = normalised(in.tag);
    cache_.insert(e, e.tag.vmid, [&](const WalkEntry& o) { return o.granule == e.granule && same_tag(o.tag, e.tag); });
}

void WalkCache::invalidate(const InvalidationScope& s)
{
    if (s.kind != InvalidationScope::Kind::Tlb)
        return;
    stats_.invalidations++;
    cache_.erase_if([&](const WalkEntry& e) { return walk_tlbi_covers(s, e); });
}

}  // namespace smmusim::smmuv3
