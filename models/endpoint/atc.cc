// SPDX-License-Identifier: GPL-2.0-only
#include "atc.h"

#include <fmt/format.h>

namespace smmusim::endpoint {

namespace {

constexpr uint64_t kPage = 4096;

bool is_pow2(uint64_t v) { return v && !(v & (v - 1)); }

bool same_tag(const AtcEntry& a, const AtcEntry& b)
{
    return a.sid == b.sid && a.ssv == b.ssv && (!a.ssv || a.pasid == b.pasid) && a.untranslated == b.untranslated &&
           a.size == b.size;
}

// [a, a + n) and [b, b + m) share a byte; n, m > 0, neither passes 2^64.
bool overlaps(uint64_t a, uint64_t n, uint64_t b, uint64_t m) { return a <= b + (m - 1) && b <= a + (n - 1); }

EndpointParams checked(const EndpointParams& p)
{
    p.check_ranges();
    if (p.atc_entries % p.atc_ways)
        throw ConfigError(fmt::format("endpoint.atc.ways = {} does not divide endpoint.atc.entries = {}", p.atc_ways,
                                      p.atc_entries));
    return p;
}

}  // namespace

Atc::Atc(const std::string& stats_name, const EndpointParams& p)
    : sets_(static_cast<unsigned>(checked(p).atc_entries / p.atc_ways)),
      ways_(static_cast<unsigned>(p.atc_ways)),
      ways_v_(p.atc_entries),
      stats_(stats_name),
      lookups_(stats_.counter("lookups", "translations looked up in the ATC")),
      hits_(stats_.counter("hits", "lookups served by a cached translation")),
      misses_(stats_.counter("misses", "lookups that found no translation")),
      inserts_(stats_.counter("inserts", "translations cached")),
      evictions_(stats_.counter("evictions", "valid entries replaced to make room")),
      inv_cmds_(stats_.counter("invalidations", "ATC_INV scopes received")),
      inv_entries_(stats_.counter("invalidated_entries", "entries removed by ATC_INV"))
{
}

unsigned Atc::set_of(uint32_t sid, bool ssv, uint32_t pasid) const
{
    const uint64_t key = (uint64_t{sid} << 21) ^ (ssv ? (uint64_t{pasid} << 1) | 1 : 0);
    return static_cast<unsigned>((key * 0x9e3779b97f4a7c15ull >> 32) % sets_);
}

const AtcEntry* Atc::lookup(uint32_t sid, bool ssv, uint32_t pasid, uint64_t addr)
{
    lookups_++;
    const unsigned set = set_of(sid, ssv, pasid);
    for (unsigned w = 0; w < ways_; w++) {
        Way& way = ways_v_[set * ways_ + w];
        const AtcEntry& e = way.e;
        if (way.valid && e.sid == sid && e.ssv == ssv && (!ssv || e.pasid == pasid) &&
            overlaps(e.untranslated, e.size, addr, 1)) {
            hits_++;
            way.last_use = ++use_clock_;
            return &way.e;
        }
    }
    misses_++;
    return nullptr;
}

Atc::Way* Atc::find(unsigned set, const AtcEntry& e)
{
    for (unsigned w = 0; w < ways_; w++) {
        Way& way = ways_v_[set * ways_ + w];
        if (way.valid && same_tag(way.e, e))
            return &way;
    }
    return nullptr;
}

// A free way, else the least recently used one (the lowest way on a tie).
Atc::Way& Atc::victim(unsigned set)
{
    Way* lru = &ways_v_[set * ways_];
    for (unsigned w = 0; w < ways_; w++) {
        Way& way = ways_v_[set * ways_ + w];
        if (!way.valid)
            return way;
        if (way.last_use < lru->last_use)
            lru = &way;
    }
    evictions_++;
    return *lru;
}

bool Atc::insert(const AtcEntry& e)
{
    // Aligned to a power-of-two size, a range cannot pass 2^64.
    if (!is_pow2(e.size) || e.size < kPage || (e.untranslated | e.translated) & (e.size - 1))
        return false;
    const unsigned set = set_of(e.sid, e.ssv, e.pasid);
    Way* way = find(set, e);
    if (!way)
        way = &victim(set);
    *way = Way{true, ++use_clock_, e};
    if (!e.ssv)
        way->e.pasid = 0;
    inserts_++;
    return true;
}

bool Atc::covered(const Way& w, const smmuv3::InvalidationScope& s) const
{
    const AtcEntry& e = w.e;
    if (!w.valid || e.sid != s.sid)
        return false;
    if (s.span != ~0ull && !overlaps(e.untranslated, e.size, s.addr, s.span))
        return false;
    if (!s.by_ssid)  // no PASID prefix: every entry of the range
        return true;
    return e.ssv && (e.pasid == s.ssid || (s.global && e.global));
}

void Atc::invalidate(const smmuv3::InvalidationScope& s)
{
    if (s.kind != smmuv3::InvalidationScope::Kind::Atc)
        return;
    inv_cmds_++;
    for (Way& w : ways_v_) {
        if (covered(w, s)) {
            w.valid = false;
            inv_entries_++;
        }
    }
}

std::vector<AtcEntry> Atc::entries() const
{
    std::vector<AtcEntry> v;
    for (const Way& w : ways_v_)
        if (w.valid)
            v.push_back(w.e);
    return v;
}

size_t Atc::valid() const { return entries().size(); }

}  // namespace smmusim::endpoint
