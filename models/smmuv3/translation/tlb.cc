// SPDX-License-Identifier: GPL-2.0-only
// The TLB (tlb.h): tag normalisation, per-size placement and probing, and
// the TLBI rule of IHI 0070 4.4.
#include "tlb.h"

#include "tlbi_rule.h"

namespace smmusim::smmuv3 {

namespace {

using Scope = InvalidationScope;

TlbTag normalised(TlbTag t)
{
    if (t.regime != Regime::Nh) {
        t.vmid = 0;     // EL2 regimes have no VMID
        t.stage = TlbStage::S1;
    }
    if (t.regime == Regime::El2) {
        t.asid = 0;     // EL2 (E2H = 0) has no ASID: every entry is global
        t.global = true;
    }
    if (t.stage == TlbStage::S2) {
        t.asid = 0;
        t.global = false;
    }
    return t;
}

bool same_context(const TlbTag& a, const TlbTag& key)
{
    return a.regime == key.regime && a.stage == key.stage && a.vmid == key.vmid &&
           (a.stage == TlbStage::S2 || a.global || a.asid == key.asid);
}

// What the TLBI rule needs of a (normalised) tag.
TlbiTag tlbi_tag(const TlbTag& t) { return TlbiTag{t.regime, t.stage == TlbStage::S2, t.vmid, t.asid, t.global}; }

}  // namespace

bool tlbi_covers(const Scope& s, const TlbEntry& e)
{
    switch (tlbi_reach(s, tlbi_tag(e.tag))) {
    case TlbiReach::None: return false;
    case TlbiReach::Whole: return true;
    case TlbiReach::Stage1Address: return tlbi_range_covers(s, e.s1.level, e.s1.base, e.s1.size);
    case TlbiReach::Stage2Address: return tlbi_range_covers(s, e.s2.level, e.s2.base, e.s2.size);
    }
    return false;
}

Tlb::Tlb(const std::string& stat_group, const CacheGeometry& g)
    : stats_(stat_group), cache_("smmu.tlb", g, stats_)
{
}

const TlbEntry* Tlb::lookup(const TlbTag& key_in, uint64_t addr)
{
    const TlbTag key = normalised(key_in);
    return stats_.counted(cache_.find(addr, key.vmid, [&](const TlbEntry& e) { return same_context(e.tag, key); }));
}

void Tlb::insert(const TlbEntry& in)
{
    TlbEntry e = in;
    e.tag = normalised(in.tag);
    const TranslationResult& r = e.result;
    if (e.s1.size == 0)
        e.s1 = LeafRange{e.s1.granule, e.s1.level, r.page_base_in, r.page_size};
    if (e.s2.size == 0)
        e.s2 = LeafRange{e.s2.granule, e.s2.level, r.page_base_in, r.page_size};
    cache_.insert(e, tlbi_entry_keys(tlbi_tag(e.tag)), [&](const TlbEntry& o) {
        return o.tag.regime == e.tag.regime && o.tag.stage == e.tag.stage && o.tag.vmid == e.tag.vmid &&
               o.tag.asid == e.tag.asid && o.tag.global == e.tag.global;
    });
}

void Tlb::invalidate(const InvalidationScope& s)
{
    if (s.kind != InvalidationScope::Kind::Tlb)
        return;
    stats_.invalidations++;
    erase_tlbi(cache_, s, [&](const TlbEntry& e) { return tlbi_covers(s, e); });
}

}  // namespace smmusim::smmuv3
