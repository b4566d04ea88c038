// SPDX-License-Identifier: GPL-2.0-only
// The walk cache (walk_cache.h): tag normalisation, per-level placement and
// deepest-first probing, and the TLBI rule for table entries (IHI 0070 4.4).
#include "walk_cache.h"

#include "tlbi_rule.h"

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

// Table entries are never global, but the El2 regime has no ASID to match.
TlbiTag tlbi_tag(const WalkTag& t)
{
    return TlbiTag{t.regime, t.stage == WalkStage::S2, t.vmid, t.asid, t.regime == Regime::El2};
}

}  // namespace

// Any address match needs Leaf = 0 (Leaf = 1 reaches leaves only); TTL names
// the leaf's level, so the tables above it are reached whatever it says.
bool walk_tlbi_covers(const Scope& s, const WalkEntry& e)
{
    switch (tlbi_reach(s, tlbi_tag(e.tag))) {
    case TlbiReach::None: return false;
    case TlbiReach::Whole: return true;
    case TlbiReach::Stage1Address:
    case TlbiReach::Stage2Address: return !s.leaf && scope_overlaps(s, e.base, e.size);
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
    cache_.insert(e, tlbi_entry_keys(tlbi_tag(e.tag)),
                  [&](const WalkEntry& o) { return o.granule == e.granule && same_tag(o.tag, e.tag); });
}

void WalkCache::invalidate(const InvalidationScope& s)
{
    if (s.kind != InvalidationScope::Kind::Tlb)
        return;
    stats_.invalidations++;
    erase_tlbi(cache_, s, [&](const WalkEntry& e) { return walk_tlbi_covers(s, e); });
}

}  // namespace smmusim::smmuv3
