// SPDX-License-Identifier: GPL-2.0-only
#include "atc.h"


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

smmuv3::CacheGeometry geometry(const EndpointParams& p)
{
    p.check_ranges();
    return {p.atc_entries, p.atc_ways};
}

// The entries an ATC_INV scope removes (IHI 0070 4.5.1).
bool covered(const AtcEntry& e, const smmuv3::InvalidationScope& s)
{
    if (e.sid != s.sid)
        return false;
    if (s.span != ~0ull && !overlaps(e.untranslated, e.size, s.addr, s.span))
        return false;
    if (!s.by_ssid)  // no PASID prefix: every entry of the range
        return true;
    return e.ssv && (e.pasid == s.ssid || (s.global && e.global));
}

}  // namespace

Atc::Atc(const std::string& stats_name, const EndpointParams& p)
    : stats_(stats_name), cache_("endpoint.atc", geometry(p), stats_)
{
}

uint64_t Atc::set_of(uint32_t sid, bool ssv, uint32_t pasid) const
{
    return smmuv3::set_index(sid, ssv ? (uint64_t{pasid} << 1) | 1 : 0, cache_.sets());
}

const AtcEntry* Atc::lookup(uint32_t sid, bool ssv, uint32_t pasid, uint64_t addr)
{
    return stats_.counted(cache_.find(set_of(sid, ssv, pasid), [&](const AtcEntry& e) {
        return e.sid == sid && e.ssv == ssv && (!ssv || e.pasid == pasid) && overlaps(e.untranslated, e.size, addr, 1);
    }));
}

bool Atc::insert(const AtcEntry& e)
{
    // Aligned to a power-of-two size, a range cannot pass 2^64.
    if (!is_pow2(e.size) || e.size < kPage || (e.untranslated | e.translated) & (e.size - 1))
        return false;
    AtcEntry k = e;
    if (!k.ssv)
        k.pasid = 0;
    cache_.insert(set_of(k.sid, k.ssv, k.pasid), k, [&](const AtcEntry& o) { return same_tag(o, k); });
    return true;
}

void Atc::invalidate(const smmuv3::InvalidationScope& s)
{
    if (s.kind != smmuv3::InvalidationScope::Kind::Atc)
        return;
    stats_.invalidations++;
    cache_.erase_if([&](const AtcEntry& e) { return covered(e, s); }, [](const AtcEntry&) {});
}

void Atc::clear()
{
    cache_.erase_if([](const AtcEntry&) { return true; }, [](const AtcEntry&) {});
}

std::vector<AtcEntry> Atc::entries() const
{
    std::vector<AtcEntry> v;
    cache_.for_each([&](const AtcEntry& e) { v.push_back(e); });
    return v;
}

}  // namespace smmusim::endpoint
